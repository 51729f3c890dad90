// tests/host/shim/pipe_shim.cpp -- fs::open_fifo for the host build.
//
// fs/vfs/vfs.cpp:open sends a FIFO node to fs::open_fifo (fs/pipe/pipe.h),
// but the pipe vnode (fs/pipe/pipe.cpp) waits on WaitQueues and is
// kernel-only (tests/host/host.mk). The host has no pipes, so opening a FIFO
// here is ENXIO. The rules themselves are tested on the host
// (tests/host/fs/pipe/fifo_ends_test.cpp) and the whole thing in the guest
// (user/tests/fifo_test.c).
#include <fs/pipe/pipe.h>

namespace fs {

ErrorOr<File*> open_fifo(Vnode&, u32) { return Errno::ENXIO; }

} // namespace fs
