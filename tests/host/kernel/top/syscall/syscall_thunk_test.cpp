// tests/host/kernel/top/syscall/syscall_thunk_test.cpp -- registers to typed parameters
// (kernel/top/syscall/syscall.h: from_register, syscall_thunk) and UserPtr
// (kernel/top/syscall/user_ptr.h).
//
// The thunk is the one place where a system call's six registers become a
// handler's parameters, so these tests pin its rules: a 32-bit parameter
// takes the low half of its register (Linux's int arguments: -1 and
// 0xffffffff are the same descriptor, and garbage in the high half is not
// looked at), a 64-bit one the whole register, a UserPtr the address; the
// registers go to the parameters in order; a handler's Errno comes back
// unchanged. In the host tests a "user address" is a host pointer
// (tests/host/shim/usercopy_shim.cpp), page 0 standing for unmapped memory.
#include <kernel/top/syscall/syscall.h>

#include <type_traits>

using namespace kern;

namespace {

constexpr u64 HIGH_GARBAGE = 0xdeadbeef00000000ull;

TEST(SyscallThunk, IntTakesTheLowHalf)
{
    EXPECT_EQ(from_register<int>(0xffffffffull), -1);
    EXPECT_EQ(from_register<int>(~0ull), -1);
    EXPECT_EQ(from_register<int>(HIGH_GARBAGE | 5), 5);
    EXPECT_EQ(from_register<int>(0x80000000ull), INT32_MIN);
    EXPECT_EQ(from_register<unsigned>(HIGH_GARBAGE | 0xffffffffu), 0xffffffffu);
    EXPECT_EQ(from_register<pid_t>(u64(i64(-42))), -42);
    EXPECT_EQ(from_register<mode_t>(HIGH_GARBAGE | 0644), 0644u);
}

TEST(SyscallThunk, SixtyFourBitsTakeTheWholeRegister)
{
    EXPECT_EQ(from_register<i64>(~0ull), -1);
    EXPECT_EQ(from_register<u64>(HIGH_GARBAGE | 7), HIGH_GARBAGE | 7);
    EXPECT_EQ(from_register<size_t>(HIGH_GARBAGE), size_t(HIGH_GARBAGE));
    EXPECT_EQ(from_register<loff_t>(u64(i64(-4096))), -4096);
}

TEST(SyscallThunk, UserPtrKeepsTheAddress)
{
    auto p = from_register<UserPtr<const char>>(0x7fff0000ull);
    EXPECT_EQ(p.address(), 0x7fff0000ull);
    EXPECT_TRUE(bool(p));
    EXPECT_FALSE(bool(from_register<UserPtr<int>>(0)));
    EXPECT_EQ(UserPtr<u64>(0x1000).element(3).address(), 0x1018u);
}

TEST(SyscallThunk, UserPtrConstness)
{
    static_assert(std::is_convertible_v<UserPtr<int>, UserPtr<const int>>);
    static_assert(!std::is_convertible_v<UserPtr<const int>, UserPtr<int>>);
    static_assert(!std::is_convertible_v<uptr, UserPtr<int>>);  // explicit only
}

// A handler that records what it was given.
struct Seen {
    int fd;
    uptr buf;
    size_t count;
    i64 offset;
    unsigned flags;
    u64 last;
} g_seen;

ErrorOr<u64> six_arguments(int fd, UserPtr<u8> buf, size_t count, i64 offset, unsigned flags, u64 last)
{
    g_seen = {fd, buf.address(), count, offset, flags, last};
    return 77;
}

ErrorOr<u64> no_arguments() { return 5; }

ErrorOr<u64> fails(int) { return Errno::EBADF; }

TEST(SyscallThunk, RegistersGoToTheParametersInOrder)
{
    SyscallArgs args{HIGH_GARBAGE | 3, 0x5000, 100, u64(i64(-1)), HIGH_GARBAGE | 9, 0x123456789ull};
    auto result = syscall_thunk<six_arguments>(args);
    ASSERT_FALSE(result.is_error());
    EXPECT_EQ(result.value(), 77u);
    EXPECT_EQ(g_seen.fd, 3);
    EXPECT_EQ(g_seen.buf, 0x5000u);
    EXPECT_EQ(g_seen.count, 100u);
    EXPECT_EQ(g_seen.offset, -1);
    EXPECT_EQ(g_seen.flags, 9u);
    EXPECT_EQ(g_seen.last, 0x123456789ull);
}

TEST(SyscallThunk, FewerParametersIgnoreTheRest)
{
    SyscallArgs args{1, 2, 3, 4, 5, 6};
    auto result = syscall_thunk<no_arguments>(args);
    ASSERT_FALSE(result.is_error());
    EXPECT_EQ(result.value(), 5u);
}

TEST(SyscallThunk, AnErrnoComesBackUnchanged)
{
    auto result = syscall_thunk<fails>(SyscallArgs{0, 0, 0, 0, 0, 0});
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error(), Errno::EBADF);
}

TEST(UserPtrCopies, TypedCopiesAndEfault)
{
    int in[2] = {11, 22}, out[2] = {0, 0};
    UserPtr<const int> from(reinterpret_cast<uptr>(in));
    UserPtr<int> to(reinterpret_cast<uptr>(out));
    ASSERT_FALSE(copy_from_user(out, from, 2).is_error());
    EXPECT_EQ(out[1], 22);
    int value = 33;
    ASSERT_FALSE(copy_to_user(to.element(1), &value).is_error());
    EXPECT_EQ(out[1], 33);
    EXPECT_EQ(copy_to_user(UserPtr<int>(8), &value).error(), Errno::EFAULT);  // page 0: unmapped
    EXPECT_EQ(check_user_range(UserPtr<u8>(vm::USER_MAX - 4), 8).error(), Errno::EFAULT);
    EXPECT_FALSE(check_user_range(UserPtr<u8>(vm::USER_MAX - 8), 8).is_error());
}

} // namespace
