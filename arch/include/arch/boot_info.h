// arch/include/arch/boot_info.h -- what the boot loader told us, machine-neutral.
//
// arch/x86_64/multiboot2.cpp fills a BootInfo from GRUB's multiboot2 tags,
// copying everything it needs out of the loader's memory: afterwards only the
// modules' bytes (e.g. the initramfs) must be kept, and their ranges are listed.
#pragma once

#include <kernel/base/lib/types.h>

namespace arch {

struct MemRange {
    PhysAddr start;
    PhysAddr end;  // exclusive
};

struct BootModule {
    PhysAddr start;
    PhysAddr end;
    char name[64];  // the string GRUB's `module2` line gave after the path
};

struct BootInfo {
    static constexpr size_t MAX_RANGES = 64;
    static constexpr size_t MAX_MODULES = 8;
    MemRange usable[MAX_RANGES];  // RAM the kernel may use (memory map type 1)
    size_t usable_count;
    PhysAddr top_of_ram;          // end of the highest usable range
    BootModule modules[MAX_MODULES];
    size_t module_count;
    MemRange loader_data;         // the multiboot2 information block itself
    char cmdline[512];
};

const BootInfo& boot_info();

} // namespace arch

namespace arch {
// The physical range the kernel image occupies (from the linker script).
MemRange kernel_image_range();
// Build and load the kernel page tables: the direct map over all of
// [0, top_of_ram) and the kernel image (arch/x86_64/kpagetable.cpp).
// `alloc` returns zeroed pages below the boot map's 1 GiB limit.
void kernel_paging_init(PhysAddr top_of_ram, PhysAddr (*alloc)());
}
