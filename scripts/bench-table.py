#!/usr/bin/env python3
"""scripts/bench-table.py -- the benchmark table: teachos beside Linux, as ratios.

    bench-table.py [--markdown] TEACHOS_LOG... -- LINUX_LOG...

Each log is the console of one boot (scripts/run-in-guest or
scripts/linux-ref) running the user-level benchmarks; the lines read are

    ubench NAME VALUE                (user/bench/ubench.c; the unit is the
                                      name's suffix: getpid_ns, fork_us)
    fsbench NAME VALUE UNIT          (user/bench/fsbench.c: MB/s, ops/s)

and a line "fsbench: FAIL ..." or "ubench: FAIL ..." makes the whole table fail (exit 1): a
benchmark that computed a wrong answer has no number. For every case the
table gives the median over the boots for each kernel, with the min-max
spread of the boots, and the ratio teachos/Linux of the medians. A ratio
above 1 means teachos is faster for a throughput (MB/s, ops/s) and *slower*
for a time (ns, us): the last column says which way is better. Logs are read
as bytes, so any byte in a program's output is harmless. ubench's header
line "ubench runs N" is not a case.

scripts/bench-report.py (what `make bench` runs) loads this file as a
module: collect, rows and format_table make its tables and figure data.
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
            if raw.startswith((b"fsbench: FAIL", b"ubench: FAIL")):
                raise ValueError(f"{path}: {raw.decode(errors='replace').strip()}")
            m = LINE.match(raw)
            if not m:
                continue
            tool, name, value, unit = (g.decode() if g else None for g in m.groups())
            if tool == "ubench" and name == "runs":  # ubench's header line, not a case
                continue
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


def normalised_ratio(ours, theirs, unit):
    """teachos/Linux turned so that above 1 always means teachos is better:
    the ratio of the medians for a throughput, its inverse for a time.
    Returns None when either side has no number."""
    if not ours or not theirs:
        return None
    a, b = statistics.median(ours), statistics.median(theirs)
    if unit in TIME_UNITS:
        a, b = b, a
    return a / b if b > 0 else None


def rows(ours, linux):
    """One dict per case (teachos's cases first, then Linux-only ones):
    case, unit, ours and linux (the per-boot values), ratio (teachos/Linux of
    the medians, None if a side is missing), better ("higher" or "lower")
    and normalised (normalised_ratio)."""
    result = []
    for case, (values, unit) in list(ours.items()) + [(c, v) for c, v in linux.items() if c not in ours]:
        mine = ours.get(case, ([], unit))[0]
        theirs = linux.get(case, ([], unit))[0]
        ratio = None
        if mine and theirs and statistics.median(theirs) > 0:
            ratio = statistics.median(mine) / statistics.median(theirs)
        result.append({"case": case, "unit": unit, "ours": mine, "linux": theirs, "ratio": ratio,
                       "better": "lower" if unit in TIME_UNITS else "higher",
                       "normalised": normalised_ratio(mine, theirs, unit)})
    return result


HEADER = ("case", "unit", "teachos", "Linux", "ratio", "better")


def text_cells(row):
    """The six cells of one row of rows(), as the table prints them."""
    ratio = "-" if row["ratio"] is None else f"{row['ratio']:.2f}"
    return (row["case"], row["unit"], cell(row["ours"]), cell(row["linux"]), ratio, row["better"])


def format_table(header, cells, markdown):
    """The lines of a table: Markdown, or plain columns (names left-aligned,
    numbers right-aligned)."""
    if markdown:
        return (["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
                + ["| " + " | ".join(row) + " |" for row in cells])
    widths = [max(len(r[i]) for r in cells + [header]) for i in range(len(header))]
    return ["  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
            for row in [header] + cells]


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
    print("\n".join(format_table(HEADER, [text_cells(r) for r in rows(ours, linux)], markdown)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
