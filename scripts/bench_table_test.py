#!/usr/bin/env python3
"""scripts/bench_table_test.py -- checks of scripts/bench-table.py on made-up benchmark logs.

The benchmark is never a pass/fail test, but the program that turns its
logs into the table is: a broken parser would print a wrong table that
nobody notices. Run: python3 scripts/bench_table_test.py
"""
import importlib.util
import io
import os
import tempfile
import unittest
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("bench_table", os.path.join(HERE, "bench-table.py"))
bench_table = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_table)


class BenchTableTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def log(self, name, data):
        path = os.path.join(self.dir.name, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def table(self, *args):
        out = io.StringIO()
        with redirect_stdout(out):
            status = bench_table.main(list(args))
        return status, out.getvalue()

    def test_medians_spread_and_ratio(self):
        ours = [self.log(f"t{i}", b"boot noise\x00\xff\r\nubench getpid_ns %d\r\nfsbench read_4096 %d MB/s\n"
                         % (v, r)) for i, (v, r) in enumerate([(400, 300), (500, 100), (450, 200)])]
        linux = [self.log(f"l{i}", b"ubench getpid_ns %d\nfsbench read_4096 %d MB/s\n" % (v, r))
                 for i, (v, r) in enumerate([(300, 400), (900, 400), (200, 400)])]
        status, out = self.table(*ours, "--", *linux)
        self.assertEqual(status, 0)
        rows = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
        # getpid: medians 450 and 300, ratio 1.50, lower is better.
        self.assertEqual(rows["ubench.getpid_ns"][1], "ns")
        self.assertIn("450", rows["ubench.getpid_ns"][2])
        self.assertIn("(400-500)", " ".join(rows["ubench.getpid_ns"]))
        self.assertEqual(rows["ubench.getpid_ns"][-2:], ["1.50", "lower"])
        # read: medians 200 and 400, ratio 0.50, higher is better.
        self.assertEqual(rows["fsbench.read_4096"][-2:], ["0.50", "higher"])

    def test_a_case_only_one_kernel_has(self):
        status, out = self.table(self.log("t", b"fsbench mfs_read_4096 10.0 MB/s\n"), "--",
                                 self.log("l", b"fsbench read_4096 1.0 MB/s\n"))
        self.assertEqual(status, 0)
        rows = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
        self.assertEqual(rows["fsbench.mfs_read_4096"][3:], ["-", "-", "higher"])
        self.assertEqual(rows["fsbench.read_4096"][2], "-")

    def test_fsbench_case_names(self):
        # Every kind of name fsbench prints: digits and several underscores, or none.
        data = (b"fsbench write_fsync_65536 80.5 MB/s\nfsbench copy_4096 2000.0 MB/s\n"
                b"fsbench read_random_4096 300.0 MB/s\nfsbench stat 90000.0 ops/s\n")
        status, out = self.table(self.log("t", data), "--", self.log("l", data))
        self.assertEqual(status, 0)
        rows = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
        self.assertEqual(list(rows), ["fsbench.write_fsync_65536", "fsbench.copy_4096",
                                      "fsbench.read_random_4096", "fsbench.stat"])
        self.assertEqual(rows["fsbench.read_random_4096"][1:3], ["MB/s", "300"])
        self.assertEqual(rows["fsbench.stat"][1], "ops/s")
        self.assertEqual(rows["fsbench.write_fsync_65536"][-2:], ["1.00", "higher"])

    def test_labels(self):
        self.assertEqual(bench_table.split_label("fsbench.ffs_read_4096"), ("ffs", "fsbench.read_4096"))
        self.assertEqual(bench_table.split_label("fsbench.mfs_create"), ("mfs", "fsbench.create"))
        self.assertEqual(bench_table.split_label("fsbench.read_4096"), ("", "fsbench.read_4096"))
        self.assertEqual(bench_table.split_label("fsbench.write_new_4096"), ("", "fsbench.write_new_4096"))
        self.assertEqual(bench_table.split_label("ubench.ffs_x"), ("", "ubench.ffs_x"))  # fsbench's only
        self.assertEqual(bench_table.split_label("fsbench.ffs"), ("", "fsbench.ffs"))

    def test_a_failed_labelled_pass_drops_its_rows_only(self):
        data = (b"fsbench read_4096 1.0 MB/s\nfsbench ffs_read_4096 0.5 MB/s\n"
                b"fsbench: FAIL [ffs] create (No space left on device)\n")
        failures = {}
        self.assertEqual(bench_table.read_log(self.log("t", data), failures), {"fsbench.read_4096": (1.0, "MB/s")})
        self.assertEqual(list(failures), ["ffs"])
        self.assertIn("FAIL [ffs] create", failures["ffs"][0])
        with self.assertRaises(ValueError):  # without a place for failures: strict, as before
            bench_table.read_log(self.log("t", data))
        status, out = self.table(self.log("t", data), "--", self.log("l", b"fsbench read_4096 2.0 MB/s\n"))
        self.assertEqual(status, 0)
        self.assertEqual([line.split()[0] for line in out.splitlines()[1:]], ["fsbench.read_4096"])

    def test_an_unlabelled_failure_still_fails_the_table(self):
        status, _ = self.table(self.log("t", b"fsbench ffs_read_4096 1.0 MB/s\nfsbench: FAIL read (wrong data)\n"),
                               "--", self.log("l", b""))
        self.assertEqual(status, 1)

    def test_mfs_pass_lines(self):
        # The mfs pass's rows are labelled like ffs's; its counter lines and
        # fsbench's notes are neither cases nor failures.
        data = (b"fsbench read_cold_4096 9.0 MB/s\nfsbench mfs_read_cold_4096 3.0 MB/s\n"
                b"fsbench: counters mfs_read_cold_4096 blocks 12288 requests 3072 inline_requests 0 bytes 50331648 "
                b"wakeups 1536 discards 0\n"
                b"fsbench: note [mfs] read_cold: cannot drop the page cache (...): the read_cold rows are warm reads\n"
                b"bench: mfs counters: requests 9000 bytes 1 wakeups 2 discards 3 inline_requests 4\n")
        self.assertEqual(bench_table.read_log(self.log("t", data), {}),
                         {"fsbench.read_cold_4096": (9.0, "MB/s"), "fsbench.mfs_read_cold_4096": (3.0, "MB/s")})
        self.assertEqual(bench_table.split_label("fsbench.mfs_read_cold_4096"), ("mfs", "fsbench.read_cold_4096"))

    def test_ubench_header_is_no_case(self):
        status, out = self.table(self.log("t", b"ubench runs 5\nubench fork_us 100\n"), "--", self.log("l", b""))
        self.assertEqual(status, 0)
        self.assertEqual([line.split()[0] for line in out.splitlines()[1:]], ["ubench.fork_us"])

    def test_a_failed_check_fails_the_table(self):
        status, _ = self.table(self.log("t", b"fsbench read_4096 1.0 MB/s\nfsbench: FAIL verify (wrong data)\n"),
                               "--", self.log("l", b""))
        self.assertEqual(status, 1)

    def test_a_failed_ubench_check_fails_the_table(self):
        status, _ = self.table(self.log("t", b"ubench getpid_ns 100\nubench: FAIL stat\n"),
                               "--", self.log("l", b""))
        self.assertEqual(status, 1)

    def test_swapbench_lines(self):
        # Throughputs and times as fsbench's; a size or a count has a ratio
        # but no better side (NEUTRAL_UNITS) and no normalised ratio.
        status, out = self.table(self.log("t", b"swapbench: MemTotal 130932 kB, region 383.6 MiB\n"
                                          b"swapbench region 384.0 MiB\nswapbench sweep_write 100.0 MB/s\n"
                                          b"swapbench sweep_total 12.00 s\nswapbench pswpout 2000 pages\n"),
                                 "--", self.log("l", b"swapbench region 240.0 MiB\nswapbench sweep_write 50.0 MB/s\n"
                                                b"swapbench sweep_total 15.00 s\nswapbench pswpout 1000 pages\n"))
        self.assertEqual(status, 0)
        rows = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
        self.assertEqual(sorted(rows), ["swapbench.pswpout", "swapbench.region", "swapbench.sweep_total",
                                        "swapbench.sweep_write"])
        self.assertEqual(rows["swapbench.sweep_write"][-2:], ["2.00", "higher"])
        self.assertEqual(rows["swapbench.sweep_total"][-2:], ["0.80", "lower"])
        self.assertEqual(rows["swapbench.region"][-2:], ["1.60", "-"])
        self.assertEqual(rows["swapbench.pswpout"][-2:], ["2.00", "-"])
        table = {"swapbench.region": ([384.0], "MiB")}
        self.assertIsNone(bench_table.rows(table, {"swapbench.region": ([240.0], "MiB")})[0]["normalised"])

    def test_a_failed_swapbench_check_fails_the_table(self):
        status, _ = self.table(self.log("t", b"swapbench sweep_write 1.0 MB/s\nswapbench: FAIL sweep_read (page 7: wrong data)\n"),
                               "--", self.log("l", b""))
        self.assertEqual(status, 1)

    def test_markdown(self):
        status, out = self.table("--markdown", self.log("t", b"ubench fork_us 100\n"), "--",
                                 self.log("l", b"ubench fork_us 200\n"))
        self.assertEqual(status, 0)
        self.assertTrue(out.startswith("| case | unit |"))
        self.assertIn("| ubench.fork_us | us | 100 | 200 | 0.50 | lower |", out)


if __name__ == "__main__":
    unittest.main()
