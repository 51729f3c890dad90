// tests/host/arch/fake_pmap_test.cpp -- the fake pmap keeps the real pmap's contracts.
//
// The VM layer's host tests trust tests/host/shim/fake_pmap.cpp to behave
// like arch/x86_64/pmap.cpp; these cases pin down the behaviour they rely
// on: replacement, the managed-page rule of the reverse map, protect never
// raising, PROT_NONE removing, saved referenced/modified bits, the ENOMEM
// knob, the log, the table count, and the preconditions that panic. The
// same properties are checked on real page tables by
// tests/ktest/arch/pmap_ktest.cpp.
// Standard and GoogleTest headers first (see fake_pmap.h).
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <vector>

#include <tests/host/shim/fake_pmap.h>

#include <arch/mmu.h>
#include <kernel/base/page/page.h>
#include <kernel/base/page/page_allocator.h>

namespace {

constexpr PhysAddr PHYS_BASE = 1ull << 20;
constexpr size_t FRAMES = 16;
constexpr uptr UVA = 0x40000000;
constexpr vm::Prot RW = vm::PROT_READ | vm::PROT_WRITE;

// vm::page_allocator() over a small host buffer, so pages have descriptors
// (the reverse map needs vm::Page; the fake itself allocates nothing).
class FakePmapTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_saved_base = arch::g_direct_map_base;
        m_memory.reset(static_cast<unsigned char*>(std::aligned_alloc(PAGE_SIZE, FRAMES * PAGE_SIZE)));
        // Raw memory: init() constructs the descriptors, and nothing may
        // destroy them while the free lists still link them.
        m_pages.reset(static_cast<unsigned char*>(std::aligned_alloc(64, FRAMES * sizeof(vm::Page))));
        arch::g_direct_map_base = reinterpret_cast<uptr>(m_memory.get()) - PHYS_BASE;
        vm::page_allocator().init(reinterpret_cast<vm::Page*>(m_pages.get()), PHYS_BASE, FRAMES);
        vm::page_allocator().add_free_range(PHYS_BASE, PHYS_BASE + FRAMES * PAGE_SIZE);
    }
    void TearDown() override
    {
        for (vm::Page* p : m_taken) {
            p->m_flags &= ~(vm::Page::ANON | vm::Page::OBJECT);
            vm::page_allocator().free(p);
        }
        vm::page_allocator().init(nullptr, 0, 0);
        arch::g_direct_map_base = m_saved_base;
    }

    // A page, with `flags` (ANON/OBJECT make it managed).
    vm::Page& page(u32 flags = 0)
    {
        vm::Page* p = vm::page_allocator().allocate().value();
        p->m_flags |= flags;
        m_taken.push_back(p);
        return *p;
    }
    static PhysAddr pa(const vm::Page& p) { return vm::page_allocator().phys_of(p); }

private:
    struct FreeDeleter {
        void operator()(unsigned char* p) const { std::free(p); }
    };
    std::unique_ptr<unsigned char, FreeDeleter> m_memory;
    std::unique_ptr<unsigned char, FreeDeleter> m_pages;
    std::vector<vm::Page*> m_taken;
    uptr m_saved_base = 0;
};

using FakePmapDeathTest = FakePmapTest;

TEST_F(FakePmapTest, EnterLookupReplaceRemove)
{
    vm::Page& a = page();
    vm::Page& b = page();
    arch::Pmap* pmap = arch::pmap_create().value();
    ASSERT_FALSE(arch::pmap_enter(pmap, UVA, pa(a), RW, arch::PMAP_WIRED).is_error());
    auto m = fake_pmap::lookup(pmap, UVA + 5);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->pa, pa(a));
    EXPECT_EQ(m->prot, RW);
    EXPECT_TRUE(m->wired);
    EXPECT_FALSE(m->managed);
    ASSERT_FALSE(arch::pmap_enter(pmap, UVA, pa(b), vm::PROT_READ, 0).is_error());
    EXPECT_EQ(fake_pmap::lookup(pmap, UVA)->pa, pa(b));
    EXPECT_EQ(fake_pmap::wired_count(pmap), 0u);
    PhysAddr got = 0;
    EXPECT_TRUE(arch::pmap_extract(pmap, UVA + 0x10, &got));
    EXPECT_EQ(got, pa(b) + 0x10);
    EXPECT_EQ(arch::pmap_resident_count(pmap), 1u);
    arch::pmap_remove(pmap, 0, UVA + PAGE_SIZE);
    EXPECT_FALSE(fake_pmap::lookup(pmap, UVA).has_value());
    arch::pmap_destroy(pmap);
    EXPECT_EQ(fake_pmap::live_pmaps(), 0u);
}

TEST_F(FakePmapTest, LogsEveryChange)
{
    vm::Page& a = page();
    arch::Pmap* pmap = arch::pmap_create().value();
    ASSERT_FALSE(arch::pmap_enter(pmap, UVA, pa(a), RW, 0).is_error());
    arch::pmap_protect(pmap, UVA, UVA + 4 * PAGE_SIZE, vm::PROT_READ);
    arch::pmap_update(pmap);
    arch::pmap_remove(pmap, UVA, UVA + PAGE_SIZE);
    arch::pmap_destroy(pmap);
    const auto& log = fake_pmap::calls();
    ASSERT_EQ(log.size(), 6u);
    const fake_pmap::Op ops[] = {fake_pmap::Op::Create, fake_pmap::Op::Enter,  fake_pmap::Op::Protect,
                                 fake_pmap::Op::Update, fake_pmap::Op::Remove, fake_pmap::Op::Destroy};
    for (size_t i = 0; i < log.size(); ++i)
        EXPECT_EQ(log[i].op, ops[i]) << "call " << i << " is " << fake_pmap::op_name(log[i].op);
    EXPECT_EQ(log[1].pa, pa(a));
    EXPECT_EQ(log[2].eva, UVA + 4 * PAGE_SIZE);
    EXPECT_EQ(log[2].prot, vm::PROT_READ);
    EXPECT_EQ(fake_pmap::count(fake_pmap::Op::Enter), 1u);
    fake_pmap::clear_calls();
    EXPECT_TRUE(fake_pmap::calls().empty());
}

TEST_F(FakePmapTest, ReverseMapHoldsManagedPagesOnly)
{
    vm::Page& anon = page(vm::Page::ANON);
    vm::Page& plain = page();
    arch::Pmap* one = arch::pmap_create().value();
    arch::Pmap* two = arch::pmap_create().value();
    ASSERT_FALSE(arch::pmap_enter(one, UVA, pa(anon), RW, 0).is_error());
    ASSERT_FALSE(arch::pmap_enter(two, UVA + PAGE_SIZE, pa(anon), RW, 0).is_error());
    ASSERT_FALSE(arch::pmap_enter(two, UVA, pa(anon), RW, arch::PMAP_UNMANAGED).is_error());
    ASSERT_FALSE(arch::pmap_enter(one, UVA + PAGE_SIZE, pa(plain), RW, 0).is_error());
    EXPECT_EQ(arch::pmap_mapping_count(anon), 2u);
    EXPECT_EQ(arch::pmap_mapping_count(plain), 0u);
    EXPECT_EQ(fake_pmap::mappers(pa(anon)).size(), 2u);

    arch::pmap_page_protect(anon, vm::PROT_READ);
    EXPECT_EQ(fake_pmap::lookup(one, UVA)->prot, vm::PROT_READ);
    EXPECT_EQ(fake_pmap::lookup(two, UVA + PAGE_SIZE)->prot, vm::PROT_READ);
    EXPECT_EQ(fake_pmap::lookup(two, UVA)->prot, RW);  // unmanaged: not reached
    arch::pmap_page_protect(anon, vm::PROT_NONE);
    EXPECT_EQ(arch::pmap_mapping_count(anon), 0u);
    EXPECT_FALSE(fake_pmap::lookup(one, UVA).has_value());
    EXPECT_TRUE(fake_pmap::lookup(two, UVA).has_value());

    // Replacing a managed mapping moves its reverse-map entry.
    ASSERT_FALSE(arch::pmap_enter(one, UVA, pa(anon), RW, 0).is_error());
    ASSERT_FALSE(arch::pmap_enter(one, UVA, pa(plain), RW, 0).is_error());
    EXPECT_EQ(arch::pmap_mapping_count(anon), 0u);
    arch::pmap_remove(one, 0, UVA + 2 * PAGE_SIZE);
    arch::pmap_remove(two, 0, UVA + 2 * PAGE_SIZE);
    arch::pmap_destroy(one);
    arch::pmap_destroy(two);
}

TEST_F(FakePmapTest, ProtectNeverRaisesAndNoneRemoves)
{
    vm::Page& a = page();
    arch::Pmap* pmap = arch::pmap_create().value();
    ASSERT_FALSE(arch::pmap_enter(pmap, UVA, pa(a), vm::PROT_READ, 0).is_error());
    arch::pmap_protect(pmap, UVA, UVA + PAGE_SIZE, vm::PROT_ALL);
    EXPECT_EQ(fake_pmap::lookup(pmap, UVA)->prot, vm::PROT_READ);
    arch::pmap_protect(pmap, UVA, UVA + PAGE_SIZE, vm::PROT_NONE);
    EXPECT_FALSE(fake_pmap::lookup(pmap, UVA).has_value());
    ASSERT_FALSE(arch::pmap_enter(pmap, UVA, pa(a), vm::PROT_NONE, 0).is_error());
    EXPECT_FALSE(fake_pmap::lookup(pmap, UVA).has_value());
    arch::pmap_destroy(pmap);
}

TEST_F(FakePmapTest, TouchSetsBitsThatOutliveTheMapping)
{
    vm::Page& a = page(vm::Page::OBJECT);
    arch::Pmap* pmap = arch::pmap_create().value();
    ASSERT_FALSE(arch::pmap_enter(pmap, UVA, pa(a), vm::PROT_READ, 0).is_error());
    EXPECT_FALSE(fake_pmap::touch(pmap, UVA, vm::PROT_WRITE));  // would fault
    EXPECT_FALSE(arch::pmap_is_referenced(a));
    EXPECT_TRUE(fake_pmap::touch(pmap, UVA, vm::PROT_READ));
    EXPECT_TRUE(arch::pmap_is_referenced(a));
    EXPECT_FALSE(arch::pmap_is_modified(a));
    ASSERT_FALSE(arch::pmap_enter(pmap, UVA, pa(a), RW, 0).is_error());  // same page: bits kept
    EXPECT_TRUE(arch::pmap_is_referenced(a));
    EXPECT_TRUE(fake_pmap::touch(pmap, UVA, vm::PROT_WRITE));
    arch::pmap_remove(pmap, UVA, UVA + PAGE_SIZE);
    EXPECT_TRUE(arch::pmap_is_modified(a));  // saved with the page
    EXPECT_TRUE(arch::pmap_clear_modify(a));
    EXPECT_FALSE(arch::pmap_is_modified(a));
    EXPECT_TRUE(arch::pmap_clear_reference(a));
    EXPECT_FALSE(arch::pmap_clear_reference(a));
    arch::pmap_destroy(pmap);
}

TEST_F(FakePmapTest, FailNextEnters)
{
    vm::Page& a = page(vm::Page::ANON);
    arch::Pmap* pmap = arch::pmap_create().value();
    fake_pmap::fail_next_enters(2, 1);
    EXPECT_FALSE(arch::pmap_enter(pmap, UVA, pa(a), RW, 0).is_error());
    for (int i = 0; i < 2; ++i) {
        auto r = arch::pmap_enter(pmap, UVA + PAGE_SIZE, pa(a), RW, 0);
        ASSERT_TRUE(r.is_error());
        EXPECT_EQ(r.error(), kern::Errno::ENOMEM);
    }
    EXPECT_FALSE(fake_pmap::lookup(pmap, UVA + PAGE_SIZE).has_value());
    EXPECT_EQ(arch::pmap_mapping_count(a), 1u);
    EXPECT_FALSE(arch::pmap_enter(pmap, UVA + PAGE_SIZE, pa(a), RW, 0).is_error());
    const auto enters = fake_pmap::calls_of(fake_pmap::Op::Enter);
    ASSERT_EQ(enters.size(), 4u);
    EXPECT_TRUE(!enters[0].failed && enters[1].failed && enters[2].failed && !enters[3].failed);
    arch::pmap_remove(pmap, UVA, UVA + 2 * PAGE_SIZE);
    arch::pmap_destroy(pmap);
}

TEST_F(FakePmapTest, CountsTablesAndActivation)
{
    vm::Page& a = page();
    const size_t start = arch::pmap_table_pages();
    arch::Pmap* pmap = arch::pmap_create().value();
    EXPECT_EQ(arch::pmap_table_pages(), start + 1);
    ASSERT_FALSE(arch::pmap_enter(pmap, UVA, pa(a), RW, 0).is_error());
    ASSERT_FALSE(arch::pmap_enter(pmap, UVA + (2u << 20), pa(a), RW, 0).is_error());
    EXPECT_EQ(arch::pmap_table_pages(), start + 5);
    ASSERT_FALSE(arch::pmap_enter(arch::pmap_kernel(), arch::KERNEL_MAP_BASE, pa(a), RW, 0).is_error());
    EXPECT_EQ(arch::pmap_table_pages(), start + 7);
    EXPECT_EQ(arch::pmap_active(), arch::pmap_kernel());
    arch::pmap_activate(pmap);
    EXPECT_EQ(arch::pmap_active(), pmap);
    arch::pmap_activate(arch::pmap_kernel());
    arch::pmap_remove(pmap, 0, 1ull << 40);
    arch::pmap_remove(arch::pmap_kernel(), arch::KERNEL_MAP_BASE, arch::KERNEL_MAP_BASE + PAGE_SIZE);
    arch::pmap_destroy(pmap);
    EXPECT_EQ(arch::pmap_table_pages(), start);
}

TEST_F(FakePmapTest, ResetForgetsEverything)
{
    vm::Page& a = page(vm::Page::ANON);
    arch::Pmap* pmap = arch::pmap_create().value();
    ASSERT_FALSE(arch::pmap_enter(pmap, UVA, pa(a), RW, 0).is_error());
    arch::pmap_activate(pmap);
    fake_pmap::fail_next_enters(1);
    fake_pmap::reset();  // deletes pmap
    EXPECT_EQ(fake_pmap::live_pmaps(), 0u);
    EXPECT_EQ(arch::pmap_mapping_count(a), 0u);
    EXPECT_TRUE(fake_pmap::calls().empty());
    EXPECT_EQ(arch::pmap_active(), arch::pmap_kernel());
    ASSERT_FALSE(arch::pmap_enter(arch::pmap_kernel(), arch::KERNEL_MAP_BASE, pa(a), RW, 0).is_error());
    arch::pmap_remove(arch::pmap_kernel(), arch::KERNEL_MAP_BASE, arch::KERNEL_MAP_BASE + PAGE_SIZE);
}

TEST_F(FakePmapDeathTest, PreconditionsPanic)
{
    vm::Page& a = page();
    arch::Pmap* pmap = arch::pmap_create().value();
    ASSERT_FALSE(arch::pmap_enter(pmap, UVA, pa(a), RW, 0).is_error());
    EXPECT_DEATH(arch::pmap_destroy(pmap), "mappings left");
    EXPECT_DEATH((void)arch::pmap_enter(pmap, UVA + 1, pa(a), RW, 0), "assertion failed");
    EXPECT_DEATH((void)arch::pmap_enter(pmap, 0xffff800000000000ull, pa(a), RW, 0), "kernel half");
    EXPECT_DEATH((void)arch::pmap_enter(arch::pmap_kernel(), UVA, pa(a), RW, 0), "outside the kernel map");
    EXPECT_DEATH(arch::pmap_unwire(pmap, UVA + PAGE_SIZE), "not mapped");
    arch::pmap_remove(pmap, UVA, UVA + PAGE_SIZE);
    arch::pmap_destroy(pmap);
}

} // namespace
