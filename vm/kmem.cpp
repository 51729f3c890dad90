// vm/kmem.cpp -- the kernel map and kmem_alloc (see kmem.h).
#include <arch/pmap.h>
#include <vm/kmem.h>
#include <vm/map.h>

namespace vm {

static VmMap* s_kernel_map;

VmMap& kernel_map()
{
    KASSERT(s_kernel_map);
    return *s_kernel_map;
}

void kmem_init()
{
    s_kernel_map = MUST(VmMap::create(arch::KERNEL_MAP_BASE,
                                      arch::KERNEL_MAP_BASE + arch::KERNEL_MAP_SIZE,
                                      arch::pmap_kernel()));
}

// Each allocation is followed by an unmapped guard page: an overrun faults,
// and neighbouring allocations never merge into one entry, so kmem_free
// never has to split an entry (which could need memory).
static kern::ErrorOr<void*> kmem_alloc(size_t size, u32 flags)
{
    size = align_up(size, PAGE_SIZE);
    if (size == 0)
        return kern::Errno::EINVAL;
    VmMap& map = kernel_map();
    uptr va = TRY(map.map(0, size + PAGE_SIZE, PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE,
                          Inherit::None, nullptr, 0, MAP_PRIVATE));
    auto guard = map.unmap(va + size, PAGE_SIZE);
    if (!guard.is_error() && (flags & MAP_WIRED))
        guard = map.wire(va, size, PROT_READ | PROT_WRITE);
    if (guard.is_error()) {
        MUST(map.unmap(va, size + PAGE_SIZE));  // whole entries: cannot fail
        return guard.error();
    }
    return reinterpret_cast<void*>(va);
}

kern::ErrorOr<void*> kmem_alloc_pageable(size_t size) { return kmem_alloc(size, 0); }
kern::ErrorOr<void*> kmem_alloc_wired(size_t size) { return kmem_alloc(size, MAP_WIRED); }

void kmem_free(void* ptr, size_t size)
{
    // The range is whole entries (see kmem_alloc), so no clip, no failure.
    MUST(kernel_map().unmap(reinterpret_cast<uptr>(ptr), align_up(size, PAGE_SIZE)));
}

} // namespace vm
