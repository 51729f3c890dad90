// arch/x86_64/pmap.cpp -- x86-64 page tables, one set per address space.
//
// The four levels. A virtual address uses 48 bits (the top 16 repeat bit 47,
// "canonical") and is cut into four 9-bit indices and a 12-bit offset:
//
//    63     48 47    39 38    30 29    21 20    12 11         0
//   |  sign   |  PML4  |  PDPT  |   PD   |   PT   |   offset   |
//
// CR3 holds the physical address of the PML4 (page-map level 4), one 4 KiB
// page of 512 eight-byte entries. A present PML4 entry points at a
// page-directory-pointer table (PDPT), whose entries point at page
// directories (PD), whose entries point at page tables (PT), whose entries --
// the PTEs -- point at 4 KiB frames. One PML4 entry spans 512 GiB, a PDPT
// entry 1 GiB, a PD entry 2 MiB, a PTE 4 KiB. (The direct map uses 2 MiB
// pages, PD entries with PS set; this file makes 4 KiB mappings only.)
//
// PTE bits (kpagetable.h, pmap_internal.h):
//   P  present          W  writable           U  user mode may access
//   A  accessed: the MMU sets it on any access through the entry
//   D  dirty: the MMU sets it on a write
//   G  global: survives a CR3 reload (kernel mappings, the same everywhere)
//   NX (bit 63) no instruction fetch (when the CPU has NX: EFER.NXE is set)
//   bits 12..51 the frame's physical address
//   bits 9..11 are the OS's own: PTE_WIRED, PTE_MANAGED
// The rights of an access are the AND over the four levels, so upper-level
// entries are always P|W (|U in the user half) and the PTE decides. x86
// cannot map write-only or execute-only: any present PTE is readable.
//
// Address spaces. Entries 256..511 of every PML4 (the kernel half) are copies
// of the kernel PML4's, made by pmap_create: the direct map (slot 256), the
// kernel map (384) and the kernel image (511). A kernel PML4 entry made later
// would be missing from the address spaces made before it, so the kernel
// map's PDPT is put in place at the first pmap call (a page in .bss), and
// pmap_enter(pmap_kernel(), ...) accepts only [KERNEL_MAP_BASE, +512 GiB):
// its PDs and PTs hang below that one shared PDPT, visible everywhere.
//
// Table pages come from the page allocator on demand in pmap_enter (ENOMEM:
// the empty tables just made are freed again, nothing has changed).
// pmap_remove frees the PT, PD and (user) PDPT pages that it leaves empty;
// pmap_destroy frees the rest. Emptiness is found by scanning the table's 512
// entries; NetBSD counts the valid entries in the table page's wire_count
// instead -- the scan needs no count kept in step, and costs one pass per
// table a range operation touches.
//
// The TLB caches translations (and upper-level entries). When a mapping is
// removed or reduced, the stale entry must go wherever the pmap is loaded:
// on this CPU with invlpg (or a full flush when many pages changed), on other
// CPUs by an inter-processor interrupt, the "shoot-down". Range operations
// gather addresses in a TlbBatch and flush it before they return, and before
// a table page is freed; so pmap_update() has nothing left to do. A new
// mapping where none was needs no invalidation: "not present" is not cached.
// tlb_shootdown() is the SMP hook; with one CPU it only checks that no other
// CPU has the pmap loaded.
//
// Reverse map (which pmaps map a page): pmap_pv.cpp.
//
// Locking -- all SpinLocks, pmap functions never sleep (lock order:
// docs/locking.md; the pv lock is in pmap_pv.cpp). Pmap::m_lock guards one pmap's table shape and the PTE changes made from
// the pmap side. A PTE with PTE_MANAGED changes only together with its pv
// entry, under the pv lock; the page-side operations (pmap_page_protect ...)
// take the pv lock alone and reach the PTE through the pv entry: a path that
// ends in a present PTE is never freed. Counters are updated atomically.
//
// References (design only; the code is ours): NetBSD sys/arch/x86/x86/pmap.c
// (pmap_enter_ma, pmap_remove_ptes, pmap_get_ptp, the shoot-down queue);
// xv6 vm.c (walkpgdir, mappages, freevm); Intel SDM vol. 3A ch. 4 "Paging",
// 4.10 on the TLB and the paging-structure caches. docs/vm.md.
#include "pmap_internal.h"
#include "x86.h"
#include <arch/cpu.h>
#include <kernel/base/heap/heap.h>
#include <kernel/base/lib/string.h>
#include <new>
#include <kernel/base/page/page.h>
#include <kernel/base/page/page_allocator.h>

using arch::KERNEL_MAP_BASE;
using arch::KERNEL_MAP_SIZE;
using arch::Pmap;
using kern::Errno;
using kern::ErrorOr;
using kern::SpinGuard;

namespace x86 {

namespace {

constexpr uptr PT_SPAN = 1ull << PD_SHIFT;  // bytes one page table maps: 2 MiB
constexpr unsigned LEVEL_SHIFT[4] = {PML4_SHIFT, PDPT_SHIFT, PD_SHIFT, PT_SHIFT};
constexpr u64 CR4_PGE = 1ull << 7;

Pmap s_kernel_pmap;
// The kernel map's PDPT: part of the kernel image, never freed.
alignas(PAGE_SIZE) u64 s_kernel_map_pdpt[PT_ENTRIES];
kern::SpinLock s_init_lock;

// The pmap in CR3 of each CPU (nullptr: the kernel's, as at boot).
Pmap* s_active[arch::MAX_CPUS];
u32 s_online_cpus;     // CPUs that have loaded a pmap: the kernel pmap's shoot-down set
size_t s_table_pages;  // table pages of all pmaps (not the boot tables)
TlbStats s_tlb;

template <typename T> void count_add(T& counter, long delta)
{
    __atomic_add_fetch(&counter, T(delta), __ATOMIC_RELAXED);
}
template <typename T> T count_load(const T& counter) { return __atomic_load_n(&counter, __ATOMIC_RELAXED); }

size_t index_at(unsigned level, uptr va) { return (va >> LEVEL_SHIFT[level]) & 511; }

// Returns the table an upper-level entry points at, or nullptr if not present.
u64* next_table(u64 entry)
{
    if (!(entry & PTE_P))
        return nullptr;
    KASSERT_MSG(!(entry & PTE_PS), "pmap: large page inside a pmap range");
    return table_at(entry & PTE_ADDR);
}

// A range handed to a pmap function: page-aligned, inside the pmap's half
// (for the kernel pmap, inside the kernel map).
void check_range(const Pmap* pmap, uptr sva, uptr eva)
{
    KASSERT(vm::is_page_aligned(sva) && vm::is_page_aligned(eva) && sva <= eva);
    if (pmap->is_kernel())
        KASSERT_MSG(sva >= KERNEL_MAP_BASE && eva <= KERNEL_MAP_BASE + KERNEL_MAP_SIZE,
                    "pmap: kernel range %#lx..%#lx is outside the kernel map", sva, eva);
    else
        KASSERT_MSG(eva <= USER_HALF_END, "pmap: user range %#lx..%#lx reaches the kernel half",
                    sva, eva);
}

// ---- table pages --------------------------------------------------------------

// A zeroed table page.  Errors: ENOMEM.
ErrorOr<PhysAddr> table_alloc()
{
    vm::Page* page = TRY(vm::page_allocator().allocate());
    vm::page_allocator().zero_page(*page);
    count_add(s_table_pages, 1);
    return vm::page_allocator().phys_of(*page);
}

void table_free(PhysAddr pa)
{
    vm::Page* page = vm::page_allocator().page_for(pa);
    KASSERT(page != nullptr);
    vm::page_allocator().free(page);
    count_add(s_table_pages, -1);
}

bool table_is_empty(const u64* table)
{
    for (size_t i = 0; i < PT_ENTRIES; ++i)
        if (pte_load(&table[i]) != 0)
            return false;
    return true;
}

u64 table_entry_bits(const Pmap* pmap) { return PTE_P | PTE_W | (pmap->is_kernel() ? 0 : PTE_U); }

// The PTE slot for `va`, making the missing PDPT, PD and PT.
// => m_lock held.  Errors: ENOMEM (tables made so far stay: prune_path_locked).
ErrorOr<u64*> pte_alloc_locked(Pmap* pmap, uptr va)
{
    KASSERT(pmap->m_lock.is_locked_by_me());
    u64* table = pmap->m_pml4;
    for (unsigned level = 0; level < 3; ++level) {
        u64* entry = &table[index_at(level, va)];
        if (!(pte_load(entry) & PTE_P)) {
            // The kernel half's PML4 entries are fixed at init (top comment).
            KASSERT(!(pmap->is_kernel() && level == 0));
            __atomic_store_n(entry, TRY(table_alloc()) | table_entry_bits(pmap), __ATOMIC_RELEASE);
        }
        table = next_table(pte_load(entry));
    }
    return &table[pt_index(va)];
}

// The page table covering `va`, or nullptr with *next set to the end of
// the hole (the span of the first missing table).
u64* find_pt(Pmap* pmap, uptr va, uptr* next)
{
    u64* table = pmap->m_pml4;
    for (unsigned level = 0; level < 3; ++level) {
        table = next_table(pte_load(&table[index_at(level, va)]));
        if (!table) {
            const uptr span = 1ull << LEVEL_SHIFT[level];
            *next = align_down(va, span) + span;
            return nullptr;
        }
    }
    return table;
}

// Free the empty tables on the path to `va`, bottom up: the PT, the PD, and
// for a user pmap the PDPT (never the PML4, never the kernel map's PDPT).
// The TLB (and its cache of upper-level entries) is flushed before the
// pages go back.  => m_lock held, pv lock not held.
void prune_path_locked(Pmap* pmap, uptr va)
{
    KASSERT(pmap->m_lock.is_locked_by_me());
    u64* tables[4] = {pmap->m_pml4, nullptr, nullptr, nullptr};  // PML4, PDPT, PD, PT
    size_t depth = 1;
    for (; depth < 4; ++depth) {
        tables[depth] = next_table(pte_load(&tables[depth - 1][index_at(unsigned(depth - 1), va)]));
        if (!tables[depth])
            break;
    }
    const size_t lowest = pmap->is_kernel() ? 2 : 1;
    PhysAddr freed[3];
    size_t nfreed = 0;
    for (size_t level = depth - 1; level >= lowest && table_is_empty(tables[level]); --level) {
        u64* parent = &tables[level - 1][index_at(unsigned(level - 1), va)];
        freed[nfreed++] = pte_exchange(parent, 0) & PTE_ADDR;
    }
    if (nfreed == 0)
        return;
    tlb_invalidate_page(pmap, va);
    for (size_t i = 0; i < nfreed; ++i)
        table_free(freed[i]);
}

// Free a table and everything below it; `levels` tables deep (3: a PDPT).
// => no mapping left below it.
void free_subtree(u64 entry, unsigned levels)
{
    u64* table = next_table(entry);
    if (!table)
        return;
    if (levels > 1) {
        for (size_t i = 0; i < PT_ENTRIES; ++i)
            free_subtree(table[i], levels - 1);
    } else {
        KASSERT_MSG(table_is_empty(table), "pmap_destroy: a page table still maps pages");
    }
    table_free(entry & PTE_ADDR);
}

// ---- the TLB ------------------------------------------------------------------

bool loaded_here(const Pmap* pmap) { return pmap->is_kernel() || pmap == arch::pmap_active(); }

// The SMP hook. `count` pages of `pmap` (or all, when count > the batch)
// changed; any other CPU that may cache them must invalidate them too.
// With SMP this queues the request for each CPU in `others`, sends them the
// TLB IPI and waits for their acknowledgement (NetBSD: pmap_tlb_shootdown,
// pmap_tlb_shootnow). One CPU runs today: a need for it is a bug.
void tlb_shootdown(const Pmap* pmap, size_t count)
{
    const u32 me = 1u << arch::cpu_id();
    const u32 others = (pmap->is_kernel() ? count_load(s_online_cpus) : count_load(pmap->m_cpus)) & ~me;
    if (others == 0)
        return;
    count_add(s_tlb.shootdowns, 1);
    kern::panic("pmap: TLB shoot-down of %lu pages to CPUs %#x needed, but SMP is not implemented",
                count, others);
}

void flush_all_local(bool global)
{
    count_add(s_tlb.full_flushes, 1);
    if (global) {
        const u64 cr4 = read_cr4();  // toggling PGE drops global entries too
        write_cr4(cr4 & ~CR4_PGE);
        write_cr4(cr4);
    } else {
        write_cr3(read_cr3());
    }
}

// Addresses whose TLB entries must go, flushed at once.
// => interrupts disabled (a pmap lock or the pv lock held) while it lives.
class TlbBatch {
public:
    explicit TlbBatch(Pmap* pmap) : m_pmap(pmap) {}
    ~TlbBatch() { flush(); }
    TlbBatch(const TlbBatch&) = delete;
    TlbBatch& operator=(const TlbBatch&) = delete;

    void add(uptr va)
    {
        if (m_count < MAX)
            m_va[m_count] = va;
        ++m_count;
    }

    void flush()
    {
        if (m_count == 0)
            return;
        if (loaded_here(m_pmap)) {
            if (m_count > MAX) {
                flush_all_local(m_pmap->is_kernel());
            } else {
                for (size_t i = 0; i < m_count; ++i)
                    invlpg(m_va[i]);
                count_add(s_tlb.invlpg, long(m_count));
            }
        }
        tlb_shootdown(m_pmap, m_count);
        m_count = 0;
    }

private:
    static constexpr size_t MAX = 32;  // beyond this a full flush is cheaper
    Pmap* m_pmap;
    uptr m_va[MAX];
    size_t m_count = 0;
};

// ---- range operations ---------------------------------------------------------

// Call fn(pt, va, end) for each page table holding part of [sva, eva), with
// [va, end) the part inside that table; holes are skipped a table at a time.
// => m_lock held.
template <typename Fn> void for_each_pt_locked(Pmap* pmap, uptr sva, uptr eva, Fn fn)
{
    for (uptr va = sva; va < eva;) {
        uptr next = 0;
        u64* pt = find_pt(pmap, va, &next);
        if (!pt) {
            va = next;
            continue;
        }
        const uptr end = min(eva, align_down(va, PT_SPAN) + PT_SPAN);
        fn(pt, va, end);
        va = end;
    }
}

// Remove the mappings in [va, end) of page table `pt`.  => m_lock held.
void remove_ptes_locked(Pmap* pmap, u64* pt, uptr va, uptr end)
{
    KASSERT(pmap->m_lock.is_locked_by_me());
    TlbBatch batch(pmap);
    SpinGuard pv_guard(pv_lock());
    for (; va < end; va += PAGE_SIZE) {
        u64* pte = &pt[pt_index(va)];
        if (remove_pte_locked(pmap, va, pte) & PTE_P)
            batch.add(va);
    }
    batch.flush();  // before a page-side caller can see the page unmapped
}

// Clear `clear` and set `set` in the present PTEs of [va, end).  => m_lock held.
void protect_ptes_locked(Pmap* pmap, u64* pt, uptr va, uptr end, u64 clear, u64 set)
{
    KASSERT(pmap->m_lock.is_locked_by_me());
    TlbBatch batch(pmap);
    SpinGuard pv_guard(pv_lock());
    for (; va < end; va += PAGE_SIZE) {
        u64* pte = &pt[pt_index(va)];
        const u64 old = pte_load(pte);
        if (!(old & PTE_P) || ((old & clear) == 0 && (old & set) == set))
            continue;
        pte_clear_bits(pte, clear);
        pte_set_bits(pte, set);
        batch.add(va);
    }
    batch.flush();
}

u64 make_pte(const Pmap* pmap, PhysAddr pa, vm::Prot prot, u32 flags, bool managed)
{
    u64 pte = pa | PTE_P | (pmap->is_kernel() ? PTE_G : PTE_U);
    if (prot & vm::PROT_WRITE)
        pte |= PTE_W;
    if (!(prot & vm::PROT_EXEC) && cpu_has_nx())
        pte |= PTE_NX;
    if (flags & arch::PMAP_WIRED)
        pte |= PTE_WIRED;
    if (managed)
        pte |= PTE_MANAGED;
    return pte;
}

// Put `npte` (for `page`, nullptr if unmanaged) at `pte`, replacing what was
// there. Takes *pv (sets it to nullptr) if a new pv entry is needed.
// => m_lock and the pv lock held.
void install_pte_locked(Pmap* pmap, uptr va, u64* pte, u64 npte, vm::Page* page, PvEntry** pv)
{
    KASSERT(pmap->m_lock.is_locked_by_me() && pv_lock().is_locked_by_me());
    const u64 old = pte_load(pte);
    const u64 same = PTE_P | PTE_ADDR | PTE_MANAGED;
    if ((old & same) == (npte & same)) {
        // The same page with new rights or wiring: the pv entry stays.
        const u64 prev = pte_exchange(pte, npte);
        if (page)
            pv_save_attrs_locked(*page, prev);
        count_add(pmap->m_wired, long((npte & PTE_WIRED) != 0) - long((prev & PTE_WIRED) != 0));
        tlb_invalidate_page(pmap, va);
        return;
    }
    if (remove_pte_locked(pmap, va, pte) & PTE_P)
        tlb_invalidate_page(pmap, va);
    __atomic_store_n(pte, npte, __ATOMIC_RELEASE);
    count_add(pmap->m_resident, 1);
    if (npte & PTE_WIRED)
        count_add(pmap->m_wired, 1);
    if (page) {
        pv_insert_locked(*page, *pv, pmap, va);
        *pv = nullptr;
    }
}

// => m_lock held.  Errors: ENOMEM (then nothing has changed).
ErrorOr<void> enter_locked(Pmap* pmap, uptr va, u64 npte, vm::Page* page, PvEntry** pv)
{
    auto slot = pte_alloc_locked(pmap, va);
    if (slot.is_error()) {
        prune_path_locked(pmap, va);  // undo: the tables just made are empty
        return slot.error();
    }
    SpinGuard pv_guard(pv_lock());
    install_pte_locked(pmap, va, slot.value(), npte, page, pv);
    return {};
}

// The kernel pmap, made at the first call (see the top comment): wraps the
// boot PML4 and hangs the kernel map's PDPT in slot 384.
void kernel_pmap_init()
{
    SpinGuard guard(s_init_lock);
    if (s_kernel_pmap.m_pml4)
        return;
    const PhysAddr pml4_pa = kernel_pml4();
    KASSERT(pml4_pa != 0);
    u64* pml4 = table_at(pml4_pa);
    const size_t slot = pml4_index(KERNEL_MAP_BASE);
    KASSERT_MSG(!(pml4[slot] & PTE_P), "pmap: the kernel map's PML4 slot is in use");
    memset(s_kernel_map_pdpt, 0, sizeof s_kernel_map_pdpt);
    pml4[slot] = (uptr(s_kernel_map_pdpt) - KERNEL_VMA) | PTE_P | PTE_W;
    const u32 me = 1u << arch::cpu_id();
    s_kernel_pmap.m_pml4_pa = pml4_pa;
    s_kernel_pmap.m_is_kernel = true;
    s_kernel_pmap.m_cpus = me;
    __atomic_fetch_or(&s_online_cpus, me, __ATOMIC_RELAXED);
    __atomic_store_n(&s_kernel_pmap.m_pml4, pml4, __ATOMIC_RELEASE);
}

} // namespace

u64* pte_lookup(Pmap* pmap, uptr va)
{
    uptr unused;
    u64* pt = find_pt(pmap, va, &unused);
    return pt ? &pt[pt_index(va)] : nullptr;
}

void tlb_invalidate_page(Pmap* pmap, uptr va)
{
    TlbBatch batch(pmap);
    batch.add(va);
}

size_t pmap_wired_count(Pmap* pmap) { return count_load(pmap->m_wired); }

TlbStats tlb_stats()
{
    return {count_load(s_tlb.invlpg), count_load(s_tlb.full_flushes), count_load(s_tlb.shootdowns)};
}

} // namespace x86

namespace arch {

using namespace x86;

// The kernel pmap covers the whole kernel half (every address space shares
// it), but pmap_enter/remove/protect/unwire on it accept only the kernel map,
// [KERNEL_MAP_BASE, KERNEL_MAP_BASE + KERNEL_MAP_SIZE): the direct map and
// the image are fixed at boot (kpagetable.cpp). pmap_extract takes any address.
Pmap* pmap_kernel()
{
    if (unlikely(!__atomic_load_n(&s_kernel_pmap.m_pml4, __ATOMIC_ACQUIRE)))
        kernel_pmap_init();
    return &s_kernel_pmap;
}

kern::ErrorOr<Pmap*> pmap_create()
{
    Pmap* kernel = pmap_kernel();
    void* memory = kern::kmalloc(sizeof(Pmap));
    if (!memory)
        return Errno::ENOMEM;
    auto pml4 = table_alloc();
    if (pml4.is_error()) {
        kern::kfree(memory);
        return pml4.error();
    }
    Pmap* pmap = new (memory) Pmap;
    pmap->m_pml4_pa = pml4.value();
    pmap->m_pml4 = table_at(pmap->m_pml4_pa);
    // The user half is zero (a fresh table); the kernel half is shared.
    memcpy(&pmap->m_pml4[256], &kernel->m_pml4[256], 256 * sizeof(u64));
    return pmap;
}

void pmap_destroy(Pmap* pmap)
{
    KASSERT(pmap != nullptr && !pmap->is_kernel());
    KASSERT_MSG(count_load(pmap->m_resident) == 0, "pmap_destroy: %lu mappings left",
                count_load(pmap->m_resident));
    KASSERT_MSG(count_load(pmap->m_cpus) == 0, "pmap_destroy: the pmap is loaded");
    for (size_t i = 0; i < 256; ++i)
        free_subtree(pmap->m_pml4[i], 3);
    table_free(pmap->m_pml4_pa);
    pmap->~Pmap();
    kern::kfree(pmap);
}

void pmap_activate(Pmap* pmap)
{
    KASSERT(pmap != nullptr && pmap->m_pml4 != nullptr);
    IrqState irq = irq_save();
    const unsigned cpu = cpu_id();
    const u32 me = 1u << cpu;
    Pmap* old = pmap_active();
    __atomic_fetch_or(&s_online_cpus, me, __ATOMIC_RELAXED);
    if (old != pmap) {
        // In the shoot-down set before CR3 is loaded: no change is missed.
        __atomic_fetch_or(&pmap->m_cpus, me, __ATOMIC_SEQ_CST);
        write_cr3(pmap->m_pml4_pa);
        __atomic_fetch_and(&old->m_cpus, ~me, __ATOMIC_SEQ_CST);
        s_active[cpu] = pmap;
    }
    irq_restore(irq);
}

Pmap* pmap_active()
{
    IrqState irq = irq_save();
    Pmap* pmap = s_active[cpu_id()];
    irq_restore(irq);
    return pmap ? pmap : pmap_kernel();
}

kern::ErrorOr<void> pmap_enter(Pmap* pmap, uptr va, PhysAddr pa, vm::Prot prot, u32 flags)
{
    check_range(pmap, va, va + PAGE_SIZE);
    KASSERT((pa & ~PTE_ADDR) == 0);
    if (prot == vm::PROT_NONE) {
        pmap_remove(pmap, va, va + PAGE_SIZE);
        return {};
    }
    vm::Page* page = managed_page(pa, flags);
    PvEntry* pv = nullptr;
    if (page && !(pv = pv_alloc()))
        return Errno::ENOMEM;
    const u64 npte = make_pte(pmap, pa, prot, flags, page != nullptr);
    kern::ErrorOr<void> result;
    {
        SpinGuard guard(pmap->m_lock);
        result = enter_locked(pmap, va, npte, page, &pv);
    }
    pv_free(pv);  // nullptr if it was used
    return result;
}

void pmap_remove(Pmap* pmap, uptr sva, uptr eva)
{
    check_range(pmap, sva, eva);
    SpinGuard guard(pmap->m_lock);
    for_each_pt_locked(pmap, sva, eva, [pmap](u64* pt, uptr va, uptr end) {
        remove_ptes_locked(pmap, pt, va, end);
        prune_path_locked(pmap, va);
    });
}

void pmap_protect(Pmap* pmap, uptr sva, uptr eva, vm::Prot prot)
{
    if (prot == vm::PROT_NONE) {
        pmap_remove(pmap, sva, eva);
        return;
    }
    check_range(pmap, sva, eva);
    const u64 clear = (prot & vm::PROT_WRITE) ? 0 : PTE_W;
    const u64 set = (!(prot & vm::PROT_EXEC) && cpu_has_nx()) ? PTE_NX : 0;
    if (clear == 0 && set == 0)
        return;
    SpinGuard guard(pmap->m_lock);
    for_each_pt_locked(pmap, sva, eva, [=](u64* pt, uptr va, uptr end) {
        protect_ptes_locked(pmap, pt, va, end, clear, set);
    });
}

// Unwiring a mapping that is not wired does nothing; one that is not
// mapped is a bug of the caller (the VM layer promised to keep it).
void pmap_unwire(Pmap* pmap, uptr va)
{
    check_range(pmap, va, va + PAGE_SIZE);
    SpinGuard guard(pmap->m_lock);
    SpinGuard pv_guard(pv_lock());
    u64* pte = pte_lookup(pmap, va);
    KASSERT_MSG(pte && (pte_load(pte) & PTE_P), "pmap_unwire: %#lx is not mapped", va);
    if (pte_clear_bits(pte, PTE_WIRED) & PTE_WIRED)
        count_add(pmap->m_wired, -1);
}

// Any address: also the kernel's 2 MiB and 1 GiB pages (the direct map).
bool pmap_extract(Pmap* pmap, uptr va, PhysAddr* pa)
{
    SpinGuard guard(pmap->m_lock);
    const u64* table = pmap->m_pml4;
    for (unsigned level = 0; level < 4; ++level) {
        const u64 entry = pte_load(&table[index_at(level, va)]);
        if (!(entry & PTE_P))
            return false;
        if (level == 3 || (level > 0 && (entry & PTE_PS))) {
            const u64 span = 1ull << LEVEL_SHIFT[level];
            if (pa)
                *pa = (entry & PTE_ADDR & ~(span - 1)) + (va & (span - 1));
            return true;
        }
        table = table_at(entry & PTE_ADDR);
    }
    VERIFY_NOT_REACHED();
}

// Every operation flushed its TLB work before returning (TlbBatch), so no
// work is deferred; the call stays in the interface for a pmap that batches
// across calls (NetBSD defers shoot-downs to pmap_update).
void pmap_update(Pmap* pmap)
{
    KASSERT(pmap != nullptr);
    asm volatile("" ::: "memory");
}

void tlb_flush_local() { x86::flush_all_local(false); }

size_t pmap_table_pages() { return count_load(s_table_pages); }
size_t pmap_resident_count(Pmap* pmap) { return count_load(pmap->m_resident); }

} // namespace arch
