#!/bin/sh
# scripts/gen-ksyms.sh KERNEL.ELF > ksyms.S
# The kernel's text symbols, sorted by address, as an assembly table for
# kernel/base/ksyms.cpp. With no argument, an empty table (for the first link).
set -e
echo '    .section .ksyms, "a"'
echo '    .balign 8'
echo '    .globl ksyms_count, ksyms_addrs, ksyms_name_offsets, ksyms_names'
if [ -z "$1" ]; then
    printf 'ksyms_count: .quad 0\nksyms_addrs:\nksyms_name_offsets:\nksyms_names: .byte 0\n'
    exit 0
fi
NM=${NM:-nm}
$NM -n -C --defined-only "$1" | awk '
    $2 ~ /^[tTwW]$/ {
        addr = $1; name = $3; for (i = 4; i <= NF; i++) name = name " " $i
        gsub(/\\/, "\\\\", name); gsub(/"/, "\\\"", name)
        n++; addrs[n] = addr; names[n] = name
    }
    END {
        printf "ksyms_count: .quad %d\n", n
        print "ksyms_addrs:"
        for (i = 1; i <= n; i++) printf "    .quad 0x%s\n", addrs[i]
        print "ksyms_name_offsets:"
        off = 0
        for (i = 1; i <= n; i++) { printf "    .long %d\n", off; off += length(names[i]) + 1 }
        print "ksyms_names:"
        for (i = 1; i <= n; i++) printf "    .asciz \"%s\"\n", names[i]
    }'
