// tests/ktest/fs/block_ktest_util.h -- what the block-layer ktests share: data patterns and a completion counter.
//
// Used by block_ktest.cpp (md) and virtio_blk_ktest.cpp (the virtio disk),
// which check the same block-layer contract on two drivers.
#pragma once

#include <fs/block/buf.h>
#include <kernel/base/sched/thread.h>

namespace block::ktest_util {

using kern::Thread;

// The byte a pattern puts at `i` of block `b`.
inline u8 pattern(u64 b, size_t i) { return u8(b * 31 + i * 7 + (i >> 9)); }
inline void fill(u8* data, u64 b, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        data[i] = pattern(b, i);
}
inline bool matches(const u8* data, u64 b, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        if (data[i] != pattern(b, i))
            return false;
    return true;
}

// Completions of callback requests, counted in the driver's completion
// context (md's thread, virtio-blk's interrupt) and waited for here.
struct Completions {
    kern::SpinLock lock;
    kern::WaitQueue done;
    size_t count = 0;
    size_t from_submitter = 0;  // callbacks that ran on the submitting thread
    Thread* submitter = nullptr;

    void wait_for(size_t n)
    {
        kern::SpinGuard guard(lock);
        while (count < n)
            done.wait(lock);
    }
};

inline void count_completion(Buf& bp)
{
    auto& c = *static_cast<Completions*>(bp.b_private);
    kern::SpinGuard guard(c.lock);
    ++c.count;
    if (Thread::current() == c.submitter)
        ++c.from_submitter;
    c.done.wake_all();
}

} // namespace block::ktest_util
