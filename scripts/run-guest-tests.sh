#!/bin/bash
# scripts/run-guest-tests.sh KERNEL.ELF [FILTER]
#
# Boot the kernel under QEMU with "ktest=FILTER panic=exit" and read its
# console with scripts/testlog.py (kernel/base/ktest/ktest.h describes the
# lines). Prints every TEST line, and for a run that did not finish (a
# panic, a triple fault, a hang until the timeout) a FAIL line naming the
# case that was running. The whole console
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

# The TEST lines, and a FAIL line for a run that ended early: the case whose
# RUN line has no TEST line (scripts/testlog.py reads the log). Until it
# has written the counts, the stage has failed.
echo "0 1" > "$out/ktest.counts"
python3 "$here/testlog.py" ktest "$log" --status "$status" --timeout "$timeout_s" \
    --filter "$filter" --counts "$out/ktest.counts"
read -r passed failed < "$out/ktest.counts"
printf 'guest: %d passed, %d failed in %.1fs under QEMU (%s)\n' "$passed" "$failed" \
    "$(awk "BEGIN{print $end - $start}")" "$(cat build/.accel 2>/dev/null || echo "${ACCEL:-?}")"
if [ "$failed" -ne 0 ]; then
    cp "$log" "$out/failed-ktest.log"
    echo "guest: console log kept in $out/failed-ktest.log"
    exit 1
fi
exit 0
