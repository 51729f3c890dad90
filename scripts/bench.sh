#!/bin/bash
# scripts/bench.sh KERNEL.ELF -- what `make bench` runs (docs/bench.md).
#
# Benchmarks are never pass/fail tests: this prints numbers, and writes
# them to build/bench/report.md with figures beside it (throughput.png,
# ratios.png), made by scripts/bench-report.py with gnuplot. Raw console
# logs stay in build/bench/ (grep -a on them: a console may hold any byte,
# and a NUL would make plain grep call the log binary).
#
# 1. The user-level benchmarks -- user/bench/ubench.c (system call, fork,
#    vfork, execve, page fault) and user/bench/fsbench.c (tmpfs write,
#    overwrite, write+fsync and read at 4 KiB/64 KiB/1 MiB, random 4 KiB
#    reads, beside memcpy and the best user copy loop; create, stat and
#    unlink; write+fsync and cold reads -- the file's pages dropped first
#    -- for the MFS paper's measurement) -- each the very same static binary, on teachos
#    (scripts/run-in-guest) and on Debian's own Linux kernel booted in the
#    same QEMU (scripts/linux-ref), BENCH_BOOTS boots of each (default 3),
#    interleaved (teachos, Linux, teachos, ...) so that a change in the
#    machine's load hits both alike. UBENCH=0 skips them; UBENCH_RUNS
#    (default 5) runs inside each boot; FSBENCH_ARGS adds fsbench options.
#    On teachos the same boot then runs fsbench a second time, on FFS on a
#    RAM disk (1b), its rows labelled ffs_, and a third time on MFS (1c),
#    its rows labelled mfs_; Linux has neither here, so its column stays
#    tmpfs only.
# 1b. The FFS pass (teachos only). The boot gets the kernel command line
#    md0=BENCH_MD (a RAM disk, /dev/md0; default 64M, 128M in a full run:
#    at least twice fsbench's file, so that the file, its indirect blocks
#    and 10^4 inodes fit), then in the guest
#        newfs /dev/md0 && mount -t ffs /dev/md0 /mnt/ffs
#        fsbench -l ffs -c write,overwrite,read,create,stat,unlink /mnt/ffs
#    -- the same file size and file count as the tmpfs pass, without the
#    user copies (memcpy_, copy_: no file system in them) -- then umount
#    and fsck_ffs -n. BENCH_FFS chooses what /mnt/ffs is:
#        ffs    (default) FFS on /dev/md0, as above;
#        tmpfs  a stand-in: a second tmpfs, mounted there instead -- it
#               tests the plumbing (rows, report table) without FFS, and
#               its ffs/tmpfs ratios should be 1 within the noise;
#        0      no second pass.
#    If newfs or mount fails, the guest prints "bench: no ffs pass: ..."
#    and the run goes on: the tmpfs and Linux columns do not depend on it.
#    The guest's memory (MEM, default 1G) holds the RAM disk besides
#    fsbench's two file images and the tmpfs file: 1G is plenty for the
#    defaults (128M disk + 2 x 64 MiB images + 64 MiB in tmpfs + FFS's
#    cached pages).
# 1c. The MFS pass (teachos only; issue 12, docs/mfs.md), after the ffs
#    pass:
#        mount_mfs -s BENCH_MD /mnt/mfs
#        fsbench -l mfs -k /proc/fs/mfs/0 -c write,...,unlink /mnt/mfs
#    -- an MFS of the RAM disk's size, so the two are comparable (the
#    first MFS mount of the boot: unit 0). -k prints what each case cost
#    the server ("fsbench: counters ..."), and the guest prints the pass's
#    total, "bench: mfs counters: requests R bytes B wakeups W discards D
#    inline_requests I", from /proc/fs/mfs/0 before and after (a line
#    saying so if the kernel has no such file). Memory: the md disk keeps
#    its blocks after its umount, so the mfs pass needs the disk, the
#    server's region (up to BENCH_MD), the file's UBC pages (the file a
#    second time) and fsbench's two images: 128M + 128M + 64M + 128M in a
#    full run, well inside MEM=1G. BENCH_MFS=0 skips the pass.
# 1d. The swap pass (issue 13, docs/pageout.md): user/bench/swapbench.c
#    -- mmap 3x MemTotal of anonymous memory, write every page, read and
#    check every page, then 20000 random page-ins; pswpout/pswpin -- on
#    both kernels in boots of their own, with SWAPBENCH_MEM of memory
#    (default 128M, so that the sweep is a few hundred MiB) and a 2 GiB
#    swap disk: teachos's is scripts/qemu.sh's (/dev/vda, its swap header
#    written on the host; the guest's /init already swaps on it, else the
#    pass runs swapon), Linux's is linux-ref --swap-disk 2G (the guest runs
#    mkswap and swapon). BENCH_BOOTS boots of each, interleaved, as in 1.
#    The sweep is 3x each kernel's own MemTotal: Linux keeps more of the
#    same memory for itself, so its region is smaller; the report prints
#    both sizes. SWAPBENCH=0 skips the pass; SWAPBENCH_ARGS adds
#    swapbench options (-x MULT, -n NPAGES).
# 2. The in-kernel micro-benchmarks: the bench_* ktest suites named by
#    BENCH_SUITES (default bench_vm; empty skips them), each case printing
#    "BENCH <name> <value> <unit>" (a median of runs inside one boot), the
#    boot repeated BENCH_BOOTS times.
# 3. The report: the median over the boots with the min-max spread, for
#    each kernel, and the ratio teachos/Linux -- on the terminal as text,
#    in report.md as Markdown, and as figures; and beside it the table
#    "MFS and FFS on md vs tmpfs, same boot" (teachos's passes, ratios
#    mfs/tmpfs and ffs/tmpfs within each boot: Linux has neither here) and
#    "MFS as the paper measured it" (write+fsync, warm and cold reads
#    against the in-guest copy; the server's requests and wakeups per
#    block).
#
# Linux's reference under TCG: LINUX_CMDLINE (default, under TCG only,
# "clearcpuid=erms,fsrm") is added to Linux's kernel command line. The
# emulated CPU (-cpu max) advertises ERMS and FSRM, so Linux copies to and
# from user space with `rep movsb`, which TCG runs several times slower
# than the plain moves Linux uses otherwise (tmpfs reads measured here:
# 143-292 MB/s with it, 900-1450 MB/s without). Turning the two flags off
# makes the reference Linux at its fastest under this emulator -- the harder
# and fairer column; LINUX_CMDLINE= (empty) keeps Linux's own choice. The
# report's header names what was used.
#
# QUICK=1 is the smoke run (under 3 minutes on an idle machine): one boot
# of each kernel, the median of 3 runs of each case, a 16 MiB file and 1000 files, no
# in-kernel suites -- the same report and figures, with numbers too noisy
# to quote. Each variable above still overrides it.
#
# Progress goes to the terminal as it happens: which step, which boot,
# which kernel, and the seconds since the start.
set -u
kernel=$1
here=$(cd "$(dirname "$0")" && pwd)
out=build/bench; mkdir -p "$out"
if [ "${QUICK:-0}" = 1 ]; then
    boots=${BENCH_BOOTS:-1}; suites=${BENCH_SUITES-}
    runs=${UBENCH_RUNS:-3}; fsargs=${FSBENCH_ARGS:--m 16 -n 1000}; md=${BENCH_MD:-64M}
    mode="QUICK=1 smoke run: median of $runs runs per case, fsbench $fsargs, no in-kernel suites unless BENCH_SUITES"
else
    boots=${BENCH_BOOTS:-3}; suites=${BENCH_SUITES-bench_vm}
    runs=${UBENCH_RUNS:-5}; fsargs=${FSBENCH_ARGS:-}; md=${BENCH_MD:-128M}
    mode="full run: median of $runs runs per case in each boot, fsbench ${fsargs:-defaults (64 MiB file, 10000 files)}"
fi
ffs=${BENCH_FFS:-ffs}
mfs=${BENCH_MFS:-1}
case $ffs in
    ffs) ffs_what="FFS on /dev/md0 (md0=$md, newfs's defaults)" ;;
    tmpfs) ffs_what="STAND-IN: a second tmpfs, not FFS (BENCH_FFS=tmpfs)" ;;
    0) ffs_what="not run (BENCH_FFS=0)" ;;
    *) echo "bench: BENCH_FFS must be ffs, tmpfs or 0, not '$ffs'" >&2; exit 2 ;;
esac
start=$SECONDS
load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)
status=0

# progress MESSAGE: one line with the elapsed seconds.
progress() { printf '== [%4ds] %s\n' $((SECONDS - start)) "$*"; }

# ---- 1. user-level benchmarks on both kernels ----
# The guest's script on teachos (1 and 1b above), written to $out and
# added to the boot's initramfs as /bin/bench-teachos.sh. Its exit status
# is the tmpfs pass's: a second pass can only add rows (or lines saying why
# there are none), never fail the boot.
write_teachos_script() {  # $1: the file
    local mount_ffs=""
    case $ffs in
        ffs) mount_ffs='/sbin/newfs /dev/md0 && mount -t ffs /dev/md0 /mnt/ffs' ;;
        tmpfs) mount_ffs='mount -t tmpfs none /mnt/ffs' ;;
    esac
    {
        echo '#!/bin/sh'
        echo '# bench-teachos.sh -- written by scripts/bench.sh for one teachos boot.'
        echo "fsbench=\"/bin/fsbench -r $runs $fsargs\""
        cat <<'EOF'
# second_pass LABEL DIR MOUNT [COUNTERS]: run MOUNT (a shell command that
# mounts a file system on DIR), then fsbench there with its rows labelled
# LABEL_ -- the file system's cases only, not the user copies -- then
# umount DIR. COUNTERS, an MFS device's /proc file, is read before and
# after fsbench (while mounted: the file may go with the mount) and given
# to fsbench (-k). Returns 1 if MOUNT failed; the lines starting "bench: "
# say what went wrong (MOUNT's last line on stderr included: "... No such
# device"). MOUNT's stderr goes to a file, not a pipe: mount_mfs leaves a
# server behind that keeps it open, and a $(...) would wait for it.
second_pass() {
    mkdir -p "$2"
    sh -c "$3" >/dev/null 2>/tmp/bench-mount.err
    mounted=$?
    if [ $mounted != 0 ]; then
        why=$(tail -n 1 /tmp/bench-mount.err)
        echo "bench: no $1 pass: '$3' failed (status $mounted: $why); the tmpfs rows stand alone"
        return 1
    fi
    counting=""
    if [ -n "${4:-}" ]; then
        if cat "$4" >/tmp/bench-counters.before 2>/dev/null; then
            counting="-k $4"
        else
            echo "bench: $1 counters: $4 is missing (no MFS statistics on this kernel): no copies or switches per block"
        fi
    fi
    $fsbench -l "$1" $counting -c write,overwrite,read,create,stat,unlink "$2" ||
        echo "bench: $1 pass: fsbench exited with status $?"
    if [ -n "$counting" ] && cat "$4" >/tmp/bench-counters.after 2>/dev/null; then
        awk -v label="$1" 'NR == FNR { before[$1] = $2; next } { d[$1] = $2 - before[$1] }
            END { printf "bench: %s counters: requests %d bytes %d wakeups %d discards %d inline_requests %d\n",
                         label, d["requests"], d["bytes"], d["wakeups"], d["discards"], d["inline_requests"] }' \
            /tmp/bench-counters.before /tmp/bench-counters.after
    fi
    umount "$2" || echo "bench: $1 pass: umount $2 failed"
    return 0
}
EOF
        echo "/bin/ubench -r $runs && \$fsbench /tmp"
        echo 'status=$?'
        echo "# The ffs pass: BENCH_FFS=$ffs, /mnt/ffs is $ffs_what."
        if [ -n "$mount_ffs" ]; then
            echo "second_pass ffs /mnt/ffs '$mount_ffs' &&"
            if [ "$ffs" = ffs ]; then
                echo '    { /sbin/fsck_ffs -n /dev/md0 >/dev/null 2>&1'
                echo '      echo "bench: ffs pass: fsck_ffs -n /dev/md0 afterwards: status $? (0: clean)"; }'
            else
                echo '    true'
            fi
        fi
        if [ "$mfs" != 0 ]; then
            echo "# The mfs pass (issue 12): an MFS of the RAM disk's size ($md)."
            echo "second_pass mfs /mnt/mfs '/sbin/mount_mfs -s $md /mnt/mfs' /proc/fs/mfs/0"
        fi
        echo 'exit $status'
    } >"$1"
    chmod 755 "$1"
}

user_bench() {  # $1: runner script, $2: log, $3...: more runner options
    local guest=(sh -c "/bin/ubench -r $runs && /bin/fsbench -r $runs $fsargs /tmp")
    local adds=(--add build/user/bench/ubench:/bin/ubench --add build/user/bench/fsbench:/bin/fsbench)
    if [ "$1" = run-in-guest ]; then
        write_teachos_script "$out/bench-teachos.sh"
        guest=(/bin/bench-teachos.sh)
        adds+=(--add "$out/bench-teachos.sh:/bin/bench-teachos.sh" --cmdline "md0=$md")
        local tool
        for tool in newfs fsck_ffs mount_mfs; do
            if [ -x build/user/tools/$tool ]; then
                adds+=(--add "build/user/tools/$tool:/sbin/$tool")
            else
                echo "bench: no build/user/tools/$tool (make tools): the ffs or mfs pass will say it failed" >&2
            fi
        done
    fi
    bash "$here/$1" --no-build --timeout 1800 "${@:3}" "${adds[@]}" -- "${guest[@]}" >"$2" 2>&1
}
rm -f "$out"/user-teachos-*.log "$out"/user-linux-*.log
# linux_cmdline: LINUX_CMDLINE's value for this run. Called after teachos's
# first boot: scripts/qemu.sh has probed the accelerator by then and cached
# it in build/.accel, which linux-ref uses too.
linux_cmdline=""
choose_linux_cmdline() {
    linux_cmdline=""
    if [ "${ACCEL:-$(cat build/.accel 2>/dev/null || echo tcg)}" != kvm ]; then
        linux_cmdline=${LINUX_CMDLINE-clearcpuid=erms,fsrm}
    fi
}
if [ "${UBENCH:-1}" != 0 ] && [ -x build/user/bench/ubench ] && [ -x build/user/bench/fsbench ]; then
    for i in $(seq 1 "$boots"); do
        for side in teachos linux; do
            runner=run-in-guest; name=teachos; extra=()
            if [ $side = linux ]; then
                runner=linux-ref; name="Debian's Linux"
                choose_linux_cmdline
                [ -n "$linux_cmdline" ] && extra=(--cmdline "$linux_cmdline")
            fi
            progress "user benchmarks, boot $i of $boots: $name ..."
            t0=$SECONDS
            user_bench $runner "$out/user-$side-$i.log" "${extra[@]}" ||
                echo "bench: $name boot $i failed, see $out/user-$side-$i.log" >&2
            progress "user benchmarks, boot $i of $boots: $name done in $((SECONDS - t0)) s"
            if [ $side = teachos ]; then  # the second pass's own lines, if any
                grep -a '^bench: ' "$out/user-$side-$i.log" | sed 's/^/       /'
            fi
        done
    done
fi

# ---- 1d. the swap pass: both kernels, SWAPBENCH_MEM and a swap disk ----
swap_mem=${SWAPBENCH_MEM:-128M}
swap_args=${SWAPBENCH_ARGS:-}
rm -f "$out"/swap-teachos-*.log "$out"/swap-linux-*.log
if [ "${SWAPBENCH:-1}" != 0 ] && [ -x build/user/bench/swapbench ]; then
    for i in $(seq 1 "$boots"); do
        for side in teachos linux; do
            progress "swap pass (MEM=$swap_mem), boot $i of $boots: $side ..."
            t0=$SECONDS
            if [ $side = teachos ]; then
                # qemu.sh's own swap disk (SWAP_DISK unset: a fresh 2 GiB one).
                env -u SWAP_DISK MEM="$swap_mem" SWAP_DISK_SIZE=2G bash "$here/run-in-guest" --no-build \
                    --timeout 1200 --add build/user/bench/swapbench:/bin/swapbench -- sh -c \
                    "grep -q '^/dev/vda' /proc/swaps || swapon /dev/vda || echo 'bench: swap: swapon /dev/vda failed'
                     /bin/swapbench $swap_args" >"$out/swap-$side-$i.log" 2>&1
            else
                choose_linux_cmdline
                extra=(); [ -n "$linux_cmdline" ] && extra=(--cmdline "$linux_cmdline")
                MEM="$swap_mem" bash "$here/linux-ref" --timeout 1200 --swap-disk 2G "${extra[@]}" \
                    --add build/user/bench/swapbench:/bin/swapbench -- sh -c \
                    "{ mkswap /dev/vda >/dev/null && swapon /dev/vda; } || echo 'bench: swap: mkswap/swapon /dev/vda failed'
                     /bin/swapbench $swap_args" >"$out/swap-$side-$i.log" 2>&1
            fi || echo "bench: swap pass, $side boot $i failed, see $out/swap-$side-$i.log" >&2
            progress "swap pass, boot $i of $boots: $side done in $((SECONDS - t0)) s"
            grep -a '^bench: \|^swapbench: ' "$out/swap-$side-$i.log" | sed 's/^/       /'
        done
    done
fi

# ---- 2. in-kernel bench_* suites on teachos ----
rm -f "$out"/boot*.log
if [ -n "$suites" ]; then
    sh "$here/mkiso.sh" "$out/bench.iso" "$kernel" "ktest=$suites panic=exit" || exit 1
    for i in $(seq 1 "$boots"); do
        progress "in-kernel suites ($suites), boot $i of $boots ..."
        t0=$SECONDS
        bash "$here/qemu.sh" --timeout 900 "$out/bench.iso" </dev/null >"$out/boot$i.log" 2>&1
        tr -d '\r' < "$out/boot$i.log" > "$out/boot$i.tmp" && mv "$out/boot$i.tmp" "$out/boot$i.log"
        progress "in-kernel suites, boot $i of $boots done in $((SECONDS - t0)) s"
        if grep -aq 'FAIL\|PANIC' "$out/boot$i.log"; then
            echo "bench: in-kernel boot $i failed, see $out/boot$i.log" >&2
            grep -aE 'FAIL|PANIC' "$out/boot$i.log" >&2
            status=1
            break
        fi
    done
fi

# ---- 3. the report ----
accel=${ACCEL:-$(cat build/.accel 2>/dev/null || echo "?")}
progress "report: $boots boot(s) each, $accel, MEM=${MEM:-1G}; median (min-max); ratio = teachos/Linux"
shopt -s nullglob
python3 "$here/bench-report.py" --out "$out" --accel "$accel" --mem "${MEM:-1G}" --boots "$boots" \
    --mode "$mode" --linux-kernel "$(ls build/linux-ref 2>/dev/null | tail -n 1)" \
    --linux-cmdline "${linux_cmdline:-(none)}" --ffs "$ffs_what" \
    --mfs "$([ "$mfs" != 0 ] && echo "MFS, mount_mfs -s $md (the RAM disk's size)" || echo "not run (BENCH_MFS=0)")" \
    --load-start "${load_start:-?}" \
    --teachos "$out"/user-teachos-*.log --linux "$out"/user-linux-*.log \
    --ktest "$out"/boot*.log --swap-mem "$swap_mem" \
    --swap-teachos "$out"/swap-teachos-*.log --swap-linux "$out"/swap-linux-*.log || status=1
progress "done"
exit $status
