// fs/ffs/ffs_alloc_policy.h -- where FFS puts new things: the allocation
// policy of McKusick et al.'s Fast File System (4.4BSD ffs_alloc.c:
// ffs_dirpref, ffs_hashalloc, ffs_blkpref), as pure functions over the
// per-group counts and bitmaps, so the host tests can drive them.
//
//   a new directory   -> a lightly used group: among the groups with at least
//                        the average number of free inodes, the one with the
//                        fewest directories (dirpref)
//   a file's inode    -> its directory's group, else the next groups in
//                        quadratic-rehash order (hashalloc)
//   a file's block    -> right after its previous block (contiguous), the
//                        first one in the inode's group; every fs_maxbpg
//                        blocks a big file moves on to a group with an above-
//                        average number of free blocks (blkpref)
//   inside a group    -> the free bit at or after the preferred one,
//                        wrapping round (find_free_near)
//
// The caller (the kernel's allocator, fs/ffs/ffs_alloc.cpp) holds the counts in memory and
// the bitmaps in buffers, and does the marking and counting. docs/ffs.md,
// "Allocation policy".
#pragma once

#include <fs/ffs/ffs_format.h>
#include <kernel/base/lib/types.h>

namespace fs::ffs {

// The group for a new directory, from every group's counts (fs_ncg of them).
u32 dirpref(const ffs_superblock& fs, const ffs_csum* groups);

// The first group, in 4.4BSD's ffs_hashalloc order starting at `start`, for
// which fits(group) is true: start itself; then start + 1, + 3, + 7, ...
// (each step doubling, modulo ncg); then every group in turn from start + 2.
// Returns the group, or -1 if none fits.
template <typename Fits> i64 hashalloc(u32 ncg, u32 start, Fits fits)
{
    if (fits(start))
        return start;
    u32 g = start;
    for (u32 step = 1; step < ncg; step *= 2) {
        g = (g + step) % ncg;
        if (fits(g))
            return g;
    }
    g = (start + 2) % ncg;
    for (u32 i = 2; i < ncg; i++) {
        if (fits(g))
            return g;
        g = (g + 1) % ncg;
    }
    return -1;
}

// The block wanted for logical block `lbn` of a file whose inode is in group
// `ino_cg` and whose previous logical block is at `prev` (0: none, or a
// hole). Returns an image block number, always a data block; the caller
// takes it if free, else searches near it.
u32 blkpref(const ffs_superblock& fs, const ffs_csum* groups, u32 ino_cg, u64 lbn, u32 prev);

// The first clear bit of `map` in [lo, n) at or after `pref`, wrapping round
// to `lo`. Returns the bit, or -1 if all are set.
i64 find_free_near(const u8* map, u32 lo, u32 n, u32 pref);

} // namespace fs::ffs
