#!/usr/bin/env python3
"""scripts/run-tty-tests.py -- an interactive session on the serial console, typed as a user would.

Boots the system the way the README tells a newcomer to, `make run`, on a
pseudo-terminal (pexpect): QEMU's serial console is then this script's
terminal, exactly as it is a person's. /init starts the busybox shell on
it, and the script plays the user: it types a command, waits for its
echo, presses Enter (a CR, as a terminal sends), waits for the prompt to
come back, then looks for the expected lines in what was printed since.
Each check prints one line:

    TEST tty.pipe PASS
    TEST tty.ctrl_c FAIL timeout: no prompt after ^C (sleep 100 still running?) within 10s

The checks, in the order typed (the names are the TEST lines'):
    prompt          the shell's prompt appears; `cd /tmp`
    file            echo hi > f; cat f
    ls_l            ls -l shows f with its mode, owner and size
    files           mkdir, cp, mv, ls, cat, rm, rmdir
    dd              dd if=/dev/zero of=z bs=1k count=4; wc -c z says 4096
    pipe            echo abc | tr a-z A-Z; yes | head (yes ends by SIGPIPE)
    ps              ps (reading /proc) lists the shell and itself
    redirect        >, >>, < and 2> (the error goes to the file, not the screen)
    script          a #!/bin/sh script typed into `cat > s.sh` (ended by ^D), run by path
    erase           the kernel's canonical mode (`head` reading): DEL and ^H
                    erase a character, ^U the line
    erase_prompt    the same DEL at the shell's prompt (busybox's own line editing)
    ctrl_c          ^C ends a foreground `sleep 100` at once; $? is 130
    ctrl_backslash  ^\\ ends it with SIGQUIT: "Quit", $? is 131
    ctrl_z          ^Z stops it ("Stopped"), bg continues it, kill ends it
    ctrl_d          ^D at the empty prompt of a nested sh ends that shell
    jobs            sleep 100 &; jobs; kill %1; wait says 143 (SIGTERM)
    bg_read         cat &: its read of the terminal stops it with SIGTTIN
                    ("Stopped (tty input)"); fg: typed input reaches cat, ^D ends it
    tostop          stty sane &: a background change of the terminal stops
                    with SIGTTOU; after stty tostop a background echo stops
                    too, and prints once fg brings it back; without TOSTOP it
                    prints
    hangup          a session leader (setsid -c sh -c ..., owning the terminal)
                    exits: its foreground group gets SIGHUP (a trap shows it)
    segv            a program that writes to address 0x10 is killed: the shell
                    says "Segmentation fault", $? is 139, and goes on
    raw             stty raw -echo: a reader gets CR and ^C as plain bytes
    exit            exit: the kernel prints "teachos: init exited with status 0"
                    and `make run` ends without an error

Add a check: write a function `check_NAME(console)` below, in the place it
should run, and mark it @check; it fails by raising CheckFailed (every
Console method that waits does, naming what it waited for). Its TEST line
is tty.NAME.

Typing. The kernel polls the UART at each timer tick (100 Hz) and the UART
holds 16 bytes; QEMU holds back input the UART cannot take, so bytes are
not lost, but we still type in chunks of 8 with a short pause, and wait
for the echo of each line before pressing Enter, as a careful typist would.
Keys meant for a program (rather than the shell) are sent only after the
program has printed a marker ("go"): the shell switches the terminal out of
its own line-editing mode before running the command line, and the marker
proves it has. `make run` gives QEMU the terminal with "-serial mon:stdio",
which puts it in raw mode with its signals off: ^C, ^Z and ^\\ reach the
guest as bytes, and only Ctrl-A (never typed here) is QEMU's.

Time: a step waits at most TTY_STEP_TIMEOUT seconds (default 10; the boot
60), and the whole session is bounded by TTY_TEST_TIMEOUT (default 180),
counted from `make run`. A step that times out fails, naming what it waited
for; the script then sends ^C and Enter and waits for the prompt; if the
shell does not come back, the remaining checks fail as "not run". A kernel
panic or QEMU ending early fails the step running. The limits are generous
because the machines running `make test` are often loaded, and QEMU then
runs the guest (TCG) many times slower; a passing run never waits for them.

Outputs: the console log (CRs removed) in build/test/tty.log (and
failed-tty.log when something failed), "PASSED FAILED" in
build/test/tty.counts. Exit status: 0 if all passed.
Environment: TTY_TEST_TIMEOUT, TTY_STEP_TIMEOUT, TEST_OUT, and `make run`'s
ACCEL and MEM (passed on to scripts/qemu.sh through the environment, as
when a person types `make run ACCEL=tcg`).

Needs pexpect (Debian's python3-pexpect; scripts/setup.sh installs it).
Read more: docs/testing.md, docs/terminal.md; pexpect's documentation.
"""

import base64
import os
import re
import signal
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import testlog  # noqa: E402 (scripts/testlog.py, beside this file)

OUT = os.environ.get("TEST_OUT", "build/test")
COUNTS = os.path.join(OUT, "tty.counts")

try:
    import pexpect
except ImportError:
    # Debian's python3-pexpect is installed for Debian's python3; a python3
    # of one's own (first on PATH) may not see it: try Debian's.
    debian = "/usr/bin/python3"
    if os.path.exists(debian) and os.path.realpath(sys.executable) != os.path.realpath(debian):
        os.execv(debian, [debian] + sys.argv)
    os.makedirs(OUT, exist_ok=True)
    testlog.emit("TEST tty.prompt FAIL no pexpect module for Python (apt-get install python3-pexpect)")
    testlog.write_counts(COUNTS, 0, 1)
    sys.exit(1)

STEP = int(os.environ.get("TTY_STEP_TIMEOUT", "10"))
BOOT = max(60, STEP)
LIMIT = int(os.environ.get("TTY_TEST_TIMEOUT", "180"))

# The prompts: /etc/profile's PS1 for the login shell (in / after the boot,
# then in /tmp), and busybox's default for a nested sh.
BOOT_PROMPT = r"^teachos:/# $"
PROMPT = r"^teachos:/tmp# $"
NESTED_PROMPT = r"^/tmp # $"

# Terminal escapes in what the shell prints: busybox's line editor asks
# for the cursor position (ESC [ 6 n) at every prompt.
ESCAPE_RE = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]")


class CheckFailed(Exception):
    """A check did not see what it expected; the message says what."""


# ---- predicates on the console text since the mark (for Console.wait_for) ----


def has_text(text):
    return lambda buf: text in buf


def has_line(regex):
    """Some line matches REGEX (searched, as grep does)."""
    compiled = re.compile(regex)
    return lambda buf: any(compiled.search(line) for line in buf.split("\n"))


def has_lines(count, regex):
    """At least COUNT lines match REGEX."""
    compiled = re.compile(regex)
    return lambda buf: sum(1 for line in buf.split("\n") if compiled.search(line)) >= count


def at_prompt(regex):
    """The last line (what the cursor is on) matches REGEX: a prompt waiting."""
    compiled = re.compile(regex)
    return lambda buf: compiled.search(buf.rsplit("\n", 1)[-1]) is not None


# ---- the console ----------------------------------------------------------------


class Console:
    """The guest's serial console: `make run` on a pseudo-terminal.

    Everything the guest printed is kept in self.raw. A check first sets
    the mark (mark()); then buf() is the console since the mark, without
    CRs and terminal escapes, and every wait looks at that.
    """

    def __init__(self):
        env = dict(os.environ)
        # Not the caller's make's jobserver: this make is not one of its recipes.
        for name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):
            env.pop(name, None)
        self.start = time.monotonic()
        self.child = pexpect.spawn("make", ["run"], cwd=ROOT, env=env, timeout=None)
        self.raw = bytearray()
        self.marked = 0
        self.limit_hit = False

    # -- reading --

    def poll(self, seconds=0.05):
        """Reads what the console printed within SECONDS (at least what is there)."""
        if self.child.closed:
            return
        try:
            while True:
                self.raw += self.child.read_nonblocking(65536, timeout=seconds)
                seconds = 0
        except (pexpect.TIMEOUT, pexpect.EOF):
            pass

    def mark(self):
        """From now on, checks look only at what the console prints after this."""
        self.poll(0)
        self.marked = len(self.raw)

    def buf(self):
        """Returns the console since the mark: CRs and escapes removed, no final newlines."""
        data = ESCAPE_RE.sub(b"", bytes(self.raw[self.marked:]).replace(b"\r", b""))
        return data.decode("utf-8", "surrogateescape").rstrip("\n")

    def panic(self):
        """Returns the kernel's panic message if it panicked, else None."""
        if b"PANIC:" not in self.raw:
            return None
        return testlog.panic_reason(testlog.split_lines(bytes(self.raw)))

    def alive(self):
        return self.child.isalive()

    def wait_for(self, seconds, what, predicate):
        """Polls the console until PREDICATE holds on buf().

        Raises CheckFailed on a timeout, a kernel panic, or QEMU's end.
        """
        deadline = time.monotonic() + seconds
        while True:
            self.poll()
            if predicate(self.buf()):
                return
            panic = self.panic()
            if panic is not None:
                raise CheckFailed(f"kernel panic while waiting for {what}: {panic}")
            if not self.alive():
                self.poll(0)
                if predicate(self.buf()):
                    return
                why = f"QEMU ended while waiting for {what}"
                if self.limit_hit:
                    why += f" (the {LIMIT}s limit of the whole session)"
                raise CheckFailed(why)
            if time.monotonic() >= deadline:
                raise CheckFailed(f"timeout: no {what} within {seconds}s")
            if time.monotonic() - self.start >= LIMIT:
                self.limit_hit = True
                self.stop()

    # -- typing --

    def send(self, keys):
        """Types KEYS into the serial line, 8 bytes at a time with a short pause."""
        data = keys.encode("latin-1")
        for i in range(0, len(data), 8):
            if not self.alive():
                raise CheckFailed("cannot type: QEMU has gone")
            try:
                self.child.send(data[i:i + 8])
            except OSError:
                raise CheckFailed("cannot type: QEMU has gone")
            time.sleep(0.02)

    def type_line(self, text):
        """Types TEXT, waits for its echo, presses Enter."""
        self.send(text)
        self.wait_for(STEP, f"echo of '{text}'", has_text(text))
        self.send("\r")

    # -- the steps the checks are made of --

    def expect_lines(self, context, *regexes):
        """Every REGEX matches a line printed since the mark; one written !REGEX matches none."""
        buf = self.buf()
        for regex in regexes:
            if regex.startswith("!"):
                if has_line(regex[1:])(buf):
                    raise CheckFailed(f"{context}: a line matching '{regex[1:]}' should not be there")
            elif not has_line(regex)(buf):
                raise CheckFailed(f"{context}: no line matching '{regex}' in the output")

    def cmd(self, text, *regexes):
        """Types a command line at the prompt, waits for the prompt to come
        back, and checks the lines it printed (see expect_lines)."""
        self.mark()
        self.type_line(text)
        self.wait_for(STEP, f"prompt after '{text}'", at_prompt(PROMPT))
        self.expect_lines(f"after '{text}'", *regexes)

    def start_reader(self, text):
        """Types a command line that prints "go" and then reads the terminal;
        waits for the "go". The caller types the program's input."""
        self.mark()
        self.type_line(text)
        self.wait_for(STEP, f"'go' from '{text}'", has_line(r"^go$"))

    def end_input(self, program):
        """Types ^D at the start of a line (end of file for PROGRAM) and waits for the prompt."""
        self.send("\x04")
        self.wait_for(STEP, f"prompt after ^D ended {program}", at_prompt(PROMPT))

    def jobs_until(self, regex):
        """Types `jobs` until a line matches REGEX. A job's state changes on
        its own time (a background job stops when it reaches the terminal),
        so it asks up to 10 times."""
        for _ in range(10):
            self.cmd("jobs")
            if has_line(regex)(self.buf()):
                return
            time.sleep(0.3)
        last = [line for line in self.buf().split("\n") if line.startswith("[")]
        raise CheckFailed(f"jobs never showed '{regex}'; last: {last[-1] if last else ''}")

    # -- after a failure, and at the end --

    def recover(self, failed_check):
        """Interrupts whatever runs (four ^C: enough bytes for the raw check's
        reader too), presses Enter, and waits for the prompt. Returns why the
        remaining checks cannot run, or None."""
        if not self.alive():
            return "QEMU has ended"
        if self.panic() is not None:
            return "the kernel panicked"
        try:
            self.mark()
            self.send("\x03\x03\x03\x03")
            time.sleep(0.3)
            self.send("\r")
            self.wait_for(STEP, "prompt", at_prompt(PROMPT))
        except CheckFailed:
            return f"the shell did not come back after tty.{failed_check}"
        return None

    def stop(self):
        """Ends `make run` and QEMU (its process group), at once if they resist."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if not self.alive():
                return
            try:
                os.killpg(self.child.pid, sig)
            except ProcessLookupError:
                return
            for _ in range(50):
                if not self.alive():
                    return
                time.sleep(0.1)


# ---- the checks, in the order they run --------------------------------------------

CHECKS = []


def check(function):
    """Registers a check_NAME function as the check tty.NAME."""
    CHECKS.append(function)
    return function


@check
def check_prompt(c):
    c.wait_for(BOOT, "shell prompt after boot", at_prompt(BOOT_PROMPT))
    c.cmd("cd /tmp")


@check
def check_file(c):
    c.cmd("echo hi > f; cat f", r"^hi$")


@check
def check_ls_l(c):
    c.cmd("ls -l", r"^-rw-r--r-- +1 root +root +3 .* f$")


@check
def check_files(c):
    c.cmd("mkdir d && cp f d/g && mv d/g d/h && ls d", r"^h$")
    c.cmd("cat d/h && rm d/h && rmdir d && echo removed", r"^hi$", r"^removed$")
    c.cmd("ls -d d || echo gone", r"^gone$")


@check
def check_dd(c):
    c.cmd("dd if=/dev/zero of=z bs=1k count=4", r"^4\+0 records in$", r"^4\+0 records out$")
    c.cmd("wc -c z", r"^ *4096 z$")


@check
def check_pipe(c):
    c.cmd("echo abc | tr a-z A-Z", r"^ABC$")
    c.cmd("yes | head -n 2 | wc -l", r"^ *2$")  # yes is ended by SIGPIPE


@check
def check_ps(c):
    # busybox runs ps in a forked child of the shell without an exec, so
    # that child still has the shell's arguments: ps shows it as
    # "{ps} /bin/sh -l", as Linux's does.
    c.cmd("ps", r"^ *[0-9]+ root +/bin/sh -l$", r"^ *[0-9]+ root +\{ps\} /bin/sh -l$")


@check
def check_redirect(c):
    c.cmd("echo one > r; echo two >> r; tr a-z A-Z < r", r"^ONE$", r"^TWO$")
    c.cmd('ls /none 2> e; echo st=$?; sed "s/^/e: /" e', r"^st=1$",
          r"^e: ls: /none: No such file or directory$", r"!^ls: /none")


@check
def check_script(c):
    c.start_reader("echo go; cat > s.sh")
    c.type_line("#!/bin/sh")
    c.type_line("echo script $# $1")
    c.end_input("cat")
    c.cmd("chmod +x s.sh && ./s.sh arg", r"^script 1 arg$")


@check
def check_erase(c):
    # head reads in canonical mode: the kernel's line discipline edits the
    # lines. DEL (c_cc[VERASE]) and ^H each erase a character, ^U the line.
    c.start_reader("echo go; head -n 3")
    c.send("abX\x7fc\r")
    c.send("deY\x08f\r")
    c.send("xyz\x15ghi\r")
    c.wait_for(STEP, "prompt after head read 3 lines", at_prompt(PROMPT))
    c.expect_lines("head -n 3", r"^abc$", r"^def$", r"^ghi$")


@check
def check_erase_prompt(c):
    # At the prompt busybox edits the line itself (the terminal is in raw
    # mode while it reads); the same keys must give the same line.
    c.mark()
    c.send("echo abX\x7fc\r")
    c.wait_for(STEP, "prompt after 'echo abX<DEL>c'", at_prompt(PROMPT))
    c.expect_lines("echo abX<DEL>c", r"^abc$")


def interrupt_sleep(c, key, name, what_if_not):
    """Starts a foreground `sleep 100` and types KEY (NAME) at it; waits
    for the prompt. The "go" comes from the child the shell made, after it
    put itself in the foreground process group: the key then reaches
    sleep, not the shell."""
    c.start_reader("sh -c 'echo go; exec sleep 100'")
    c.mark()
    c.send(key)
    c.wait_for(STEP, f"prompt after {name} ({what_if_not})", at_prompt(PROMPT))


@check
def check_ctrl_c(c):
    interrupt_sleep(c, "\x03", "^C", "sleep 100 still running?")
    c.cmd("echo $?", r"^130$")


@check
def check_ctrl_backslash(c):
    # ^\ is SIGQUIT: the shell says "Quit"; 128 + 3.
    interrupt_sleep(c, "\x1c", "^\\", "sleep 100 still running?")
    c.expect_lines("^\\", r"Quit$")
    c.cmd("echo $?", r"^131$")


@check
def check_ctrl_z(c):
    # ^Z is SIGTSTP: the job stops and the shell takes the terminal back;
    # bg continues it (SIGCONT) in the background, where kill ends it.
    interrupt_sleep(c, "\x1a", "^Z", "sleep 100 not stopped?")
    c.expect_lines("^Z", r"Stopped +sh -c")
    c.cmd("bg")
    c.cmd("jobs", r"^\[1\]\+ +Running +sh -c")
    c.cmd("kill %1; wait %1; echo st=$?", r"^st=143$")


@check
def check_ctrl_d(c):
    c.mark()
    c.type_line("sh")
    c.wait_for(STEP, "nested shell's prompt", at_prompt(NESTED_PROMPT))
    c.mark()
    c.send("\x04")
    c.wait_for(STEP, "login shell's prompt after ^D", at_prompt(PROMPT))


@check
def check_jobs(c):
    c.cmd("sleep 100 &")
    c.cmd("jobs", r"^\[1\]\+ +Running +sleep 100$")
    c.cmd("kill %1; wait %1; echo st=$?", r"^st=143$")


@check
def check_bg_read(c):
    # A background read stops the reader with SIGTTIN instead of racing
    # the shell for the input; fg continues it in the foreground, where its
    # read (restarted after the stop) gets the next line: the terminal's
    # echo and cat's copy make two lines.
    c.cmd("cat &")
    c.jobs_until(r"^\[1\]\+ +Stopped \(tty input\) +cat$")
    c.mark()
    c.type_line("fg")
    c.wait_for(STEP, "'cat' from fg", has_line(r"^cat$"))
    c.send("typed\r")
    c.wait_for(STEP, "cat's copy of 'typed'", has_lines(2, r"^typed$"))
    c.end_input("cat")


@check
def check_tostop(c):
    # SIGTTOU: a background stty that changes the terminal stops; fg lets
    # it finish. (`stty sane`, because a background stty reads the settings
    # while the shell has the terminal in its line-editing mode, and would
    # set them back from that copy: only sane's fixed values are safe to
    # set later.) With TOSTOP a background echo stops too, and writes once
    # fg brings it back. Without TOSTOP a background write goes out.
    c.cmd("stty sane &")
    c.jobs_until(r"^\[1\]\+ +Stopped \(tty output\) +stty sane$")
    c.cmd("fg")
    c.cmd('stty tostop; stty -a | grep -o " tostop"', r"^ tostop$")
    c.cmd("echo out-of-turn &")
    c.jobs_until(r"^\[1\]\+ +Stopped \(tty output\) +echo out-of-turn$")
    c.cmd("fg", r"^out-of-turn$")
    c.cmd("stty -tostop; echo in-turn & wait", r"^in-turn$")


@check
def check_hangup(c):
    # A session leader that owns the terminal exits: the terminal's
    # foreground group (here the leader's own, which its background child
    # shares: no job control in sh -c) gets SIGHUP, and the child's trap
    # writes a file. The script runs setsid as a plain child of `sh`, so
    # setsid need not fork and `sh hup.sh` waits for the leader; it then
    # polls for the file.
    c.start_reader("echo go; cat > hup.sh")
    c.type_line("rm -f ready hupped")
    c.type_line(r"""setsid -c sh -c 'sh -c "trap \"echo hup > hupped; exit\" HUP; """
                r"""touch ready; sleep 100" & until [ -f ready ]; do sleep 0.1; done'""")
    c.type_line("i=0; until [ -f hupped ] || [ $i = 50 ]; do sleep 0.1; i=$((i+1)); done")
    c.type_line("cat hupped || echo no-hangup")
    c.end_input("cat")
    c.cmd("sh hup.sh", r"^hup$", r"!no-hangup")


def segv_elf():
    """Returns the smallest static x86-64 program that faults (131 bytes):
    the ELF header, one program header (a read+execute PT_LOAD of the whole
    file at 0x400000), and `movl $1, 0x10` at the entry point, 0x400078."""
    header = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)  # 64-bit, little-endian, version 1
    header += struct.pack("<HHIQQQIHHHHHH",
                          2, 0x3E, 1,            # e_type ET_EXEC, e_machine x86-64, e_version
                          0x400078, 64, 0,       # e_entry, e_phoff, e_shoff
                          0, 64, 56, 1,          # e_flags, e_ehsize, e_phentsize, e_phnum
                          0, 0, 0)               # e_shentsize, e_shnum, e_shstrndx
    program_header = struct.pack("<IIQQQQQQ",
                                 1, 5, 0,               # p_type PT_LOAD, p_flags R+X, p_offset
                                 0x400000, 0x400000,    # p_vaddr, p_paddr
                                 131, 131, 0x1000)      # p_filesz, p_memsz, p_align
    code = b"\xc7\x04\x25\x10\x00\x00\x00\x01\x00\x00\x00"  # movl $1, 0x10
    elf = header + program_header + code
    assert len(elf) == 131
    return elf


@check
def check_segv(c):
    # The program is typed into the guest as base64 (60 columns a line),
    # so no extra file goes into the ISO.
    c.start_reader("echo go; base64 -d > segv")
    encoded = base64.b64encode(segv_elf()).decode("ascii")
    for i in range(0, len(encoded), 60):
        c.type_line(encoded[i:i + 60])
    c.end_input("base64")
    c.cmd("chmod +x segv; ./segv; echo st=$?", r"Segmentation fault", r"^st=139$")
    c.cmd("echo still here", r"^still here$")


@check
def check_raw(c):
    # Raw mode without echo: CR stays CR (no ICRNL), ^C is a byte (no
    # ISIG), and head gets its 4 bytes without an Enter (no ICANON).
    c.start_reader("stty raw -echo; echo go; head -c 4 | od -An -tx1; stty sane")
    c.send("a\rb\x03")
    c.wait_for(STEP, "prompt after raw input", at_prompt(PROMPT))
    c.expect_lines("od of the raw input", r"^ *61 0d 62 03 *$")


@check
def check_exit(c):
    # The guest's status 0 ends QEMU through isa-debug-exit with status 1,
    # which `make run` takes as a normal end: make exits 0. Any other QEMU
    # status is an error of make run's.
    c.mark()
    c.type_line("exit")
    c.wait_for(STEP, "'teachos: init exited with status 0'",
               has_line(r"^teachos: init exited with status 0$"))
    deadline = time.monotonic() + 10
    while c.alive():
        if time.monotonic() >= deadline:
            raise CheckFailed("QEMU still running 10s after init exited")
        c.poll()
    if c.child.exitstatus != 0:
        raise CheckFailed(f"make run ended with status {c.child.exitstatus}"
                          f" (signal {c.child.signalstatus}), not 0: QEMU's status was not 1")


# ---- running them ---------------------------------------------------------------


def run_checks(console):
    """Runs every check in order, printing its TEST line. Returns (passed, failed)."""
    passed = failed = 0
    dead = None  # why the rest cannot run, once the shell is gone
    for function in CHECKS:
        name = function.__name__[len("check_"):]
        if dead:
            testlog.emit(f"TEST tty.{name} FAIL not run: {dead}")
            failed += 1
            continue
        try:
            function(console)
        except CheckFailed as failure:
            testlog.emit(f"TEST tty.{name} FAIL {failure}")
            failed += 1
            buf = console.buf()
            if name == "prompt" and not at_prompt(PROMPT)(buf) and not at_prompt(BOOT_PROMPT)(buf):
                dead = "no shell prompt"
            elif name != "exit":
                dead = console.recover(name)
        else:
            testlog.emit(f"TEST tty.{name} PASS")
            passed += 1
    return passed, failed


def accel():
    """Returns the accelerator QEMU used (ACCEL, else scripts/qemu.sh's cached probe)."""
    if os.environ.get("ACCEL"):
        return os.environ["ACCEL"]
    try:
        with open("build/.accel") as f:
            return f.read().strip()
    except OSError:
        return "?"


def main():
    # Killed (make test interrupted, a CI limit): end QEMU on the way out.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    os.chdir(ROOT)
    os.makedirs(OUT, exist_ok=True)
    testlog.write_counts(COUNTS, 0, 1)  # until the end: a script that dies has failed
    log = os.path.join(OUT, "tty.log")

    # Build first, so that the limits count the session, not the compiler.
    # Not the caller's make's jobserver: this make is not one of its recipes.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    if subprocess.run(["make", "-s", "build/teachos.iso"], env=env, stdout=sys.stderr).returncode != 0:
        testlog.emit("TEST tty.prompt FAIL make build/teachos.iso failed")
        return 1

    console = Console()
    try:
        passed, failed = run_checks(console)
    finally:
        console.stop()
        console.poll(0)
        with open(log, "wb") as f:
            f.write(bytes(console.raw).replace(b"\r", b""))

    testlog.write_counts(COUNTS, passed, failed)
    seconds = time.monotonic() - console.start
    print(f"tty: {passed} passed, {failed} failed in {seconds:.1f}s under QEMU ({accel()})", flush=True)
    if failed:
        failed_log = os.path.join(OUT, "failed-tty.log")
        with open(log, "rb") as src, open(failed_log, "wb") as dst:
            dst.write(src.read())
        print(f"tty: console log kept in {failed_log}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
