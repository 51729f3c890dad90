#!/bin/bash
# scripts/test.sh -- what `make test` runs.
#
# 1. the host unit tests (GoogleTest, ASan/UBSan): every case is printed
#    with GoogleTest's [ RUN ] / [ OK ] / [ FAILED ] lines;
# 2. the in-guest kernel tests under QEMU (scripts/run-guest-tests.sh):
#    one TEST line per case;
# 3. the crash cases (scripts/run-crash-tests.sh): a page fault and a failed
#    KASSERT must each print a full report with a symbolized backtrace;
# 4. the user test suites in the guest (scripts/run-user-tests.sh): one boot
#    whose init runs /test/run-all, every build/user/tests/*_test program in
#    turn; one TEST line per case, and a FAIL naming the program and case
#    that crashed, hung or was running at a panic;
# 5. an interactive session on the console (scripts/run-tty-tests.py): the
#    normal ISO boots to the busybox shell, and the script types commands
#    and control keys (erase, ^C, ^D, raw mode, job control...) into the
#    serial line and checks what comes back; one TEST tty.NAME line each.
# The last line is "N passed, N failed" over all five; the exit status is
# non-zero on any failure, crash, panic or hang. Logs: build/test/.
set -u
mkdir -p build/test
total_pass=0; total_fail=0

echo "== host unit tests"
host_log=build/test/host.log
build/host/unit_tests 2>&1 | tee "$host_log"
host_status=${PIPESTATUS[0]}
hp=$(grep -E '^\[       OK \]' "$host_log" | wc -l)
hf=$(grep -E '^\[  FAILED  \] [^ ]+\.[^ ]+ \(' "$host_log" | wc -l)
if [ "$host_status" -ne 0 ] && [ "$hf" -eq 0 ]; then
    echo "host: unit_tests exited with status $host_status (crash or sanitizer report)"
    hf=1
fi
total_pass=$((total_pass + hp)); total_fail=$((total_fail + hf))

echo "== in-guest kernel tests"
KTEST_INITRAMFS=${KTEST_INITRAMFS-build/initramfs.cpio} \
    bash scripts/run-guest-tests.sh build/kernel.elf "${KTEST:-all}"
read -r gp gf < build/test/ktest.counts
total_pass=$((total_pass + gp)); total_fail=$((total_fail + gf))

echo "== kernel crash reports"
bash scripts/run-crash-tests.sh build/kernel.elf
read -r cp cf < build/test/crash.counts
total_pass=$((total_pass + cp)); total_fail=$((total_fail + cf))

# KTEST=suite asks for one kernel suite: skip the user suites then, unless
# USER_TESTS names some too.
if [ "${KTEST:-all}" = all ] || [ -n "${USER_TESTS:-}" ]; then
    echo "== in-guest user tests"
    bash scripts/run-user-tests.sh
    read -r up uf < build/test/user.counts
    total_pass=$((total_pass + up)); total_fail=$((total_fail + uf))
fi

# Skipped when KTEST names one kernel suite.
if [ "${KTEST:-all}" = all ]; then
    echo "== interactive console session"
    python3 scripts/run-tty-tests.py
    read -r tp tf < build/test/tty.counts
    total_pass=$((total_pass + tp)); total_fail=$((total_fail + tf))
fi

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
