// fs/ffs/ffs_file.cpp -- read(2), write(2), truncate and fsync of an FFS
// regular file: the UBC data path (fs/ubc/ubc.h) over the vnode pager.
//
// write(offset, n), with the node's m_lock held throughout:
//   1. allocate_range_locked: every block of [offset, offset + n) gets a
//      block now (NetBSD's ufs_balloc_range), so ENOSPC is known before a
//      byte is copied and a write that reports n bytes can always be
//      written back. A new block inside the file (a hole being filled) gets
//      a zero page at once, because the pager would otherwise read the
//      block's old contents from the disk; a new block past the size needs
//      nothing -- the pager zeroes pages there (fs/ffs/ffs_object.cpp).
//   2. ubc_write copies into the file's pages (the pager makes missing ones;
//      whole new pages are filled without zeroing: ubc's "fresh" windows).
//   3. the size grows to the end of what was copied; a short copy (EFAULT
//      part way, or the disk filled) gives back the blocks past that end
//      (trim_after_short_write_locked), so nothing is allocated past EOF.
// Nothing is written to the disk here: the pages are DIRTY until fsync,
// sync or unmount write them (put_pages_locked with PUT_CLEAN).
//
// read takes no lock of the node but the dinode's, to read the size:
// ubc_read asks the pager for missing pages (a hole reads as a zero page).
//
// truncate: pages past the new end are dropped unwritten, the last page's
// tail is zeroed (in memory, and so on the disk when it is written back:
// a later extension must read zeros there), then the blocks are freed.
#include <fs/block/bufcache.h>
#include <fs/ffs/ffs_mount.h>
#include <fs/ubc/ubc.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/page/page_allocator.h>
#include <vm/pageq.h>

namespace fs::ffs {

using kern::MutexGuard;

namespace {

// The largest file: every logical block the pointers reach, and at most
// what di_blocks (512-byte units, 32 bits) can count.
u64 max_file_size(const ffs_superblock& sb)
{
    return min<u64>(ffs_max_lblocks(&sb) << sb.fs_bshift, u64(0xffffffffu) * 512 / 2);
}

} // namespace

ErrorOr<size_t> FfsNode::read(u64 offset, const IoBuffer& buf, size_t n)
{
    TRY(check_regular());
    TRY(check_device());
    const size_t done = TRY(ubc_read(m_object, offset, buf, n, size()));
    MutexGuard guard(m_din_lock);
    touch_locked(ATIME);
    return done;
}

ErrorOr<size_t> FfsNode::write(u64 offset, const IoBuffer& buf, size_t n)
{
    TRY(check_regular());
    TRY(check_device());
    MutexGuard guard(m_lock);
    return write_locked(offset, buf, n);
}

ErrorOr<size_t> FfsNode::append(const IoBuffer& buf, size_t n, u64& at)
{
    TRY(check_regular());
    TRY(check_device());
    MutexGuard guard(m_lock);
    at = size();
    return write_locked(at, buf, n);
}

ErrorOr<size_t> FfsNode::allocate_range_locked(u64 offset, size_t n)
{
    const ffs_superblock& sb = m_ffs.sb();
    const u64 end = offset + n;
    for (u64 lbn = offset >> sb.fs_bshift; (lbn << sb.fs_bshift) < end; ++lbn) {
        const u64 block_start = lbn << sb.fs_bshift;
        MutexGuard object(m_object.lock());
        bool fresh;
        ErrorOr<u32> bno = Errno::EIO;
        bool inside;
        {
            MutexGuard guard(m_din_lock);
            bno = balloc_locked(lbn, fresh);
            inside = block_start < m_din.di_size;
        }
        if (bno.is_error()) {
            const u64 covered = block_start > offset ? block_start - offset : 0;
            if (covered == 0)
                return bno.error();
            return size_t(covered);
        }
        if (vm::Page* resident = fresh && inside ? m_object.lookup_page_locked(block_start) : nullptr) {
            resident->m_flags |= vm::Page::DIRTY;  // a zero page of the hole: now the block's
        } else if (fresh && inside) {
            // A hole inside the file got a block holding someone's old data.
            auto page = vm::allocate_user_page();
            if (page.is_error())
                return block_start > offset ? size_t(block_start - offset) : ErrorOr<size_t>(page.error());
            vm::page_allocator().zero_page(*page.value());
            page.value()->m_flags |= vm::Page::DIRTY;
            m_object.insert_page_locked(*page.value(), block_start);
        }
    }
    return n;
}

// Only what lies past both the write's end and the file's size goes: the
// pages and blocks inside the file hold its data (written or not yet).
void FfsNode::trim_after_short_write_locked(u64 end)
{
    u64 keep;
    {
        MutexGuard guard(m_din_lock);
        keep = max(end, m_din.di_size);
    }
    {
        MutexGuard guard(m_object.lock());
        (void)m_object.put_pages_locked(align_up(keep, PAGE_SIZE), ~u64(PAGE_SIZE - 1), vm::PUT_FREE);
    }
    MutexGuard guard(m_din_lock);
    (void)free_blocks_from_locked(ffs_numblks(&m_ffs.sb(), keep));
}

ErrorOr<size_t> FfsNode::write_locked(u64 offset, const IoBuffer& buf, size_t n)
{
    KASSERT(m_lock.is_locked_by_me());
    if (n == 0)
        return size_t(0);
    const u64 limit = max_file_size(m_ffs.sb());
    if (offset >= limit)
        return Errno::EFBIG;
    n = size_t(min<u64>(n, limit - offset));
    const size_t covered = TRY(allocate_range_locked(offset, n));
    note_dirty();  // ubc_write dirties pages it finds resident without asking the pager
    {
        MutexGuard guard(m_din_lock);
        m_write_end = offset + covered;
    }
    auto written = ubc_write(m_object, offset, buf, covered);
    const size_t done = written.is_error() ? 0 : written.value();
    {
        MutexGuard guard(m_din_lock);
        m_write_end = 0;
        m_din.di_size = max<u64>(m_din.di_size, offset + done);
        if (done > 0)
            touch_locked(MTIME | CTIME);
    }
    if (done < n)
        trim_after_short_write_locked(offset + done);
    if (written.is_error())
        return written.error();  // ENOMEM is memory, not the disk: reported as it is
    if (done == 0 && covered < n)
        return Errno::ENOSPC;
    return done;
}

ErrorOr<void> FfsNode::truncate_locked(u64 size)
{
    KASSERT(m_lock.is_locked_by_me());
    if (size > max_file_size(m_ffs.sb()))
        return Errno::EFBIG;
    const u64 old_size = this->size();
    if (size < old_size) {
        MutexGuard guard(m_object.lock());
        const size_t in_page = size_t(size % PAGE_SIZE);
        if (in_page) {
            // The last page's tail: zero in memory, and on the disk when the
            // page is written back. Done before the pages past the end are
            // dropped: reading this page may read ahead pages after it
            // (their blocks are still there), which must go with the rest.
            vm::Page* last = TRY(m_object.get_page_locked(align_down(size, PAGE_SIZE), vm::PROT_READ));
            auto* bytes = static_cast<u8*>(vm::page_allocator().virt_of(*last));
            memset(bytes + in_page, 0, PAGE_SIZE - in_page);
            last->m_flags |= vm::Page::DIRTY;
        }
        TRY(m_object.put_pages_locked(align_up(size, PAGE_SIZE), ~u64(PAGE_SIZE - 1), vm::PUT_FREE));
    }
    MutexGuard guard(m_din_lock);
    m_din.di_size = size;
    if (size < old_size)
        TRY(free_blocks_from_locked(ffs_numblks(&m_ffs.sb(), size)));
    touch_locked(MTIME | CTIME);
    return write_inode_locked();
}

ErrorOr<void> FfsNode::write_back()
{
    __atomic_store_n(&m_maybe_dirty, false, __ATOMIC_RELEASE);  // a later dirtying sets it again
    ErrorOr<void> pages;
    if (type() == VType::Regular) {
        MutexGuard guard(m_object.lock());
        pages = m_object.put_pages_locked(0, ~u64(PAGE_SIZE - 1), vm::PUT_CLEAN);
    }
    auto inode = write_inode();
    if (pages.is_error() || inode.is_error())
        note_dirty();  // try again at the next sync
    TRY(pages);
    return inode;
}

ErrorOr<void> FfsNode::fsync()
{
    TRY(check_device());
    TRY(write_back());
    return block::bufcache().flush(m_ffs.device());
}

} // namespace fs::ffs
