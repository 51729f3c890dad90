// tests/host/kernel/lib/errno_test.cpp -- Errno values and errno_name()
// (kernel/lib/errno.h), and the ErrorOr/TRY plumbing that carries them.
#include <kernel/lib/error_or.h>
#include <kernel/lib/errno.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>

namespace {

using kern::Errno;
using kern::ErrorOr;

TEST(Errno, ValuesAreLinux)
{
    // The host is Linux: its <errno.h> must agree with ours, number for number.
    EXPECT_EQ(int(Errno::ENOENT), ENOENT);
    EXPECT_EQ(int(Errno::ENOMEM), ENOMEM);
    EXPECT_EQ(int(Errno::EEXIST), EEXIST);
    EXPECT_EQ(int(Errno::ENAMETOOLONG), ENAMETOOLONG);
    EXPECT_EQ(int(Errno::ENOSYS), ENOSYS);
    EXPECT_EQ(int(Errno::ENOTEMPTY), ENOTEMPTY);
    EXPECT_EQ(int(Errno::EOVERFLOW), EOVERFLOW);
    EXPECT_EQ(int(Errno::ENOTSUP), ENOTSUP);
    EXPECT_EQ(int(Errno::ETIMEDOUT), ETIMEDOUT);
    EXPECT_EQ(int(Errno::ECANCELED), ECANCELED);
}

TEST(Errno, Names)
{
    EXPECT_STREQ(kern::errno_name(Errno::EPERM), "EPERM");
    EXPECT_STREQ(kern::errno_name(Errno::ENOENT), "ENOENT");
    EXPECT_STREQ(kern::errno_name(Errno::EINVAL), "EINVAL");
    EXPECT_STREQ(kern::errno_name(Errno::ECANCELED), "ECANCELED");
    EXPECT_STREQ(kern::errno_name(Errno(0)), "E?");
    EXPECT_STREQ(kern::errno_name(Errno(41)), "E?"); // a gap in the table
    EXPECT_STREQ(kern::errno_name(Errno(9999)), "E?");
}

TEST(Errno, EveryListedNumberHasItsName)
{
    // Every number 1..125 that we name must be named after the host's macro
    // for the same number (strerrorname_np is glibc >= 2.32).
    for (int n = 1; n <= 125; ++n) {
        const char* ours = kern::errno_name(Errno(n));
        if (strcmp(ours, "E?") == 0)
            continue;
        const char* host = strerrorname_np(n);
        ASSERT_NE(host, nullptr) << n;
        if (n == ENOTSUP) // glibc names 95 EOPNOTSUPP, an alias of ENOTSUP
            continue;
        EXPECT_STREQ(ours, host) << n;
    }
}

ErrorOr<int> half(int x)
{
    if (x % 2)
        return Errno::EINVAL;
    return x / 2;
}

ErrorOr<int> quarter(int x)
{
    int h = TRY(half(x));
    return TRY(half(h));
}

TEST(Errno, ErrorOrAndTry)
{
    auto ok = quarter(12);
    ASSERT_FALSE(ok.is_error());
    EXPECT_EQ(ok.value(), 3);
    auto bad = quarter(6); // 6 -> 3 -> odd
    ASSERT_TRUE(bad.is_error());
    EXPECT_EQ(bad.error(), Errno::EINVAL);
    EXPECT_EQ(MUST(half(8)), 4);
}

} // namespace
