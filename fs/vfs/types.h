// fs/vfs/types.h -- what the file-system layer's interfaces share.
//
// File types, attributes (what stat(2) reports), the caller's credentials,
// and the limits. Values that cross the user ABI (mode bits, open flags,
// S_IF* types) are Linux's, so the system-call layer passes them through.
#pragma once

#include <kernel/base/abi/linux/fcntl.h>
#include <kernel/base/abi/linux/fs.h>
#include <kernel/base/abi/linux/statfs.h>
#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/string_view.h>
#include <kernel/base/lib/types.h>

#ifdef KERNEL_HOST
// On the host, libc defines these names as macros (limits.h), which
// would rewrite the constants below (kernel/base/abi/host.h does the same
// for the ABI's names); the host build includes libc's headers
// first (tests/host/shim/host_prelude.h), so the macros can go. The values
// are the same.
#include <limits.h>
#undef NAME_MAX
#undef PATH_MAX
#undef SYMLOOP_MAX
#endif

namespace fs {

using kern::Errno;
using kern::ErrorOr;
using kern::StringView;

constexpr size_t NAME_MAX = 255;   // bytes in one path component
constexpr size_t PATH_MAX = 4096;  // bytes in a path, with its NUL
constexpr unsigned SYMLOOP_MAX = 40;  // symbolic links followed in one lookup (Linux's)

enum class VType : u8 { None, Regular, Directory, Symlink, CharDevice, BlockDevice, Fifo, Socket };

// The S_IFMT bits of st_mode for a type, and back.
u32 vtype_to_mode(VType type);
VType mode_to_vtype(u32 mode);

struct Timespec {
    i64 sec = 0;
    i64 nsec = 0;
};
// The wall-clock time: the RTC at boot plus the monotonic clock (arch/time.h).
Timespec current_time();

// What stat(2) returns, in a kernel form.
struct VAttr {
    VType type = VType::None;
    u32 mode = 0;        // permission bits (07777), without the type
    u32 uid = 0;
    u32 gid = 0;
    u32 nlink = 0;
    u64 size = 0;        // bytes (symlink: length of the target)
    u64 ino = 0;         // unique within the file system
    u64 dev = 0;         // the file system's id
    u64 rdev = 0;        // device nodes: the device number
    u64 blocks = 0;      // 512-byte units actually used
    u32 blksize = 4096;  // preferred I/O size
    Timespec atime, mtime, ctime, btime;  // access, modify, change, birth
};

// Which fields of a VAttr setattr() changes.
constexpr u32 SETATTR_MODE = 1u << 0;
constexpr u32 SETATTR_UID = 1u << 1;
constexpr u32 SETATTR_GID = 1u << 2;
constexpr u32 SETATTR_SIZE = 1u << 3;   // truncate or extend
constexpr u32 SETATTR_ATIME = 1u << 4;
constexpr u32 SETATTR_MTIME = 1u << 5;

// Who is asking. Everyone is root for now; the field exists so permission
// checks have a place to go.
struct Cred {
    u32 uid = 0;
    u32 gid = 0;
};

// statvfs(3), in block units of `bsize`.
struct StatVfs {
    u64 bsize = PAGE_SIZE;
    u64 blocks = 0;   // total
    u64 bfree = 0;    // free
    u64 bavail = 0;   // free for unprivileged users
    u64 files = 0;    // nodes, total
    u64 ffree = 0;    // nodes, free
    u64 fsid = 0;
    u64 namemax = NAME_MAX;
    u64 flags = 0;
    u64 magic = 0;    // statfs(2)'s f_type: Linux's number for the kind (abi/linux/statfs.h)
};

// Open flags: Linux's (kernel/base/abi/linux/fcntl.h), which the system-call
// layer passes through. O_PATH: a File that names a location and nothing
// more (no I/O, no Vnode::open/close; fs/vfs/file.h). With it, open keeps
// only O_DIRECTORY, O_NOFOLLOW and O_CLOEXEC, as Linux.
using uapi::O_RDONLY, uapi::O_WRONLY, uapi::O_RDWR, uapi::O_ACCMODE, uapi::O_CREAT, uapi::O_EXCL,
    uapi::O_NOCTTY, uapi::O_TRUNC, uapi::O_APPEND, uapi::O_NONBLOCK, uapi::O_DIRECTORY, uapi::O_NOFOLLOW,
    uapi::O_CLOEXEC, uapi::O_PATH;

// renameat2's flags (kernel/base/abi/linux/fs.h). RENAME_WHITEOUT
// (overlayfs's whiteouts) is not supported: EINVAL.
using uapi::RENAME_NOREPLACE, uapi::RENAME_EXCHANGE, uapi::RENAME_WHITEOUT;

} // namespace fs
