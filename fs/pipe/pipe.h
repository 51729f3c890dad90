// fs/pipe/pipe.h -- pipes: pipe(2)'s two ends on one vnode, and named FIFOs.
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
//           writers, and one has opened: a FIFO reader that came first
//           waits for one), POLLERR (no readers); every change calls
//           poll_notify.
// FIONREAD gives the bytes waiting. fstat reports S_IFIFO.
//
// Named FIFOs (fifo(7)): every open of a FIFO node joins the one pipe
// attached to that node, made at the first open and dropped, with any bytes
// left in it, when the last File on it closes. open waits for the other
// end as fifo(7) says (fs/pipe/fifo_ends.h); from then on it is a pipe as
// above. fstat shows the node.
//
// See fs/pipe/pipe.cpp for the locking, docs/terminal.md (section 7),
// Linux fs/pipe.c, xv6 pipe.c.
#pragma once

#include <fs/vfs/file.h>

#ifdef KERNEL_HOST
// libc's <limits.h> defines PIPE_BUF as a macro (as file.h drops SEEK_*).
#undef PIPE_BUF
#endif

namespace fs {

constexpr size_t PIPE_CAPACITY = 64 * 1024;
constexpr size_t PIPE_BUF = 4096;

// A new pipe: `read_end` (O_RDONLY) and `write_end` (O_WRONLY), each with
// `status_flags` (only O_NONBLOCK is kept) and one reference for the
// caller. Errors: ENOMEM (nothing is left allocated).
ErrorOr<void> create_pipe(u32 status_flags, File*& read_end, File*& write_end);

// open(2) of FIFO node `node`: a File with `flags` (access mode, O_NONBLOCK,
// ...) on the pipe attached to it, with one reference for the caller.
// O_RDONLY waits for a writer, O_WRONLY for a reader, unless O_NONBLOCK;
// O_RDWR never waits. Errors: ENXIO (O_WRONLY|O_NONBLOCK and no reader), EINTR
// (a signal while waiting), ENOMEM. Nothing is left behind on an error.
ErrorOr<File*> open_fifo(Vnode& node, u32 flags);

} // namespace fs
