#!/bin/bash
# scripts/run-swap-tests.sh -- the low-memory swap stage: one boot with little memory and a swap disk.
#
# The page daemon and swap (docs/pageout.md) show only when memory runs
# out, so this stage boots a guest of its own: MEM=128M (SWAP_MEM), with
# the swap disk scripts/qemu.sh attaches as /dev/vda (a sparse file of
# SWAP_DISK_SIZE, default 2G). Its init is /test/run-swap
# (user/tests/run-swap.sh): `mkswap /dev/vda` and `swapon /dev/vda`, a
# TEST line each, then /test/swap_test (user/tests/swap_test.c), whose
# cases push several times the guest's memory through swap. The ordinary
# user-test boot (scripts/run-user-tests.sh) leaves swap_test out: it has
# 1G and no swap disk.
#
# Output as run-user-tests.sh's: the TEST lines as they come, then one FAIL
# line for each thing that went wrong outside a case's own verdict (a
# crash, a panic, the timeout), from scripts/testlog.py. The console log is
# kept in build/test/swap.log (and failed-swap.log when anything failed);
# "PASSED FAILED" goes to build/test/swap.counts.
# Exit status: 0 if every case passed.
#
# Environment: SWAP_MEM (default 128M), SWAP_DISK_SIZE (scripts/qemu.sh's),
# SWAP_TEST_TIMEOUT (the boot's, default 1200 s; each case has 300 s of
# its own), ACCEL. Run it alone after `make && make user`:
#     bash scripts/run-swap-tests.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=${TEST_OUT:-build/test}; mkdir -p "$out"
log=$out/swap.log; err=$out/swap.stderr
timeout_s=${SWAP_TEST_TIMEOUT:-1200}
export MEM=${SWAP_MEM:-128M}

# Until the counts are written, the stage has failed.
echo "0 1" > "$out/swap.counts"
if [ ! -x build/user/tests/swap_test ]; then
    echo "TEST swap.build FAIL no build/user/tests/swap_test (make user)"
    exit 1
fi
start=$(date +%s.%N)
bash "$here/run-in-guest" --no-build --timeout "$timeout_s" \
    --add build/user/tests/swap_test:/test/swap_test \
    --add user/tests/run-swap.sh:/test/run-swap --add user/tests/run-lib.sh:/test/run-lib \
    --add build/user/tools/mount_mfs:/sbin/mount_mfs \
    -- /test/run-swap 2>"$err" |
    tee "$log" | python3 "$here/testlog.py" verdicts
status=${PIPESTATUS[0]}
end=$(date +%s.%N)

# What no case reported (testlog.py user: a program that died, the boot's
# timeout or panic, no summary line).
python3 "$here/testlog.py" user "$log" --status "$status" --stderr "$err" \
    --counts "$out/swap.counts"
read -r passed failed < "$out/swap.counts"

printf 'swap: %d passed, %d failed in %.1fs under QEMU (%s, MEM=%s)\n' "$passed" "$failed" \
    "$(awk "BEGIN{print $end - $start}")" "$(cat build/.accel 2>/dev/null || echo "${ACCEL:-?}")" "$MEM"
if [ "$failed" -ne 0 ]; then
    cp "$log" "$out/failed-swap.log"
    echo "swap: console log kept in $out/failed-swap.log"
    exit 1
fi
exit 0
