#!/bin/bash
# scripts/bench.sh KERNEL.ELF -- what `make bench` runs.
#
# Benchmarks are never pass/fail tests: this prints numbers. The in-kernel
# micro-benchmarks are the bench_* ktest suites; each prints
# "BENCH <name> <value> <unit>" (a median of several runs inside one boot).
# The whole boot is repeated BENCH_BOOTS times (default 3) and the median of
# the per-boot medians is reported, because timings under TCG are noisy.
# Raw console logs: build/bench/.
set -u
kernel=$1
here=$(cd "$(dirname "$0")" && pwd)
out=build/bench; mkdir -p "$out"
boots=${BENCH_BOOTS:-3}
suites=${BENCH_SUITES:-bench_vm}

rm -f "$out"/boot*.log
sh "$here/mkiso.sh" "$out/bench.iso" "$kernel" "ktest=$suites panic=exit" || exit 1
for i in $(seq 1 "$boots"); do
    bash "$here/qemu.sh" --timeout 900 "$out/bench.iso" </dev/null >"$out/boot$i.log" 2>&1
    tr -d '\r' < "$out/boot$i.log" > "$out/boot$i.tmp" && mv "$out/boot$i.tmp" "$out/boot$i.log"
    if grep -q 'FAIL\|PANIC' "$out/boot$i.log"; then
        echo "bench: boot $i failed, see $out/boot$i.log" >&2
        grep -E 'FAIL|PANIC' "$out/boot$i.log" >&2
        exit 1
    fi
done
echo "accel: $(cat build/.accel 2>/dev/null || echo "${ACCEL:-?}"); $boots boots; median of per-boot medians"
cat "$out"/boot*.log | grep '^BENCH ' | awk '
    { key = $2; unit = $4; vals[key] = vals[key] " " $3; units[key] = unit; if (!(key in order)) { order[key] = ++n; keys[n] = key } }
    END {
        for (i = 1; i <= n; i++) {
            k = keys[i]; m = split(substr(vals[k], 2), v, " ")
            for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (v[b] + 0 < v[a] + 0) { t = v[a]; v[a] = v[b]; v[b] = t }
            printf "%-32s %10s %s   (per boot:%s)\n", k, v[int((m + 1) / 2)], units[k], vals[k]
        }
    }'
