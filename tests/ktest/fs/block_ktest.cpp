// tests/ktest/fs/block_ktest.cpp -- the block layer in the kernel (suite block): md, requests, the buffer cache, the device node.
//
// The buffer cache's logic is tested on the host against a fake disk
// (tests/host/fs/block/); here the same code runs over md, with real
// kernel threads: md's own thread completes every request, so completions
// really come from another context, several requests wait in md's queue at
// once, and several threads share one buffer. Each case attaches its own
// md and uses its own BufCache, and gives both back: the runner's
// free-page and heap check is the "detach frees every page" test.
#include <fs/block/blkdev.h>
#include <fs/block/bufcache.h>
#include <fs/block/md.h>
#include <fs/vfs/device.h>
#include <kernel/base/heap/heap.h>
#include <kernel/base/ktest/ktest.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/page/page_allocator.h>
#include <kernel/base/sched/thread.h>
#include <tests/ktest/fs/block_ktest_util.h>

using namespace block;
using namespace block::ktest_util;
using kern::Thread;

namespace {

constexpr size_t BS = 4096;
constexpr u64 SPB = BS / DEV_BSIZE;

// Free pages, after the heap has given back its spare empty slabs (as the
// runner's own leak check does).
size_t free_pages()
{
    kern::kernel_heap().shrink();
    return vm::page_allocator().stats().free;
}

} // namespace

KTEST(block, md_attach_detach_gives_every_page_back)
{
    const size_t before = free_pages();
    MemoryDisk* md = MUST(md_attach(2 * 1024 * 1024 + 1));  // rounds up to a page
    KEXPECT_EQ(md->size_sectors(), (2 * 1024 * 1024 + PAGE_SIZE) / DEV_BSIZE);
    KEXPECT(free_pages() + 513 <= before);  // 513 pages of disk, at least
    KEXPECT_EQ(fs::dev_major(md->devno()), MD_MAJOR);
    md_detach(*md);
    KEXPECT_EQ(free_pages(), before);
    KEXPECT_EQ(md_attach(0).error(), Errno::EINVAL);
    KEXPECT_EQ(md_attach(4096, int(MD_MAX_UNITS)).error(), Errno::EINVAL);
    KEXPECT_EQ(md_attach(u64(1) << 39).error(), Errno::ENOMEM);  // more than the machine has
}

KTEST(block, md_units_are_exclusive)
{
    MemoryDisk* a = MUST(md_attach(PAGE_SIZE, 5));
    KEXPECT_EQ(md_attach(PAGE_SIZE, 5).error(), Errno::EBUSY);
    KEXPECT_EQ(fs::dev_minor(a->devno()), 5u);
    md_detach(*a);
    MemoryDisk* b = MUST(md_attach(PAGE_SIZE, 5));  // free again
    md_detach(*b);
}

KTEST(block, sync_round_trip_at_every_page_boundary)
{
    MemoryDisk* md = MUST(md_attach(64 * 1024));
    static u8 out[3 * BS], in[3 * BS];
    fill(out, 1, sizeof out);
    Buf bp;
    bio_prepare(bp, *md, 7, out, sizeof out, 0);  // starts mid-page, spans four pages
    KEXPECT(!bio_sync(bp).is_error());
    bio_prepare(bp, *md, 7, in, sizeof in, Buf::B_READ);
    KEXPECT(!bio_sync(bp).is_error());
    KEXPECT(memcmp(in, out, sizeof in) == 0);
    bio_prepare(bp, *md, 0, in, DEV_BSIZE, Buf::B_READ);  // untouched: zeros
    KEXPECT(!bio_sync(bp).is_error());
    KEXPECT_EQ(in[0], 0);
    BlockStats s = md->stats();
    KEXPECT_EQ(s.writes, 1u);
    KEXPECT_EQ(s.reads, 2u);
    KEXPECT_EQ(s.bytes_written, sizeof out);
    md_detach(*md);
}

KTEST(block, many_requests_in_flight_complete_in_mds_thread)
{
    constexpr size_t N = 64;
    MemoryDisk* md = MUST(md_attach(N * BS));
    auto* bufs = new Buf[N];
    auto* data = new u8[N * DEV_BSIZE];
    Completions c;
    c.submitter = Thread::current();
    for (size_t i = 0; i < N; ++i) {
        fill(data + i * DEV_BSIZE, i, DEV_BSIZE);
        bio_prepare(bufs[i], *md, i * SPB, data + i * DEV_BSIZE, DEV_BSIZE, Buf::B_ASYNC);
        bufs[i].b_iodone = count_completion;
        bufs[i].b_private = &c;
        submit(bufs[i]);
    }
    c.wait_for(N);
    KEXPECT_EQ(c.from_submitter, 0u);
    BlockStats s = md->stats();
    KEXPECT_EQ(s.writes, N);
    KEXPECT_EQ(s.in_flight, 0u);
    KEXPECT(s.in_flight_max > 1);  // they queued up behind each other
    // Read them all back the same way, then check.
    memset(data, 0, N * DEV_BSIZE);
    for (size_t i = 0; i < N; ++i) {
        bio_prepare(bufs[i], *md, i * SPB, data + i * DEV_BSIZE, DEV_BSIZE, Buf::B_READ | Buf::B_ASYNC);
        bufs[i].b_iodone = count_completion;
        submit(bufs[i]);
    }
    c.wait_for(2 * N);
    for (size_t i = 0; i < N; ++i)
        KEXPECT(matches(data + i * DEV_BSIZE, i, DEV_BSIZE));
    delete[] data;
    delete[] bufs;
    md_detach(*md);
}

KTEST(block, requests_past_the_end_fail)
{
    MemoryDisk* md = MUST(md_attach(8 * BS));
    static u8 buf[2 * BS];
    Buf bp;
    bio_prepare(bp, *md, 8 * SPB, buf, DEV_BSIZE, Buf::B_READ);
    KEXPECT_EQ(bio_sync(bp).error(), Errno::EIO);
    bio_prepare(bp, *md, 8 * SPB - 1, buf, 2 * DEV_BSIZE, 0);
    KEXPECT_EQ(bio_sync(bp).error(), Errno::EIO);
    bio_prepare(bp, *md, 0, buf, 100, 0);
    KEXPECT_EQ(bio_sync(bp).error(), Errno::EINVAL);
    auto* cache = new BufCache(16 * BS);
    KEXPECT_EQ(cache->bread(*md, 8 * SPB, BS).error(), Errno::EIO);
    KEXPECT(!cache->cached(*md, 8 * SPB));
    delete cache;
    KEXPECT_EQ(md->stats().errors, 4u);
    md_detach(*md);
}

KTEST(block, bufcache_bwrite_bdwrite_bread_round_trips)
{
    MemoryDisk* md = MUST(md_attach(64 * BS));
    auto* cache = new BufCache(8 * BS);  // smaller than the work: buffers are reclaimed
    for (u64 b = 0; b < 32; ++b) {
        Buf* bp = MUST(cache->getblk(*md, b * SPB, BS));
        fill(static_cast<u8*>(bp->b_data), b, BS);
        if (b % 3 == 0)
            MUST(cache->bwrite(*bp));
        else if (b % 3 == 1)
            cache->bdwrite(*bp);
        else
            cache->bawrite(*bp);
    }
    MUST(cache->flush(*md));
    KEXPECT_EQ(cache->stats().dirty, 0u);
    KEXPECT(cache->stats().bytes <= 8 * BS);
    cache->invalidate(*md);
    for (u64 b = 0; b < 32; ++b) {  // from the disk again
        Buf* bp = MUST(cache->bread(*md, b * SPB, BS));
        KEXPECT(matches(static_cast<u8*>(bp->b_data), b, BS));
        cache->brelse(*bp);
    }
    KEXPECT(cache->stats().hits + cache->stats().misses >= 64);
    cache->invalidate(*md);
    delete cache;
    md_detach(*md);
}

namespace {
struct Readers {
    Readers(BufCache* c, MemoryDisk* m) : cache(c), md(m) {}
    BufCache* cache;
    MemoryDisk* md;
    kern::SpinLock lock;
    size_t bad = 0;
};

void read_one_block_often(void* arg)
{
    auto& r = *static_cast<Readers*>(arg);
    for (int i = 0; i < 200; ++i) {
        Buf* bp = MUST(r.cache->bread(*r.md, 5 * SPB, BS));
        const bool ok = matches(static_cast<u8*>(bp->b_data), 5, BS);
        r.cache->brelse(*bp);
        if (!ok) {
            kern::SpinGuard guard(r.lock);
            ++r.bad;
        }
        if (i % 16 == 0)
            r.cache->shrink(BS);  // make some of the reads miss
    }
}
} // namespace

KTEST(block, concurrent_readers_of_one_block)
{
    MemoryDisk* md = MUST(md_attach(16 * BS));
    static u8 block[BS];
    fill(block, 5, BS);
    Buf bp;
    bio_prepare(bp, *md, 5 * SPB, block, BS, 0);
    MUST(bio_sync(bp));
    Readers r(new BufCache(4 * BS), md);
    Thread* threads[4];
    for (Thread*& t : threads) {
        t = MUST(Thread::create("reader", read_one_block_often, &r));
        t->start();
    }
    for (Thread* t : threads)
        t->join();
    KEXPECT_EQ(r.bad, 0u);
    KEXPECT(r.cache->stats().hits > 0);
    KEXPECT(md->stats().reads >= 2);  // shrink made it read again
    r.cache->invalidate(*md);
    delete r.cache;
    md_detach(*md);
}

KTEST(block, device_node_reads_and_writes_at_odd_offsets)
{
    MemoryDisk* md = MUST(md_attach(128 * 1024));
    {
        BlockDeviceNode node(*md);
        static u8 out[70000], in[70000];
        fill(out, 9, sizeof out);
        const fs::IoBuffer o = fs::IoBuffer::kernel(out), i = fs::IoBuffer::kernel(in);
        KEXPECT_EQ(MUST(node.write(1000, o, sizeof out)), sizeof out);  // past a bounce buffer
        KEXPECT_EQ(MUST(node.write(3, o, 5)), 5u);                      // inside one sector
        KEXPECT_EQ(MUST(node.write(510, o, 4)), 4u);                    // across two
        KEXPECT_EQ(MUST(node.read(1000, i, sizeof in)), sizeof in);
        KEXPECT(memcmp(in, out, sizeof in) == 0);
        KEXPECT_EQ(MUST(node.read(0, i, 520)), 520u);
        KEXPECT_EQ(in[0], 0);
        KEXPECT(memcmp(in + 3, out, 5) == 0 && in[8] == 0);
        KEXPECT(memcmp(in + 510, out, 4) == 0 && in[514] == 0);
        // The end of the disk.
        const u64 size = md->size_bytes();
        KEXPECT_EQ(MUST(node.read(size - 10, i, 100)), 10u);
        KEXPECT_EQ(MUST(node.read(size, i, 100)), 0u);
        KEXPECT_EQ(MUST(node.write(size - 2, o, 100)), 2u);
        KEXPECT_EQ(node.write(size, o, 1).error(), Errno::ENOSPC);
        fs::VAttr attr = MUST(node.getattr());
        KEXPECT_EQ(attr.size, size);
        KEXPECT(attr.type == fs::VType::BlockDevice);
        KEXPECT_EQ(attr.rdev, md->devno());
    }
    md_detach(*md);
}

KTEST(block, command_line_sizes)
{
    u64 bytes = 0;
    KEXPECT(parse_size("16M", bytes) && bytes == 16u << 20);
    KEXPECT(parse_size("64k", bytes) && bytes == 64u << 10);
    KEXPECT(parse_size("1G", bytes) && bytes == u64(1) << 30);
    KEXPECT(parse_size("4096", bytes) && bytes == 4096);
    KEXPECT(!parse_size("", bytes));
    KEXPECT(!parse_size("M", bytes));
    KEXPECT(!parse_size("16MB", bytes));
    KEXPECT(!parse_size("16T", bytes));
}
