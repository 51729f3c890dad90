#!/bin/sh
# /test/run-swap -- the low-memory swap boot's script: enable swap, run /test/swap_test.
#
# scripts/run-swap-tests.sh boots a guest with little memory (MEM=128M) and
# the swap disk scripts/qemu.sh attaches (/dev/vda, a sparse file of
# SWAP_DISK_SIZE) with this script as its command. It writes a swap header
# and enables the disk, each a case of its own ("TEST swap.mkswap PASS"),
# then runs the suite, framed with the lines run-all.sh prints so that
# scripts/testlog.py reads this log as it reads run-all's:
#
#   RUN swap.mkswap
#   TEST swap.mkswap PASS
#   run-all: start /test/swap_test
#   ...
#   run-all: end /test/swap_test status 0
#   run-all: 1 programs, 0 failed, 0 steps failed
#
# The suite runs even if a step failed: its argument checks still say
# something, and its other cases fail with "no swap" rather than vanish
# from the counts. Exit status: 0 if the steps and the suite passed.
. /test/run-lib  # run_program, step and their counts (user/tests/run-lib.sh)

if step swap.mkswap mkswap /dev/vda; then
    step swap.swapon swapon /dev/vda
else
    echo "RUN swap.swapon"
    echo "TEST swap.swapon FAIL not run: mkswap /dev/vda failed"
    steps_failed=$((steps_failed + 1))
fi

run_program /test/swap_test

echo "run-all: $ran programs, $failed failed, $steps_failed steps failed"
[ "$failed" -eq 0 ] && [ "$steps_failed" -eq 0 ]
