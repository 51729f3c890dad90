#!/bin/bash
# scripts/test.sh -- what `make test` runs.
#
# 1. the host unit tests (GoogleTest, ASan/UBSan): every case is printed
#    with GoogleTest's [ RUN ] / [ OK ] / [ FAILED ] lines;
# 2. the in-guest kernel tests under QEMU (scripts/run-guest-tests.sh):
#    one TEST line per case;
# 3. the crash cases (scripts/run-crash-tests.sh): a page fault and a failed
#    KASSERT must each print a full report with a symbolized backtrace.
# The last line is "N passed, N failed" over both; the exit status is
# non-zero on any failure, crash, panic or hang.
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

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
