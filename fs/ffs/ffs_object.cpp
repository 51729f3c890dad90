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
// One block is one page (the mount insists on 4 KiB blocks). Pages go in
// batches (PageBatch): a sequential reader's miss reads up to 15 following
// blocks with it (read-ahead), and write-back sends up to 16 dirty pages
// at once (clustered write-back); pages whose blocks are contiguous on the
// disk share one request over their page list. The object's lock is held across
// the I/O: simple, and nothing else can touch the pages meanwhile (NetBSD
// marks pages busy instead and drops the lock; ours costs concurrency on
// one file, not correctness).
//
// Dirty tracking. The object says tracks_writes(): a read fault maps a page
// read-only, so the first store faults again with PROT_WRITE, comes here,
// and marks the page DIRTY (vm/fault.cpp); cleaning write-protects the page
// again (pmap_page_protect). So every page whose contents differ from its
// block is DIRTY, and a store into a hole gets its block at fault time --
// also into a resident zero page of a hole -- where ENOSPC can still be
// reported (SIGBUS) instead of losing data later.
//
// References: the object counts on its node (reference = ref, detach =
// unref), as UVM's vnode objects count on their vnode.
#include <arch/pmap.h>
#include <fs/block/bufcache.h>
#include <fs/ffs/ffs_mount.h>
#include <kernel/base/page/page_allocator.h>
#include <vm/pageq.h>

namespace fs::ffs {

using kern::MutexGuard;

FfsObject::~FfsObject() { KASSERT(m_pages.is_empty()); }

void FfsObject::reference() { m_node.ref(); }
void FfsObject::detach() { m_node.unref(); }
void FfsObject::destroy() { KASSERT_MSG(false, "FfsObject::destroy: its count is its vnode's"); }

// Up to CLUSTER pages moved at once. Pages whose blocks are contiguous on
// the disk go as one request over their page list (bio_prepare_pages:
// 4.4BSD's clustering), and every request is submitted before the first
// is waited for, so the disk (md's thread, MFS's server) takes them back
// to back: one switch to the driver and back per batch, and one request --
// not one per page -- per run of contiguous blocks, which is most of the
// cost under an emulator. The batch lives on the heap: Bufs are too big
// for a kernel stack.
constexpr size_t CLUSTER = 16;

struct PageBatch {
    block::Buf bufs[CLUSTER];
    vm::Page* pages[CLUSTER];
    u32 bnos[CLUSTER];
    u32 request_of[CLUSTER];  // which of bufs moves page i
    ErrorOr<void> results[CLUSTER];
    size_t count = 0;
    bool read = false;

    void add(vm::Page& page, u32 bno, bool is_read)
    {
        KASSERT(count < CLUSTER && (count == 0 || read == is_read));
        read = is_read;
        bnos[count] = bno;
        pages[count++] = &page;
    }
    // Make the requests (a run of contiguous blocks each), submit them all,
    // then wait for them; results[i] says how page i fared. Returns the
    // first error.
    ErrorOr<void> run(FfsMount& ffs)
    {
        size_t requests = 0;
        for (size_t first = 0; first < count;) {
            size_t n = 1;
            while (first + n < count && bnos[first + n] == bnos[first] + n)
                ++n;
            block::bio_prepare_pages(bufs[requests], ffs.device(), ffs.sector_of(bnos[first]), &pages[first],
                                     u32(n), read ? block::Buf::B_READ : 0);
            for (size_t i = first; i < first + n; ++i)
                request_of[i] = u32(requests);
            ++requests;
            first += n;
        }
        for (size_t r = 0; r < requests; ++r)
            block::submit(bufs[r]);
        // Wait for the last first: a driver finishes its queue in order, so
        // this sleeps once for the whole batch, and the others are done by
        // then -- waiting for the first would wake this thread (two context
        // switches) once per request.
        ErrorOr<void> outcome[CLUSTER];
        for (size_t r = requests; r-- > 0;)
            outcome[r] = block::biowait(bufs[r]);
        ErrorOr<void> first_error;
        for (size_t i = 0; i < count; ++i) {
            results[i] = outcome[request_of[i]];
            if (results[i].is_error() && !first_error.is_error())
                first_error = results[i];
        }
        return first_error;
    }
};

// The blocks after `lbn` that a sequential reader will want next: up to
// CLUSTER - 1 of them, stopping at the end of the file, a hole, a resident
// page, or a page that cannot be had. Each gets a page, added to `batch`
// (its block read with the one the caller asked for), and is inserted in
// the object by the caller. => m_lock and nothing else held.
void FfsObject::plan_read_ahead_locked(PageBatch& batch, u64 lbn, u64 size)
{
    FfsMount& ffs = m_node.ffs();
    const u32 shift = ffs.sb().fs_bshift;
    for (u64 next = lbn + 1; batch.count < CLUSTER && (next << shift) < size; ++next) {
        if (lookup_page_locked(next << shift))
            return;
        ErrorOr<u32> bno = Errno::EIO;
        {
            MutexGuard guard(m_node.m_din_lock);
            bno = m_node.bmap_locked(next);
        }
        if (bno.is_error() || bno.value() == 0)
            return;
        auto page = vm::allocate_user_page_nowait();  // never push pages out for read-ahead
        if (page.is_error())
            return;
        batch.add(*page.value(), bno.value(), true);
    }
}

ErrorOr<vm::Page*> FfsObject::get_page_locked(u64 offset, vm::Access access)
{
    KASSERT(m_lock.is_locked_by_me());
    FfsMount& ffs = m_node.ffs();
    if (vm::Page* page = lookup_page_locked(offset)) {
        if (access & vm::PROT_WRITE) {
            // A store into a page already here (read before, or cleaned and
            // write-protected): it must have its block -- a zero page of a
            // hole has none -- and the node must be on sync's list.
            MutexGuard guard(m_node.m_din_lock);
            bool fresh;
            TRY(m_node.balloc_locked(offset >> ffs.sb().fs_bshift, fresh));
            m_node.note_dirty();
        }
        return page;
    }
    const u64 lbn = offset >> ffs.sb().fs_bshift;
    u32 bno;
    u64 size;
    bool fresh = false;
    {
        MutexGuard guard(m_node.m_din_lock);
        size = m_node.size_locked();
        const u64 end = max(size, m_node.m_write_end);
        if (offset >= align_up(end, PAGE_SIZE))
            return Errno::EFAULT;  // a fault past the end of the file: SIGBUS
        bno = (access & vm::PROT_WRITE) ? TRY(m_node.balloc_locked(lbn, fresh)) : TRY(m_node.bmap_locked(lbn));
    }
    if (access & vm::PROT_WRITE)
        m_node.note_dirty();
    vm::Page* page = TRY(vm::allocate_user_page());
    // A hole, a block just given, or one past the recorded size (a write()
    // in progress allocated it: its contents are not data yet) reads as zeros.
    if (bno == 0 || fresh || offset >= size) {
        vm::page_allocator().zero_page(*page);
        if (fresh || (access & vm::PROT_WRITE))
            page->m_flags |= vm::Page::DIRTY;
        insert_page_locked(*page, offset);
        return page;
    }
    auto* batch = new (std::nothrow) PageBatch;
    if (!batch) {
        vm::page_allocator().free(page);
        return Errno::ENOMEM;
    }
    batch->add(*page, bno, true);
    // Read ahead when the reader is going through the file in order.
    const bool sequential = lbn == 0 || lbn == m_next_read_lbn;
    if (sequential && !(access & vm::PROT_WRITE))
        plan_read_ahead_locked(*batch, lbn, size);
    (void)batch->run(ffs);
    m_next_read_lbn = lbn + batch->count;
    ErrorOr<vm::Page*> result = page;
    for (size_t i = 0; i < batch->count; ++i) {
        vm::Page* p = batch->pages[i];
        if (batch->results[i].is_error()) {
            vm::page_allocator().free(p);
            if (i == 0) {
                ffs.report(m_node.ino(), "a data block could not be read");
                result = batch->results[i].error();
            }
            continue;
        }
        if (i == 0 && (access & vm::PROT_WRITE))
            p->m_flags |= vm::Page::DIRTY;
        insert_page_locked(*p, offset + (u64(i) << ffs.sb().fs_bshift));
    }
    delete batch;
    return result;
}

ErrorOr<void> FfsObject::install_filled_page_locked(vm::Page& page, u64 offset)
{
    m_node.note_dirty();
    return VmObject::install_filled_page_locked(page, offset);
}

// Write the batch's dirty pages to their blocks, which every one of them
// has (write() and write faults allocate first; a page a read made for a
// hole and a store then dirtied through ubc_write got its block in
// allocate_range_locked). Each page is write-protected first, so a store
// during the write faults and makes it DIRTY again. => m_lock held.
// Errors: EIO.
ErrorOr<void> FfsObject::write_batch_locked(PageBatch& batch)
{
    for (size_t i = 0; i < batch.count; ++i) {
        arch::pmap_page_protect(*batch.pages[i], vm::PROT_READ);
        batch.pages[i]->m_flags &= ~vm::Page::DIRTY;
    }
    auto result = batch.run(m_node.ffs());
    for (size_t i = 0; i < batch.count; ++i) {
        if (batch.results[i].is_error()) {
            batch.pages[i]->m_flags |= vm::Page::DIRTY;
            m_node.note_dirty();
            if (!m_node.ffs().device().gone())  // a dead MFS said so once, not per block
                m_node.ffs().report(m_node.ino(), "a data block could not be written");
        }
    }
    batch.count = 0;
    return result;
}

// Clean the dirty pages of [start, end), CLUSTER at a time. => m_lock held.
// Errors: EIO, ENOSPC (a dirty page in a hole that found no block), ENOMEM.
ErrorOr<void> FfsObject::clean_range_locked(u64 start, u64 end)
{
    // The batch is made at the first dirty page: a clean file -- what sync
    // finds most of the time -- costs no allocation.
    PageBatch* batch = nullptr;
    FfsMount& ffs = m_node.ffs();
    ErrorOr<void> first;
    for (vm::Page* page = m_pages.lower_bound(start); page && page->m_offset < end;
         page = m_pages.next(*page)) {
        if (!page->has(vm::Page::DIRTY))
            continue;
        if (!batch && !(batch = new (std::nothrow) PageBatch)) {
            m_node.note_dirty();
            return Errno::ENOMEM;
        }
        ErrorOr<u32> bno = Errno::EIO;
        {
            MutexGuard guard(m_node.m_din_lock);
            bool fresh;
            bno = m_node.balloc_locked(page->m_offset >> ffs.sb().fs_bshift, fresh);
        }
        if (bno.is_error()) {
            if (!first.is_error())
                first = bno.error();
            m_node.note_dirty();
            continue;
        }
        batch->add(*page, bno.value(), false);
        if (batch->count == CLUSTER) {
            auto written = write_batch_locked(*batch);
            if (written.is_error() && !first.is_error())
                first = written;
        }
    }
    if (!batch)
        return first;
    auto written = write_batch_locked(*batch);
    if (written.is_error() && !first.is_error())
        first = written;
    delete batch;
    return first;
}

ErrorOr<void> FfsObject::put_pages_locked(u64 start, u64 end, u32 flags)
{
    KASSERT(m_lock.is_locked_by_me());
    ErrorOr<void> first;
    if (flags & vm::PUT_CLEAN)
        first = clean_range_locked(start, end);
    if (!(flags & vm::PUT_FREE))
        return first;
    vm::Page* page = m_pages.lower_bound(start);
    while (page && page->m_offset < end) {
        if (page->m_hold_count > 0) {
            // read()/write() is copying through it: wait, then look again.
            const u64 offset = page->m_offset;
            wait_for_holds_locked(*page);
            page = m_pages.lower_bound(offset);
            continue;
        }
        vm::Page* next = m_pages.next(*page);
        // Wired pages stay; so do dirty ones that could not be written.
        if (page->m_wire_count == 0 && !((flags & vm::PUT_CLEAN) && page->has(vm::Page::DIRTY)))
            free_page_locked(*page);
        page = next;
    }
    return first;
}

} // namespace fs::ffs
