#!/usr/bin/env python3
"""scripts/bench-report.py -- the benchmark report: tables in Markdown, figures with gnuplot.

    bench-report.py [--out DIR] [--accel A] [--mem M] [--boots N] [--mode TEXT] [--load-start L]
                    [--linux-kernel PACKAGE] [--linux-cmdline WORDS] [--ffs TEXT]
                    --teachos LOG... --linux LOG... [--ktest LOG...]

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
    same-boot.dat/.png   figure (d): every case of the second passes (FFS on
                         a RAM disk, later MFS) as a ratio to teachos's tmpfs
                         in the same boot (scripts/bench-ratios.gp again)

The second passes: on teachos, scripts/bench.sh runs fsbench again in the
same boot on other file systems, its rows labelled (fsbench.ffs_read_4096;
bench-table's FS_LABELS). Those rows are not in the table against Linux
(Linux has no FFS here) but in their own, "FFS on md vs tmpfs, same
boot": tmpfs, ffs and the ratio ffs/tmpfs of each boot (median and
spread over the boots), never a pass/fail. --ffs says what /mnt/ffs was
(FFS, or bench.sh's tmpfs stand-in); the guest's own "bench: ..." lines
(a newfs or mount that failed, fsck's verdict) are quoted beside it.

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
                   "fsbench.read_random_4096", "fsbench.create", "fsbench.unlink")
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
    passes ("bench: no ffs pass: ..."), each once, in order."""
    notes = []
    for path in paths:
        with open(path, "rb") as f:
            for raw in f:
                line = raw.replace(b"\r", b"").decode(errors="replace").strip()
                if line.startswith("bench: ") and line not in notes:
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
                  f"file size and file count on a second file system: /mnt/ffs is {ffs_text}. Linux "
                  f"has no FFS here: its column stays tmpfs, and the fair comparisons are ffs against "
                  f"teachos's tmpfs in the same boot (this table) and tmpfs against Linux's tmpfs "
                  f"(the table above). Each ratio is taken within one boot, then the median over the "
                  f"boots, with the spread; above 1, the second file system is faster. The FFS issue's "
                  f"rough target is reads within 1.5x of tmpfs (ffs/tmpfs of 0.67 or more): the ratio "
                  f"is printed, never a verdict.", ""]
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


def figures(out, ours, linux, rows, subtitle, same_rows=(), labels=(), ffs_text=""):
    """Draws what has data (`ffs_text`: bench.sh's --ffs); returns
    ([(file, caption)], [problems])."""
    made, problems = [], []
    series = throughput_series(ours, linux, ffs_text)
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

def report(facts, rows, ktest, made, problems, limit, same_boot=()):
    """The lines of report.md; `limit` is copy_limit's answer, `same_boot`
    same_boot_section's lines."""
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
    lines += ["Not measured yet: MFS, FFS on virtio-blk, AIO and swap come with their issues (the "
              "figure keeps a place for MFS beside the paper's line). On tmpfs fsync has nothing to "
              "write, so write_fsync is write_new plus a system call; it becomes the two-copy path "
              "on MFS and FFS.", ""]
    lines += list(same_boot)
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
    p.add_argument("--teachos", nargs="*", default=[])
    p.add_argument("--linux", nargs="*", default=[])
    p.add_argument("--ktest", nargs="*", default=[])
    return p.parse_args(argv)


def main(argv):
    args = parse(argv)
    failures = {}
    try:
        ours, linux = bench_table.collect(args.teachos, failures), bench_table.collect(args.linux, failures)
        boots = read_boots(args.teachos, {})
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
    made, problems = figures(args.out, ours, linux, rows, subtitle, same_rows, labels, args.ffs)
    limit = copy_limit(throughput_series(ours, linux))
    same_boot = same_boot_section(boots, failures, guest_notes(args.teachos), args.ffs)
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write("\n".join(report(facts, rows, ktest, made, problems, limit, same_boot)).rstrip() + "\n")
    if rows:
        print("\n".join(user_table(rows, False)))
    if labels:
        print()
        print(same_boot_title(labels, args.ffs) + " (ratio: within each boot; above 1: faster than tmpfs)")
        print("\n".join(same_boot_table(same_boot_rows(boots, labels, SAME_BOOT_CASES), labels, False)))
    for note in guest_notes(args.teachos):
        print(f"  guest: {note}")
    for label, texts in failures.items():
        for text in texts:
            print(f"bench-report: {label} rows of a boot left out: {text}", file=sys.stderr)
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
