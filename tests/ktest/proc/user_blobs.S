/* tests/ktest/proc/user_blobs.S -- user test programs linked into the kernel.
 *
 * Until the initramfs carries them, the process tests get their programs
 * from here: each built by the Makefile with musl-gcc -static into
 * build/user/tests/, and included byte for byte. */
    .section .rodata
    .balign 16
    .global user_blob_proc_basic, user_blob_proc_basic_end
user_blob_proc_basic:
    .incbin "build/user/tests/proc_basic"
user_blob_proc_basic_end:
    .balign 16
    .global user_blob_proc_segv, user_blob_proc_segv_end
user_blob_proc_segv:
    .incbin "build/user/tests/proc_segv"
user_blob_proc_segv_end:
    .balign 16
    .global user_blob_mem_basic, user_blob_mem_basic_end
user_blob_mem_basic:
    .incbin "build/user/tests/mem_basic"
user_blob_mem_basic_end:
    .balign 16
    .global user_blob_mem_protect, user_blob_mem_protect_end
user_blob_mem_protect:
    .incbin "build/user/tests/mem_protect"
user_blob_mem_protect_end:
