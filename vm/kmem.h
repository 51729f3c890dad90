// vm/kmem.h -- kernel virtual memory: pageable and wired allocations.
//
// The heap (kmalloc) hands out direct-mapped memory: physically contiguous,
// always resident. For large kernel buffers that need neither, the kernel
// map (vm::kernel_map(), the range arch::KERNEL_MAP_BASE ..) gives virtual
// ranges backed like user memory: zero-fill anonymous entries whose pages are
// faulted in when first touched (pageable) or at once and pinned (wired).
// All address spaces share the kernel map's page tables (arch/x86_64/pmap.cpp
// pre-creates its top-level entry), so a kernel address is valid whichever
// process runs.
//
// A pageable allocation may fault: touch it only where a fault may sleep
// (thread context, no SpinLock held). Wired memory never faults.
#pragma once

#include <kernel/base/lib/error_or.h>

namespace vm {

// Set up the kernel map. => called once at boot, after the heap.
void kmem_init();

// `size` bytes (rounded up to pages) of zeroed kernel memory. Errors: ENOMEM.
kern::ErrorOr<void*> kmem_alloc_pageable(size_t size);
kern::ErrorOr<void*> kmem_alloc_wired(size_t size);
// Free what kmem_alloc_* returned (the same size).
void kmem_free(void* ptr, size_t size);

} // namespace vm
