// arch/x86_64/multiboot2.cpp -- reading GRUB's multiboot2 information.
//
// GRUB leaves a block of tags in low memory: {u32 total_size, u32 reserved}
// then tags {u32 type, u32 size, payload}, each 8-byte aligned, until an end
// tag (type 0). We read three kinds: 1 = command line, 3 = module,
// 6 = memory map (entries of {u64 base, u64 length, u32 type, u32 reserved};
// type 1 is usable RAM). The block is reached through the direct map.
// Reference: the Multiboot2 specification, section 3.6.
#include "multiboot2.h"
#include <arch/mmu.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/printk.h>

namespace x86 {

static arch::BootInfo s_info;

static void copy_string(char* dst, size_t size, const char* src)
{
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void read_memory_map(const u8* tag, u32 size)
{
    u32 entry_size = *reinterpret_cast<const u32*>(tag + 8);
    for (u32 off = 16; off + entry_size <= size; off += entry_size) {
        const u8* e = tag + off;
        u64 base = *reinterpret_cast<const u64*>(e);
        u64 len = *reinterpret_cast<const u64*>(e + 8);
        u32 type = *reinterpret_cast<const u32*>(e + 16);
        if (type != 1 || len == 0)
            continue;
        if (s_info.usable_count == arch::BootInfo::MAX_RANGES) {
            printk("multiboot2: more than %zu memory ranges, ignoring the rest\n",
                   arch::BootInfo::MAX_RANGES);
            return;
        }
        s_info.usable[s_info.usable_count++] = {base, base + len};
        if (base + len > s_info.top_of_ram)
            s_info.top_of_ram = base + len;
    }
}

static void read_module(const u8* tag)
{
    if (s_info.module_count == arch::BootInfo::MAX_MODULES)
        return;
    arch::BootModule& m = s_info.modules[s_info.module_count++];
    m.start = *reinterpret_cast<const u32*>(tag + 8);
    m.end = *reinterpret_cast<const u32*>(tag + 12);
    copy_string(m.name, sizeof m.name, reinterpret_cast<const char*>(tag + 16));
}

void multiboot2_parse(PhysAddr info_phys)
{
    const u8* base = static_cast<const u8*>(arch::phys_to_virt(info_phys));
    u32 total = *reinterpret_cast<const u32*>(base);
    s_info.loader_data = {info_phys, info_phys + total};
    for (u32 off = 8; off + 8 <= total;) {
        const u8* tag = base + off;
        u32 type = *reinterpret_cast<const u32*>(tag);
        u32 size = *reinterpret_cast<const u32*>(tag + 4);
        if (type == 0 || size < 8)
            break;
        if (type == 1)
            copy_string(s_info.cmdline, sizeof s_info.cmdline, reinterpret_cast<const char*>(tag + 8));
        else if (type == 3)
            read_module(tag);
        else if (type == 6)
            read_memory_map(tag, size);
        off += (size + 7) & ~7u;
    }
}

} // namespace x86

namespace arch {
const BootInfo& boot_info() { return x86::s_info; }
}
