// vm/aobj.h -- AnonObject: the anonymous-object pager (UVM's aobj).
//
// An object whose pages come from nowhere: the first get of an offset makes
// a zero-filled page; later gets find it in the page tree. Used for tmpfs
// file data (each regular file is one aobj) and for shared anonymous memory
// (MAP_SHARED|MAP_ANONYMOUS). Holes cost nothing: a page exists only once
// touched.
//
// Swap: the page daemon (vm/pageout.cpp) writes aobj pages to swap and frees
// them (pageout_locked); the object then remembers the swap slot of that
// page index, and the next get reads it back and frees the slot. Freeing a
// range (truncate, unlink) frees its slots with its pages; a page
// overwritten whole (install_filled_page_locked) frees its stale slot. A
// swapped-out page still counts against the object's PageBudget: the budget
// is the file's size limit, not its memory.
//
// Accounting: every aobj page is counted in vm::stats().object_pages.
// An aobj may also draw on a PageBudget: a limit shared by several objects
// (a tmpfs mount's size=, fs/tmpfs/tmpfs_mount.h). Every page the object
// makes -- get_page_locked for a fault or a partial write,
// install_filled_page_locked for a whole-page write -- is charged to it
// first, and refused with ENOSPC when the budget is spent; every page it
// frees is given back. So the limit holds whichever way a page is made:
// write(2), a store through a shared mapping (whose fault then gets
// ENOSPC: SIGBUS), or a read fault.
#pragma once

#include <vm/object.h>
#include <vm/swap.h>

namespace vm {

// A count of pages with a limit, shared by objects. Thread-safe: called
// with an object lock held, so it must not sleep or take object locks.
class PageBudget {
public:
    // Take `pages` if they fit. Returns false (nothing taken) if they do not.
    virtual bool charge(size_t pages) = 0;
    virtual void uncharge(size_t pages) = 0;

protected:
    ~PageBudget() = default;
};

class AnonObject final : public VmObject, public SwapOwner {
public:
    // Returns an empty object with one reference. Errors: ENOMEM.
    static kern::ErrorOr<AnonObject*> create();

    kern::ErrorOr<Page*> get_page_locked(u64 offset, Access access) override;
    // PUT_FREE frees resident pages (and forgets swap slots) in [start, end);
    // PUT_CLEAN alone does nothing (there is no backing store but swap).
    kern::ErrorOr<void> put_pages_locked(u64 start, u64 end, u32 flags) override;
    // Errors: also ENOSPC (the budget is spent).
    kern::ErrorOr<void> install_filled_page_locked(Page& page, u64 offset) override;
    // An absent page has data exactly where it is on swap.
    bool absent_page_has_data_locked(u64 offset) const override { return swap_slot_locked(offset) != 0; }
    // Write the pages to swap in clusters and free them.
    size_t pageout_locked(Page* const* pages, size_t count) override;
    kern::ErrorOr<bool> swap_off_range(u32 first, u32 end) override;

    // Draw on `budget` from now on (nullptr: none). Pages already resident
    // are not moved between budgets: set it while the object is empty, or
    // settle them yourself (the caller of a switch to nullptr uncharges
    // the resident pages). => lock held.
    void set_budget_locked(PageBudget* budget);

    // Swap slot of the page at `offset`, 0 if none. => lock held.
    u32 swap_slot_locked(u64 offset) const;
    // => lock held. Errors: ENOMEM (the slot table may grow). The slot
    // (if any) is the caller's to free; tests use this.
    kern::ErrorOr<void> set_swap_slot_locked(u64 offset, u32 slot);
    size_t swapped_pages_locked() const { return m_swap.size(); }

private:
    AnonObject() = default;
    ~AnonObject() override;
    void destroy() override;

    // The swap-slot table (guarded by m_lock): one record per swapped-out
    // page index, in a tree (docs/pageout.md).
    struct SwapRecord {
        kern::RbNode m_node;
        u64 m_index;
        u32 m_slot;
    };
    struct SwapByIndex {
        using Key = u64;
        static u64 key(const SwapRecord& r) { return r.m_index; }
    };
    kern::RbTree<SwapRecord, &SwapRecord::m_node, SwapByIndex> m_swap;

    // Delete the swap records of page indexes [first, last] and free their
    // slots. => lock held.
    void drop_swap_records_locked(u64 first, u64 last);
    // Read the page at `offset` back from `slot`. => lock held.
    kern::ErrorOr<Page*> page_in_locked(u64 offset, u32 slot, bool may_oom = true);

    PageBudget* m_budget = nullptr;  // guarded by m_lock
};

} // namespace vm
