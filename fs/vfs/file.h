// fs/vfs/file.h -- File: an open file (what a file descriptor points at).
//
// open(2) makes a File; descriptors (dup, fork) share it. It holds:
//   m_vnode   the file, referenced for the File's whole life;
//   m_flags   the open flags (access mode, O_APPEND, O_NONBLOCK, ...);
//   m_offset  the position read/write/lseek use; for a directory it is the
//             readdir cookie (Vnode::readdir), so lseek(fd, 0, SEEK_SET)
//             rewinds it;
//   m_ref_count  how many descriptors (and in-flight calls) use it.
//
// Locking: m_lock (a Mutex) guards m_offset and is held across a whole
// read/write/readdir at the offset, so two threads sharing a File never read
// the same bytes (Linux's f_pos_lock). pread/pwrite do not take it. The
// file system's locks come after it (lock order: docs/locking.md). Never
// hold it while waiting for anything but the vnode op.
//
// Streams (Vnode::is_stream: terminals, pipes): read/write go straight to
// the vnode's stream_read/stream_write without m_lock (a reader blocked on
// a terminal must not hold up a writer sharing the File); no offset, so
// lseek/pread/pwrite give ESPIPE. File::create calls Vnode::open and the
// last unref Vnode::close, so a pipe knows its readers and writers.
//
// O_PATH (Linux's path-only file): the File names a place in the tree and
// nothing more. create() does not call Vnode::open nor unref Vnode::close
// (a FIFO's or a device's open code never runs), is_path() is true, and
// every operation here that touches the data -- read, write, pread,
// pwrite, readdir, truncate, lseek -- is EBADF. What such a File is good
// for is decided by the system-call layer (kernel/top/syscall/user_file.h:
// file_of refuses it, file_of_raw hands it out for close, dup, fcntl's
// descriptor commands, fstat, fstatfs, fchdir and as a *at() dirfd).
//
// O_APPEND: write and pwrite go to the end of the file through
// Vnode::append, which finds the end and writes under the file's own lock:
// two processes appending to one file (a shared log, `cmd >> f` from two
// jobs) never write over each other's bytes. As Linux, pwrite appends too,
// whatever its offset. See docs/vfs.md.
#pragma once

#include <fs/vfs/iobuffer.h>
#include <fs/vfs/types.h>
#include <fs/vfs/vnode.h>
#include <kernel/base/sync/mutex.h>

namespace fs {

using uapi::SEEK_SET, uapi::SEEK_CUR, uapi::SEEK_END;  // kernel/base/abi/linux/fs.h

class File {
public:
    // A File on `vnode` (takes its own reference), with one reference for
    // the caller; Vnode::open is called unless `flags` has O_PATH.
    // Errors: ENOMEM, Vnode::open's errors.
    static ErrorOr<File*> create(Vnode& vnode, u32 flags);

    void ref() { __atomic_add_fetch(&m_ref_count, 1, __ATOMIC_RELAXED); }
    // The last unref drops the vnode and frees the File.
    void unref();
    u32 ref_count() const { return __atomic_load_n(&m_ref_count, __ATOMIC_RELAXED); }

    Vnode& vnode() const { return *m_vnode; }
    u32 flags() const { return __atomic_load_n(&m_flags, __ATOMIC_RELAXED); }
    // fcntl(F_SETFL): only O_APPEND and O_NONBLOCK change; other bits are ignored.
    void set_status_flags(u32 flags);
    // A path-only File (O_PATH) is neither readable nor writable.
    bool is_path() const { return m_flags & O_PATH; }
    bool readable() const { return !is_path() && (m_flags & O_ACCMODE) != O_WRONLY; }
    bool writable() const { return !is_path() && (m_flags & O_ACCMODE) != O_RDONLY; }

    // At the offset, which advances by what was transferred.
    // Returns the number of bytes moved. Errors: EBADF (not open for
    // reading / writing), EISDIR, EINVAL (a type without data), EFAULT,
    // ENOSPC, EFBIG.
    ErrorOr<size_t> read(const IoBuffer& buf, size_t n);
    ErrorOr<size_t> write(const IoBuffer& buf, size_t n);
    // At `offset` (with O_APPEND: at the end, as Linux); the file offset
    // is unchanged. Returns and fails as read/write.
    ErrorOr<size_t> pread(u64 offset, const IoBuffer& buf, size_t n);
    ErrorOr<size_t> pwrite(u64 offset, const IoBuffer& buf, size_t n);
    // Returns the new offset. Errors: EINVAL (bad whence, a negative
    // result, SEEK_END on a directory), EOVERFLOW (past INT64_MAX), ESPIPE
    // (a stream), EBADF (O_PATH).
    ErrorOr<u64> lseek(i64 offset, int whence);
    // Entries from the cookie kept in the File until the sink is full or the
    // directory ends. Returns the number delivered (0 at the end). Errors:
    // ENOTDIR, EBADF (not open for reading).
    ErrorOr<size_t> readdir(ReaddirSink& sink);
    ErrorOr<VAttr> stat() { return m_vnode->getattr(); }
    // ftruncate. Errors: EBADF (O_PATH), EINVAL (not open for writing, or not a
    // regular file -- a directory too, as Linux), and setattr's errors.
    ErrorOr<void> truncate(u64 length);

    u64 offset_for_test() const { return m_offset; }

private:
    File(Vnode& vnode, u32 flags) : m_vnode(&vnode), m_flags(flags) {}
    ~File() = default;

    Vnode* m_vnode;  // referenced
    u32 m_flags;
    u32 m_ref_count = 1;
    kern::Mutex m_lock;
    // Guarded by m_lock.
    u64 m_offset = 0;
};

} // namespace fs
