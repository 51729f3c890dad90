// fs/block/virtio_pci.cpp -- the modern virtio-pci transport (see virtio_pci.h).
//
// Every register is a little-endian field in a memory BAR; x86 is little-
// endian, so a volatile access of the field's width is the whole story.
// The spec asks for accesses no wider than 32 bits, so 64-bit fields (the
// ring addresses, the capacity) go as two halves.
#include <fs/block/virtio_pci.h>
#include <fs/block/virtqueue.h>
#include <kernel/base/lib/assert.h>

namespace block {

using kern::Errno;

namespace {

// Capability types (virtio v1.1, 4.1.4) and the layout of one.
constexpr u8 CAP_COMMON = 1;
constexpr u8 CAP_NOTIFY = 2;
constexpr u8 CAP_DEVICE = 4;
constexpr u8 CAP_TYPE = 3, CAP_BAR = 4, CAP_OFFSET = 8, CAP_NOTIFY_MULTIPLIER = 16;

// The common configuration structure (virtio v1.1, 4.1.4.3).
constexpr u32 DEVICE_FEATURE_SELECT = 0x00;
constexpr u32 DEVICE_FEATURE = 0x04;
constexpr u32 DRIVER_FEATURE_SELECT = 0x08;
constexpr u32 DRIVER_FEATURE = 0x0c;
constexpr u32 MSIX_CONFIG = 0x10;
constexpr u32 DEVICE_STATUS = 0x14;
constexpr u32 CONFIG_GENERATION = 0x15;
constexpr u32 QUEUE_SELECT = 0x16;
constexpr u32 QUEUE_SIZE = 0x18;
constexpr u32 QUEUE_MSIX_VECTOR = 0x1a;
constexpr u32 QUEUE_ENABLE = 0x1c;
constexpr u32 QUEUE_NOTIFY_OFF = 0x1e;
constexpr u32 QUEUE_DESC = 0x20;
constexpr u32 QUEUE_DRIVER = 0x28;
constexpr u32 QUEUE_DEVICE = 0x30;

template <typename T> T load(volatile u8* base, u32 offset) { return *reinterpret_cast<volatile T*>(base + offset); }
template <typename T> void store(volatile u8* base, u32 offset, T value)
{
    *reinterpret_cast<volatile T*>(base + offset) = value;
}
void store64(volatile u8* base, u32 offset, u64 value)
{
    store<u32>(base, offset, u32(value));
    store<u32>(base, offset + 4, u32(value >> 32));
}

} // namespace

kern::ErrorOr<void> VirtioPci::attach(const arch::PciDevice& pci)
{
    m_pci = pci;
    for (u8 cap = arch::pci_find_capability(pci, arch::PCI_CAP_VENDOR); cap;
         cap = arch::pci_find_capability(pci, arch::PCI_CAP_VENDOR, cap)) {
        const u8 type = arch::pci_read8(pci, u8(cap + CAP_TYPE));
        volatile u8** where = type == CAP_COMMON ? &m_common : type == CAP_NOTIFY ? &m_notify
                              : type == CAP_DEVICE ? &m_device : nullptr;
        if (!where || *where)
            continue;  // a type we do not use, or a second instance (the first is preferred)
        const u8 bar = arch::pci_read8(pci, u8(cap + CAP_BAR));
        const u32 offset = arch::pci_read32(pci, u8(cap + CAP_OFFSET));
        *where = static_cast<volatile u8*>(arch::pci_map_bar(pci, bar, offset));
        if (!*where)
            return Errno::ENXIO;
        if (type == CAP_NOTIFY)
            m_notify_multiplier = arch::pci_read32(pci, u8(cap + CAP_NOTIFY_MULTIPLIER));
    }
    if (!m_common || !m_notify || !m_device)
        return Errno::ENODEV;
    arch::pci_enable(pci);
    store<u8>(m_common, DEVICE_STATUS, 0);  // reset
    while (load<u8>(m_common, DEVICE_STATUS) != 0) {
        // the device finishes a reset before the read returns 0 (QEMU: at once)
    }
    store<u8>(m_common, DEVICE_STATUS, STATUS_ACKNOWLEDGE);
    store<u8>(m_common, DEVICE_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    store<u16>(m_common, MSIX_CONFIG, NO_VECTOR);  // no configuration-change interrupts
    return {};
}

kern::ErrorOr<u64> VirtioPci::negotiate(u64 wanted)
{
    store<u32>(m_common, DEVICE_FEATURE_SELECT, 0);
    u64 offered = load<u32>(m_common, DEVICE_FEATURE);
    store<u32>(m_common, DEVICE_FEATURE_SELECT, 1);
    offered |= u64(load<u32>(m_common, DEVICE_FEATURE)) << 32;
    if (!(offered & F_VERSION_1))
        return Errno::ENODEV;
    const u64 accepted = offered & (wanted | F_VERSION_1);
    store<u32>(m_common, DRIVER_FEATURE_SELECT, 0);
    store<u32>(m_common, DRIVER_FEATURE, u32(accepted));
    store<u32>(m_common, DRIVER_FEATURE_SELECT, 1);
    store<u32>(m_common, DRIVER_FEATURE, u32(accepted >> 32));
    const u8 status = load<u8>(m_common, DEVICE_STATUS);
    store<u8>(m_common, DEVICE_STATUS, u8(status | STATUS_FEATURES_OK));
    if (!(load<u8>(m_common, DEVICE_STATUS) & STATUS_FEATURES_OK))
        return Errno::ENODEV;
    return accepted;
}

u16 VirtioPci::queue_max_size(u16 index)
{
    store<u16>(m_common, QUEUE_SELECT, index);
    return load<u16>(m_common, QUEUE_SIZE);
}

kern::ErrorOr<void> VirtioPci::setup_queue(u16 index, const Virtqueue& vq, u16 msix_entry)
{
    if (index >= MAX_QUEUES)
        return Errno::EINVAL;
    store<u16>(m_common, QUEUE_SELECT, index);
    store<u16>(m_common, QUEUE_SIZE, vq.size());
    store64(m_common, QUEUE_DESC, vq.desc_phys());
    store64(m_common, QUEUE_DRIVER, vq.avail_phys());
    store64(m_common, QUEUE_DEVICE, vq.used_phys());
    store<u16>(m_common, QUEUE_MSIX_VECTOR, msix_entry);
    if (load<u16>(m_common, QUEUE_MSIX_VECTOR) != msix_entry)
        return Errno::EIO;  // the device reads back NO_VECTOR when it cannot
    const u16 notify_off = load<u16>(m_common, QUEUE_NOTIFY_OFF);
    m_doorbell[index] = reinterpret_cast<volatile u16*>(m_notify + u32(notify_off) * m_notify_multiplier);
    store<u16>(m_common, QUEUE_ENABLE, 1);
    return {};
}

void VirtioPci::driver_ok()
{
    store<u8>(m_common, DEVICE_STATUS, u8(load<u8>(m_common, DEVICE_STATUS) | STATUS_DRIVER_OK));
}

void VirtioPci::failed()
{
    store<u8>(m_common, DEVICE_STATUS, u8(load<u8>(m_common, DEVICE_STATUS) | STATUS_FAILED));
}

void VirtioPci::notify(u16 index)
{
    KASSERT(index < MAX_QUEUES && m_doorbell[index]);
    *m_doorbell[index] = index;
}

u32 VirtioPci::config_read32(u32 offset) const { return load<u32>(m_device, offset); }

u64 VirtioPci::config_read64(u32 offset) const
{
    for (;;) {  // the device may change the field between our two reads: retry then
        const u8 generation = load<u8>(m_common, CONFIG_GENERATION);
        const u64 value = u64(config_read32(offset)) | u64(config_read32(offset + 4)) << 32;
        if (load<u8>(m_common, CONFIG_GENERATION) == generation)
            return value;
    }
}

} // namespace block
