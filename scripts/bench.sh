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
# First, the user-level micro-benchmarks (user/bench/ubench.c: system call,
# fork, execve, page fault; each a median of UBENCH_RUNS runs, default 7) in
# one guest boot through scripts/run-in-guest, and the very same static
# binary run natively on this machine's Linux for scale (not under QEMU, so
# not a fair ratio under TCG). UBENCH=0 skips them.
set -u
kernel=$1
here=$(cd "$(dirname "$0")" && pwd)
out=build/bench; mkdir -p "$out"
boots=${BENCH_BOOTS:-3}
suites=${BENCH_SUITES:-bench_vm}

# ---- user-level micro-benchmarks: never a failure, only numbers ----
ubench=build/user/bench/ubench
if [ "${UBENCH:-1}" != 0 ] && [ -x "$ubench" ]; then
    runs=${UBENCH_RUNS:-7}
    echo "== ubench in the guest ($(cat build/.accel 2>/dev/null || echo "${ACCEL:-?}"); median of $runs runs)"
    bash "$here/run-in-guest" --no-build --timeout 900 --add "$ubench:/bin/ubench" \
        -- /bin/ubench -r "$runs" >"$out/ubench.log" 2>&1
    if ! grep -a '^ubench ' "$out/ubench.log"; then
        echo "bench: ubench printed nothing in the guest, see $out/ubench.log" >&2
    fi
    echo "== ubench on this machine's Linux, natively (the same binary; for scale only)"
    "$ubench" -r "$runs" 2>&1 | grep -a '^ubench ' | sed 's/^ubench /ubench-host /'
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
