// tests/host/fs/ubc/ubc_test.cpp -- the UBC data path (fs/ubc/ubc.cpp) over
// an AnonObject on the host VM test bed: copies land in the object's pages
// (one copy, the same pages a mapping would see), holes read as zeros
// without pages, reads stop at the file size, holds are released, and a
// write that runs out of memory part way returns a short count.
#include "../../vm/swap_fixture.h"

#include <fs/ubc/ubc.h>
#include <string>
#include <vm/aobj.h>
#include <vm/pageout.h>

namespace {

using fs::IoBuffer;
using kern::Errno;
using kern::MutexGuard;

class Ubc : public vmtest::SwapTest {
protected:
    void SetUp() override
    {
        SwapTest::SetUp();
        m_obj = MUST(vm::AnonObject::create());
    }
    void TearDown() override
    {
        if (m_obj)
            m_obj->detach();
        SwapTest::TearDown();
    }
    vm::Page* page_at(u64 offset)
    {
        MutexGuard guard(m_obj->lock());
        return m_obj->lookup_page_locked(offset);
    }
    vm::AnonObject* m_obj = nullptr;
};

TEST_F(Ubc, WriteLandsInTheObjectsPages)
{
    std::string data(PAGE_SIZE + 200, 'q');
    data[0] = 'A';
    EXPECT_EQ(MUST(fs::ubc_write(*m_obj, PAGE_SIZE - 100, IoBuffer::kernel(data.data()), data.size())),
              data.size());
    vm::Page* first = page_at(0);
    vm::Page* second = page_at(PAGE_SIZE);
    vm::Page* third = page_at(2 * PAGE_SIZE);
    ASSERT_TRUE(first && second && third);
    const auto* bytes = static_cast<const char*>(pages().virt_of(*first));
    EXPECT_EQ(bytes[PAGE_SIZE - 100], 'A');  // the same memory a mapping maps
    EXPECT_EQ(bytes[0], 0);                  // the rest of a new page is zero
    EXPECT_TRUE(first->has(vm::Page::DIRTY));
    EXPECT_EQ(first->m_hold_count, 0u);      // every hold released
    EXPECT_EQ(third->m_hold_count, 0u);
}

TEST_F(Ubc, ReadStopsAtTheSizeAndHolesAreZeros)
{
    MUST(fs::ubc_write(*m_obj, 5 * PAGE_SIZE, IoBuffer::kernel("xyz"), 3));
    std::string out(16, '#');
    EXPECT_EQ(MUST(fs::ubc_read(*m_obj, 5 * PAGE_SIZE + 1, IoBuffer::kernel(out.data()), 16,
                                5 * PAGE_SIZE + 3)), 2u);
    EXPECT_EQ(out.substr(0, 3), "yz#");
    EXPECT_EQ(MUST(fs::ubc_read(*m_obj, 9 * PAGE_SIZE, IoBuffer::kernel(out.data()), 16,
                                5 * PAGE_SIZE + 3)), 0u);
    std::string hole(2 * PAGE_SIZE, '#');
    EXPECT_EQ(MUST(fs::ubc_read(*m_obj, PAGE_SIZE, IoBuffer::kernel(hole.data()), hole.size(),
                                5 * PAGE_SIZE + 3)), hole.size());
    EXPECT_EQ(hole, std::string(2 * PAGE_SIZE, '\0'));
    MutexGuard guard(m_obj->lock());
    EXPECT_EQ(m_obj->resident_pages_locked(), 1u);  // the hole made no page
}

TEST_F(Ubc, OutOfMemoryPartWayIsAShortWrite)
{
    exhaust_memory(2);
    std::string data(4 * PAGE_SIZE, 'm');
    EXPECT_EQ(MUST(fs::ubc_write(*m_obj, 0, IoBuffer::kernel(data.data()), data.size())),
              2 * PAGE_SIZE);
    EXPECT_EQ(fs::ubc_write(*m_obj, 8 * PAGE_SIZE, IoBuffer::kernel(data.data()), 1).error(),
              Errno::ENOMEM);
    // Rewriting resident pages needs no memory.
    EXPECT_EQ(MUST(fs::ubc_write(*m_obj, 10, IoBuffer::kernel(data.data()), 100)), 100u);
    m_obj->detach();
    m_obj = nullptr;
    give_back_memory();
}

// A window of whole missing pages is filled before it enters the object
// (fs/ubc/ubc.cpp, "fresh"): every byte is the caller's, nothing is held,
// and pages on either side written in part still come zeroed from the pager.
TEST_F(Ubc, WholeMissingPagesAreFilledThenInstalled)
{
    std::string data(3 * PAGE_SIZE + 10, 'w');
    for (size_t i = 0; i < data.size(); ++i)
        data[i] = char('a' + i % 26);
    EXPECT_EQ(MUST(fs::ubc_write(*m_obj, 0, IoBuffer::kernel(data.data()), data.size())),
              data.size());
    std::string back(data.size(), '#');
    EXPECT_EQ(MUST(fs::ubc_read(*m_obj, 0, IoBuffer::kernel(back.data()), back.size(), back.size())),
              back.size());
    EXPECT_EQ(back, data);
    for (u64 off = 0; off < 4 * PAGE_SIZE; off += PAGE_SIZE) {
        vm::Page* page = page_at(off);
        ASSERT_TRUE(page);
        EXPECT_TRUE(page->has(vm::Page::DIRTY));
        EXPECT_EQ(page->m_hold_count, 0u);
    }
    // The last page was written in part: the pager's zeroed page, 10 bytes in.
    const auto* tail = static_cast<const char*>(pages().virt_of(*page_at(3 * PAGE_SIZE)));
    EXPECT_EQ(tail[9], data[3 * PAGE_SIZE + 9]);
    EXPECT_EQ(tail[10], 0);
}

// A page on swap that is overwritten whole: the swapped copy is stale, so
// its slot is forgotten and freed (vm/aobj.cpp:install_filled_page_locked).
TEST_F(Ubc, OverwritingAPageOnSwapForgetsItsSlot)
{
    std::string old(PAGE_SIZE, 'o');
    EXPECT_EQ(MUST(fs::ubc_write(*m_obj, 2 * PAGE_SIZE, IoBuffer::kernel(old.data()), old.size())), old.size());
    EXPECT_EQ(vm::pageout_scan(1000).freed, 1u);  // out to swap
    {
        MutexGuard guard(m_obj->lock());
        EXPECT_NE(m_obj->swap_slot_locked(2 * PAGE_SIZE), 0u);
    }
    std::string data(PAGE_SIZE, 's');
    EXPECT_EQ(MUST(fs::ubc_write(*m_obj, 2 * PAGE_SIZE, IoBuffer::kernel(data.data()), data.size())),
              data.size());
    MutexGuard guard(m_obj->lock());
    EXPECT_EQ(m_obj->swap_slot_locked(2 * PAGE_SIZE), 0u);
    EXPECT_EQ(m_obj->resident_pages_locked(), 1u);
    EXPECT_EQ(vm::swap_totals().free_pages, SWAP_PAGES);
}

// read() of pages on swap reads them back (an aobj's absent page has data
// exactly where it is on swap), and holes still read as zeros.
TEST_F(Ubc, ReadingPagesOnSwapReadsThemBack)
{
    std::string data(3 * PAGE_SIZE, 'r');
    data[PAGE_SIZE + 5] = 'X';
    EXPECT_EQ(MUST(fs::ubc_write(*m_obj, 0, IoBuffer::kernel(data.data()), data.size())), data.size());
    EXPECT_EQ(vm::pageout_scan(1000).freed, 3u);
    std::string back(5 * PAGE_SIZE, '?');
    EXPECT_EQ(MUST(fs::ubc_read(*m_obj, 0, IoBuffer::kernel(back.data()), back.size(), back.size())),
              back.size());
    EXPECT_EQ(back.substr(0, data.size()), data);
    EXPECT_EQ(back.substr(data.size()), std::string(2 * PAGE_SIZE, '\0'));
    MutexGuard guard(m_obj->lock());
    EXPECT_EQ(m_obj->resident_pages_locked(), 3u);  // the hole stayed a hole
}

// Memory that ends inside a fresh window: the pages that could be had are
// written, the write is short, nothing leaks.
TEST_F(Ubc, OutOfMemoryInsideAFreshWindow)
{
    exhaust_memory(3);
    std::string data(8 * PAGE_SIZE, 'f');
    EXPECT_EQ(MUST(fs::ubc_write(*m_obj, 0, IoBuffer::kernel(data.data()), data.size())),
              3 * PAGE_SIZE);
    {
        MutexGuard guard(m_obj->lock());
        EXPECT_EQ(m_obj->resident_pages_locked(), 3u);
    }
    m_obj->detach();
    m_obj = nullptr;
    give_back_memory();
}

} // namespace
