// kernel/top/syscall/fsize.h -- RLIMIT_FSIZE: the largest file a process may write or grow.
//
// The caller's limit on the size of a regular file it writes or resizes
// (Linux's generic_write_check_limits and inode_newsize_ok). A file may
// reach the limit, not pass it; the call that would pass it raises SIGXFSZ
// in the caller (which kills it unless caught or ignored) and fails with
// EFBIG. Used by write, pwrite64, writev, sendfile (sys_file.cpp:
// fsize_limit) and by ftruncate and truncate.
//
// Read more: Linux mm/filemap.c (generic_write_check_limits), fs/attr.c
// (inode_newsize_ok); getrlimit(2); docs/processes.md ("Resource limits").
#pragma once

#include <kernel/base/lib/error_or.h>

namespace kern {

// Returns how many bytes a write starting at offset `at` may put in
// (RLIM_INFINITY: no limit). Errors: EFBIG (`at` is at or past the limit;
// SIGXFSZ is raised).
ErrorOr<u64> fsize_room(u64 at);
// May a file of `size` bytes be truncated to `length`? Shrinking is always
// allowed, growing up to the limit. Errors: EFBIG (SIGXFSZ is raised).
ErrorOr<void> fsize_check_resize(u64 size, u64 length);

} // namespace kern
