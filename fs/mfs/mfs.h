// fs/mfs/mfs.h -- MFS: the FFS code over the pageable memory of a user
// process (McKusick, Karels and Bostic, "A Pageable Memory Based
// Filesystem", 1990; 4.4BSD's sys/ufs/mfs).
//
// mount_mfs (user/tools/mount_mfs.c) maps an anonymous region, builds a file
// system in it with newfs's code, and calls mount(2) with type "mfs" and the
// region (fs/mfs/mfs_args.h). The kernel makes an MfsDevice -- a block
// device whose sectors are that region -- mounts FFS on it, and the calling
// thread never returns to user mode while the file system is mounted: it
// becomes the device's *server*, sleeping in serve() until a request comes.
//
//   a process's read/write          the MFS server (mount_mfs, in mount(2))
//   ----------------------          ---------------------------------------
//   FFS: page or buffer I/O
//   submit(bp) -> strategy():       serve(): asleep on m_work
//     queue bp, wake the server  -->  take bp off the queue
//   biowait(bp) <sleeps>              copy between bp's kernel page and its
//                                     own address space (copyout/copyin)
//                                  <--  biodone(bp)
//   ... wakes with the data
//
// Per block: two copies (the file's page <-> the kernel side of the request
// is the page itself, so here one copy page <-> server memory, plus the
// user's copy into the page: two in all) and two context switches (to the
// server and back) -- the paper's four steps. A batch of requests (read-
// ahead, clustered write-back) costs one pair of switches for the batch.
//
// The server's memory is ordinary anonymous memory: it pages like any other.
// The one flaw the tmpfs paper names -- MFS never gives memory back -- is
// fixed by discard(): when FFS frees a block, the server is asked to drop
// the block's page of its region (MADV_DONTNEED's effect: the next read is
// zeros, the memory is free now). Mount option MFS_NODISCARD turns it off.
//
// Requests from the server itself (FFS reads its superblock inside the
// server's mount(2)) are done at once in strategy(), as in 4.4BSD's
// mfs_strategy: the server cannot wait for itself.
//
// Death. If the server is killed, the device is gone(): queued and new
// requests fail with EIO, nothing waits, and unmount drops what was dirty.
// Stopping the server (SIGSTOP) only delays requests: its mount(2) returns
// to take the stop, and restart_syscall brings it back to serve().
//
// Lock: MfsDevice::m_lock (a SpinLock: strategy may be called from any
// context) guards the queue and the state; a leaf. Counters: requests,
// bytes, server wakeups (= context-switch pairs), for /proc and the bench.
#pragma once

#include <fs/block/buf.h>
#include <fs/vfs/context.h>
#include <fs/vfs/mount.h>

namespace fs::mfs {

class MfsDevice;

// What a server has done, for teaching (docs/mfs.md).
struct MfsStats {
    u64 requests = 0;   // reads and writes served
    u64 inline_requests = 0;  // done at once in the server's own thread
    u64 bytes = 0;      // copied between the kernel and the server's memory
    u64 wakeups = 0;    // times the server woke for work: a switch there and back
    u64 discards = 0;   // freed blocks whose pages the server dropped
};

// mount(2) of type "mfs": an FFS on the calling process's memory
// [base, base + size) (already holding an image), mounted on `path`.
// Returns the device the caller then serves. Errors: EINVAL (base or size
// not page-aligned, size 0 or too large, bad flags), EFAULT (the region is
// not mapped), ENOMEM, and FFS's mount errors (EINVAL, EUCLEAN) and the
// VFS's (ENOENT, ENOTDIR, EBUSY).
ErrorOr<MfsDevice*> mount(const Context& ctx, StringView path, uptr base, u64 size, u32 flags);

// Serve requests until the file system is unmounted (returns no error: the
// device is released) or a signal interrupts (EINTR: call serve() again
// after the signal, or server_died()). => the server's thread.
ErrorOr<void> serve(MfsDevice& dev);

// The server is going away for good (a fatal signal): fail every request
// from now on and release the server's hold on the device.
void server_died(MfsDevice& dev);

// How the server drops the pages of freed blocks: `drop(start, length)`
// gives back the pages of [start, start + length) of the current process's
// memory (madvise(MADV_DONTNEED)'s effect). The system-call layer, which
// owns processes' maps, sets it before the first MFS mount; until then
// freed blocks keep their pages (4.4BSD's MFS).
void set_discard_hook(ErrorOr<void> (*drop)(uptr start, size_t length));

// How many MFS devices may exist at once: units 0 .. MAX_UNITS - 1 (each
// named mfsN; /proc/fs/mfs/N shows its counters).
constexpr u32 MAX_UNITS = 16;

// The counters of the device, by unit; false if there is none.
bool stats_of(u32 unit, MfsStats& out);

} // namespace fs::mfs
