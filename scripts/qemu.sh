#!/bin/bash
# scripts/qemu.sh [--interactive] [--gdb] [--timeout SECONDS] ISO [QEMU ARGS...]
#
# Boot ISO under qemu-system-x86_64 with the serial console on stdio and the
# isa-debug-exit device (the guest ends QEMU with a status: QEMU's exit code
# is (status << 1) | 1). Exit codes: QEMU's, or 124 on timeout.
#
# Acceleration: ACCEL=kvm or ACCEL=tcg forces one. Otherwise KVM is used only
# if a short probe shows that it really runs a guest (on some machines
# /dev/kvm exists but KVM hangs or crawls), else TCG. The probe boots a
# 512-byte boot sector that writes to isa-debug-exit, under KVM and under
# TCG (see probe_kvm); the answer is cached in build/.accel (delete it to
# probe again).
# Memory: MEM (default 1G). -no-reboot turns a triple fault into an exit.
#
# Disks (virtio-blk, fs/block/virtio_blk.h; the guest names them in this
# order: vda, vdb):
#   vda, the swap disk, always, unless SWAP_DISK=none: by default a sparse
#     file of SWAP_DISK_SIZE (default 2G) private to this QEMU -- made as
#     build/swap.XXXXXX.img, opened on a file descriptor QEMU inherits and
#     unlinked at once, so it costs no disk space until written, is gone
#     when QEMU exits however it exits, and QEMUs running side by side
#     (make test's stages, several worktrees, bench boots) never share one.
#     SWAP_DISK=PATH uses that image instead, and keeps what is written.
#     The private disk carries a swap header (the host's mkswap), which
#     the guest's /init finds: `make run` boots with 2 GiB of swap on.
#     The private disk is cache=unsafe: QEMU never flushes it to the host
#     disk. (The guest driver does not negotiate a write cache, so QEMU
#     otherwise writes a disk through -- an fdatasync per request, ~10x
#     slower -- which a kept image wants and a scratch one does not.)
#   vdb, a data disk, only if asked: DATA_DISK=PATH (an existing image,
#     kept), or DATA_DISK_SIZE=64M (build/data.img, made sparse if missing,
#     kept between boots). A kept image is one QEMU's at a time: QEMU locks
#     it, and a second QEMU on the same image stops with "Failed to get
#     write lock" instead of corrupting it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
interactive=0; gdb=0; timeout_s=0
while [ $# -gt 0 ]; do
    case $1 in
        --interactive) interactive=1; shift ;;
        --gdb) gdb=1; shift ;;
        --timeout) timeout_s=$2; shift 2 ;;
        *) break ;;
    esac
done
iso=$1; shift

# One probe boot with accelerator $1: => its wall time in milliseconds on
# stdout, status 0 if the boot sector ran to its isa-debug-exit.
probe_boot() {
    local img start status
    img=$(mktemp); trap 'rm -f "$img"' RETURN
    # mov al, 0x2a; out 0xf4, al; hlt  -> QEMU exits with (0x2a << 1) | 1 = 85
    { printf '\xb0\x2a\xe6\xf4\xf4'; head -c 505 /dev/zero; printf '\x55\xaa'; } > "$img"
    start=$(date +%s%N)
    timeout 5 qemu-system-x86_64 -accel "$1" -display none -nodefaults -no-reboot \
        -drive "file=$img,format=raw,if=floppy" -device isa-debug-exit,iobase=0xf4,iosize=4 \
        >/dev/null 2>&1
    status=$?
    echo $(( ($(date +%s%N) - start) / 1000000 ))
    [ $status -eq 85 ]
}

# KVM is used only if it boots the probe, and about as fast as TCG does.
# Both matter: on this project's machines KVM sometimes hangs, and sometimes
# boots the 512-byte probe -- in 3 s where TCG takes 0.2 s -- and then runs
# the kernel a hundred times slower than TCG (it spends its time in the
# host kernel). A working KVM boots the probe in about TCG's time.
probe_kvm() {
    [ -w /dev/kvm ] || return 1
    local kvm_ms tcg_ms
    kvm_ms=$(probe_boot kvm) || return 1
    tcg_ms=$(probe_boot tcg) || return 0  # no TCG to compare with: trust KVM
    [ "$kvm_ms" -le $((2 * tcg_ms + 300)) ]
}

accel=${ACCEL:-}
if [ -z "$accel" ]; then
    cache="$here/../build/.accel"
    if [ -f "$cache" ]; then
        accel=$(cat "$cache")
    else
        if probe_kvm; then accel=kvm; else accel=tcg; fi
        mkdir -p "$(dirname "$cache")" && echo "$accel" > "$cache"
    fi
fi
case $accel in
    kvm) cpu=host ;;
    tcg) cpu=max ;;
    *) echo "qemu.sh: ACCEL must be kvm or tcg, not '$accel'" >&2; exit 2 ;;
esac

args=(-accel "$accel" -cpu "$cpu" -m "${MEM:-1G}" -smp 1 -display none -no-reboot
      -device isa-debug-exit,iobase=0xf4,iosize=0x04 -cdrom "$iso" -boot d)

# disk ID FILE [OPTIONS]: attach FILE as a virtio-blk disk (the next vdX).
disk() {
    args+=(-drive "file=$2,format=raw,if=none,id=$1${3:+,$3}" -device "virtio-blk-pci,drive=$1")
}
build="$here/../build"
if [ "${SWAP_DISK:-}" = none ]; then
    :
elif [ -n "${SWAP_DISK:-}" ]; then
    disk swap "$SWAP_DISK"
else
    mkdir -p "$build"
    swap_img=$(mktemp "$build/swap.XXXXXX.img") || exit 2
    if ! truncate -s "${SWAP_DISK_SIZE:-2G}" "$swap_img"; then
        rm -f "$swap_img"; echo "qemu.sh: bad SWAP_DISK_SIZE '${SWAP_DISK_SIZE:-}'" >&2; exit 2
    fi
    # The Linux swap header (util-linux's mkswap, as in the guest), so that
    # the guest's /init can simply `swapon` it; only page 0 is written.
    PATH=$PATH:/sbin:/usr/sbin mkswap -q "$swap_img" >/dev/null 2>&1 || true
    exec {swap_fd}<>"$swap_img"  # QEMU inherits the descriptor ...
    rm -f "$swap_img"             # ... and the file lives as long as it is open
    disk swap "/proc/self/fd/$swap_fd" cache=unsafe  # scratch: no host flushes
fi
if [ -n "${DATA_DISK:-}" ]; then
    disk data "$DATA_DISK"
elif [ -n "${DATA_DISK_SIZE:-}" ]; then
    mkdir -p "$build"
    [ -e "$build/data.img" ] || truncate -s "$DATA_DISK_SIZE" "$build/data.img" || exit 2
    disk data "$build/data.img"
fi
if [ $interactive = 1 ]; then
    args+=(-serial mon:stdio)
    echo "qemu: $accel, ${MEM:-1G}; Ctrl-A X quits, Ctrl-A C for the QEMU monitor" >&2
else
    args+=(-serial stdio -monitor none)
fi
[ $gdb = 1 ] && args+=(-s -S)

if [ "$timeout_s" != 0 ]; then
    exec timeout --foreground -k 5 "$timeout_s" qemu-system-x86_64 "${args[@]}" "$@"
fi
exec qemu-system-x86_64 "${args[@]}" "$@"
