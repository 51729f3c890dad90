#!/bin/bash
# scripts/run-user-tests.sh -- the in-guest user test suites: one boot runs them all.
#
# The programs are build/user/tests/*_test (user/tests/*_test.c, written with
# user/tests/harness.h; the Makefile builds them). They go into the guest's
# /test/ with /test/run-all (user/tests/run-all.sh), and scripts/run-in-guest
# boots a kernel whose init runs /test/run-all. Every program prints
#
#   RUN misc.uname_fills_fields
#   TEST misc.uname_fills_fields PASS
#   TEST misc.uname_bad_pointer FAIL misc_test.c:88 expected EFAULT, got 0
#
# and run-all frames each program with "run-all: start PROGRAM" and
# "run-all: end PROGRAM status N" ("PROGRAM on TYPE" in its second pass,
# which runs the file-system suites again on a fresh mount of another file
# system: "TEST tmpfs.file.open_errors PASS"; docs/testing.md). This script
# prints the TEST lines as they come, then adds one FAIL line for each thing that went wrong outside a
# case's own verdict (scripts/testlog.py reads the log):
#   - a program that ended with a non-zero status (a crash, a signal) while
#     a case was running: that case, named by its RUN line without a TEST
#     line;
#   - a program that exited non-zero without reporting any failed case;
#   - the boot itself: a kernel panic, the timeout (USER_TEST_TIMEOUT,
#     default 600 s), or no "init exited" line: the program and case that
#     were running.
# The console log is kept in build/test/user.log (and failed-user.log when
# anything failed); "PASSED FAILED" goes to build/test/user.counts.
# Exit status: 0 if every case passed.
#
# Environment: USER_TESTS (program names, e.g. "misc_test"; default all),
# USER_TEST_TIMEOUT, and scripts/qemu.sh's ACCEL and MEM.
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=${TEST_OUT:-build/test}; mkdir -p "$out"
log=$out/user.log; err=$out/user.stderr
timeout_s=${USER_TEST_TIMEOUT:-600}

# The programs: built ones whose source still exists (a stale binary from a
# deleted test is not run), except those that need a boot of their own
# (the Makefile's OWN_BOOT_TESTS): swap_test runs in scripts/run-swap-tests.sh.
own_boot=" swap_test "
adds=()
for bin in build/user/tests/*_test; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    [ -f "user/tests/$name.c" ] || continue
    [[ "$own_boot" == *" $name "* ]] && continue
    if [ -n "${USER_TESTS:-}" ] && ! [[ " $USER_TESTS " == *" $name "* ]]; then
        continue
    fi
    adds+=(--add "$bin:/test/$name")
done
# The FFS tools as /sbin/NAME, as the initramfs of make run has them: the
# suites that make or check images run them (ffs_mount_test runs newfs).
tools=()
for tool in build/user/tools/newfs build/user/tools/fsck_ffs build/user/tools/dumpfs build/user/tools/mount_mfs; do
    [ -x "$tool" ] && tools+=(--add "$tool:/sbin/$(basename "$tool")")
done
if [ ${#adds[@]} -eq 0 ]; then
    echo "user: no test programs (build/user/tests/*_test)"
    echo "0 0" > "$out/user.counts"
    exit 0
fi
# The TEST lines are shown as they come (scripts/testlog.py verdicts); the
# log is read whole at the end for what no case reported. Until the counts
# are written, the stage has failed.
echo "0 1" > "$out/user.counts"
start=$(date +%s.%N)
# md0=16M: a RAM disk for the suites that need a block device (blockdev_test),
# and for run-all's second pass on ffs (ample: the suites' files are a few
# pages each, and each suite removes its own).
bash "$here/run-in-guest" --no-build --timeout "$timeout_s" --cmdline "md0=16M" "${adds[@]}" \
    "${tools[@]+"${tools[@]}"}" \
    --add user/tests/run-all.sh:/test/run-all --add user/tests/run-lib.sh:/test/run-lib \
    -- /test/run-all 2>"$err" |
    tee "$log" | python3 "$here/testlog.py" verdicts
status=${PIPESTATUS[0]}
end=$(date +%s.%N)

# The failures no case reported: a program that died (the case running),
# or exited non-zero on its own; the boot (run-in-guest's 124 timeout, 125
# panic or no status line, 2 usage or build -- the reason is on its
# stderr: the program and case running); no summary line from run-all.
python3 "$here/testlog.py" user "$log" --status "$status" --stderr "$err" \
    --counts "$out/user.counts"
read -r passed failed < "$out/user.counts"

printf 'user: %d passed, %d failed in %.1fs under QEMU (%s)\n' "$passed" "$failed" \
    "$(awk "BEGIN{print $end - $start}")" "$(cat build/.accel 2>/dev/null || echo "${ACCEL:-?}")"
if [ "$failed" -ne 0 ]; then
    cp "$log" "$out/failed-user.log"
    echo "user: console log kept in $out/failed-user.log"
    exit 1
fi
exit 0
