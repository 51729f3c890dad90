// arch/x86_64/percpu.h -- the per-CPU block that %gs points at.
//
// Each CPU has one PerCpu; GS_BASE holds its address (arch/x86_64/cpu.cpp),
// so C++ reads a field with one `%gs:offset` load (cpu_id) and the
// `syscall` entry, which has no stack yet, finds the thread's kernel stack
// there (arch/x86_64/syscall_entry.S). The assembly cannot see the struct,
// so the offsets it uses are named here, as #defines both languages read
// (this header is included by syscall_entry.S too, where only the
// #defines are visible), and the static_asserts below tie each name to
// its field: moving a field without its offset no longer compiles.
#pragma once

#define PERCPU_SELF 0               // PerCpu::self
#define PERCPU_KERNEL_RSP 16        // PerCpu::kernel_rsp
#define PERCPU_USER_RSP_SCRATCH 24  // PerCpu::user_rsp_scratch

#ifndef __ASSEMBLER__

#include <arch/cpu.h>
#include <kernel/base/lib/types.h>
#include <stddef.h>

namespace x86 {

struct PerCpu {
    PerCpu* self;          // %gs:0, so a plain pointer to the block is one load
    u32 id;                // arch::cpu_id()
    u32 reserved;
    u64 kernel_rsp;        // top of the running thread's kernel stack (TSS.rsp0, syscall entry)
    u64 user_rsp_scratch;  // syscall entry saves the user rsp here
};

static_assert(offsetof(PerCpu, self) == PERCPU_SELF);
static_assert(offsetof(PerCpu, kernel_rsp) == PERCPU_KERNEL_RSP);
static_assert(offsetof(PerCpu, user_rsp_scratch) == PERCPU_USER_RSP_SCRATCH);

extern PerCpu* g_cpus[arch::MAX_CPUS];
void percpu_init_boot_cpu();

} // namespace x86

#endif // __ASSEMBLER__
