#!/bin/sh
# /test/run-all -- run every in-guest test program, /test/*_test, one after the other.
#
# The initramfs carries it (the Makefile installs user/tests/run-all.sh as
# /test/run-all); `make test` boots with it as the command of
# scripts/run-in-guest, and scripts/test.sh reads the console. Each program
# is a suite written with user/tests/harness.h: it prints "RUN suite.case"
# and "TEST suite.case PASS|FAIL ..." lines and exits 0 if every case passed.
# Around each program this script prints the two lines the runner splits
# the log on:
#
#   run-all: start /test/misc_test
#   run-all: end /test/misc_test status 0
#
# Nothing else runs beside a program: its leak check compares free memory
# before and after its cases, and any other process starting or ending in
# between would move the count. (So no watchdog here -- busybox timeout,
# for one, leaves a polling process behind that ends during the next
# program. A hung case is ended by the harness's alarm; a hung program by
# the runner's timeout, which names it.)
# Exit status: 0 if every program exited 0.
# Run it by hand from the guest shell too:  /test/run-all
failed=0
ran=0
for program in /test/*_test; do
    [ -x "$program" ] || continue
    ran=$((ran + 1))
    echo "run-all: start $program"
    "$program"
    status=$?
    echo "run-all: end $program status $status"
    [ "$status" -eq 0 ] || failed=$((failed + 1))
done
echo "run-all: $ran programs, $failed failed"
[ "$failed" -eq 0 ]
