// arch/x86_64/cpu.cpp -- arch/cpu.h on x86-64, and per-CPU data via %gs.
//
// Each CPU has a PerCpu block; its address is in GS_BASE, so `%gs:offset`
// reads this CPU's fields without knowing which CPU we are on. cpu_id()
// is one such read. While only the boot CPU runs there is one block, but
// nothing assumes it.
#include "percpu.h"
#include "x86.h"
#include <arch/cpu.h>
#include <arch/debug.h>

namespace x86 {

static PerCpu s_boot_cpu;
PerCpu* g_cpus[arch::MAX_CPUS];

void percpu_init_boot_cpu()
{
    s_boot_cpu.self = &s_boot_cpu;
    s_boot_cpu.id = 0;
    g_cpus[0] = &s_boot_cpu;
    wrmsr(MSR_GS_BASE, reinterpret_cast<u64>(&s_boot_cpu));
    wrmsr(MSR_KERNEL_GS_BASE, 0);
}

} // namespace x86

namespace arch {

IrqState irq_save()
{
    u64 flags = x86::read_rflags();
    asm volatile("cli" ::: "memory");
    return flags & x86::RFLAGS_IF;
}

void irq_restore(IrqState state)
{
    if (state)
        asm volatile("sti" ::: "memory");
}

void irq_enable() { asm volatile("sti" ::: "memory"); }
void irq_disable() { asm volatile("cli" ::: "memory"); }
bool irq_enabled() { return (x86::read_rflags() & x86::RFLAGS_IF) != 0; }
void cpu_relax() { asm volatile("pause"); }

unsigned cpu_id()
{
    u32 id;
    asm volatile("movl %%gs:%c1, %0" : "=r"(id) : "i"(offsetof(x86::PerCpu, id)));
    return id;
}

void halt_forever()
{
    for (;;)
        asm volatile("cli; hlt");
}

void wait_for_interrupt() { asm volatile("sti; hlt" ::: "memory"); }

void system_exit(int status)
{
    // isa-debug-exit at port 0xf4 (scripts/qemu.sh adds the device).
    x86::outl(0xf4, u32(status));
    halt_forever();
}

} // namespace arch
