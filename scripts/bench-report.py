#!/usr/bin/env python3
"""scripts/bench-report.py -- the benchmark report: tables in Markdown, figures with gnuplot.

    bench-report.py [--out DIR] [--accel A] [--mem M] [--boots N] [--mode TEXT] [--load-start L]
                    [--linux-kernel PACKAGE] [--linux-cmdline WORDS] [--ffs TEXT] [--mfs TEXT]
                    --teachos LOG... --linux LOG... [--ktest LOG...]
                    [--swap-mem M --swap-teachos LOG... --swap-linux LOG...]

What `make bench` runs last (scripts/bench.sh). The logs are the consoles
of the boots: --teachos and --linux the user-level benchmarks on each
kernel (lines "ubench NAME VALUE" and "fsbench NAME VALUE UNIT", read by
scripts/bench-table.py, whose medians, spreads and ratios this reuses),
--ktest the in-kernel bench_* suites ("BENCH NAME VALUE UNIT", teachos
only). It writes into DIR (default build/bench):

    report.md            a header (date, accelerator, host CPU, QEMU
                         version, guest memory, boots, host load) and the
                         tables, in Markdown
    throughput.dat/.png  figure (a): MB/s against I/O size -- the two user
                         copies (libc memcpy and fsbench's copy loop),
                         teachos and Linux tmpfs read and write, and the MFS
                         paper's 45%-of-memcpy line drawn against the faster
                         copy (scripts/bench-throughput.gp)
    ratios.dat/.png      figure (c): every case's ratio to Linux, turned so
                         that above 1 means teachos is better
                         (scripts/bench-ratios.gp)
    paper.dat/.png       figure (b): the MFS paper's measurement -- write
                         with fsync and cold read against I/O size on tmpfs,
                         MFS and FFS on md, beside the in-guest copy and 45%
                         of it (scripts/bench-throughput.gp, heading set)
    same-boot.dat/.png   figure (d): every case of the second passes (FFS on
                         a RAM disk, MFS) as a ratio to teachos's tmpfs in
                         the same boot (scripts/bench-ratios.gp again)

The second passes: on teachos, scripts/bench.sh runs fsbench again in the
same boot on other file systems, its rows labelled (fsbench.ffs_read_4096;
bench-table's FS_LABELS). Those rows are not in the table against Linux
(Linux has no FFS here) but in their own, "FFS on md vs tmpfs, same
boot": tmpfs, ffs and the ratio ffs/tmpfs of each boot (median and
spread over the boots), never a pass/fail. --ffs says what /mnt/ffs was
(FFS, or bench.sh's tmpfs stand-in); the guest's own "bench: ..." lines
(a newfs or mount that failed, fsck's verdict) are quoted beside it, and
so are fsbench's notes ("fsbench: note ...": a cold read that could not
drop the cache).

MFS as the paper measured it (issue 12): the table of paper_rows --
write_fsync, read_cold and the warm read at each I/O size on tmpfs, mfs
and ffs, beside the faster of the two user copies of the same boot and
size, mfs as a percentage of that copy next to the paper's ~45%, and
mfs/tmpfs -- and the MFS server's work per 4 KiB block, from fsbench's
"fsbench: counters LABEL_CASE blocks N requests R ..." lines (fsbench -k
/proc/fs/mfs/0) and the guest's "bench: mfs counters: ..." total of the
pass: requests and wakeups (a switch to the server and back) per block.

The swap pass (issue 13; docs/pageout.md): --swap-teachos and --swap-linux
are the consoles of other boots, both kernels with --swap-mem of memory
and a swap disk, running user/bench/swapbench.c ("swapbench NAME VALUE
UNIT"): the table "Swap: the 3x-memory anonymous sweep" (swap_section),
teachos beside Linux as the user-level table, with each kernel's MemTotal
and region size -- the sweep is 3x each kernel's own MemTotal, so the two
regions differ -- and sweep_total's ratio against the issue's goal.

and prints the same tables as plain text. Without gnuplot the figures are
left out (the report says so, and so does stderr) and the rest is written.
Exit status 1 if a log holds an unlabelled "fsbench: FAIL" or "ubench: FAIL"
(a benchmark that computed a wrong answer has no number), else 0: a
benchmark is never pass/fail. A labelled one ("fsbench: FAIL [ffs] ...")
leaves out only that file system's rows of that boot, and the report says so.
docs/bench.md explains how to read all of it.
"""
import argparse
import datetime
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("bench_table", os.path.join(HERE, "bench-table.py"))
bench_table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_table)

SIZES = (4096, 65536, 1048576)

# Figure (a)'s series: (title, which kernel's logs, case name with {} for the
# size, colour, dash type). A series with no data is left out, which is how
# MFS waits for its issue: when fsbench runs on an MFS mount and prints
# mfs_read_SIZE / mfs_write_new_SIZE, its lines appear with no change here.
THROUGHPUT_SERIES = (
    ("user memcpy (teachos)", "teachos", "fsbench.memcpy_{}", "black", 1),
    ("user copy loop (teachos)", "teachos", "fsbench.copy_{}", "black", 2),
    ("teachos tmpfs read", "teachos", "fsbench.read_{}", "#1f77b4", 1),
    ("teachos tmpfs write (new file)", "teachos", "fsbench.write_new_{}", "#1f77b4", 2),
    ("Linux tmpfs read", "linux", "fsbench.read_{}", "#ff7f0e", 1),
    ("Linux tmpfs write (new file)", "linux", "fsbench.write_new_{}", "#ff7f0e", 2),
    ("teachos MFS read", "teachos", "fsbench.mfs_read_{}", "#2ca02c", 1),
    ("teachos MFS write (new file)", "teachos", "fsbench.mfs_write_new_{}", "#2ca02c", 2),
    ("teachos FFS (md) read", "teachos", "fsbench.ffs_read_{}", "#9467bd", 1),
    ("teachos FFS (md) write (new file)", "teachos", "fsbench.ffs_write_new_{}", "#9467bd", 2),
)
MFS_PAPER_FRACTION = 0.45  # McKusick, Karels, Bostic 1990: MFS at ~45% of memcpy
# The series the paper's "memcpy" is measured against: fsbench's two user
# copies (musl's memcpy is `rep movsq`, which TCG runs one element at a time,
# so the copy loop is usually the faster there); the line uses the best.
COPY_SERIES = ("user memcpy (teachos)", "user copy loop (teachos)")

# The same-boot table's rows, the FFS issue's list: the large sequential
# data path, the random page lookups, the metadata rates. The second table
# holds every case the passes ran.
SAME_BOOT_CASES = ("fsbench.write_new_1048576", "fsbench.overwrite_1048576", "fsbench.read_1048576",
                   "fsbench.read_random_4096", "fsbench.create", "fsbench.unlink",
                   "fsbench.write_fsync_1048576", "fsbench.read_cold_1048576")
# "MFS as the paper measured it": the kinds of case, each at every size, in
# this order (write with the flush, the cold read, the warm read), and the
# file systems' columns (tmpfs is the unlabelled rows).
PAPER_KINDS = ("write_fsync", "read_cold", "read")
PAPER_FS = ("tmpfs", "mfs", "ffs")
# The user copies the paper's "memcpy" is, at each size: the faster of the two.
COPY_CASES = ("fsbench.memcpy_{}", "fsbench.copy_{}")
# What each label's rows were measured on, for the table's title.
FS_TITLES = {"ffs": "FFS on md", "mfs": "MFS"}

TCG_SENTENCE = ("Under TCG (QEMU's emulator, no hardware virtualisation) the absolute numbers are "
                "emulator numbers -- how fast QEMU translates and runs these instructions on this host "
                "-- and say little about real hardware; only the ratios between the two kernels, "
                "measured in the same emulator in interleaved boots, carry over.")


# ---- the machine ----

def first_line(path, prefix):
    """The value of the first "prefix : value" line of a file (/proc/cpuinfo), or "?"."""
    try:
        with open(path, errors="replace") as f:
            for line in f:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def qemu_version():
    try:
        out = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True, text=True, timeout=10)
        return out.stdout.splitlines()[0].strip() if out.stdout else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def fsbench_setup(paths):
    """What fsbench said it measured ("dir /tmp, file 64 MiB, 10000 files,
    median of 5 runs"), from the first log that says it; "?" if none does."""
    for path in paths:
        with open(path, "rb") as f:
            for raw in f:
                if raw.startswith(b"fsbench: dir "):
                    return raw[len(b"fsbench: "):].decode(errors="replace").strip()
    return "?"


def machine(args):
    """The header facts, as (name, value) pairs in the report's order."""
    try:
        with open("/proc/loadavg") as f:
            load = " ".join(f.read().split()[:3])
    except OSError:
        load = "?"
    return [
        ("date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
        ("accelerator", args.accel),
        ("host CPU", f"{first_line('/proc/cpuinfo', 'model name')} ({os.cpu_count()} CPUs)"),
        ("host load average (1, 5, 15 min)", f"{args.load_start} at the start, {load} at the end"),
        ("QEMU", qemu_version()),
        ("guest", f"memory {args.mem}, 1 CPU"),
        ("boots", f"{args.boots} of each kernel, interleaved (teachos, Linux, teachos, ...)"),
        ("Linux reference", f"Debian's {args.linux_kernel or '?'} (scripts/linux-ref), "
                            f"extra kernel command line: {args.linux_cmdline} (docs/bench.md says why)"),
        ("mode", args.mode),
        ("fsbench", fsbench_setup(args.teachos)),
        ("ffs pass (teachos, same boot)", f"/mnt/ffs is {args.ffs}"),
        ("mfs pass (teachos, same boot)", f"/mnt/mfs is {args.mfs}"),
    ]


# ---- the tables ----

def size_text(n):
    """A byte count as people say it: 65536 -> "64 KiB"."""
    return f"{n // 1048576} MiB" if n % 1048576 == 0 else f"{n // 1024} KiB" if n % 1024 == 0 else f"{n} B"


def size_label(case):
    """A readable name for figure (c): fsbench.write_new_65536 -> "write new 64 KiB",
    ubench.getpid_ns -> "getpid"."""
    tool, _, name = case.partition(".")
    stem, _, last = name.rpartition("_")
    if last.isdigit() and stem:
        name = f"{stem} {size_text(int(last))}"
    elif tool == "ubench" and stem:
        name = stem
    return name.replace("_", " ")


def user_table(rows, markdown):
    """The user-level table: bench-table's columns and the normalised ratio."""
    header = bench_table.HEADER + ("teachos better by",)
    cells = []
    for row in rows:
        norm = "-" if row["normalised"] is None else f"{row['normalised']:.2f}x"
        cells.append(bench_table.text_cells(row) + (norm,))
    return bench_table.format_table(header, cells, markdown)


# ---- the second passes: the same boot, another file system ----

def unlabelled(table):
    """The cases of `table` ({case: ...}) that no second pass labelled."""
    return {case: v for case, v in table.items() if not bench_table.split_label(case)[0]}


def read_boots(paths, failures):
    """One {case: (value, unit)} per log, in order (bench_table.read_log,
    labelled failures into `failures`)."""
    return [bench_table.read_log(path, failures) for path in paths]


def same_boot_labels(boots):
    """The FS_LABELS that some boot has rows of, in FS_LABELS's order."""
    found = {bench_table.split_label(case)[0] for boot in boots for case in boot}
    return [label for label in bench_table.FS_LABELS if label in found]


def labelled_case(case, label):
    """"fsbench.read_4096", "ffs" -> "fsbench.ffs_read_4096"."""
    tool, _, name = case.partition(".")
    return f"{tool}.{label}_{name}"


def same_boot_rows(boots, labels, cases=None):
    """One dict per tmpfs case that some label has (or per case of `cases`,
    in its order): case, unit, tmpfs (values per boot), and for each label
    its values per boot and its ratios label/tmpfs, each taken within one
    boot -- the pairs the same boot makes fair."""
    if cases is None:
        cases = []
        for boot in boots:
            for case in boot:
                label, plain = bench_table.split_label(case)
                if label in labels and plain not in cases:
                    cases.append(plain)
    result = []
    for case in cases:
        names = [case] + [labelled_case(case, label) for label in labels]
        unit = next((boot[name][1] for name in names for boot in boots if name in boot), "?")
        row = {"case": case, "unit": unit, "tmpfs": [boot[case][0] for boot in boots if case in boot]}
        for label, mine in zip(labels, names[1:]):
            row[label] = [boot[mine][0] for boot in boots if mine in boot]
            row[label + "_ratio"] = [boot[mine][0] / boot[case][0] for boot in boots
                                     if mine in boot and case in boot and boot[case][0] > 0]
        if any(row[label] for label in labels):
            result.append(row)
    return result


def ratio_cell(ratios):
    """The median of the per-boot ratios, with their spread over the boots."""
    if not ratios:
        return "-"
    med = statistics.median(ratios)
    if len(ratios) == 1:
        return f"{med:.2f}"
    return f"{med:.2f} ({min(ratios):.2f}-{max(ratios):.2f})"


def same_boot_table(rows, labels, markdown):
    """The lines of the same-boot table (same_boot_rows's rows): case, unit,
    tmpfs, then for each label its values and its ratio to tmpfs."""
    header = ("case", "unit", "tmpfs") + tuple(c for label in labels for c in (label, f"{label}/tmpfs"))
    cells = [(row["case"], row["unit"], bench_table.cell(row["tmpfs"]))
             + tuple(c for label in labels
                     for c in (bench_table.cell(row[label]), ratio_cell(row[label + "_ratio"])))
             for row in rows]
    return bench_table.format_table(header, cells, markdown)


def same_boot_title(labels, ffs_text=""):
    """"FFS on md vs tmpfs, same boot" (with every label that has rows);
    `ffs_text`, bench.sh's --ffs, marks scripts/bench.sh's stand-in."""
    names = [FS_TITLES.get(label, label) for label in labels] or [FS_TITLES["ffs"]]
    standin = " (ffs rows: a STAND-IN tmpfs)" if ffs_text.startswith("STAND-IN") else ""
    return " and ".join(names) + " vs tmpfs, same boot" + standin


def guest_notes(paths):
    """The lines the teachos boots' scripts printed about their second
    passes ("bench: no ffs pass: ...") and fsbench's notes ("fsbench: note
    ..."), each once, in order."""
    notes = []
    for path in paths:
        with open(path, "rb") as f:
            for raw in f:
                line = raw.replace(b"\r", b"").decode(errors="replace").strip()
                if line.startswith(("bench: ", "fsbench: note ")) and line not in notes:
                    notes.append(line)
    return notes


def same_boot_section(boots, failures, notes, ffs_text):
    """The report's lines about the second passes: what they ran on, what
    the guest said (notes: guest_notes), the checks that failed (failures:
    read_log's), the issue's rows and then every case."""
    labels = same_boot_labels(boots)
    lines = [f"## {same_boot_title(labels, ffs_text)}", ""]
    if labels:
        lines += [f"On teachos, after the tmpfs pass, the same boot ran fsbench again with the same "
                  f"file size and file count on other file systems: /mnt/ffs is {ffs_text}, then "
                  f"/mnt/mfs an MFS of the RAM disk's size (mfs rows). Linux "
                  f"has neither here: its column stays tmpfs, and the fair comparisons are ffs and mfs "
                  f"against teachos's tmpfs in the same boot (this table) and tmpfs against Linux's "
                  f"tmpfs (the table above). Each ratio is taken within one boot, then the median over "
                  f"the boots, with the spread; above 1, the other file system is faster. The FFS "
                  f"issue's rough target is reads within 1.5x of tmpfs (ffs/tmpfs of 0.67 or more): "
                  f"the ratio is printed, never a verdict.", ""]
    else:
        lines += [f"No second-pass rows in the logs (/mnt/ffs: {ffs_text}).", ""]
    said = [f"- the guest said: `{note}`" for note in notes]
    said += [f"- {label}: fsbench failed a check, so its rows of that boot are left out: `{text}`"
             for label, texts in failures.items() for text in texts]
    lines += said + ([""] if said else [])
    if labels:
        lines += same_boot_table(same_boot_rows(boots, labels, SAME_BOOT_CASES), labels, True) + [""]
        lines += ["Every case of the second pass:", ""]
        lines += same_boot_table(same_boot_rows(boots, labels), labels, True) + [""]
    return lines


# ---- MFS as the paper measured it ----

def copy_per_boot(boots, size):
    """The in-guest copy speed at `size` in each boot: the faster of fsbench's
    memcpy_SIZE and copy_SIZE (None for a boot with neither)."""
    result = []
    for boot in boots:
        values = [boot[c.format(size)][0] for c in COPY_CASES if c.format(size) in boot]
        result.append(max(values) if values else None)
    return result


def fs_case(case, fs):
    """The case's name on file system `fs` ("tmpfs": unlabelled)."""
    return case if fs == "tmpfs" else labelled_case(case, fs)


def per_boot(boots, case):
    """The case's value in each boot (None where a boot lacks it)."""
    return [boot[case][0] if case in boot else None for boot in boots]


def ratios(tops, bottoms, scale=1.0):
    """scale * top / bottom for each boot that has both."""
    return [scale * t / b for t, b in zip(tops, bottoms) if t is not None and b]


def paper_rows(boots):
    """One dict per PAPER_KINDS case at each size that some file system has:
    case, per-boot values of each PAPER_FS and of the copy, mfs as a
    percentage of the copy and mfs/tmpfs (each within one boot)."""
    result = []
    for kind in PAPER_KINDS:
        for size in SIZES:
            case = f"fsbench.{kind}_{size}"
            row = {"case": case, "copy": copy_per_boot(boots, size)}
            for fs in PAPER_FS:
                row[fs] = per_boot(boots, fs_case(case, fs))
            if not any(v is not None for fs in PAPER_FS for v in row[fs]):
                continue
            row["mfs_pct_copy"] = ratios(row["mfs"], row["copy"], 100.0)
            row["mfs_tmpfs"] = ratios(row["mfs"], row["tmpfs"])
            result.append(row)
    return result


def percent_cell(values):
    """A median percentage with its spread over the boots."""
    if not values:
        return "-"
    med = statistics.median(values)
    return f"{med:.0f}%" if len(values) == 1 else f"{med:.0f}% ({min(values):.0f}-{max(values):.0f}%)"


def paper_table(rows, markdown):
    header = ("case (MB/s)", "tmpfs", "mfs", "ffs", "copy", "mfs % of copy", "paper", "mfs/tmpfs")
    cells = [(row["case"],) + tuple(bench_table.cell([v for v in row[c] if v is not None])
                                    for c in PAPER_FS + ("copy",))
             + (percent_cell(row["mfs_pct_copy"]), f"~{MFS_PAPER_FRACTION:.0%}", ratio_cell(row["mfs_tmpfs"]))
             for row in rows]
    return bench_table.format_table(header, cells, markdown)


COUNTER_KEYS = ("blocks", "requests", "inline_requests", "bytes", "wakeups", "discards")


def parse_counters(words):
    """{key: int} from "key value key value ..." words (unknown keys kept)."""
    result = {}
    for key, value in zip(words[0::2], words[1::2]):
        try:
            result[key] = int(value)
        except ValueError:
            pass
    return result


def read_counters(paths):
    """({case: [counters per boot]} from fsbench's "fsbench: counters CASE
    ..." lines, {label: [counters per boot]} from the guest's "bench: LABEL
    counters: ..." totals), in the order first seen."""
    cases, totals = {}, {}
    for path in paths:
        with open(path, "rb") as f:
            for raw in f:
                words = raw.replace(b"\r", b"").decode(errors="replace").split()
                if len(words) > 3 and words[:2] == ["fsbench:", "counters"]:
                    cases.setdefault(words[2], []).append(parse_counters(words[3:]))
                elif len(words) > 3 and words[0] == "bench:" and words[2] == "counters:":
                    counted = parse_counters(words[3:])
                    if "requests" in counted:
                        totals.setdefault(words[1], []).append(counted)
    return cases, totals


def per_block(counters, key, blocks_of):
    """counters[key] per block (blocks_of(counters)) for each boot that has both."""
    return [c[key] / blocks_of(c) for c in counters if key in c and blocks_of(c)]


def counters_table(cases, totals, markdown):
    """The MFS server's work: for each case, the 4 KiB file blocks its timed
    runs moved, requests and wakeups per such block, KiB per request and
    the share done inline; then each pass's total, per 4 KiB block the
    server copied (bytes / 4096)."""
    def two(values):
        if not values:
            return "-"
        med = statistics.median(values)
        return f"{med:.2f}" if len(values) == 1 else f"{med:.2f} ({min(values):.2f}-{max(values):.2f})"

    def row(name, counters, blocks_of):
        kib = [c["bytes"] / 1024 / c["requests"] for c in counters if c.get("requests") and "bytes" in c]
        inline = [100.0 * c["inline_requests"] / c["requests"] for c in counters
                  if c.get("requests") and "inline_requests" in c]
        blocks = [blocks_of(c) for c in counters]
        return (name, bench_table.cell(blocks), two(per_block(counters, "requests", blocks_of)),
                two(per_block(counters, "wakeups", blocks_of)), two(kib), percent_cell(inline))

    header = ("case", "4 KiB blocks", "requests/block", "wakeups/block", "KiB/request", "inline")
    cells = [row(case, counters, lambda c: c.get("blocks", 0)) for case, counters in cases.items()]
    cells += [row(f"{label} pass, total (per block copied)", counters, lambda c: c.get("bytes", 0) / 4096)
              for label, counters in totals.items()]
    return bench_table.format_table(header, cells, markdown)


def paper_series(rows):
    """Figure (b)'s series, as throughput_series's: the copy and 45% of it,
    then write_fsync and read_cold on each file system that has them."""
    colours = {"tmpfs": "#1f77b4", "mfs": "#2ca02c", "ffs": "#9467bd"}
    by_case = {row["case"]: row for row in rows}

    def points(kind, column, scale=1.0):
        result = []
        for size in SIZES:
            row = by_case.get(f"fsbench.{kind}_{size}")
            values = [scale * v for v in row[column] if v is not None] if row else []
            if values:
                result.append((size,) + median_min_max(values))
        return result

    copy_kind = next((kind for kind in PAPER_KINDS if points(kind, "copy")), None)
    series = []
    if copy_kind:
        series.append(("in-guest copy (the faster user copy)", "black", 1, points(copy_kind, "copy")))
        series.append(("MFS paper: 45% of the copy", "#2ca02c", 3, points(copy_kind, "copy", MFS_PAPER_FRACTION)))
    for fs in PAPER_FS:
        for kind, dash, what in (("read_cold", 1, "cold read"), ("write_fsync", 2, "write + fsync")):
            found = points(kind, fs)
            if found:
                series.append((f"{fs} {what}", colours[fs], dash, found))
    return series


def paper_section(boots, counters):
    """The report's lines for "MFS as the paper measured it"."""
    rows = paper_rows(boots)
    if not any(v is not None for row in rows for v in row["mfs"]):
        return ["## MFS as the paper measured it", "",
                "No mfs rows in the logs: the mfs pass did not run (see the guest's lines above).", ""]
    lines = ["## MFS as the paper measured it", "",
             "McKusick, Karels and Bostic (1990) measured their MFS at about 45% of memcpy's speed: two "
             "copies per block (user buffer to buffer cache, buffer cache to the server's memory) and two "
             "context switches. Here: write_fsync times the writes and the fsync that pushes them to the "
             "server (the two-copy path), read_cold reads after the file's cached pages were dropped "
             "(sync, then /proc/sys/vm/drop_caches: the blocks come back from the server's memory, or "
             "from the RAM disk for ffs), read is the warm read from the page cache (one copy, no "
             "server). tmpfs's cold read is its warm read: its pages are its data and are never dropped. "
             "copy is the faster of fsbench's two user copies (memcpy_SIZE, copy_SIZE) of the same size "
             "in the same boot; each percentage and ratio is taken within one boot, then the median over "
             "the boots with the spread. Numbers to read, never a pass/fail.", ""]
    lines += paper_table(rows, True) + [""]
    cases, totals = counters
    if cases or totals:
        lines += ["The MFS server's work (fsbench -k /proc/fs/mfs/0: the counters around each case's timed "
                  "runs; a block is 4 KiB of the file, so a warm read costs the server nothing). "
                  "requests/block of 1 is one request per page; less is batching (a cluster per request). "
                  "A wakeup is one switch to the server and one back: the paper's two switches per block "
                  "are one wakeup per block here, fewer when read-ahead or write-behind queue several "
                  "requests per wakeup. inline is the share done in the server's own thread.", ""]
        lines += counters_table(cases, totals, True) + [""]
    else:
        lines += ["No MFS counters in the logs (no /proc/fs/mfs/0 on this kernel, or the pass did not "
                  "run): no requests or switches per block.", ""]
    return lines


def read_ktest(paths):
    """{name: ([value per boot], unit)} from the in-kernel suites' "BENCH" lines."""
    table = {}
    for path in paths:
        with open(path, "rb") as f:
            for raw in f:
                parts = raw.replace(b"\r", b"").decode(errors="replace").split()
                if len(parts) == 4 and parts[0] == "BENCH":
                    try:
                        table.setdefault(parts[1], ([], parts[3]))[0].append(float(parts[2]))
                    except ValueError:
                        pass
    return table


def ktest_table(table, markdown):
    header = ("in-kernel case", "unit", "teachos")
    cells = [(name, unit, bench_table.cell(values)) for name, (values, unit) in table.items()]
    return bench_table.format_table(header, cells, markdown)


# ---- the swap pass ----

SWAP_GOAL = 1.5  # issue 13: the 3x-memory sweep within 1.5x of Linux's time


def swap_sizes(table):
    """"memtotal M MiB, region R MiB" of one kernel's swap logs (medians), or "?"."""
    def median(case):
        values = table.get(case, ([], ""))[0]
        return f"{statistics.median(values):.0f}" if values else "?"
    return f"MemTotal {median('swapbench.memtotal')} MiB, region {median('swapbench.region')} MiB"


def swap_section(ours, linux, mem, markdown=True):
    """The swap pass's lines: a heading and a note (Markdown only), the table
    (the user-level table's columns), and what the sizes and the goal say.
    `ours` and `linux` are bench_table.collect's tables of the swap logs."""
    rows = bench_table.rows(ours, linux)
    lines = []
    if markdown:
        lines += [f"## Swap: the 3x-memory anonymous sweep (user/bench/swapbench.c, guest memory {mem})", ""]
    lines += user_table(rows, markdown)
    lines += ["",
              f"Sizes: teachos {swap_sizes(ours)}; Linux {swap_sizes(linux)}. At the same guest memory "
              "Linux's MemTotal is smaller (its kernel keeps more for itself, and it counts only what is "
              "left after its image and reservations, where teachos's counts every page its allocator "
              "manages), and each kernel's sweep is 3x its own MemTotal, so the absolute sizes differ: compare the MB/s and pages/s rows; "
              "sweep_total times regions of different sizes. memtotal, region, pswpout and "
              "pswpin are sizes and counts, not better either way."]
    total = next((r for r in rows if r["case"] == "swapbench.sweep_total"), None)
    if total and total["ratio"] is not None:
        verdict = "within" if total["ratio"] <= SWAP_GOAL else "outside"
        lines += ["",
                  f"sweep_total teachos/Linux = {total['ratio']:.2f}: {verdict} issue 13's goal of "
                  f"{SWAP_GOAL}x Linux's time (each kernel sweeping 3x its own MemTotal)."]
    return lines + ([""] if markdown else [])


# ---- the figures ----

def median_min_max(values):
    return statistics.median(values), min(values), max(values)


def throughput_series(ours, linux, ffs_text=""):
    """[(title, colour, dash, [(size, median, min, max)])] of the series that
    have data; `ffs_text` (bench.sh's --ffs) renames the FFS series when
    they are the tmpfs stand-in."""
    sides = {"teachos": ours, "linux": linux}
    result = []
    for title, side, case, colour, dash in THROUGHPUT_SERIES:
        points = [(size,) + median_min_max(sides[side][case.format(size)][0])
                  for size in SIZES if sides[side].get(case.format(size), ([],))[0]]
        if ffs_text.startswith("STAND-IN"):
            title = title.replace("FFS (md)", "ffs STAND-IN (tmpfs)")
        if points:
            result.append((title, colour, dash, points))
    return result


def copy_limit(series):
    """The user copy the MFS paper's line is drawn against: (best median MB/s,
    series title, I/O size) over COPY_SERIES's points, or None without them."""
    points = [(point[1], title, point[0]) for title, _, _, points in series if title in COPY_SERIES
              for point in points]
    return max(points) if points else None


def copy_limit_text(limit):
    """How the report and the figure name the copy limit."""
    value, title, size = limit
    return f"{title.split(' (')[0]} at {size_text(size)}, {value:.0f} MB/s"


def write_throughput_data(path, series):
    with open(path, "w") as f:
        f.write("# figure (a): scripts/bench-throughput.gp; per block: bytes, median MB/s, min, max\n")
        for i, (title, _, _, points) in enumerate(series):
            f.write("\n\n" if i else "")
            f.write(f'size "{title}"\n')
            for point in points:
                f.write("%d %.1f %.1f %.1f\n" % point)


def write_ratio_data(path, rows):
    with open(path, "w") as f:
        f.write("# figure (c): scripts/bench-ratios.gp; case, normalised ratio (above 1: teachos better)\n")
        for row in rows:
            f.write(f'"{size_label(row["case"])}" {row["normalised"]:.4f}\n')


def gnuplot(script, **variables):
    """Runs scripts/SCRIPT with the variables set; returns an error text or None."""
    def value(v):
        return "'" + str(v).replace("'", "") + "'" if isinstance(v, str) else repr(v)
    setting = "; ".join(f"{k}={value(v)}" for k, v in variables.items())
    try:
        out = subprocess.run(["gnuplot", "-e", setting, os.path.join(HERE, script)],
                             capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        return str(e)
    if out.returncode != 0:
        return out.stderr.strip() or f"gnuplot exited with status {out.returncode}"
    return None


def write_same_boot_data(path, rows, labels):
    with open(path, "w") as f:
        f.write("# figure (d): scripts/bench-ratios.gp; case, median of the same-boot ratios to tmpfs\n")
        for label in labels:
            for row in rows:
                if row[label + "_ratio"]:
                    name = size_label(row["case"])
                    name = f"{label} {name}" if len(labels) > 1 else name
                    f.write(f'"{name}" {statistics.median(row[label + "_ratio"]):.4f}\n')


def ratio_figure(out, name, values, subtitle, **titles):
    """One bench-ratios.gp figure of `values` (already in DATA); returns an error text or None."""
    ymax = max(max(v, 1 / v) for v in values if v > 0) if any(v > 0 for v in values) else 2.0
    return gnuplot("bench-ratios.gp", datafile=os.path.join(out, name + ".dat"),
                   outfile=os.path.join(out, name + ".png"), ncases=len(values),
                   ymax=max(2.0, ymax * 1.25), subtitle=subtitle, **titles)


def figures(out, ours, linux, rows, subtitle, same_rows=(), labels=(), ffs_text="", paper=()):
    """Draws what has data (`ffs_text`: bench.sh's --ffs; `paper`:
    paper_series's); returns ([(file, caption)], [problems])."""
    made, problems = [], []
    series = throughput_series(ours, linux, ffs_text)
    if paper:
        write_throughput_data(os.path.join(out, "paper.dat"), paper)
    else:  # an earlier run's figure (b) must not pass for this run's
        for name in ("paper.dat", "paper.png"):
            if os.path.exists(os.path.join(out, name)):
                os.remove(os.path.join(out, name))
    same_title = same_boot_title(labels, ffs_text)
    compared = [row for row in rows if row["normalised"] is not None]
    write_throughput_data(os.path.join(out, "throughput.dat"), series)
    write_ratio_data(os.path.join(out, "ratios.dat"), compared)
    same_values = [statistics.median(row[label + "_ratio"]) for label in labels for row in same_rows
                   if row[label + "_ratio"]]
    if same_values:
        write_same_boot_data(os.path.join(out, "same-boot.dat"), same_rows, labels)
    if not shutil.which("gnuplot"):
        return made, ["gnuplot is not installed (Debian: gnuplot-nox; scripts/setup.sh installs it): "
                      "no figures, the .dat files are written"]
    if series:
        limit = copy_limit(series)
        error = gnuplot("bench-throughput.gp", datafile=os.path.join(out, "throughput.dat"),
                        outfile=os.path.join(out, "throughput.png"), nseries=len(series),
                        colours=" ".join(s[1] for s in series), dashes=" ".join(str(s[2]) for s in series),
                        line45=MFS_PAPER_FRACTION * limit[0] if limit else 0,
                        line45title=f"MFS paper: 45% of the best user copy ({copy_limit_text(limit)})"
                        if limit else "", subtitle=subtitle)
        if error:
            problems.append(f"throughput.png: {error}")
        else:
            made.append(("throughput.png", "(a) throughput against I/O size"))
    if paper:
        error = gnuplot("bench-throughput.gp", datafile=os.path.join(out, "paper.dat"),
                        outfile=os.path.join(out, "paper.png"), nseries=len(paper),
                        colours=" ".join(s[1] for s in paper), dashes=" ".join(str(s[2]) for s in paper),
                        line45=0, line45title="", subtitle=subtitle,
                        heading="MFS as the paper measured it: write+fsync and cold read, same boot")
        if error:
            problems.append(f"paper.png: {error}")
        else:
            made.append(("paper.png", "(b) MFS as the paper measured it, beside tmpfs, FFS and the copy"))
    if compared:
        error = ratio_figure(out, "ratios", [r["normalised"] for r in compared], subtitle)
        if error:
            problems.append(f"ratios.png: {error}")
        else:
            made.append(("ratios.png", "(c) every case against Linux, above 1 = teachos better"))
    if same_values:
        names = "/".join(labels)
        error = ratio_figure(out, "same-boot", same_values, subtitle,
                             heading=f"{same_title} (above 1: {names} faster than tmpfs)",
                             ytitle=f"{names}/tmpfs in the same boot (log scale)")
        if error:
            problems.append(f"same-boot.png: {error}")
        else:
            made.append(("same-boot.png", f"(d) {same_title}: {names}/tmpfs, "
                                          f"above 1 = {names} faster"))
    return made, problems


# ---- the report ----

def report(facts, rows, ktest, made, problems, limit, same_boot=(), paper=(), swap=()):
    """The lines of report.md; `limit` is copy_limit's answer, `same_boot`
    same_boot_section's lines, `paper` paper_section's, `swap` swap_section's."""
    lines = ["# teachos benchmarks against Linux in the same QEMU", ""]
    lines += [f"- **{name}**: {value}" for name, value in facts]
    lines += ["", TCG_SENTENCE if dict(facts)["accelerator"] != "kvm" else
              "Under KVM the guest runs on the host's CPU; the numbers still depend on this host.", ""]
    lines += ["Each cell is the median over the boots with the (min-max) spread; ratio is teachos/Linux "
              "of the medians (\"better\" says which way is good); the last column turns it so that "
              "above 1 always means teachos is better. How to read it: docs/bench.md.", ""]
    lines += ["## User-level benchmarks (the same static binaries on both kernels)", ""]
    lines += user_table(rows, True) + [""]
    missing = [row["case"] for row in rows if row["normalised"] is None]
    if missing:
        lines += ["No counterpart on the other kernel (no ratio): " + ", ".join(missing) + ".", ""]
    lines += [f"Not measured yet: FFS on virtio-blk{' and AIO' if swap else ', AIO and swap'} come with their issues. On tmpfs "
              "fsync has nothing to write, so write_fsync is write_new plus a system call, and "
              "read_cold is read (tmpfs's pages are its data: nothing to drop; on Linux too); both "
              "become the paper's two-copy path on MFS and FFS (the tables below).", ""]
    lines += list(same_boot)
    lines += list(paper)
    lines += list(swap)
    if ktest:
        lines += ["## In-kernel micro-benchmarks (bench_* ktest suites, teachos only)", ""]
        lines += ["These time the kernel's own paths from inside (no system call, no user copy): "
                  "a kernel-internal copy is not a read(2).", ""]
        lines += ktest_table(ktest, True) + [""]
    lines += ["## Figures", ""]
    if limit:
        lines += [f"In (a), the MFS paper's line is 45% of the best user copy: {copy_limit_text(limit)} "
                  f"(the better of libc's memcpy and fsbench's copy loop, teachos's run), "
                  f"so {MFS_PAPER_FRACTION * limit[0]:.0f} MB/s.", ""]
    for name, caption in made:
        lines += [f"![{caption}]({name})", ""]
    lines += [f"- not drawn: {problem}" for problem in problems]
    return lines


def parse(argv):
    p = argparse.ArgumentParser(description="the benchmark report (see the file's comment)")
    p.add_argument("--out", default="build/bench")
    p.add_argument("--accel", default="?")
    p.add_argument("--mem", default="1G")
    p.add_argument("--boots", default="?")
    p.add_argument("--mode", default="full run")
    p.add_argument("--linux-kernel", default="?", help="the package linux-ref booted")
    p.add_argument("--linux-cmdline", default="?", help="what bench.sh added to Linux's command line")
    p.add_argument("--load-start", default="?", help="/proc/loadavg's first three fields when the run began")
    p.add_argument("--ffs", default="?", help="what bench.sh mounted on /mnt/ffs for the second pass")
    p.add_argument("--mfs", default="?", help="what bench.sh mounted on /mnt/mfs for the mfs pass")
    p.add_argument("--teachos", nargs="*", default=[])
    p.add_argument("--linux", nargs="*", default=[])
    p.add_argument("--ktest", nargs="*", default=[])
    p.add_argument("--swap-mem", default="?", help="the swap pass's guest memory")
    p.add_argument("--swap-teachos", nargs="*", default=[], help="the swap pass's teachos boots")
    p.add_argument("--swap-linux", nargs="*", default=[], help="the swap pass's Linux boots")
    return p.parse_args(argv)


def main(argv):
    args = parse(argv)
    failures = {}
    try:
        ours, linux = bench_table.collect(args.teachos, failures), bench_table.collect(args.linux, failures)
        boots = read_boots(args.teachos, {})
        swap_ours = bench_table.collect(args.swap_teachos)
        swap_linux = bench_table.collect(args.swap_linux)
    except ValueError as e:
        print(f"bench-report: {e}", file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)
    facts = machine(args)
    rows = bench_table.rows(unlabelled(ours), unlabelled(linux))
    ktest = read_ktest(args.ktest)
    labels = same_boot_labels(boots)
    same_rows = same_boot_rows(boots, labels)
    subtitle = (f"{dict(facts)['date']}, {args.accel}, {args.boots} boot(s) each, guest {args.mem}; "
                f"fsbench: {dict(facts)['fsbench']}")
    counters = read_counters(args.teachos)
    paper_rows_ = paper_rows(boots)
    has_mfs = any(v is not None for row in paper_rows_ for v in row["mfs"])
    made, problems = figures(args.out, ours, linux, rows, subtitle, same_rows, labels, args.ffs,
                             paper_series(paper_rows_) if has_mfs else ())
    limit = copy_limit(throughput_series(ours, linux))
    same_boot = same_boot_section(boots, failures, guest_notes(args.teachos), args.ffs)
    paper = paper_section(boots, counters)
    has_swap = bool(swap_ours or swap_linux)
    swap = swap_section(swap_ours, swap_linux, args.swap_mem) if has_swap else ()
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write("\n".join(report(facts, rows, ktest, made, problems, limit, same_boot, paper, swap)).rstrip() + "\n")
    if rows:
        print("\n".join(user_table(rows, False)))
    if labels:
        print()
        print(same_boot_title(labels, args.ffs) + " (ratio: within each boot; above 1: faster than tmpfs)")
        print("\n".join(same_boot_table(same_boot_rows(boots, labels, SAME_BOOT_CASES), labels, False)))
    if has_mfs:
        print()
        print("MFS as the paper measured it (MB/s; percentages and ratios within each boot)")
        print("\n".join(paper_table(paper_rows_, False)))
        if counters[0] or counters[1]:
            print("\n".join(counters_table(*counters, False)))
    for note in guest_notes(args.teachos):
        print(f"  guest: {note}")
    for label, texts in failures.items():
        for text in texts:
            print(f"bench-report: {label} rows of a boot left out: {text}", file=sys.stderr)
    if has_swap:
        print()
        print(f"Swap: the 3x-memory anonymous sweep (guest memory {args.swap_mem})")
        print("\n".join(swap_section(swap_ours, swap_linux, args.swap_mem, False)))
    if ktest:
        print()
        print("\n".join(ktest_table(ktest, False)))
    for problem in problems:
        print(f"bench-report: {problem}", file=sys.stderr)
    print(f"report: {os.path.join(args.out, 'report.md')}"
          + "".join(f", {os.path.join(args.out, name)}" for name, _ in made))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
