// arch/x86_64/kpagetable.cpp -- the kernel half of the address space.
//
// boot/boot.S maps only the first 1 GiB (three times). Here, once the memory
// map is known, we build the tables the kernel keeps:
//   - the direct map: all physical memory (and the 3-4 GiB device hole, for
//     the local APIC) at DIRECT_MAP_BASE, with 2 MiB pages, writable, never
//     executable, uncached in the device hole;
//   - the kernel image at KERNEL_VMA + physical, with 4 KiB pages so each
//     section gets its own rights: .text read+execute, .rodata read-only,
//     .data/.bss read+write. A stray write into code or a jump into data
//     faults at once instead of corrupting quietly.
// The tables come from an early bump allocator (kernel/base/boot_memory.cpp)
// because the page allocator is set up after this, inside the direct map.
// Per-process page tables (arch/x86_64/pmap.cpp, a later chapter) copy the
// upper-half PML4 entries, so these mappings are shared by every process.
#include "kpagetable.h"
#include "x86.h"
#include <arch/boot_info.h>
#include <arch/mmu.h>
#include <kernel/base/lib/assert.h>

extern "C" const char _kernel_start[], _text_end[], _rodata_end[], _kernel_end[];

namespace arch {
uptr g_direct_map_base = x86::DIRECT_MAP_BASE;
}

namespace x86 {

static PhysAddr s_kernel_pml4;
static bool s_nx;

bool cpu_has_nx() { return s_nx; }
PhysAddr kernel_pml4() { return s_kernel_pml4; }

static u64* table_at(PhysAddr pa) { return static_cast<u64*>(arch::phys_to_virt(pa)); }

// The entry of `table` at `index`, creating the next-level table if absent.
static u64* next_table(u64* table, size_t index, EarlyPageAlloc alloc)
{
    if (!(table[index] & PTE_P))
        table[index] = alloc() | PTE_P | PTE_W;
    return table_at(table[index] & PTE_ADDR);
}

static void map_2m(u64* pml4, uptr va, PhysAddr pa, u64 flags, EarlyPageAlloc alloc)
{
    u64* pdpt = next_table(pml4, (va >> 39) & 511, alloc);
    u64* pd = next_table(pdpt, (va >> 30) & 511, alloc);
    pd[(va >> 21) & 511] = pa | flags | PTE_PS | PTE_P;
}

static void map_4k(u64* pml4, uptr va, PhysAddr pa, u64 flags, EarlyPageAlloc alloc)
{
    u64* pdpt = next_table(pml4, (va >> 39) & 511, alloc);
    u64* pd = next_table(pdpt, (va >> 30) & 511, alloc);
    u64* pt = next_table(pd, (va >> 21) & 511, alloc);
    pt[(va >> 12) & 511] = pa | flags | PTE_P;
}

PhysAddr kpagetable_init(PhysAddr top_of_ram, EarlyPageAlloc alloc)
{
    s_nx = (cpuid(0x80000000).eax >= 0x80000001) && (cpuid(0x80000001).edx & (1u << 20));
    const u64 nx = s_nx ? PTE_NX : 0;

    s_kernel_pml4 = alloc();
    u64* pml4 = table_at(s_kernel_pml4);

    constexpr u64 TWO_MB = 2ull << 20;
    constexpr u64 FOUR_GB = 4ull << 30;
    PhysAddr top = align_up(max(top_of_ram, FOUR_GB), TWO_MB);
    for (PhysAddr pa = 0; pa < top; pa += TWO_MB) {
        u64 flags = PTE_W | PTE_G | nx;
        if (pa >= (3ull << 30) && pa < FOUR_GB)
            flags |= PTE_PCD | PTE_PWT;  // device memory (local APIC, ...)
        map_2m(pml4, DIRECT_MAP_BASE + pa, pa, flags, alloc);
    }

    // The kernel image: .text up to _text_end is executable; the rest of the
    // image (.rodata .. .bss, .ksyms) is not. .rodata is read-only.
    uptr text_end = align_up(uptr(_text_end), PAGE_SIZE);
    uptr data_start = align_up(uptr(_rodata_end), PAGE_SIZE);
    for (uptr va = uptr(_kernel_start); va < uptr(_kernel_end); va += PAGE_SIZE) {
        u64 flags = PTE_G;
        if (va >= text_end)
            flags |= nx;
        if (va >= data_start)
            flags |= PTE_W;
        map_4k(pml4, va, va - KERNEL_VMA, flags, alloc);
    }

    write_cr4(read_cr4() | (1u << 7));  // PGE: global pages survive CR3 reloads
    write_cr3(s_kernel_pml4);
    return s_kernel_pml4;
}

} // namespace x86

namespace arch {

MemRange kernel_image_range()
{
    return {uptr(_kernel_start) - x86::KERNEL_VMA, uptr(_kernel_end) - x86::KERNEL_VMA};
}

void kernel_paging_init(PhysAddr top_of_ram, PhysAddr (*alloc)())
{
    x86::kpagetable_init(top_of_ram, alloc);
}

} // namespace arch
