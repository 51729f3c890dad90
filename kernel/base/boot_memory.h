// kernel/base/boot_memory.h -- from the boot loader's memory map to a running page allocator.
#pragma once

#include <kernel/base/lib/types.h>

namespace kern {

// Build the kernel page tables and initialise vm::page_allocator() with every
// usable frame except the kernel image, the loader's data, the boot modules
// and what this function itself used. Prints a one-line summary.
void boot_memory_init();

} // namespace kern
