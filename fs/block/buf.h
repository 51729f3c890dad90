// fs/block/buf.h -- block I/O requests (Buf) and the interface every disk driver offers (BlockDevice).
//
// The block layer is the bottom of the storage stack. Above it, a file
// system (FFS, and MFS on top of it) and the swap code speak of blocks;
// below it, a driver (md, the RAM disk here; virtio-blk and the MFS server
// later) moves bytes. Between the two is one kind of object, the request,
// which 4.4BSD calls `struct buf` and which keeps BSD's name and field
// names here so the originals read alongside (docs/block.md has a glossary).
//
// A request says: on device b_dev, starting at sector b_blkno (units of
// DEV_BSIZE = 512 bytes, whatever the file system's block size), move
// b_bcount bytes between the disk and b_data (a kernel virtual address),
// in the direction given by B_READ. It is handed to the driver with
// submit(), which checks it and calls the driver's strategy(); strategy
// *queues* it and returns at once. The transfer happens later -- in md's
// kernel thread, or on a real disk while the CPU does something else --
// and when it is over the driver calls biodone(). That is the whole
// contract, and it is what lets asynchronous I/O (AIO, write-behind,
// read-ahead) exist: synchronous I/O is only "submit, then biowait()".
//
//      submitter                       driver                  completion
//      ---------                       ------                  ----------
//      buf.b_blkno = ...               strategy(): queue it,   biodone(buf):
//      submit(buf) ---------------->   return  --> ... later:    callback?  -> b_iodone(buf)
//      biowait(buf)  <sleeps>          transfer, then        --> else: DONE, wake biowait
//      ... returns b_error  <-------------------------------------'
//
// Completion. biodone() may be called from any context -- a driver thread
// today, a disk interrupt handler later, or another CPU while submit() has
// not yet returned -- so the completion state (B_DONE, b_error, the
// sleepers) is guarded by a SpinLock (b_lock) and sleepers wait on a
// WaitQueue. A request with a completion callback (b_iodone: the buffer
// cache's bawrite, AIO later) belongs to that callback when it completes,
// as with 4.4BSD's B_CALL: biodone calls it and touches nothing afterwards,
// and nobody biowaits such a request. A request submit() refuses
// (a length that is not a multiple of 512, a range past the end of the
// device) completes at once, inside submit(), with EINVAL or EIO; callers
// must allow for that as they must allow for a completion on another CPU.
//
// Which fields whom. A request belongs to its submitter until submit(),
// then to the driver until biodone(), then to the waiter or callback. The
// only fields two parties share are those under b_lock; b_cflags and the
// cache links belong to the buffer cache and its lock (fs/block/bufcache.h).
//
// Counters. Every BlockDevice counts requests, bytes and the deepest queue
// it has seen (BlockStats), for teaching and benchmarks; /proc can show them.
//
// Read more: McKusick et al., "The Design and Implementation of the 4.4BSD
// Operating System", 6.6 ("Buffer management") and 6.2 (strategy); NetBSD
// sys/buf.h and kern/vfs_bio.c (biodone, biowait, the b_oflags/b_cflags
// split). Design only; this code is written from the description.
#pragma once

#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/hash_table.h>
#include <kernel/base/lib/list.h>
#include <kernel/base/sched/wait_queue.h>
#include <kernel/base/sync/spinlock.h>

namespace vm {
struct Page;
}

namespace block {

using kern::Errno;
using kern::ErrorOr;

constexpr size_t DEV_BSHIFT = 9;
constexpr size_t DEV_BSIZE = size_t(1) << DEV_BSHIFT;  // a sector: the unit of b_blkno
constexpr size_t MAX_TRANSFER = 64 * 1024;              // the largest request

class BlockDevice;
class BufCache;
struct Buf;

// A completion callback. It runs in the driver's completion context (maybe
// an interrupt handler): it must not sleep, and it owns the Buf.
using IoDone = void (*)(Buf& bp);

struct Buf {
    // ---- b_flags: the request, set by its owner (no lock) --------------
    static constexpr u32 B_READ = 1u << 0;   // disk -> memory (else a write)
    static constexpr u32 B_ASYNC = 1u << 1;  // nobody waits: b_iodone finishes it

    // ---- b_oflags: I/O state, guarded by b_lock (biodone may run anywhere)
    static constexpr u32 B_DONE = 1u << 0;   // the transfer is over (or refused)
    static constexpr u32 B_ERROR = 1u << 1;  // ... and failed: see b_error

    // ---- b_cflags: buffer-cache state, guarded by BufCache::m_lock ------
    static constexpr u32 BC_BUSY = 1u << 0;     // held by a thread or in I/O
    static constexpr u32 BC_VALID = 1u << 1;    // b_data holds the block's contents
    static constexpr u32 BC_DELWRI = 1u << 2;   // dirty: must be written before reuse
    static constexpr u32 BC_WRITING = 1u << 3;  // an asynchronous write is in flight
    static constexpr u32 BC_INVAL = 1u << 4;    // drop the buffer when released

    // The request.
    BlockDevice* b_dev = nullptr;
    u64 b_blkno = 0;         // first sector (DEV_BSIZE units) on b_dev
    size_t b_bcount = 0;     // bytes to move: a multiple of DEV_BSIZE
    size_t b_resid = 0;      // bytes not moved, set by the driver (0 on success)
    void* b_data = nullptr;  // kernel virtual address of the data, or:
    // A list of whole pages instead of b_data (b_data nullptr): byte i of
    // the transfer is byte i % PAGE_SIZE of b_pages[i / PAGE_SIZE]. The
    // vnode pager hands a run of a file's pages -- not contiguous in memory
    // -- to the disk as one request (4.4BSD's clustering); a driver walks
    // the request with bio_segment(). b_bcount = b_npages * PAGE_SIZE.
    vm::Page** b_pages = nullptr;
    u32 b_npages = 0;
    u32 b_flags = 0;
    IoDone b_iodone = nullptr;  // nullptr: biowait() collects the result
    void* b_private = nullptr;  // for the submitter or callback (AIO: its iocb)

    // Completion (b_lock).
    kern::SpinLock b_lock;
    u32 b_oflags = 0;
    Errno b_error = Errno(0);
    kern::WaitQueue b_done;  // biowait() sleeps here

    // The driver's queue (the driver's own lock).
    kern::ListNode b_actq;

    // The buffer cache (BufCache::m_lock); unused for a private request.
    BufCache* b_cache = nullptr;
    u32 b_cflags = 0;
    size_t b_bufsize = 0;       // bytes allocated at b_data
    kern::HashNode b_hash;      // by (b_dev, b_blkno)
    kern::ListNode b_lru;       // on the idle list while not BUSY
    kern::ListNode b_all;       // on the cache's list of all its buffers
    kern::WaitQueue b_wanted;   // getblk() waits here while BC_BUSY

    Buf() = default;
    Buf(const Buf&) = delete;
    Buf& operator=(const Buf&) = delete;

    bool is_read() const { return b_flags & B_READ; }
};

// Make `bp` a fresh request (clears B_DONE, B_ERROR, b_error, b_resid).
// => bp not in flight.
void bio_prepare(Buf& bp, BlockDevice& dev, u64 blkno, void* data, size_t count, u32 flags);
// The same for a request over `npages` whole pages (b_pages).
// => 0 < npages, npages * PAGE_SIZE <= MAX_TRANSFER.
void bio_prepare_pages(Buf& bp, BlockDevice& dev, u64 blkno, vm::Page** pages, u32 npages, u32 flags);

// The kernel address of byte `offset` of the transfer, and in `length` how
// many bytes from there are contiguous in memory (to the end of the page,
// for a page list; to the end of the transfer, for b_data). For drivers.
// => offset < bp.b_bcount.
u8* bio_segment(const Buf& bp, size_t offset, size_t& length);

// Hand `bp` to its device. Checks it first: b_bcount a nonzero multiple of
// DEV_BSIZE, at most MAX_TRANSFER; the range inside the device. A refused
// request completes at once with EINVAL (bad length) or EIO (past the end:
// BSD's bounds_check).
// => bp prepared (bio_prepare) and owned by the caller; belongs to the
//    driver and then the completion from here on.
void submit(Buf& bp);

// Called by the driver when the transfer of `bp` is over (any context, no
// lock held that a callback could take). With b_iodone: calls it and
// nothing else. Without: marks B_DONE and wakes biowait().
void biodone(Buf& bp);

// Record a failure on `bp` before biodone() (the driver's side).
void bioerror(Buf& bp, Errno error);

// Sleep until `bp` is done. Returns its error, if any.
// Errors: EIO (the device failed), EINVAL (refused by submit()).
// => bp submitted without b_iodone; called once by its submitter.
ErrorOr<void> biowait(Buf& bp);

// Submit `bp` and wait for it: synchronous I/O. Errors: as biowait().
ErrorOr<void> bio_sync(Buf& bp);

// The counters of one device (a snapshot).
struct BlockStats {
    u64 reads = 0;           // requests completed, by direction
    u64 writes = 0;
    u64 bytes_read = 0;
    u64 bytes_written = 0;
    u64 errors = 0;          // requests that failed or were refused
    u32 in_flight = 0;       // submitted, not yet completed
    u32 in_flight_max = 0;   // the deepest queue seen
};

// A disk, as the block layer sees it: a driver subclasses BlockDevice and
// implements strategy(). Devices live until they are detached by their
// driver; the layer above must be done with them first.
class BlockDevice {
public:
    BlockDevice(const BlockDevice&) = delete;
    BlockDevice& operator=(const BlockDevice&) = delete;

    // Queue `bp` and return. Never finishes a request only inline: the
    // transfer and biodone() come later, from the driver's own context.
    // => bp checked by submit() (length and range fit the device).
    virtual void strategy(Buf& bp) = 0;

    // The blocks of sectors [sector, sector + count) hold nothing anyone
    // will read again (the file system freed them): a device may forget
    // them (a disk's TRIM; MFS gives the server's pages back). Advice only:
    // nothing waits for it, and the default ignores it.
    virtual void discard(u64 sector, u64 count)
    {
        (void)sector;
        (void)count;
    }
    // Has the device gone for good (MFS: its server died)? Then every
    // request fails with EIO, and a file system on it may unmount without
    // writing back (its data is lost with the device).
    virtual bool gone() const { return false; }

    // Exclusive use, as Linux's bd_claim: a mounted file system or swap
    // (fs/ffs/ffs_mount.cpp, fs/block/swapdev.cpp) claims the device, and a
    // second claimant gets false (EBUSY for it). Thread-safe.
    bool claim() { return !__atomic_exchange_n(&m_claimed, true, __ATOMIC_ACQ_REL); }
    void unclaim() { __atomic_store_n(&m_claimed, false, __ATOMIC_RELEASE); }

    const char* name() const { return m_name; }
    u64 devno() const { return m_devno; }        // Linux's dev_t encoding
    u64 size_sectors() const { return m_sectors; }
    u64 size_bytes() const { return m_sectors << DEV_BSHIFT; }
    BlockStats stats() const;

protected:
    BlockDevice(const char* name, u64 devno, u64 sectors);
    virtual ~BlockDevice() = default;

private:
    friend void submit(Buf&);
    friend void biodone(Buf&);
    void count_submit();
    void count_done(const Buf& bp, bool failed);

    char m_name[16] = {};
    u64 m_devno;
    u64 m_sectors;
    mutable kern::SpinLock m_stats_lock;  // biodone may run in an interrupt
    BlockStats m_stats;                   // guarded by m_stats_lock
    bool m_claimed = false;               // claim(): atomic
};

} // namespace block
