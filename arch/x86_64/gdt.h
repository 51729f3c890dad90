// arch/x86_64/gdt.h -- GDT and TSS set-up (gdt.cpp).
#pragma once

#include <kernel/base/lib/types.h>

namespace x86 {
void gdt_init();
// The stack the CPU switches to on an interrupt from user mode.
void tss_set_kernel_stack(u64 rsp0);
// IST index of the double-fault stack.
constexpr u8 IST_DOUBLE_FAULT = 1;
}
