// fs/tmpfs/tmpfs_file.cpp -- tmpfs regular files: read, write, truncate.
//
// A regular file's bytes live in the pages of its vm::AnonObject (made when
// the file is created: tmpfs_mount.cpp:allocate_node_locked), and nowhere
// else: read() and write() are fs::ubc_read / fs::ubc_write over that object
// (fs/ubc/ubc.cpp), and an mmap of the file maps the same pages. A page
// exists only where something was written; holes read as zeros for free.
//
// The path of a write, from the call to the page:
//
//   TmpfsNode::write(off, buf, n)          (append: off = m_size, read under m_lock)
//     lock m_lock (one writer or truncate per file)
//     fs::ubc_write(aobj, off, buf, n)  -- per window of 16 pages: missing
//       pages written whole are filled, then installed; others come from
//       get_page_locked (zeroed), are held, copied into, released. The
//       aobj charges each page it takes to the mount's size= budget
//       (TmpfsMount::charge); where the budget ends, the write ends short
//       (not one byte: ENOSPC)
//     m_size = max(m_size, off + written); mtime = ctime = now
//
// Truncate (setattr SETATTR_SIZE), down: free the whole pages past the new
// end (AnonObject::put_pages_locked PUT_FREE, which waits for a read's page
// hold to be released), zero the tail of the last partial page (so growing
// the file again shows zeros); the aobj gives the pages back to the
// budget as it frees them. Up: only
// m_size changes -- the new part is a hole.
//
// Locks: TmpfsNode::m_lock across each write/truncate (it also guards
// m_size), the aobj's lock for its pages and charges; the mount
// lock is never taken. A read takes m_lock only to read m_size and to set
// atime, not across the copy.
//
// Read more: NetBSD sys/fs/tmpfs/tmpfs_vnops.c (tmpfs_read, tmpfs_write:
// ubc_uiomove over the aobj), tmpfs_subr.c (tmpfs_reg_resize); docs/ubc.md.
#include <fs/tmpfs/tmpfs_mount.h>
#include <fs/ubc/ubc.h>
#include <kernel/base/lib/string.h>
#include <vm/aobj.h>
#include <kernel/base/page/page_allocator.h>

namespace fs::tmpfs {

using kern::MutexGuard;

// Returns the number of bytes read (0 at or past the end). Errors: EISDIR,
// EINVAL, EFAULT.
ErrorOr<size_t> TmpfsNode::read(u64 offset, const IoBuffer& buf, size_t n)
{
    TRY(check_regular());
    u64 size;
    {
        MutexGuard guard(m_lock);
        size = m_size;
    }
    const size_t done = TRY(ubc_read(*m_object, offset, buf, n, size));
    touch(ATIME);
    return done;
}

// Returns the number of bytes written (short only if the budget, memory or
// the buffer ran out part way). Errors: ENOSPC, EFBIG, EFAULT, EISDIR,
// EINVAL.
ErrorOr<size_t> TmpfsNode::write(u64 offset, const IoBuffer& buf, size_t n)
{
    TRY(check_regular());
    MutexGuard guard(m_lock);
    return write_locked(offset, buf, n);
}

// O_APPEND: the size is read and the bytes written under m_lock, which
// every write and truncate of this file takes, so no other write can land
// between the two.
ErrorOr<size_t> TmpfsNode::append(const IoBuffer& buf, size_t n, u64& at)
{
    TRY(check_regular());
    MutexGuard guard(m_lock);
    at = m_size;
    return write_locked(at, buf, n);
}

// => m_lock held.
ErrorOr<size_t> TmpfsNode::write_locked(u64 offset, const IoBuffer& buf, size_t n)
{
    KASSERT(m_lock.is_locked_by_me());
    if (n == 0)
        return size_t(0);
    if (offset >= MAX_FILE_SIZE)
        return Errno::EFBIG;
    n = size_t(min<u64>(n, MAX_FILE_SIZE - offset));
    auto written = ubc_write(*m_object, offset, buf, n);  // the aobj charges new pages
    if (written.is_error())
        return written.error() == Errno::ENOMEM ? Errno::ENOSPC : written.error();
    m_size = max<u64>(m_size, offset + written.value());
    touch_locked(MTIME | CTIME);
    return written.value();
}

size_t TmpfsNode::resident_pages() const
{
    if (!m_object)
        return 0;
    MutexGuard guard(m_object->lock());
    // Pages the page daemon put on swap are the file's too (st_blocks, du).
    return m_object->resident_pages_locked() + m_object->swapped_pages_locked();
}

// Change the size to `size`. => m_lock held; size <= MAX_FILE_SIZE.
// Growing makes a hole; shrinking frees, and zeroes the tail of the new
// last page -- which must be read back first if it is on swap.
// Errors: ENOMEM, EIO (that page could not be read back; nothing changed).
ErrorOr<void> TmpfsNode::truncate_locked(u64 size)
{
    KASSERT(m_lock.is_locked_by_me() && size <= MAX_FILE_SIZE);
    if (size < m_size) {
        MutexGuard guard(m_object->lock());
        const size_t in_page = size_t(size % PAGE_SIZE);
        const u64 last_offset = align_down(size, PAGE_SIZE);
        vm::Page* last = in_page ? m_object->lookup_page_locked(last_offset) : nullptr;
        if (in_page && !last && m_object->absent_page_has_data_locked(last_offset))
            last = TRY(m_object->get_page_locked(last_offset, vm::PROT_WRITE));
        MUST(m_object->put_pages_locked(align_up(size, PAGE_SIZE), ~u64(0), vm::PUT_FREE));
        if (last) {
            auto* bytes = static_cast<u8*>(vm::page_allocator().virt_of(*last));
            memset(bytes + in_page, 0, PAGE_SIZE - in_page);
        }
    }
    m_size = size;
    touch_locked(MTIME | CTIME);
    return {};
}

} // namespace fs::tmpfs
