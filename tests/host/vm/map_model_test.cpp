// tests/host/vm/map_model_test.cpp -- VmMap and the fault handler against an oracle.
//
// A randomized model test: thousands of map / unmap / protect / set_inherit /
// clone / destroy / read / write operations on a few address spaces, checked
// after every step against a simple model that keeps, per page, whether it
// is mapped, its protection, its inheritance and the value a user would read.
//
// "User" accesses are emulated over the fake pmap (tests/host/shim/fake_pmap.h):
// a read or write first looks at the fake page tables like an MMU would; if
// the mapping is missing or does not allow the access, it calls the real
// fault handler (vm::fault), which must succeed exactly when the model says
// the access is allowed, and then reads or writes the physical page through
// the direct map. So fork's copy-on-write is checked end to end: after random
// writes on both sides of several clones, every address space must still
// read what the model says.
#include "vm_fixture.h"

#include <tests/host/shim/fake_pmap.h>
#include <vm/fault.h>
#include <vm/map.h>
#include <vm/stats.h>

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <vector>

using namespace vm;

namespace {

constexpr uptr BASE = USER_MIN;
constexpr size_t PAGES = 96;  // the window the random operations use

struct PageModel {
    bool mapped = false;
    Prot prot = PROT_NONE;
    Inherit inherit = Inherit::Copy;
    u64 value = 0;  // what a read of the page's first word returns
};

struct Space {
    VmMap* map = nullptr;
    std::vector<PageModel> pages = std::vector<PageModel>(PAGES);
};

uptr va_of(size_t page) { return BASE + page * PAGE_SIZE; }

u64* word_at(PhysAddr pa) { return static_cast<u64*>(arch::phys_to_virt(pa)); }

// Emulate the MMU plus a user access; returns true if the access succeeded.
bool user_access(VmMap& map, uptr va, Access access, u64* value)
{
    auto m = fake_pmap::lookup(map.pmap(), va);
    if (!m || (access & ~m->prot)) {
        if (vm::fault(map, va, access).is_error())
            return false;
        m = fake_pmap::lookup(map.pmap(), va);
        if (!m || (access & ~m->prot))
            ADD_FAILURE() << "fault handler succeeded but left no usable mapping at " << std::hex << va;
        if (!m)
            return false;
    }
    if (access & PROT_WRITE)
        *word_at(m->pa) = *value;
    else
        *value = *word_at(m->pa);
    return true;
}

class MapModel : public vmtest::VmTest, public ::testing::WithParamInterface<unsigned> {
protected:
    std::vector<std::unique_ptr<Space>> spaces;
    std::mt19937 rng{12345};  // reseeded per test from the parameter
    u64 next_value = 1;

    u64 anon_at_start = 0;
    void SetUp() override
    {
        rng.seed(1000 + (::testing::UnitTest::GetInstance()->current_test_info()->value_param() ? GetParam() : 0));
        make_memory(4096);
        anon_at_start = anon_pages();
    }
    void TearDown() override
    {
        destroy_all();
        VmTest::TearDown();  // checks that every page, anon and heap byte came back
    }
    void destroy_all()
    {
        for (auto& s : spaces)
            if (s->map)
                s->map->destroy();
        spaces.clear();
    }

    Space& new_space()
    {
        auto s = std::make_unique<Space>();
        s->map = MUST(VmMap::create(USER_MIN, USER_MAX, MUST(arch::pmap_create())));
        spaces.push_back(std::move(s));
        return *spaces.back();
    }

    size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); }

    void op_map(Space& s)
    {
        size_t first = pick(PAGES), count = 1 + pick(std::min<size_t>(8, PAGES - first));
        Prot prot = Prot(pick(4));  // none, r, w, rw
        MUST(s.map->map(va_of(first), count * PAGE_SIZE, prot, PROT_ALL, Inherit::Copy, nullptr, 0,
                        MAP_PRIVATE | MAP_FIXED));
        for (size_t p = first; p < first + count; ++p)
            s.pages[p] = PageModel{true, prot, Inherit::Copy, 0};
    }

    void op_unmap(Space& s)
    {
        size_t first = pick(PAGES), count = 1 + pick(std::min<size_t>(8, PAGES - first));
        MUST(s.map->unmap(va_of(first), count * PAGE_SIZE));
        for (size_t p = first; p < first + count; ++p)
            s.pages[p] = PageModel{};
    }

    bool all_mapped(Space& s, size_t first, size_t count)
    {
        for (size_t p = first; p < first + count; ++p)
            if (!s.pages[p].mapped)
                return false;
        return true;
    }

    void op_protect(Space& s)
    {
        size_t first = pick(PAGES), count = 1 + pick(std::min<size_t>(8, PAGES - first));
        Prot prot = Prot(pick(4));
        auto r = s.map->protect(va_of(first), count * PAGE_SIZE, prot);
        if (!all_mapped(s, first, count)) {
            EXPECT_TRUE(r.is_error() && r.error() == kern::Errno::ENOMEM);
            return;
        }
        ASSERT_FALSE(r.is_error());
        for (size_t p = first; p < first + count; ++p)
            s.pages[p].prot = prot;
    }

    void op_inherit(Space& s)
    {
        size_t first = pick(PAGES), count = 1 + pick(std::min<size_t>(4, PAGES - first));
        // Copy or None: pages shared between spaces (Inherit::Share) would
        // need share groups in the model; SharedInheritance tests them.
        Inherit inh = pick(2) ? Inherit::Copy : Inherit::None;
        auto r = s.map->set_inherit(va_of(first), count * PAGE_SIZE, inh);
        if (!all_mapped(s, first, count))
            return;
        ASSERT_FALSE(r.is_error());
        for (size_t p = first; p < first + count; ++p)
            s.pages[p].inherit = inh;
    }

    void op_clone(Space& s)
    {
        if (spaces.size() >= 6)
            return;
        VmMap* child_map = MUST(s.map->clone());
        auto child = std::make_unique<Space>();
        child->map = child_map;
        for (size_t p = 0; p < PAGES; ++p) {
            const PageModel& pm = s.pages[p];
            if (pm.mapped && pm.inherit != Inherit::None)
                child->pages[p] = pm;
        }
        spaces.push_back(std::move(child));
    }

    void op_access(Space& s)
    {
        size_t p = pick(PAGES);
        bool write = pick(2);
        const PageModel& pm = s.pages[p];
        u64 v = write ? next_value++ : 0;
        bool allowed = pm.mapped && (write ? (pm.prot & PROT_WRITE) : (pm.prot & PROT_READ));
        bool ok = user_access(*s.map, va_of(p), write ? PROT_WRITE : PROT_READ, &v);
        ASSERT_EQ(ok, allowed) << "page " << p << (write ? " write" : " read");
        if (!ok)
            return;
        if (write)
            s.pages[p].value = v;
        else
            ASSERT_EQ(v, pm.value) << "page " << p << " read a stale value";
    }

    void check(Space& s)
    {
        ASSERT_EQ(s.map->validate(), nullptr);
        kern::MutexGuard guard(s.map->lock());
        std::vector<bool> mapped(PAGES, false);
        s.map->for_each_entry_locked([&](const MapEntry& e) {
            for (uptr va = e.m_start; va < e.m_end; va += PAGE_SIZE) {
                size_t p = (va - BASE) / PAGE_SIZE;
                ASSERT_LT(p, PAGES);
                mapped[p] = true;
                EXPECT_EQ(e.m_prot, s.pages[p].prot) << "page " << p;
                EXPECT_EQ(int(e.m_inherit), int(s.pages[p].inherit)) << "page " << p;
            }
        });
        for (size_t p = 0; p < PAGES; ++p)
            EXPECT_EQ(mapped[p], s.pages[p].mapped) << "page " << p;
    }
};

TEST_P(MapModel, RandomOperationsMatchTheModel)
{
    new_space();
    for (int step = 0; step < 4000; ++step) {
        Space& s = *spaces[pick(spaces.size())];
        switch (pick(10)) {
        case 0: op_map(s); break;
        case 1: op_unmap(s); break;
        case 2: op_protect(s); break;
        case 3: op_inherit(s); break;
        case 4: op_clone(s); break;
        case 5:
            if (spaces.size() > 1 && &s != spaces[0].get()) {
                s.map->destroy();
                s.map = nullptr;
                spaces.erase(std::find_if(spaces.begin(), spaces.end(),
                                          [&](auto& p) { return p.get() == &s; }));
            }
            break;
        default: op_access(s); break;
        }
        if (HasFatalFailure())
            return;
    }
    for (auto& s : spaces) {
        check(*s);
        // Every page still reads its model value.
        for (size_t p = 0; p < PAGES; ++p) {
            const PageModel& pm = s->pages[p];
            if (!pm.mapped || !(pm.prot & PROT_READ))
                continue;
            u64 v = 0;
            ASSERT_TRUE(user_access(*s->map, va_of(p), PROT_READ, &v));
            EXPECT_EQ(v, pm.value) << "page " << p;
        }
    }
}

TEST_P(MapModel, AfterEverythingIsDestroyedNothingLeaks)
{
    Space& s = new_space();
    for (int step = 0; step < 2000; ++step) {
        Space& t = *spaces[pick(spaces.size())];
        switch (pick(6)) {
        case 0: op_map(t); break;
        case 1: op_unmap(t); break;
        case 2: op_clone(t); break;
        default: op_access(t); break;
        }
    }
    (void)s;
    EXPECT_GT(anon_pages(), anon_at_start);
    destroy_all();
    EXPECT_EQ(anon_pages(), anon_at_start);  // TearDown checks pages and heap bytes

}

TEST_F(MapModel, SharedInheritanceSeesTheOtherSide)
{
    Space& parent = new_space();
    uptr a = MUST(parent.map->map(0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, PROT_ALL, Inherit::Share,
                                  nullptr, 0, MAP_PRIVATE));
    u64 v = 11;
    ASSERT_TRUE(user_access(*parent.map, a, PROT_WRITE, &v));
    VmMap* child = MUST(parent.map->clone());
    v = 22;
    ASSERT_TRUE(user_access(*child, a, PROT_WRITE, &v));
    v = 0;
    ASSERT_TRUE(user_access(*parent.map, a, PROT_READ, &v));
    EXPECT_EQ(v, 22u);
    v = 33;
    ASSERT_TRUE(user_access(*parent.map, a + PAGE_SIZE, PROT_WRITE, &v));  // first touched after fork
    v = 0;
    ASSERT_TRUE(user_access(*child, a + PAGE_SIZE, PROT_READ, &v));
    EXPECT_EQ(v, 33u);
    child->destroy();
}

// Eight seeds: each a different random history (the same on every run).
INSTANTIATE_TEST_SUITE_P(Seeds, MapModel, ::testing::Range(0u, 8u));

} // namespace
