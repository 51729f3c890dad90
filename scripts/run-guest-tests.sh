#!/bin/bash
# scripts/run-guest-tests.sh KERNEL.ELF [FILTER]
#
# Boot the kernel under QEMU with "ktest=FILTER panic=exit" and read its
# console (kernel/base/ktest/ktest.h describes the lines). Prints every TEST line,
# and for a run that did not finish (a panic, a triple fault, a hang until the
# timeout) a FAIL line naming the case that was running. The whole console
# log is kept in build/test/ktest.log (and build/test/failed-ktest.log when
# anything failed). Writes "PASSED FAILED" counts to build/test/ktest.counts.
# Exit status: 0 if every case passed.
set -u
kernel=$1; filter=${2:-all}
here=$(cd "$(dirname "$0")" && pwd)
out=${TEST_OUT:-build/test}; mkdir -p "$out"
log=$out/ktest.log; iso=$out/ktest.iso
timeout_s=${KTEST_TIMEOUT:-600}

# KTEST_INITRAMFS=path: boot with that archive as the "initramfs" module too.
sh "$here/mkiso.sh" "$iso" "$kernel" "ktest=$filter panic=exit" \
    ${KTEST_INITRAMFS:+"$KTEST_INITRAMFS:initramfs"} || exit 1
start=$(date +%s.%N)
bash "$here/qemu.sh" --timeout "$timeout_s" "$iso" </dev/null >"$log" 2>&1
status=$?
end=$(date +%s.%N)
tr -d '\r' < "$log" > "$log.tmp" && mv "$log.tmp" "$log"

grep -E '^TEST ' "$log"
passed=$(grep -cE '^TEST [^ ]+ PASS' "$log")
failed=$(grep -cE '^TEST [^ ]+ FAIL' "$log")

# The case that was running when the run ended abnormally: the last RUN
# without its TEST line.
last_run=$(grep -E '^RUN ' "$log" | tail -1 | cut -d' ' -f2)
unfinished=""
if [ -n "$last_run" ] && ! grep -qE "^TEST $last_run " "$log"; then
    unfinished=$last_run
fi

reason=""
if grep -q 'PANIC:' "$log"; then
    reason="kernel panic: $(grep -m1 'PANIC:' "$log" | sed 's/.*PANIC: //')"
elif [ $status -eq 124 ]; then
    reason="hang: no result within ${timeout_s}s"
elif ! grep -q '^KTEST DONE' "$log"; then
    reason="QEMU ended early (exit $status; triple fault or reset?)"
fi
if [ -n "$reason" ]; then
    echo "TEST ${unfinished:-boot} FAIL $reason"
    failed=$((failed + 1))
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
    echo "TEST ktest.filter FAIL no test case matched '$filter'"
    failed=1
fi
echo "$passed $failed" > "$out/ktest.counts"
printf 'guest: %d passed, %d failed in %.1fs under QEMU (%s)\n' "$passed" "$failed" \
    "$(awk "BEGIN{print $end - $start}")" "$(cat build/.accel 2>/dev/null || echo "${ACCEL:-?}")"
if [ "$failed" -ne 0 ]; then
    cp "$log" "$out/failed-ktest.log"
    echo "guest: console log kept in $out/failed-ktest.log"
    exit 1
fi
exit 0
