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
# "run-all: end PROGRAM status N". This script prints the TEST lines as they
# come, then adds one FAIL line for each thing that went wrong outside a
# case's own verdict:
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
# deleted test is not run).
adds=()
for bin in build/user/tests/*_test; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin")
    [ -f "user/tests/$name.c" ] || continue
    if [ -n "${USER_TESTS:-}" ] && ! [[ " $USER_TESTS " == *" $name "* ]]; then
        continue
    fi
    adds+=(--add "$bin:/test/$name")
done
if [ ${#adds[@]} -eq 0 ]; then
    echo "user: no test programs (build/user/tests/*_test)"
    echo "0 0" > "$out/user.counts"
    exit 0
fi

start=$(date +%s.%N)
bash "$here/run-in-guest" --no-build --timeout "$timeout_s" "${adds[@]}" \
    --add user/tests/run-all.sh:/test/run-all -- /test/run-all 2>"$err" |
    tee "$log" | grep --line-buffered -E '^TEST '
status=${PIPESTATUS[0]}
end=$(date +%s.%N)

passed=$(grep -cE '^TEST [^ ]+ PASS' "$log")
failed=$(grep -cE '^TEST [^ ]+ FAIL' "$log")

# Failures no case reported: walk the log program by program.
extra=$(awk '
    /^run-all: start / { program = $3; running = ""; fails = 0; next }
    /^RUN / { running = $2; next }
    /^TEST / { if ($2 == running) running = ""; if ($3 == "FAIL") fails++; next }
    /^run-all: end / {
        name = $3; st = $5
        if (st != 0 && running != "")
            printf "TEST %s FAIL %s ended with status %s during this case\n", running, name, st
        else if (st != 0 && fails == 0)
            printf "TEST %s FAIL exited with status %s, no failed case reported\n", name, st
        program = ""; running = ""
        next
    }
    END { if (program != "") printf "UNFINISHED %s %s\n", program, running }
' "$log")
unfinished=$(echo "$extra" | grep '^UNFINISHED' | head -1)
extra=$(echo "$extra" | grep '^TEST ')
if [ -n "$extra" ]; then
    echo "$extra"
    failed=$((failed + $(echo "$extra" | wc -l)))
fi

# The boot: run-in-guest's own failures are 124 (timeout) and 125 (panic,
# no status line), with the reason on stderr.
reason=""
if [ "$status" -eq 124 ] || [ "$status" -eq 125 ] || [ "$status" -eq 2 ]; then
    reason=$(grep -m1 '^run-in-guest:' "$err" | sed 's/^run-in-guest: //')
fi
if [ -n "$reason" ]; then
    where=boot
    if [ -n "$unfinished" ]; then
        set -- $unfinished
        where=${3:-$2}   # the case running, else the program
        reason="$reason (in $2)"
    fi
    echo "TEST $where FAIL $reason"
    failed=$((failed + 1))
elif ! grep -q '^run-all: [0-9]* programs' "$log"; then
    echo "TEST run-all FAIL no summary line from /test/run-all (its status: $status): it did not finish, or its output was lost"
    failed=$((failed + 1))
fi

echo "$passed $failed" > "$out/user.counts"
printf 'user: %d passed, %d failed in %.1fs under QEMU (%s)\n' "$passed" "$failed" \
    "$(awk "BEGIN{print $end - $start}")" "$(cat build/.accel 2>/dev/null || echo "${ACCEL:-?}")"
if [ "$failed" -ne 0 ]; then
    cp "$log" "$out/failed-user.log"
    echo "user: console log kept in $out/failed-user.log"
    exit 1
fi
exit 0
