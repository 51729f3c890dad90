// tests/host/kernel/base/lib/kstring_test.cpp -- KString (kernel/base/lib/kstring.h) and
// KBuffer (kernel/base/lib/kbuffer.h): copies, moves, the empty case, ENOMEM.
#include <kernel/base/lib/kbuffer.h>
#include <kernel/base/lib/kstring.h>

#include "fail_allocation.h"

#include <gtest/gtest.h>

namespace {

using kern::Errno;
using kern::KBuffer;
using kern::KString;
using kern::StringView;

TEST(KString, CreateCopiesAndEndsInANul)
{
    char source[] = "/bin/busybox";
    KString s = KString::create(StringView(source, 4)).release_value();  // "/bin"
    source[1] = 'X';  // the copy does not change with its source
    EXPECT_EQ(s.length(), 4u);
    EXPECT_STREQ(s.characters(), "/bin");
    EXPECT_EQ(s.view(), "/bin");
    EXPECT_FALSE(s.is_empty());
}

TEST(KString, EmptyNeedsNoAllocation)
{
    long before = test::nothrow_allocations();
    KString s = KString::create("").release_value();
    KString d;
    EXPECT_EQ(test::nothrow_allocations(), before);
    EXPECT_TRUE(s.is_empty());
    EXPECT_STREQ(s.characters(), "");
    EXPECT_STREQ(d.characters(), "");
}

TEST(KString, MovesAndClones)
{
    KString a = KString::create("hello").release_value();
    KString b = std::move(a);
    EXPECT_TRUE(a.is_empty());
    EXPECT_EQ(b.view(), "hello");
    KString c = b.try_clone().release_value();
    EXPECT_NE(c.characters(), b.characters());
    EXPECT_EQ(c.view(), b.view());
    c = KString::create("other").release_value();
    EXPECT_EQ(c.view(), "other");
}

TEST(KString, CreateReportsENOMEM)
{
    test::FailAllocations fail(0);
    auto s = KString::create("x");
    ASSERT_TRUE(s.is_error());
    EXPECT_EQ(s.error(), Errno::ENOMEM);
}

TEST(KBuffer, CreateZeroes)
{
    KBuffer b = KBuffer::create(64).release_value();
    ASSERT_EQ(b.size(), 64u);
    for (size_t i = 0; i < b.size(); ++i)
        EXPECT_EQ(b.data()[i], 0);
    KBuffer empty = KBuffer::create(0).release_value();
    EXPECT_TRUE(empty.is_empty());
    EXPECT_EQ(empty.data(), nullptr);
}

TEST(KBuffer, CopyAndMove)
{
    KBuffer b = KBuffer::create_copy("a\0b", 3).release_value();
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(b.data()), b.size()), std::string("a\0b", 3));
    KBuffer moved = std::move(b);
    EXPECT_TRUE(b.is_empty());
    EXPECT_EQ(moved.size(), 3u);
}

TEST(KBuffer, CreateReportsENOMEM)
{
    test::FailAllocations fail(0);
    EXPECT_EQ(KBuffer::create(16).error(), Errno::ENOMEM);
    EXPECT_EQ(KBuffer::create_copy("abc", 3).error(), Errno::ENOMEM);
    EXPECT_EQ(KBuffer::create_uninitialized(16).error(), Errno::ENOMEM);
}

TEST(KBuffer, CreateUninitializedHasTheSizeAndNoZeroingPromise)
{
    KBuffer b = KBuffer::create_uninitialized(4096).release_value();
    ASSERT_EQ(b.size(), 4096u);
    ASSERT_NE(b.data(), nullptr);
    memset(b.data(), 0x5a, b.size());  // writable, all of it (ASan checks the bounds)
    EXPECT_EQ(b.data()[4095], 0x5a);
    EXPECT_TRUE(KBuffer::create_uninitialized(0).release_value().is_empty());
}

} // namespace
