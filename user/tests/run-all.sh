#!/bin/sh
# /test/run-all -- run every in-guest test program, /test/*_test, one after the other;
# then the file-system suites twice more: on a fresh FFS (on /dev/md0) and on
# a fresh MFS (FFS in a mount_mfs process's memory).
#
# The initramfs carries it (the Makefile installs user/tests/run-all.sh as
# /test/run-all); `make test` boots with it as the command of
# scripts/run-in-guest, and scripts/test.sh reads the console. Each program
# is a suite written with user/tests/harness.h: it prints "RUN suite.case"
# and "TEST suite.case PASS|FAIL ..." lines and exits 0 if every case passed.
# Around each program this script prints the two lines the runner
# (scripts/testlog.py) splits the log on; a program of a later pass is
# named with the file system it ran on:
#
#   run-all: start /test/misc_test
#   run-all: end /test/misc_test status 0
#   run-all: start /test/file_test on ffs
#   run-all: end /test/file_test on ffs status 0
#
# Each later pass (run_on_mount TYPE) makes /mnt/TYPE, puts a new file
# system of that type there, and runs the suites of MOUNT_SUITES with
# TEST_DIR=/mnt/TYPE (where they make their files) and TEST_FS=TYPE (the
# prefix of their names: "TEST ffs.file.write_then_read PASS"); then it
# unmounts, and for ffs checks the image with fsck_ffs. Each of these steps
# is a case of its own, "TEST TYPE.mount PASS" and so on, so that a mount
# that fails is a failure in the counts, not a pass that silently ran
# nothing. See docs/testing.md ("Running a suite on another file system").
#
# Nothing else runs beside a program: its leak check compares free memory
# before and after its cases, and any other process starting or ending in
# between would move the count. (So no watchdog here -- busybox timeout,
# for one, leaves a polling process behind that ends during the next
# program. A hung case is ended by the harness's alarm; a hung program by
# the runner's timeout, which names it.)
# Exit status: 0 if every program and every step passed.
# Run it by hand from the guest shell too:  /test/run-all
. /test/run-lib  # run_program, step and their counts (user/tests/run-lib.sh)

# The suites that run a second time, on another file system: those about
# files, names and file-backed memory. They take their directory from
# TEST_DIR.
MOUNT_SUITES="file_test fileattr_test path_test mmap_test msync_test fifo_test rlimit_test
              badargs_file_test badargs_path_test"

# prepare TYPE DIR: a new, empty file system of TYPE mounted on DIR.
prepare()
{
    case $1 in
        ffs) step ffs.newfs /sbin/newfs /dev/md0 &&
             step ffs.mount mount -t ffs /dev/md0 "$2" ;;
        # MFS: the server's region gets its amaps one 1 MiB chunk at a time,
        # when a block in the chunk is first written (vm/fault.cpp:
        # AMAP_CHUNK_PAGES); that is the server's memory growing, not a leak,
        # but a suite that happened to write the first block of a chunk
        # would see free memory down by an amap's few KiB. Filling the file
        # system once (then removing the file) makes every chunk's amap
        # before the first suite's leak check.
        mfs) step mfs.mount /sbin/mount_mfs -s 24m "$2" &&
             step mfs.warm_up sh -c "dd if=/dev/zero of='$2/.warm' bs=64k 2>/dev/null; rm -f '$2/.warm' && sync" ;;
        *) step "$1.mount" mount -t "$1" none "$2" ;;
    esac
}

# run_on_mount TYPE: the second pass (see the top of the file).
run_on_mount()
{
    fs=$1
    dir=/mnt/$fs
    mkdir -p "$dir"
    prepare "$fs" "$dir" || return
    export TEST_DIR="$dir" TEST_FS="$fs"
    for suite in $MOUNT_SUITES; do
        [ -x "/test/$suite" ] || continue
        run_program "/test/$suite" "on $fs"
    done
    unset TEST_DIR TEST_FS
    unmounted=0
    step "$fs.umount" umount "$dir" && unmounted=1
    [ "$fs" = ffs ] || return
    if [ "$unmounted" -eq 1 ]; then
        step ffs.fsck_after_suites /sbin/fsck_ffs -n /dev/md0
    else
        echo "RUN ffs.fsck_after_suites"
        echo "TEST ffs.fsck_after_suites FAIL not run: /dev/md0 is still mounted"
        steps_failed=$((steps_failed + 1))
    fi
}

for program in /test/*_test; do
    [ -x "$program" ] || continue
    run_program "$program"
done

# The file systems of the second and third passes: FFS on the RAM disk
# /dev/md0, then MFS (FFS in the memory of a mount_mfs process, which
# serves it until the umount: docs/mfs.md).
run_on_mount ffs
run_on_mount mfs

echo "run-all: $ran programs, $failed failed, $steps_failed steps failed"
[ "$failed" -eq 0 ] && [ "$steps_failed" -eq 0 ]
