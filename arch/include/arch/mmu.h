// arch/include/arch/mmu.h -- the direct map: physical <-> kernel virtual.
//
// The kernel maps all physical memory at one fixed offset, the direct map
// (docs/memory-layout.md), so a physical address is turned into a pointer by
// adding g_direct_map_base. The host test build points g_direct_map_base at a
// host buffer, which lets the page allocator and the heap run under GoogleTest.
#pragma once

#include <kernel/base/lib/types.h>

namespace arch {

extern uptr g_direct_map_base;

inline void* phys_to_virt(PhysAddr pa) { return reinterpret_cast<void*>(g_direct_map_base + pa); }

// => `va` is inside the direct map.
inline PhysAddr direct_map_to_phys(const void* va)
{
    return reinterpret_cast<uptr>(va) - g_direct_map_base;
}

} // namespace arch
