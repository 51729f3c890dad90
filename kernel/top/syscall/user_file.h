// kernel/top/syscall/user_file.h -- a descriptor argument turned into its File.
//
// Every call on a descriptor starts the same way (sys_file.cpp):
//
//     auto file = TRY(file_of(fd));   // EBADF; holds a File reference
//
// The reference lasts as long as the RefPtr, so a close() of the same
// descriptor by another thread meanwhile is harmless. Linux takes
// descriptors as unsigned int: -1 is as bad as 2^31 (EBADF).
//
// Two flavours, as Linux's fdget and fdget_raw: file_of refuses an O_PATH
// File (no I/O, ioctl, fsync, fchmod, ... on a path-only file), file_of_raw
// hands it out, for the calls that need only the location -- dup, fcntl's
// descriptor commands, fstat, fstatfs, fchdir, a *at() call's dirfd.
//
// Read more: Linux fs/file.c (fdget, __fget_light); docs/vfs.md ("Open files").
#pragma once

#include <fs/vfs/file.h>
#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/ref_ptr.h>

namespace kern {

// Returns the File descriptor `fd` of the current process names, referenced.
// Errors: EBADF (not open, or an O_PATH File).
ErrorOr<RefPtr<fs::File>> file_of(int fd);
// The same, O_PATH Files included. Errors: EBADF.
ErrorOr<RefPtr<fs::File>> file_of_raw(int fd);

} // namespace kern
