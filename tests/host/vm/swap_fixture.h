// tests/host/vm/swap_fixture.h -- a swap device in host memory, for the VM's host tests.
//
// MemorySwap is a vm::SwapBacking whose "disk" is a vector of pages in the
// test's memory: transfer() copies, counts requests, and can be told to
// fail (EIO) from a given request on. SwapTest is VmTest with one such
// device switched on (swap_on) in SetUp and off in TearDown -- which fails
// (EBUSY) if any slot is still allocated, so every test also checks that
// no swap slot leaked.
#pragma once

#include "vm_fixture.h"

#include <cstring>
#include <vector>
#include <vm/swap.h>

namespace vmtest {

class MemorySwap final : public vm::SwapBacking {
public:
    explicit MemorySwap(size_t pages) : m_data(pages * PAGE_SIZE, 0) {}

    kern::ErrorOr<void> transfer(vm::Page* const* pages, size_t count, u64 first, bool write) override
    {
        ++m_requests;
        m_largest = std::max(m_largest, count);
        if (m_fail_after >= 0 && m_requests > size_t(m_fail_after))
            return kern::Errno::EIO;
        EXPECT_LE((first + count) * PAGE_SIZE, m_data.size());
        for (size_t i = 0; i < count; ++i) {
            u8* disk = m_data.data() + (first + i) * PAGE_SIZE;
            u8* mem = static_cast<u8*>(vm::page_allocator().virt_of(*pages[i]));
            write ? std::memcpy(disk, mem, PAGE_SIZE) : std::memcpy(mem, disk, PAGE_SIZE);
        }
        (write ? m_pages_written : m_pages_read) += count;
        return {};
    }
    const char* name() const override { return "memswap"; }

    size_t m_requests = 0;
    size_t m_largest = 0;
    size_t m_pages_written = 0;
    size_t m_pages_read = 0;
    long m_fail_after = -1;  // fail every request after this many (-1: never)

private:
    std::vector<u8> m_data;
};

class SwapTest : public VmTest {
protected:
    static constexpr size_t SWAP_PAGES = 1024;  // 4 MiB, twice the test memory

    void SetUp() override
    {
        VmTest::SetUp();
        m_swap = new MemorySwap(SWAP_PAGES + 1);
        MUST(vm::swap_on(*m_swap, 1, SWAP_PAGES, nullptr, 0));  // page 0: the header's
    }
    void TearDown() override
    {
        EXPECT_EQ(vm::swap_totals().free_pages, SWAP_PAGES) << "swap slots leaked";
        if (vm::swap_is_on(*m_swap)) {
            EXPECT_FALSE(vm::swap_off(*m_swap).is_error());
        }
        delete m_swap;
        VmTest::TearDown();
    }

    MemorySwap* m_swap = nullptr;
};

} // namespace vmtest
