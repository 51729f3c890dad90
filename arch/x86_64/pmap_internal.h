// arch/x86_64/pmap_internal.h -- what pmap.cpp and pmap_pv.cpp share.
//
// The x86-64 pmap is split in two files:
//   pmap.cpp     the page tables of one address space: walking, creating and
//                freeing table pages, entering/removing/protecting ranges,
//                CR3 and the TLB;
//   pmap_pv.cpp  the reverse map ("pv entries", after the BSD "physical to
//                virtual" lists): for each managed page, who maps it, and the
//                operations that act on a page wherever it is mapped.
// This header holds the Pmap object, the software PTE bits and the helpers
// each file calls in the other. Only arch/x86_64 and the pmap ktests include
// it. See pmap.cpp's top comment for the design; lock order: docs/locking.md.
#pragma once

#include "kpagetable.h"
#include <arch/mmu.h>
#include <arch/pmap.h>
#include <kernel/base/sync/spinlock.h>

namespace vm {
struct Page;
}

namespace arch {

// One address space's page tables (the machine-dependent part of a VmMap).
class Pmap {
public:
    constexpr Pmap() = default;
    Pmap(const Pmap&) = delete;
    Pmap& operator=(const Pmap&) = delete;

    bool is_kernel() const { return m_is_kernel; }

    // Set at creation, constant afterwards.
    PhysAddr m_pml4_pa = 0;
    u64* m_pml4 = nullptr;       // the PML4 through the direct map
    bool m_is_kernel = false;

    // Guards the shape of the tables (allocating and freeing table pages) and
    // every change of a PTE made from the pmap side (enter/remove/protect).
    kern::SpinLock m_lock;

    // Counters, updated with atomic operations: the page side (pmap_pv.cpp,
    // under the pv lock only) removes mappings too.
    size_t m_resident = 0;       // present 4 KiB mappings
    size_t m_wired = 0;          // of which wired (PTE_WIRED)
    // Bit i set while the pmap is loaded in CR3 of CPU i (TLB shoot-down).
    u32 m_cpus = 0;
};

} // namespace arch

namespace x86 {

// Software PTE bits: bits 9..11 of a 4 KiB PTE are ignored by the MMU.
constexpr u64 PTE_WIRED = 1ull << 9;    // a wired mapping (pmap_unwire clears it)
constexpr u64 PTE_MANAGED = 1ull << 10; // the page has a pv entry for this mapping

constexpr size_t PT_ENTRIES = 512;
constexpr unsigned PT_SHIFT = 12, PD_SHIFT = 21, PDPT_SHIFT = 30, PML4_SHIFT = 39;

constexpr size_t pml4_index(uptr va) { return (va >> PML4_SHIFT) & 511; }
constexpr size_t pdpt_index(uptr va) { return (va >> PDPT_SHIFT) & 511; }
constexpr size_t pd_index(uptr va) { return (va >> PD_SHIFT) & 511; }
constexpr size_t pt_index(uptr va) { return (va >> PT_SHIFT) & 511; }

// The end of the lower (user) canonical half.
constexpr uptr USER_HALF_END = 0x0000800000000000ull;

inline u64* table_at(PhysAddr pa) { return static_cast<u64*>(arch::phys_to_virt(pa)); }

// PTEs are read and changed with atomic operations: on another CPU the MMU
// may set the accessed and dirty bits of the same entry at any moment.
inline u64 pte_load(const u64* pte) { return __atomic_load_n(pte, __ATOMIC_RELAXED); }
inline u64 pte_exchange(u64* pte, u64 v) { return __atomic_exchange_n(pte, v, __ATOMIC_ACQ_REL); }
inline u64 pte_clear_bits(u64* pte, u64 bits) { return __atomic_fetch_and(pte, ~bits, __ATOMIC_ACQ_REL); }
inline u64 pte_set_bits(u64* pte, u64 bits) { return __atomic_fetch_or(pte, bits, __ATOMIC_ACQ_REL); }

// ---- pmap.cpp --------------------------------------------------------------
// The PTE mapping `va`, or nullptr if a table on the way is missing.
// => for the page side: the pv lock held and a pv entry for (pmap, va), so
//    the path exists and cannot be freed meanwhile; else pmap->m_lock held.
u64* pte_lookup(arch::Pmap* pmap, uptr va);
// Invalidate `va` in every TLB where `pmap` may be cached (here: invlpg;
// elsewhere: the shoot-down hook).
void tlb_invalidate_page(arch::Pmap* pmap, uptr va);
// The number of wired mappings (for tests; the interface has no such call).
size_t pmap_wired_count(arch::Pmap* pmap);
// Counters of the TLB work done since boot (for tests and measurements).
struct TlbStats {
    u64 invlpg;        // single-page invalidations on this CPU
    u64 full_flushes;  // whole-TLB flushes on this CPU (CR3 reload / CR4.PGE toggle)
    u64 shootdowns;    // times another CPU would have needed an IPI (0 on one CPU)
};
TlbStats tlb_stats();

// ---- pmap_pv.cpp -----------------------------------------------------------
struct PvEntry;
// The one lock of the reverse map (all pages' pv lists and saved attributes).
kern::SpinLock& pv_lock();
// The Page behind `pa` if a mapping of it needs a pv entry: not
// PMAP_UNMANAGED, and the page is ANON or OBJECT. Else nullptr.
vm::Page* managed_page(PhysAddr pa, u32 flags);
// A pv entry for a later pv_insert_locked (kmalloc), or nullptr; pv_free
// gives back an unused one.
PvEntry* pv_alloc();
void pv_free(PvEntry* pv);
// Record that `pmap` maps `page` at `va`, with the entry from pv_alloc().
// => pv lock held; no entry for (pmap, va) yet.
void pv_insert_locked(vm::Page& page, PvEntry* pv, arch::Pmap* pmap, uptr va);
// Keep the accessed/dirty bits of `old_pte` (a PTE of `page` being replaced
// or cleared) in the page's saved attributes.  => pv lock held.
void pv_save_attrs_locked(vm::Page& page, u64 old_pte);
// Clear the PTE at `pte` (mapping `va` in `pmap`), keep the page's
// referenced/modified bits, drop its pv entry, fix the pmap's counters.
// The caller invalidates the TLB.  => pv lock held.  Returns the old PTE
// (0 if none was present).
u64 remove_pte_locked(arch::Pmap* pmap, uptr va, u64* pte);

} // namespace x86
