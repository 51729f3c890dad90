// fs/ffs/ffs_dir.h -- the entries of one directory block (4.4BSD ufs_lookup.c's
// chunk walks, ufs_direnter's split, ufs_dirremove's join; our own code).
//
// A directory's data is a run of file-system blocks (fs_bsize bytes), each
// a run of FFS_DIRBLKSIZ (512-byte) chunks; entries (struct ffs_direct,
// fs/ffs/ffs_format.h) never cross a chunk and exactly fill it: each entry's
// d_reclen runs to the next, the last one's to the chunk's end.
//
//   chunk (512 bytes)
//   +------+--------+-----------------+-----------+-------------------------+
//   | "."  | ".."   | "notes.txt"     | slack     | "a"          | slack    |
//   | rec 12 | rec 12 | dirsiz(9)=20 | ...       |              | to 512   |
//   +------+--------+-----------------+-----------+-------------------------+
//                    <------ d_reclen of "notes.txt" ------->
//
// Adding a name takes the first entry whose slack (d_reclen minus the space
// its own name needs) fits the new entry, and splits it there; or a chunk's
// unused first entry (d_ino 0) if it is long enough. Removing an entry gives
// its space to the entry before it in the chunk (that one's d_reclen grows);
// a chunk's first entry cannot be joined to anything, so it is marked
// unused (d_ino = 0) instead.
//
// No entry ever moves. 4.4BSD compacts a chunk when no single slack is big
// enough; we do not, so an entry's byte offset in the directory is stable
// for as long as it exists, and readdir can use that offset as its cookie
// (an entry present throughout a readdir is delivered exactly once). The
// price is some fragmentation inside chunks: a new name that fits no single
// slack goes to another chunk, or a new block. docs/ffs.md, "Directories".
//
// Pure code over a byte array, so the host tests drive it directly; the
// callers (fs/ffs/ffs_vnops.cpp) hold the directory's buffer.
#pragma once

#include <fs/ffs/ffs_format.h>
#include <kernel/base/lib/string_view.h>
#include <kernel/base/lib/types.h>

namespace fs::ffs {

using kern::StringView;

// Is `block` (bsize bytes) a sound directory block? Every chunk exactly
// filled; every d_reclen a multiple of 4, at least ffs_dirsiz(d_namlen) and
// inside its chunk; every live entry's d_ino below `ninodes`, its name
// without '/' or NUL and NUL-terminated on the image, d_namlen > 0.
// Returns nullptr if sound, else a short English reason (for the console
// and fsck-style reports). Called on every directory block read from the
// image before anything else looks at it, so that the functions below may
// trust the block.
const char* dir_block_check(const u8* block, u32 bsize, u32 ninodes);

// Make `block` an empty directory block: each chunk one unused entry
// (d_ino 0) spanning it.
void dir_block_init(u8* block, u32 bsize);

// Make `block` the first block of a new directory: "." naming `self`,
// ".." naming `parent` (d_type FFS_DT_DIR both), the rest of the first
// chunk free in ".."'s slack, the other chunks empty.
void dir_block_init_first(u8* block, u32 bsize, u32 self, u32 parent);

// The byte offset in `block` of the live entry named `name`, or -1.
// => block checked (dir_block_check).
i64 dir_block_find(const u8* block, u32 bsize, StringView name);

// The entry at byte offset `off` (an offset returned by the functions here).
inline const ffs_direct& dir_entry_at(const u8* block, u32 off)
{
    return *reinterpret_cast<const ffs_direct*>(block + off);
}
inline ffs_direct& dir_entry_at(u8* block, u32 off)
{
    return *reinterpret_cast<ffs_direct*>(block + off);
}

// Add the entry `name` -> `ino` of type `type` (FFS_DT_*). Returns its byte
// offset, or -1 if no chunk of this block has room (the caller tries the
// next block, or appends a new one). Does not check that `name` is absent.
// => block checked; 0 < name.length() <= FFS_MAXNAMLEN, ino != 0.
i64 dir_block_add(u8* block, u32 bsize, StringView name, u32 ino, u8 type);

// Remove the live entry at byte offset `off`: joined to the previous entry
// of its chunk, or marked unused if it is the chunk's first.
// => block checked; a live entry starts at `off`.
void dir_block_remove(u8* block, u32 bsize, u32 off);

// The byte offset of the first live entry at or after `from` (0 <= from;
// `from` may point into the middle of an entry, e.g. a cookie whose entry
// was removed and joined to the one before it), or -1 if there is none in
// this block. => block checked.
i64 dir_block_next(const u8* block, u32 bsize, u32 from);

// Does `block` hold a live entry other than "." and ".."? (rmdir's
// ENOTEMPTY, rename over a directory). => block checked.
bool dir_block_has_names(const u8* block, u32 bsize);

} // namespace fs::ffs
