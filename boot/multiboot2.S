/* boot/multiboot2.S -- the multiboot2 header GRUB looks for.
 *
 * It must sit in the first 32 KiB of the image, 8-byte aligned. We ask GRUB
 * for nothing special: the memory map, the command line and the modules come
 * in the boot information structure by default. The kernel is an ELF file, so
 * GRUB takes the load addresses and the entry point from it.
 */
    .section .multiboot2, "a"
    .align 8
mb2_header:
    .long 0xe85250d6                        /* magic */
    .long 0                                 /* architecture: i386 (protected mode) */
    .long mb2_header_end - mb2_header       /* header length */
    .long -(0xe85250d6 + 0 + (mb2_header_end - mb2_header))  /* checksum */
    /* end tag */
    .align 8
    .short 0
    .short 0
    .long 8
mb2_header_end:
