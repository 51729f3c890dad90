#!/usr/bin/env python3
"""scripts/testlog.py -- the one reader of test console logs: the TEST lines, the failures, the counts.

Every stage of `make test` that boots QEMU ends with a console log, and
every runner asks it the same questions: which cases passed and failed,
which case was running when the kernel panicked, hung or crashed, how many
of each. This module answers them, in one place, so that the runners
(scripts/run-guest-tests.sh, run-crash-tests.sh, run-user-tests.sh,
run-in-guest, run-tty-tests.py and test.sh) only boot and report.

The lines it knows, and who prints them:

    RUN suite.case                     before a case: kernel/base/ktest/ktest.h
    TEST suite.case PASS                 (in-kernel cases) and user/tests/harness.h
    TEST suite.case FAIL file:42 why     (in-guest user programs)
    KTEST DONE passed=N failed=M       the kernel's test run finished (ktest.h)
    run-all: start /test/x_test        user/tests/run-all.sh frames each program
    run-all: end /test/x_test status N
    run-all: start /test/x_test on ffs ... the same on another file system
    run-all: end /test/x_test on ffs status N
    run-all: N programs, M failed...   ... and says it finished
    teachos: init exited with status N kernel/top/main.cpp, when init exits
    ... PANIC: message                 any panic: kernel/base/printk.cpp (panic),
                                       arch/x86_64/trap.cpp (CPU exceptions)
    [       OK ] Suite.name (3 ms)     GoogleTest, for the host unit tests
    [  FAILED  ] Suite.name (3 ms)

A case passes or fails by its own TEST line. A run that ended early (a
panic, a hang, a triple fault, a program that died) fails once more, as the
case that was running: that of the last RUN line, if no TEST line names it.

Bytes, not text. A console log is whatever the guest wrote, and a program
under test may write a NUL or a byte that is not UTF-8 (one did: grep then
called the log binary and a runner misread it). So a log is read as bytes,
CRs are dropped (the serial console sends CR LF), lines are split on LF,
and each line is decoded with Python's "surrogateescape" handler: every
byte survives, and a line is written back byte for byte as it came.

Command line (each prints its lines on stdout; "PASSED FAILED" goes to
--counts; the exit status is 0 if nothing failed):

    testlog.py verdicts [LOG]       the TEST lines of LOG (or stdin, as they come)
    testlog.py ktest LOG --status N --timeout S --filter F --counts FILE
    testlog.py user LOG --status N --stderr FILE --counts FILE
    testlog.py crash NAME LOG --status N [--expect=REGEX...]
    testlog.py gtest LOG --status N --counts FILE
    testlog.py init-status LOG --qemu-status N --timeout S --stuck REGEX

docs/testing.md says how a runner uses it. Python's standard library only.
"""

import argparse
import re
import sys

# ---- reading a log ----------------------------------------------------------


def split_lines(data):
    """Returns the lines of console bytes DATA as text (CRs dropped; any byte kept)."""
    text = data.replace(b"\r", b"").decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_log(path):
    """Returns the lines of the log at PATH (see split_lines)."""
    with open(path, "rb") as f:
        return split_lines(f.read())


def emit(line, stream=None):
    """Writes LINE and a newline, byte for byte as it was read, and flushes."""
    stream = stream or sys.stdout
    stream.flush()
    stream.buffer.write(line.encode("utf-8", "surrogateescape") + b"\n")
    stream.buffer.flush()


def write_counts(path, passed, failed):
    """Writes "PASSED FAILED" to PATH, the file scripts/test.sh adds up."""
    if path:
        with open(path, "w") as f:
            f.write(f"{passed} {failed}\n")


# ---- the lines --------------------------------------------------------------

PASS_RE = re.compile(r"^TEST [^ ]+ PASS")
FAIL_RE = re.compile(r"^TEST [^ ]+ FAIL")


def verdicts(lines):
    """Returns the TEST lines, in order."""
    return [line for line in lines if line.startswith("TEST ")]


def count_verdicts(lines):
    """Returns (passed, failed): the TEST lines that say PASS and FAIL."""
    passed = sum(1 for line in lines if PASS_RE.match(line))
    failed = sum(1 for line in lines if FAIL_RE.match(line))
    return passed, failed


def panic_reason(lines):
    """Returns the first panic's message (the text after "PANIC:"), or None."""
    for line in lines:
        where = line.rfind("PANIC:")
        if where >= 0:
            return line[where + len("PANIC:"):].lstrip(" ")
    return None


def awk_fields(line):
    """Returns LINE split into fields on runs of blanks, as awk does."""
    return [f for f in re.split(r"[ \t]+", line) if f]


def unfinished_case(lines):
    """Returns the case of the last RUN line if no TEST line names it, else None."""
    last_run = None
    for line in lines:
        if line.startswith("RUN "):
            words = line.split(" ")
            last_run = words[1] if len(words) > 1 else ""
    if not last_run:
        return None
    if any(line.startswith(f"TEST {last_run} ") for line in lines):
        return None
    return last_run


# ---- in-kernel tests (scripts/run-guest-tests.sh) ---------------------------


def ktest_failures(lines, status, timeout_s, filter_):
    """Returns the FAIL lines for a ktest boot that did not end well.

    The run ended early if the kernel panicked, QEMU's timeout ended it
    (status 124), or no "KTEST DONE" line came (a triple fault, a reset):
    the case running then fails. A run with no verdict at all means the
    filter matched nothing.
    """
    passed, failed = count_verdicts(lines)
    extra = []
    panic = panic_reason(lines)
    if panic is not None:
        reason = f"kernel panic: {panic}"
    elif status == 124:
        reason = f"hang: no result within {timeout_s}s"
    elif not any(line.startswith("KTEST DONE") for line in lines):
        reason = f"QEMU ended early (exit {status}; triple fault or reset?)"
    else:
        reason = None
    if reason:
        extra.append(f"TEST {unfinished_case(lines) or 'boot'} FAIL {reason}")
    if passed == 0 and failed == 0 and not extra:
        extra.append(f"TEST ktest.filter FAIL no test case matched '{filter_}'")
    return extra


def cmd_ktest(args):
    lines = read_log(args.log)
    extra = ktest_failures(lines, args.status, args.timeout, args.filter)
    for line in verdicts(lines) + extra:
        emit(line)
    passed, failed = count_verdicts(lines)
    failed += len(extra)
    write_counts(args.counts, passed, failed)
    return failed


# ---- in-guest user tests (scripts/run-user-tests.sh) ------------------------


def nonzero_status(word):
    """True if WORD, a status from a run-all line, is not 0 (as awk's st != 0)."""
    try:
        return float(word) != 0
    except ValueError:
        return word != "0"


# A program's frame; the program is a path, and "on TYPE" in the second
# pass over another file system (user/tests/run-all.sh), so it is whatever
# lies between "start"/"end" and " status".
START_RE = re.compile(r"^run-all: start (.+)$")
END_RE = re.compile(r"^run-all: end (.+) status ([^ ]*)$")


def program_case(program):
    """Returns PROGRAM as a case name, one word as a TEST line needs: its path,
    and the file system it ran on after an "@" ("/test/file_test@tmpfs")."""
    words = program.split(" ")
    if len(words) == 3 and words[1] == "on":
        return f"{words[0]}@{words[2]}"
    return program.replace(" ", "_")


def program_failures(lines):
    """Walks the log program by program (run-all's frames).

    Returns (fail lines, unfinished): a FAIL line for each program that
    ended with a non-zero status while a case was running (that case) or
    without any failed case; and, if the log stops inside a program or a
    case (run-all's own steps, such as "tmpfs.mount", are cases outside any
    program), (the program or "", the case running or "").
    """
    extra = []
    program, running, fails = "", "", 0
    for line in lines:
        fields = awk_fields(line)
        field = lambda i: fields[i] if i < len(fields) else ""
        start, end = START_RE.match(line), END_RE.match(line)
        if start:
            program, running, fails = start.group(1), "", 0
        elif line.startswith("RUN "):
            running = field(1)
        elif line.startswith("TEST "):
            if field(1) == running:
                running = ""
            if field(2) == "FAIL":
                fails += 1
        elif end:
            name, st = end.group(1), end.group(2)
            if nonzero_status(st) and running:
                extra.append(f"TEST {running} FAIL {name} ended with status {st} during this case")
            elif nonzero_status(st) and fails == 0:
                extra.append(f"TEST {program_case(name)} FAIL exited with status {st},"
                             " no failed case reported")
            program, running = "", ""
    return extra, ((program, running) if program or running else None)


def user_failures(lines, status, stderr_lines):
    """Returns the FAIL lines of a run-all boot that no case reported.

    The programs' own (program_failures), then the boot's: run-in-guest
    failed (124 timeout, 125 panic or no status line, 2 its own error; its
    reason is its first "run-in-guest:" line on stderr), naming the case or
    program that was running; or run-all never printed its summary.
    """
    extra, unfinished = program_failures(lines)
    reason = ""
    if status in (124, 125, 2):
        for line in stderr_lines:
            if line.startswith("run-in-guest:"):
                reason = re.sub(r"^run-in-guest: ", "", line)
                break
    if reason:
        where = "boot"
        if unfinished:
            program, running = unfinished
            where = running or program_case(program)
            if program:
                reason = f"{reason} (in {program})"
        extra.append(f"TEST {where} FAIL {reason}")
    elif not any(re.match(r"^run-all: [0-9]* programs", line) for line in lines):
        extra.append(f"TEST run-all FAIL no summary line from /test/run-all (its status: {status}):"
                     " it did not finish, or its output was lost")
    return extra


def cmd_user(args):
    lines = read_log(args.log)
    stderr_lines = read_log(args.stderr) if args.stderr else []
    extra = user_failures(lines, args.status, stderr_lines)
    for line in extra:  # the TEST lines themselves were shown as they came
        emit(line)
    passed, failed = count_verdicts(lines)
    failed += len(extra)
    write_counts(args.counts, passed, failed)
    return failed


# ---- crash reports (scripts/run-crash-tests.sh) -----------------------------


def crash_failure(lines, status, patterns):
    """Returns why a crash case failed, or None if its report is complete.

    QEMU must have ended through the panic path (isa-debug-exit status 3:
    exit code 7), and every regular expression must match some line.
    """
    if status != 7:
        return f"QEMU exit status {status}, expected 7 (panic)"
    for pattern in patterns:
        regex = re.compile(pattern)
        if not any(regex.search(line) for line in lines):
            return f"no line matches /{pattern}/"
    return None


def cmd_crash(args):
    why = crash_failure(read_log(args.log), args.status, args.patterns)
    if why is None:
        emit(f"TEST {args.name} PASS")
        return 0
    emit(f"TEST {args.name} FAIL {why} (console in {args.log})")
    return 1


# ---- host unit tests (scripts/test.sh) --------------------------------------

GTEST_OK_RE = re.compile(r"^\[       OK \]")
GTEST_FAILED_RE = re.compile(r"^\[  FAILED  \] [^ ]+\.[^ ]+ \(")


def cmd_gtest(args):
    """Counts GoogleTest's OK and FAILED lines (the per-test ones, with a time).

    A non-zero status with no failed test is a crash or a sanitizer report:
    one failure.
    """
    lines = read_log(args.log)
    passed = sum(1 for line in lines if GTEST_OK_RE.match(line))
    failed = sum(1 for line in lines if GTEST_FAILED_RE.match(line))
    if args.status != 0 and failed == 0:
        emit(f"host: unit_tests exited with status {args.status} (crash or sanitizer report)")
        failed = 1
    write_counts(args.counts, passed, failed)
    return failed


# ---- one command's exit status (scripts/run-in-guest) -----------------------

INIT_EXIT_RE = re.compile(r"^teachos: init exited with status ([0-9]+)$")


def init_status(lines, qemu_status, timeout_s, stuck):
    """Returns (exit code, reason) for a run-in-guest boot; reason "" if none.

    The code is init's status from the kernel's last "init exited" line,
    unless the kernel panicked (125), could not start the script (a STUCK
    line: 125), QEMU timed out (124), or ended without the line (125).
    """
    panic = panic_reason(lines)
    if panic is not None:
        return 125, f"kernel panic: {panic}"
    statuses = [m.group(1) for m in map(INIT_EXIT_RE.match, lines) if m]
    if statuses:
        return int(statuses[-1]), ""
    stuck_re = re.compile(stuck)
    for line in lines:
        if stuck_re.search(line):
            return 125, f"the kernel could not run the command's script: {line}"
    if qemu_status in (124, 137):
        return 124, f"timeout: no result within {timeout_s}s"
    return 125, (f"QEMU ended (exit {qemu_status}) without the line 'teachos: init exited"
                 " with status N' (triple fault, reset, or a kernel without that line)")


def cmd_init_status(args):
    code, reason = init_status(read_log(args.log), args.qemu_status, args.timeout, args.stuck)
    emit(f"{code} {reason}".rstrip())
    return 0


# ---- the TEST lines as they come (scripts/run-user-tests.sh) ----------------


def cmd_verdicts(args):
    """Prints the TEST lines of LOG, or of stdin line by line as they arrive."""
    stream = open(args.log, "rb") if args.log else sys.stdin.buffer
    for raw in stream:
        for line in split_lines(raw):
            if line.startswith("TEST "):
                emit(line)
    return 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("verdicts", help="print the TEST lines")
    p.add_argument("log", nargs="?")
    p.set_defaults(run=cmd_verdicts)

    p = sub.add_parser("ktest", help="an in-kernel test boot")
    p.add_argument("log")
    p.add_argument("--status", type=int, required=True, help="QEMU's exit status")
    p.add_argument("--timeout", required=True, help="the boot's limit in seconds")
    p.add_argument("--filter", default="all", help="the ktest= filter")
    p.add_argument("--counts")
    p.set_defaults(run=cmd_ktest)

    p = sub.add_parser("user", help="a /test/run-all boot")
    p.add_argument("log")
    p.add_argument("--status", type=int, required=True, help="run-in-guest's exit status")
    p.add_argument("--stderr", help="run-in-guest's stderr")
    p.add_argument("--counts")
    p.set_defaults(run=cmd_user)

    p = sub.add_parser("crash", help="one crash-report case")
    p.add_argument("name")
    p.add_argument("log")
    p.add_argument("--status", type=int, required=True, help="QEMU's exit status")
    p.add_argument("--expect", dest="patterns", action="append", default=[], metavar="REGEX",
                   help="a regular expression that must match a line (repeat for more)")
    p.set_defaults(run=cmd_crash)

    p = sub.add_parser("gtest", help="the host unit tests' output")
    p.add_argument("log")
    p.add_argument("--status", type=int, required=True, help="unit_tests' exit status")
    p.add_argument("--counts")
    p.set_defaults(run=cmd_gtest)

    p = sub.add_parser("init-status", help="prints 'CODE REASON' for run-in-guest")
    p.add_argument("log")
    p.add_argument("--qemu-status", type=int, required=True)
    p.add_argument("--timeout", required=True)
    p.add_argument("--stuck", required=True, help="a line after which the kernel idles")
    p.set_defaults(run=cmd_init_status)

    args = parser.parse_args(argv)
    return 1 if args.run(args) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
