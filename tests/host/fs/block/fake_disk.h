// tests/host/fs/block/fake_disk.h -- an asynchronous disk the test drives by hand.
//
// strategy() only queues, like every driver; the test decides when each
// request completes (complete(), complete_all()), and whether it fails
// (fail_sector: any request touching that sector gets EIO). Installing the
// wait hook (kern::host::set_wait_hook) makes "a thread sleeps in
// biowait" mean "the disk finishes what it has queued", which is what a
// real disk would do meanwhile.
#pragma once

#include <fs/block/buf.h>
#include <kernel/base/lib/string.h>
#include <tests/host/shim/wait_queue_shim.h>

#include <deque>
#include <set>
#include <vector>

namespace block::test {

class FakeDisk final : public BlockDevice {
public:
    explicit FakeDisk(u64 sectors, u64 devno = 0x0900)
        : BlockDevice("fake0", devno, sectors), m_data(sectors * DEV_BSIZE, 0) {}

    void strategy(Buf& bp) override
    {
        m_queue.push_back(&bp);
        ++m_submitted;
    }

    // Finish the queued request at position `i` (0: the oldest).
    void complete(size_t i = 0)
    {
        Buf* bp = m_queue.at(i);
        m_queue.erase(m_queue.begin() + long(i));
        const u64 first = bp->b_blkno, count = bp->b_bcount / DEV_BSIZE;
        for (u64 s = first; s < first + count; ++s) {
            if (m_fail.count(s)) {
                bp->b_resid = bp->b_bcount;
                bioerror(*bp, Errno::EIO);
                biodone(*bp);
                return;
            }
        }
        u8* disk = m_data.data() + first * DEV_BSIZE;
        for (size_t done = 0; done < bp->b_bcount;) {
            size_t length;
            u8* data = bio_segment(*bp, done, length);
            if (bp->is_read())
                memcpy(data, disk + done, length);
            else
                memcpy(disk + done, data, length);
            done += length;
        }
        bp->b_resid = 0;
        biodone(*bp);
    }
    // Finish everything queued, including what completions queue. Returns
    // whether anything was done (the wait hook's "progress").
    bool complete_all()
    {
        bool any = !m_queue.empty();
        while (!m_queue.empty())
            complete(0);
        return any;
    }

    size_t pending() const { return m_queue.size(); }
    size_t submitted() const { return m_submitted; }
    void fail_sector(u64 s) { m_fail.insert(s); }
    void heal() { m_fail.clear(); }
    u8* sector(u64 s) { return m_data.data() + s * DEV_BSIZE; }

private:
    std::vector<u8> m_data;
    std::deque<Buf*> m_queue;
    std::set<u64> m_fail;
    size_t m_submitted = 0;
};

// Installs "the disk completes its queue" as the wait hook for one scope.
class DiskRunsWhileWaiting {
public:
    explicit DiskRunsWhileWaiting(FakeDisk& disk)
    {
        m_old = kern::host::set_wait_hook([&disk] { return disk.complete_all(); });
    }
    ~DiskRunsWhileWaiting() { kern::host::set_wait_hook(std::move(m_old)); }

private:
    std::function<bool()> m_old;
};

} // namespace block::test
