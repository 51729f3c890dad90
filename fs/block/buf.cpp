// fs/block/buf.cpp -- submitting a request, completing it, waiting for it (see buf.h).
//
// Lock order: Buf::b_lock and BlockDevice::m_stats_lock are leaves (nothing
// is taken under them but the scheduler lock, by WaitQueue). biodone() takes
// them one after the other, never nested, and calls a callback with neither
// held, so a callback may take the buffer cache's lock (fs/block/bufcache.cpp).
#include <fs/block/buf.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/page/page_allocator.h>

namespace block {

BlockDevice::BlockDevice(const char* name, u64 devno, u64 sectors) : m_devno(devno), m_sectors(sectors)
{
    size_t i = 0;
    for (; name[i] && i + 1 < sizeof m_name; ++i)
        m_name[i] = name[i];
    m_name[i] = '\0';
}

BlockStats BlockDevice::stats() const
{
    kern::SpinGuard guard(m_stats_lock);
    return m_stats;
}

void BlockDevice::count_submit()
{
    kern::SpinGuard guard(m_stats_lock);
    ++m_stats.in_flight;
    m_stats.in_flight_max = max(m_stats.in_flight_max, m_stats.in_flight);
}

void BlockDevice::count_done(const Buf& bp, bool failed)
{
    kern::SpinGuard guard(m_stats_lock);
    KASSERT(m_stats.in_flight > 0);
    --m_stats.in_flight;
    const u64 moved = bp.b_bcount - bp.b_resid;
    if (failed) {
        ++m_stats.errors;
    } else if (bp.is_read()) {
        ++m_stats.reads;
        m_stats.bytes_read += moved;
    } else {
        ++m_stats.writes;
        m_stats.bytes_written += moved;
    }
}

void bio_prepare(Buf& bp, BlockDevice& dev, u64 blkno, void* data, size_t count, u32 flags)
{
    bp.b_dev = &dev;
    bp.b_blkno = blkno;
    bp.b_data = data;
    bp.b_pages = nullptr;
    bp.b_npages = 0;
    bp.b_bcount = count;
    bp.b_resid = 0;
    bp.b_flags = flags;
    kern::SpinGuard guard(bp.b_lock);
    KASSERT(!bp.b_done.has_waiters());
    bp.b_oflags = 0;
    bp.b_error = Errno(0);
}

// The length and range checks every request passes. Returns the error
// that refuses it, or 0.
static Errno check_request(const Buf& bp)
{
    if (bp.b_bcount == 0 || bp.b_bcount % DEV_BSIZE != 0 || bp.b_bcount > MAX_TRANSFER)
        return Errno::EINVAL;
    const u64 sectors = bp.b_bcount >> DEV_BSHIFT;
    const u64 end = bp.b_dev->size_sectors();
    if (bp.b_blkno >= end || sectors > end - bp.b_blkno)
        return Errno::EIO;
    return Errno(0);
}

void bio_prepare_pages(Buf& bp, BlockDevice& dev, u64 blkno, vm::Page** pages, u32 npages, u32 flags)
{
    KASSERT(npages > 0 && size_t(npages) * PAGE_SIZE <= MAX_TRANSFER);
    bio_prepare(bp, dev, blkno, nullptr, size_t(npages) * PAGE_SIZE, flags);
    bp.b_pages = pages;
    bp.b_npages = npages;
}

u8* bio_segment(const Buf& bp, size_t offset, size_t& length)
{
    KASSERT(offset < bp.b_bcount);
    if (bp.b_data) {
        length = bp.b_bcount - offset;
        return static_cast<u8*>(bp.b_data) + offset;
    }
    const size_t in_page = offset % PAGE_SIZE;
    length = min(PAGE_SIZE - in_page, bp.b_bcount - offset);
    return static_cast<u8*>(vm::page_allocator().virt_of(*bp.b_pages[offset / PAGE_SIZE])) + in_page;
}

void submit(Buf& bp)
{
    KASSERT(bp.b_dev && (bp.b_data || (bp.b_pages && bp.b_bcount == size_t(bp.b_npages) * PAGE_SIZE)));
    bp.b_dev->count_submit();
    if (Errno error = check_request(bp); error != Errno(0)) {
        bp.b_resid = bp.b_bcount;
        bioerror(bp, error);
        biodone(bp);
        return;
    }
    bp.b_dev->strategy(bp);
}

void bioerror(Buf& bp, Errno error)
{
    kern::SpinGuard guard(bp.b_lock);
    bp.b_oflags |= Buf::B_ERROR;
    bp.b_error = error;
}

void biodone(Buf& bp)
{
    bool failed;
    {
        kern::SpinGuard guard(bp.b_lock);
        KASSERT(!(bp.b_oflags & Buf::B_DONE));
        failed = bp.b_oflags & Buf::B_ERROR;
    }
    bp.b_dev->count_done(bp, failed);
    if (IoDone callback = bp.b_iodone) {
        callback(bp);  // the callback owns bp now: touch nothing after this
        return;
    }
    kern::SpinGuard guard(bp.b_lock);
    bp.b_oflags |= Buf::B_DONE;
    bp.b_done.wake_all();
}

ErrorOr<void> biowait(Buf& bp)
{
    KASSERT(!bp.b_iodone);
    kern::SpinGuard guard(bp.b_lock);
    while (!(bp.b_oflags & Buf::B_DONE))
        bp.b_done.wait(bp.b_lock);
    if (bp.b_oflags & Buf::B_ERROR)
        return bp.b_error;
    return {};
}

ErrorOr<void> bio_sync(Buf& bp)
{
    submit(bp);
    return biowait(bp);
}

} // namespace block
