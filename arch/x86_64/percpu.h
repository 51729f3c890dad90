// arch/x86_64/percpu.h -- the per-CPU block that %gs points at.
#pragma once

#include <arch/cpu.h>
#include <kernel/base/lib/types.h>

namespace x86 {

struct PerCpu {
    PerCpu* self;          // %gs:0, so a plain pointer to the block is one load
    u32 id;                // arch::cpu_id()
    u32 reserved;
    u64 kernel_rsp;        // top of the running thread's kernel stack (TSS.rsp0, syscall entry)
    u64 user_rsp_scratch;  // syscall entry saves the user rsp here
};

extern PerCpu* g_cpus[arch::MAX_CPUS];
void percpu_init_boot_cpu();

} // namespace x86
