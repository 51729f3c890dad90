// vm/object.h -- VmObject: memory with a pager behind it.
//
// A VmObject is a source of pages addressed by byte offset: an anonymous
// object (vm/aobj.h, for tmpfs files and shared anonymous memory), later a
// vnode (a file of a block file system, whose pager reads and writes blocks).
// The object caches its resident pages in a red-black tree keyed by offset;
// a page in the tree has Page::OBJECT set and m_object/m_offset filled in.
// Map entries reference objects; the fault handler asks the object for the
// page at an offset; read()/write() (the UBC chapter) go through the same
// pages, so file data lives in memory once.
//
// The pager operations are UVM's pgo_* as virtual functions:
//   get_page_locked   the page at an offset, brought in if needed (pgo_get)
//   put_pages_locked  clean and/or free pages in a range (pgo_put)
//   reference/detach  reference counting (pgo_reference, pgo_detach); the last
//                     detach destroys the object and frees its pages
//
// Locking: m_lock (a Mutex) guards the page tree and the pages' OBJECT
// fields. Lock order: docs/locking.md.
#pragma once

#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/rbtree.h>
#include <kernel/base/sync/condvar.h>
#include <kernel/base/sync/mutex.h>
#include <kernel/base/page/page.h>
#include <vm/vm.h>

namespace vm {

// Flags for put_pages_locked.
constexpr u32 PUT_CLEAN = 1u << 0;  // write dirty pages to the backing store
constexpr u32 PUT_FREE = 1u << 1;   // then free them (and their mappings)

struct PageByOffset {
    using Key = u64;
    static u64 key(const Page& p) { return p.m_offset; }
};
using PageTree = kern::RbTree<Page, &Page::m_object_node, PageByOffset>;

class VmObject {
public:
    VmObject(const VmObject&) = delete;
    VmObject& operator=(const VmObject&) = delete;

    // ---- pager operations ----
    // The page at `offset` (page-aligned), resident in this object on return.
    // `access` says what the caller will do (a pager may prepare differently
    // for a write). => m_lock held. Errors: ENOMEM, EIO (pager), EFAULT (beyond
    // the object's end, for pagers that have one), ENOSPC (a pager with a
    // limit on its pages: vm/aobj.h:PageBudget).
    virtual kern::ErrorOr<Page*> get_page_locked(u64 offset, Access access) = 0;
    // Pages in [start, end): with PUT_CLEAN write the dirty ones back; with
    // PUT_FREE remove them from every pmap and free them. => m_lock held.
    // Errors: EIO.
    virtual kern::ErrorOr<void> put_pages_locked(u64 start, u64 end, u32 flags) = 0;

    // One more reference (a map entry, an open file, ...).
    virtual void reference();
    // Drop a reference; the last one destroys the object. => m_lock not held.
    // A vnode's object (fs/ffs/ffs_node.h) overrides both to count on its
    // vnode instead, as UVM's vnode pager does (pgo_reference = vref): the
    // object lives exactly as long as the vnode it is part of.
    virtual void detach();

    // ---- what the layers above need to know about a pager ----
    // Does a page that is not resident still have contents somewhere (a
    // disk block)? Then read() must ask the pager for it (fs/ubc/ubc.cpp)
    // rather than read zeros, which is right for an aobj's never-written
    // page. The default: no (anonymous memory: an aobj answers per offset,
    // absent_page_has_data_locked, where its pages are on swap).
    virtual bool absent_pages_have_data() const { return false; }
    // The same question about one offset, with the lock held: an aobj
    // answers yes exactly where a page is on swap. => m_lock held.
    virtual bool absent_page_has_data_locked(u64 offset) const
    {
        UNUSED(offset);
        return absent_pages_have_data();
    }
    // Must the pager see the first write to each page (to give it a disk
    // block, and to know it is dirty)? Then a read fault maps the page
    // read-only, so that a later store faults again with PROT_WRITE
    // (vm/fault.cpp:fault_object), and the pager write-protects a page
    // when it cleans it. The default: no (an aobj page is always dirty).
    virtual bool tracks_writes() const { return false; }

    // ---- page-out (the page daemon, vm/pageout.cpp) ----
    // Clean and free these resident pages of this object, which the page
    // daemon took off the inactive queue (none wired, held or BUSY). Pages
    // that cannot be freed now are put back on the active queue. Returns the
    // number freed. The default, for pagers with a file behind them: write
    // a dirty page back (put_pages_locked PUT_CLEAN), then free it; an aobj
    // writes its pages to swap instead (vm/aobj.cpp). => m_lock held.
    virtual size_t pageout_locked(Page* const* pages, size_t count);

    // ---- the resident page tree ----
    // => m_lock held. nullptr if no page is resident at `offset`.
    Page* lookup_page_locked(u64 offset) const;
    // Insert an allocated page at `offset`; sets OBJECT, m_object, m_offset.
    // => m_lock held, no page at offset.
    void insert_page_locked(Page& page, u64 offset);
    // Remove a page from the tree (not freed). => m_lock held.
    void remove_page_locked(Page& page);
    // Remove the page from every pmap, from the tree, and free it.
    // => m_lock held, page not wired.
    void free_page_locked(Page& page);
    size_t resident_pages_locked() const { return m_pages.size(); }
    // Walking a range in offset order: the first resident page at or after
    // `offset`, and the resident page after `page` (nullptr at the end). A
    // walk of k pages costs O(log n + k), where k lookups cost O(k log n).
    // => m_lock held.
    Page* first_page_from_locked(u64 offset) const { return m_pages.lower_bound(offset); }
    Page* next_page_locked(const Page& page) const { return m_pages.next(page); }

    // ---- whole-page overwrites (UVM's PGO_OVERWRITE) ----
    // Put `page` -- allocated by the caller and already filled, every byte,
    // with the data that belongs at `offset` -- into the object as the page
    // at `offset`, DIRTY. This is how write() makes a page it overwrites
    // whole (fs/ubc/ubc.cpp): get_page_locked would first zero it (or read
    // it from the backing store), only to have every byte replaced.
    // => m_lock held, no page resident at offset. A pager with a copy of
    // that offset elsewhere (an aobj's swap slot) forgets it: it is stale.
    // Errors: ENOSPC (a pager with a limit: vm/aobj.h:PageBudget); the page is
    // then not taken, the caller still owns it.
    virtual kern::ErrorOr<void> install_filled_page_locked(Page& page, u64 offset);

    // ---- holds (fs/ubc/ubc.h): pages copied through without m_lock ----
    // => m_lock held.
    void hold_page_locked(Page& page);
    // Drop a hold; the last one wakes waiters. => m_lock held.
    void release_hold_locked(Page& page);
    // Sleep until `page` has no holds. m_lock is released while asleep, so
    // the page may be gone on return: look it up again. => m_lock held.
    void wait_for_holds_locked(Page& page);
    PageTree& pages_locked() { return m_pages; }

    kern::Mutex& lock() { return m_lock; }
    u32 ref_count() const { return __atomic_load_n(&m_ref_count, __ATOMIC_RELAXED); }

protected:
    VmObject() = default;
    // Called by the last detach(): free everything and delete the object.
    virtual void destroy() = 0;
    virtual ~VmObject();

    mutable kern::Mutex m_lock;
    PageTree m_pages;  // guarded by m_lock
    kern::CondVar m_holds_done;
    u32 m_ref_count = 1;
};

} // namespace vm
