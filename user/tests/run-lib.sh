# /test/run-lib -- what the in-guest test scripts share: a program between
# its frame lines, a step reported as a case. Sourced (". /test/run-lib")
# by /test/run-all (user/tests/run-all.sh) and /test/run-swap
# (user/tests/run-swap.sh); scripts/testlog.py reads the lines they print:
#
#   run-all: start /test/misc_test            run_program /test/misc_test
#   run-all: end /test/misc_test status 0
#   RUN tmpfs.mount                           step tmpfs.mount mount ...
#   TEST tmpfs.mount PASS
#
# The counts the caller's summary line reports ("run-all: N programs, M
# failed, K steps failed"): programs run, programs that failed, steps that
# failed.
ran=0
failed=0
steps_failed=0

# run_program PROGRAM [LABEL]: run one test program between the runner's
# start and end lines (LABEL, e.g. "on tmpfs", follows its path there).
run_program()
{
    label=$1${2:+ $2}
    ran=$((ran + 1))
    echo "run-all: start $label"
    "$1"
    status=$?
    echo "run-all: end $label status $status"
    [ "$status" -eq 0 ] || failed=$((failed + 1))
}

# step NAME COMMAND [ARG...]: one step (a mount, a mkswap...), reported as
# a case named NAME ("tmpfs.mount"). Returns the command's status.
step()
{
    name=$1
    shift
    echo "RUN $name"
    "$@"
    status=$?
    if [ "$status" -eq 0 ]; then
        echo "TEST $name PASS"
    else
        echo "TEST $name FAIL '$*' exited with status $status"
        steps_failed=$((steps_failed + 1))
    fi
    return "$status"
}
