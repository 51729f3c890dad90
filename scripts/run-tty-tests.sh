#!/bin/bash
# scripts/run-tty-tests.sh -- an interactive session on the serial console, typed as a user would.
#
# Boots the normal ISO (build/teachos.iso: /init starts the busybox shell on
# the console) and talks to the shell through QEMU's serial port: QEMU's
# stdin is a FIFO this script writes keystrokes into, its stdout is the
# console log this script reads. An expect-like loop: type a command, wait
# for its echo, press Enter (a CR, as a terminal sends), wait for the prompt
# to come back, then look for the expected lines in what was printed since.
# Each check prints one line:
#
#   TEST tty.pipe PASS
#   TEST tty.ctrl_c FAIL timeout: no prompt after ^C (sleep 100 still running?) within 5s
#
# The checks, in the order typed (the names are the TEST lines'):
#   prompt        the shell's prompt appears; `cd /tmp`
#   file          echo hi > f; cat f
#   ls_l          ls -l shows f with its mode, owner and size
#   files         mkdir, cp, mv, ls, cat, rm, rmdir
#   dd            dd if=/dev/zero of=z bs=1k count=4; wc -c z says 4096
#   pipe          echo abc | tr a-z A-Z; yes | head (yes ends by SIGPIPE)
#   ps            ps (reading /proc) lists the shell and itself
#   redirect      >, >>, < and 2> (the error goes to the file, not the screen)
#   script        a #!/bin/sh script typed into `cat > s.sh` (ended by ^D), run by path
#   erase         the kernel's canonical mode (`head` reading): DEL and ^H
#                 erase a character, ^U the line
#   erase_prompt  the same DEL at the shell's prompt (busybox's own line editing)
#   ctrl_c        ^C ends a foreground `sleep 100` at once; $? is 130
#   ctrl_backslash  ^\ ends it with SIGQUIT: "Quit", $? is 131
#   ctrl_z        ^Z stops it ("Stopped"), bg continues it, kill ends it
#   ctrl_d        ^D at the empty prompt of a nested sh ends that shell
#   jobs          sleep 100 &; jobs; kill %1; wait says 143 (SIGTERM)
#   bg_read       cat &: its read of the terminal stops it with SIGTTIN
#                 ("Stopped (tty input)"); fg: typed input reaches cat, ^D ends it
#   tostop        stty sane &: a background change of the terminal stops
#                 with SIGTTOU; after stty tostop a background echo stops
#                 too, and prints once fg brings it back; without TOSTOP it
#                 prints
#   hangup        a session leader (setsid -c sh -c ..., owning the terminal)
#                 exits: its foreground group gets SIGHUP (a trap shows it)
#   segv          a program that writes to address 0x10 is killed: the shell
#                 says "Segmentation fault", $? is 139, and goes on
#   raw           stty raw -echo: a reader gets CR and ^C as plain bytes
#   exit          exit: the kernel prints "teachos: init exited with status 0"
#                 and QEMU ends
#
# The segfaulting program is built here, byte by byte (segv_elf: 131 bytes,
# one PT_LOAD segment, one instruction), and typed into the guest as base64,
# so no extra file goes into the ISO.
#
# Typing. The kernel polls the UART at each timer tick (100 Hz) and the
# UART holds 16 bytes; QEMU holds back input the UART cannot take, so bytes
# are not lost, but we still type in chunks of 8 with a short pause, and
# wait for the echo of each line before pressing Enter, as a careful typist
# would. Keys meant for a program (rather than the shell) are sent only
# after the program has printed a marker ("go"): the shell switches the
# terminal out of its own line-editing mode before running the command
# line, and the marker proves it has.
#
# Time: a step waits at most TTY_STEP_TIMEOUT seconds (default 10; the
# boot 30), and the whole boot is bounded by TTY_TEST_TIMEOUT (default 90)
# through scripts/qemu.sh --timeout. A step that times out fails, naming
# what it waited for; the script then sends ^C and Enter and waits for the
# prompt; if the shell does not come back, the remaining checks fail as
# "not run". A kernel panic or QEMU ending early fails the step running.
#
# Outputs: the console log (CRs removed) in build/test/tty.log (and
# failed-tty.log when something failed), "PASSED FAILED" in
# build/test/tty.counts. Exit status: 0 if all passed.
# Environment: TTY_TEST_ISO (default build/teachos.iso, made first with
# make), TTY_TEST_TIMEOUT, TTY_STEP_TIMEOUT, TEST_OUT, and scripts/qemu.sh's
# ACCEL and MEM.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root" || exit 2
out=${TEST_OUT:-build/test}; mkdir -p "$out"
log=$out/tty.log
limit=${TTY_TEST_TIMEOUT:-90}
step_timeout=${TTY_STEP_TIMEOUT:-10}
iso=${TTY_TEST_ISO:-build/teachos.iso}
passed=0; failed=0
echo "0 1" > "$out/tty.counts"  # until the end: a script that dies has failed

# ---- the boot ----

if [ -z "${TTY_TEST_ISO:-}" ]; then
    # make test builds the kernel and the initramfs, not the ISO. Not the
    # caller's make's jobserver: this make is not one of its recipes.
    if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s "$iso" >&2; then
        echo "TEST tty.prompt FAIL make $iso failed"
        echo "0 1" > "$out/tty.counts"
        exit 1
    fi
fi
if [ ! -f "$iso" ]; then
    echo "TEST tty.prompt FAIL no $iso"
    echo "0 1" > "$out/tty.counts"
    exit 1
fi

work=$(mktemp -d "$out/tty.XXXXXX") || exit 2
raw=$work/console.raw
fifo=$work/keys
qemu_pid=""
finish_log() { [ -f "$raw" ] && tr -d '\r' < "$raw" > "$log"; }
cleanup() {
    exec 3>&-
    [ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null && wait "$qemu_pid" 2>/dev/null
    finish_log
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap '' PIPE  # a write after QEMU ended fails with EPIPE instead of ending this script

# A private copy: QEMU reads the CD as it goes, and a make running beside
# us (rebuilding the ISO) must not change it under the guest's feet.
cp "$iso" "$work/tty.iso" || exit 2
mkfifo "$fifo" || exit 2
: > "$raw"
start=$EPOCHREALTIME
bash "$here/qemu.sh" --timeout "$limit" "$work/tty.iso" < "$fifo" > "$raw" 2> "$work/qemu.stderr" &
qemu_pid=$!
exec 3> "$fifo"  # opens when QEMU's side has; kept open so QEMU never sees end of file

# ---- reading the console ----

mark=0     # the console bytes before this offset are old: checks look after it
buf=""     # the console since the mark: CRs and terminal escapes removed
why=""     # why the last helper failed

mark_now() { mark=$(stat -c %s "$raw"); }
# The console since the mark, without CRs and ANSI escapes (the shell's
# line editor asks for the cursor position, ESC [ 6 n, at every prompt).
read_console()
{
    buf=$(tail -c +$((mark + 1)) "$raw" | tr -d '\r' | sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g')
}
now_ms() { local t=${EPOCHREALTIME/[.,]/}; echo $((10#$t / 1000)); }

# Predicates on $buf, for wait_for.
has_text() { [[ $buf == *"$1"* ]]; }
has_line() { grep -qE -- "$1" <<< "$buf"; }
at_prompt() { [[ ${buf##*$'\n'} =~ $1 ]]; }  # the last line is the prompt

# wait_for SECONDS WHAT PREDICATE [ARG...]: poll the console until the
# predicate holds. => 1 with $why set on a timeout, a panic, or QEMU gone.
wait_for()
{
    local seconds=$1 what=$2; shift 2
    local deadline=$(($(now_ms) + seconds * 1000))
    while :; do
        read_console
        "$@" && return 0
        if grep -q 'PANIC:' "$raw"; then
            why="kernel panic while waiting for $what: $(grep -m1 -a 'PANIC:' "$raw" | tr -d '\r' | sed 's/.*PANIC: *//')"
            return 1
        fi
        if ! kill -0 "$qemu_pid" 2>/dev/null; then
            read_console
            "$@" && return 0
            why="QEMU ended while waiting for $what"
            grep -q 'terminating on signal' "$work/qemu.stderr" && why="$why (the ${limit}s limit of the whole boot)"
            return 1
        fi
        if [ "$(now_ms)" -ge "$deadline" ]; then
            why="timeout: no $what within ${seconds}s"
            return 1
        fi
        sleep 0.05
    done
}

# ---- typing ----

# send BYTES: into the serial line, 8 bytes at a time with a short pause.
send()
{
    local s=$1 i
    for ((i = 0; i < ${#s}; i += 8)); do
        printf '%s' "${s:i:8}" >&3 2>/dev/null || { why="cannot type: QEMU has gone"; return 1; }
        sleep 0.02
    done
}

# type_line TEXT: type TEXT, wait for its echo, press Enter.
type_line()
{
    send "$1" || return 1
    wait_for 5 "echo of '$1'" has_text "$1" || return 1
    send $'\r'
}

# expect_lines CONTEXT REGEX...: every REGEX matches a line printed since
# the mark; a REGEX written !REGEX must match none.
expect_lines()
{
    local context=$1 re; shift
    for re in "$@"; do
        if [[ $re == !* ]]; then
            if has_line "${re#!}"; then
                why="$context: a line matching '${re#!}' should not be there"
                return 1
            fi
        elif ! has_line "$re"; then
            why="$context: no line matching '$re' in the output"
            return 1
        fi
    done
}

# The prompts: /etc/profile's PS1 for the login shell, busybox's default
# for a nested sh.
prompt_re='^teachos:/tmp# $'
nested_prompt_re='^/tmp # $'

# cmd TEXT [REGEX...]: type a command line at the prompt, wait for the
# prompt to come back, and check the lines it printed (see expect_lines).
cmd()
{
    local text=$1; shift
    mark_now
    type_line "$text" || return 1
    wait_for "$step_timeout" "prompt after '$text'" at_prompt "$prompt_re" || return 1
    expect_lines "after '$text'" "$@"
}

# start_reader TEXT: type a command line that prints "go" and then reads
# the terminal; wait for the "go". The caller types the program's input.
start_reader()
{
    mark_now
    type_line "$1" || return 1
    wait_for "$step_timeout" "'go' from '$1'" has_line '^go$'
}

# ---- the checks ----

check_prompt()
{
    wait_for 30 "shell prompt after boot" at_prompt '^teachos:/# $' || return 1
    cmd 'cd /tmp'
}

check_file() { cmd 'echo hi > f; cat f' '^hi$'; }

check_ls_l() { cmd 'ls -l' '^-rw-r--r-- +1 root +root +3 .* f$'; }

check_files()
{
    cmd 'mkdir d && cp f d/g && mv d/g d/h && ls d' '^h$' || return 1
    cmd 'cat d/h && rm d/h && rmdir d && echo removed' '^hi$' '^removed$' || return 1
    cmd 'ls -d d || echo gone' '^gone$'
}

check_dd()
{
    cmd 'dd if=/dev/zero of=z bs=1k count=4' '^4\+0 records in$' '^4\+0 records out$' || return 1
    cmd 'wc -c z' '^ *4096 z$'
}

# busybox runs ps in a forked child of the shell without an exec, so that
# child still has the shell's arguments: ps shows it as "{ps} /bin/sh -l",
# as Linux's does.
check_ps() { cmd 'ps' '^ *[0-9]+ root +/bin/sh -l$' '^ *[0-9]+ root +\{ps\} /bin/sh -l$'; }

check_pipe()
{
    cmd 'echo abc | tr a-z A-Z' '^ABC$' || return 1
    cmd 'yes | head -n 2 | wc -l' '^ *2$'  # yes is ended by SIGPIPE
}

check_redirect()
{
    cmd 'echo one > r; echo two >> r; tr a-z A-Z < r' '^ONE$' '^TWO$' || return 1
    cmd 'ls /none 2> e; echo st=$?; sed "s/^/e: /" e' '^st=1$' \
        '^e: ls: /none: No such file or directory$' '!^ls: /none'
}

check_script()
{
    start_reader 'echo go; cat > s.sh' || return 1
    type_line '#!/bin/sh' || return 1
    type_line 'echo script $# $1' || return 1
    send $'\004' || return 1  # ^D at the start of a line: end of file for cat
    wait_for "$step_timeout" "prompt after ^D ended cat" at_prompt "$prompt_re" || return 1
    cmd 'chmod +x s.sh && ./s.sh arg' '^script 1 arg$'
}

# head reads in canonical mode: the kernel's line discipline edits the
# lines. DEL (c_cc[VERASE]) and ^H each erase a character, ^U the line.
check_erase()
{
    start_reader 'echo go; head -n 3' || return 1
    send $'abX\177c\r' && send $'deY\010f\r' && send $'xyz\025ghi\r' || return 1
    wait_for "$step_timeout" "prompt after head read 3 lines" at_prompt "$prompt_re" || return 1
    expect_lines "head -n 3" '^abc$' '^def$' '^ghi$'
}

# At the prompt busybox edits the line itself (the terminal is in raw mode
# while it reads); the same keys must give the same line.
check_erase_prompt()
{
    mark_now
    send $'echo abX\177c\r' || return 1
    wait_for "$step_timeout" "prompt after 'echo abX<DEL>c'" at_prompt "$prompt_re" || return 1
    expect_lines "echo abX<DEL>c" '^abc$'
}

# The "sleeping" comes from the child the shell made, after it put itself
# in the foreground process group: ^C then reaches sleep, not the shell.
check_ctrl_c()
{
    start_reader "sh -c 'echo go; exec sleep 100'" || return 1
    mark_now
    send $'\003' || return 1
    wait_for 5 "prompt after ^C (sleep 100 still running?)" at_prompt "$prompt_re" || return 1
    cmd 'echo $?' '^130$'
}

# ^\ is SIGQUIT: the shell says "Quit"; 128 + 3.
check_ctrl_backslash()
{
    start_reader "sh -c 'echo go; exec sleep 100'" || return 1
    mark_now
    send $'\034' || return 1
    wait_for 5 "prompt after ^\\ (sleep 100 still running?)" at_prompt "$prompt_re" || return 1
    expect_lines "^\\" 'Quit$' || return 1
    cmd 'echo $?' '^131$'
}

# ^Z is SIGTSTP: the job stops and the shell takes the terminal back; bg
# continues it (SIGCONT) in the background, where kill ends it.
check_ctrl_z()
{
    start_reader "sh -c 'echo go; exec sleep 100'" || return 1
    mark_now
    send $'\032' || return 1
    wait_for 5 "prompt after ^Z (sleep 100 not stopped?)" at_prompt "$prompt_re" || return 1
    expect_lines "^Z" 'Stopped +sh -c' || return 1
    cmd 'bg' || return 1
    cmd 'jobs' '^\[1\]\+ +Running +sh -c' || return 1
    cmd 'kill %1; wait %1; echo st=$?' '^st=143$'
}

check_ctrl_d()
{
    mark_now
    type_line 'sh' || return 1
    wait_for "$step_timeout" "nested shell's prompt" at_prompt "$nested_prompt_re" || return 1
    mark_now
    send $'\004' || return 1
    wait_for "$step_timeout" "login shell's prompt after ^D" at_prompt "$prompt_re"
}

check_jobs()
{
    cmd 'sleep 100 &' || return 1
    cmd 'jobs' '^\[1\]\+ +Running +sleep 100$' || return 1
    cmd 'kill %1; wait %1; echo st=$?' '^st=143$'
}

# jobs_until REGEX: type `jobs` until a line matches REGEX. A job's state
# changes on its own time (a background job stops when it reaches the
# terminal), so ask up to 10 times.
jobs_until()
{
    local i
    for ((i = 0; i < 10; i++)); do
        cmd 'jobs' || return 1
        has_line "$1" && return 0
        sleep 0.3
    done
    why="jobs never showed '$1'; last: $(grep '^\[' <<< "$buf" | tail -1)"
    return 1
}

# has_lines COUNT REGEX: at least COUNT lines match REGEX (for wait_for).
has_lines() { [ "$(grep -cE -- "$2" <<< "$buf")" -ge "$1" ]; }

# A background read stops the reader with SIGTTIN instead of racing the
# shell for the input; fg continues it in the foreground, where its read
# (restarted after the stop) gets the next line: the terminal's echo and
# cat's copy make two lines.
check_bg_read()
{
    cmd 'cat &' || return 1
    jobs_until '^\[1\]\+ +Stopped \(tty input\) +cat$' || return 1
    mark_now
    type_line 'fg' || return 1
    wait_for "$step_timeout" "'cat' from fg" has_line '^cat$' || return 1
    send $'typed\r' || return 1
    wait_for "$step_timeout" "cat's copy of 'typed'" has_lines 2 '^typed$' || return 1
    send $'\004' || return 1
    wait_for "$step_timeout" "prompt after ^D ended cat" at_prompt "$prompt_re"
}

# SIGTTOU: a background stty that changes the terminal stops; fg lets it
# finish. (`stty sane`, because a background stty reads the settings while
# the shell has the terminal in its line-editing mode, and would set them
# back from that copy: only sane's fixed values are safe to set later.)
# With TOSTOP a background echo stops too, and writes once fg brings it
# back. Without TOSTOP a background write goes out.
check_tostop()
{
    cmd 'stty sane &' || return 1
    jobs_until '^\[1\]\+ +Stopped \(tty output\) +stty sane$' || return 1
    cmd 'fg' || return 1
    cmd 'stty tostop; stty -a | grep -o " tostop"' '^ tostop$' || return 1
    cmd 'echo out-of-turn &' || return 1
    jobs_until '^\[1\]\+ +Stopped \(tty output\) +echo out-of-turn$' || return 1
    cmd 'fg' '^out-of-turn$' || return 1
    cmd 'stty -tostop; echo in-turn & wait' '^in-turn$'
}

# A session leader that owns the terminal exits: the terminal's foreground
# group (here the leader's own, which its background child shares: no job
# control in sh -c) gets SIGHUP, and the child's trap writes a file. The
# script runs setsid as a plain child of `sh`, so setsid need not fork and
# `sh hup.sh` waits for the leader; it then polls for the file.
check_hangup()
{
    start_reader 'echo go; cat > hup.sh' || return 1
    type_line 'rm -f ready hupped' || return 1
    type_line "setsid -c sh -c 'sh -c \"trap \\\"echo hup > hupped; exit\\\" HUP; touch ready; sleep 100\" & until [ -f ready ]; do sleep 0.1; done'" || return 1
    type_line 'i=0; until [ -f hupped ] || [ $i = 50 ]; do sleep 0.1; i=$((i+1)); done' || return 1
    type_line 'cat hupped || echo no-hangup' || return 1
    send $'\004' || return 1
    wait_for "$step_timeout" "prompt after ^D ended cat" at_prompt "$prompt_re" || return 1
    cmd 'sh hup.sh' '^hup$' '!no-hangup'
}

# le VALUE BYTES: VALUE as BYTES little-endian bytes.
le()
{
    local value=$1 n=$2 i
    for ((i = 0; i < n; i++)); do
        printf "\\x$(printf %02x $(((value >> (8 * i)) & 255)))"
    done
}

# The smallest static x86-64 program that faults: the ELF header, one
# program header (a read+execute PT_LOAD of the whole 131-byte file at
# 0x400000), and `movl $1, 0x10` at the entry point, 0x400078.
segv_elf()
{
    printf '\x7fELF\x02\x01\x01\x00'; le 0 8  # magic, 64-bit, little-endian, version 1
    le 2 2; le 0x3e 2; le 1 4                 # e_type ET_EXEC, e_machine x86-64, e_version
    le 0x400078 8; le 64 8; le 0 8            # e_entry, e_phoff, e_shoff
    le 0 4; le 64 2; le 56 2; le 1 2          # e_flags, e_ehsize, e_phentsize, e_phnum
    le 0 2; le 0 2; le 0 2                    # e_shentsize, e_shnum, e_shstrndx
    le 1 4; le 5 4; le 0 8                    # p_type PT_LOAD, p_flags R+X, p_offset
    le 0x400000 8; le 0x400000 8              # p_vaddr, p_paddr
    le 131 8; le 131 8; le 0x1000 8           # p_filesz, p_memsz, p_align
    printf '\xc7\x04\x25\x10\x00\x00\x00\x01\x00\x00\x00'  # movl $1, 0x10
}

check_segv()
{
    local line
    start_reader 'echo go; base64 -d > segv' || return 1
    while read -r line; do
        type_line "$line" || return 1
    done < <(segv_elf | base64 -w 60)
    send $'\004' || return 1
    wait_for "$step_timeout" "prompt after ^D ended base64" at_prompt "$prompt_re" || return 1
    cmd 'chmod +x segv; ./segv; echo st=$?' 'Segmentation fault' '^st=139$' || return 1
    cmd 'echo still here' '^still here$'
}

# Raw mode without echo: CR stays CR (no ICRNL), ^C is a byte (no ISIG),
# and head gets its 4 bytes without an Enter (no ICANON).
check_raw()
{
    start_reader 'stty raw -echo; echo go; head -c 4 | od -An -tx1; stty sane' || return 1
    send $'a\rb\003' || return 1
    wait_for "$step_timeout" "prompt after raw input" at_prompt "$prompt_re" || return 1
    expect_lines "od of the raw input" '^ *61 0d 62 03 *$'
}

check_exit()
{
    mark_now
    type_line 'exit' || return 1
    wait_for "$step_timeout" "'teachos: init exited with status 0'" \
        has_line '^teachos: init exited with status 0$' || return 1
    local deadline=$(($(now_ms) + 10000))
    while kill -0 "$qemu_pid" 2>/dev/null; do
        if [ "$(now_ms)" -ge "$deadline" ]; then
            why="QEMU still running 10s after init exited"
            return 1
        fi
        sleep 0.05
    done
    wait "$qemu_pid"; local status=$?
    qemu_pid=""
    if [ "$status" -ne 1 ]; then  # isa-debug-exit: (0 << 1) | 1
        why="QEMU exited with $status, not 1 (guest status 0)"
        return 1
    fi
}

# ---- running them ----

dead=""  # set when the shell is gone: why the rest cannot run

# After a failed check: interrupt whatever runs (four ^C: enough bytes for
# the raw check's reader too), press Enter, and wait for the prompt.
recover()
{
    local failed_check=$1
    kill -0 "$qemu_pid" 2>/dev/null || { dead="QEMU has ended"; return; }
    grep -q 'PANIC:' "$raw" && { dead="the kernel panicked"; return; }
    mark_now
    send $'\003\003\003\003' && sleep 0.3 && send $'\r' &&
        wait_for 5 "prompt" at_prompt "$prompt_re" ||
        dead="the shell did not come back after tty.$failed_check"
}

check()
{
    local name=$1
    if [ -n "$dead" ]; then
        echo "TEST tty.$name FAIL not run: $dead"
        failed=$((failed + 1))
        return
    fi
    why=""
    if "check_$name"; then
        echo "TEST tty.$name PASS"
        passed=$((passed + 1))
    else
        echo "TEST tty.$name FAIL $why"
        failed=$((failed + 1))
        [ "$name" = prompt ] && ! at_prompt "$prompt_re" && ! at_prompt '^teachos:/# $' &&
            { dead="no shell prompt"; return; }
        [ "$name" = exit ] || recover "$name"
    fi
}

for name in prompt file ls_l files dd pipe ps redirect script erase erase_prompt \
            ctrl_c ctrl_backslash ctrl_z ctrl_d jobs bg_read tostop hangup segv raw exit; do
    check "$name"
done

echo "$passed $failed" > "$out/tty.counts"
printf 'tty: %d passed, %d failed in %.1fs under QEMU (%s)\n' "$passed" "$failed" \
    "$(awk "BEGIN{print $EPOCHREALTIME - $start}")" \
    "${ACCEL:-$(cat build/.accel 2>/dev/null || echo '?')}"
finish_log
if [ "$failed" -ne 0 ]; then
    cp "$log" "$out/failed-tty.log"
    echo "tty: console log kept in $out/failed-tty.log"
    exit 1
fi
exit 0
