// fs/ffs/ffs_alloc_policy.cpp -- dirpref, blkpref and find_free_near: see
// ffs_alloc_policy.h for the policy and its sources.
#include <fs/ffs/ffs_alloc_policy.h>

namespace fs::ffs {

u32 dirpref(const ffs_superblock& fs, const ffs_csum* groups)
{
    u64 total_free = 0;
    for (u32 g = 0; g < fs.fs_ncg; g++)
        total_free += groups[g].cs_nifree;
    u64 average = total_free / fs.fs_ncg;
    u32 best = 0;
    bool found = false;
    for (u32 g = 0; g < fs.fs_ncg; g++) {
        if (groups[g].cs_nifree == 0 || groups[g].cs_nifree < average)
            continue;
        if (!found || groups[g].cs_ndir < groups[best].cs_ndir) {
            best = g;
            found = true;
        }
    }
    return best;
}

// A group after `after` (in hashalloc order) with at least the average
// number of free blocks; `after` itself if none.
static u32 roomy_group(const ffs_superblock& fs, const ffs_csum* groups, u32 after)
{
    u64 total_free = 0;
    for (u32 g = 0; g < fs.fs_ncg; g++)
        total_free += groups[g].cs_nbfree;
    u64 average = total_free / fs.fs_ncg;
    i64 g = hashalloc(fs.fs_ncg, (after + 1) % fs.fs_ncg, [&](u32 c) {
        return groups[c].cs_nbfree > 0 && groups[c].cs_nbfree >= average;
    });
    return g < 0 ? after : u32(g);
}

u32 blkpref(const ffs_superblock& fs, const ffs_csum* groups, u32 ino_cg, u64 lbn, u32 prev)
{
    bool moves_on = lbn >= FFS_NDADDR && (lbn - FFS_NDADDR) % fs.fs_maxbpg == 0;
    if (prev != 0 && ffs_is_data_block(&fs, prev)) {
        if (!moves_on && ffs_is_data_block(&fs, prev + 1))
            return prev + 1;
        if (moves_on)
            return ffs_cgdmin(&fs, roomy_group(fs, groups, ffs_dtog(&fs, prev)));
    }
    return ffs_cgdmin(&fs, ino_cg < fs.fs_ncg ? ino_cg : 0);
}

i64 find_free_near(const u8* map, u32 lo, u32 n, u32 pref)
{
    if (lo >= n)
        return -1;
    if (pref < lo || pref >= n)
        pref = lo;
    for (u32 i = pref; i < n; i++)
        if (!ffs_isset(map, i))
            return i;
    for (u32 i = lo; i < pref; i++)
        if (!ffs_isset(map, i))
            return i;
    return -1;
}

} // namespace fs::ffs
