// fs/pipe/pipe.h -- anonymous pipes: pipe(2)'s two ends on one vnode.
//
// A pipe is a Vnode of type Fifo whose data is a 64 KiB ring buffer
// (fs/pipe/pipe_ring.h). pipe(2) opens two Files on it: the read end
// (O_RDONLY) and the write end (O_WRONLY). The vnode counts its readers and
// writers in the open/close hooks (fs/vfs/vnode.h), which File::create and
// the last File::unref call with the File's flags; so fork and dup, which
// share Files, do not count, exactly as POSIX wants. When both Files are
// gone the vnode's last reference goes and inactive() frees the pipe and
// its buffer.
//
// The semantics are pipe(7)'s:
//   read    blocks until some data is there (then returns what is, up to
//           the count) or no writer is left (then 0: end of file).
//   write   blocks until everything is written; a write of at most PIPE_BUF
//           (4096) bytes is atomic: it waits for room for all of it and is
//           never interleaved with another writer's bytes. With no reader
//           left: EPIPE (the write system call also raises SIGPIPE).
//   O_NONBLOCK  EAGAIN instead of blocking; a large write writes what fits.
//   signals  every wait is interruptible: EINTR, or the bytes moved so far.
//   poll    POLLIN (data), POLLOUT (room for PIPE_BUF bytes), POLLHUP (no
//           writers), POLLERR (no readers); every change calls poll_notify.
// FIONREAD gives the bytes waiting. fstat reports S_IFIFO.
//
// See fs/pipe/pipe.cpp for the locking, docs/vfs.md, Linux fs/pipe.c,
// xv6 pipe.c.
#pragma once

#include <fs/vfs/file.h>

namespace fs {

constexpr size_t PIPE_CAPACITY = 64 * 1024;
constexpr size_t PIPE_BUF = 4096;

// A new pipe: `read_end` (O_RDONLY) and `write_end` (O_WRONLY), each with
// `status_flags` (only O_NONBLOCK is kept) and one reference for the
// caller. => ENOMEM (nothing is left allocated).
ErrorOr<void> create_pipe(u32 status_flags, File*& read_end, File*& write_end);

} // namespace fs
