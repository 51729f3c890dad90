// arch/x86_64/pci.cpp -- PCI configuration mechanism #1, the bus-0 scan, BARs and MSI-X (see arch/pci.h).
//
// Configuration access is two port operations -- the address to 0xCF8, the
// data at 0xCFC -- so a SpinLock (s_config_lock, a leaf) keeps another
// access from slipping in between (an interrupt handler, another CPU later).
//
// MSI-X set-up follows the order PCI 3.0, 6.8.2 asks for: enable MSI-X with
// the whole function masked, write the table entry, unmask the entry, then
// unmask the function. The table lives in a memory BAR (the capability's
// BIR field says which), reached through the direct map like any BAR.
//
// Read more: PCI Local Bus Specification 3.0, 3.2.2.3.2 and 6.8.2; Linux
// drivers/pci/msi/msi.c (msix_capability_init); NetBSD sys/dev/pci/pci.c
// (pci_get_capability). Design only; our own code.
#include "x86.h"
#include <arch/interrupt.h>
#include <arch/mmu.h>
#include <arch/pci.h>
#include <kernel/base/sync/spinlock.h>

namespace arch {

namespace {

constexpr u16 CONFIG_ADDRESS = 0xcf8;
constexpr u16 CONFIG_DATA = 0xcfc;

// Configuration header offsets.
constexpr u8 PCI_VENDOR = 0x00;
constexpr u8 PCI_DEVICE = 0x02;
constexpr u8 PCI_COMMAND = 0x04;
constexpr u8 PCI_STATUS = 0x06;
constexpr u8 PCI_SUBCLASS = 0x0a;
constexpr u8 PCI_CLASS = 0x0b;
constexpr u8 PCI_HEADER_TYPE = 0x0e;
constexpr u8 PCI_BAR0 = 0x10;
constexpr u8 PCI_CAPABILITIES = 0x34;

constexpr u16 COMMAND_MEMORY = 1u << 1;
constexpr u16 COMMAND_BUS_MASTER = 1u << 2;
constexpr u16 COMMAND_INTX_DISABLE = 1u << 10;
constexpr u16 STATUS_CAPABILITIES = 1u << 4;

// MSI-X capability: message control at +2, table offset/BIR at +4.
constexpr u16 MSIX_ENABLE = 1u << 15;
constexpr u16 MSIX_FUNCTION_MASK = 1u << 14;
constexpr u32 MSIX_ENTRY_MASKED = 1u << 0;

// Physical memory the direct map covers uncached: the device hole.
constexpr u64 DEVICE_HOLE_START = 3ull << 30;
constexpr u64 DEVICE_HOLE_END = 4ull << 30;

kern::SpinLock s_config_lock;

u32 config_address(u8 bus, u8 slot, u8 function, u8 offset)
{
    return 0x80000000u | (u32(bus) << 16) | (u32(slot) << 11) | (u32(function) << 8) | (offset & 0xfc);
}

u32 read_raw(u8 bus, u8 slot, u8 function, u8 offset)
{
    kern::SpinGuard guard(s_config_lock);
    x86::outl(CONFIG_ADDRESS, config_address(bus, slot, function, offset));
    return x86::inl(CONFIG_DATA);
}

} // namespace

u32 pci_read32(const PciDevice& dev, u8 offset) { return read_raw(dev.bus, dev.slot, dev.function, offset); }
u16 pci_read16(const PciDevice& dev, u8 offset) { return u16(pci_read32(dev, offset) >> ((offset & 2) * 8)); }
u8 pci_read8(const PciDevice& dev, u8 offset) { return u8(pci_read32(dev, offset) >> ((offset & 3) * 8)); }

void pci_write32(const PciDevice& dev, u8 offset, u32 value)
{
    kern::SpinGuard guard(s_config_lock);
    x86::outl(CONFIG_ADDRESS, config_address(dev.bus, dev.slot, dev.function, offset));
    x86::outl(CONFIG_DATA, value);
}

void pci_write16(const PciDevice& dev, u8 offset, u16 value)
{
    kern::SpinGuard guard(s_config_lock);
    x86::outl(CONFIG_ADDRESS, config_address(dev.bus, dev.slot, dev.function, offset));
    x86::outw(u16(CONFIG_DATA + (offset & 2)), value);
}

size_t pci_enumerate(PciDevice* out, size_t max)
{
    size_t n = 0;
    for (u8 slot = 0; slot < 32; ++slot) {
        if (u16(read_raw(0, slot, 0, PCI_VENDOR)) == 0xffff)
            continue;  // nothing in this slot
        const u8 header_type = u8(read_raw(0, slot, 0, PCI_HEADER_TYPE & 0xfc) >> 16);
        const bool multi = header_type & 0x80;  // a multi-function device
        for (u8 function = 0; function < (multi ? 8 : 1); ++function) {
            const u32 id = read_raw(0, slot, function, PCI_VENDOR);
            if (u16(id) == 0xffff || n == max)
                continue;
            PciDevice& d = out[n++];
            d.bus = 0;
            d.slot = slot;
            d.function = function;
            d.vendor = u16(id);
            d.device = u16(id >> 16);
            d.class_code = pci_read8(d, PCI_CLASS);
            d.subclass = pci_read8(d, PCI_SUBCLASS);
        }
    }
    static_assert(PCI_DEVICE == 2);
    return n;
}

u8 pci_find_capability(const PciDevice& dev, u8 id, u8 after)
{
    if (!(pci_read16(dev, PCI_STATUS) & STATUS_CAPABILITIES))
        return 0;
    u8 at = after ? u8(pci_read8(dev, u8(after + 1)) & 0xfc) : u8(pci_read8(dev, PCI_CAPABILITIES) & 0xfc);
    for (unsigned hops = 0; at != 0 && hops < 48; ++hops) {  // a bound, in case the list loops
        if (pci_read8(dev, at) == id)
            return at;
        at = u8(pci_read8(dev, u8(at + 1)) & 0xfc);
    }
    return 0;
}

void pci_enable(const PciDevice& dev)
{
    const u16 command = pci_read16(dev, PCI_COMMAND);
    pci_write16(dev, PCI_COMMAND, command | COMMAND_MEMORY | COMMAND_BUS_MASTER | COMMAND_INTX_DISABLE);
}

volatile void* pci_map_bar(const PciDevice& dev, unsigned bar, u64 offset)
{
    if (bar > 5)
        return nullptr;
    const u8 reg = u8(PCI_BAR0 + 4 * bar);
    const u32 low = pci_read32(dev, reg);
    if (low & 1)
        return nullptr;  // an I/O BAR
    u64 base = low & ~0xfull;
    if (((low >> 1) & 3) == 2 && bar < 5)  // 64-bit: the next BAR holds the high half
        base |= u64(pci_read32(dev, u8(reg + 4))) << 32;
    if (base < DEVICE_HOLE_START || base + offset >= DEVICE_HOLE_END)
        return nullptr;
    return static_cast<volatile u8*>(phys_to_virt(base + offset));
}

kern::ErrorOr<void> pci_msix_enable(const PciDevice& dev, unsigned entry, u8 vector)
{
    const u8 cap = pci_find_capability(dev, PCI_CAP_MSIX);
    if (!cap)
        return kern::Errno::ENODEV;
    const u16 control = pci_read16(dev, u8(cap + 2));
    if (entry > (control & 0x7ffu))
        return kern::Errno::EINVAL;
    const u32 table = pci_read32(dev, u8(cap + 4));
    auto* slot = static_cast<volatile u32*>(pci_map_bar(dev, table & 7, (table & ~7u) + 16ull * entry));
    if (!slot)
        return kern::Errno::ENXIO;
    pci_write16(dev, u8(cap + 2), u16(control | MSIX_ENABLE | MSIX_FUNCTION_MASK));
    const MsiMessage msg = msi_message(vector);
    slot[0] = u32(msg.address);
    slot[1] = u32(msg.address >> 32);
    slot[2] = msg.data;
    slot[3] = slot[3] & ~MSIX_ENTRY_MASKED;
    pci_write16(dev, u8(cap + 2), u16((control | MSIX_ENABLE) & ~MSIX_FUNCTION_MASK));
    return {};
}

} // namespace arch
