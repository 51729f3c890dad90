#!/bin/sh
# scripts/mkiso.sh ISO KERNEL.ELF "COMMAND LINE" [MODULE[:NAME]]...
# A bootable ISO: GRUB 2 (BIOS) loading KERNEL.ELF with multiboot2, the given
# kernel command line and modules (e.g. the initramfs). GRUB stays silent on
# the serial line, so the console shows only the kernel.
set -e
iso=$1; kernel=$2; cmdline=$3; shift 3
dir=$(mktemp -d "${TMPDIR:-/tmp}/teachos-iso.XXXXXX")
# The log lives outside the ISO's source tree: xorriso would notice it grow.
log=$(mktemp "${TMPDIR:-/tmp}/teachos-iso-log.XXXXXX")
trap 'rm -rf "$dir" "$log"' EXIT
mkdir -p "$dir/boot/grub"
cp "$kernel" "$dir/boot/kernel.elf"
{
    echo 'set timeout=0'
    echo 'set default=0'
    echo 'menuentry "teachos" {'
    echo "    multiboot2 /boot/kernel.elf $cmdline"
    for m in "$@"; do
        path=${m%%:*}; name=${m#*:}
        [ "$name" = "$m" ] && name=$(basename "$path")
        cp "$path" "$dir/boot/$(basename "$path")"
        echo "    module2 /boot/$(basename "$path") $name"
    done
    echo '    boot'
    echo '}'
} > "$dir/boot/grub/grub.cfg"
grub-mkrescue -o "$iso" "$dir" >/dev/null 2>"$log" || { cat "$log" >&2; exit 1; }
