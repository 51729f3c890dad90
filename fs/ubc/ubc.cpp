// fs/ubc/ubc.cpp -- the unified buffer cache's data path (see fs/ubc/ubc.h).
//
// What it is. The two loops that move file data between a file's VM object
// and a caller's buffer, one page at a time. There is no buffer cache: the
// pages of the object *are* the cache, the same pages a mapping of the file
// maps (Silvers, "UBC", FREENIX 2000). One copy per byte: IoBuffer <-> page.
//
//   ubc_write(obj, off, buf, n)                 ubc_read(obj, off, buf, n, size)
//   for each page of [off, off+n):              for each page of [off, min(off+n, size)):
//     lock obj                                    lock obj
//     page = get_page_locked(pg, WRITE)           page = lookup_page_locked(pg)
//       (aobj: a zeroed page if none)             if page: hold it
//     mark DIRTY, hold it                         unlock obj
//     unlock obj                                  copy page -> buf, or zero buf (a hole)
//     copy buf -> page (may fault: no lock!)      lock obj, release hold, unlock
//     lock obj, release hold, unlock
//
// Holds. Between "unlock" and "release" the page is held (Page::m_hold_count):
// nobody frees it (truncate waits: vm/aobj.cpp:AnonObject::put_pages_locked),
// but nothing else is locked, so the copy may fault -- on the very file being
// read, if the user buffer is an mmap of it -- and the fault handler can take
// the object lock it needs. The kernel side of the copy is the direct map
// (PageAllocator::virt_of): every frame is always mapped, so there is nothing
// like NetBSD's ubc_alloc/ubc_release windows to set up.
//
// Holes. A read looks the page up and does *not* ask the pager for it, so a
// hole of an aobj (never written) reads as zeros and costs no page. A pager
// whose non-resident pages hold data (a disk file, an aobj page on swap)
// needs a "bring it in, but do not create" pager call here; that comes with
// the vnode pager and swap (docs/ubc.md, "What is missing").
//
// Short counts. A copy that faults part way, or a page that cannot be made,
// ends the loop: the bytes done so far are the result; the error is returned
// only when nothing was done (read(2)/write(2)'s rule).
//
// Locking: VmObject::m_lock, taken and dropped per page; nothing else. The
// caller holds no VM lock (fs/vfs/iobuffer.h's rule). Read more: docs/ubc.md;
// NetBSD sys/uvm/uvm_bio.c (ubc_uiomove) for the windowed design we avoid.
#include <fs/ubc/ubc.h>
#include <vm/object.h>
#include <vm/page_allocator.h>

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

// Drop the hold taken by the loop. => object lock not held.
void release(vm::VmObject& object, vm::Page& page)
{
    MutexGuard guard(object.lock());
    object.release_hold_locked(page);
}

// Read one piece: copy from the page if resident, else zeros (a hole).
ErrorOr<void> read_piece(vm::VmObject& object, const Piece& piece, const IoBuffer& buf,
                         size_t buf_offset)
{
    vm::Page* page;
    {
        MutexGuard guard(object.lock());
        page = object.lookup_page_locked(piece.page_offset);
        if (page)
            object.hold_page_locked(*page);
    }
    if (!page)
        return buf.zero(buf_offset, piece.length);
    auto result = buf.write_from(buf_offset, bytes_of(*page) + piece.in_page, piece.length);
    release(object, *page);
    return result;
}

// Write one piece: make the page if needed, then copy into it.
ErrorOr<void> write_piece(vm::VmObject& object, const Piece& piece, const IoBuffer& buf,
                          size_t buf_offset)
{
    vm::Page* page;
    {
        MutexGuard guard(object.lock());
        page = TRY(object.get_page_locked(piece.page_offset, vm::PROT_WRITE));
        page->m_flags |= vm::Page::DIRTY;
        object.hold_page_locked(*page);
    }
    auto result = buf.read_into(bytes_of(*page) + piece.in_page, buf_offset, piece.length);
    release(object, *page);
    return result;
}

} // namespace

ErrorOr<size_t> ubc_read(vm::VmObject& object, u64 offset, const IoBuffer& buf, size_t n,
                         u64 file_size)
{
    if (offset >= file_size)
        return size_t(0);
    n = size_t(min(u64(n), file_size - offset));
    size_t done = 0;
    while (done < n) {
        const Piece piece = piece_at(offset + done, n - done);
        auto result = read_piece(object, piece, buf, done);
        if (result.is_error())
            return done ? ErrorOr<size_t>(done) : ErrorOr<size_t>(result.error());
        done += piece.length;
    }
    return done;
}

ErrorOr<size_t> ubc_write(vm::VmObject& object, u64 offset, const IoBuffer& buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        const Piece piece = piece_at(offset + done, n - done);
        auto result = write_piece(object, piece, buf, done);
        if (result.is_error())
            return done ? ErrorOr<size_t>(done) : ErrorOr<size_t>(result.error());
        done += piece.length;
    }
    return done;
}

} // namespace fs
