/* boot/boot.S -- from GRUB's 32-bit protected mode to the kernel's C++ entry.
 *
 * GRUB (multiboot2) jumps to _start with paging off, %eax = 0x36d76289 and
 * %ebx = the physical address of the boot information. We:
 *   1. check the magic and that the CPU has long mode;
 *   2. build boot page tables that map the first 1 GiB of physical memory
 *      three times with 2 MiB pages: identity (so this code keeps running
 *      when paging starts), at the direct-map base 0xffff800000000000, and at
 *      the kernel base 0xffffffff80000000 (where the kernel is linked);
 *   3. enable PAE, long mode (EFER.LME) and no-execute (EFER.NXE), then paging;
 *   4. far-jump into 64-bit code, move to the higher half and call
 *      kmain_entry(multiboot_info_phys).
 * kernel/top/main.cpp replaces these tables with ones that map all of memory and
 * drop the identity map (arch/x86_64/kpagetable.cpp).
 *
 * Everything here runs before paging, at physical addresses: symbols are
 * linked at KERNEL_VMA + physical, so the code subtracts KERNEL_VMA.
 * See docs/boot.md.
 */
#define KERNEL_VMA 0xffffffff80000000
#define PHYS(x) ((x) - KERNEL_VMA)

    .section .boot.text, "ax"
    .code32
    .global _start
_start:
    cli
    cld
    mov $PHYS(boot_stack_top), %esp
    cmp $0x36d76289, %eax
    jne .Lno_multiboot
    mov %ebx, %edi                       /* kept until kmain_entry */

    /* Long mode available? CPUID 0x80000001 EDX bit 29. */
    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb .Lno_long_mode
    mov $0x80000001, %eax
    cpuid
    test $(1 << 29), %edx
    jz .Lno_long_mode
    mov %edx, %esi                       /* bit 20: NX */

    /* The page directory: 512 x 2 MiB = the first 1 GiB. */
    mov $PHYS(boot_pd), %ebx
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax                       /* present | writable | 2 MiB page */
    mov %eax, (%ebx, %ecx, 8)
    movl $0, 4(%ebx, %ecx, 8)
    inc %ecx
    cmp $512, %ecx
    jne 1b

    mov $PHYS(boot_pd), %eax
    or $3, %eax
    mov %eax, PHYS(boot_pdpt_low)                 /* 0 .. 1 GiB */
    mov %eax, PHYS(boot_pdpt_high) + 510 * 8      /* -2 GiB .. -1 GiB */
    mov $PHYS(boot_pdpt_low), %eax
    or $3, %eax
    mov %eax, PHYS(boot_pml4)                     /* identity */
    mov %eax, PHYS(boot_pml4) + 256 * 8           /* direct map */
    mov $PHYS(boot_pdpt_high), %eax
    or $3, %eax
    mov %eax, PHYS(boot_pml4) + 511 * 8           /* kernel image */

    mov %cr4, %eax
    or $(1 << 5), %eax                   /* PAE */
    mov %eax, %cr4
    mov $PHYS(boot_pml4), %eax
    mov %eax, %cr3

    mov $0xc0000080, %ecx                /* EFER */
    rdmsr
    or $(1 << 8), %eax                   /* LME */
    test $(1 << 20), %esi
    jz 2f
    or $(1 << 11), %eax                  /* NXE */
2:  wrmsr

    mov %cr0, %eax
    or $0x80010001, %eax                 /* PG | WP | PE */
    mov %eax, %cr0

    lgdt PHYS(boot_gdt_ptr)
    ljmp $0x08, $PHYS(.Llong_mode)

.Lno_multiboot:
    mov $PHYS(msg_no_multiboot), %esi
    jmp .Lfail
.Lno_long_mode:
    mov $PHYS(msg_no_long_mode), %esi
.Lfail:
    /* Print the message on COM1 (no initialisation needed under QEMU). */
    lodsb
    test %al, %al
    jz 3f
    mov $0x3f8, %dx
    out %al, %dx
    jmp .Lfail
3:  hlt
    jmp 3b

    .code64
.Llong_mode:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %ax, %ax
    mov %ax, %fs
    mov %ax, %gs
    movabs $.Lhigher_half, %rax
    jmp *%rax
.Lhigher_half:
    movabs $boot_stack_top, %rsp
    xor %ebp, %ebp
    mov %edi, %edi                       /* zero-extend the boot info address */
    call kmain_entry
4:  cli
    hlt
    jmp 4b

    .section .rodata
msg_no_multiboot:
    .asciz "PANIC: not started by a multiboot2 loader\r\n"
msg_no_long_mode:
    .asciz "PANIC: this CPU has no 64-bit long mode\r\n"

    .align 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff             /* 0x08: 64-bit kernel code */
    .quad 0x00cf92000000ffff             /* 0x10: kernel data */
boot_gdt_end:
boot_gdt_ptr:
    .short boot_gdt_end - boot_gdt - 1
    .long PHYS(boot_gdt)

    .section .boot.bss, "aw", @nobits
    .align 4096
    .global boot_pml4
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4096
    .global boot_stack_top
boot_stack:     .skip 16384
boot_stack_top:
