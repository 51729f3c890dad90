#!/usr/bin/env python3
"""scripts/bench-table.py -- the benchmark table: teachos beside Linux, as ratios.

    bench-table.py [--markdown] TEACHOS_LOG... -- LINUX_LOG...

Each log is the console of one boot (scripts/run-in-guest or
scripts/linux-ref) running the user-level benchmarks; the lines read are

    ubench NAME VALUE                (user/bench/ubench.c; the unit is the
                                      name's suffix: getpid_ns, fork_us)
    fsbench NAME VALUE UNIT          (user/bench/fsbench.c: MB/s, ops/s)
    swapbench NAME VALUE UNIT        (user/bench/swapbench.c: MB/s, s,
                                      pages/s; and sizes and counts, in MiB
                                      and pages, which are neither better
                                      high nor low: NEUTRAL_UNITS)

and a line "fsbench: FAIL ...", "ubench: FAIL ..." or "swapbench: FAIL ..." makes the whole table fail (exit 1): a
benchmark that computed a wrong answer has no number. fsbench run with -l
LABEL on a second file system in the same boot prefixes its names with
LABEL_ (fsbench ffs_read_4096 ...; FS_LABELS lists the labels known) and
its failure with the label (fsbench: FAIL [ffs] ...): such a failure drops
that label's rows of that log and is reported on stderr, the other rows
stand (split_label, read_log's `failures`). For every case the
table gives the median over the boots for each kernel, with the min-max
spread of the boots, and the ratio teachos/Linux of the medians. A ratio
above 1 means teachos is faster for a throughput (MB/s, ops/s) and *slower*
for a time (ns, us): the last column says which way is better. Logs are read
as bytes, so any byte in a program's output is harmless. ubench's header
line "ubench runs N" is not a case, nor are fsbench's "fsbench: counters
..." (an MFS pass's server work: scripts/bench-report.py reads them) and
"fsbench: note ..." lines.

scripts/bench-report.py (what `make bench` runs) loads this file as a
module: collect, rows and format_table make its tables and figure data.
"""
import re
import statistics
import sys

LINE = re.compile(rb"^(ubench|fsbench|swapbench) ([A-Za-z0-9_]+) ([0-9.]+)(?: (\S+))?\s*$")
LABELLED_FAIL = re.compile(rb"^fsbench: FAIL \[([a-z0-9]+)\] ")
TIME_UNITS = ("ns", "us", "ms", "s")
# Units of a size or a count (swapbench's region, memtotal, pswpout): the
# ratio is shown, but neither way is better ("better" is "-", no normalised
# ratio).
NEUTRAL_UNITS = ("MiB", "pages")
# The file systems fsbench's second passes label their rows with (fsbench
# -l; scripts/bench.sh): FFS on a RAM disk now, MFS when it exists.
FS_LABELS = ("ffs", "mfs")


def split_label(case):
    """(label, the case's unlabelled name): "fsbench.ffs_read_4096" ->
    ("ffs", "fsbench.read_4096"); a case of no FS_LABELS file system -> ("", case)."""
    tool, _, name = case.partition(".")
    label, _, rest = name.partition("_")
    if tool == "fsbench" and label in FS_LABELS and rest:
        return label, f"{tool}.{rest}"
    return "", case


def read_log(path, failures=None):
    """{case: (value, unit)} of one boot. A FAIL line raises ValueError --
    except, when `failures` is a dict, a labelled one ("fsbench: FAIL [ffs]
    ..."): then that label's cases are left out of this log's and
    failures[label] gets a list of "PATH: LINE" texts."""
    cases, failed = {}, set()
    with open(path, "rb") as f:
        for raw in f:
            raw = raw.replace(b"\r", b"")
            labelled = LABELLED_FAIL.match(raw)
            if labelled and failures is not None:
                label = labelled.group(1).decode()
                failed.add(label)
                failures.setdefault(label, []).append(f"{path}: {raw.decode(errors='replace').strip()}")
                continue
            if raw.startswith((b"fsbench: FAIL", b"ubench: FAIL", b"swapbench: FAIL")):
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
    return {case: v for case, v in cases.items() if split_label(case)[0] not in failed}


def collect(paths, failures=None):
    """{case: ([values per boot], unit)}, in the order the cases first appear
    (`failures`: as read_log's)."""
    table = {}
    for path in paths:
        for case, (value, unit) in read_log(path, failures).items():
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
    Returns None when either side has no number, or the unit is a size or
    a count (NEUTRAL_UNITS)."""
    if not ours or not theirs or unit in NEUTRAL_UNITS:
        return None
    a, b = statistics.median(ours), statistics.median(theirs)
    if unit in TIME_UNITS:
        a, b = b, a
    return a / b if b > 0 else None


def rows(ours, linux):
    """One dict per case (teachos's cases first, then Linux-only ones):
    case, unit, ours and linux (the per-boot values), ratio (teachos/Linux of
    the medians, None if a side is missing), better ("higher", "lower", or
    "-" for a size or a count)
    and normalised (normalised_ratio)."""
    result = []
    for case, (values, unit) in list(ours.items()) + [(c, v) for c, v in linux.items() if c not in ours]:
        mine = ours.get(case, ([], unit))[0]
        theirs = linux.get(case, ([], unit))[0]
        ratio = None
        if mine and theirs and statistics.median(theirs) > 0:
            ratio = statistics.median(mine) / statistics.median(theirs)
        result.append({"case": case, "unit": unit, "ours": mine, "linux": theirs, "ratio": ratio,
                       "better": "lower" if unit in TIME_UNITS else "-" if unit in NEUTRAL_UNITS else "higher",
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
    failures = {}
    try:
        ours, linux = collect(argv[:split], failures), collect(argv[split + 1:], failures)
    except ValueError as e:
        print(f"bench-table: {e}", file=sys.stderr)
        return 1
    for label, lines in failures.items():
        print(f"bench-table: the {label} rows of a boot are left out: " + "; ".join(lines), file=sys.stderr)
    print("\n".join(format_table(HEADER, [text_cells(r) for r in rows(ours, linux)], markdown)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
