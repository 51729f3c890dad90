#!/usr/bin/env python3
"""scripts/bench-report.py -- the benchmark report: tables in Markdown, figures with gnuplot.

    bench-report.py [--out DIR] [--accel A] [--mem M] [--boots N] [--mode TEXT] [--load-start L]
                    [--linux-kernel PACKAGE] [--linux-cmdline WORDS]
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

and prints the same tables as plain text. Without gnuplot the figures are
left out (the report says so, and so does stderr) and the rest is written.
Exit status 1 if a log holds "fsbench: FAIL" or "ubench: FAIL" (a benchmark that computed a
wrong answer has no number), else 0: a benchmark is never pass/fail.
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
)
MFS_PAPER_FRACTION = 0.45  # McKusick, Karels, Bostic 1990: MFS at ~45% of memcpy
# The series the paper's "memcpy" is measured against: fsbench's two user
# copies (musl's memcpy is `rep movsq`, which TCG runs one element at a time,
# so the copy loop is usually the faster there); the line uses the best.
COPY_SERIES = ("user memcpy (teachos)", "user copy loop (teachos)")

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


def throughput_series(ours, linux):
    """[(title, colour, dash, [(size, median, min, max)])] of the series that have data."""
    sides = {"teachos": ours, "linux": linux}
    result = []
    for title, side, case, colour, dash in THROUGHPUT_SERIES:
        points = [(size,) + median_min_max(sides[side][case.format(size)][0])
                  for size in SIZES if sides[side].get(case.format(size), ([],))[0]]
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


def figures(out, ours, linux, rows, subtitle):
    """Draws what has data; returns ([(file, caption)], [problems])."""
    made, problems = [], []
    series = throughput_series(ours, linux)
    compared = [row for row in rows if row["normalised"] is not None]
    write_throughput_data(os.path.join(out, "throughput.dat"), series)
    write_ratio_data(os.path.join(out, "ratios.dat"), compared)
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
        ymax = max(max(r["normalised"], 1 / r["normalised"]) for r in compared if r["normalised"] > 0)
        error = gnuplot("bench-ratios.gp", datafile=os.path.join(out, "ratios.dat"),
                        outfile=os.path.join(out, "ratios.png"), ncases=len(compared),
                        ymax=max(2.0, ymax * 1.25), subtitle=subtitle)
        if error:
            problems.append(f"ratios.png: {error}")
        else:
            made.append(("ratios.png", "(c) every case against Linux, above 1 = teachos better"))
    return made, problems


# ---- the report ----

def report(facts, rows, ktest, made, problems, limit):
    """The lines of report.md; `limit` is copy_limit's answer."""
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
    lines += ["Not measured yet: MFS, FFS, AIO and swap come with their issues (the figure keeps a "
              "place for MFS beside the paper's line). On tmpfs fsync has nothing to write, so "
              "write_fsync is write_new plus a system call; it becomes the two-copy path on MFS.", ""]
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
    p.add_argument("--teachos", nargs="*", default=[])
    p.add_argument("--linux", nargs="*", default=[])
    p.add_argument("--ktest", nargs="*", default=[])
    return p.parse_args(argv)


def main(argv):
    args = parse(argv)
    try:
        ours, linux = bench_table.collect(args.teachos), bench_table.collect(args.linux)
    except ValueError as e:
        print(f"bench-report: {e}", file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)
    facts = machine(args)
    rows = bench_table.rows(ours, linux)
    ktest = read_ktest(args.ktest)
    subtitle = (f"{dict(facts)['date']}, {args.accel}, {args.boots} boot(s) each, guest {args.mem}; "
                f"fsbench: {dict(facts)['fsbench']}")
    made, problems = figures(args.out, ours, linux, rows, subtitle)
    limit = copy_limit(throughput_series(ours, linux))
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write("\n".join(report(facts, rows, ktest, made, problems, limit)).rstrip() + "\n")
    if rows:
        print("\n".join(user_table(rows, False)))
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
