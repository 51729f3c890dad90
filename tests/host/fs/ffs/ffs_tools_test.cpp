// tests/host/fs/ffs/ffs_tools_test.cpp -- newfs, fsck_ffs and dumpfs
// (user/tools/) on images in memory: newfs of several sizes and geometries is
// clean; a populated tree (every file type, blocks at the direct, indirect,
// double and triple boundaries) is clean and bmap finds every block; each
// class of corruption is named by fsck with a nonzero status, never crashes
// it, and the repairable ones are repaired; dumpfs prints the geometry.
#include "ffs_image_fixture.h"

#include <fcntl.h>
#include <random>
#include <unistd.h>

using namespace ffstest;

namespace {

constexpr uint64_t MiB = 1024 * 1024;

bool contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

// fsck -n must find a structural fault mentioning `what`, and fsck without
// -n must leave it (status 4) and write nothing.
void expect_structural(Image& im, const std::string& what)
{
    std::string report;
    EXPECT_EQ(im.fsck(true, &report), FFS_FSCK_FAULTS) << report;
    EXPECT_TRUE(contains(report, what)) << "want '" << what << "' in:\n" << report;
    std::vector<uint8_t> before = im.bytes();
    EXPECT_EQ(im.fsck(false, &report), FFS_FSCK_FAULTS) << report;
    EXPECT_TRUE(im.bytes() == before) << "fsck wrote to an image with a structural fault";
}

// fsck -n must report a repairable fault mentioning `what`; fsck must then
// repair it (status 1), after which the image is clean.
void expect_repaired(Image& im, const std::string& what)
{
    std::string report;
    EXPECT_EQ(im.fsck(true, &report), FFS_FSCK_FAULTS) << report;
    EXPECT_TRUE(contains(report, what)) << "want '" << what << "' in:\n" << report;
    EXPECT_EQ(im.fsck(false, &report), FFS_FSCK_FIXED) << report;
    EXPECT_EQ(im.fsck(true, &report), FFS_FSCK_CLEAN) << report;
}

} // namespace

// ---- newfs ---------------------------------------------------------------------

TEST(FfsNewfs, SeveralSizesAreClean)
{
    struct Case { uint64_t size; uint32_t fpg, bsize, bpi; };
    const Case cases[] = {
        { 48 * 1024, 0, 0, 0 },        // the smallest: one short group
        { 1 * MiB, 0, 0, 0 },
        { 16 * MiB + 12345, 0, 0, 0 }, // a ragged end
        { 64 * MiB, 2048, 0, 0 },      // 8 groups
        { 9 * MiB, 512, 0, 4096 },     // many small groups, a short last one
        { 32 * MiB, 0, 8192, 0 },      // 8 KiB blocks
        { 3 * MiB, 100, 8192, 16384 },
    };
    for (const Case& c : cases) {
        Image im(c.size, c.fpg, c.bsize, c.bpi);
        ASSERT_EQ(im.mkfs_status(), 0) << c.size << ": " << im.mkfs_error();
        const ffs_superblock& fs = im.fs();
        EXPECT_EQ(ffs_sb_check(&fs, c.size / fs.fs_bsize), nullptr);
        EXPECT_LE((uint64_t)fs.fs_size * fs.fs_bsize, c.size);
        EXPECT_EQ(fs.fs_cstotal.cs_ndir, 2u);
        EXPECT_EQ(fs.fs_cstotal.cs_nifree, ffs_ninodes(&fs) - 4u);
        EXPECT_EQ(fs.fs_cstotal.cs_nbfree, fs.fs_dsize - 2u);
        std::string report;
        EXPECT_EQ(im.fsck(true, &report), FFS_FSCK_CLEAN) << c.size << "\n" << report;
        EXPECT_TRUE(contains(report, "clean")) << report;
    }
}

TEST(FfsNewfs, RefusesBadParameters)
{
    EXPECT_NE(Image(20 * 1024).mkfs_status(), 0);          // too small
    EXPECT_NE(Image(1 * MiB, 0, 2048).mkfs_status(), 0);   // block size
    EXPECT_NE(Image(1 * MiB, 0, 16384).mkfs_status(), 0);
    EXPECT_NE(Image(64 * MiB, 40000).mkfs_status(), 0);    // group > one bitmap
    Image im(1 * MiB, 0, 2048);
    EXPECT_TRUE(contains(im.mkfs_error(), "block size")) << im.mkfs_error();
}

TEST(FfsNewfs, GroupsAreLaidOutAsTheHeaderSays)
{
    Image im(64 * MiB, 2048);
    const ffs_superblock& fs = im.fs();
    ASSERT_EQ(fs.fs_ncg, 8u);
    for (uint32_t g = 0; g < fs.fs_ncg; g++) {
        // Every group starts with a copy of the superblock, then its header.
        auto* copy = reinterpret_cast<ffs_superblock*>(im.block(ffs_cgsblock(&fs, g)));
        EXPECT_EQ(copy->fs_magic, FFS_MAGIC);
        EXPECT_EQ(copy->fs_ncg, fs.fs_ncg);
        EXPECT_EQ(im.cg(g)->cg_magic, FFS_CG_MAGIC);
        EXPECT_EQ(im.cg(g)->cg_cgx, g);
        // Metadata blocks are marked in use; the data area is free (but for
        // the root and lost+found in group 0).
        for (uint32_t i = 0; i < fs.fs_dblkno; i++)
            EXPECT_TRUE(ffs_isset(im.bmap(g), i));
        EXPECT_EQ(ffs_isset(im.bmap(g), fs.fs_dblkno), g == 0);
    }
    // The primary is at byte 8192, and is group 0's copy.
    EXPECT_EQ((uint64_t)ffs_cgsblock(&fs, 0) * fs.fs_bsize, FFS_SBOFF);
    // The root directory: ".", "..", "lost+found".
    ffs_dinode* root = im.inode(FFS_ROOTINO);
    EXPECT_EQ(root->di_mode & FFS_IFMT, FFS_IFDIR);
    EXPECT_EQ(root->di_nlink, 3u);
    EXPECT_EQ(root->di_db[0], ffs_cgdmin(&fs, 0));
    ASSERT_NE(im.find_entry(FFS_ROOTINO, "lost+found"), nullptr);
    EXPECT_EQ(im.find_entry(FFS_ROOTINO, "lost+found")->d_ino, 3u);
    EXPECT_EQ(im.find_entry(FFS_ROOTINO, "..")->d_ino, FFS_ROOTINO);
}

TEST(FfsNewfs, AFileImageIsByteForByteTheMemoryImage)
{
    Image mem(2 * MiB);
    char path[] = "/tmp/ffs-test-XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    unlink(path);
    ASSERT_EQ(ftruncate(fd, 2 * MiB), 0);
    ffs_image img;
    ffs_image_fd(&img, fd, 2 * MiB);
    ffs_mkfs_params p;
    memset(&p, 0, sizeof p);
    p.now = kNow;
    char err[200];
    ASSERT_EQ(ffs_mkfs(&img, &p, nullptr, err, sizeof err), 0) << err;
    std::vector<uint8_t> bytes(2 * MiB);
    ASSERT_EQ(pread(fd, bytes.data(), bytes.size(), 0), (ssize_t)bytes.size());
    close(fd);
    EXPECT_TRUE(bytes == mem.bytes());
}

// ---- a populated tree, bmap ----------------------------------------------------

TEST(FfsTree, APopulatedTreeIsClean)
{
    for (uint32_t bsize : { 4096u, 8192u }) {
        Image im(48 * MiB, 0, bsize);
        populate(im);
        std::string report;
        EXPECT_EQ(im.fsck(true, &report), FFS_FSCK_CLEAN) << report;
        EXPECT_TRUE(contains(report, "files, 4 directories")) << report;
    }
}

TEST(FfsTree, BmapFindsBlocksAtEveryBoundary)
{
    Image im(48 * MiB);
    const uint64_t n = im.fs().fs_nindir;
    const uint64_t single = FFS_NDADDR, dbl = single + n, triple = dbl + n * n;
    std::vector<uint64_t> lbns = { 0, 11, single, single + 1, dbl - 1, dbl, dbl + n - 1,
                                   dbl + n, triple - 1, triple, triple + n * n,
                                   triple + n * n * n - 1 };
    uint32_t ino = im.make_file(FFS_ROOTINO, "f", lbns, (triple + n * n * n) * 4096);
    EXPECT_EQ(im.fsck(true), FFS_FSCK_CLEAN);
    ffs_dinode dp = *im.inode(ino);
    for (uint64_t lbn : lbns) {
        uint32_t got = 0;
        ASSERT_EQ(ffs_bmap(im.img(), &im.fs(), &dp, lbn, &got), 0) << lbn;
        EXPECT_NE(got, 0u) << lbn;
        EXPECT_TRUE(ffs_is_data_block(&im.fs(), got)) << lbn;
        uint32_t again = 0;
        ASSERT_EQ(ffs_bmap(im.img(), &im.fs(), &dp, lbn, &again), 0);
        EXPECT_EQ(got, again);
    }
    // Holes read as 0, and the end of the triple range is EFBIG.
    for (uint64_t hole : { (uint64_t)1, single + 2, dbl + 1, triple + 1 }) {
        uint32_t got = 1;
        ASSERT_EQ(ffs_bmap(im.img(), &im.fs(), &dp, hole, &got), 0) << hole;
        EXPECT_EQ(got, 0u) << hole;
    }
    uint32_t got;
    EXPECT_EQ(ffs_bmap(im.img(), &im.fs(), &dp, triple + n * n * n, &got), -EFBIG);
}

TEST(FfsTree, BmapAgreesWithTheBuildersMapping)
{
    Image im(8 * MiB);
    uint32_t ino = im.alloc_inode(FFS_IFREG | 0644);
    const uint64_t n = im.fs().fs_nindir;
    std::vector<std::pair<uint64_t, uint32_t>> map;
    for (uint64_t lbn : { (uint64_t)3, (uint64_t)12, 12 + n, 12 + n + n * n }) {
        uint32_t bno = im.alloc_block();
        im.set_block(ino, lbn, bno);
        map.push_back({ lbn, bno });
    }
    for (auto [lbn, bno] : map) {
        uint32_t got = 0;
        ASSERT_EQ(ffs_bmap(im.img(), &im.fs(), im.inode(ino), lbn, &got), 0);
        EXPECT_EQ(got, bno) << lbn;
    }
}

// ---- corruption, one class at a time -----------------------------------------------

TEST(FfsFsck, ABlockInUseButFreeInTheBitmap)
{
    Image im(8 * MiB);
    Tree t = populate(im);
    uint32_t bno = im.inode(t.f)->di_db[3];
    ffs_clrbit(im.bmap(0), ffs_dtogd(&im.fs(), bno));
    expect_repaired(im, "BLOCK " + std::to_string(bno) + ": free in the bitmap, but used by inode " +
                            std::to_string(t.f));
}

TEST(FfsFsck, ABlockMarkedUsedButUnused)
{
    Image im(8 * MiB);
    populate(im);
    uint32_t i = ffs_cg_nblocks(&im.fs(), 0) - 1;
    ffs_setbit(im.bmap(0), i);
    expect_repaired(im, "BLOCK " + std::to_string(ffs_cgbase(&im.fs(), 0) + i) +
                            ": in use in the bitmap, but nothing uses it");
}

TEST(FfsFsck, BitmapBitsPastTheGroupsEnd)
{
    Image im(9 * MiB, 512, 0, 4096);       // the last group is short
    const ffs_superblock& fs = im.fs();
    uint32_t last = fs.fs_ncg - 1;
    ASSERT_LT(ffs_cg_nblocks(&fs, last), fs.fs_fpg);
    ffs_setbit(im.bmap(last), ffs_cg_nblocks(&fs, last) + 3);
    expect_repaired(im, "GROUP " + std::to_string(last) + ": block bitmap bit");
    ffs_setbit(im.imap(0), fs.fs_ipg);
    expect_repaired(im, "GROUP 0: inode bitmap bit " + std::to_string(fs.fs_ipg));
}

TEST(FfsFsck, AnInodeBitmapBitFlipped)
{
    Image im(8 * MiB);
    Tree t = populate(im);
    ffs_clrbit(im.imap(0), t.s);
    expect_repaired(im, "INODE " + std::to_string(t.s) + ": free in the inode bitmap");
}

TEST(FfsFsck, ABlockClaimedTwice)
{
    Image im(8 * MiB);
    Tree t = populate(im);
    uint32_t stolen = im.inode(t.f)->di_db[5];
    uint32_t mine = im.inode(t.big)->di_db[0];
    im.inode(t.big)->di_db[0] = stolen;
    ffs_clrbit(im.bmap(0), ffs_dtogd(&im.fs(), mine));   // keep the maps honest
    expect_structural(im, "BLOCK " + std::to_string(stolen) + ": claimed twice");
}

TEST(FfsFsck, AnIndirectBlockClaimedTwiceIsFollowedOnce)
{
    Image im(8 * MiB);
    Tree t = populate(im);
    im.inode(t.f)->di_ib[0] = im.inode(t.big)->di_ib[0];
    expect_structural(im, "claimed twice");
}

TEST(FfsFsck, ABadLinkCount)
{
    Image im(8 * MiB);
    Tree t = populate(im);
    im.inode(t.f)->di_nlink = 5;
    expect_repaired(im, "INODE " + std::to_string(t.f) + ": link count is 5, but 1 entries");
    EXPECT_EQ(im.inode(t.f)->di_nlink, 1u);
}

TEST(FfsFsck, ADirectoryLinkCountOffByOne)
{
    Image im(8 * MiB);
    Tree t = populate(im);
    im.inode(t.a)->di_nlink = 2;      // forgets /a/b's ".."
    expect_repaired(im, "link count is 2, but 3 entries");
}

TEST(FfsFsck, AZeroLinkCount)
{
    Image im(8 * MiB);
    Tree t = populate(im);
    im.inode(t.fifo)->di_nlink = 0;
    expect_structural(im, "INODE " + std::to_string(t.fifo) + ": allocated with a link count of 0");
}

TEST(FfsFsck, OutOfRangeBlockPointers)
{
    struct Case { const char* name; uint32_t bno; };
    Image probe(8 * MiB);
    const Case cases[] = {
        { "past the end", probe.fs().fs_size + 5 },
        { "huge", 0xfffffff0u },
        { "the boot area", 1 },
        { "a group header", ffs_cgtod(&probe.fs(), 0) },
        { "the inode table", ffs_cgimin(&probe.fs(), 0) + 1 },
    };
    for (const Case& c : cases) {
        Image im(8 * MiB);
        Tree t = populate(im);
        im.inode(t.big)->di_ib[1] = c.bno;   // the double-indirect pointer
        SCOPED_TRACE(c.name);
        expect_structural(im, "INODE " + std::to_string(t.big) + ": indirect pointer " +
                                  std::to_string(c.bno));
    }
}

TEST(FfsFsck, ABlockPastTheEndOfAFile)
{
    Image im(8 * MiB);
    Tree t = populate(im);
    im.inode(t.f)->di_size = 4096;
    expect_structural(im, "lies past the end");
}

TEST(FfsFsck, AWrongBlockCount)
{
    Image im(8 * MiB);
    Tree t = populate(im);
    im.inode(t.big)->di_blocks += 8;
    expect_repaired(im, "INODE " + std::to_string(t.big) + ": di_blocks is");
}

TEST(FfsFsck, ADirectoryLoopUnreachableFromTheRoot)
{
    Image im(8 * MiB);
    Tree t = populate(im);
    // Take /a out of the root (the entry before it absorbs its space), and
    // name it from /a/b: a and b now hang from each other only.
    ffs_direct* lf = im.find_entry(FFS_ROOTINO, "lost+found");
    ffs_direct* a = im.find_entry(FFS_ROOTINO, "a");
    ASSERT_EQ(reinterpret_cast<uint8_t*>(lf) + lf->d_reclen, reinterpret_cast<uint8_t*>(a));
    lf->d_reclen = (uint16_t)(lf->d_reclen + a->d_reclen);
    im.add_entry(t.b, "loop", t.a, FFS_DT_DIR);
    expect_structural(im, "DIRECTORY " + std::to_string(t.a) + ": not reachable from the root");
}

TEST(FfsFsck, AnEntryNamingTheRoot)
{
    Image im(8 * MiB);
    Tree t = populate(im);
    im.add_entry(t.b, "up", FFS_ROOTINO, FFS_DT_DIR);
    expect_structural(im, "names the root directory (a loop)");
}

TEST(FfsFsck, AHardLinkToADirectory)
{
    Image im(8 * MiB);
    Tree t = populate(im);
    im.add_entry(FFS_ROOTINO, "b2", t.b, FFS_DT_DIR);
    expect_structural(im, "DIRECTORY " + std::to_string(t.b) + ": named twice");
}

TEST(FfsFsck, AWrongDotDot)
{
    Image im(8 * MiB);
    Tree t = populate(im);
    im.find_entry(t.b, "..")->d_ino = FFS_ROOTINO;
    expect_structural(im, "DIRECTORY " + std::to_string(t.b) + ": '..' names 2, but its parent is " +
                              std::to_string(t.a));
}

TEST(FfsFsck, BadReclens)
{
    for (uint16_t reclen : { 0, 3, 6, 600, 1024 }) {
        Image im(8 * MiB);
        populate(im);
        im.find_entry(FFS_ROOTINO, "..")->d_reclen = reclen;
        SCOPED_TRACE(reclen);
        expect_structural(im, "bad reclen " + std::to_string(reclen));
    }
}

TEST(FfsFsck, BadNames)
{
    Image im(8 * MiB);
    populate(im);
    im.find_entry(FFS_ROOTINO, "s")->d_namlen = 200;  // longer than its record
    expect_structural(im, "bad namlen 200");
    Image im2(8 * MiB);
    Tree t2 = populate(im2);
    im2.find_entry(t2.b, "f")->d_name[0] = '/';
    expect_structural(im2, "bad name");
}

TEST(FfsFsck, AnEntryNamingAFreeOrImpossibleInode)
{
    Image im(8 * MiB);
    populate(im);
    im.find_entry(FFS_ROOTINO, "p")->d_ino = 1000;
    expect_structural(im, "entry 'p' names the free inode 1000");
    Image im2(8 * MiB);
    populate(im2);
    im2.find_entry(FFS_ROOTINO, "p")->d_ino = 0x7fffffff;
    expect_structural(im2, "out-of-range inode");
}

TEST(FfsFsck, TwoEntriesWithOneName)
{
    Image im(8 * MiB);
    Tree t = populate(im);
    im.link(t.b, "f", t.s);          // a second "f" in /a/b (a hard link to /s)
    expect_structural(im, "DIRECTORY " + std::to_string(t.b) + ": two entries named 'f'");
}

TEST(FfsFsck, AWrongDType)
{
    Image im(8 * MiB);
    populate(im);
    im.find_entry(FFS_ROOTINO, "s")->d_type = FFS_DT_REG;
    expect_structural(im, "entry 's' has type 8");
}

TEST(FfsFsck, MissingDot)
{
    Image im(8 * MiB);
    Tree t = populate(im);
    ffs_direct* dot = im.find_entry(t.a, ".");
    memcpy(dot->d_name, "x", 2);
    expect_structural(im, "DIRECTORY " + std::to_string(t.a) + ": first entry is not '.'");
}

TEST(FfsFsck, WrongCountsAndTheCleanFlag)
{
    Image im(8 * MiB);
    populate(im);
    im.cg(0)->cg_cs.cs_nbfree += 3;
    expect_repaired(im, "GROUP 0: header counts");
    im.sb()->fs_cstotal.cs_nifree -= 1;
    expect_repaired(im, "SUPERBLOCK: counts");
    im.sb()->fs_clean = FFS_DIRTY;
    expect_repaired(im, "not marked clean");
    EXPECT_EQ(im.sb()->fs_clean, FFS_CLEAN);
}

TEST(FfsFsck, AStaleSuperblockCopy)
{
    Image im(64 * MiB, 2048);
    auto* copy = reinterpret_cast<ffs_superblock*>(im.block(ffs_cgsblock(&im.fs(), 3)));
    copy->fs_ipg = 7;
    expect_repaired(im, "GROUP 3: the superblock copy");
    EXPECT_EQ(copy->fs_ipg, im.fs().fs_ipg);
}

TEST(FfsFsck, ABadGroupHeader)
{
    Image im(64 * MiB, 2048);
    im.cg(5)->cg_magic = 0;
    expect_structural(im, "GROUP 5: bad group header");
}

TEST(FfsFsck, GarbageAndTruncatedSuperblocks)
{
    std::mt19937 rng(11);
    Image im(8 * MiB);
    for (size_t i = 0; i < FFS_SBSIZE; i++)
        im.bytes()[FFS_SBOFF + i] = (uint8_t)rng();
    std::string report;
    EXPECT_EQ(im.fsck(true, &report), FFS_FSCK_FATAL);
    EXPECT_TRUE(contains(report, "SUPERBLOCK: bad magic")) << report;

    // A sound magic over nonsense geometry.
    Image im2(8 * MiB);
    im2.sb()->fs_ncg = 0x10000;
    EXPECT_EQ(im2.fsck(true, &report), FFS_FSCK_FATAL);
    EXPECT_TRUE(contains(report, "SUPERBLOCK:")) << report;

    // A truncated image: the superblock names blocks past the end.
    Image im3(8 * MiB);
    ffs_image half;
    ffs_image_mem(&half, im3.bytes().data(), 4 * MiB);
    ffs_fsck_options opts;
    memset(&opts, 0, sizeof opts);
    opts.readonly = 1;
    char* buf = nullptr;
    size_t len = 0;
    FILE* out = open_memstream(&buf, &len);
    EXPECT_EQ(ffs_fsck(&half, &opts, out), FFS_FSCK_FATAL);
    fclose(out);
    EXPECT_TRUE(contains(std::string(buf, len), "truncated")) << buf;
    free(buf);

    // Shorter than the superblock itself.
    ffs_image tiny;
    ffs_image_mem(&tiny, im3.bytes().data(), 9000);
    out = open_memstream(&buf, &len);
    EXPECT_EQ(ffs_fsck(&tiny, &opts, out), FFS_FSCK_FATAL);
    fclose(out);
    free(buf);
}

// Random damage to the metadata never crashes fsck (ASan/UBSan watch), and
// it always ends with one of its statuses.
TEST(FfsFsck, RandomDamageNeverCrashesIt)
{
    std::mt19937 rng(4242);
    Image pristine(4 * MiB, 256);
    populate(pristine);
    ASSERT_EQ(pristine.fsck(true), FFS_FSCK_CLEAN);
    const ffs_superblock fs = pristine.fs();
    // The bytes worth hitting: group 0's metadata and first data blocks
    // (the directories and indirect blocks live there).
    const uint64_t lo = FFS_SBOFF, hi = (uint64_t)(ffs_cgdmin(&fs, 0) + 40) * fs.fs_bsize;
    int nonclean = 0;
    for (int round = 0; round < 300; round++) {
        Image im = pristine;
        ffs_image_mem(im.img(), im.bytes().data(), im.bytes().size());
        int flips = 1 + (int)(rng() % 8);
        for (int i = 0; i < flips; i++) {
            uint64_t at = lo + rng() % (hi - lo);
            im.bytes()[at] = (round % 3 == 0) ? (uint8_t)rng() : (uint8_t)(im.bytes()[at] ^ (1u << (rng() % 8)));
        }
        int status = im.fsck(true);
        EXPECT_TRUE(status == 0 || status == 4 || status == 8) << "round " << round;
        nonclean += status != 0;
        status = im.fsck(false);
        EXPECT_TRUE(status == 0 || status == 1 || status == 4 || status == 8) << round;
        if (status == FFS_FSCK_FIXED) {
            EXPECT_EQ(im.fsck(true), FFS_FSCK_CLEAN) << "round " << round;
        }
    }
    EXPECT_GT(nonclean, 50);
}

// ---- dumpfs ----------------------------------------------------------------------

TEST(FfsDumpfs, PrintsTheGeometry)
{
    Image im(64 * MiB, 2048);
    std::string out = im.dumpfs();
    const ffs_superblock& fs = im.fs();
    EXPECT_TRUE(contains(out, "bsize\t4096\tbshift 12\tsize 16384 blocks")) << out;
    EXPECT_TRUE(contains(out, "ncg\t8\tfpg 2048\tipg " + std::to_string(fs.fs_ipg))) << out;
    EXPECT_TRUE(contains(out, "offsets\tsb 0\theader 1\timap 2\tbmap 3\tinodes 4\tdata " +
                                  std::to_string(fs.fs_dblkno)))
        << out;
    EXPECT_TRUE(contains(out, "cstotal\tndir 2\tnbfree " + std::to_string(fs.fs_dsize - 2))) << out;
    EXPECT_TRUE(contains(out, "group 0:\tblocks 2-2049 (2048)")) << out;
    EXPECT_TRUE(contains(out, "group 7:")) << out;
    EXPECT_FALSE(contains(out, "group 8:")) << out;
    EXPECT_TRUE(contains(out, "inodes used: 0-3\n")) << out;
    // Group 0: metadata, then the root's and lost+found's blocks.
    EXPECT_TRUE(contains(out, "blocks used: 2-" + std::to_string(ffs_cgdmin(&fs, 0) + 1) + "\n"))
        << out;
    EXPECT_TRUE(contains(out, "inodes used: none")) << out;
}

TEST(FfsDumpfs, RefusesABadSuperblock)
{
    Image im(4 * MiB);
    im.sb()->fs_magic = 0;
    EXPECT_TRUE(contains(im.dumpfs(), "superblock: bad magic"));
}
