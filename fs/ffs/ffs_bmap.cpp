// fs/ffs/ffs_bmap.cpp -- bmap_path and bmap: see ffs_bmap.h.
#include <fs/ffs/ffs_bmap.h>

namespace fs::ffs {

ErrorOr<BmapPath> bmap_path(u32 nindir, u64 lbn)
{
    BmapPath path;
    if (lbn < FFS_NDADDR) {
        path.inode_slot = u32(lbn);
        return path;
    }
    lbn -= FFS_NDADDR;
    // Find the level: the single range has n blocks, the double n^2, the
    // triple n^3.
    u64 span = nindir;
    u32 level = 0;
    while (lbn >= span) {
        lbn -= span;
        if (++level == FFS_NIADDR)
            return Errno::EFBIG;
        span *= nindir;
    }
    path.depth = level + 1;
    path.inode_slot = level;
    // The digits of lbn in base n, most significant first.
    for (u32 i = path.depth; i-- > 0;) {
        path.index[i] = u32(lbn % nindir);
        lbn /= nindir;
    }
    return path;
}

ErrorOr<u32> bmap(const ffs_superblock& fs, const ffs_dinode& dp, u64 lbn,
                  IndirectReader& reader)
{
    BmapPath path = TRY(bmap_path(fs.fs_nindir, lbn));
    u32 bno = path.depth == 0 ? dp.di_db[path.inode_slot] : dp.di_ib[path.inode_slot];
    for (u32 i = 0; i < path.depth && bno != 0; i++) {
        if (!ffs_is_data_block(&fs, bno))
            return Errno::EIO;
        bno = TRY(reader.read_pointer(bno, path.index[i]));
    }
    // The data block itself too: the caller reads (or writes) it.
    if (bno != 0 && !ffs_is_data_block(&fs, bno))
        return Errno::EIO;
    return bno;
}

} // namespace fs::ffs
