#!/bin/bash
# scripts/bench.sh KERNEL.ELF -- what `make bench` runs.
#
# Benchmarks are never pass/fail tests: this prints numbers. The in-kernel
# micro-benchmarks are the bench_* ktest suites; each prints
# "BENCH <name> <value> <unit>" (a median of several runs inside one boot).
# The whole boot is repeated BENCH_BOOTS times (default 3) and the median of
# the per-boot medians is reported, because timings under TCG are noisy.
# Raw console logs: build/bench/ (grep -a on them: a console may hold any
# byte, and a NUL would make plain grep call the log binary).
#
# First, the user-level benchmarks -- user/bench/ubench.c (system call,
# fork, vfork, execve, page fault) and user/bench/fsbench.c (tmpfs write,
# overwrite and read at 4 KiB/64 KiB/1 MiB, beside memcpy; create and
# unlink) -- each the very same static binary, on teachos
# (scripts/run-in-guest) and on Debian's own Linux kernel booted in the same
# QEMU (scripts/linux-ref), BENCH_BOOTS boots of each, interleaved (teachos,
# Linux, teachos, ...) so that a change in the machine's load hits both
# alike. scripts/bench-table.py prints each case's median over the boots,
# the min-max spread, and the ratio teachos/Linux. UBENCH=0 skips them;
# UBENCH_RUNS (default 5) runs inside each boot, FSBENCH_ARGS adds
# fsbench options (e.g. "-m 16" for a quick run).
set -u
kernel=$1
here=$(cd "$(dirname "$0")" && pwd)
out=build/bench; mkdir -p "$out"
boots=${BENCH_BOOTS:-3}
suites=${BENCH_SUITES:-bench_vm}

# ---- user-level benchmarks on both kernels: never a failure, only numbers ----
user_bench() {  # $1: runner script, $2: log
    bash "$here/$1" --no-build --timeout 1800 \
        --add build/user/bench/ubench:/bin/ubench --add build/user/bench/fsbench:/bin/fsbench \
        -- sh -c "/bin/ubench -r ${UBENCH_RUNS:-5} && /bin/fsbench -r ${UBENCH_RUNS:-5} ${FSBENCH_ARGS:-} /tmp" \
        >"$2" 2>&1
}
if [ "${UBENCH:-1}" != 0 ] && [ -x build/user/bench/ubench ] && [ -x build/user/bench/fsbench ]; then
    accel=$(cat build/.accel 2>/dev/null || echo "${ACCEL:-?}")
    rm -f "$out"/user-teachos-*.log "$out"/user-linux-*.log
    for i in $(seq 1 "$boots"); do
        echo "== user benchmarks, boot $i of $boots: teachos ($accel)"
        user_bench run-in-guest "$out/user-teachos-$i.log" ||
            echo "bench: teachos boot $i failed, see $out/user-teachos-$i.log" >&2
        echo "== user benchmarks, boot $i of $boots: Debian's Linux ($accel)"
        user_bench linux-ref "$out/user-linux-$i.log" ||
            echo "bench: Linux boot $i failed, see $out/user-linux-$i.log" >&2
    done
    echo "== user benchmarks: $boots boots each, $accel, MEM=${MEM:-1G}; median (min-max); ratio = teachos/Linux"
    python3 "$here/bench-table.py" "$out"/user-teachos-*.log -- "$out"/user-linux-*.log
fi

rm -f "$out"/boot*.log
sh "$here/mkiso.sh" "$out/bench.iso" "$kernel" "ktest=$suites panic=exit" || exit 1
for i in $(seq 1 "$boots"); do
    bash "$here/qemu.sh" --timeout 900 "$out/bench.iso" </dev/null >"$out/boot$i.log" 2>&1
    tr -d '\r' < "$out/boot$i.log" > "$out/boot$i.tmp" && mv "$out/boot$i.tmp" "$out/boot$i.log"
    if grep -aq 'FAIL\|PANIC' "$out/boot$i.log"; then
        echo "bench: boot $i failed, see $out/boot$i.log" >&2
        grep -aE 'FAIL|PANIC' "$out/boot$i.log" >&2
        exit 1
    fi
done
echo "accel: $(cat build/.accel 2>/dev/null || echo "${ACCEL:-?}"); $boots boots; median of per-boot medians"
cat "$out"/boot*.log | grep -a '^BENCH ' | awk '
    { key = $2; unit = $4; vals[key] = vals[key] " " $3; units[key] = unit; if (!(key in order)) { order[key] = ++n; keys[n] = key } }
    END {
        for (i = 1; i <= n; i++) {
            k = keys[i]; m = split(substr(vals[k], 2), v, " ")
            for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (v[b] + 0 < v[a] + 0) { t = v[a]; v[a] = v[b]; v[b] = t }
            printf "%-32s %10s %s   (per boot:%s)\n", k, v[int((m + 1) / 2)], units[k], vals[k]
        }
    }'
