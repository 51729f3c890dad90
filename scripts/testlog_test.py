#!/usr/bin/env python3
"""scripts/testlog_test.py -- checks of scripts/testlog.py on made-up console logs.

Each case is a log as a runner would keep it (bytes: NULs, bytes that are
not UTF-8, CR LF line ends) and what the runner must print for it. Run:

    python3 scripts/testlog_test.py
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlog  # noqa: E402


def lines(data):
    return testlog.split_lines(data)


class ReadingTest(unittest.TestCase):
    def test_any_byte_survives_and_crs_go(self):
        log = lines(b"TEST a.b PASS\r\nout\x00put \xff\xfe\r\n")
        self.assertEqual(log[0], "TEST a.b PASS")
        self.assertEqual(log[1].encode("utf-8", "surrogateescape"), b"out\x00put \xff\xfe")

    def test_counts_pass_and_fail(self):
        log = lines(b"RUN a.b\nTEST a.b PASS\nRUN a.c\nTEST a.c FAIL x.c:3 no\nTESTING x\n")
        self.assertEqual(testlog.count_verdicts(log), (1, 1))


class KtestTest(unittest.TestCase):
    def test_clean_run_adds_nothing(self):
        log = lines(b"RUN a.b\nTEST a.b PASS\nKTEST DONE passed=1 failed=0\n")
        self.assertEqual(testlog.ktest_failures(log, 1, 600, "all"), [])

    def test_panic_names_the_case_running(self):
        log = lines(b"RUN a.b\nTEST a.b PASS\nRUN a.c\nx\x00y\nPANIC: page fault at 0x10\n")
        self.assertEqual(testlog.ktest_failures(log, 7, 600, "all"),
                         ["TEST a.c FAIL kernel panic: page fault at 0x10"])

    def test_hang_names_the_case_running(self):
        log = lines(b"RUN a.b\n")
        self.assertEqual(testlog.ktest_failures(log, 124, 600, "all"),
                         ["TEST a.b FAIL hang: no result within 600s"])

    def test_early_end_between_cases_is_the_boot(self):
        log = lines(b"RUN a.b\nTEST a.b PASS\n")
        self.assertEqual(testlog.ktest_failures(log, 0, 600, "all"),
                         ["TEST boot FAIL QEMU ended early (exit 0; triple fault or reset?)"])

    def test_no_case_matched(self):
        log = lines(b"KTEST DONE passed=0 failed=0\n")
        self.assertEqual(testlog.ktest_failures(log, 1, 600, "nosuch"),
                         ["TEST ktest.filter FAIL no test case matched 'nosuch'"])


class UserTest(unittest.TestCase):
    def test_program_deaths(self):
        log = lines(b"run-all: start /test/a_test\nRUN a.x\nrun-all: end /test/a_test status 139\n"
                    b"run-all: start /test/b_test\nrun-all: end /test/b_test status 2\n"
                    b"run-all: 2 programs, 2 failed\n")
        self.assertEqual(testlog.user_failures(log, 1, []), [
            "TEST a.x FAIL /test/a_test ended with status 139 during this case",
            "TEST /test/b_test FAIL exited with status 2, no failed case reported"])

    def test_panic_inside_a_program(self):
        log = lines(b"run-all: start /test/a_test\nRUN a.x\n\x00\nPANIC: oops\n")
        stderr = lines(b"make: ok\nrun-in-guest: kernel panic: oops\n")
        self.assertEqual(testlog.user_failures(log, 125, stderr),
                         ["TEST a.x FAIL kernel panic: oops (in /test/a_test)"])

    def test_missing_summary(self):
        log = lines(b"run-all: start /test/a_test\nrun-all: end /test/a_test status 0\n")
        self.assertEqual(len(testlog.user_failures(log, 0, [])), 1)


class SecondPassTest(unittest.TestCase):
    """run-all's second pass: the suites again on another file system."""

    def test_prefixed_names_and_steps_count(self):
        log = lines(b"RUN tmpfs.mount\nTEST tmpfs.mount PASS\n"
                    b"run-all: start /test/a_test on tmpfs\nRUN tmpfs.a.x\nTEST tmpfs.a.x PASS\n"
                    b"run-all: end /test/a_test on tmpfs status 0\n"
                    b"RUN ffs.fsck_after_suites\nTEST ffs.fsck_after_suites FAIL '/sbin/fsck_ffs' 1\n"
                    b"run-all: 2 programs, 0 failed, 1 steps failed\n")
        self.assertEqual(testlog.count_verdicts(log), (2, 1))
        self.assertEqual(testlog.user_failures(log, 1, []), [])

    def test_program_deaths_name_the_file_system(self):
        log = lines(b"run-all: start /test/a_test on tmpfs\nRUN tmpfs.a.x\n"
                    b"run-all: end /test/a_test on tmpfs status 139\n"
                    b"run-all: start /test/b_test on tmpfs\n"
                    b"run-all: end /test/b_test on tmpfs status 2\n"
                    b"run-all: 2 programs, 2 failed, 0 steps failed\n")
        self.assertEqual(testlog.user_failures(log, 1, []), [
            "TEST tmpfs.a.x FAIL /test/a_test on tmpfs ended with status 139 during this case",
            "TEST /test/b_test@tmpfs FAIL exited with status 2, no failed case reported"])

    def test_panic_in_a_second_pass_program(self):
        log = lines(b"run-all: start /test/a_test on ffs\nRUN ffs.a.x\nPANIC: oops\n")
        stderr = lines(b"run-in-guest: kernel panic: oops\n")
        self.assertEqual(testlog.user_failures(log, 125, stderr),
                         ["TEST ffs.a.x FAIL kernel panic: oops (in /test/a_test on ffs)"])

    def test_panic_in_a_step_between_programs(self):
        log = lines(b"run-all: start /test/a_test\nrun-all: end /test/a_test status 0\n"
                    b"RUN ffs.mount\nPANIC: bad superblock\n")
        stderr = lines(b"run-in-guest: kernel panic: bad superblock\n")
        self.assertEqual(testlog.user_failures(log, 125, stderr),
                         ["TEST ffs.mount FAIL kernel panic: bad superblock"])


class InitStatusTest(unittest.TestCase):
    STUCK = r"^kernel ready: no .* to run|^kernel: cannot start "

    def test_nul_does_not_hide_the_status_line(self):
        log = lines(b"a\x00b\r\nteachos: init exited with status 0\r\n")
        self.assertEqual(testlog.init_status(log, 1, 300, self.STUCK), (0, ""))

    def test_panic_wins(self):
        log = lines(b"teachos: init exited with status 0\nPANIC: late\n")
        self.assertEqual(testlog.init_status(log, 7, 300, self.STUCK), (125, "kernel panic: late"))

    def test_timeout(self):
        self.assertEqual(testlog.init_status(lines(b"boot\n"), 124, 300, self.STUCK)[0], 124)


if __name__ == "__main__":
    unittest.main()
