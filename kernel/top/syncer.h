// kernel/top/syncer.h -- the syncer: a kernel thread that writes dirty file data back now and then.
//
// A disk file system keeps written data in memory (the pages of its files,
// its metadata buffers) until something writes it back: fsync(2), sync(2),
// unmount -- and this thread, which calls sync every `syncer=N` seconds
// (the kernel command line; 30 by default, 0: never), so that at most about
// N seconds of work is lost if the machine stops. It is UNIX's update(8)
// daemon, which ran sync() every 30 seconds, moved into the kernel as
// FreeBSD's syncer and Linux's flusher threads did (both are finer: they
// write what has been dirty longest, a little at a time).
#pragma once

namespace kern {

// Start the thread (at boot, after the file-system types are registered).
void syncer_init();

} // namespace kern
