// tests/host/arch/usercopy_test.cpp -- the kernel's real user-copy loops, with fault recovery, on the host.
//
// arch/x86_64/usercopy.S is plain x86-64 code, so the host test binary links
// it as it is (tests/host/host.mk) and runs it on host memory. The kernel's
// fault recovery is played by a SIGSEGV handler that does what the trap
// handler does (arch/x86_64/trap.cpp with usercopy.cpp:usercopy_fixup): if
// the faulting instruction lies between x86_usercopy_begin and
// x86_usercopy_fixup, resume at x86_usercopy_fixup, which makes the routine
// return -EFAULT; any other fault is a real crash. A PROT_NONE guard page
// after the buffers stands for an unmapped user page, so a copy can be made
// to fault at an exact byte -- the last one, say.
//
// Cases: every length class the copy loop has a path for (0, 1, 7, 8, 63,
// 64, 65, 4095, 4096, 4097 bytes: no block, blocks, words, tail bytes), at
// unaligned offsets on either side, checked byte for byte, with the bytes
// around the destination untouched; and faults on the first and the last
// byte of the source and of the destination, for copy, clear and string copy.
#include <gtest/gtest.h>

#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <kernel/base/lib/types.h>

extern "C" {
long x86_copy_user(void* dst, const void* src, size_t n);
long x86_clear_user(void* dst, size_t n);
long x86_copy_string_user(char* dst, const char* src, size_t max);
extern const char x86_usercopy_begin[], x86_usercopy_fixup[];
}

namespace {

constexpr long EFAULT_RESULT = -14;
constexpr size_t PAGE = 4096;
constexpr size_t LENGTHS[] = {0, 1, 7, 8, 63, 64, 65, 4095, 4096, 4097};

void recover(int, siginfo_t*, void* context)
{
    auto* uc = static_cast<ucontext_t*>(context);
    auto rip = uptr(uc->uc_mcontext.gregs[REG_RIP]);
    if (rip >= uptr(x86_usercopy_begin) && rip < uptr(x86_usercopy_fixup)) {
        uc->uc_mcontext.gregs[REG_RIP] = greg_t(uptr(x86_usercopy_fixup));
        return;
    }
    signal(SIGSEGV, SIG_DFL);  // not a user copy: crash for real
}

// Three readable and writable pages, then a PROT_NONE guard page; the
// SIGSEGV handler above installed for the test's lifetime.
class UserCopy : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_base = static_cast<u8*>(mmap(nullptr, 4 * PAGE, PROT_READ | PROT_WRITE,
                                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
        ASSERT_NE(m_base, MAP_FAILED);
        ASSERT_EQ(mprotect(m_base + 3 * PAGE, PAGE, PROT_NONE), 0);
        struct sigaction sa = {};
        sa.sa_sigaction = recover;
        sa.sa_flags = SA_SIGINFO;
        sigemptyset(&sa.sa_mask);
        ASSERT_EQ(sigaction(SIGSEGV, &sa, &m_old), 0);
    }
    void TearDown() override
    {
        sigaction(SIGSEGV, &m_old, nullptr);
        munmap(m_base, 4 * PAGE);
    }
    // The first byte of the guard page: the buffers end here.
    u8* guard() const { return m_base + 3 * PAGE; }

    u8* m_base = nullptr;
    struct sigaction m_old = {};
};

void fill_pattern(u8* p, size_t n, u8 seed)
{
    for (size_t i = 0; i < n; ++i)
        p[i] = u8(seed + i * 7);
}

TEST_F(UserCopy, copies_every_length_class_at_every_alignment)
{
    static u8 src[2 * PAGE + 64], dst[2 * PAGE + 64];
    for (size_t n : LENGTHS)
        for (size_t so : {0, 1, 7})
            for (size_t doff : {0, 3, 8}) {
                fill_pattern(src, sizeof src, u8(n + so));
                memset(dst, 0xee, sizeof dst);
                ASSERT_EQ(x86_copy_user(dst + 8 + doff, src + so, n), 0)
                    << "n=" << n << " src+" << so << " dst+" << doff;
                ASSERT_EQ(memcmp(dst + 8 + doff, src + so, n), 0) << "n=" << n;
                for (size_t i = 0; i < 8 + doff; ++i)
                    ASSERT_EQ(dst[i], 0xee) << "wrote before the destination, n=" << n;
                for (size_t i = 8 + doff + n; i < sizeof dst; ++i)
                    ASSERT_EQ(dst[i], 0xee) << "wrote past the destination, n=" << n;
            }
}

TEST_F(UserCopy, clears_every_length_class_at_every_alignment)
{
    static u8 dst[2 * PAGE + 64];
    for (size_t n : LENGTHS)
        for (size_t doff : {0, 1, 5}) {
            memset(dst, 0xee, sizeof dst);
            ASSERT_EQ(x86_clear_user(dst + 8 + doff, n), 0) << "n=" << n;
            for (size_t i = 0; i < sizeof dst; ++i) {
                bool inside = i >= 8 + doff && i < 8 + doff + n;
                ASSERT_EQ(dst[i], inside ? 0 : 0xee) << "n=" << n << " byte " << i;
            }
        }
}

TEST_F(UserCopy, a_fault_on_the_last_source_byte_is_efault)
{
    static u8 dst[2 * PAGE];
    for (size_t n : LENGTHS) {
        if (n == 0 || n > 2 * PAGE)
            continue;
        // The source's last byte is the guard page's first.
        const u8* src = guard() - (n - 1);
        EXPECT_EQ(x86_copy_user(dst, src, n), EFAULT_RESULT) << "n=" << n;
        // One byte shorter, it fits.
        EXPECT_EQ(x86_copy_user(dst, src, n - 1), 0) << "n=" << n;
    }
}

TEST_F(UserCopy, a_fault_on_the_last_destination_byte_is_efault)
{
    static u8 src[2 * PAGE];
    fill_pattern(src, sizeof src, 1);
    for (size_t n : LENGTHS) {
        if (n == 0 || n > 2 * PAGE)
            continue;
        u8* dst = guard() - (n - 1);
        EXPECT_EQ(x86_copy_user(dst, src, n), EFAULT_RESULT) << "n=" << n;
        EXPECT_EQ(x86_clear_user(dst, n), EFAULT_RESULT) << "n=" << n;
        EXPECT_EQ(x86_copy_user(dst, src, n - 1), 0) << "n=" << n;
        EXPECT_EQ(memcmp(dst, src, n - 1), 0) << "n=" << n;
    }
}

TEST_F(UserCopy, a_fault_on_the_first_byte_is_efault)
{
    static u8 buf[64];
    EXPECT_EQ(x86_copy_user(buf, guard(), 1), EFAULT_RESULT);
    EXPECT_EQ(x86_copy_user(guard(), buf, 64), EFAULT_RESULT);
    EXPECT_EQ(x86_clear_user(guard(), 4097), EFAULT_RESULT);
    char s[16];
    EXPECT_EQ(x86_copy_string_user(s, reinterpret_cast<const char*>(this->guard()), sizeof s), EFAULT_RESULT);
}

TEST_F(UserCopy, string_copy_stops_at_the_nul_or_the_limit_or_the_fault)
{
    char out[32];
    char* s = reinterpret_cast<char*>(this->guard()) - 6;
    memcpy(s, "hello", 6);  // the NUL is the last byte before the guard
    EXPECT_EQ(x86_copy_string_user(out, s, sizeof out), 5);
    EXPECT_STREQ(out, "hello");
    EXPECT_EQ(x86_copy_string_user(out, s, 3), 3) << "no NUL within max: max";
    memcpy(s, "hellox", 6);  // no NUL before the guard page
    EXPECT_EQ(x86_copy_string_user(out, s, sizeof out), EFAULT_RESULT);
    EXPECT_EQ(x86_copy_string_user(out, s, 6), 6) << "the limit comes before the fault";
}

} // namespace
