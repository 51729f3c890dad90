#!/bin/bash
# scripts/gdb.sh KERNEL.ELF ISO -- boot under QEMU's gdb stub and stop at kern::kmain.
#
# QEMU starts halted (-S) with its gdb stub on localhost:1234; gdb loads the
# kernel's symbols, sets a *hardware* breakpoint at kern::kmain (a software
# breakpoint set this early would be overwritten when GRUB loads the kernel
# over it) and continues. From there ordinary `break` works.
# gdb must be told the CPU is 64-bit: it attaches while the CPU is still in
# 16/32-bit mode. The kernel's console goes to build/gdb-console.log.
kernel=$1; iso=$2
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/qemu.sh" --gdb "$iso" > build/gdb-console.log 2>&1 &
qemu=$!
trap 'kill $qemu 2>/dev/null' EXIT
cat > build/gdbinit <<GDB
set pagination off
set architecture i386:x86-64
file $kernel
target remote localhost:1234
hbreak kern::kmain
continue
GDB
echo "gdb: stopping at kern::kmain; the console is in build/gdb-console.log (tail -f it)"
gdb -q -x build/gdbinit
