// arch/include/arch/pci.h -- the PCI bus for drivers: finding functions, their configuration space, BARs, MSI-X.
//
// Every PCI function has a 256-byte configuration space: vendor and device
// ids, the command register (decode memory, I/O, bus mastering), six Base
// Address Registers (BARs: where the function's registers appear in memory
// or I/O space, assigned by the firmware -- SeaBIOS under QEMU), and a
// linked list of capabilities (MSI-X is one; virtio's own register map is
// described by vendor-specific ones). The machine reads it through
// configuration mechanism #1: write the function's address to port 0xCF8,
// read or write the dword at port 0xCFC. Only bus 0 is scanned: QEMU's
// default machine (i440FX) puts every device there.
//
// Memory BARs are used through the direct map, which covers the 3-4 GiB
// device hole uncached (arch/x86_64/kpagetable.cpp); a BAR outside it is
// refused (pci_map_bar returns nullptr). The firmware places small BARs
// there when the machine has at most ~3 GiB of RAM (MEM=1G by default).
//
// MSI-X (PCI 3.0, 6.8.2): a function with it has a table, in one of its
// memory BARs, of (address, data, mask) entries; entry i is the message the
// function writes to raise its interrupt i. pci_msix_enable() fills entry
// i with the message for a vector from arch/interrupt.h.
//
// Read more: PCI Local Bus Specification 3.0, 3.2.2.3.2 (mechanism #1),
// 6.2 (the header), 6.7-6.8 (capabilities, MSI-X); the OSDev wiki's "PCI";
// docs/boot.md ("PCI and MSI-X"). Our own code.
#pragma once

#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/types.h>

namespace arch {

struct PciDevice {
    u8 bus = 0, slot = 0, function = 0;
    u16 vendor = 0, device = 0;
    u8 class_code = 0, subclass = 0;
};

// Config-space offsets and capability ids drivers use.
constexpr u8 PCI_CAP_MSIX = 0x11;
constexpr u8 PCI_CAP_VENDOR = 0x09;

// Scan bus 0; fill out[0 .. n) with the functions present, in slot order.
// Returns n (at most `max`).
size_t pci_enumerate(PciDevice* out, size_t max);

u8 pci_read8(const PciDevice& dev, u8 offset);
u16 pci_read16(const PciDevice& dev, u8 offset);
u32 pci_read32(const PciDevice& dev, u8 offset);
void pci_write16(const PciDevice& dev, u8 offset, u16 value);
void pci_write32(const PciDevice& dev, u8 offset, u32 value);

// The offset of the first capability with `id` after `after` (0: from the
// start of the list), or 0 if there is none.
u8 pci_find_capability(const PciDevice& dev, u8 id, u8 after = 0);

// Let the function decode its memory BARs and master the bus (DMA), and
// disable its legacy INTx pin (we use MSI-X only).
void pci_enable(const PciDevice& dev);

// A kernel pointer to byte `offset` of memory BAR `bar` (32- or 64-bit),
// or nullptr if the BAR is not a memory BAR or lies outside the direct map.
volatile void* pci_map_bar(const PciDevice& dev, unsigned bar, u64 offset);

// Point MSI-X table entry `entry` at `vector` (arch/interrupt.h), unmask
// it, and turn MSI-X on for the function.
// Errors: ENODEV (no MSI-X capability), EINVAL (no such entry), ENXIO (the
// table's BAR cannot be mapped).
kern::ErrorOr<void> pci_msix_enable(const PciDevice& dev, unsigned entry, u8 vector);

} // namespace arch
