// fs/ubc/ubc.cpp -- the unified buffer cache's data path (see fs/ubc/ubc.h).
//
// What it is. The two loops that move file data between a file's VM object
// and a caller's buffer. There is no buffer cache: the pages of the object
// *are* the cache, the same pages a mapping of the file maps (Silvers, "UBC",
// FREENIX 2000). One copy per byte: IoBuffer <-> page. The loops go a
// window of up to 16 pages (64 KiB) at a time (by_windows):
//
//   ubc_write(obj, off, buf, n)                 ubc_read(obj, off, buf, n, size)
//   for each window of [off, off+n):            for each window of [off, min(off+n, size)):
//     lock obj                                    lock obj
//     fresh? (no page resident, each written      find the first page, then its
//       whole): allocate them all, else            successors; hold the resident
//     for each page: find it or get_page_locked    ones (a missing one is a hole)
//       (aobj: a zeroed page), DIRTY, hold it     unlock obj
//     unlock obj                                  copy pages -> buf, zeros for holes
//     copy buf -> pages (may fault: no lock!)     lock obj, release holds, unlock
//     lock obj; fresh: install the pages;
//       else release holds; unlock
//
// Why windows: two lock round trips per page cost as much as the copy under
// QEMU's TCG; per window they are 16 times fewer (bench_fs: 1 MiB overwrites
// went from 38% to 57% of memcpy, reads from 41% to 67%). Within a window
// one tree search finds the first page and in-order successors the rest
// (resident_at), not 16 searches. A window is a batch of held pages, not a
// kernel mapping as NetBSD's ubc_alloc windows are (see Holds).
//
// Fresh windows (write_window's comment has the rules). A file written from
// start to end meets no resident page: its new pages need no zeroing, since
// the copy overwrites every byte before anyone can see them (UVM's
// PGO_OVERWRITE / NetBSD's UBC_FAULTBUSY idea; we get it by filling the
// pages before they enter the object, so nothing has to wait on a BUSY
// page). With the rest of this file's changes it took 1 MiB first writes
// from 32% to 56% of memcpy (docs/ubc.md, "Numbers").
//
// Holds. Between "unlock" and "release" the page is held (Page::m_hold_count):
// nobody frees it (truncate waits: vm/aobj.cpp:AnonObject::put_pages_locked),
// but nothing else is locked, so the copy may fault -- on the very file being
// read, if the user buffer is an mmap of it -- and the fault handler can take
// the object lock it needs. The kernel side of the copy is the direct map
// (PageAllocator::virt_of): every frame is always mapped, so there is nothing
// like NetBSD's ubc_alloc/ubc_release mappings to set up.
//
// Holes. For an aobj a read looks the page up and does *not* ask the pager
// for it, so a hole (never written) reads as zeros and costs no page. A
// pager whose absent pages hold data (VmObject::absent_pages_have_data: a
// disk file's vnode pager) is asked for each absent page instead
// (hold_resident), and reads a hole as a zero page itself.
//
// Short counts. A copy that faults part way, or a page that cannot be made,
// ends the loop: the bytes done so far are the result; the error is returned
// only when nothing was done (read(2)/write(2)'s rule).
//
// Locking: VmObject::m_lock, taken and dropped twice per window (and the page
// allocator's lock inside it, for a fresh window); under it, a pager may take
// its own locks and do I/O (FFS: its dinode and allocator locks, block
// requests). The caller
// holds no VM lock (fs/vfs/iobuffer.h's rule). Lock order: docs/locking.md.
// Read more: docs/ubc.md; NetBSD sys/uvm/uvm_bio.c (ubc_uiomove), whose
// windows are kernel mappings.
#include <fs/ubc/ubc.h>
#include <kernel/base/lib/string.h>
#include <vm/object.h>
#include <vm/pageq.h>
#include <kernel/base/page/page_allocator.h>

namespace fs {

using kern::Errno;
using kern::ErrorOr;
using kern::MutexGuard;

namespace {

// One page's part of a transfer: the page offset, where in the page, how much.
struct Piece {
    u64 page_offset;
    size_t in_page;
    size_t length;
};

Piece piece_at(u64 position, size_t remaining)
{
    const u64 page_offset = align_down(position, PAGE_SIZE);
    const size_t in_page = size_t(position - page_offset);
    return {page_offset, in_page, min<size_t>(PAGE_SIZE - in_page, remaining)};
}

u8* bytes_of(const vm::Page& page) { return static_cast<u8*>(vm::page_allocator().virt_of(page)); }

// A window: up to WINDOW_PAGES consecutive pieces of one transfer, whose
// pages are held together. The object lock is taken once to find and hold
// them all and once to release them all, not twice per page: under an
// emulator the lock round trips cost as much as the copy. 16 pages (64 KiB)
// is also NetBSD's largest UBC window.
constexpr size_t WINDOW_PAGES = 16;

struct Window {
    Piece pieces[WINDOW_PAGES];
    vm::Page* pages[WINDOW_PAGES];
    size_t count = 0;    // pieces planned
    size_t held = 0;     // pages found and held, or allocated (a prefix; nullptr for a hole)
    bool fresh = false;  // a write's pages are allocated, not yet the object's
};

// The resident page at `offset`, given `cursor`: the first resident page at
// or after the previous piece's offset. A window's pages are consecutive, so
// one tree search finds the first and the in-order successor each next one.
// Returns nullptr when no page is resident there, and advances `cursor` past
// `offset`. => object lock held.
vm::Page* resident_at(const vm::VmObject& object, vm::Page*& cursor, u64 offset)
{
    while (cursor && cursor->m_offset < offset)
        cursor = object.next_page_locked(*cursor);
    if (!cursor || cursor->m_offset != offset)
        return nullptr;
    vm::Page* page = cursor;
    cursor = object.next_page_locked(*page);
    return page;
}

// Is `first` -- the first resident page at or after the window's start --
// inside the window? (Then some page of the window is resident.)
bool resident_within(const vm::Page* first, const Window& w)
{
    return first && first->m_offset < w.pieces[w.count - 1].page_offset + PAGE_SIZE;
}

// Plan the pieces of [position, position + remaining), at most a window.
void plan(Window& w, u64 position, size_t remaining)
{
    w.count = w.held = 0;
    while (remaining > 0 && w.count < WINDOW_PAGES) {
        w.pieces[w.count] = piece_at(position, remaining);
        position += w.pieces[w.count].length;
        remaining -= w.pieces[w.count].length;
        ++w.count;
    }
}

// Returns the bytes of the window's first `pieces` pieces.
size_t bytes_in(const Window& w, size_t pieces)
{
    size_t total = 0;
    for (size_t i = 0; i < pieces; ++i)
        total += w.pieces[i].length;
    return total;
}

// Drop the holds the window took. => object lock not held.
void release(vm::VmObject& object, Window& w)
{
    MutexGuard guard(object.lock());
    for (size_t i = 0; i < w.held; ++i)
        if (w.pages[i])
            object.release_hold_locked(*w.pages[i]);
}

// ---- reading ---------------------------------------------------------------

// Find and hold the window's resident pages; a hole gets nullptr. For a
// pager whose absent pages have data (a disk file), an absent page is
// brought in (get_page_locked; the pager reads a hole as a zero page).
// Returns why fewer than all pieces are held (EIO), or no error.
// => object lock not held.
ErrorOr<void> hold_resident(vm::VmObject& object, Window& w)
{
    MutexGuard guard(object.lock());
    vm::Page* cursor = object.first_page_from_locked(w.pieces[0].page_offset);
    for (; w.held < w.count; ++w.held) {
        const u64 offset = w.pieces[w.held].page_offset;
        vm::Page* page = resident_at(object, cursor, offset);
        if (!page && object.absent_page_has_data_locked(offset)) {
            auto brought = object.get_page_locked(offset, vm::PROT_READ);
            if (brought.is_error())
                return brought.error();
            page = brought.value();
            cursor = object.next_page_locked(*page);
        }
        if (page)
            object.hold_page_locked(*page);
        w.pages[w.held] = page;
    }
    return {};
}

// Read a window: copy from each resident page, zeros for a hole. Returns
// the bytes copied, short if the buffer faulted part way.
// Errors: EFAULT, only when the first piece could not be copied.
ErrorOr<size_t> read_window(vm::VmObject& object, Window& w, const IoBuffer& buf, size_t buf_offset)
{
    const ErrorOr<void> gathered = hold_resident(object, w);
    size_t done = 0;
    ErrorOr<void> result;
    for (size_t i = 0; i < w.held && !result.is_error(); ++i) {
        const Piece& piece = w.pieces[i];
        result = w.pages[i] ? buf.write_from(buf_offset + done, bytes_of(*w.pages[i]) + piece.in_page,
                                             piece.length)
                            : buf.zero(buf_offset + done, piece.length);
        if (!result.is_error())
            done += piece.length;
    }
    release(object, w);
    if (!result.is_error())
        result = gathered;  // why fewer pieces than planned were held, if so
    if (result.is_error() && done == 0)
        return result.error();
    return done;
}

// ---- writing ---------------------------------------------------------------

// How far an attempt at a write window got: its first `pages` pages hold the
// caller's bytes, and `stop` says why that is fewer than all (no error when
// it is all).
struct Progress {
    size_t pages = 0;
    ErrorOr<void> stop;
};

// Make the window's pages ready for the copy, the fresh way if `may_be_fresh`
// and the window qualifies (w.fresh says which), else the usual way; w.held
// says how many are ready. Returns why fewer than all are (ENOMEM, ENOSPC),
// or no error. => object lock not held.
ErrorOr<void> gather_for_write(vm::VmObject& object, Window& w, bool may_be_fresh)
{
    MutexGuard guard(object.lock());
    // One tree search: the first resident page at or after the window.
    vm::Page* cursor = object.first_page_from_locked(w.pieces[0].page_offset);
    w.held = 0;
    w.fresh = may_be_fresh && !resident_within(cursor, w);
    for (size_t i = 0; i < w.count && w.fresh; ++i)
        w.fresh = w.pieces[i].length == PAGE_SIZE;
    if (w.fresh) {
        w.held = vm::allocate_user_pages(w.pages, w.count);
        return w.held == w.count ? ErrorOr<void>() : ErrorOr<void>(Errno::ENOMEM);
    }
    for (; w.held < w.count; ++w.held) {
        const u64 offset = w.pieces[w.held].page_offset;
        vm::Page* page = resident_at(object, cursor, offset);
        if (!page) {
            auto made = object.get_page_locked(offset, vm::PROT_WRITE);
            if (made.is_error())
                return made.error();  // write what we have pages for
            page = made.value();
        }
        page->m_flags |= vm::Page::DIRTY;
        object.hold_page_locked(*page);
        w.pages[w.held] = page;
    }
    return {};
}

// Copy the caller's bytes into the window's ready pages, in order, until a
// copy faults. `gathered` is why fewer pages than the window's are ready, if
// so. Returns how many pages were filled whole, and why not all (the fault,
// else `gathered`). A page copied in part does not count: a fresh one is not
// installed, and its bytes are not reported written either way.
Progress fill(const Window& w, const IoBuffer& buf, size_t buf_offset, ErrorOr<void> gathered)
{
    Progress p{0, gathered};
    size_t done = 0;
    for (; p.pages < w.held; ++p.pages) {
        const Piece& piece = w.pieces[p.pages];
        auto copied = buf.read_into(bytes_of(*w.pages[p.pages]) + piece.in_page, buf_offset + done,
                                    piece.length);
        if (copied.is_error()) {
            p.stop = copied;
            break;
        }
        done += piece.length;
    }
    return p;
}

// What became of a fresh window's pages after the copy.
struct Installed {
    bool raced;         // a page of the window became resident meanwhile:
                        // none installed, all freed
    Progress progress;  // else: the pages installed, and why fewer than filled
};

// Install the first `filled.pages` fresh pages in order and free the rest. A
// pager may refuse a page (ENOSPC: a tmpfs over its size=): the pages from
// it on are freed, and the refusal becomes the reason the window stopped.
// => object lock not held; w.fresh.
Installed install_fresh(vm::VmObject& object, Window& w, Progress filled)
{
    MutexGuard guard(object.lock());
    const bool raced = resident_within(object.first_page_from_locked(w.pieces[0].page_offset), w);
    Progress installed{0, filled.stop};
    while (!raced && installed.pages < filled.pages) {
        const size_t i = installed.pages;
        auto taken = object.install_filled_page_locked(*w.pages[i], w.pieces[i].page_offset);
        if (taken.is_error()) {
            installed.stop = taken;
            break;
        }
        ++installed.pages;
    }
    for (size_t i = installed.pages; i < w.held; ++i)
        vm::page_allocator().free(w.pages[i], 0);
    return {raced, installed};
}

// Returns the bytes the window's first `p.pages` pages took.
// Errors: p.stop, only when that is none.
ErrorOr<size_t> bytes_written(const Window& w, const Progress& p)
{
    if (p.pages == 0 && p.stop.is_error())
        return p.stop.error();
    return bytes_in(w, p.pages);
}

// Write a window: make its pages ready, copy into them, then hand them over.
// It goes one of two ways.
//
//   fresh: no page of the window is resident and the write covers each one
//     whole (a file being written from start to end). Its pages are only
//     allocated (one lock round trip), filled by the copy while nobody can
//     see them, and then installed (VmObject::install_filled_page_locked):
//     no zeroing first, no holds. If a page of the window became resident
//     meanwhile -- a fault through a mapping of the file made it, perhaps
//     the very mapping the data is being copied from -- nothing has been
//     installed yet: the fresh pages go back and the window is done again
//     the usual way, so the result is always that of the usual way.
//   usual: each page is found or made by the pager (an aobj zeroes a new
//     one), held, copied into, released.
//
// Returns the bytes copied, short if memory ran out or the buffer faulted
// part way. Errors: ENOMEM, ENOSPC, EFAULT, only when nothing was copied.
ErrorOr<size_t> write_window(vm::VmObject& object, Window& w, const IoBuffer& buf, size_t buf_offset)
{
    Progress progress = fill(w, buf, buf_offset, gather_for_write(object, w, true));
    if (w.fresh) {
        Installed installed = install_fresh(object, w, progress);
        if (!installed.raced)
            return bytes_written(w, installed.progress);
        progress = fill(w, buf, buf_offset, gather_for_write(object, w, false));
    }
    release(object, w);
    return bytes_written(w, progress);
}

// Run `do_window` over [offset, offset + n) a window at a time, until the
// end or a window that comes up short. Returns the bytes done.
// Errors: the first window's, only when nothing was done.
template <typename DoWindow> ErrorOr<size_t> by_windows(u64 offset, size_t n, DoWindow do_window)
{
    size_t done = 0;
    Window w;
    while (done < n) {
        plan(w, offset + done, n - done);
        auto result = do_window(w, done);
        if (result.is_error())
            return done ? ErrorOr<size_t>(done) : ErrorOr<size_t>(result.error());
        done += result.value();
        if (result.value() < bytes_in(w, w.count))
            break;  // a copy faulted or a page could not be made part way
    }
    return done;
}

} // namespace

ErrorOr<size_t> ubc_read(vm::VmObject& object, u64 offset, const IoBuffer& buf, size_t n,
                         u64 file_size)
{
    if (offset >= file_size)
        return size_t(0);
    n = size_t(min(u64(n), file_size - offset));
    return by_windows(offset, n, [&](Window& w, size_t done) { return read_window(object, w, buf, done); });
}

ErrorOr<size_t> ubc_write(vm::VmObject& object, u64 offset, const IoBuffer& buf, size_t n)
{
    return by_windows(offset, n, [&](Window& w, size_t done) { return write_window(object, w, buf, done); });
}

} // namespace fs
