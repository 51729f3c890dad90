// tests/host/fs/procfs/sysctl_int_test.cpp -- fs/procfs/sysctl_int.h: one integer written to
// a /proc/sys file. Where the value is 4, the expectation is what Linux 6.18
// answered to the same write(2) on /proc/sys/vm/drop_caches as root (the
// bytes it returned, or EINVAL; 4 sets only the log bit, nothing is
// dropped); the other values follow Linux's proc_get_long.
#include <fs/procfs/sysctl_int.h>

#include <gtest/gtest.h>
#include <string>

using fs::procfs::parse_sysctl_int;

namespace {

// The bytes taken from `text` (its whole length, NULs included), or -1 for
// EINVAL; the value goes to *value.
long parse(const std::string& text, i64* value = nullptr)
{
    auto result = parse_sysctl_int(text.data(), text.size());
    if (result.is_error()) {
        EXPECT_EQ(result.error(), kern::Errno::EINVAL);
        return -1;
    }
    if (value)
        *value = result.value().value;
    return long(result.value().used);
}

} // namespace

TEST(SysctlInt, PlainNumberAndNewline)
{
    i64 v = 0;
    EXPECT_EQ(parse("4", &v), 1);
    EXPECT_EQ(v, 4);
    EXPECT_EQ(parse("3\n", &v), 2);
    EXPECT_EQ(v, 3);
    EXPECT_EQ(parse("4\n\n", &v), 3);
}

TEST(SysctlInt, WhitespaceAround)
{
    i64 v = 0;
    EXPECT_EQ(parse(" 4", &v), 2);
    EXPECT_EQ(v, 4);
    EXPECT_EQ(parse("4 "), 2);
    EXPECT_EQ(parse("4\t"), 2);
    EXPECT_EQ(parse("\t\n 4 \r\n"), 7);
    EXPECT_EQ(parse("4\r\n"), -1); // '\r' and '\v' are space before the number,
    EXPECT_EQ(parse("4\v"), -1);    // not a separator right after it
}

TEST(SysctlInt, BasesAsStrtoul)
{
    i64 v = 0;
    EXPECT_EQ(parse("04", &v), 2);
    EXPECT_EQ(v, 4);
    EXPECT_EQ(parse("0x4", &v), 3);
    EXPECT_EQ(v, 4);
    EXPECT_EQ(parse("0X4", &v), 3);
    EXPECT_EQ(v, 4);
    EXPECT_EQ(parse("0x0004"), 6);
    EXPECT_EQ(parse("0X1f", &v), 4);
    EXPECT_EQ(v, 31);
    EXPECT_EQ(parse("010", &v), 3);
    EXPECT_EQ(v, 8);
    EXPECT_EQ(parse("08"), -1);    // octal stops at 8, which is no separator
    EXPECT_EQ(parse("0x"), -1);    // no hex digit: octal "0", then an 'x'
}

TEST(SysctlInt, SignAndRange)
{
    i64 v = 0;
    EXPECT_EQ(parse("-4", &v), 2);  // the caller's range check refuses it
    EXPECT_EQ(v, -4);
    EXPECT_EQ(parse("+4"), -1);
    EXPECT_EQ(parse("-"), -1);
    EXPECT_EQ(parse("2147483647", &v), 10);
    EXPECT_EQ(v, 2147483647);
    EXPECT_EQ(parse("2147483648"), -1);
    EXPECT_EQ(parse("-2147483648", &v), 11);
    EXPECT_EQ(v, -2147483648LL);
    EXPECT_EQ(parse("9999999999999999999999"), -1);
}

TEST(SysctlInt, RefusedText)
{
    EXPECT_EQ(parse("x"), -1);
    EXPECT_EQ(parse("4x"), -1);
    EXPECT_EQ(parse(std::string("4\0", 2)), -1);
    EXPECT_EQ(parse("\n"), -1);
    EXPECT_EQ(parse("   "), -1);
    EXPECT_EQ(parse(""), -1);
}

TEST(SysctlInt, TooLongToTell)
{
    EXPECT_EQ(parse("00000000000000000000004"), -1);  // 23 characters
    EXPECT_EQ(parse("000000000000000000004"), -1);    // 21: Linux cannot see the end
    i64 v = 0;
    EXPECT_EQ(parse("00000000000000000004", &v), 20);  // 20 is still fine
    EXPECT_EQ(v, 4);
}

TEST(SysctlInt, OnlyTheFirstNumberIsTaken)
{
    i64 v = 0;
    EXPECT_EQ(parse("4 5", &v), 2);  // Linux returns 2: a short write
    EXPECT_EQ(v, 4);
}
