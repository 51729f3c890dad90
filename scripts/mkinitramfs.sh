#!/bin/sh
# scripts/mkinitramfs.sh OUT.cpio [HOSTFILE:GUESTPATH ...]
#
# Build the initial RAM file system: write a spec (the format is in
# tools/mkcpio/mkcpio.cpp) to OUT.cpio.spec, then run build/tools/mkcpio on
# it; the generated /etc files and /init are kept in OUT.cpio.files/. No root
# privileges are needed: owners, modes and device nodes are just words in
# the spec. The tree:
#
#   /bin/busybox          Debian's busybox-static ($BUSYBOX, default /bin/busybox)
#   /bin, /sbin, /usr/bin, /usr/sbin
#                         a symlink to /bin/busybox per applet, where
#                         `busybox --list-full` puts it (as `busybox --install -s`)
#   /dev                  console (c 5 1), tty (c 5 0), ttyS0 (c 4 64), null (c 1 3),
#                         zero (c 1 5), full (c 1 7), random (c 1 8), urandom (c 1 9)
#   /etc                  passwd, group, hostname, profile
#   /init                 a shell script that starts /bin/sh (the kernel runs it)
#   /root /tmp /proc /sys empty directories
#   extra files           each HOSTFILE:GUESTPATH argument (mode 0755 if the host
#                         file is executable, else 0644; parents made 0755)
#
# The output is deterministic (mtime 0, or $SOURCE_DATE_EPOCH). Environment:
# MKCPIO (default build/tools/mkcpio), BUSYBOX. See docs/initramfs.md.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 OUT.cpio [HOSTFILE:GUESTPATH ...]" >&2; exit 2; }
out=$1; shift
mkcpio=${MKCPIO:-build/tools/mkcpio}
busybox=${BUSYBOX:-/bin/busybox}
spec=$out.spec
# The small generated files live beside the spec, so `mkcpio SPEC OUT` can be rerun.
files=$out.files
rm -rf "$files" && mkdir -p "$files"

[ -x "$busybox" ] || { echo "$0: no $busybox (apt-get install busybox-static)" >&2; exit 1; }
"$busybox" --list-full >"$files/applets" || { echo "$0: $busybox --list-full failed" >&2; exit 1; }

# The small text files of /etc and /init.
echo 'root:x:0:0:root:/root:/bin/sh' >"$files/passwd"
echo 'root:x:0:' >"$files/group"
echo 'teachos' >"$files/hostname"
cat >"$files/profile" <<'EOF'
# /etc/profile -- read by login shells (sh -l).
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export HOME=/root
PS1='teachos:$PWD# '
EOF
cat >"$files/init" <<'EOF'
#!/bin/sh
# /init -- the first user program: the kernel runs it as process 1.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root
# Swap: every disk whose first page holds a swap header (scripts/qemu.sh
# writes one on its scratch disk, vda) becomes swap; swapon refuses the
# others (EINVAL), and touches nothing on them.
for disk in /dev/vd?; do
    [ -b "$disk" ] && swapon "$disk" 2>/dev/null && echo "teachos: swap on $disk"
done
echo "teachos: /init from the initramfs, starting /bin/sh"
exec /bin/sh -l
EOF

# Directories already in the spec, so extra files' parents are added once.
dirs=" / "
add_dir() {  # add_dir PATH: PATH and its missing parents, mode 0755
    case "$dirs" in *" $1 "*) return ;; esac
    add_dir "$(dirname "$1")"
    echo "dir $1 0755"
    dirs="$dirs$1 "
}

{
    echo "# $spec -- made by scripts/mkinitramfs.sh; the format: tools/mkcpio/mkcpio.cpp"
    for d in /bin /sbin /usr /usr/bin /usr/sbin /etc /root /tmp /proc /sys /dev; do
        add_dir "$d"
    done
    echo "nod /dev/console 0600 c 5 1"
    echo "nod /dev/tty 0666 c 5 0"
    echo "nod /dev/null 0666 c 1 3"
    echo "nod /dev/zero 0666 c 1 5"
    echo "nod /dev/ttyS0 0600 c 4 64"
    echo "nod /dev/full 0666 c 1 7"
    echo "nod /dev/random 0666 c 1 8"
    echo "nod /dev/urandom 0666 c 1 9"
    echo "file /etc/passwd $files/passwd 0644"
    echo "file /etc/group $files/group 0644"
    echo "file /etc/hostname $files/hostname 0644"
    echo "file /etc/profile $files/profile 0644"
    echo "file /init $files/init 0755"
    echo "file /bin/busybox $busybox 0755"
    # One symlink per applet; busybox itself and linuxrc are not applets to link.
    grep -vxE 'bin/busybox|linuxrc' "$files/applets" | while read -r applet; do
        echo "slink /$applet /bin/busybox"
    done
    for extra in "$@"; do
        host=${extra%%:*}; guest=${extra#*:}
        case "$extra" in
            *:/*) ;;
            *) echo "$0: '$extra' is not HOSTFILE:/GUESTPATH" >&2; exit 1 ;;
        esac
        [ -f "$host" ] || { echo "$0: no file '$host'" >&2; exit 1; }
        add_dir "$(dirname "$guest")"
        if [ -x "$host" ]; then mode=0755; else mode=0644; fi
        echo "file $guest $host $mode"
    done
} >"$spec"

"$mkcpio" "$spec" "$out"