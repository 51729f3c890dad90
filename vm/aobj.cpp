// vm/aobj.cpp -- AnonObject: the anonymous-object pager (see vm/aobj.h).
//
// What it is. The pager of memory that belongs to no file: tmpfs file data
// and MAP_SHARED|MAP_ANONYMOUS mappings. Its pages come from nowhere: the
// first get of an offset allocates a zero-filled page and puts it in the
// object's page tree (VmObject::m_pages); the next get finds it there.
// Offsets never touched cost nothing, so a file with bytes at 0 and at
// 100 MiB holds two pages.
//
//   get_page_locked(off)     tree hit?  -> that page
//                            else       -> charge the budget (if any; ENOSPC),
//                                          new zeroed page, inserted at off
//   install_filled_page_locked(p, off)
//                            a page the caller filled whole (a write of
//                            all of it, fs/ubc): put in as is, not zeroed
//   put_pages_locked(s,e,F)  PUT_FREE: free the pages in [s, e) (unmapping
//                            them first; a held page is waited for),
//                            give them back to the budget and forget
//                            their swap slots
//   last detach -> destroy   free every page and swap record, delete
//
// Data structures. The page tree (VmObject) and the swap-slot table: a
// red-black tree of SwapRecord {page index, slot}, one per page that the
// page daemon wrote to swap (pageout_locked). get_page_locked reads such a
// page back and frees its slot; freeing a range frees its slots too.
//
// Invariants (KASSERT): a record's slot is never 0 (0 means "none", so
// setting 0 removes the record); no page is freed while wired or BUSY; the
// object dies with both trees empty.
//
// DIRTY. A new aobj page is marked DIRTY: with no file behind it, the page
// is the only copy of its data, and the page daemon must write it to swap
// before it may free it.
//
// Locking: VmObject::m_lock guards both trees. Lock order: docs/locking.md.
//
// Read more: NetBSD sys/uvm/uvm_aobj.c (uao_create, uao_get, uao_put,
// uao_detach, uao_find_swslot, uao_set_swslot; UVM keeps the slots in an
// array for small objects and a hash of 16-page clusters for large ones --
// one tree is simpler and still O(log n)), and Cranor & Parulkar, "The UVM
// Virtual Memory System" (USENIX 1999). Design only; our own code.
#include <new>
#include <arch/pmap.h>
#include <vm/aobj.h>
#include <kernel/base/page/page_allocator.h>
#include <kernel/base/sched/sched.h>
#include <vm/pageq.h>
#include <vm/stats.h>

namespace vm {

using kern::Errno;
using kern::ErrorOr;
using kern::MutexGuard;

ErrorOr<AnonObject*> AnonObject::create()
{
    AnonObject* object = new (std::nothrow) AnonObject;
    if (!object)
        return Errno::ENOMEM;
    swap_owner_add(*object);
    return object;
}

// => destroy() freed every page and record.
AnonObject::~AnonObject()
{
    KASSERT_MSG(m_swap.is_empty(), "AnonObject destroyed with %zu swap records", m_swap.size());
}

// The last reference is gone: nobody else can reach the object.
void AnonObject::destroy()
{
    KASSERT(ref_count() == 0);
    swap_owner_remove(*this);  // before the lock: swap_off try_locks it under the list's
    {
        MutexGuard guard(m_lock);
        MUST(put_pages_locked(0, ~u64(0), PUT_FREE));
    }
    delete this;
}

// ---- the pager -------------------------------------------------------------------

// => lock held, offset page-aligned. Errors: ENOMEM. The access kind does not
// matter: a zero page serves reads and writes alike.
ErrorOr<Page*> AnonObject::get_page_locked(u64 offset, Access access)
{
    UNUSED(access);
    KASSERT(m_lock.is_locked_by_me());
    KASSERT(is_page_aligned(offset));
    if (Page* page = lookup_page_locked(offset))
        return page;
    if (u32 slot = swap_slot_locked(offset))
        return page_in_locked(offset, slot);  // already charged to the budget
    if (m_budget && !m_budget->charge(1))
        return Errno::ENOSPC;
    auto allocated = allocate_user_page();
    if (allocated.is_error()) {
        if (m_budget)
            m_budget->uncharge(1);
        return allocated.error();
    }
    Page* page = allocated.value();
    page_allocator().zero_page(*page);
    page->m_flags |= Page::DIRTY;
    insert_page_locked(*page, offset);  // counts it in stats().object_pages
    return page;
}

// A page the caller filled whole (a write() of all of it): no zeroing; a
// swap slot for the offset would hold stale data now. A page on swap was
// charged already. => lock held.
ErrorOr<void> AnonObject::install_filled_page_locked(Page& page, u64 offset)
{
    KASSERT(m_lock.is_locked_by_me());
    if (swap_slot_locked(offset) == 0 && m_budget && !m_budget->charge(1))
        return Errno::ENOSPC;
    drop_swap_records_locked(offset >> PAGE_SHIFT, offset >> PAGE_SHIFT);
    return VmObject::install_filled_page_locked(page, offset);
}

void AnonObject::set_budget_locked(PageBudget* budget)
{
    KASSERT(m_lock.is_locked_by_me());
    m_budget = budget;
}

// => lock held, start page-aligned, start <= end (end may be ~0: "to the end").
ErrorOr<void> AnonObject::put_pages_locked(u64 start, u64 end, u32 flags)
{
    KASSERT(m_lock.is_locked_by_me());
    KASSERT(is_page_aligned(start) && start <= end);
    if (!(flags & PUT_FREE) || start == end)
        return {};  // PUT_CLEAN alone: no backing store but swap, nothing to do
    Page* page = m_pages.lower_bound(start);
    while (page && page->m_offset < end) {
        if (page->m_hold_count > 0) {
            // A read()/write() is copying through it (fs/ubc/ubc.h): wait,
            // then look again -- the lock was dropped while asleep.
            const u64 offset = page->m_offset;
            wait_for_holds_locked(*page);
            page = m_pages.lower_bound(offset);
            continue;
        }
        Page* next = m_pages.next(*page);  // fetch before the page leaves the tree
        free_page_locked(*page);           // asserts: not wired, not BUSY, not held
        if (m_budget)
            m_budget->uncharge(1);
        page = next;
    }
    // Pages on swap in the range leave the budget too, with their slots.
    if (m_budget) {
        size_t swapped = 0;
        for (SwapRecord* r = m_swap.lower_bound(start >> PAGE_SHIFT);
             r && r->m_index <= (end - 1) >> PAGE_SHIFT; r = m_swap.next(*r))
            ++swapped;
        if (swapped)
            m_budget->uncharge(swapped);
    }
    drop_swap_records_locked(start >> PAGE_SHIFT, (end - 1) >> PAGE_SHIFT);
    return {};
}

// ---- swap ----------------------------------------------------------------------------

// => lock held; `slot` is offset's. The slot is freed once the page is in.
ErrorOr<Page*> AnonObject::page_in_locked(u64 offset, u32 slot, bool may_oom)
{
    Page* page = TRY(allocate_user_page(may_oom));
    auto read = swap_read(*page, slot);
    if (read.is_error()) {
        page_allocator().free(page);
        return read.error();
    }
    drop_swap_records_locked(offset >> PAGE_SHIFT, offset >> PAGE_SHIFT);  // frees the slot
    page->m_flags |= Page::DIRTY;
    insert_page_locked(*page, offset);
    stat_add(stats().faults_swap_in);
    kern::account_major_fault();
    return page;
}

// The pages come from the inactive queue (vm/pageout.cpp): resident here,
// not wired, held or BUSY. Each needs a record for its slot first; a page
// whose record cannot be had, or that could not be written, goes back on
// the active queue. => lock held.
size_t AnonObject::pageout_locked(Page* const* pages, size_t count)
{
    KASSERT(m_lock.is_locked_by_me());
    constexpr size_t MAX = 32;
    KASSERT(count <= MAX);
    Page* out[MAX];
    SwapRecord* records[MAX];
    size_t n = 0;
    for (size_t i = 0; i < count; ++i) {
        SwapRecord* record = new (std::nothrow) SwapRecord;
        if (!record) {
            pageq_activate(*pages[i]);
            continue;
        }
        arch::pmap_page_protect(*pages[i], PROT_NONE);  // no store may race the write
        records[n] = record;
        out[n++] = pages[i];
    }
    u32 slots[MAX];
    swap_out_cluster(out, n, slots);
    size_t freed = 0;
    for (size_t i = 0; i < n; ++i) {
        if (slots[i] == 0) {
            delete records[i];
            pageq_activate(*out[i]);
            continue;
        }
        records[i]->m_index = out[i]->m_offset >> PAGE_SHIFT;
        records[i]->m_slot = slots[i];
        m_swap.insert(*records[i]);
        free_page_locked(*out[i]);  // not uncharged: the page is still the file's
        ++freed;
    }
    return freed;
}

ErrorOr<bool> AnonObject::swap_off_range(u32 first, u32 end)
{
    if (!m_lock.try_lock())
        return false;
    ErrorOr<bool> result = true;
    SwapRecord* record = ref_count() > 0 ? m_swap.first() : nullptr;
    while (record) {
        SwapRecord* next = m_swap.next(*record);
        if (record->m_slot >= first && record->m_slot < end) {
            const u64 index = record->m_index;
            auto in = page_in_locked(index << PAGE_SHIFT, record->m_slot, false);  // deletes record
            if (in.is_error()) {
                result = in.error();
                break;
            }
            next = m_swap.lower_bound(index + 1);
        }
        record = next;
    }
    m_lock.unlock();
    return result;
}

// ---- the swap-slot table -----------------------------------------------------------

// Forget the records of page indexes [first, last] (inclusive, so that the
// last index of the 64-bit range can be named). => lock held.
void AnonObject::drop_swap_records_locked(u64 first, u64 last)
{
    SwapRecord* record = m_swap.lower_bound(first);
    while (record && record->m_index <= last) {
        SwapRecord* next = m_swap.next(*record);
        m_swap.remove(*record);
        swap_free(record->m_slot);
        delete record;
        record = next;
    }
}

u32 AnonObject::swap_slot_locked(u64 offset) const
{
    KASSERT(m_lock.is_locked_by_me());
    const SwapRecord* record = m_swap.find(offset >> PAGE_SHIFT);
    return record ? record->m_slot : 0;
}

// Slot 0 removes the record. => lock held, offset page-aligned. Errors: ENOMEM
// (only when a new record is needed; the table is unchanged then).
ErrorOr<void> AnonObject::set_swap_slot_locked(u64 offset, u32 slot)
{
    KASSERT(m_lock.is_locked_by_me());
    KASSERT(is_page_aligned(offset));
    const u64 index = offset >> PAGE_SHIFT;
    SwapRecord* record = m_swap.find(index);
    if (slot == 0) {
        if (record) {
            m_swap.remove(*record);  // the slot stays the caller's
            delete record;
        }
        return {};
    }
    if (record) {
        record->m_slot = slot;
        return {};
    }
    record = new (std::nothrow) SwapRecord;
    if (!record)
        return Errno::ENOMEM;
    record->m_index = index;
    record->m_slot = slot;
    m_swap.insert(*record);
    return {};
}

} // namespace vm
