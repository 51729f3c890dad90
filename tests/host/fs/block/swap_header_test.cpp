// tests/host/fs/block/swap_header_test.cpp -- GoogleTest suite for the Linux swap header (fs/block/swapdev.cpp:parse_swap_header).
//
// A header as mkswap writes it is accepted, with its size and bad pages;
// everything Linux's swapon refuses with EINVAL is refused: no signature,
// the old "SWAP-SPACE" one, another version, an empty area, one longer
// than the device, too many bad pages.
#include <cstring>
#include <fs/block/swapdev.h>
#include <gtest/gtest.h>
#include <vector>

namespace {

struct Header {
    std::vector<u8> page = std::vector<u8>(PAGE_SIZE, 0);

    Header(u32 version, u32 last_page, u32 nr_bad = 0, const char* magic = "SWAPSPACE2")
    {
        std::memcpy(page.data() + 1024, &version, 4);
        std::memcpy(page.data() + 1028, &last_page, 4);
        std::memcpy(page.data() + 1032, &nr_bad, 4);
        std::memcpy(page.data() + PAGE_SIZE - 10, magic, 10);
    }
    void bad(size_t i, u32 page_number) { std::memcpy(page.data() + 1536 + 4 * i, &page_number, 4); }
};

TEST(SwapHeader, AMkswapHeaderGivesItsPagesAndBadList)
{
    Header h(1, 16383, 2);
    h.bad(0, 7);
    h.bad(1, 900);
    auto parsed = block::parse_swap_header(h.page.data(), 16384);
    ASSERT_FALSE(parsed.is_error());
    EXPECT_EQ(parsed.value().first_page, 1u);
    EXPECT_EQ(parsed.value().last_page, 16383u);
    ASSERT_EQ(parsed.value().bad_count, 2u);
    EXPECT_EQ(parsed.value().bad[0], 7u);
    EXPECT_EQ(parsed.value().bad[1], 900u);
}

TEST(SwapHeader, WhatLinuxRefusesIsEinval)
{
    EXPECT_EQ(block::parse_swap_header(Header(1, 100, 0, "SWAPSPACE3").page.data(), 200).error(),
              kern::Errno::EINVAL);
    EXPECT_EQ(block::parse_swap_header(Header(1, 100, 0, "SWAP-SPACE").page.data(), 200).error(),
              kern::Errno::EINVAL);
    EXPECT_EQ(block::parse_swap_header(Header(2, 100).page.data(), 200).error(), kern::Errno::EINVAL);
    EXPECT_EQ(block::parse_swap_header(Header(1, 0).page.data(), 200).error(), kern::Errno::EINVAL);
    EXPECT_EQ(block::parse_swap_header(Header(1, 200).page.data(), 200).error(), kern::Errno::EINVAL)
        << "longer than the device";
    EXPECT_EQ(block::parse_swap_header(Header(1, 100, 638).page.data(), 200).error(), kern::Errno::EINVAL);
    std::vector<u8> zeros(PAGE_SIZE, 0);
    EXPECT_EQ(block::parse_swap_header(zeros.data(), 200).error(), kern::Errno::EINVAL);
}

} // namespace
