// tests/host/vm/anon_test.cpp -- GoogleTest suite for vm::Anon (vm/anon.cpp).
//
// An anon is one reference-counted page: these tests check that a new one is
// zero-filled (the fixture fills memory with 0xCC first) or a byte-exact copy,
// that its page is marked as the anon's, that the last unref frees page and
// anon, and that running out of memory leaves nothing behind. The fixture
// (vm_fixture.h) checks pages, heap bytes and vm::stats() after each test.
#include "vm_fixture.h"  // first: the host headers before the kernel's

#include "../shim/fake_pmap.h"

#include <vm/anon.h>

using kern::Errno;
using vm::Anon;
using vm::Page;

namespace {

using AnonTest = vmtest::VmTest;

TEST_F(AnonTest, CreateZeroedGivesAZeroFilledPageOwnedByTheAnon)
{
    const size_t free_before = free_pages();
    Anon* anon = MUST(Anon::create_zeroed());
    ASSERT_NE(anon->m_page, nullptr);
    const Page& page = *anon->m_page;
    EXPECT_EQ(anon->m_ref_count, 1u);
    EXPECT_EQ(anon->m_swap_slot, 0u);
    EXPECT_TRUE(page.has(Page::ANON));
    EXPECT_TRUE(page.has(Page::DIRTY));
    EXPECT_FALSE(page.has(Page::OBJECT));
    EXPECT_EQ(page.m_anon, anon);
    EXPECT_TRUE(all_bytes(page, 0));
    EXPECT_EQ(free_pages(), free_before - 1);
    EXPECT_EQ(anon_pages(), 1u);
    anon->unref_locked();
    EXPECT_EQ(free_pages(), free_before);
    EXPECT_EQ(anon_pages(), 0u);
}

TEST_F(AnonTest, CreateCopyCopiesEveryByteIntoANewPage)
{
    Anon* original = MUST(Anon::create_zeroed());
    auto* bytes = static_cast<u8*>(pages().virt_of(*original->m_page));
    for (size_t i = 0; i < PAGE_SIZE; ++i)
        bytes[i] = u8(i * 7 + 3);
    Anon* copy = MUST(Anon::create_copy(*original->m_page));
    EXPECT_NE(copy->m_page, original->m_page);
    EXPECT_EQ(copy->m_page->m_anon, copy);
    EXPECT_EQ(copy->m_ref_count, 1u);
    EXPECT_EQ(std::memcmp(pages().virt_of(*copy->m_page), bytes, PAGE_SIZE), 0);
    fill(*copy->m_page, 0xEE);  // the copy is private: the original keeps its bytes
    EXPECT_EQ(bytes[1], u8(10));
    EXPECT_EQ(anon_pages(), 2u);
    original->unref_locked();
    copy->unref_locked();
}

TEST_F(AnonTest, CreateCopyOfAnyManagedPage)
{
    // The fault handler copies object pages too (a private file mapping).
    vm::Page* frame = MUST(pages().allocate());
    fill(*frame, 0x42);
    Anon* copy = MUST(Anon::create_copy(*frame));
    EXPECT_TRUE(all_bytes(*copy->m_page, 0x42));
    copy->unref_locked();
    pages().free(frame);
}

TEST_F(AnonTest, OnlyTheLastUnrefFrees)
{
    Anon* anon = MUST(Anon::create_zeroed());
    anon->m_ref_count = 3;  // as if three amap slots held it
    const size_t free_with_anon = free_pages();
    anon->unref_locked();
    anon->unref_locked();
    EXPECT_EQ(anon->m_ref_count, 1u);
    EXPECT_EQ(free_pages(), free_with_anon);
    EXPECT_TRUE(anon->m_page->has(Page::ANON));
    anon->unref_locked();
    EXPECT_EQ(free_pages(), free_with_anon + 1);
}

TEST_F(AnonTest, FreedPageHasNoVmMarksLeft)
{
    Anon* anon = MUST(Anon::create_zeroed());
    Page* page = anon->m_page;
    anon->unref_locked();
    EXPECT_TRUE(page->is_free());
    EXPECT_FALSE(page->has(Page::ANON));
    EXPECT_FALSE(page->has(Page::DIRTY));
    EXPECT_EQ(page->m_anon, nullptr);
}

TEST_F(AnonTest, CreateFailsCleanlyWithoutMemory)
{
    Anon* keep = MUST(Anon::create_zeroed());
    exhaust_memory();
    auto zeroed = Anon::create_zeroed();
    ASSERT_TRUE(zeroed.is_error());
    EXPECT_EQ(zeroed.error(), Errno::ENOMEM);
    auto copy = Anon::create_copy(*keep->m_page);
    ASSERT_TRUE(copy.is_error());
    EXPECT_EQ(copy.error(), Errno::ENOMEM);
    EXPECT_EQ(anon_pages(), 1u);
    give_back_memory();
    keep->unref_locked();
}

TEST_F(AnonTest, TheLastUnrefUnmapsThePageEverywhere)
{
    arch::Pmap* p1 = MUST(arch::pmap_create());
    arch::Pmap* p2 = MUST(arch::pmap_create());
    Anon* anon = MUST(Anon::create_zeroed());
    const PhysAddr pa = pages().phys_of(*anon->m_page);
    MUST(arch::pmap_enter(p1, 0x400000, pa, vm::PROT_READ, 0));
    MUST(arch::pmap_enter(p2, 0x800000, pa, vm::PROT_READ | vm::PROT_WRITE, 0));
    EXPECT_EQ(fake_pmap::mappers(pa).size(), 2u);

    anon->m_ref_count = 2;
    anon->unref_locked();  // another slot still holds it: mappings stay
    EXPECT_EQ(fake_pmap::mappers(pa).size(), 2u);
    EXPECT_EQ(fake_pmap::count(fake_pmap::Op::PageProtect), 0u);

    anon->unref_locked();
    EXPECT_TRUE(fake_pmap::mappers(pa).empty());
    EXPECT_FALSE(fake_pmap::lookup(p1, 0x400000).has_value());
    EXPECT_FALSE(fake_pmap::lookup(p2, 0x800000).has_value());
    auto protects = fake_pmap::calls_of(fake_pmap::Op::PageProtect);
    ASSERT_EQ(protects.size(), 1u);
    EXPECT_EQ(protects[0].pa, pa);
    EXPECT_EQ(protects[0].prot, vm::PROT_NONE);
    arch::pmap_destroy(p1);
    arch::pmap_destroy(p2);
}

using AnonDeathTest = AnonTest;

TEST_F(AnonDeathTest, FreeingAWiredPagePanics)
{
    Anon* anon = MUST(Anon::create_zeroed());
    anon->m_page->m_wire_count = 1;
    EXPECT_DEATH(anon->unref_locked(), "PANIC: anon page freed while wired");
    anon->m_page->m_wire_count = 0;
    anon->unref_locked();
}

TEST_F(AnonDeathTest, UnrefBelowZeroPanics)
{
    Anon* anon = MUST(Anon::create_zeroed());
    anon->m_ref_count = 0;
    EXPECT_DEATH(anon->unref_locked(), "PANIC: assertion failed: m_ref_count > 0");
    anon->m_ref_count = 1;
    anon->unref_locked();
}

} // namespace
