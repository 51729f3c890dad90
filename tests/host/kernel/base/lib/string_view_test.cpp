// tests/host/kernel/base/lib/string_view_test.cpp -- StringView, Split and
// PathComponents (kernel/base/lib/string_view.h), checked against std::string_view
// where the two overlap.
#include <kernel/base/lib/string_view.h>

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace {

using kern::PathComponents;
using kern::Split;
using kern::StringView;

std::string str(StringView v) { return std::string(v.characters() ? v.characters() : "", v.length()); }

std::vector<std::string> pieces(Split split)
{
    std::vector<std::string> out;
    for (StringView piece : split)
        out.push_back(str(piece));
    return out;
}

TEST(StringView, Construction)
{
    StringView empty;
    EXPECT_TRUE(empty.is_empty());
    EXPECT_EQ(empty.length(), 0u);
    EXPECT_TRUE(StringView(nullptr).is_empty());
    StringView hello("hello");
    EXPECT_EQ(hello.length(), 5u);
    EXPECT_EQ(hello[0], 'h');
    EXPECT_EQ(hello[4], 'o');
    StringView part("hello world", 5); // not NUL-terminated at its end
    EXPECT_EQ(part, "hello");
    EXPECT_EQ(part, hello);
    constexpr StringView compile_time("four");
    static_assert(compile_time.length() == 4);
}

TEST(StringView, Substring)
{
    StringView s("abcdef");
    EXPECT_EQ(s.substring(0, 3), "abc");
    EXPECT_EQ(s.substring(2, 2), "cd");
    EXPECT_EQ(s.substring(4), "ef");
    EXPECT_EQ(s.substring(6), "");
    EXPECT_TRUE(s.substring(3, 0).is_empty());
}

TEST(StringView, StartsEndsWith)
{
    StringView s("/usr/lib");
    EXPECT_TRUE(s.starts_with("/usr"));
    EXPECT_TRUE(s.starts_with(""));
    EXPECT_TRUE(s.starts_with('/'));
    EXPECT_FALSE(s.starts_with("/usr/lib/x"));
    EXPECT_FALSE(s.starts_with("usr"));
    EXPECT_TRUE(s.ends_with("lib"));
    EXPECT_TRUE(s.ends_with('b'));
    EXPECT_TRUE(s.ends_with(s));
    EXPECT_FALSE(s.ends_with("li"));
    EXPECT_FALSE(StringView().starts_with('x'));
    EXPECT_FALSE(StringView().ends_with('x'));
    EXPECT_TRUE(StringView().starts_with(""));
}

TEST(StringView, Find)
{
    StringView s("a/b/c");
    EXPECT_EQ(s.find('/'), 1u);
    EXPECT_EQ(s.find('/', 2), 3u);
    EXPECT_EQ(s.find('/', 4), StringView::NPOS);
    EXPECT_EQ(s.find('x'), StringView::NPOS);
    EXPECT_EQ(s.find('a', 100), StringView::NPOS);
    EXPECT_EQ(s.find_last('/'), 3u);
    EXPECT_EQ(s.find_last('a'), 0u);
    EXPECT_EQ(s.find_last('x'), StringView::NPOS);
    EXPECT_TRUE(s.contains('c'));
    EXPECT_FALSE(StringView().contains('c'));
}

TEST(StringView, EqualityWithCStrings)
{
    StringView s("abc", 3);
    EXPECT_TRUE(s == "abc");
    EXPECT_TRUE("abc" == s);
    EXPECT_FALSE(s == "ab");
    EXPECT_FALSE(s == "abcd");
    EXPECT_TRUE(s != "abd");
    EXPECT_TRUE(StringView() == "");
    EXPECT_TRUE(StringView() == static_cast<const char*>(nullptr));
    EXPECT_FALSE(s == static_cast<const char*>(nullptr));
    // Embedded NUL: the view is longer than the C string.
    StringView with_nul("ab\0c", 4);
    EXPECT_FALSE(with_nul == "ab");
    EXPECT_EQ(with_nul, StringView("ab\0c", 4));
    EXPECT_NE(with_nul, StringView("ab\0d", 4));
}

TEST(StringView, CompareMatchesStdStringView)
{
    const char* words[] = {"", "a", "ab", "abc", "abd", "b", "\xff", "A", "ab\x80"};
    for (const char* x : words) {
        for (const char* y : words) {
            int want = std::string_view(x).compare(std::string_view(y));
            int got = StringView(x).compare(StringView(y));
            EXPECT_EQ(want < 0, got < 0) << x << " vs " << y;
            EXPECT_EQ(want == 0, got == 0) << x << " vs " << y;
            EXPECT_EQ(want < 0, StringView(x) < StringView(y));
        }
    }
}

TEST(StringView, CopyTo)
{
    char buf[6];
    EXPECT_TRUE(StringView("abc").copy_to(buf, sizeof buf));
    EXPECT_STREQ(buf, "abc");
    EXPECT_TRUE(StringView("abcde").copy_to(buf, sizeof buf));
    EXPECT_STREQ(buf, "abcde");
    EXPECT_FALSE(StringView("abcdef").copy_to(buf, sizeof buf));
    EXPECT_STREQ(buf, "abcde");
    EXPECT_TRUE(StringView().copy_to(buf, sizeof buf));
    EXPECT_STREQ(buf, "");
    EXPECT_FALSE(StringView("x").copy_to(buf, 0));
}

TEST(StringView, ToUnsigned)
{
    u64 v = 7;
    EXPECT_TRUE(StringView("0").to_unsigned(v));
    EXPECT_EQ(v, 0u);
    EXPECT_TRUE(StringView("12345").to_unsigned(v));
    EXPECT_EQ(v, 12345u);
    EXPECT_TRUE(StringView("0000FFff").to_unsigned(v, 16)); // a cpio newc field
    EXPECT_EQ(v, 0xffffu);
    EXPECT_TRUE(StringView("777").to_unsigned(v, 8));
    EXPECT_EQ(v, 0777u);
    EXPECT_TRUE(StringView("18446744073709551615").to_unsigned(v));
    EXPECT_EQ(v, ~0ull);
    v = 7;
    EXPECT_FALSE(StringView("18446744073709551616").to_unsigned(v)); // 2^64
    EXPECT_FALSE(StringView("").to_unsigned(v));
    EXPECT_FALSE(StringView("12a").to_unsigned(v));
    EXPECT_FALSE(StringView("-1").to_unsigned(v));
    EXPECT_FALSE(StringView(" 1").to_unsigned(v));
    EXPECT_FALSE(StringView("8").to_unsigned(v, 8));
    EXPECT_FALSE(StringView("10000000000000000").to_unsigned(v, 16));
    EXPECT_EQ(v, 7u); // untouched by the failures
}

TEST(Split, Pieces)
{
    EXPECT_EQ(pieces(Split("a b c", ' ')), (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(pieces(Split("  a   b  ", ' ')), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(pieces(Split("", ' ')), (std::vector<std::string>{}));
    EXPECT_EQ(pieces(Split("   ", ' ')), (std::vector<std::string>{}));
    EXPECT_EQ(pieces(Split("one", ' ')), (std::vector<std::string>{"one"}));
    EXPECT_EQ(Split("console=ttyS0 root=/dev/ram quiet", ' ').count(), 3u);
}

TEST(PathComponents, Paths)
{
    auto comps = [](const char* path) {
        std::vector<std::string> out;
        for (StringView c : PathComponents(path))
            out.push_back(str(c));
        return out;
    };
    using V = std::vector<std::string>;
    EXPECT_EQ(comps("/"), V{});
    EXPECT_EQ(comps(""), V{});
    EXPECT_EQ(comps("///"), V{});
    EXPECT_EQ(comps("/usr/lib"), (V{"usr", "lib"}));
    EXPECT_EQ(comps("usr//lib/"), (V{"usr", "lib"}));
    EXPECT_EQ(comps("//a///b////c//"), (V{"a", "b", "c"}));
    EXPECT_EQ(comps("./../x"), (V{".", "..", "x"}));
    EXPECT_EQ(comps("name"), (V{"name"}));
}

TEST(PathComponents, PiecesPointIntoTheOriginal)
{
    const char* path = "/dev/null";
    StringView first;
    for (StringView c : PathComponents(path)) {
        first = c;
        break;
    }
    EXPECT_EQ(first.characters(), path + 1);
    EXPECT_EQ(first.length(), 3u);
}

TEST(StringViewDeathTest, OutOfRangePanics)
{
    StringView s("abc");
    EXPECT_DEATH((void)s[3], "PANIC: assertion failed");
    EXPECT_DEATH((void)s.substring(2, 2), "PANIC: assertion failed");
    EXPECT_DEATH((void)s.substring(4), "PANIC: assertion failed");
}

} // namespace
