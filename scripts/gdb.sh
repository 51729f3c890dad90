#!/bin/bash
# scripts/gdb.sh KERNEL.ELF ISO -- boot halted under QEMU's gdb stub and attach gdb.
# QEMU waits at the first instruction; in gdb: `break kern::kmain`, `continue`.
# The kernel's console goes to build/gdb-console.log (tail -f it in another terminal).
kernel=$1; iso=$2
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/qemu.sh" --gdb "$iso" > build/gdb-console.log 2>&1 &
qemu=$!
trap 'kill $qemu 2>/dev/null' EXIT
cat > build/gdbinit <<GDB
set pagination off
file $kernel
target remote localhost:1234
GDB
echo "gdb: console in build/gdb-console.log"
gdb -q -x build/gdbinit
