// fs/ffs/ffs_object.cpp -- the vnode pager: a regular file's pages and its
// blocks (UVM's uvn_get/uvn_put over NetBSD's genfs_getpages/putpages).
//
// A file's VM object (FfsObject, fs/ffs/ffs_node.h) caches its pages in the
// object's page tree, like every object. What makes it a vnode pager:
//
//   get_page_locked(off, access)         put_pages_locked(start, end, flags)
//     resident?          -> that page      for each resident page in range:
//     lbn = off / bsize                      PUT_CLEAN and DIRTY:
//     bno = bmap(lbn)                          write-protect its mappings,
//     hole and a write:  -> balloc, zero       write it to bmap(lbn), clean
//     hole, a read:      -> zero page          PUT_FREE: free it (unwritten
//     past the size:     -> zero page             without PUT_CLEAN)
//       (a block a write() in progress
//        just gave: contents undefined)
//     else: read block bno into a new page
//
// One block is one page (the mount insists on 4 KiB blocks), so a page's
// I/O is one request of one block, submitted and waited for with the
// object's lock held: simple, and nothing else can touch the page while it
// is being read (NetBSD marks pages busy instead and drops the lock; ours
// costs concurrency on one file, not correctness). Read-ahead and
// clustered writes are later steps (docs/ffs.md, "What is missing").
//
// Dirty tracking. The object says tracks_writes(): a read fault maps a page
// read-only, so the first store faults again with PROT_WRITE, comes here,
// and marks the page DIRTY (vm/fault.cpp); cleaning write-protects the page
// again (pmap_page_protect). So every page whose contents differ from its
// block is DIRTY, and a store into a hole gets its block at fault time,
// where ENOSPC can still be reported (SIGBUS) instead of losing data later.
//
// References: the object counts on its node (reference = ref, detach =
// unref), as UVM's vnode objects count on their vnode.
#include <arch/pmap.h>
#include <fs/block/bufcache.h>
#include <fs/ffs/ffs_mount.h>
#include <kernel/base/page/page_allocator.h>

namespace fs::ffs {

using kern::MutexGuard;

FfsObject::~FfsObject() { KASSERT(m_pages.is_empty()); }

void FfsObject::reference() { m_node.ref(); }
void FfsObject::detach() { m_node.unref(); }
void FfsObject::destroy() { KASSERT_MSG(false, "FfsObject::destroy: its count is its vnode's"); }

namespace {

// Move one page-sized block between `page` and the disk. Errors: EIO.
ErrorOr<void> page_io(FfsMount& ffs, vm::Page& page, u32 bno, bool read)
{
    block::Buf bp;
    block::bio_prepare(bp, ffs.device(), ffs.sector_of(bno), vm::page_allocator().virt_of(page), PAGE_SIZE,
                       read ? block::Buf::B_READ : 0);
    return block::bio_sync(bp);
}

} // namespace

ErrorOr<vm::Page*> FfsObject::get_page_locked(u64 offset, vm::Access access)
{
    KASSERT(m_lock.is_locked_by_me());
    if (vm::Page* page = lookup_page_locked(offset))
        return page;
    FfsMount& ffs = m_node.ffs();
    const u64 lbn = offset >> ffs.sb().fs_bshift;
    u32 bno;
    bool fresh = false, past_end = false;
    {
        MutexGuard guard(m_node.m_din_lock);
        const u64 size = m_node.size_locked();
        const u64 end = max(size, m_node.m_write_end);
        if (offset >= align_up(end, PAGE_SIZE))
            return Errno::EFAULT;  // a fault past the end of the file: SIGBUS
        bno = (access & vm::PROT_WRITE) ? TRY(m_node.balloc_locked(lbn, fresh)) : TRY(m_node.bmap_locked(lbn));
        // Inside the file but past its recorded size: a block a write() in
        // progress has just allocated (its contents are not data yet).
        past_end = offset >= size;
    }
    vm::Page* page = TRY(vm::page_allocator().allocate());
    if (bno == 0 || fresh || past_end) {
        vm::page_allocator().zero_page(*page);
    } else if (auto read = page_io(ffs, *page, bno, true); read.is_error()) {
        vm::page_allocator().free(page);
        ffs.report(m_node.ino(), "a data block could not be read");
        return read.error();
    }
    if (fresh || (access & vm::PROT_WRITE))
        page->m_flags |= vm::Page::DIRTY;
    insert_page_locked(*page, offset);
    return page;
}

// Write one dirty page to its block (allocating it if the page was made
// for a read of a hole and then written: ubc_write gives blocks first, so
// this is only a safety net). => m_lock held. Errors: EIO, ENOSPC.
ErrorOr<void> FfsObject::write_page_locked(vm::Page& page)
{
    FfsMount& ffs = m_node.ffs();
    u32 bno;
    {
        MutexGuard guard(m_node.m_din_lock);
        bool fresh;
        bno = TRY(m_node.balloc_locked(page.m_offset >> ffs.sb().fs_bshift, fresh));
    }
    arch::pmap_page_protect(page, vm::PROT_READ);  // the next store faults: DIRTY again
    page.m_flags &= ~vm::Page::DIRTY;
    auto written = page_io(ffs, page, bno, false);
    if (written.is_error()) {
        page.m_flags |= vm::Page::DIRTY;
        ffs.report(m_node.ino(), "a data block could not be written");
    }
    return written;
}

ErrorOr<void> FfsObject::put_pages_locked(u64 start, u64 end, u32 flags)
{
    KASSERT(m_lock.is_locked_by_me());
    ErrorOr<void> first;
    vm::Page* page = m_pages.lower_bound(start);
    while (page && page->m_offset < end) {
        if ((flags & vm::PUT_CLEAN) && page->has(vm::Page::DIRTY)) {
            auto written = write_page_locked(*page);
            if (written.is_error() && !first.is_error())
                first = written;
        }
        if (!(flags & vm::PUT_FREE) || page->m_wire_count > 0) {
            page = m_pages.next(*page);
            continue;
        }
        if (page->m_hold_count > 0) {
            // read()/write() is copying through it: wait, then look again.
            const u64 offset = page->m_offset;
            wait_for_holds_locked(*page);
            page = m_pages.lower_bound(offset);
            continue;
        }
        if ((flags & vm::PUT_CLEAN) && page->has(vm::Page::DIRTY)) {
            page = m_pages.next(*page);  // could not be written: keep it
            continue;
        }
        vm::Page* next = m_pages.next(*page);
        free_page_locked(*page);
        page = next;
    }
    return first;
}

} // namespace fs::ffs
