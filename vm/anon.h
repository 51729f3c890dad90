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
// Accounting: every anon page is counted in vm::stats().anon_pages.
#pragma once

#include <kernel/base/lib/error_or.h>
#include <kernel/base/page/page.h>

namespace vm {

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

    // Guarded by the amap lock.
    u32 m_ref_count = 0;
    Page* m_page = nullptr;   // resident page (ANON set, m_anon == this), or nullptr
    u32 m_swap_slot = 0;      // 0: none. Filled in by the swap chapter.
};

} // namespace vm
