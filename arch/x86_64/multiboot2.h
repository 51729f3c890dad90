// arch/x86_64/multiboot2.h -- see multiboot2.cpp.
#pragma once

#include <arch/boot_info.h>

namespace x86 {
// Copy what we need from the multiboot2 block at `info_phys` into arch::boot_info().
void multiboot2_parse(PhysAddr info_phys);
}
