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

u64 cpu_hwcap() { return x86::cpuid(1).edx; }

u64 random_u64()
{
    if (x86::cpuid(1).ecx & (1u << 30)) {  // RDRAND
        for (int tries = 0; tries < 10; ++tries) {
            u64 v;
            unsigned char ok;
            asm volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
            if (ok)
                return v;
        }
    }
    // splitmix64 over the time-stamp counter.
    static u64 state;
    u64 z = (state += 0x9e3779b97f4a7c15ull + x86::rdtsc());
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void system_exit(int status)
{
    // isa-debug-exit at port 0xf4 (scripts/qemu.sh adds the device).
    x86::outl(0xf4, u32(status));
    halt_forever();
}

void system_reset()
{
    // The 8042 keyboard controller's "pulse output line 0" command resets
    // the CPU (Linux arch/x86/kernel/reboot.c, BOOT_KBD): wait until its
    // input buffer is empty (status bit 1), then send 0xfe to port 0x64.
    asm volatile("cli");
    for (int i = 0; i < 100000 && (x86::inb(0x64) & 0x02); ++i)
        asm volatile("pause");
    x86::outb(0x64, 0xfe);
    for (int i = 0; i < 1000000; ++i)
        asm volatile("pause");
    // Still here: load an empty IDT and trap, a triple fault (BOOT_TRIPLE).
    struct [[gnu::packed]] {
        u16 limit;
        u64 base;
    } empty = {0, 0};
    asm volatile("lidt %0; int3" ::"m"(empty));
    halt_forever();
}

} // namespace arch
