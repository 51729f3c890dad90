#!/usr/bin/env python3
"""scripts/bench_report_test.py -- checks of scripts/bench-report.py on a made-up pair of logs.

`make bench` is never run by `make test`, so a broken report generator
would only be found by whoever next waits ten minutes for a benchmark.
This turns two boots of each kernel (made-up numbers, in the formats of
user/bench/ubench.c, user/bench/fsbench.c and the bench_* ktest suites)
into report.md and the figures, and checks what comes out: the header,
the medians and ratios in the Markdown table, the same-boot table of a
second pass (ffs_ rows beside tmpfs, ratios within each boot), the MFS
paper's table (mfs_ rows against the copy of the same boot and size) and
the MFS server's counters per block, the figures' data, and -- when gnuplot is installed -- that the PNG files are
PNGs. Without gnuplot the figure part is skipped, and the output says so.
Run: python3 scripts/bench_report_test.py
"""
import importlib.util
import io
import os
import shutil
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("bench_report", os.path.join(HERE, "bench-report.py"))
bench_report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_report)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


COPY_MB = {4096: 1500, 65536: 2500, 1048576: 2000}  # the copy loop; memcpy is 1000 at every size


def user_log(getpid_ns, read_mb, extra=b"", copy=True):
    """One boot's console: ubench's and fsbench's lines among boot noise
    (`copy`: with fsbench's copy loop lines)."""
    return (b"boot noise \x00\xff\r\nubench runs 5\r\nubench getpid_ns %d.0\r\n"
            b"fsbench: dir /tmp, file 64 MiB, 10000 files, median of 5 runs\n"
            % getpid_ns
            + b"".join(b"fsbench write_new_%d %d.0 MB/s\nfsbench write_fsync_%d %d.0 MB/s\n"
                       b"fsbench read_%d %d.0 MB/s\nfsbench memcpy_%d 1000.0 MB/s\n"
                       % (size, read_mb // 2, size, read_mb // 4, size, read_mb, size)
                       + (b"fsbench copy_%d %d.0 MB/s\n" % (size, COPY_MB[size]) if copy else b"")
                       for size in (4096, 65536, 1048576))
            + b"fsbench read_random_4096 %d.0 MB/s\n" % (read_mb // 3)
            + b"fsbench create 5000.0 ops/s\nfsbench stat 90000.0 ops/s\nfsbench unlink 7000.0 ops/s\n" + extra)


def ffs_pass(write_mb, read_mb, create, label=b"ffs"):
    """A second pass's lines, as scripts/bench.sh's guest script makes them
    (fsbench -l ffs on /mnt/ffs: the file system's cases, no copies; the
    flushed write at half the write's speed, the cold read at half the read's)."""
    return (b"fsbench: dir /mnt/%s, label %s, file 64 MiB, 10000 files, median of 5 runs\n" % (label, label)
            + b"".join(b"fsbench %s_write_new_%d %d.0 MB/s\nfsbench %s_overwrite_%d %d.0 MB/s\n"
                       b"fsbench %s_read_%d %d.0 MB/s\nfsbench %s_write_fsync_%d %d.0 MB/s\n"
                       b"fsbench %s_read_cold_%d %d.0 MB/s\n"
                       % (label, size, write_mb, label, size, write_mb, label, size, read_mb,
                          label, size, write_mb // 2, label, size, read_mb // 2)
                       for size in (4096, 65536, 1048576))
            + b"fsbench %s_read_random_4096 %d.0 MB/s\n" % (label, read_mb // 2)
            + b"fsbench %s_create %d.0 ops/s\nfsbench %s_unlink 3500.0 ops/s\n" % (label, create, label))


def mfs_counters(requests, wakeups):
    """The MFS pass's counter lines (fsbench -k and the guest's total): the
    4 KiB cold read of 1000 blocks took `requests` requests and `wakeups`
    wakeups, 4 MB copied."""
    return (b"fsbench: counters mfs_read_cold_4096 blocks 1000 requests %d inline_requests %d "
            b"bytes 4096000 wakeups %d discards 0\n" % (requests, requests // 4, wakeups)
            + b"fsbench: counters mfs_read_4096 blocks 1000 requests 0 inline_requests 0 bytes 0 "
              b"wakeups 0 discards 0\n"
            + b"bench: mfs counters: requests %d bytes 8192000 wakeups %d discards 7 inline_requests 0\n"
            % (2 * requests, 2 * wakeups))


class BenchReportTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.out = os.path.join(self.dir.name, "out")

    def tearDown(self):
        self.dir.cleanup()

    def log(self, name, data):
        path = os.path.join(self.dir.name, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def run_report(self, ours, linux, ktest=(), more=()):
        stdout, stderr = io.StringIO(), io.StringIO()
        with redirect_stdout(stdout), redirect_stderr(stderr):
            status = bench_report.main(["--out", self.out, "--accel", "tcg", "--mem", "512M", "--boots", "2",
                                        "--mode", "test", "--load-start", "1.00 2.00 3.00",
                                        "--linux-kernel", "linux-image-6.1.0-57-amd64",
                                        "--linux-cmdline", "clearcpuid=erms,fsrm",
                                        "--ffs", "FFS on /dev/md0 (md0=128M)",
                                        "--teachos", *ours, "--linux", *linux, "--ktest", *ktest, *more])
        self.stdout, self.stderr = stdout.getvalue(), stderr.getvalue()
        return status

    def sample(self, teachos_extra=b"", teachos_extra2=None):
        """Two boots of each kernel: teachos reads at 200/400 MB/s (median 300),
        Linux at 600 (ratio 0.50); getpid 400/500 ns against 200 (ratio 2.25,
        so teachos better by 0.44x); and one in-kernel suite log. The
        extras end teachos's first and second boot (the second's defaults
        to the first's)."""
        extra2 = teachos_extra if teachos_extra2 is None else teachos_extra2
        ours = [self.log("t1", user_log(400, 200, teachos_extra)), self.log("t2", user_log(500, 400, extra2))]
        linux = [self.log("l1", user_log(200, 600)), self.log("l2", user_log(200, 600))]
        ktest = [self.log("k1", b"BENCH zero_fill_fault 3000 ns\r\nKTEST bench_vm PASS\n"),
                 self.log("k2", b"BENCH zero_fill_fault 5000 ns\n")]
        return ours, linux, ktest

    def report_md(self):
        with open(os.path.join(self.out, "report.md")) as f:
            return f.read()

    def test_report_header_and_tables(self):
        self.assertEqual(self.run_report(*self.sample()), 0)
        md = self.report_md()
        for fact in ("**accelerator**: tcg", "**guest**: memory 512M", "**boots**: 2 of each kernel",
                     "**QEMU**:", "**host CPU**:", "**fsbench**: dir /tmp, file 64 MiB,", "**date**: 20", "1.00 2.00 3.00 at the start",
                     "linux-image-6.1.0-57-amd64", "command line: clearcpuid=erms,fsrm"):
            self.assertIn(fact, md)
        self.assertIn("absolute numbers are emulator numbers", md)
        self.assertIn("only the ratios", md)
        self.assertIn("| fsbench.read_4096 | MB/s | 300 (200-400) | 600 (600-600) | 0.50 | higher | 0.50x |", md)
        self.assertIn("| ubench.getpid_ns | ns | 450 (400-500) | 200 (200-200) | 2.25 | lower | 0.44x |", md)
        self.assertNotIn("ubench.runs", md)
        self.assertIn("| zero_fill_fault | ns | 4000 (3000-5000) |", md)
        self.assertIn("Not measured yet: FFS on virtio-blk, AIO and swap", md)
        self.assertIn("**ffs pass (teachos, same boot)**: /mnt/ffs is FFS on /dev/md0 (md0=128M)", md)
        self.assertIn("## FFS on md vs tmpfs, same boot\n\nNo second-pass rows in the logs", md)
        # The new cases are rows like any other: 4 KiB write+fsync 50/100 against 150.
        self.assertIn("| fsbench.write_fsync_4096 | MB/s | 75 (50-100) | 150 (150-150) | 0.50 | higher | 0.50x |",
                      md)
        self.assertIn("| fsbench.copy_65536 | MB/s | 2500 (2500-2500) | 2500 (2500-2500) | 1.00 | higher | 1.00x |", md)
        self.assertIn("| fsbench.read_random_4096 | MB/s | 99.5 (66-133) | 200 (200-200) | 0.50 | higher | 0.50x |",
                      md)
        self.assertIn("| fsbench.stat | ops/s | 90000 (90000-90000) | 90000 (90000-90000) | 1.00 | higher |", md)
        # The paper's line: against the faster copy, which is named.
        self.assertIn("45% of the best user copy: user copy loop at 64 KiB, 2500 MB/s", md)
        self.assertIn("so 1125 MB/s", md)
        # The terminal gets the same table as text.
        self.assertRegex(self.stdout, r"fsbench\.read_4096\s+MB/s\s+300 \(200-400\)\s+600 \(600-600\)\s+0\.50")

    def test_figure_data(self):
        self.assertEqual(self.run_report(*self.sample()), 0)
        with open(os.path.join(self.out, "throughput.dat")) as f:
            blocks = f.read().split("\n\n\n")
        titles = [block.splitlines()[-4] for block in blocks]
        self.assertEqual(titles, ['size "user memcpy (teachos)"', 'size "user copy loop (teachos)"',
                                  'size "teachos tmpfs read"',
                                  'size "teachos tmpfs write (new file)"', 'size "Linux tmpfs read"',
                                  'size "Linux tmpfs write (new file)"'])  # no MFS: no data yet
        self.assertIn("4096 300.0 200.0 400.0", blocks[2])
        self.assertIn("65536 2500.0 2500.0 2500.0", blocks[1])
        with open(os.path.join(self.out, "ratios.dat")) as f:
            ratios = f.read()
        self.assertIn('"read 4 KiB" 0.5000', ratios)
        self.assertIn('"read 1 MiB" 0.5000', ratios)
        self.assertIn('"getpid" 0.4444', ratios)  # a time: Linux/teachos

    def test_mfs_series_appears_when_its_data_does(self):
        mfs = b"".join(b"fsbench mfs_read_%d 450.0 MB/s\n" % size for size in (4096, 65536, 1048576))
        self.assertEqual(self.run_report(*self.sample(mfs)), 0)
        with open(os.path.join(self.out, "throughput.dat")) as f:
            self.assertIn('size "teachos MFS read"\n4096 450.0 450.0 450.0', f.read())

    def test_same_boot_table(self):
        # Boot 1: tmpfs reads 200, ffs 100 (0.50); boot 2: 400 and 320 (0.80).
        # The ratio is taken within each boot: median 0.65, not 210/300.
        status = self.run_report(*self.sample(ffs_pass(50, 100, 2500), ffs_pass(150, 320, 2500)))
        self.assertEqual(status, 0, self.stderr)
        md = self.report_md()
        section = md[md.index("## FFS on md vs tmpfs, same boot"):]
        self.assertIn("| case | unit | tmpfs | ffs | ffs/tmpfs |", section)
        self.assertIn("| fsbench.read_1048576 | MB/s | 300 (200-400) | 210 (100-320) | 0.65 (0.50-0.80) |", section)
        # write_new 1 MiB: tmpfs 100 and 200, ffs 50 and 150: 0.50 and 0.75.
        self.assertIn("| fsbench.write_new_1048576 | MB/s | 150 (100-200) | 100 (50-150) | 0.62 (0.50-0.75) |",
                      section)
        self.assertIn("| fsbench.create | ops/s | 5000 (5000-5000) | 2500 (2500-2500) | 0.50 (0.50-0.50) |", section)
        self.assertIn("| fsbench.unlink | ops/s |", section)
        self.assertIn("| fsbench.read_random_4096 | MB/s |", section)
        self.assertIn("1.5x of tmpfs", section)
        self.assertIn("never a verdict", section)
        self.assertNotIn("PASS", section)
        # The headline table holds the six rows, in its order; the
        # second every case, 4 KiB included.
        headline = section[:section.index("Every case of the second pass")]
        self.assertEqual([line.split(" | ")[0][2:] for line in headline.splitlines() if line.startswith("| fsbench")],
                         [c for c in bench_report.SAME_BOOT_CASES])
        self.assertIn("| fsbench.read_4096 |", section[section.index("Every case of the second pass"):])
        # Not in the table against Linux, where it has no counterpart.
        self.assertNotIn("ffs_", md[:md.index("## FFS on md vs tmpfs")])
        # The terminal gets the headline table, and figure (a) an FFS series.
        self.assertRegex(self.stdout, r"fsbench\.read_1048576\s+MB/s\s+300 \(200-400\)\s+210 \(100-320\)\s+0\.65")
        with open(os.path.join(self.out, "throughput.dat")) as f:
            self.assertIn('size "teachos FFS (md) read"\n4096 210.0 100.0 320.0', f.read())
        with open(os.path.join(self.out, "same-boot.dat")) as f:
            self.assertIn('"read 1 MiB" 0.6500', f.read())

    def test_mfs_as_the_paper_measured_it(self):
        # tmpfs reads 200/400 (cold = warm), write_fsync 50/100; mfs (in the
        # ffs_pass shape) reads 100/300, cold 50/150, write_fsync 25/75;
        # the copy loop is the faster copy: 1500, 2500, 2000.
        boot1 = ffs_pass(50, 100, 2500) + ffs_pass(50, 100, 2500, b"mfs") + mfs_counters(250, 500)
        boot2 = ffs_pass(150, 300, 2500) + ffs_pass(150, 300, 2500, b"mfs") + mfs_counters(1000, 250)
        status = self.run_report(*self.sample(boot1, boot2))
        self.assertEqual(status, 0, self.stderr)
        md = self.report_md()
        section = md[md.index("## MFS as the paper measured it"):]
        self.assertIn("| case (MB/s) | tmpfs | mfs | ffs | copy | mfs % of copy | paper | mfs/tmpfs |", section)
        # write_fsync 4 KiB: mfs 25/75 against the copy 1500: 1.7% and 5%
        # (median 3%); against tmpfs 50/100: 0.50 and 0.75.
        self.assertIn("| fsbench.write_fsync_4096 | 75 (50-100) | 50 (25-75) | 50 (25-75) | 1500 (1500-1500) | "
                      "3% (2-5%) | ~45% | 0.62 (0.50-0.75) |", section)
        # Cold read 64 KiB: mfs 50/150 against 2500; tmpfs has no cold row
        # in the sample, so no mfs/tmpfs.
        self.assertIn("| fsbench.read_cold_65536 | - | 100 (50-150) | 100 (50-150) | 2500 (2500-2500) | "
                      "4% (2-6%) | ~45% | - |", section)
        self.assertIn("| fsbench.read_1048576 | 300 (200-400) | 200 (100-300) |", section)
        self.assertIn("never a pass/fail", section)
        # The counters: 1000 blocks, 250/1000 requests (0.25/1.00, median
        # 0.62), 500/250 wakeups; 4000 KiB in 250 requests is 16 KiB.
        self.assertIn("| case | 4 KiB blocks | requests/block | wakeups/block | KiB/request | inline |", section)
        self.assertIn("| mfs_read_cold_4096 | 1000 (1000-1000) | 0.62 (0.25-1.00) | 0.38 (0.25-0.50) | "
                      "10.00 (4.00-16.00) | 25% (25-25%) |", section)
        self.assertIn("| mfs_read_4096 | 1000 (1000-1000) | 0.00 (0.00-0.00) | 0.00 (0.00-0.00) | - | - |", section)
        # The pass's total: per 4 KiB copied (2000 blocks): 500/2000 requests.
        self.assertIn("| mfs pass, total (per block copied) | 2000 (2000-2000) | 0.62 (0.25-1.00) |", section)
        self.assertRegex(self.stdout, r"fsbench\.write_fsync_4096\s+75 \(50-100\)\s+50 \(25-75\)")
        # The same-boot table has the mfs columns.
        self.assertIn("| case | unit | tmpfs | ffs | ffs/tmpfs | mfs | mfs/tmpfs |", md)
        self.assertIn("## FFS on md and MFS vs tmpfs, same boot", md)
        with open(os.path.join(self.out, "paper.dat")) as f:
            data = f.read()
        self.assertIn('size "in-guest copy (the faster user copy)"\n4096 1500.0', data)
        self.assertIn('size "MFS paper: 45% of the copy"\n4096 675.0', data)
        self.assertIn('size "mfs cold read"\n4096 100.0 50.0 150.0', data)
        self.assertIn('size "tmpfs write + fsync"', data)

    def test_without_counters_or_mfs_the_report_says_so(self):
        note = (b"bench: mfs counters: /proc/fs/mfs/0 is missing (no MFS statistics on this kernel)\n"
                b"fsbench: note [mfs] read_cold: cannot drop the page cache (...): the read_cold rows are warm reads\n")
        self.assertEqual(self.run_report(*self.sample(ffs_pass(50, 100, 2500, b"mfs") + note)), 0, self.stderr)
        md = self.report_md()
        self.assertIn("No MFS counters in the logs", md)
        self.assertIn("- the guest said: `bench: mfs counters: /proc/fs/mfs/0 is missing", md)
        self.assertIn("- the guest said: `fsbench: note [mfs] read_cold: cannot drop", md)
        self.assertEqual(self.run_report(*self.sample()), 0, self.stderr)
        self.assertIn("No mfs rows in the logs", self.report_md())
        self.assertFalse(os.path.exists(os.path.join(self.out, "paper.dat")))

    def test_swap_table(self):
        # Two boots of each kernel at 128M: teachos sweeps 3x its 128 MiB,
        # Linux 3x its 80; teachos's sweep takes 12 and 14 s against 10
        # (ratio 1.30, inside issue 13's 1.5x goal).
        def swap_log(memtotal, total, write_mb):
            return (b"swapbench: MemTotal %d kB, region ...\nswapbench memtotal %d.0 MiB\n"
                    b"swapbench region %d.0 MiB\nswapbench sweep_write %d.0 MB/s\n"
                    b"swapbench sweep_total %d.00 s\nswapbench random_pagein 2000.0 pages/s\n"
                    b"swapbench pswpout 90000 pages\n" % (memtotal * 1024, memtotal, 3 * memtotal, write_mb, total))
        ours = [self.log("s1", swap_log(128, 12, 100)), self.log("s2", swap_log(128, 14, 120))]
        linux = [self.log("s3", swap_log(80, 10, 40)), self.log("s4", swap_log(80, 10, 40))]
        more = ["--swap-mem", "128M", "--swap-teachos", *ours, "--swap-linux", *linux]
        self.assertEqual(self.run_report(*self.sample(), more=more), 0, self.stderr)
        md = self.report_md()
        self.assertIn("## Swap: the 3x-memory anonymous sweep (user/bench/swapbench.c, guest memory 128M)", md)
        self.assertIn("| swapbench.sweep_total | s | 13 (12-14) | 10 (10-10) | 1.30 | lower | 0.77x |", md)
        self.assertIn("| swapbench.sweep_write | MB/s | 110 (100-120) | 40 (40-40) | 2.75 | higher | 2.75x |", md)
        self.assertIn("| swapbench.region | MiB | 384 (384-384) | 240 (240-240) | 1.60 | - | - |", md)
        self.assertIn("Sizes: teachos MemTotal 128 MiB, region 384 MiB; Linux MemTotal 80 MiB, region 240 MiB.", md)
        self.assertIn("sweep_total teachos/Linux = 1.30: within issue 13's goal of 1.5x", md)
        self.assertIn("Not measured yet: FFS on virtio-blk and AIO come", md)
        self.assertIn("Swap: the 3x-memory anonymous sweep (guest memory 128M)", self.stdout)
        # The swap rows stay out of the main table and its figure.
        self.assertNotIn("swapbench", md.split("## Swap")[0])
        # A wrong answer in a swap boot fails the report, as fsbench's does.
        bad = self.log("s5", swap_log(128, 12, 100) + b"swapbench: FAIL sweep_read (page 3: wrong data)\n")
        more = ["--swap-mem", "128M", "--swap-teachos", bad, "--swap-linux", *linux]
        self.assertEqual(self.run_report(*self.sample(), more=more), 1)

    def test_a_failed_second_pass_leaves_the_rest(self):
        # Boot 2's ffs pass failed a check: its ffs rows go, the rest stands.
        failed = ffs_pass(150, 320, 2500) + b"fsbench: FAIL [ffs] verify: a word differs (wrong data)\n"
        status = self.run_report(*self.sample(ffs_pass(50, 100, 2500), failed))
        self.assertEqual(status, 0, self.stderr)
        md = self.report_md()
        self.assertIn("| fsbench.read_4096 | MB/s | 300 (200-400) | 600 (600-600) | 0.50 |", md)
        self.assertIn("| fsbench.read_1048576 | MB/s | 300 (200-400) | 100 | 0.50 |", md)
        self.assertIn("ffs: fsbench failed a check, so its rows of that boot are left out", md)
        self.assertIn("FAIL [ffs] verify", self.stderr)

    def test_guest_lines_are_quoted(self):
        note = b"bench: no ffs pass: 'mount -t ffs /dev/md0 /mnt/ffs' failed (status 255); the tmpfs rows stand alone\n"
        self.assertEqual(self.run_report(*self.sample(note)), 0, self.stderr)
        md = self.report_md()
        self.assertIn("No second-pass rows in the logs", md)
        self.assertEqual(md.count("- the guest said: `bench: no ffs pass:"), 1)  # once, not per boot
        self.assertIn("guest: bench: no ffs pass", self.stdout)
        self.assertIn("| fsbench.read_4096 | MB/s | 300 (200-400) |", md)

    def test_the_stand_in_is_named(self):
        self.assertEqual(bench_report.same_boot_title(["ffs"], "FFS on /dev/md0 (md0=64M)"),
                         "FFS on md vs tmpfs, same boot")
        self.assertEqual(bench_report.same_boot_title(["ffs"], "STAND-IN: a second tmpfs, not FFS"),
                         "FFS on md vs tmpfs, same boot (ffs rows: a STAND-IN tmpfs)")
        self.assertEqual(bench_report.same_boot_title(["ffs", "mfs"]), "FFS on md and MFS vs tmpfs, same boot")
        ours = {"fsbench.ffs_read_4096": ([10.0], "MB/s")}
        self.assertEqual([t for t, *_ in bench_report.throughput_series(ours, {}, "STAND-IN: a second tmpfs")],
                         ["teachos ffs STAND-IN (tmpfs) read"])
        self.assertEqual([t for t, *_ in bench_report.throughput_series(ours, {}, "FFS on /dev/md0")],
                         ["teachos FFS (md) read"])

    def test_copy_limit_is_the_faster_copy(self):
        series = [("user memcpy (teachos)", "black", 1, [(4096, 900.0, 800.0, 950.0), (65536, 1200.0, 1, 2)]),
                  ("user copy loop (teachos)", "black", 2, [(4096, 1100.0, 1, 2), (65536, 1000.0, 1, 2)]),
                  ("teachos tmpfs read", "#1f77b4", 1, [(4096, 5000.0, 1, 2)])]  # a file system is no copy
        self.assertEqual(bench_report.copy_limit(series), (1200.0, "user memcpy (teachos)", 65536))
        self.assertEqual(bench_report.copy_limit_text(bench_report.copy_limit(series)),
                         "user memcpy at 64 KiB, 1200 MB/s")
        self.assertIsNone(bench_report.copy_limit(series[2:]))

    def test_without_the_copy_loop_the_line_uses_memcpy(self):
        ours = [self.log("t1", user_log(400, 200, copy=False))]
        linux = [self.log("l1", user_log(200, 600, copy=False))]
        self.assertEqual(self.run_report(ours, linux), 0, self.stderr)
        self.assertIn("45% of the best user copy: user memcpy at 1 MiB, 1000 MB/s", self.report_md())

    def test_a_failed_check_fails_the_report(self):
        ours, linux, _ = self.sample(b"fsbench: FAIL verify (wrong data)\n")
        self.assertEqual(self.run_report(ours, linux), 1)
        self.assertIn("FAIL verify", self.stderr)

    def test_without_gnuplot_the_report_says_so(self):
        with mock.patch.object(bench_report.shutil, "which", return_value=None):
            self.assertEqual(self.run_report(*self.sample()), 0)
        self.assertIn("not drawn: gnuplot is not installed", self.report_md())
        self.assertIn("gnuplot is not installed", self.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.out, "throughput.dat")))

    def test_figures_are_pngs(self):
        if not shutil.which("gnuplot"):
            self.skipTest("gnuplot is not installed (Debian: gnuplot-nox): the figure part is skipped")
        mfs = ffs_pass(50, 100, 2500, b"mfs")
        self.assertEqual(self.run_report(*self.sample(ffs_pass(50, 100, 2500) + mfs)), 0, self.stderr)
        for name in ("throughput.png", "ratios.png", "same-boot.png", "paper.png"):
            path = os.path.join(self.out, name)
            with open(path, "rb") as f:
                data = f.read()
            self.assertTrue(data.startswith(PNG_MAGIC), f"{name} is not a PNG")
            self.assertGreater(len(data), 1000, f"{name} is nearly empty")
            self.assertIn(f"]({name})", self.report_md())

    def test_size_labels(self):
        self.assertEqual(bench_report.size_label("fsbench.write_new_65536"), "write new 64 KiB")
        self.assertEqual(bench_report.size_label("fsbench.read_1048576"), "read 1 MiB")
        self.assertEqual(bench_report.size_label("ubench.getpid_ns"), "getpid")
        self.assertEqual(bench_report.size_label("fsbench.create"), "create")
        self.assertEqual(bench_report.size_label("fsbench.read_random_4096"), "read random 4 KiB")
        self.assertEqual(bench_report.size_label("fsbench.write_fsync_1048576"), "write fsync 1 MiB")
        self.assertEqual(bench_report.size_label("fsbench.copy_65536"), "copy 64 KiB")


if __name__ == "__main__":
    unittest.main(verbosity=2)
