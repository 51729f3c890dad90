// kernel/base/cmdline.h -- the kernel command line (from GRUB's multiboot2 tag).
//
// Words separated by spaces; a word is `key=value` or a bare `key`.
// Known keys: ktest=FILTER (run in-kernel tests, kernel/base/ktest/ktest.h),
// panic=exit (end QEMU on a panic instead of halting; the test runner sets it),
// mdN=SIZE (attach RAM disk N of SIZE bytes, K/M/G suffixes, as /dev/mdN:
// fs/block/blkdev.cpp; the user-test boot attaches md0=16M).
#pragma once

#include <kernel/base/lib/types.h>

namespace kern {

void cmdline_init(const char* line);
const char* cmdline();
// Copy the value of `key` into buf (NUL-terminated). Returns false if absent.
// A bare `key` has the value "".
bool cmdline_get(const char* key, char* buf, size_t size);
bool cmdline_has(const char* key);

} // namespace kern
