// tests/host/shim/fake_pmap.cpp -- arch/include/arch/pmap.h for host tests.
//
// What it models and why: see fake_pmap.h. In short, a Pmap is a std::map
// from page address to Mapping; the reverse map is a std::map from physical
// address to the set of (pmap, va) mapping it; saved attributes are a map
// from physical address to {referenced, modified}. All of it lives in one
// State object, guarded by a std::mutex (tests are single-threaded, but the
// VM layer's code might one day run helper threads on the host).
//
// The real implementation is arch/x86_64/pmap.cpp + pmap_pv.cpp; this file
// follows its contracts (same preconditions, same managed-page rule, same
// "PROT_NONE removes", same "protect never raises") so that VM-layer tests
// against the fake say something about the kernel.
// Standard and GoogleTest headers first (see fake_pmap.h).
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <set>

#include "fake_pmap.h"

#include <kernel/base/lib/assert.h>
#include <kernel/base/page/page.h>
#include <kernel/base/page/page_allocator.h>

namespace arch {

class Pmap {
public:
    explicit Pmap(bool kernel) : m_kernel(kernel) {}
    bool m_kernel;
    std::map<uptr, fake_pmap::Mapping> m_map;
};

} // namespace arch

namespace fake_pmap {

using arch::Pmap;
using MapperSet = std::set<std::pair<Pmap*, uptr>>;

namespace {

constexpr uptr USER_HALF_END = 0x0000800000000000ull;

struct Attrs {
    bool referenced = false;
    bool modified = false;
};

struct State {
    ~State()
    {
        for (Pmap* p : live)
            delete p;
    }
    std::mutex lock;
    Pmap kernel{true};
    Pmap* active = &kernel;
    std::set<Pmap*> live;
    std::map<PhysAddr, MapperSet> reverse;
    std::map<PhysAddr, Attrs> saved;
    std::vector<Call> log;
    size_t enters_before_failing = 0;
    size_t enters_to_fail = 0;
};

State& state()
{
    static State s;
    return s;
}

using Guard = std::lock_guard<std::mutex>;

void record(Op op, Pmap* pmap, uptr sva, uptr eva, PhysAddr pa = 0, vm::Prot prot = 0,
            u32 flags = 0, bool failed = false)
{
    state().log.push_back({op, pmap, sva, eva, pa, prot, flags, failed});
}

void check_range(const Pmap* pmap, uptr sva, uptr eva)
{
    KASSERT(vm::is_page_aligned(sva) && vm::is_page_aligned(eva) && sva <= eva);
    if (pmap->m_kernel)
        KASSERT_MSG(sva >= arch::KERNEL_MAP_BASE && eva <= arch::KERNEL_MAP_BASE + arch::KERNEL_MAP_SIZE,
                    "fake pmap: kernel range %#lx..%#lx is outside the kernel map", sva, eva);
    else
        KASSERT_MSG(eva <= USER_HALF_END, "fake pmap: user range %#lx..%#lx reaches the kernel half",
                    sva, eva);
}

// The kernel's rule for a reverse-map entry (pmap_pv.cpp: managed_page).
bool is_managed(PhysAddr pa, u32 flags)
{
    if (flags & arch::PMAP_UNMANAGED)
        return false;
    const vm::Page* page = vm::page_allocator().page_for(pa);
    return page && page->has(vm::Page::ANON | vm::Page::OBJECT);
}

// The physical address of a page handed to a page-side operation.
PhysAddr pa_of(const vm::Page& page)
{
    const PhysAddr pa = vm::page_allocator().phys_of(page);
    KASSERT_MSG(vm::page_allocator().page_for(pa) == &page,
                "fake pmap: the page is not one of vm::page_allocator()'s");
    return pa;
}

// Drop the mapping at `it`, keeping its A/D bits in the saved attributes.
// => state().lock held.
std::map<uptr, Mapping>::iterator erase_locked(Pmap* pmap, std::map<uptr, Mapping>::iterator it)
{
    const Mapping& m = it->second;
    if (m.managed) {
        Attrs& a = state().saved[m.pa];
        a.referenced |= m.referenced;
        a.modified |= m.modified;
        MapperSet& set = state().reverse[m.pa];
        KASSERT(set.erase({pmap, it->first}) == 1);
        if (set.empty())
            state().reverse.erase(m.pa);
    }
    return pmap->m_map.erase(it);
}

void remove_locked(Pmap* pmap, uptr sva, uptr eva)
{
    for (auto it = pmap->m_map.lower_bound(sva); it != pmap->m_map.end() && it->first < eva;)
        it = erase_locked(pmap, it);
}

// Does the next enter fail?  => state().lock held.
bool enter_should_fail_locked()
{
    State& s = state();
    if (s.enters_before_failing > 0) {
        --s.enters_before_failing;
        return false;
    }
    if (s.enters_to_fail > 0) {
        --s.enters_to_fail;
        return true;
    }
    return false;
}

// Test (and with `clear`, clear) one attribute over the page's mappings and
// its saved attributes.  => state().lock held.
bool test_attr_locked(PhysAddr pa, bool Mapping::*mbit, bool Attrs::*abit, bool clear)
{
    State& s = state();
    bool found = false;
    if (auto a = s.saved.find(pa); a != s.saved.end()) {
        found = a->second.*abit;
        if (clear)
            a->second.*abit = false;
    }
    if (auto r = s.reverse.find(pa); r != s.reverse.end()) {
        for (const auto& [pmap, va] : r->second) {
            Mapping& m = pmap->m_map.at(va);
            found |= m.*mbit;
            if (clear)
                m.*mbit = false;
        }
    }
    return found;
}

// Before every test: a clean pmap world.
class ResetListener : public ::testing::EmptyTestEventListener {
    void OnTestStart(const ::testing::TestInfo&) override { reset(); }
};

[[maybe_unused]] const bool s_listener_installed = [] {
    ::testing::UnitTest::GetInstance()->listeners().Append(new ResetListener);
    return true;
}();

} // namespace

const char* op_name(Op op)
{
    static const char* const names[] = {
        "Create", "Destroy", "Activate", "Enter", "Remove", "Protect", "Unwire", "Update",
        "PageProtect", "ClearReference", "ClearModify",
    };
    return names[static_cast<int>(op)];
}

std::optional<Mapping> lookup(Pmap* pmap, uptr va)
{
    Guard g(state().lock);
    auto it = pmap->m_map.find(align_down(va, PAGE_SIZE));
    if (it == pmap->m_map.end())
        return std::nullopt;
    return it->second;
}

std::vector<std::pair<uptr, Mapping>> mappings(Pmap* pmap)
{
    Guard g(state().lock);
    return {pmap->m_map.begin(), pmap->m_map.end()};
}

std::vector<std::pair<Pmap*, uptr>> mappers(PhysAddr pa)
{
    Guard g(state().lock);
    auto it = state().reverse.find(pa);
    if (it == state().reverse.end())
        return {};
    return {it->second.begin(), it->second.end()};
}

size_t wired_count(Pmap* pmap)
{
    Guard g(state().lock);
    size_t n = 0;
    for (const auto& [va, m] : pmap->m_map)
        n += m.wired;
    return n;
}

size_t live_pmaps()
{
    Guard g(state().lock);
    return state().live.size();
}

const std::vector<Call>& calls() { return state().log; }

std::vector<Call> calls_of(Op op)
{
    std::vector<Call> out;
    for (const Call& c : state().log)
        if (c.op == op)
            out.push_back(c);
    return out;
}

size_t count(Op op) { return calls_of(op).size(); }
void clear_calls() { state().log.clear(); }

void fail_next_enters(size_t n, size_t after)
{
    Guard g(state().lock);
    state().enters_before_failing = after;
    state().enters_to_fail = n;
}

bool touch(Pmap* pmap, uptr va, vm::Access access)
{
    Guard g(state().lock);
    auto it = pmap->m_map.find(align_down(va, PAGE_SIZE));
    if (it == pmap->m_map.end())
        return false;
    Mapping& m = it->second;
    // x86: any present mapping can be read; writes and fetches need their bit.
    if ((access & vm::PROT_WRITE) && !(m.prot & vm::PROT_WRITE))
        return false;
    if ((access & vm::PROT_EXEC) && !(m.prot & vm::PROT_EXEC))
        return false;
    m.referenced = true;
    m.modified |= (access & vm::PROT_WRITE) != 0;
    return true;
}

void reset()
{
    State& s = state();
    Guard g(s.lock);
    for (Pmap* p : s.live)
        delete p;
    s.live.clear();
    s.kernel.m_map.clear();
    s.active = &s.kernel;
    s.reverse.clear();
    s.saved.clear();
    s.log.clear();
    s.enters_before_failing = s.enters_to_fail = 0;
}

} // namespace fake_pmap

// ---- the interface ------------------------------------------------------------------

namespace arch {

using fake_pmap::Op;
using fake_pmap::state;
using Guard = std::lock_guard<std::mutex>;

kern::ErrorOr<Pmap*> pmap_create()
{
    Guard g(state().lock);
    Pmap* pmap = new Pmap(false);
    state().live.insert(pmap);
    fake_pmap::record(Op::Create, pmap, 0, 0);
    return pmap;
}

void pmap_destroy(Pmap* pmap)
{
    Guard g(state().lock);
    KASSERT_MSG(state().live.count(pmap) == 1, "fake pmap: pmap_destroy of an unknown pmap");
    KASSERT_MSG(pmap->m_map.empty(), "fake pmap: pmap_destroy with %zu mappings left",
                pmap->m_map.size());
    KASSERT_MSG(state().active != pmap, "fake pmap: pmap_destroy of the active pmap");
    fake_pmap::record(Op::Destroy, pmap, 0, 0);
    state().live.erase(pmap);
    delete pmap;
}

Pmap* pmap_kernel() { return &state().kernel; }

void pmap_activate(Pmap* pmap)
{
    Guard g(state().lock);
    KASSERT(pmap != nullptr);
    state().active = pmap;
    fake_pmap::record(Op::Activate, pmap, 0, 0);
}

Pmap* pmap_active() { return state().active; }

kern::ErrorOr<void> pmap_enter(Pmap* pmap, uptr va, PhysAddr pa, vm::Prot prot, u32 flags)
{
    Guard g(state().lock);
    fake_pmap::check_range(pmap, va, va + PAGE_SIZE);
    KASSERT(vm::is_page_aligned(pa));
    if (fake_pmap::enter_should_fail_locked()) {
        fake_pmap::record(Op::Enter, pmap, va, va + PAGE_SIZE, pa, prot, flags, true);
        return kern::Errno::ENOMEM;
    }
    fake_pmap::record(Op::Enter, pmap, va, va + PAGE_SIZE, pa, prot, flags);
    if (prot == vm::PROT_NONE) {  // as in the kernel: PROT_NONE leaves nothing mapped
        fake_pmap::remove_locked(pmap, va, va + PAGE_SIZE);
        return {};
    }
    auto it = pmap->m_map.find(va);
    const bool managed = fake_pmap::is_managed(pa, flags);
    fake_pmap::Mapping m{pa, prot, (flags & PMAP_WIRED) != 0, managed, false, false};
    if (it != pmap->m_map.end() && it->second.pa == pa && it->second.managed == managed) {
        m.referenced = it->second.referenced;  // the same page: keep the MMU's bits
        m.modified = it->second.modified;
        it->second = m;
    } else {
        if (it != pmap->m_map.end())
            fake_pmap::erase_locked(pmap, it);
        pmap->m_map[va] = m;
        if (managed)
            state().reverse[pa].insert({pmap, va});
    }
    return {};
}

void pmap_remove(Pmap* pmap, uptr sva, uptr eva)
{
    Guard g(state().lock);
    fake_pmap::check_range(pmap, sva, eva);
    fake_pmap::record(Op::Remove, pmap, sva, eva);
    fake_pmap::remove_locked(pmap, sva, eva);
}

void pmap_protect(Pmap* pmap, uptr sva, uptr eva, vm::Prot prot)
{
    Guard g(state().lock);
    fake_pmap::check_range(pmap, sva, eva);
    fake_pmap::record(Op::Protect, pmap, sva, eva, 0, prot);
    if (prot == vm::PROT_NONE) {
        fake_pmap::remove_locked(pmap, sva, eva);
        return;
    }
    for (auto it = pmap->m_map.lower_bound(sva); it != pmap->m_map.end() && it->first < eva; ++it)
        it->second.prot &= prot;  // never raises
}

void pmap_unwire(Pmap* pmap, uptr va)
{
    Guard g(state().lock);
    fake_pmap::check_range(pmap, va, va + PAGE_SIZE);
    fake_pmap::record(Op::Unwire, pmap, va, va + PAGE_SIZE);
    auto it = pmap->m_map.find(va);
    KASSERT_MSG(it != pmap->m_map.end(), "fake pmap: pmap_unwire: %#lx is not mapped", va);
    it->second.wired = false;
}

bool pmap_extract(Pmap* pmap, uptr va, PhysAddr* pa)
{
    Guard g(state().lock);
    auto it = pmap->m_map.find(align_down(va, PAGE_SIZE));
    if (it == pmap->m_map.end())
        return false;
    if (pa)
        *pa = it->second.pa + (va & (PAGE_SIZE - 1));
    return true;
}

void pmap_update(Pmap* pmap)
{
    Guard g(state().lock);
    fake_pmap::record(Op::Update, pmap, 0, 0);
}

void pmap_page_protect(vm::Page& page, vm::Prot prot)
{
    Guard g(state().lock);
    const PhysAddr pa = fake_pmap::pa_of(page);
    fake_pmap::record(Op::PageProtect, nullptr, 0, 0, pa, prot);
    auto r = state().reverse.find(pa);
    if (r == state().reverse.end())
        return;
    const fake_pmap::MapperSet mappers = r->second;  // erase_locked changes the set
    for (const auto& [pmap, va] : mappers) {
        auto it = pmap->m_map.find(va);
        if (prot == vm::PROT_NONE)
            fake_pmap::erase_locked(pmap, it);
        else
            it->second.prot &= prot;
    }
}

bool pmap_is_referenced(vm::Page& page)
{
    Guard g(state().lock);
    return fake_pmap::test_attr_locked(fake_pmap::pa_of(page), &fake_pmap::Mapping::referenced,
                                       &fake_pmap::Attrs::referenced, false);
}

bool pmap_clear_reference(vm::Page& page)
{
    Guard g(state().lock);
    const PhysAddr pa = fake_pmap::pa_of(page);
    fake_pmap::record(Op::ClearReference, nullptr, 0, 0, pa);
    return fake_pmap::test_attr_locked(pa, &fake_pmap::Mapping::referenced,
                                       &fake_pmap::Attrs::referenced, true);
}

bool pmap_is_modified(vm::Page& page)
{
    Guard g(state().lock);
    return fake_pmap::test_attr_locked(fake_pmap::pa_of(page), &fake_pmap::Mapping::modified,
                                       &fake_pmap::Attrs::modified, false);
}

bool pmap_clear_modify(vm::Page& page)
{
    Guard g(state().lock);
    const PhysAddr pa = fake_pmap::pa_of(page);
    fake_pmap::record(Op::ClearModify, nullptr, 0, 0, pa);
    return fake_pmap::test_attr_locked(pa, &fake_pmap::Mapping::modified,
                                       &fake_pmap::Attrs::modified, true);
}

size_t pmap_mapping_count(vm::Page& page)
{
    Guard g(state().lock);
    auto r = state().reverse.find(fake_pmap::pa_of(page));
    return r == state().reverse.end() ? 0 : r->second.size();
}

// As if every empty table were freed: a user pmap has its PML4 plus one
// PDPT, PD and PT per distinct 512 GiB, 1 GiB and 2 MiB region it maps;
// the kernel pmap's PDPT is static, so only its PDs and PTs count.
size_t pmap_table_pages()
{
    Guard g(state().lock);
    auto tables_of = [](const Pmap& p) {
        std::set<uptr> pdpt, pd, pt;
        for (const auto& [va, m] : p.m_map) {
            pdpt.insert(va >> 39);
            pd.insert(va >> 30);
            pt.insert(va >> 21);
        }
        return (p.m_kernel ? 0 : 1 + pdpt.size()) + pd.size() + pt.size();
    };
    size_t n = tables_of(state().kernel);
    for (const Pmap* p : state().live)
        n += tables_of(*p);
    return n;
}

size_t pmap_resident_count(Pmap* pmap)
{
    Guard g(state().lock);
    return pmap->m_map.size();
}

} // namespace arch
