#!/bin/bash
# scripts/test.sh -- what `make test` runs.
#
# 1. the host unit tests (GoogleTest, ASan/UBSan): every case is printed
#    with GoogleTest's [ RUN ] / [ OK ] / [ FAILED ] lines;
# 2. the source checks: each a script over the tree, one TEST source.NAME
#    line each -- scripts/check-layers.py (no #include against the layers of
#    scripts/layers.conf), scripts/check-doc-refs.py (every file:symbol the
#    book cites exists), and the unit tests of the scripts that read test
#    and benchmark logs (scripts/testlog_test.py, scripts/bench_table_test.py);
# 3. the in-guest kernel tests under QEMU (scripts/run-guest-tests.sh):
#    one TEST line per case;
# 4. the crash cases (scripts/run-crash-tests.sh): a page fault and a failed
#    KASSERT must each print a full report with a symbolized backtrace;
# 5. the user test suites in the guest (scripts/run-user-tests.sh): one boot
#    whose init runs /test/run-all, every build/user/tests/*_test program in
#    turn; one TEST line per case, and a FAIL naming the program and case
#    that crashed, hung or was running at a panic;
# 6. the low-memory swap stage (scripts/run-swap-tests.sh): a boot of its
#    own with MEM=128M and the swap disk, whose script enables swap (a TEST
#    line each for mkswap and swapon) and runs swap_test, which pushes
#    several times the guest's memory through swap; one TEST line per case;
# 7. an interactive session on the console (scripts/run-tty-tests.py): the
#    README's own `make run` boots the normal ISO to the busybox shell, and
#    the script types commands and control keys (erase, ^C, ^D, raw mode,
#    job control...) into it and checks what comes back; one TEST tty.NAME
#    line each.
# Every stage's output is read by scripts/testlog.py, which writes its
# "PASSED FAILED" counts to build/test/STAGE.counts; this script adds them
# up. The last line is "N passed, N failed" over all seven; the exit status
# is non-zero on any failure, crash, panic or hang. Logs: build/test/.
set -u
mkdir -p build/test
total_pass=0; total_fail=0

# source_check NAME SCRIPT: one case of the source checks. The script's
# output goes to build/test/NAME.log and is shown if it fails (it names the
# offending file and line); its last line is the reason on the FAIL line.
source_check()
{
    local name=$1 script=$2 log=build/test/$1.log
    if python3 "$script" > "$log" 2>&1; then
        echo "TEST $name PASS"; sp=$((sp + 1))
    else
        cat "$log"
        echo "TEST $name FAIL $(tail -n 1 "$log") (output in $log)"; sf=$((sf + 1))
    fi
}

echo "== host unit tests"
host_log=build/test/host.log
build/host/unit_tests 2>&1 | tee "$host_log"
host_status=${PIPESTATUS[0]}
echo "0 1" > build/test/host.counts  # until the parser has counted
python3 scripts/testlog.py gtest "$host_log" --status "$host_status" \
    --counts build/test/host.counts
read -r hp hf < build/test/host.counts
total_pass=$((total_pass + hp)); total_fail=$((total_fail + hf))

echo "== source checks"
sp=0; sf=0
source_check source.layers scripts/check-layers.py
[ -f scripts/check-doc-refs.py ] && source_check source.doc_refs scripts/check-doc-refs.py
source_check source.testlog scripts/testlog_test.py
source_check source.bench_table scripts/bench_table_test.py
source_check source.bench_report scripts/bench_report_test.py
total_pass=$((total_pass + sp)); total_fail=$((total_fail + sf))

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

# Skipped when KTEST names one kernel suite, or USER_TESTS names suites
# without swap_test.
if [ "${KTEST:-all}" = all ] && { [ -z "${USER_TESTS:-}" ] || [[ " $USER_TESTS " == *" swap_test "* ]]; }; then
    echo "== low-memory swap tests"
    bash scripts/run-swap-tests.sh
    read -r wp wf < build/test/swap.counts
    total_pass=$((total_pass + wp)); total_fail=$((total_fail + wf))
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
