// tests/host/vm/vm_fixture.h -- a VM test bed on the host: memory, heap, checks.
//
// VmTest (a GoogleTest fixture) gives each test what the VM layer expects
// at boot, over a host buffer:
//   - the kernel's vm::page_allocator(), initialised over `frames` frames of
//     "physical" memory at PHYS_BASE (1 MiB), with arch::g_direct_map_base
//     pointing so that phys_to_virt lands in the buffer. The buffer is filled
//     with 0xCC first, so a page that should be zero-filled but is not shows;
//   - the kernel heap (kmalloc) over that allocator;
// and checks, after the test, that everything came back:
//   - the heap holds no bytes (then it is destroyed, returning its pages);
//   - the allocator's free count is where it started, and verify() passes;
//   - vm::stats().anon_pages and object_pages are back to their start values.
//
// Tests that need memory to run out call exhaust_memory() (take every free
// page; optionally leave a few) and give_back_memory().
//
// Objects made with `new (std::nothrow)` come from the host's allocator in
// this build (the kernel's operator new is kmalloc); AddressSanitizer's leak
// check covers them.
#pragma once

// The host's C++ headers first: they need libc's errno macros, which
// kernel/base/lib/errno.h removes (a test file includes this header first).
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include <arch/mmu.h>
#include <kernel/base/heap/heap.h>
#include <kernel/base/sync/mutex.h>
#include <kernel/base/page/page_allocator.h>
#include <vm/stats.h>

// kern::Mutex on the host: tests/host/shim/sync_shim.cpp.

namespace vmtest {

constexpr PhysAddr PHYS_BASE = 1ull << 20;

class VmTest : public ::testing::Test {
protected:
    static constexpr size_t DEFAULT_FRAMES = 512;  // 2 MiB

    void SetUp() override { make_memory(DEFAULT_FRAMES); }

    void TearDown() override
    {
        if (!m_buffer)
            return;
        give_back_memory();
        EXPECT_EQ(vm::stats().anon_pages, m_anon_pages) << "anon pages leaked";
        EXPECT_EQ(vm::stats().object_pages, m_object_pages) << "object pages leaked";
        EXPECT_EQ(kern::heap_stats().bytes_in_use, 0u) << "heap bytes leaked";
        kern::heap_destroy_for_tests();  // panics if anything is still allocated
        EXPECT_EQ(free_pages(), m_initial_free) << "pages leaked";
        pages().verify();
        pages().init(nullptr, 0, 0);
        arch::g_direct_map_base = m_saved_base;
        m_buffer.reset();
        m_descriptors.reset();
    }

    // Replace SetUp's memory by `frames` frames (a small allocator for ENOMEM
    // tests). => nothing allocated from the old one.
    void make_memory(size_t frames)
    {
        if (m_buffer)
            TearDown();
        m_saved_base = arch::g_direct_map_base;
        const size_t bytes = align_up(PHYS_BASE + frames * PAGE_SIZE, kern::HEAP_MAX_SIZE);
        m_buffer.reset(static_cast<unsigned char*>(std::aligned_alloc(kern::HEAP_MAX_SIZE, bytes)));
        m_descriptors.reset(static_cast<unsigned char*>(
            std::aligned_alloc(64, align_up(frames * sizeof(vm::Page), 64))));
        ASSERT_TRUE(m_buffer && m_descriptors);
        std::memset(m_buffer.get(), 0xCC, bytes);
        arch::g_direct_map_base = reinterpret_cast<uptr>(m_buffer.get());
        pages().init(reinterpret_cast<vm::Page*>(m_descriptors.get()), PHYS_BASE, frames);
        pages().add_free_range(PHYS_BASE, PHYS_BASE + frames * PAGE_SIZE);
        m_initial_free = free_pages();
        kern::heap_init();
        m_anon_pages = vm::stats().anon_pages;
        m_object_pages = vm::stats().object_pages;
    }

    static vm::PageAllocator& pages() { return vm::page_allocator(); }
    static size_t free_pages() { return vm::page_allocator().stats().free; }
    static size_t heap_bytes() { return kern::heap_stats().bytes_in_use; }
    static u64 anon_pages() { return vm::stats().anon_pages; }
    static u64 object_pages() { return vm::stats().object_pages; }

    // Take every free frame but `leave` (single frames, so a run of two or
    // more may still be unavailable; use leave_run for that).
    void exhaust_memory(size_t leave = 0)
    {
        while (free_pages() > leave) {
            auto page = pages().allocate();
            ASSERT_FALSE(page.is_error());
            m_hoard.push_back(page.value());
        }
    }
    // After exhaust_memory(): free two buddies so that one 2-frame run exists.
    void leave_run_of_two()
    {
        for (size_t i = 0; i < m_hoard.size(); ++i) {
            for (size_t j = 0; j < m_hoard.size(); ++j) {
                PhysAddr a = pages().phys_of(*m_hoard[i]), b = pages().phys_of(*m_hoard[j]);
                if (is_aligned(a - PHYS_BASE, 2 * PAGE_SIZE) && b == a + PAGE_SIZE) {
                    pages().free(m_hoard[i]);
                    pages().free(m_hoard[j]);
                    m_hoard.erase(m_hoard.begin() + long(max(i, j)));
                    m_hoard.erase(m_hoard.begin() + long(min(i, j)));
                    return;
                }
            }
        }
        FAIL() << "no pair of buddies in the hoard";
    }
    void give_back_memory()
    {
        for (vm::Page* p : m_hoard)
            pages().free(p);
        m_hoard.clear();
    }

    // Fill / check a page's bytes through the direct map.
    static void fill(const vm::Page& page, u8 byte)
    {
        std::memset(vm::page_allocator().virt_of(page), byte, PAGE_SIZE);
    }
    static bool all_bytes(const vm::Page& page, u8 byte)
    {
        const auto* p = static_cast<const u8*>(vm::page_allocator().virt_of(page));
        for (size_t i = 0; i < PAGE_SIZE; ++i)
            if (p[i] != byte)
                return false;
        return true;
    }

private:
    struct FreeDeleter {
        void operator()(unsigned char* p) const { std::free(p); }
    };
    std::unique_ptr<unsigned char, FreeDeleter> m_buffer;
    std::unique_ptr<unsigned char, FreeDeleter> m_descriptors;
    std::vector<vm::Page*> m_hoard;
    uptr m_saved_base = 0;
    size_t m_initial_free = 0;
    u64 m_anon_pages = 0;
    u64 m_object_pages = 0;
};

} // namespace vmtest
