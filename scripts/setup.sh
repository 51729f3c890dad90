#!/bin/sh
# scripts/setup.sh -- make sure the tools the build needs are installed.
#
# Called by the Makefile before every build. Checks each tool; if some are
# missing it installs their Debian packages when run as root (apt-get), and
# otherwise stops with one line naming what to install. The build itself
# never downloads anything.
set -e

# tool-to-check  debian-package
NEEDED="
g++:g++
make:make
qemu-system-x86_64:qemu-system-x86
grub-mkrescue:grub-common
/usr/lib/grub/i386-pc/multiboot2.mod:grub-pc-bin
xorriso:xorriso
mformat:mtools
x86_64-linux-gnu-ld:binutils-x86-64-linux-gnu
/usr/include/gtest/gtest.h:libgtest-dev
/usr/lib/x86_64-linux-gnu/libgtest.a:libgtest-dev
musl-gcc:musl-tools
/bin/busybox:busybox-static
cpio:cpio
gdb:gdb
python3:python3
/usr/lib/python3/dist-packages/pexpect/__init__.py:python3-pexpect
gnuplot:gnuplot-nox
"

missing=""
for item in $NEEDED; do
    tool=${item%%:*}
    pkg=${item#*:}
    case $tool in
        /*) [ -e "$tool" ] && continue ;;
        *) command -v "$tool" >/dev/null 2>&1 && continue ;;
    esac
    case " $missing " in *" $pkg "*) ;; *) missing="$missing $pkg" ;; esac
done


[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
    exit 0
fi
echo "setup: missing tools; as root run: apt-get install$missing" >&2
exit 1
