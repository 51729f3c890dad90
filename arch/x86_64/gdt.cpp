// arch/x86_64/gdt.cpp -- segment descriptors and the task-state segment.
//
// In long mode segmentation is nearly gone, but the CPU still needs a GDT:
// code and data descriptors for ring 0 and ring 3 (their order is fixed by
// syscall/sysret, see x86.h), and a TSS, whose only jobs in 64-bit mode are
// the ring-0 stack pointer used when an interrupt arrives from user mode
// (rsp0) and the Interrupt Stack Table: IST1 is a separate stack for double
// faults, so a kernel stack overflow still prints a report instead of
// triple-faulting.
#include "gdt.h"
#include "x86.h"

namespace x86 {

struct [[gnu::packed]] Tss {
    u32 reserved0;
    u64 rsp[3];
    u64 reserved1;
    u64 ist[7];
    u64 reserved2;
    u16 reserved3;
    u16 iomap_base;
};

struct [[gnu::packed]] DescriptorPointer {
    u16 limit;
    u64 base;
};

static u64 s_gdt[8];
static Tss s_tss;
alignas(16) static u8 s_double_fault_stack[8192];

void gdt_init()
{
    s_gdt[0] = 0;
    s_gdt[1] = 0x00af9a000000ffff;  // 0x08 kernel code, 64-bit
    s_gdt[2] = 0x00cf92000000ffff;  // 0x10 kernel data
    s_gdt[3] = 0;                   // 0x18 (sysret base; 32-bit user code unused)
    s_gdt[4] = 0x00cff2000000ffff;  // 0x20 user data, DPL 3
    s_gdt[5] = 0x00affa000000ffff;  // 0x28 user code, 64-bit, DPL 3

    s_tss.iomap_base = sizeof(Tss);
    s_tss.ist[0] = reinterpret_cast<u64>(s_double_fault_stack + sizeof s_double_fault_stack);
    u64 base = reinterpret_cast<u64>(&s_tss);
    u64 limit = sizeof(Tss) - 1;
    s_gdt[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
               (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    s_gdt[7] = base >> 32;

    DescriptorPointer ptr{u16(sizeof s_gdt - 1), reinterpret_cast<u64>(s_gdt)};
    asm volatile("lgdt %0\n"
                 "pushq %1\n"
                 "leaq 1f(%%rip), %%rax\n"
                 "pushq %%rax\n"
                 "lretq\n"
                 "1:\n"
                 "movw %2, %%ax\n"
                 "movw %%ax, %%ds\n"
                 "movw %%ax, %%es\n"
                 "movw %%ax, %%ss\n"
                 :
                 : "m"(ptr), "i"(u64(KERNEL_CS)), "i"(KERNEL_DS)
                 : "rax", "memory");
    asm volatile("ltr %w0" ::"r"(TSS_SEL));
}

void tss_set_kernel_stack(u64 rsp0) { s_tss.rsp[0] = rsp0; }

} // namespace x86
