// arch/x86_64/trap.h -- the saved state of an interrupted context.
#pragma once

#include <kernel/base/lib/types.h>

namespace x86 {

// Pushed by trap_entry.S (general registers, vector, error code) and by the
// CPU (rip .. ss). The order must match trap_common.
struct TrapFrame {
    u64 r15, r14, r13, r12, r11, r10, r9, r8;
    u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
    u64 vector, error_code;
    u64 rip, cs, rflags, rsp, ss;

    bool from_user() const { return (cs & 3) != 0; }
};
static_assert(sizeof(TrapFrame) == 22 * 8);

using IrqHandler = void (*)(TrapFrame& frame);

void idt_init();
// Make `syscall` land in syscall_entry.S (arch/x86_64/usermode.cpp).
void syscall_init();
// Route `vector` (32..255) to `handler`, which runs with interrupts off.
void set_irq_handler(u8 vector, IrqHandler handler);
void dump_trap_frame(const TrapFrame& frame);

constexpr u8 VECTOR_TIMER = 32;
constexpr u8 VECTOR_SPURIOUS = 0xff;

} // namespace x86
