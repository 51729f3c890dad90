// fs/cpio/cpio.h -- reading a cpio "newc" archive (the initramfs format).
//
// An initramfs is a cpio archive in the "new ASCII" (newc, SVR4) format:
// entries laid end to end, each a 110-byte header of ASCII hex, the path
// name, the data, with padding so that the name and the data each start at a
// multiple of 4 bytes from the start of the archive:
//
//   offset 0     6 bytes  magic "070701"
//          6    13 x 8    hex fields: ino mode uid gid nlink mtime filesize
//                         devmajor devminor rdevmajor rdevminor namesize check
//        110               name: namesize bytes, the last one NUL
//                          NULs up to a multiple of 4
//                          data: filesize bytes (a file's contents, a
//                          symlink's target), NULs up to a multiple of 4
//
// The entry named "TRAILER!!!" ends an archive. Archives may be concatenated
// (with NUL padding between them, as the kernel's initramfs allows): after a
// trailer, NUL bytes are skipped and another archive may follow.
//
// This file is pure: it reads a byte buffer and calls a visitor for each
// entry; it touches no file system and no hardware, so it is compiled into
// the host tests too (tests/host/fs/cpio/cpio_test.cpp). kernel/top/initramfs.cpp
// is the visitor that creates the files.
//
// Trust: nothing in the archive is trusted. Every field is checked before it
// is used and every read is bounds-checked against the buffer, so a
// truncated or corrupted archive is EINVAL with a CpioError saying which
// entry, at which offset, and why -- never a read past the end.
//
// Read more: docs/initramfs.md; the format as Linux writes and reads it,
// usr/gen_init_cpio.c and init/initramfs.c; the kernel's
// Documentation/driver-api/early-userspace/buffer-format.rst.
#pragma once

#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/string_view.h>
#include <kernel/base/lib/types.h>

namespace fs {

using kern::Errno;
using kern::ErrorOr;
using kern::StringView;

constexpr size_t CPIO_HEADER_SIZE = 110;
// The longest name an entry may have (with its NUL), as the VFS's PATH_MAX.
constexpr size_t CPIO_NAME_MAX = 4096;

// The S_IFMT types in an entry's mode (Linux's values).
constexpr u32 CPIO_S_IFMT = 0170000;
constexpr u32 CPIO_S_IFSOCK = 0140000, CPIO_S_IFLNK = 0120000, CPIO_S_IFREG = 0100000,
              CPIO_S_IFBLK = 0060000, CPIO_S_IFDIR = 0040000, CPIO_S_IFCHR = 0020000,
              CPIO_S_IFIFO = 0010000;

// One entry, as the visitor sees it. The views point into the archive.
struct CpioEntry {
    size_t offset = 0;   // of the header, from the start of the buffer
    StringView name;     // without its NUL; never empty
    u32 mode = 0;        // type (S_IFMT bits, one of the above) and permissions
    u32 ino = 0;
    u32 uid = 0;
    u32 gid = 0;
    u32 nlink = 0;
    u32 mtime = 0;
    u32 rdev_major = 0;  // device nodes
    u32 rdev_minor = 0;
    // A regular file's contents, or a symlink's target (without a trailing
    // NUL; some writers, like gen_init_cpio, add one). Empty for the rest.
    const u8* data = nullptr;
    size_t size = 0;
};

// Why parsing stopped. `name` is the entry's name when it could be read
// (else empty); `offset` is where the bad entry (or the bad byte) is.
struct CpioError {
    size_t offset = 0;
    StringView name;
    const char* reason = "";
};

// What is told about each entry (the trailer is not an entry).
class CpioVisitor {
public:
    // Returning an error stops the walk, and cpio_parse returns it.
    virtual ErrorOr<void> entry(const CpioEntry& entry) = 0;

protected:
    ~CpioVisitor() = default;
};

// Walk the archive in [data, data + size), calling `visitor` for every entry
// in order. Returns the number of entries visited. Errors:
//   EINVAL  malformed: bad magic (or a compressed archive), a non-hex field,
//           a name of size 0, without its NUL, with a NUL inside, longer
//           than CPIO_NAME_MAX or with a ".." component, a data size running
//           past the buffer (or non-zero for a directory, device or fifo, or
//           0 / longer than CPIO_NAME_MAX for a symlink), an unknown file
//           type, non-NUL padding, junk after a trailer, or no "TRAILER!!!"
//           at the end; `error` says which and where.
//   anything the visitor returns (`error` is then left untouched).
ErrorOr<size_t> cpio_parse(const void* data, size_t size, CpioVisitor& visitor, CpioError& error);

// The device number for (major, minor) in the encoding Linux's user space
// expects in st_rdev (glibc's makedev): 12 bits of major, 20 of minor.
constexpr u64 cpio_makedev(u32 major, u32 minor)
{
    return (u64(major & 0xfff) << 8) | (u64(major & ~0xfffu) << 32) | (minor & 0xff) |
           (u64(minor & ~0xffu) << 12);
}

} // namespace fs
