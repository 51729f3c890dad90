#!/bin/bash
# scripts/run-crash-tests.sh KERNEL.ELF
#
# The crash_* kernel test cases must bring the kernel down with a full
# report. Each is booted alone ("ktest=SUITE.CASE panic=exit"); the case
# passes if the console shows every pattern listed for it below and QEMU
# ended through the panic path (isa-debug-exit status 3 -> exit code 7);
# scripts/testlog.py reads the console. Prints one TEST line per case;
# writes "PASSED FAILED" to build/test/crash.counts.
set -u
kernel=$1
here=$(cd "$(dirname "$0")" && pwd)
out=${TEST_OUT:-build/test}; mkdir -p "$out"

# case | patterns that must all appear (Python regular expressions, separated by ;;)
CASES=(
  "crash_exception.page_fault_report|PANIC: CPU exception 14 \(page fault\), error code 0x2;;page fault at 0x1000: page not present, write;;rip [0-9a-f]{16};;cr2 0000000000001000;;#[0-9]+ [0-9a-f]{16} write_to_unmapped;;ktest_fn_crash_exception_page_fault_report"
  "crash_panic.kassert_report|PANIC: assertion failed: x == 0 at tests/ktest/kernel/crash_ktest.cpp;;backtrace:;;assert_false"
)

passed=0; failed=0
for entry in "${CASES[@]}"; do
    name=${entry%%|*}; patterns=${entry#*|}
    log=$out/$name.log; iso=$out/crash.iso
    sh "$here/mkiso.sh" "$iso" "$kernel" "ktest=$name panic=exit" || exit 1
    bash "$here/qemu.sh" --timeout 120 "$iso" </dev/null >"$log" 2>&1
    status=$?
    tr -d '\r' < "$log" > "$log.tmp" && mv "$log.tmp" "$log"
    expects=()
    IFS=$'\n' read -r -d '' -a pats < <(echo "$patterns" | sed 's/;;/\n/g'; printf '\0')
    for p in "${pats[@]}"; do expects+=("--expect=$p"); done
    # scripts/testlog.py checks the status and the patterns, and prints the TEST line.
    if python3 "$here/testlog.py" crash "$name" "$log" --status "$status" "${expects[@]}"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
done
echo "$passed $failed" > "$out/crash.counts"
[ $failed -eq 0 ]
