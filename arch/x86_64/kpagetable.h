// arch/x86_64/kpagetable.h -- the kernel's own page tables (kpagetable.cpp).
#pragma once

#include <kernel/base/lib/types.h>

namespace x86 {

// Kernel virtual layout (docs/memory-layout.md).
constexpr uptr DIRECT_MAP_BASE = 0xffff800000000000ull;
constexpr uptr KERNEL_VMA = 0xffffffff80000000ull;

// Page-table entry bits.
constexpr u64 PTE_P = 1ull << 0;
constexpr u64 PTE_W = 1ull << 1;
constexpr u64 PTE_U = 1ull << 2;
constexpr u64 PTE_PWT = 1ull << 3;
constexpr u64 PTE_PCD = 1ull << 4;
constexpr u64 PTE_A = 1ull << 5;
constexpr u64 PTE_D = 1ull << 6;
constexpr u64 PTE_PS = 1ull << 7;
constexpr u64 PTE_G = 1ull << 8;
constexpr u64 PTE_NX = 1ull << 63;
constexpr u64 PTE_ADDR = 0x000ffffffffff000ull;

// A source of zeroed page-table pages while the page allocator does not exist.
using EarlyPageAlloc = PhysAddr (*)();

// Build page tables mapping the direct map over [0, max(top_of_ram, 4 GiB))
// and the kernel image with per-section permissions (text RX, rodata R,
// data RW; NX where the CPU has it), switch to them, and drop the boot
// identity map. Returns the physical address of the new PML4.
PhysAddr kpagetable_init(PhysAddr top_of_ram, EarlyPageAlloc alloc);

// The kernel PML4 (its upper half is shared by every address space).
PhysAddr kernel_pml4();
bool cpu_has_nx();

} // namespace x86
