// fs/block/bufcache.h -- the metadata buffer cache: 4.4BSD's getblk/bread/bwrite/bdwrite/bawrite/brelse.
//
// What it is for. A disk file system reads and writes its *metadata* --
// the superblock, group descriptors and bitmaps, inode blocks, indirect
// blocks, directory blocks -- a block at a time, and touches the same
// blocks again and again. The buffer cache keeps recently used blocks in
// memory, one Buf (fs/block/buf.h) each, so that a second look costs a hash
// lookup instead of a disk request, and so that many small updates to a
// bitmap become one write later ("delayed write").
//
// What it is not for: file *data*. A regular file's contents live in the
// pages of its vnode's VM object (the UBC, fs/ubc/ubc.h), and the vnode
// pager sends those pages to the disk with its own requests. Keeping data
// out of here is what "unified" means in UBC: one copy of a file's bytes,
// shared by read(), write() and mmap() (Silvers, "UBC", FREENIX 2000).
//
// A buffer's life:
//
//    getblk(dev, blkno, size)          (a hash hit takes the idle buffer off
//        |                              the LRU; a miss makes a new one; a
//        v                              BUSY hit sleeps until it is released)
//    [BUSY, held by the caller] ---- bread: also read it if not VALID
//        |
//        +-- brelse   : back to the LRU tail, unchanged
//        +-- bdwrite  : mark DELWRI (dirty), back to the LRU; written later
//        +-- bwrite   : write now, wait, release
//        +-- bawrite  : start the write; its completion releases the buffer
//
// Idle buffers sit on one LRU list, least recently used first. When the
// cache holds more than its limit (bytes of buffer data), the oldest idle
// clean buffers are freed; old dirty ones are first written (write-behind),
// and freed by a later pass once clean. A buffer that cannot be freed
// (everything is busy) lets the cache go over its limit for a while: the
// limit is a target, not a promise. The page daemon will call shrink()
// under memory pressure.
//
// Sizes. A buffer holds any multiple of DEV_BSIZE up to MAX_TRANSFER (64
// KiB); the file system's block size (4 KiB) is the usual one. A getblk()
// of a cached block with a new size writes the old contents out if dirty
// and gives back a buffer of the new size that is no longer VALID. As in
// BSD, buffers must not overlap: the file system never names the same
// sectors through two different (blkno, size) pairs at once.
//
// Locking. One SpinLock, m_lock, guards the hash table, the LRU, the list
// of all buffers, every buffer's b_cflags and the counters. It is a spin
// lock because bawrite's completion (biodone -> callback -> brelse) may
// run in a disk interrupt. Sleeping for a BUSY buffer is a WaitQueue wait
// on that lock. Nothing slow happens under it: buffers are allocated and
// freed, and requests submitted, with the lock released (lists of deferred
// work carry them out). A BUSY buffer's b_data belongs to its holder, who
// reads and writes it without a lock.
//   Lock order: BufCache::m_lock -> scheduler lock (WaitQueue). Never call
//   into the cache holding a Buf's b_lock or a driver's lock.
//
// Errors. A failed read leaves no VALID buffer behind: the buffer is
// dropped and bread() returns the error, so the next bread() asks the disk
// again. A failed write is reported to bwrite()'s caller (or counted, for
// bawrite and write-behind) and the buffer is dropped, as 4.4BSD's brelse
// does with B_ERROR: the file system must treat the block as lost.
//
// Read more: McKusick et al., "The Design and Implementation of the 4.4BSD
// Operating System", 6.6; Bach, "The Design of the UNIX Operating System",
// ch. 3 (getblk's five cases); NetBSD kern/vfs_bio.c. Design only.
#pragma once

#include <fs/block/buf.h>

namespace block {

struct BufCacheStats {
    u64 hits = 0;          // getblk found the block
    u64 misses = 0;        // ... made a new buffer
    u64 reads = 0;         // disk reads by bread
    u64 writes = 0;        // synchronous writes (bwrite, flush)
    u64 async_writes = 0;  // bawrite and write-behind
    u64 errors = 0;        // failed reads and writes
    u64 freed = 0;         // buffers freed to stay under the limit or by shrink
    size_t buffers = 0;    // buffers in the cache now
    size_t dirty = 0;      // ... of them DELWRI
    size_t bytes = 0;      // buffer data held
    size_t limit = 0;
};

class BufCache {
public:
    explicit BufCache(size_t limit_bytes);
    // => every buffer idle (frees them all; dirty ones are lost: flush first).
    ~BufCache();
    BufCache(const BufCache&) = delete;
    BufCache& operator=(const BufCache&) = delete;

    // The buffer for `size` bytes at sector `blkno` of `dev`, BUSY and held
    // by the caller; VALID if the cache had the contents. Sleeps while
    // another thread holds it. Errors: EINVAL (size not a multiple of
    // DEV_BSIZE, 0 or above MAX_TRANSFER), ENOMEM, EIO (writing out the old
    // contents of a buffer whose size changes failed).
    ErrorOr<Buf*> getblk(BlockDevice& dev, u64 blkno, size_t size);

    // As getblk(), then read the block from the disk unless VALID: the
    // returned buffer is VALID. Errors: as getblk(); EIO (the read failed:
    // nothing is cached).
    ErrorOr<Buf*> bread(BlockDevice& dev, u64 blkno, size_t size);

    // Write `bp` now and wait, then release it. Errors: EIO (the buffer is
    // dropped). => bp held (BUSY) by the caller; its data is the block's.
    ErrorOr<void> bwrite(Buf& bp);
    // Mark `bp` dirty and release it: written by write-behind, flush() or
    // when it is reclaimed. => bp held by the caller.
    void bdwrite(Buf& bp);
    // Start writing `bp` and return; the completion releases it.
    // => bp held by the caller, who gives it up here.
    void bawrite(Buf& bp);
    // Give `bp` back unchanged (still dirty if it was).
    // => bp held by the caller.
    void brelse(Buf& bp);
    // Release `bp` and drop it from the cache (its contents are no longer
    // the block's, or the block was freed). A dirty buffer is not written.
    // => bp held by the caller.
    void discard(Buf& bp);

    // Write every dirty idle buffer of `dev` and wait for them, and for the
    // asynchronous writes of `dev` in flight (fsync, sync, unmount).
    // Buffers held BUSY by a thread are skipped: their holder writes them.
    // Returns the first error. Errors: EIO (those buffers are dropped).
    ErrorOr<void> flush(BlockDevice& dev);

    // Drop every buffer of `dev`, dirty or not (unmount, after flush()).
    // => no buffer of dev is BUSY.
    void invalidate(BlockDevice& dev);

    // Free about `bytes` of idle clean buffers, oldest first, starting
    // writes of old dirty ones on the way (the page daemon's entry). Returns
    // the bytes freed now.
    size_t shrink(size_t bytes);
    // A new limit, applied at once (as far as idle buffers allow).
    void set_limit(size_t bytes);

    BufCacheStats stats() const;
    // For tests: is the block cached (in any state)? Is it VALID/DELWRI?
    bool cached(const BlockDevice& dev, u64 blkno) const;
    u32 cflags(const BlockDevice& dev, u64 blkno) const;
    // For tests: the idle buffers' blocks, least recently used first, into
    // out[0..n); returns how many there are.
    size_t lru_order(u64* out, size_t n) const;

private:
    struct BufKey {
        const BlockDevice* dev;
        u64 blkno;
        bool operator==(const BufKey&) const = default;
    };
    struct ByBlock {
        using Key = BufKey;
        static Key key(const Buf& bp) { return {bp.b_dev, bp.b_blkno}; }
        static u64 hash(const Key& k) { return kern::hash_combine(kern::hash_pointer(k.dev), k.blkno); }
    };
    using BufList = kern::IntrusiveList<Buf, &Buf::b_lru>;
    // Work decided under m_lock and done after it: buffers to free and
    // buffers to write back (each on its b_lru link).
    struct Deferred {
        BufList free;
        BufList write;
        ~Deferred() { KASSERT(free.is_empty() && write.is_empty()); }
    };

    static constexpr size_t HASH_BUCKETS = 1024;

    ErrorOr<Buf*> make_buf(BlockDevice& dev, u64 blkno, size_t size);
    static void destroy(Buf& bp);
    ErrorOr<Buf*> resize(Buf& bp, size_t size);

    Buf* claim_locked(BlockDevice& dev, u64 blkno);
    void install_locked(Buf& bp);
    void unlink_locked(Buf& bp);
    void release_locked(Buf& bp, Deferred& later);
    void reclaim_locked(size_t target, Deferred& later);
    Buf* next_to_flush_locked(const BlockDevice& dev);
    void run(Deferred& later);

    void start_write(Buf& bp, bool async);
    static void async_write_done(Buf& bp);

    mutable kern::SpinLock m_lock;
    // Guarded by m_lock.
    kern::HashTableWithBuckets<Buf, &Buf::b_hash, ByBlock, HASH_BUCKETS> m_hash;
    BufList m_lru;  // idle buffers, least recently used first
    kern::IntrusiveList<Buf, &Buf::b_all> m_all;
    size_t m_limit;
    size_t m_bytes = 0;
    BufCacheStats m_stats;
};

// Holds a buffer from bread/getblk of the kernel's cache and gives it back
// (brelse) on every way out of a scope, unless dirty() hands it back as a
// delayed write first.
class BufHold {
public:
    explicit BufHold(Buf* bp) : m_bp(bp) {}
    ~BufHold();
    BufHold(const BufHold&) = delete;
    BufHold& operator=(const BufHold&) = delete;
    u8* data() const { return static_cast<u8*>(m_bp->b_data); }
    void dirty();

private:
    Buf* m_bp;
};

// The kernel's buffer cache (made on first use; DEFAULT_BUFCACHE_BYTES).
constexpr size_t DEFAULT_BUFCACHE_BYTES = 4 * 1024 * 1024;
BufCache& bufcache();

} // namespace block
