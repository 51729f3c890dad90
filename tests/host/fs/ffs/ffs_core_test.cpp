// tests/host/fs/ffs/ffs_core_test.cpp -- the kernel-side pure FFS core
// (fs/ffs/ffs_bmap.cpp, fs/ffs/ffs_alloc_policy.cpp) against images in
// memory: bmap's route at every boundary and its agreement with the tools'
// ffs_bmap, damaged pointers, the allocation policy's choices, and a file
// laid out by the policy in a fresh image that fsck_ffs calls clean.
#include "ffs_image_fixture.h"

#include <fs/ffs/ffs_alloc_policy.h>
#include <fs/ffs/ffs_bmap.h>

using namespace ffstest;
namespace core = fs::ffs;  // (a local named fs would hide the namespace)
using core::BmapPath;

namespace {

constexpr uint64_t MiB = 1024 * 1024;

// Block pointers straight out of the memory image.
class ImageReader : public core::IndirectReader {
public:
    explicit ImageReader(Image& im) : m_im(im) {}
    kern::ErrorOr<u32> read_pointer(u32 bno, u32 index) override
    {
        reads++;
        return reinterpret_cast<uint32_t*>(m_im.block(bno))[index];
    }
    int reads = 0;

private:
    Image& m_im;
};

// Every group's counts, as the kernel would keep them in memory.
std::vector<ffs_csum> counts(Image& im)
{
    std::vector<ffs_csum> v;
    for (uint32_t g = 0; g < im.fs().fs_ncg; g++)
        v.push_back(im.cg(g)->cg_cs);
    return v;
}

// Mark block `bno` in use and count it (what the allocator will do).
void take_block(Image& im, uint32_t bno)
{
    uint32_t g = ffs_dtog(&im.fs(), bno);
    ASSERT_FALSE(ffs_isset(im.bmap(g), ffs_dtogd(&im.fs(), bno))) << bno;
    ffs_setbit(im.bmap(g), ffs_dtogd(&im.fs(), bno));
    im.cg(g)->cg_cs.cs_nbfree--;
    im.sb()->fs_cstotal.cs_nbfree--;
}

} // namespace

TEST(FfsBmap, PathAtEveryBoundary)
{
    const uint32_t n = 1024;
    struct Case { uint64_t lbn; uint32_t depth, slot, i0, i1, i2; };
    const uint64_t s = 12, d = s + n, t = d + (uint64_t)n * n;
    const Case cases[] = {
        { 0, 0, 0, 0, 0, 0 },           { 11, 0, 11, 0, 0, 0 },
        { s, 1, 0, 0, 0, 0 },           { s + n - 1, 1, 0, n - 1, 0, 0 },
        { d, 2, 1, 0, 0, 0 },           { d + n, 2, 1, 1, 0, 0 },
        { t - 1, 2, 1, n - 1, n - 1, 0 }, { t, 3, 2, 0, 0, 0 },
        { t + n * n + 5, 3, 2, 1, 0, 5 },
        { t + (uint64_t)n * n * n - 1, 3, 2, n - 1, n - 1, n - 1 },
    };
    for (const Case& c : cases) {
        auto path = core::bmap_path(n, c.lbn);
        ASSERT_FALSE(path.is_error()) << c.lbn;
        BmapPath p = path.release_value();
        EXPECT_EQ(p.depth, c.depth) << c.lbn;
        EXPECT_EQ(p.inode_slot, c.slot) << c.lbn;
        const uint32_t want[3] = { c.i0, c.i1, c.i2 };
        for (uint32_t i = 0; i < p.depth; i++)
            EXPECT_EQ(p.index[i], want[i]) << c.lbn << " level " << i;
    }
    auto past = core::bmap_path(n, t + (uint64_t)n * n * n);
    ASSERT_TRUE(past.is_error());
    EXPECT_EQ(past.error(), kern::Errno::EFBIG);
}

TEST(FfsBmap, AgreesWithTheToolsAtEveryBoundary)
{
    for (uint32_t bsize : { 4096u, 8192u }) {
        Image im(48 * MiB, 0, bsize);
        const uint64_t n = im.fs().fs_nindir, s = 12, d = s + n, t = d + n * n;
        std::vector<uint64_t> lbns = { 0, 11, s, s + n - 1, d, d + n - 1, d + n, t - 1, t,
                                       t + n * n, t + n * n * n - 1 };
        uint32_t ino = im.make_file(FFS_ROOTINO, "f", lbns, (t + n * n * n) * bsize);
        ASSERT_EQ(im.fsck(true), FFS_FSCK_CLEAN);
        ImageReader reader(im);
        const ffs_dinode& dp = *im.inode(ino);
        std::vector<uint64_t> probes = lbns;
        const uint64_t end = t + n * n * n;   // past the largest file
        for (uint64_t lbn : lbns)
            if (lbn + 1 < end)
                probes.push_back(lbn + 1);  // mostly holes
        auto past = core::bmap(im.fs(), *im.inode(ino), end, reader);
        ASSERT_TRUE(past.is_error());
        EXPECT_EQ(past.error(), kern::Errno::EFBIG);
        for (uint64_t lbn : probes) {
            uint32_t tools = 1;
            ASSERT_EQ(ffs_bmap(im.img(), &im.fs(), &dp, lbn, &tools), 0);
            auto core = core::bmap(im.fs(), dp, lbn, reader);
            ASSERT_FALSE(core.is_error()) << lbn;
            EXPECT_EQ(core.release_value(), tools) << "bsize " << bsize << " lbn " << lbn;
        }
        for (uint64_t lbn : lbns)
            EXPECT_NE(core::bmap(im.fs(), dp, lbn, reader).release_value(), 0u) << lbn;
    }
}

TEST(FfsBmap, ADamagedPointerIsAnErrorNotAWildRead)
{
    Image im(8 * MiB);
    Tree t = populate(im);
    ImageReader reader(im);
    ffs_dinode dp = *im.inode(t.big);
    dp.di_ib[1] = im.fs().fs_size + 100;       // past the end
    auto r = core::bmap(im.fs(), dp, 12 + im.fs().fs_nindir, reader);
    ASSERT_TRUE(r.is_error());
    EXPECT_EQ(r.error(), kern::Errno::EIO);
    dp.di_ib[1] = ffs_cgimin(&im.fs(), 0);     // into the inode table
    EXPECT_TRUE(core::bmap(im.fs(), dp, 12 + im.fs().fs_nindir, reader).is_error());
    EXPECT_EQ(reader.reads, 0);
    // A hole at the top level reads nothing at all.
    dp.di_ib[1] = 0;
    EXPECT_EQ(core::bmap(im.fs(), dp, 12 + im.fs().fs_nindir, reader).release_value(), 0u);
    EXPECT_EQ(reader.reads, 0);
}

TEST(FfsAllocPolicy, HashallocProbesInFfsOrder)
{
    std::vector<uint32_t> probed;
    int64_t none = core::hashalloc(8, 3, [&](uint32_t g) {
        probed.push_back(g);
        return false;
    });
    EXPECT_EQ(none, -1);
    // start; +1, +2, +4 (cumulative 4, 6, 10%8=2); then every group from start+2.
    const std::vector<uint32_t> want = { 3, 4, 6, 2, 5, 6, 7, 0, 1, 2 };
    EXPECT_EQ(probed, want);
    EXPECT_EQ(core::hashalloc(8, 3, [](uint32_t g) { return g == 6; }), 6);
    EXPECT_EQ(core::hashalloc(1, 0, [](uint32_t) { return true; }), 0);
}

TEST(FfsAllocPolicy, DirprefPicksALightlyUsedGroup)
{
    Image im(64 * MiB, 2048);
    std::vector<ffs_csum> c = counts(im);
    // Group 0 holds the root and lost+found; every other group is empty.
    EXPECT_NE(core::dirpref(im.fs(), c.data()), 0u);
    // Among the groups with enough free inodes, the fewest directories wins,
    // even if a group with fewer directories is short of inodes.
    for (auto& g : c)
        g.cs_ndir = 5;
    c[4].cs_ndir = 1;
    c[6].cs_ndir = 0;
    c[6].cs_nifree = 3;     // below average: not chosen
    EXPECT_EQ(core::dirpref(im.fs(), c.data()), 4u);
}

TEST(FfsAllocPolicy, BlkprefIsContiguousThenMovesOn)
{
    Image im(64 * MiB, 2048);
    const ffs_superblock& fs = im.fs();
    std::vector<ffs_csum> c = counts(im);
    // The first block: the start of the inode's group's data area.
    EXPECT_EQ(core::blkpref(fs, c.data(), 3, 0, 0), ffs_cgdmin(&fs, 3));
    // The next one right after the previous.
    uint32_t prev = ffs_cgdmin(&fs, 3) + 7;
    EXPECT_EQ(core::blkpref(fs, c.data(), 3, 5, prev), prev + 1);
    // At the first indirect block, and every maxbpg blocks after, a group
    // with above-average free blocks other than prev's.
    c[4].cs_nbfree = 10;    // the next one is nearly full: skipped
    uint32_t moved = core::blkpref(fs, c.data(), 3, 12, prev);
    EXPECT_TRUE(ffs_is_data_block(&fs, moved));
    EXPECT_NE(ffs_dtog(&fs, moved), 3u);
    EXPECT_NE(ffs_dtog(&fs, moved), 4u);
    EXPECT_EQ(moved, ffs_cgdmin(&fs, ffs_dtog(&fs, moved)));
    uint64_t next_move = 12 + fs.fs_maxbpg;
    EXPECT_NE(ffs_dtog(&fs, core::blkpref(fs, c.data(), 3, next_move, prev)), 3u);
    EXPECT_EQ(core::blkpref(fs, c.data(), 3, next_move + 1, prev), prev + 1);
}

TEST(FfsAllocPolicy, FindFreeNearWrapsRound)
{
    uint8_t map[4] = { 0xff, 0x0f, 0xff, 0x7f };   // free: 12..15, 31
    EXPECT_EQ(core::find_free_near(map, 0, 32, 0), 12);
    EXPECT_EQ(core::find_free_near(map, 0, 32, 14), 14);
    EXPECT_EQ(core::find_free_near(map, 0, 32, 16), 31);
    EXPECT_EQ(core::find_free_near(map, 0, 31, 16), 12);   // wraps
    EXPECT_EQ(core::find_free_near(map, 16, 31, 20), -1);
    EXPECT_EQ(core::find_free_near(map, 0, 32, 99), 12);   // pref out of range
}

// A directory placed by dirpref and a 40-block file laid out by blkpref +
// find_free_near in a fresh image: the directory leaves group 0, the file's
// first blocks are contiguous beside its inode, it moves group at the first
// indirect block, and fsck_ffs calls the result clean.
TEST(FfsAllocPolicy, AFileLaidOutByThePolicyIsCleanAndContiguous)
{
    Image im(64 * MiB, 2048);
    const ffs_superblock& fs = im.fs();
    std::vector<ffs_csum> c = counts(im);
    uint32_t g = core::dirpref(fs, c.data());
    ASSERT_NE(g, 0u);
    uint32_t dir = im.make_dir(FFS_ROOTINO, "d", g);
    EXPECT_EQ(ffs_ino_to_cg(&fs, dir), g);
    uint32_t ino = im.alloc_inode(FFS_IFREG | 0644, g);
    im.link(dir, "f", ino);
    std::vector<uint32_t> got;
    uint32_t prev = 0;
    for (uint64_t lbn = 0; lbn < 40; lbn++) {
        c = counts(im);
        uint32_t pref = core::blkpref(fs, c.data(), ffs_ino_to_cg(&fs, ino), lbn, prev);
        uint32_t pg = ffs_dtog(&fs, pref);
        int64_t bit = core::find_free_near(im.bmap(pg), fs.fs_dblkno,
                                              ffs_cg_nblocks(&fs, pg), ffs_dtogd(&fs, pref));
        ASSERT_GE(bit, 0);
        uint32_t bno = ffs_cgbase(&fs, pg) + uint32_t(bit);
        take_block(im, bno);
        im.set_block(ino, lbn, bno, pg);
        got.push_back(bno);
        prev = bno;
    }
    im.inode(ino)->di_size = 40 * fs.fs_bsize;
    std::string report;
    EXPECT_EQ(im.fsck(true, &report), FFS_FSCK_CLEAN) << report;
    // Blocks 0..11 contiguous in the directory's group, right after the
    // directory's own block.
    EXPECT_EQ(ffs_dtog(&fs, got[0]), g);
    for (int i = 1; i < 12; i++)
        EXPECT_EQ(got[i], got[i - 1] + 1) << i;
    // Block 12 (the first behind the indirect block) moved on.
    EXPECT_NE(ffs_dtog(&fs, got[12]), g);
    for (int i = 14; i < 40; i++)
        EXPECT_EQ(ffs_dtog(&fs, got[i]), ffs_dtog(&fs, got[12])) << i;
}
