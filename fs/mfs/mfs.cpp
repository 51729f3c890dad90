// fs/mfs/mfs.cpp -- the MFS pseudo-device and its server (see fs/mfs/mfs.h).
//
// The device's life:
//   mount()          an MfsDevice for [base, base + size) of the caller's
//                    memory, m_server = the caller's thread, two holds (the
//                    mount's and the server's); FfsMount::mount reads the
//                    image through it (inline: the server is the caller);
//                    the FFS goes into the mount table (fs/vfs:mount_instance)
//   serve()          the caller, back from mount(), sleeps here and serves
//   unmount          FFS writes back through the server, then its deletion
//                    runs mount_gone(): m_stopping, the server wakes, finds
//                    the queue empty, drops its hold; serve() returns and
//                    mount(2) returns 0
//   server killed    server_died(): m_dead, queued requests fail, new ones
//                    fail in strategy(); the FFS unmounts without writing
//                    back (BlockDevice::gone), and the last hold deletes
//                    the device
// Read more: 4.4BSD sys/ufs/mfs/mfs_vfsops.c (mfs_mount, mfs_start) and
// mfs_vnops.c (mfs_strategy, mfs_doio). Design only; our own code.
#include <fs/ffs/ffs_mount.h>
#include <fs/mfs/mfs.h>
#include <fs/mfs/mfs_args.h>
#include <fs/vfs/iobuffer.h>
#include <fs/vfs/vfs.h>
#include <kernel/base/lib/format.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/printk.h>
#include <kernel/base/sched/thread.h>
#include <vm/vm.h>

namespace fs::mfs {

using vm::is_page_aligned;

namespace {

constexpr u32 MFS_MAJOR = 240;  // Linux's first "local/experimental" block major
constexpr u64 MAX_BYTES = u64(1) << 40;
constexpr size_t MAX_DISCARDS = 64;  // pending discard ranges; more are dropped (advice)

// A freed range waiting for the server to drop its pages.
struct Discard {
    u64 sector;
    u64 count;
};

} // namespace

namespace {
// set_discard_hook's function (written once, before the first mount).
ErrorOr<void> (*g_discard_hook)(uptr start, size_t length) = nullptr;
} // namespace

void set_discard_hook(ErrorOr<void> (*drop)(uptr start, size_t length)) { g_discard_hook = drop; }

class MfsDevice final : public block::BlockDevice {
public:
    MfsDevice(u32 unit, const char* name, uptr base, u64 size, u32 flags)
        : BlockDevice(name, (u64(MFS_MAJOR) << 8) | unit, size / block::DEV_BSIZE),
          m_unit(unit), m_base(base), m_flags(flags), m_server(kern::Thread::current())
    {
    }

    void strategy(block::Buf& bp) override;
    void discard(u64 sector, u64 count) override;
    bool gone() const override { return __atomic_load_n(&m_dead, __ATOMIC_ACQUIRE); }

    ErrorOr<void> serve();
    void died();
    void mount_gone();
    void release();
    MfsStats stats_snapshot() const
    {
        kern::SpinGuard guard(m_lock);
        return m_stats;
    }
    u32 unit() const { return m_unit; }

private:
    ~MfsDevice() override = default;
    void transfer(block::Buf& bp);
    void drop_pages(const Discard& d);

    const u32 m_unit;
    const uptr m_base;
    const u32 m_flags;
    kern::Thread* const m_server;

    mutable kern::SpinLock m_lock;
    // Guarded by m_lock.
    kern::IntrusiveList<block::Buf, &block::Buf::b_actq> m_queue;
    kern::WaitQueue m_work;  // the server sleeps here
    Discard m_discards[MAX_DISCARDS];
    size_t m_discard_count = 0;
    bool m_stopping = false;
    bool m_dead = false;  // also read without the lock (gone())
    u32 m_holds = 2;      // the mount's and the server's
    MfsStats m_stats;
};

namespace {

kern::SpinLock s_units_lock;
MfsDevice* s_units[MAX_UNITS];  // guarded by s_units_lock

} // namespace

// Copy between the request's kernel memory and the server's region: the
// server's own address space, so only on the server's thread.
void MfsDevice::transfer(block::Buf& bp)
{
    const IoBuffer region = IoBuffer::user(m_base + (bp.b_blkno << block::DEV_BSHIFT));
    ErrorOr<void> copied;
    for (size_t done = 0; done < bp.b_bcount && !copied.is_error();) {
        size_t length;
        u8* data = block::bio_segment(bp, done, length);  // a page of a cluster, or all of b_data
        copied = bp.is_read() ? region.read_into(data, done, length) : region.write_from(done, data, length);
        done += length;
    }
    if (copied.is_error()) {
        bp.b_resid = bp.b_bcount;
        block::bioerror(bp, Errno::EIO);  // the server unmapped its region
    } else {
        bp.b_resid = 0;
    }
    kern::SpinGuard guard(m_lock);
    ++m_stats.requests;
    m_stats.bytes += bp.b_bcount;
}

void MfsDevice::strategy(block::Buf& bp)
{
    {
        kern::SpinGuard guard(m_lock);
        if (!m_dead && kern::Thread::current() != m_server) {
            m_queue.push_back(bp);
            m_work.wake_one();
            return;
        }
        if (!m_dead)
            ++m_stats.inline_requests;
    }
    if (gone()) {
        bp.b_resid = bp.b_bcount;
        block::bioerror(bp, Errno::EIO);
    } else {
        transfer(bp);  // the server itself (its mount reading the image)
    }
    block::biodone(bp);
}

void MfsDevice::discard(u64 sector, u64 count)
{
    if (m_flags & MFS_NODISCARD)
        return;
    kern::SpinGuard guard(m_lock);
    if (m_dead)
        return;
    if (m_discard_count > 0) {
        Discard& last = m_discards[m_discard_count - 1];
        if (last.sector + last.count == sector) {
            last.count += count;  // the next block of a file being freed
            return;
        }
    }
    if (m_discard_count == MAX_DISCARDS)
        return;  // advice: dropping some is allowed
    m_discards[m_discard_count++] = {sector, count};
    m_work.wake_one();
}

void MfsDevice::drop_pages(const Discard& d)
{
    const uptr start = align_up(m_base + (d.sector << block::DEV_BSHIFT), PAGE_SIZE);
    const uptr end = align_down(m_base + ((d.sector + d.count) << block::DEV_BSHIFT), PAGE_SIZE);
    if (start >= end || !g_discard_hook)
        return;
    if (!g_discard_hook(start, end - start).is_error()) {
        kern::SpinGuard guard(m_lock);
        m_stats.discards += (end - start) / PAGE_SIZE;
    }
}

ErrorOr<void> MfsDevice::serve()
{
    for (;;) {
        block::Buf* bp = nullptr;
        Discard discard = {0, 0};
        {
            kern::SpinGuard guard(m_lock);
            bool slept = false;
            while (m_queue.is_empty() && m_discard_count == 0 && !m_stopping) {
                if (m_work.wait_interruptible(m_lock) == kern::WaitQueue::Result::Interrupted)
                    return Errno::EINTR;
                slept = true;
            }
            if (slept)
                ++m_stats.wakeups;
            // Discards first: a request queued after a block was freed then
            // completes only once the block's pages are gone, so sync(2) --
            // whose writes follow the frees -- returns with the memory back
            // (the test harness's free-memory check relies on it).
            if (m_discard_count > 0)
                discard = m_discards[--m_discard_count];
            else if (!m_queue.is_empty())
                bp = &m_queue.take_first();
            else
                break;  // stopping, and nothing is left
        }
        if (bp) {
            // The page daemon may be waiting for this write to free memory,
            // and the copy may fault in pages of our region that are on
            // swap: take them from the reserve rather than wait for the
            // daemon, which waits for us (vm/pageq.h).
            kern::Thread::current()->set_may_use_reserve(true);
            transfer(*bp);
            kern::Thread::current()->set_may_use_reserve(false);
            block::biodone(*bp);
        } else {
            drop_pages(discard);
        }
    }
    release();  // the server's hold
    return {};
}

void MfsDevice::died()
{
    printk("%s: the server died: every request of this file system now fails with EIO\n", name());
    kern::IntrusiveList<block::Buf, &block::Buf::b_actq> failed;
    {
        kern::SpinGuard guard(m_lock);
        __atomic_store_n(&m_dead, true, __ATOMIC_RELEASE);
        while (!m_queue.is_empty())
            failed.push_back(m_queue.take_first());
        m_discard_count = 0;
    }
    while (!failed.is_empty()) {
        block::Buf& bp = failed.take_first();
        bp.b_resid = bp.b_bcount;
        block::bioerror(bp, Errno::EIO);
        block::biodone(bp);
    }
    release();  // the server's hold
}

// The FFS on the device was deleted (after unmount): the server may go.
void MfsDevice::mount_gone()
{
    {
        kern::SpinGuard guard(m_lock);
        m_stopping = true;
        m_work.wake_all();
    }
    release();  // the mount's hold
}

void MfsDevice::release()
{
    {
        kern::SpinGuard guard(m_lock);
        KASSERT(m_holds > 0);
        if (--m_holds > 0)
            return;
    }
    {
        kern::SpinGuard guard(s_units_lock);
        s_units[m_unit] = nullptr;
    }
    delete this;
}

// ---- the interface ---------------------------------------------------------

ErrorOr<MfsDevice*> mount(const Context& ctx, StringView path, uptr base, u64 size, u32 flags)
{
    if ((flags & ~MFS_NODISCARD) || !is_page_aligned(base) || !is_page_aligned(size) || size == 0 ||
        size > MAX_BYTES || base + size < base)
        return Errno::EINVAL;
    u8 probe;
    TRY(IoBuffer::user(base).read_into(&probe, 0, 1));  // EFAULT: nothing mapped there
    TRY(IoBuffer::user(base + size - 1).read_into(&probe, 0, 1));
    MfsDevice* dev = nullptr;
    {
        kern::SpinGuard guard(s_units_lock);
        for (u32 unit = 0; unit < MAX_UNITS && !dev; ++unit) {
            if (s_units[unit])
                continue;
            char name[16];
            kern::snprintf(name, sizeof name, "mfs%u", unit);
            dev = new (std::nothrow) MfsDevice(unit, name, base, size, flags);
            if (!dev)
                return Errno::ENOMEM;
            s_units[unit] = dev;
        }
    }
    if (!dev)
        return Errno::EBUSY;  // every unit in use
    auto ffs = ffs::FfsMount::mount(*dev, "");
    if (ffs.is_error()) {
        dev->release();
        dev->release();
        return ffs.error();
    }
    ffs.value()->on_delete([](void* d) { static_cast<MfsDevice*>(d)->mount_gone(); }, dev);
    // On an error mount_instance deletes the FFS (mount_gone: the mount's
    // hold), and the server's hold is dropped here.
    auto mounted = mount_instance(ctx, *ffs.value(), "mfs", path);
    if (mounted.is_error()) {
        dev->release();
        return mounted.error();
    }
    return dev;
}

ErrorOr<void> serve(MfsDevice& dev) { return dev.serve(); }

void server_died(MfsDevice& dev) { dev.died(); }

bool stats_of(u32 unit, MfsStats& out)
{
    kern::SpinGuard guard(s_units_lock);
    if (unit >= MAX_UNITS || !s_units[unit])
        return false;
    out = s_units[unit]->stats_snapshot();
    return true;
}

} // namespace fs::mfs
