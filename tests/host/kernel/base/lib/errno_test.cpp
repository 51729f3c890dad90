// tests/host/kernel/base/lib/errno_test.cpp -- Errno values and errno_name()
// (kernel/base/lib/errno.h), and the ErrorOr/TRY plumbing that carries them.
//
// A trap this file has to step around: the host's <errno.h> defines ENOENT
// and friends as macros, so once any host header has pulled it in (gtest.h
// and <string> both do), `Errno::ENOENT` is preprocessed into `Errno::2`.
// Removing the macros before the C++ library headers breaks those (they use
// them), so the order is: every host header first, then capture the host
// numbers, then #undef the macros, then the kernel headers.
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>

namespace host {
constexpr int ENOENT_ = ENOENT;
constexpr int ENOMEM_ = ENOMEM;
constexpr int EEXIST_ = EEXIST;
constexpr int ENAMETOOLONG_ = ENAMETOOLONG;
constexpr int ENOSYS_ = ENOSYS;
constexpr int ENOTEMPTY_ = ENOTEMPTY;
constexpr int EOVERFLOW_ = EOVERFLOW;
constexpr int ENOTSUP_ = ENOTSUP;
constexpr int ETIMEDOUT_ = ETIMEDOUT;
constexpr int ECANCELED_ = ECANCELED;
} // namespace host

#undef EPERM
#undef ENOENT
#undef ESRCH
#undef EINTR
#undef EIO
#undef ENXIO
#undef E2BIG
#undef ENOEXEC
#undef EBADF
#undef ECHILD
#undef EAGAIN
#undef ENOMEM
#undef EACCES
#undef EFAULT
#undef ENOTBLK
#undef EBUSY
#undef EEXIST
#undef EXDEV
#undef ENODEV
#undef ENOTDIR
#undef EISDIR
#undef EINVAL
#undef ENFILE
#undef EMFILE
#undef ENOTTY
#undef ETXTBSY
#undef EFBIG
#undef ENOSPC
#undef ESPIPE
#undef EROFS
#undef EMLINK
#undef EPIPE
#undef EDOM
#undef ERANGE
#undef EDEADLK
#undef ENAMETOOLONG
#undef ENOLCK
#undef ENOSYS
#undef ENOTEMPTY
#undef ELOOP
#undef ENOMSG
#undef EOVERFLOW
#undef ENOTSUP
#undef ETIMEDOUT
#undef ECANCELED

#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/errno.h>

namespace {

using kern::Errno;
using kern::ErrorOr;

TEST(Errno, ValuesAreLinux)
{
    // The host is Linux: its <errno.h> must agree with ours, number for number.
    EXPECT_EQ(int(Errno::ENOENT), host::ENOENT_);
    EXPECT_EQ(int(Errno::ENOMEM), host::ENOMEM_);
    EXPECT_EQ(int(Errno::EEXIST), host::EEXIST_);
    EXPECT_EQ(int(Errno::ENAMETOOLONG), host::ENAMETOOLONG_);
    EXPECT_EQ(int(Errno::ENOSYS), host::ENOSYS_);
    EXPECT_EQ(int(Errno::ENOTEMPTY), host::ENOTEMPTY_);
    EXPECT_EQ(int(Errno::EOVERFLOW), host::EOVERFLOW_);
    EXPECT_EQ(int(Errno::ENOTSUP), host::ENOTSUP_);
    EXPECT_EQ(int(Errno::ETIMEDOUT), host::ETIMEDOUT_);
    EXPECT_EQ(int(Errno::ECANCELED), host::ECANCELED_);
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
        if (n == host::ENOTSUP_) // glibc names 95 EOPNOTSUPP, an alias of ENOTSUP
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
