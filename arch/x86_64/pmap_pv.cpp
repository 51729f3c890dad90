// arch/x86_64/pmap_pv.cpp -- the reverse map: who maps a physical page.
//
// Page tables answer "which page is at this address?". The VM layer also
// asks the reverse: "where is this page mapped?" -- to write-protect every
// mapping of a page before it is shared copy-on-write, to remove every
// mapping of a page the page daemon takes away, and to ask whether the page
// was used (accessed bit) or written (dirty bit) through any mapping. For
// that the pmap keeps, for each managed page (vm::Page with ANON or OBJECT
// set), a list of pv entries, one per mapping:
//
//     vm::Page::m_pmap_md --> PvEntry{pmap A, va 1} --> PvEntry{pmap B, va 2} --> nullptr
//
// Device memory (PMAP_UNMANAGED) and pages the VM layer does not manage get
// no entry: nobody asks about them, and they have no vm::Page to hang it on.
// A PTE that has a pv entry carries the software bit PTE_MANAGED, so removal
// knows without looking at the page.
//
// Saved attributes. When a mapping goes, the MMU's accessed and dirty bits
// in its PTE would go with it, and a write through it would be forgotten
// (file data never written back). So they are saved in the page, in the two
// low bits of m_pmap_md: pv entries come from kmalloc, at least 16-byte
// aligned, so those bits of the head pointer are always zero. The
// pmap_is_* / pmap_clear_* functions combine the saved bits with the PTEs'.
// They stay until cleared: the VM layer calls pmap_clear_modify when the
// page becomes clean (and both clear_* when it reuses a page) -- as in
// NetBSD, where pp_attrs outlive the mappings too.
//
// Invariant: a PTE with PTE_MANAGED is present and there is exactly one pv
// entry (pmap, va) on its page's list, and the other way round; the two
// change together, under the pv lock.
//
// Lock: one SpinLock for all lists and attributes (NetBSD has one per
// page; one is simpler, and short). Lock order: docs/locking.md.
// The page-side functions below take the pv lock only, and reach each PTE
// by walking the tables of pv->pmap: a path to a present PTE is never freed
// (pmap.cpp frees only empty tables, under the pmap's lock), so the walk is
// safe without the pmap's lock.
//
// References (design only): NetBSD sys/arch/x86/x86/pmap.c (struct pv_entry,
// pmap_page_remove, pmap_test_attrs/pmap_clear_attrs, pp_attrs); Mach's
// pmap "pv_list" (Rashid et al., ASPLOS 1987). docs/vm.md.
#include "pmap_internal.h"
#include <kernel/base/heap/heap.h>
#include <kernel/base/page/page.h>
#include <kernel/base/page/page_allocator.h>

using arch::Pmap;
using kern::SpinGuard;

namespace x86 {

struct PvEntry {
    Pmap* pmap;
    uptr va;
    PvEntry* next;
};

namespace {

kern::SpinLock s_pv_lock;

// The saved attributes, in the low bits of Page::m_pmap_md.
constexpr uptr ATTR_REFERENCED = 1;
constexpr uptr ATTR_MODIFIED = 2;
constexpr uptr ATTR_MASK = ATTR_REFERENCED | ATTR_MODIFIED;
static_assert(kern::HEAP_MIN_ALIGN > ATTR_MASK, "pv entries must leave the attribute bits zero");

PvEntry* pv_head(const vm::Page& page)
{
    return reinterpret_cast<PvEntry*>(reinterpret_cast<uptr>(page.m_pmap_md) & ~ATTR_MASK);
}
uptr pv_attrs(const vm::Page& page) { return reinterpret_cast<uptr>(page.m_pmap_md) & ATTR_MASK; }
void pv_set(vm::Page& page, PvEntry* head, uptr attrs)
{
    page.m_pmap_md = reinterpret_cast<void*>(reinterpret_cast<uptr>(head) | attrs);
}

uptr attrs_of_pte(u64 pte)
{
    return ((pte & PTE_A) ? ATTR_REFERENCED : 0) | ((pte & PTE_D) ? ATTR_MODIFIED : 0);
}

PhysAddr phys_of(const vm::Page& page) { return vm::page_allocator().phys_of(page); }

// The PTE behind a pv entry, checked against the invariant.  => pv lock held.
u64* pv_pte(const PvEntry& pv, PhysAddr pa)
{
    u64* pte = pte_lookup(pv.pmap, pv.va);
    const u64 v = pte ? pte_load(pte) : 0;
    KASSERT_MSG((v & (PTE_P | PTE_MANAGED)) == (PTE_P | PTE_MANAGED) && (v & PTE_ADDR) == pa,
                "pmap: pv entry (va %#lx) does not match its PTE %#lx", pv.va, v);
    return pte;
}

// Take (pmap, va) off the page's list.  => pv lock held.  Returns the entry.
PvEntry* pv_unlink_locked(vm::Page& page, Pmap* pmap, uptr va)
{
    PvEntry* prev = nullptr;
    for (PvEntry* pv = pv_head(page); pv; prev = pv, pv = pv->next) {
        if (pv->pmap != pmap || pv->va != va)
            continue;
        if (prev)
            prev->next = pv->next;
        else
            pv_set(page, pv->next, pv_attrs(page));
        return pv;
    }
    kern::panic("pmap: no pv entry for va %#lx of page %#lx", va, phys_of(page));
}

// Or the PTE bit `bit` over every mapping of `page`, and the saved `attr`;
// with `clear`, clear both (and invalidate, or the TLB, which remembers
// that A/D are already set, would not set them again).
bool test_attr(vm::Page& page, u64 bit, uptr attr, bool clear)
{
    const PhysAddr pa = phys_of(page);
    SpinGuard guard(s_pv_lock);
    bool found = (pv_attrs(page) & attr) != 0;
    if (clear)
        pv_set(page, pv_head(page), pv_attrs(page) & ~attr);
    for (PvEntry* pv = pv_head(page); pv; pv = pv->next) {
        u64* pte = pv_pte(*pv, pa);
        if (!(pte_load(pte) & bit))
            continue;
        found = true;
        if (!clear)
            break;
        pte_clear_bits(pte, bit);
        tlb_invalidate_page(pv->pmap, pv->va);
    }
    return found;
}

// Remove every mapping of `page`.
void remove_all(vm::Page& page)
{
    const PhysAddr pa = phys_of(page);
    SpinGuard guard(s_pv_lock);
    while (PvEntry* pv = pv_head(page)) {
        Pmap* pmap = pv->pmap;
        const uptr va = pv->va;
        remove_pte_locked(pmap, va, pv_pte(*pv, pa));  // frees pv
        tlb_invalidate_page(pmap, va);
    }
}

} // namespace

kern::SpinLock& pv_lock() { return s_pv_lock; }

vm::Page* managed_page(PhysAddr pa, u32 flags)
{
    if (flags & arch::PMAP_UNMANAGED)
        return nullptr;
    vm::Page* page = vm::page_allocator().page_for(pa);
    if (!page || !page->has(vm::Page::ANON | vm::Page::OBJECT))
        return nullptr;
    return page;
}

PvEntry* pv_alloc() { return static_cast<PvEntry*>(kern::kmalloc(sizeof(PvEntry))); }
void pv_free(PvEntry* pv) { kern::kfree(pv); }

void pv_insert_locked(vm::Page& page, PvEntry* pv, Pmap* pmap, uptr va)
{
    KASSERT(s_pv_lock.is_locked_by_me() && pv != nullptr);
    KASSERT((reinterpret_cast<uptr>(pv) & ATTR_MASK) == 0);
    pv->pmap = pmap;
    pv->va = va;
    pv->next = pv_head(page);
    pv_set(page, pv, pv_attrs(page));
}

void pv_save_attrs_locked(vm::Page& page, u64 old_pte)
{
    KASSERT(s_pv_lock.is_locked_by_me());
    pv_set(page, pv_head(page), pv_attrs(page) | attrs_of_pte(old_pte));
}

u64 remove_pte_locked(Pmap* pmap, uptr va, u64* pte)
{
    KASSERT(s_pv_lock.is_locked_by_me());
    const u64 old = pte_exchange(pte, 0);
    if (!(old & PTE_P))
        return 0;
    __atomic_sub_fetch(&pmap->m_resident, 1, __ATOMIC_RELAXED);
    if (old & PTE_WIRED)
        __atomic_sub_fetch(&pmap->m_wired, 1, __ATOMIC_RELAXED);
    if (old & PTE_MANAGED) {
        vm::Page* page = vm::page_allocator().page_for(old & PTE_ADDR);
        KASSERT(page != nullptr);
        pv_save_attrs_locked(*page, old);
        pv_free(pv_unlink_locked(*page, pmap, va));
    }
    return old;
}

} // namespace x86

namespace arch {

using namespace x86;

void pmap_page_protect(vm::Page& page, vm::Prot prot)
{
    if (prot == vm::PROT_NONE) {
        remove_all(page);
        return;
    }
    const u64 clear = (prot & vm::PROT_WRITE) ? 0 : PTE_W;
    const u64 set = (!(prot & vm::PROT_EXEC) && cpu_has_nx()) ? PTE_NX : 0;
    if (clear == 0 && set == 0)
        return;
    const PhysAddr pa = phys_of(page);
    SpinGuard guard(s_pv_lock);
    for (PvEntry* pv = pv_head(page); pv; pv = pv->next) {
        u64* pte = pv_pte(*pv, pa);
        const u64 old = pte_load(pte);
        if ((old & clear) == 0 && (old & set) == set)
            continue;
        pte_clear_bits(pte, clear);
        pte_set_bits(pte, set);
        tlb_invalidate_page(pv->pmap, pv->va);
    }
}

bool pmap_is_referenced(vm::Page& page) { return test_attr(page, PTE_A, ATTR_REFERENCED, false); }
bool pmap_clear_reference(vm::Page& page) { return test_attr(page, PTE_A, ATTR_REFERENCED, true); }
bool pmap_is_modified(vm::Page& page) { return test_attr(page, PTE_D, ATTR_MODIFIED, false); }
bool pmap_clear_modify(vm::Page& page) { return test_attr(page, PTE_D, ATTR_MODIFIED, true); }

size_t pmap_mapping_count(vm::Page& page)
{
    SpinGuard guard(s_pv_lock);
    size_t n = 0;
    for (PvEntry* pv = pv_head(page); pv; pv = pv->next)
        ++n;
    return n;
}

} // namespace arch
