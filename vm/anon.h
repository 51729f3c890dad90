// vm/anon.h -- Anon: one page of anonymous memory, shared by reference count.
//
// Anonymous memory (the heap, the stack, private copies of file pages) has no
// file behind it. UVM represents each such page by an anon: a reference-counted
// holder of one page (resident) or of one swap slot (paged out; the page
// daemon chapter adds swap). Amaps (vm/amap.h) hold references to anons, one
// per slot; after fork, parent and child amaps point at the *same* anons, and
// the reference count says how many amap slots share the page. A write fault
// on an anon with m_ref_count > 1 copies it first ("promote", vm/fault.cpp).
//
// Locking: an anon is guarded by the lock of the amaps that reference it.
// Amaps that share anons (an amap and its copies) share one lock (AmapLock in
// vm/amap.h), so "the anon's lock" is well defined. See docs/vm.md.
//
// Swap: the page daemon (vm/pageout.cpp) may write an anon's page to a swap
// slot and free it; the anon then holds the slot instead (m_page nullptr,
// m_swap_slot set), and page_in_locked() reads it back at the next touch.
// An anon holds a page or a slot, never both: reading a page back frees its
// slot (the page is dirty again at once -- simpler than UVM, which keeps
// the slot of a page only read, at the price of a second write later).
//
// Accounting: every resident anon page is counted in vm::stats().anon_pages.
#pragma once

#include <kernel/base/lib/error_or.h>
#include <kernel/base/page/page.h>

namespace vm {

struct AmapLock;

struct Anon {
    // Returns a new anon with a fresh zero-filled page, m_ref_count 1.
    // Errors: ENOMEM.
    static kern::ErrorOr<Anon*> create_zeroed();
    // Returns a new anon holding a copy of `src`'s bytes, m_ref_count 1.
    // Errors: ENOMEM.
    static kern::ErrorOr<Anon*> create_copy(const Page& src);

    // Drop one reference; at zero, free the page (removing every pmap mapping
    // of it first), the swap slot and the anon. => amap lock held.
    void unref_locked();

    // The anon's page, read back from swap first if it is out (a major
    // fault). => amap lock held. Errors: ENOMEM, EIO (the slot could not be
    // read; the anon keeps it).
    // `may_oom`: as allocate_user_page's (false for swapoff).
    kern::ErrorOr<Page*> page_in_locked(bool may_oom = true);

    // Read-ahead: bring in anons[0..count), whose slots are consecutive
    // (anons[i]->m_swap_slot == anons[0]->m_swap_slot + i), with one
    // request. anons[0] is the one a fault needs (its page is waited for);
    // the others get pages only if memory is plentiful. Returns how many
    // came in (at least 1). => amap lock held. Errors: as page_in_locked.
    static kern::ErrorOr<size_t> page_in_run_locked(Anon* const* anons, size_t count,
                                                    bool may_oom = true);

    // Page-out (vm/pageout.cpp): the page has been written to `slot`; free
    // it and keep the slot. => amap lock held, the page unmapped everywhere.
    void page_out_locked(u32 slot);

    // Guarded by the amap lock.
    u32 m_ref_count = 0;
    Page* m_page = nullptr;   // resident page (ANON set, m_anon == this), or nullptr
    u32 m_swap_slot = 0;      // 0: none; else the slot holding the page (m_page nullptr)
    // The lock of the amaps holding this anon, set when the first amap takes
    // it (vm/amap.cpp): the page daemon reaches the lock from the page.
    // Written under that lock, read by the daemon under the page-queue lock
    // (atomically: nullptr means "not in an amap yet, skip it").
    AmapLock* m_lock = nullptr;
};

} // namespace vm
