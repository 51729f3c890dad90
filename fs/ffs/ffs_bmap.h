// fs/ffs/ffs_bmap.h -- from a file's logical block to the image block that
// holds it (4.4BSD's ufs_getlbns + ufs_bmaparray, our own code).
//
// A logical block is reached through at most four pointers: one in the
// inode (di_db[lbn] for lbn < 12, else di_ib[level]) and one in each of
// `level + 1` indirect blocks below it. BmapPath names that route -- which
// inode slot, then the index in each indirect block -- so that bmap (read)
// and the block allocator (write: which indirect blocks must exist) share
// one computation:
//
//   lbn 0..11                 inode di_db[lbn]                    depth 0
//   12 .. 12+n-1              di_ib[0] -> [lbn-12]                depth 1
//   next n^2                  di_ib[1] -> [i / n] -> [i % n]      depth 2
//   next n^3                  di_ib[2] -> [i/n^2] -> [i/n % n] -> [i % n]
//
// (n = fs_nindir pointers per block). Pure code: the indirect blocks are
// read through a small interface, IndirectReader, which the kernel backs
// with its buffer cache and the host tests with a memory image. The format:
// fs/ffs/ffs_format.h; the chapter: docs/ffs.md ("From a file offset to a
// block").
#pragma once

#include <fs/ffs/ffs_format.h>
#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/types.h>

namespace fs::ffs {

using kern::Errno;
using kern::ErrorOr;

// The route to one logical block.
struct BmapPath {
    u32 depth = 0;                      // indirect blocks to pass through (0..3)
    u32 inode_slot = 0;                 // di_db index (depth 0) or di_ib index (depth > 0)
    u32 index[FFS_NIADDR] = {};         // the entry to take in each indirect block, top first
};

// The route to `lbn` in a file system with `nindir` pointers per block.
// Errors: EFBIG (past the largest file).
ErrorOr<BmapPath> bmap_path(u32 nindir, u64 lbn);

// Reads one block pointer out of an indirect block.
class IndirectReader {
public:
    virtual ~IndirectReader() = default;
    // Entry `index` of indirect block `bno`.
    // Errors: EIO (the read failed).
    virtual ErrorOr<u32> read_pointer(u32 bno, u32 index) = 0;
};

// The image block holding logical block `lbn` of `dp`; returns 0 for a hole
// (at any level). Every pointer it follows is checked to be a data block
// first, so a damaged image gives an error, not a wild read.
// Errors: EFBIG (lbn past the largest file), EIO (a pointer that is not a
// data block -- the image is damaged -- or a failed read).
ErrorOr<u32> bmap(const ffs_superblock& fs, const ffs_dinode& dp, u64 lbn,
                  IndirectReader& reader);

} // namespace fs::ffs
