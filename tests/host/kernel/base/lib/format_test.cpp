// tests/host/kernel/base/lib/format_test.cpp -- kern::vformat/vsnprintf/snprintf
// against the host C library's snprintf.
//
// For every conversion the kernel shares with C (%d %i %u %x %X %o %c %s %%),
// the tests generate the cross product of flags, widths, precisions, length
// modifiers and edge values and require byte-identical output and return
// values from glibc. Where format.h deliberately differs from C (%p, NULL %s,
// unsupported conversions printed literally) the expected text is written out.
#include <kernel/base/lib/format.h>

#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace {

// Format with the kernel's snprintf into a large buffer.
std::string kfmt(const char* fmt, ...)
{
    char buf[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = kern::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    EXPECT_EQ(size_t(n), strlen(buf)) << fmt;
    return buf;
}

// The length kern::vsnprintf reports, through a helper without the printf
// attribute so GCC does not reject deliberately absurd formats.
int klength(const char* fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kern::vsnprintf(nullptr, 0, fmt, ap);
    va_end(ap);
    return n;
}

// Both formatters, same arguments: same text, same return value.
template <typename... Args> void expect_same(const std::string& fmt, Args... args)
{
    char want[4096];
    char got[4096];
    int want_n = ::snprintf(want, sizeof want, fmt.c_str(), args...);
    int got_n = kern::snprintf(got, sizeof got, fmt.c_str(), args...);
    ASSERT_EQ(want_n, got_n) << "format \"" << fmt << "\"";
    ASSERT_STREQ(want, got) << "format \"" << fmt << "\"";
}

// Every specification prefix: flag sets x widths x precisions.
std::vector<std::string> spec_prefixes()
{
    const char* flag_sets[] = {"", "-", "0", "+", " ", "#", "-0", "+ ", "0#", "-+#", "0+", "0 #", "-0+ #"};
    const char* widths[] = {"", "1", "3", "8", "25"};
    const char* precisions[] = {"", ".", ".0", ".1", ".4", ".22"};
    std::vector<std::string> out;
    for (const char* f : flag_sets)
        for (const char* w : widths)
            for (const char* p : precisions)
                out.push_back(std::string("%") + f + w + p);
    return out;
}

TEST(Format, PlainTextAndPercent)
{
    expect_same(std::string("hello, world"));
    expect_same(std::string(""));
    expect_same(std::string("100%% sure %%%%"));
    expect_same(std::string("a%cb"), 'x');
}

TEST(Format, SignedIntAllSpecs)
{
    const int values[] = {0, 1, -1, 7, -42, 1000000, INT_MAX, INT_MIN};
    for (const std::string& pre : spec_prefixes())
        for (const char* conv : {"d", "i"})
            for (int v : values)
                expect_same(pre + conv, v);
}

TEST(Format, UnsignedIntAllSpecs)
{
    const unsigned values[] = {0u, 1u, 8u, 255u, 0xdeadbeefu, UINT_MAX};
    for (const std::string& pre : spec_prefixes())
        for (const char* conv : {"u", "x", "X", "o"})
            for (unsigned v : values)
                expect_same(pre + conv, v);
}

TEST(Format, LengthModifiersSigned)
{
    for (const char* flags : {"", "+", "-12", "012", ".3", " 9"}) {
        std::string f = std::string("%") + flags;
        for (int v : {0, 127, 128, -128, -129, 300, 65535, -32769, INT_MIN}) {
            expect_same(f + "hhd", v);
            expect_same(f + "hd", v);
        }
        for (long v : {0L, -1L, LONG_MIN, LONG_MAX, 1L << 40})
            expect_same(f + "ld", v);
        for (long long v : {0LL, LLONG_MIN, LLONG_MAX, -(1LL << 50)})
            expect_same(f + "lli", v);
        for (ssize_t v : {ssize_t(0), ssize_t(-5), ssize_t(LONG_MAX)})
            expect_same(f + "zd", v);
        for (ptrdiff_t v : {ptrdiff_t(0), ptrdiff_t(-77), PTRDIFF_MIN})
            expect_same(f + "td", v);
        for (intmax_t v : {intmax_t(0), INTMAX_MIN, INTMAX_MAX})
            expect_same(f + "jd", v);
    }
}

TEST(Format, LengthModifiersUnsigned)
{
    for (const char* flags : {"", "#", "-20", "020", ".25", "#30.20"}) {
        std::string f = std::string("%") + flags;
        for (const char* conv : {"u", "x", "X", "o"}) {
            for (unsigned v : {0u, 255u, 256u, 65535u, 65536u, UINT_MAX}) {
                expect_same(f + "hh" + conv, v);
                expect_same(f + "h" + conv, v);
            }
            for (unsigned long v : {0UL, ULONG_MAX, 1UL << 63})
                expect_same(f + "l" + conv, v);
            for (unsigned long long v : {0ULL, ULLONG_MAX, 0x0123456789abcdefULL})
                expect_same(f + "ll" + conv, v);
            for (size_t v : {size_t(0), SIZE_MAX, size_t(4096)})
                expect_same(f + "z" + conv, v);
            for (uintmax_t v : {uintmax_t(1), UINTMAX_MAX})
                expect_same(f + "j" + conv, v);
        }
    }
}

TEST(Format, CharAndString)
{
    for (const char* f : {"%c", "%5c", "%-5c", "%1c"})
        for (int c : {'a', 'Z', ' ', '~'})
            expect_same(std::string(f), c);
    const char* strings[] = {"", "a", "hello", "a longer string of text"};
    for (const char* f : {"%s", "%10s", "%-10s", "%.3s", "%.0s", "%8.2s", "%-8.2s", "%.30s", "%3s"})
        for (const char* s : strings)
            expect_same(std::string(f), s);
}

TEST(Format, StarWidthAndPrecision)
{
    for (int w : {0, 1, 6, -6, 30, -30})
        for (int p : {-1, 0, 2, 9}) {
            expect_same(std::string("[%*d]"), w, 123);
            expect_same(std::string("[%*.*d]"), w, p, -123);
            expect_same(std::string("[%-*.*x]"), w, p, 0xabcu);
            expect_same(std::string("[%*.*s]"), w, p, "string");
            expect_same(std::string("[%0*d]"), w, -5);
        }
}

TEST(Format, MixedArguments)
{
    expect_same(std::string("%s=%d (%#x) %c%c %lu%%"), "count", 42, 42u, 'o', 'k', 99UL);
    expect_same(std::string("%5s|%-5s|%05d|%-+5d|% d"), "ab", "cd", -3, 4, 5);
    expect_same(std::string("%lld %llu %llx"), LLONG_MIN, ULLONG_MAX, 0x1234ULL);
}

TEST(Format, PointerIsAlways16HexDigits)
{
    EXPECT_EQ(kfmt("%p", (void*)nullptr), "0x0000000000000000");
    EXPECT_EQ(kfmt("%p", (void*)0xffff800000001000ull), "0xffff800000001000");
    EXPECT_EQ(kfmt("[%20p]", (void*)0x1234), "[  0x0000000000001234]");
    EXPECT_EQ(kfmt("[%-20p]", (void*)0x1234), "[0x0000000000001234  ]");
}

TEST(Format, NullStringPrintsNull)
{
    EXPECT_EQ(kfmt("%s", (const char*)nullptr), "(null)");
    EXPECT_EQ(kfmt("[%8s]", (const char*)nullptr), "[  (null)]");
    EXPECT_EQ(kfmt("[%.3s]", (const char*)nullptr), "[(nu]");
}

TEST(Format, PrecisionStringNeedNotBeTerminated)
{
    const char raw[3] = {'a', 'b', 'c'}; // no NUL: ASan would catch a read past it
    EXPECT_EQ(kfmt("%.3s", raw), "abc");
    EXPECT_EQ(kfmt("%.2s", raw), "ab");
}

// Unsupported conversions must be printed literally and consume no argument:
// the argument after them must still line up.
TEST(Format, UnsupportedConversionsAreLiteral)
{
    EXPECT_EQ(kfmt("%f %d", 7), "%f 7");
    EXPECT_EQ(kfmt("%5.2f|%d", 7), "%5.2f|7");
    EXPECT_EQ(kfmt("%n%d", 8), "%n8");
    EXPECT_EQ(kfmt("%*f%d", 9), "%*f9");
    EXPECT_EQ(kfmt("%Lf%s", "x"), "%Lfx");
    EXPECT_EQ(kfmt("%ls%d", 1), "%ls1");
    EXPECT_EQ(kfmt("%lc%d", 2), "%lc2");
    EXPECT_EQ(kfmt("%hp%d", 3), "%hp3");
    EXPECT_EQ(kfmt("%y%%%d", 4), "%y%4");
    EXPECT_EQ(kfmt("abc%"), "abc%");
    EXPECT_EQ(kfmt("abc%-08.3l"), "abc%-08.3l");
}

TEST(Format, TruncationAndReturnValue)
{
    char buf[8];
    memset(buf, 'Z', sizeof buf);
    EXPECT_EQ(kern::snprintf(buf, sizeof buf, "%s", "0123456789"), 10);
    EXPECT_STREQ(buf, "0123456");

    memset(buf, 'Z', sizeof buf);
    EXPECT_EQ(kern::snprintf(buf, 1, "%d", 12345), 5);
    EXPECT_EQ(buf[0], '\0');
    EXPECT_EQ(buf[1], 'Z');

    memset(buf, 'Z', sizeof buf);
    EXPECT_EQ(kern::snprintf(buf, 0, "%d", 12345), 5);
    EXPECT_EQ(buf[0], 'Z');
    EXPECT_EQ(kern::snprintf(nullptr, 0, "%s-%s", "ab", "cd"), 5);

    EXPECT_EQ(kern::snprintf(buf, sizeof buf, "%07d", 42), 7);
    EXPECT_STREQ(buf, "0000042");
    EXPECT_EQ(kern::snprintf(buf, sizeof buf, "%08d", 42), 8);
    EXPECT_STREQ(buf, "0000004");

    // Every buffer size cuts the same text at the same place as glibc.
    for (size_t size = 0; size <= 40; ++size) {
        char want[64];
        char got[64];
        memset(want, 'Q', sizeof want);
        memset(got, 'Q', sizeof got);
        int want_n = ::snprintf(want, size, "%-6s|%+08d|%#x", "key", -77, 0xbeefu);
        int got_n = kern::snprintf(got, size, "%-6s|%+08d|%#x", "key", -77, 0xbeefu);
        EXPECT_EQ(want_n, got_n);
        EXPECT_EQ(0, memcmp(want, got, sizeof want)) << "size " << size;
    }
}

TEST(Format, HugeWidthSaturatesWithoutOverflow)
{
    // The width is capped at 2^20: the count is exact, nothing overflows.
    EXPECT_EQ(klength("%99999999999d", 1), 1 << 20);
    EXPECT_EQ(klength("%*d", INT_MIN, 1), 1 << 20);
    char buf[16];
    EXPECT_EQ(kern::snprintf(buf, sizeof buf, "%.*d", 40, 5), 40);
    EXPECT_STREQ(buf, "000000000000000");
}

// vformat hands text to the sink in pieces and returns the total length.
TEST(Format, VformatSinkSeesEveryByte)
{
    struct Collect {
        std::string text;
        int calls = 0;
    } c;
    auto sink = [](void* ctx, const char* s, size_t len) {
        auto* col = static_cast<Collect*>(ctx);
        col->text.append(s, len);
        ++col->calls;
    };
    auto run = [&](const char* fmt, ...) {
        va_list ap;
        va_start(ap, fmt);
        size_t n = kern::vformat(sink, &c, fmt, ap);
        va_end(ap);
        return n;
    };
    size_t n = run("x=%d, name=%-70s!", 5, "n");
    char want[256];
    ::snprintf(want, sizeof want, "x=%d, name=%-70s!", 5, "n");
    EXPECT_EQ(n, strlen(want));
    EXPECT_EQ(c.text, want);
    EXPECT_GT(c.calls, 3);
}

} // namespace
