// fs/block/virtio_pci.h -- the virtio 1.x PCI transport ("modern" virtio-pci): finding a device's registers, feature negotiation, queue set-up, notification.
//
// A virtio device on PCI (virtio v1.1, 4.1 "Virtio Over PCI Bus") describes
// where its registers are with vendor-specific PCI capabilities, each
// naming a BAR, an offset and a length:
//
//   COMMON  (type 1)  device status, feature bits, and per queue (selected
//                     by queue_select): size, MSI-X vector, enable, the
//                     three ring addresses, the notify offset
//   NOTIFY  (type 2)  doorbells: writing queue q's index at
//                     offset + queue_notify_off(q) * notify_off_multiplier
//                     tells the device to look at q's available ring
//   ISR     (type 3)  the legacy interrupt cause (unused: we take MSI-X)
//   DEVICE  (type 4)  the device type's configuration (virtio-blk: capacity)
//
// This is the modern interface (devices 0x1040 + type, and transitional
// ones such as QEMU's default virtio-blk-pci 0x1001, which offer both).
// The legacy one (an I/O BAR with fixed offsets, virtio 0.9.5) is not
// used: modern needs only a capability walk more, and gives 64-bit queue
// addresses and a documented register map.
//
// Initialisation (virtio v1.1, 3.1.1): reset; ACKNOWLEDGE; DRIVER; read the
// device's features, write the subset we accept (VERSION_1 must be in it);
// FEATURES_OK and check it stuck; set up the queues; DRIVER_OK.
//
// Lock: none. Set-up runs once, on the attaching thread; notify() only
// writes a doorbell and may be called under the driver's lock.
//
// Read more: virtio v1.1, 4.1.4 (the capabilities), 4.1.5.1.3 (queue
// set-up), 4.1.4.4 (notification address); NetBSD sys/dev/pci/
// virtio_pci.c (virtio_pci_attach_10, virtio_pci_setup_queue_10); Linux
// drivers/virtio/virtio_pci_modern_dev.c. Design only; our own code.
#pragma once

#include <arch/pci.h>
#include <kernel/base/lib/error_or.h>

namespace block {

class Virtqueue;

class VirtioPci {
public:
    // Device status bits.
    static constexpr u8 STATUS_ACKNOWLEDGE = 1;
    static constexpr u8 STATUS_DRIVER = 2;
    static constexpr u8 STATUS_DRIVER_OK = 4;
    static constexpr u8 STATUS_FEATURES_OK = 8;
    static constexpr u8 STATUS_FAILED = 128;
    static constexpr u64 F_VERSION_1 = u64(1) << 32;
    static constexpr u16 NO_VECTOR = 0xffff;

    // Find the capabilities and map their BARs; reset the device and say
    // ACKNOWLEDGE | DRIVER. Errors: ENODEV (not a modern virtio device: a
    // capability is missing), ENXIO (a BAR the direct map does not cover).
    kern::ErrorOr<void> attach(const arch::PciDevice& pci);

    // Accept the features in `wanted` that the device offers, plus
    // VERSION_1, and set FEATURES_OK. Returns the accepted set.
    // Errors: ENODEV (no VERSION_1, or the device refused FEATURES_OK).
    kern::ErrorOr<u64> negotiate(u64 wanted);

    // The largest size the device allows for queue `index` (0: no queue).
    u16 queue_max_size(u16 index);
    // Give queue `index` its rings and MSI-X entry, and enable it.
    // Errors: EINVAL (index >= MAX_QUEUES), EIO (the device did not take
    // the MSI-X entry).
    kern::ErrorOr<void> setup_queue(u16 index, const Virtqueue& vq, u16 msix_entry);

    // DRIVER_OK: the device may start. failed(): FAILED, it must not.
    void driver_ok();
    void failed();

    // Ring queue `index`'s doorbell.  => the queue is set up.
    void notify(u16 index);

    // Read the device-type configuration (4-byte aligned fields).
    u32 config_read32(u32 offset) const;
    u64 config_read64(u32 offset) const;  // two halves, retried on a generation change

    const arch::PciDevice& pci() const { return m_pci; }

private:
    volatile u8* m_common = nullptr;
    volatile u8* m_notify = nullptr;
    volatile u8* m_device = nullptr;
    u32 m_notify_multiplier = 0;
    static constexpr u16 MAX_QUEUES = 4;
    volatile u16* m_doorbell[MAX_QUEUES] = {};  // per queue, from setup_queue
    arch::PciDevice m_pci;
};

} // namespace block
