// fs/block/md.cpp -- the RAM disk: attach, the per-device thread, the copy (see md.h).
#include <fs/block/md.h>
#include <fs/vfs/device.h>
#include <kernel/base/lib/format.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/page/page_allocator.h>
#include <kernel/base/sched/thread.h>

namespace block {

namespace {
kern::SpinLock s_units_lock;
bool s_unit_taken[MD_MAX_UNITS];  // guarded by s_units_lock

// Claim `unit`, or the lowest free one if it is -1. Returns the unit.
// Errors: EINVAL (out of range), EBUSY (taken or none free).
ErrorOr<u32> claim_unit(int unit)
{
    if (unit >= int(MD_MAX_UNITS) || unit < -1)
        return Errno::EINVAL;
    kern::SpinGuard guard(s_units_lock);
    if (unit == -1) {
        for (u32 u = 0; u < MD_MAX_UNITS; ++u) {
            if (!s_unit_taken[u]) {
                s_unit_taken[u] = true;
                return u;
            }
        }
        return Errno::EBUSY;
    }
    if (s_unit_taken[unit])
        return Errno::EBUSY;
    s_unit_taken[unit] = true;
    return u32(unit);
}

void release_unit(u32 unit)
{
    kern::SpinGuard guard(s_units_lock);
    KASSERT(s_unit_taken[unit]);
    s_unit_taken[unit] = false;
}
} // namespace

u64 MemoryDisk::makedev_md(u32 unit) { return fs::makedev(MD_MAJOR, unit); }

// Take `count` single pages and zero them. Errors: ENOMEM (nothing kept).
ErrorOr<void> MemoryDisk::allocate_pages(size_t count)
{
    vm::PageAllocator& pa = vm::page_allocator();
    const vm::PageStats stats = pa.stats();
    const size_t reserve = stats.total / 8;  // leave 1/8 of memory to everyone else
    if (stats.free < reserve || count > stats.free - reserve)
        return Errno::ENOMEM;
    m_pages = new (std::nothrow) vm::Page*[count];
    if (!m_pages)
        return Errno::ENOMEM;
    m_page_count = pa.allocate_each(m_pages, count);
    if (m_page_count < count) {
        free_pages();
        return Errno::ENOMEM;
    }
    for (size_t i = 0; i < count; ++i)
        pa.zero_page(*m_pages[i]);
    return {};
}

void MemoryDisk::free_pages()
{
    vm::PageAllocator& pa = vm::page_allocator();
    for (size_t i = 0; i < m_page_count; ++i)
        pa.free(m_pages[i]);
    delete[] m_pages;
    m_pages = nullptr;
    m_page_count = 0;
}

ErrorOr<MemoryDisk*> md_attach(u64 bytes, int unit_wanted)
{
    if (bytes == 0 || bytes > (u64(1) << 40))
        return Errno::EINVAL;
    const u64 pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
    const u32 unit = TRY(claim_unit(unit_wanted));
    char name[16];
    kern::snprintf(name, sizeof name, "md%u", unit);
    auto* md = new (std::nothrow) MemoryDisk(unit, name, pages * (PAGE_SIZE / DEV_BSIZE));
    if (!md) {
        release_unit(unit);
        return Errno::ENOMEM;
    }
    auto thread = md->allocate_pages(pages).is_error()
                      ? ErrorOr<kern::Thread*>(Errno::ENOMEM)
                      : kern::Thread::create(name, MemoryDisk::thread_main, md);
    if (thread.is_error()) {
        md->free_pages();  // undo in reverse order
        delete md;
        release_unit(unit);
        return thread.error();
    }
    md->m_thread = thread.value();  // nothing below can fail
    md->m_thread->start();
    return md;
}

void md_detach(MemoryDisk& md)
{
    {
        kern::SpinGuard guard(md.m_lock);
        md.m_stopping = true;
        md.m_work.wake_all();
    }
    md.m_thread->join();  // the thread drains the queue before it ends
    KASSERT(md.m_queue.is_empty());
    KASSERT(md.stats().in_flight == 0);
    md.free_pages();
    const u32 unit = md.m_unit;
    delete &md;
    release_unit(unit);
}

// Queue the request for the thread: the only thing strategy does.
void MemoryDisk::strategy(Buf& bp)
{
    kern::SpinGuard guard(m_lock);
    KASSERT(!m_stopping);
    m_queue.push_back(bp);
    m_work.wake_one();
}

void MemoryDisk::thread_main(void* self) { static_cast<MemoryDisk*>(self)->serve(); }

// The device's "hardware": take the oldest request, copy, complete it.
// Returns when detach asked it to stop and the queue is empty.
void MemoryDisk::serve()
{
    for (;;) {
        Buf* bp;
        {
            kern::SpinGuard guard(m_lock);
            while (m_queue.is_empty() && !m_stopping)
                m_work.wait(m_lock);
            if (m_queue.is_empty())
                return;
            bp = &m_queue.take_first();
        }
        transfer(*bp);
        biodone(*bp);
    }
}

// Copy between the request's memory (b_data, or its page list:
// bio_segment) and the disk's pages, one piece at a time -- a piece ends
// where either side's page does. submit() checked the range, so every
// page exists.
void MemoryDisk::transfer(Buf& bp)
{
    vm::PageAllocator& pa = vm::page_allocator();
    u64 offset = bp.b_blkno << DEV_BSHIFT;
    size_t done = 0;
    while (done < bp.b_bcount) {
        size_t contiguous;
        u8* data = bio_segment(bp, done, contiguous);
        const size_t in_page = offset % PAGE_SIZE;
        const size_t chunk = min(contiguous, PAGE_SIZE - in_page);
        u8* disk = static_cast<u8*>(pa.virt_of(*m_pages[offset / PAGE_SIZE])) + in_page;
        if (bp.is_read())
            memcpy(data, disk, chunk);
        else
            memcpy(disk, data, chunk);
        done += chunk;
        offset += chunk;
    }
    bp.b_resid = 0;
}

} // namespace block
