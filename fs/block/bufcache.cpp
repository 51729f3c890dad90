// fs/block/bufcache.cpp -- the buffer cache (see bufcache.h for the design and the lock order).
//
// Every public operation follows one pattern: decide under m_lock, then
// act with it released. The decisions that need slow work -- allocating a
// buffer, freeing one, submitting a write -- leave it in a Deferred (two
// local lists threaded through the buffers' b_lru links) that run()
// carries out after the lock is dropped. A buffer on a Deferred list is
// out of the LRU and either already out of the hash (to be freed) or BUSY
// (to be written), so no other thread can reach it meanwhile.
#include <fs/block/bufcache.h>

namespace block {

namespace {
bool valid_size(size_t size) { return size > 0 && size % DEV_BSIZE == 0 && size <= MAX_TRANSFER; }
} // namespace

BufCache::BufCache(size_t limit_bytes) : m_limit(limit_bytes) {}

BufCache::~BufCache()
{
    Deferred later;
    {
        kern::SpinGuard guard(m_lock);
        m_all.for_each_safe([&](Buf& bp) {
            KASSERT_MSG(!(bp.b_cflags & Buf::BC_BUSY), "bufcache destroyed with a busy buffer");
            m_lru.remove(bp);
            unlink_locked(bp);
            later.free.push_back(bp);
        });
    }
    run(later);
}

// ---- buffers: making, freeing, finding -------------------------------------

// A new buffer of `size` bytes for (dev, blkno), not in the cache, not VALID.
// Errors: ENOMEM.
ErrorOr<Buf*> BufCache::make_buf(BlockDevice& dev, u64 blkno, size_t size)
{
    auto* bp = new (std::nothrow) Buf;
    if (!bp)
        return Errno::ENOMEM;
    auto* data = new (std::nothrow) u8[size];
    if (!data) {
        delete bp;
        return Errno::ENOMEM;
    }
    bp->b_cache = this;
    bp->b_dev = &dev;
    bp->b_blkno = blkno;
    bp->b_data = data;
    bp->b_bufsize = size;
    bp->b_bcount = size;
    return bp;
}

void BufCache::destroy(Buf& bp)
{
    delete[] static_cast<u8*>(bp.b_data);
    delete &bp;
}

// Find (dev, blkno) and take it BUSY, sleeping while someone else holds
// it. Returns the buffer, or nullptr if the cache does not have the block.
// => m_lock held (dropped while asleep).
Buf* BufCache::claim_locked(BlockDevice& dev, u64 blkno)
{
    for (;;) {
        Buf* bp = m_hash.find(BufKey{&dev, blkno});
        if (!bp)
            return nullptr;
        if (bp->b_cflags & Buf::BC_BUSY) {
            bp->b_wanted.wait(m_lock);  // bp may be gone when we wake: look again
            continue;
        }
        m_lru.remove(*bp);
        bp->b_cflags |= Buf::BC_BUSY;
        bp->b_iodone = nullptr;
        ++m_stats.hits;
        return bp;
    }
}

// Enter a new buffer in the cache, BUSY. => m_lock held; block not cached.
void BufCache::install_locked(Buf& bp)
{
    m_hash.insert(bp);
    m_all.push_back(bp);
    m_bytes += bp.b_bufsize;
    bp.b_cflags = Buf::BC_BUSY;
    ++m_stats.misses;
}

// Take `bp` out of the cache (it is on no list afterwards but maybe a
// Deferred one). => m_lock held; bp not on the LRU.
void BufCache::unlink_locked(Buf& bp)
{
    m_hash.remove(bp);
    m_all.remove(bp);
    m_bytes -= bp.b_bufsize;
}

ErrorOr<Buf*> BufCache::getblk(BlockDevice& dev, u64 blkno, size_t size)
{
    if (!valid_size(size))
        return Errno::EINVAL;
    Buf* fresh = nullptr;  // made outside the lock after a miss
    for (;;) {
        Buf* found;
        Deferred later;
        {
            kern::SpinGuard guard(m_lock);
            found = claim_locked(dev, blkno);
            if (!found && fresh) {
                install_locked(*fresh);
                found = fresh;
                fresh = nullptr;
                reclaim_locked(m_limit, later);
            }
        }
        run(later);
        if (found) {
            if (fresh)  // another thread installed the block first
                destroy(*fresh);
            return resize(*found, size);
        }
        fresh = TRY(make_buf(dev, blkno, size));
    }
}

// Give `bp` a buffer of `size` bytes if it has another size: write out
// dirty contents first, and it is no longer VALID. Returns bp, still held.
// Errors: EIO, ENOMEM (bp is released then). => bp held by the caller.
ErrorOr<Buf*> BufCache::resize(Buf& bp, size_t size)
{
    if (bp.b_bufsize == size)
        return &bp;
    bool dirty;
    {
        kern::SpinGuard guard(m_lock);
        dirty = bp.b_cflags & Buf::BC_DELWRI;
    }
    if (dirty) {
        start_write(bp, false);
        if (auto written = biowait(bp); written.is_error()) {
            discard(bp);
            return written.error();
        }
    }
    auto* data = new (std::nothrow) u8[size];
    if (!data) {
        discard(bp);
        return Errno::ENOMEM;
    }
    delete[] static_cast<u8*>(bp.b_data);
    kern::SpinGuard guard(m_lock);
    m_bytes = m_bytes - bp.b_bufsize + size;
    bp.b_data = data;
    bp.b_bufsize = size;
    bp.b_bcount = size;
    bp.b_cflags &= ~(Buf::BC_VALID | Buf::BC_DELWRI);
    return &bp;
}

// ---- reading and writing ------------------------------------------------------

ErrorOr<Buf*> BufCache::bread(BlockDevice& dev, u64 blkno, size_t size)
{
    Buf* bp = TRY(getblk(dev, blkno, size));
    {
        kern::SpinGuard guard(m_lock);
        if (bp->b_cflags & Buf::BC_VALID)
            return bp;
        ++m_stats.reads;
    }
    bio_prepare(*bp, dev, blkno, bp->b_data, bp->b_bufsize, Buf::B_READ);
    if (auto read = bio_sync(*bp); read.is_error()) {
        {
            kern::SpinGuard guard(m_lock);
            ++m_stats.errors;
        }
        discard(*bp);  // nothing half-read stays in the cache
        return read.error();
    }
    kern::SpinGuard guard(m_lock);
    bp->b_cflags |= Buf::BC_VALID;
    return bp;
}

// Mark `bp` clean and VALID and submit its write. An asynchronous write
// releases the buffer when it completes (async_write_done).
// => bp BUSY, held by the caller.
void BufCache::start_write(Buf& bp, bool async)
{
    {
        kern::SpinGuard guard(m_lock);
        KASSERT(bp.b_cflags & Buf::BC_BUSY);
        bp.b_cflags &= ~Buf::BC_DELWRI;
        bp.b_cflags |= Buf::BC_VALID | (async ? Buf::BC_WRITING : 0);
        ++(async ? m_stats.async_writes : m_stats.writes);
    }
    bio_prepare(bp, *bp.b_dev, bp.b_blkno, bp.b_data, bp.b_bufsize, async ? Buf::B_ASYNC : 0);
    bp.b_iodone = async ? async_write_done : nullptr;
    submit(bp);
}

// The completion of an asynchronous write (biodone's callback; maybe in an
// interrupt): release the buffer, or drop it if the write failed.
void BufCache::async_write_done(Buf& bp)
{
    BufCache& cache = *bp.b_cache;
    const bool failed = bp.b_oflags & Buf::B_ERROR;  // the driver is done with b_lock
    bp.b_iodone = nullptr;
    Deferred later;
    {
        kern::SpinGuard guard(cache.m_lock);
        bp.b_cflags &= ~Buf::BC_WRITING;
        if (failed) {
            ++cache.m_stats.errors;
            bp.b_cflags |= Buf::BC_INVAL;
        }
        cache.release_locked(bp, later);
    }
    cache.run(later);
}

ErrorOr<void> BufCache::bwrite(Buf& bp)
{
    start_write(bp, false);
    if (auto written = biowait(bp); written.is_error()) {
        {
            kern::SpinGuard guard(m_lock);
            ++m_stats.errors;
        }
        discard(bp);
        return written.error();
    }
    brelse(bp);
    return {};
}

void BufCache::bawrite(Buf& bp) { start_write(bp, true); }

void BufCache::bdwrite(Buf& bp)
{
    Deferred later;
    {
        kern::SpinGuard guard(m_lock);
        bp.b_cflags |= Buf::BC_VALID | Buf::BC_DELWRI;
        release_locked(bp, later);
    }
    run(later);
}

void BufCache::brelse(Buf& bp)
{
    Deferred later;
    {
        kern::SpinGuard guard(m_lock);
        release_locked(bp, later);
    }
    run(later);
}

void BufCache::discard(Buf& bp)
{
    Deferred later;
    {
        kern::SpinGuard guard(m_lock);
        bp.b_cflags |= Buf::BC_INVAL;
        release_locked(bp, later);
    }
    run(later);
}

// The end of every hold: wake the waiters, then either back to the LRU's
// tail (most recently used) or, if INVAL or never filled, out of the cache.
// => m_lock held; bp BUSY.
void BufCache::release_locked(Buf& bp, Deferred& later)
{
    KASSERT(bp.b_cflags & Buf::BC_BUSY);
    KASSERT(!(bp.b_cflags & Buf::BC_WRITING));
    bp.b_cflags &= ~Buf::BC_BUSY;
    bp.b_wanted.wake_all();  // they look the block up again, so freeing bp is safe
    const bool useless = !(bp.b_cflags & Buf::BC_VALID) && !(bp.b_cflags & Buf::BC_DELWRI);
    if ((bp.b_cflags & Buf::BC_INVAL) || useless) {
        unlink_locked(bp);
        later.free.push_back(bp);
    } else {
        m_lru.push_back(bp);
    }
    reclaim_locked(m_limit, later);
}

// Bring the cache towards `target` bytes: walk the idle buffers from the
// oldest; free the clean ones, start writing the dirty ones (they are freed
// by a later pass, once clean). => m_lock held.
void BufCache::reclaim_locked(size_t target, Deferred& later)
{
    size_t writing = 0;  // bytes whose writes this pass starts
    Buf* next;
    for (Buf* bp = m_lru.first(); bp && m_bytes > target + writing; bp = next) {
        next = m_lru.next(*bp);
        m_lru.remove(*bp);
        if (bp->b_cflags & Buf::BC_DELWRI) {
            // BUSY and WRITING now, so flush() waits for it from this moment.
            bp->b_cflags = (bp->b_cflags & ~Buf::BC_DELWRI) | Buf::BC_BUSY | Buf::BC_WRITING;
            bp->b_iodone = nullptr;
            writing += bp->b_bufsize;
            later.write.push_back(*bp);
        } else {
            unlink_locked(*bp);
            ++m_stats.freed;
            later.free.push_back(*bp);
        }
    }
}

// Carry out what was decided under the lock. => m_lock not held.
void BufCache::run(Deferred& later)
{
    while (!later.free.is_empty())
        destroy(later.free.take_first());
    while (!later.write.is_empty())
        start_write(later.write.take_first(), true);
}

// ---- the whole device, the whole cache ----------------------------------------

// The next buffer of `dev` flush() must deal with: dirty and idle, or in
// an asynchronous write. => m_lock held.
Buf* BufCache::next_to_flush_locked(const BlockDevice& dev)
{
    for (Buf& bp : m_all) {
        if (bp.b_dev != &dev)
            continue;
        const u32 f = bp.b_cflags;
        if ((f & Buf::BC_WRITING) || ((f & Buf::BC_DELWRI) && !(f & Buf::BC_BUSY)))
            return &bp;
    }
    return nullptr;
}

ErrorOr<void> BufCache::flush(BlockDevice& dev)
{
    Errno first_error = Errno(0);
    for (;;) {
        Buf* bp;
        {
            kern::SpinGuard guard(m_lock);
            bp = next_to_flush_locked(dev);
            if (!bp)
                break;
            if (bp->b_cflags & Buf::BC_BUSY) {  // an asynchronous write: wait for it
                bp->b_wanted.wait(m_lock);
                continue;
            }
            m_lru.remove(*bp);
            bp->b_cflags |= Buf::BC_BUSY;
            bp->b_iodone = nullptr;
        }
        if (auto written = bwrite(*bp); written.is_error() && first_error == Errno(0))
            first_error = written.error();
    }
    if (first_error != Errno(0))
        return first_error;
    return {};
}

void BufCache::invalidate(BlockDevice& dev)
{
    Deferred later;
    {
        kern::SpinGuard guard(m_lock);
        m_all.for_each_safe([&](Buf& bp) {
            if (bp.b_dev != &dev)
                return;
            KASSERT_MSG(!(bp.b_cflags & Buf::BC_BUSY), "bufcache: invalidate of a busy buffer");
            m_lru.remove(bp);
            unlink_locked(bp);
            later.free.push_back(bp);
        });
    }
    run(later);
}

size_t BufCache::shrink(size_t bytes)
{
    Deferred later;
    size_t freed = 0;
    {
        kern::SpinGuard guard(m_lock);
        const size_t before = m_bytes;
        reclaim_locked(m_bytes > bytes ? m_bytes - bytes : 0, later);
        freed = before - m_bytes;
    }
    run(later);
    return freed;
}

void BufCache::set_limit(size_t bytes)
{
    Deferred later;
    {
        kern::SpinGuard guard(m_lock);
        m_limit = bytes;
        reclaim_locked(m_limit, later);
    }
    run(later);
}

// ---- looking in ----------------------------------------------------------------

BufCacheStats BufCache::stats() const
{
    kern::SpinGuard guard(m_lock);
    BufCacheStats s = m_stats;
    s.buffers = m_hash.size();
    s.bytes = m_bytes;
    s.limit = m_limit;
    s.dirty = 0;
    for (const Buf& bp : const_cast<BufCache*>(this)->m_all)
        s.dirty += (bp.b_cflags & Buf::BC_DELWRI) ? 1 : 0;
    return s;
}

bool BufCache::cached(const BlockDevice& dev, u64 blkno) const
{
    kern::SpinGuard guard(m_lock);
    return m_hash.find(BufKey{&dev, blkno}) != nullptr;
}

u32 BufCache::cflags(const BlockDevice& dev, u64 blkno) const
{
    kern::SpinGuard guard(m_lock);
    const Buf* bp = m_hash.find(BufKey{&dev, blkno});
    return bp ? bp->b_cflags : 0;
}

size_t BufCache::lru_order(u64* out, size_t n) const
{
    kern::SpinGuard guard(m_lock);
    size_t i = 0;
    for (const Buf& bp : const_cast<BufCache*>(this)->m_lru) {
        if (i < n)
            out[i] = bp.b_blkno;
        ++i;
    }
    return i;
}

BufCache& bufcache()
{
    static BufCache cache(DEFAULT_BUFCACHE_BYTES);
    return cache;
}

BufHold::~BufHold()
{
    if (m_bp)
        bufcache().brelse(*m_bp);
}

void BufHold::dirty()
{
    bufcache().bdwrite(*m_bp);
    m_bp = nullptr;
}

} // namespace block
