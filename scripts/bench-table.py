#!/usr/bin/env python3
"""scripts/bench-table.py -- the benchmark table: teachos beside Linux, as ratios.

    bench-table.py [--markdown] TEACHOS_LOG... -- LINUX_LOG...

Each log is the console of one boot (scripts/run-in-guest or
scripts/linux-ref) running the user-level benchmarks; the lines read are

    ubench NAME VALUE                (user/bench/ubench.c; the unit is the
                                      name's suffix: getpid_ns, fork_us)
    fsbench NAME VALUE UNIT          (user/bench/fsbench.c: MB/s, ops/s)

and a line "fsbench: FAIL ..." makes the whole table fail (exit 1): a
benchmark that computed a wrong answer has no number. For every case the
table gives the median over the boots for each kernel, with the min-max
spread of the boots, and the ratio teachos/Linux of the medians. A ratio
above 1 means teachos is faster for a throughput (MB/s, ops/s) and *slower*
for a time (ns, us): the last column says which way is better. Logs are read
as bytes, so any byte in a program's output is harmless.
"""
import re
import statistics
import sys

LINE = re.compile(rb"^(ubench|fsbench) ([A-Za-z0-9_]+) ([0-9.]+)(?: (\S+))?\s*$")
TIME_UNITS = ("ns", "us", "ms", "s")


def read_log(path):
    """{case: (value, unit)} of one boot; raises on a FAIL line."""
    cases = {}
    with open(path, "rb") as f:
        for raw in f:
            raw = raw.replace(b"\r", b"")
            if raw.startswith(b"fsbench: FAIL"):
                raise ValueError(f"{path}: {raw.decode(errors='replace').strip()}")
            m = LINE.match(raw)
            if not m:
                continue
            tool, name, value, unit = (g.decode() if g else None for g in m.groups())
            if unit is None:  # ubench: the unit is the name's suffix
                unit = name.rsplit("_", 1)[-1] if "_" in name else ""
            cases[f"{tool}.{name}"] = (float(value), unit)
    return cases


def collect(paths):
    """{case: ([values per boot], unit)}, in the order the cases first appear."""
    table = {}
    for path in paths:
        for case, (value, unit) in read_log(path).items():
            table.setdefault(case, ([], unit))[0].append(value)
    return table


def fmt(value):
    return f"{value:.0f}" if value >= 100 else f"{value:.3g}"


def cell(values):
    if not values:
        return "-"
    med = statistics.median(values)
    if len(values) == 1:
        return fmt(med)
    return f"{fmt(med)} ({fmt(min(values))}-{fmt(max(values))})"


def main(argv):
    markdown = "--markdown" in argv
    argv = [a for a in argv if a != "--markdown"]
    if "--" not in argv:
        sys.exit(__doc__)
    split = argv.index("--")
    try:
        ours, linux = collect(argv[:split]), collect(argv[split + 1:])
    except ValueError as e:
        print(f"bench-table: {e}", file=sys.stderr)
        return 1
    header = ("case", "unit", "teachos", "Linux", "ratio", "better")
    rows = []
    for case, (values, unit) in list(ours.items()) + [(c, v) for c, v in linux.items() if c not in ours]:
        theirs = linux.get(case, ([], unit))[0]
        ratio = "-"
        if values and theirs and statistics.median(theirs) > 0:
            ratio = f"{statistics.median(values) / statistics.median(theirs):.2f}"
        better = "lower" if unit in TIME_UNITS else "higher"
        rows.append((case, unit, cell(ours.get(case, ([], unit))[0]), cell(theirs), ratio, better))
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
        for row in [header] + rows:
            print("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
