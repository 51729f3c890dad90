// tests/host/fs/ffs/ffs_damage_test.cpp -- the kernel's FFS at its edges: damaged images: refused at mount
// (EINVAL / EUCLEAN with a console line, and the device free again), and
// damage made behind the mount's back while mounted is EIO, not a crash.
// The fixtures: ffs_edge_fixture.h.
#include "ffs_edge_fixture.h"

namespace ffskt {
namespace {

// ---- damaged images, refused at mount -------------------------------------------------------

TEST_F(FfsEdgeTest, BadSuperblockMagicIsEinval)
{
    EXPECT_EQ(mount_after([&] {
                  reinterpret_cast<ffs_superblock*>(m_disk->sector(FFS_SBOFF / 512))->fs_magic ^= 1;
              }),
              Errno::EINVAL);
    EXPECT_TRUE(console_says("not mountable")) << kern::host::last_console_line();
}

TEST_F(FfsEdgeTest, RootThatIsNotADirectoryIsEuclean)
{
    EXPECT_EQ(mount_after([&] {
                  ffs_dinode root = dinode(FFS_ROOTINO);
                  root.di_mode = u16(FFS_IFREG | 0755);
                  put_dinode(FFS_ROOTINO, root);
              }),
              Errno::EUCLEAN);
    EXPECT_TRUE(console_says("inode 2: the root is not a directory")) << kern::host::last_console_line();
}

TEST_F(FfsEdgeTest, DirectoryBlockPointerOutOfRangeIsEuclean)
{
    EXPECT_EQ(mount_after([&] {
                  ffs_dinode lf = dinode(3);  // lost+found
                  lf.di_db[0] = m_sb.fs_size + 100;
                  put_dinode(3, lf);
              }),
              Errno::EUCLEAN);
    EXPECT_TRUE(console_says("inode 3: a block pointer outside the data area")) << kern::host::last_console_line();
}

TEST_F(FfsEdgeTest, DirectoryBlockPointerIntoTheInodeTableIsEuclean)
{
    EXPECT_EQ(mount_after([&] {
                  ffs_dinode root = dinode(FFS_ROOTINO);
                  root.di_db[0] = ffs_cgimin(&m_sb, 0);
                  put_dinode(FFS_ROOTINO, root);
              }),
              Errno::EUCLEAN);
    EXPECT_TRUE(console_says("inode 2: a block pointer outside the data area")) << kern::host::last_console_line();
}

TEST_F(FfsEdgeTest, DamagedDirectoryBlockIsEuclean)
{
    EXPECT_EQ(mount_after([&] {
                  ffs_dinode lf = dinode(3);
                  auto* dotdot = reinterpret_cast<ffs_direct*>(disk_block(lf.di_db[0]) + 12);
                  dotdot->d_reclen = 7;  // not a multiple of 4, not to the chunk's end
              }),
              Errno::EUCLEAN);
    EXPECT_TRUE(console_says("inode 3: ")) << kern::host::last_console_line();
}

TEST_F(FfsEdgeTest, DirectoryEntryNamingAFreeInodeIsEuclean)
{
    EXPECT_EQ(mount_after([&] {
                  ffs_dinode root = dinode(FFS_ROOTINO);
                  // The root's third entry is lost+found (a directory): point it at a free inode.
                  auto* dot = reinterpret_cast<ffs_direct*>(disk_block(root.di_db[0]));
                  auto* dotdot = reinterpret_cast<ffs_direct*>(disk_block(root.di_db[0]) + dot->d_reclen);
                  auto* lf = reinterpret_cast<ffs_direct*>(reinterpret_cast<u8*>(dotdot) + dotdot->d_reclen);
                  ASSERT_EQ(std::string(lf->d_name, lf->d_namlen), "lost+found");
                  lf->d_ino = 20;
              }),
              Errno::EUCLEAN);
    EXPECT_TRUE(console_says("inode 20: a directory entry names a free inode")) << kern::host::last_console_line();
}

TEST_F(FfsEdgeTest, GroupHeaderWithABadMagicIsEuclean)
{
    EXPECT_EQ(mount_after([&] { group(0)->cg_magic = 0x12345678; }), Errno::EUCLEAN);
    EXPECT_TRUE(console_says("group 0: bad header")) << kern::host::last_console_line();
}

TEST_F(FfsEdgeTest, GroupCountsThatDisagreeWithTheBitmapsAreEuclean)
{
    EXPECT_EQ(mount_after([&] { group(0)->cg_cs.cs_nbfree += 1; }), Errno::EUCLEAN);
    EXPECT_TRUE(console_says("group 0: free counts disagree with the bitmaps")) << kern::host::last_console_line();
}

TEST_F(FfsEdgeTest, GroupInodeCountThatDisagreesWithTheBitmapIsEuclean)
{
    EXPECT_EQ(mount_after([&] { group(0)->cg_cs.cs_nifree -= 1; }), Errno::EUCLEAN);
    EXPECT_TRUE(console_says("free counts disagree with the bitmaps")) << kern::host::last_console_line();
}

TEST_F(FfsEdgeTest, ARefusedMountLeavesTheDeviceFreeForTheNextOne)
{
    const u32 magic = group(0)->cg_magic;
    EXPECT_EQ(mount_after([&] { group(0)->cg_magic = 0; }), Errno::EUCLEAN);
    group(0)->cg_magic = magic;  // repaired: mounts, and the image is clean again
    m_check_image = true;
    mount_ok();
}

// ---- damage made while mounted: EIO, never a crash ----------------------------------------

// The file's single indirect block, written to the disk and dropped from
// every cache, is overwritten on the disk with pointers out of range.
TEST_F(FfsEdgeTest, DamagedIndirectBlockWhileMountedIsEio)
{
    Vnode* f = make(m_root, "f");
    ASSERT_TRUE(f);
    write(f, 0, "direct");
    write(f, 20 * 4096, "indirect");
    const u32 n = u32(ino(f));
    ASSERT_FALSE(f->fsync().is_error());
    f->unref();
    m_ffs->drop_caches();
    const ffs_dinode din = dinode(n);
    ASSERT_NE(din.di_ib[0], 0u);
    auto* entries = reinterpret_cast<u32*>(disk_block(din.di_ib[0]));
    ASSERT_NE(entries[20 - FFS_NDADDR], 0u);
    entries[20 - FFS_NDADDR] = m_sb.fs_size + 5;  // past the image
    entries[21 - FFS_NDADDR] = ffs_cgtod(&m_sb, 0);  // the group header: metadata
    m_check_image = false;
    kern::host::clear_console();
    f = find(m_root, "f");
    ASSERT_TRUE(f);
    EXPECT_EQ(read(f, 0, 6), "direct");  // the rest of the file still reads
    std::string buf(16, '\0');
    auto r = f->read(20 * 4096, fs::IoBuffer::kernel(buf.data()), buf.size());
    EXPECT_EQ(r.is_error() ? r.error() : Errno(0), Errno::EIO);
    EXPECT_TRUE(console_says("a block pointer outside the data area")) << kern::host::last_console_line();
    auto w = f->write(21 * 4096, fs::IoBuffer::kernel(buf.data()), buf.size());
    EXPECT_EQ(w.is_error() ? w.error() : Errno(0), Errno::EIO);
    // Truncating leaves the bad pointers alone (never frees a metadata block).
    truncate(f, 0);
    EXPECT_TRUE(console_says("left alone")) << kern::host::last_console_line();
    f->unref();
    EXPECT_EQ(group(0)->cg_magic, FFS_CG_MAGIC);
}

// A directory's block, damaged on the disk after the caches dropped it:
// every operation that reads it is EIO with a console line.
TEST_F(FfsEdgeTest, DamagedDirectoryBlockWhileMountedIsEio)
{
    Vnode* d = mkdir(m_root, "d");
    ASSERT_TRUE(d);
    touch(d, "x");
    const u32 n = u32(ino(d));
    d->unref();
    ASSERT_FALSE(m_ffs->sync().is_error());
    m_ffs->drop_caches();
    const ffs_dinode din = dinode(n);
    auto* dotdot = reinterpret_cast<ffs_direct*>(disk_block(din.di_db[0]) + 12);
    dotdot->d_reclen = 3;
    m_check_image = false;
    kern::host::clear_console();
    d = find(m_root, "d");
    ASSERT_TRUE(d);
    EXPECT_EQ(lookup_error(d, "x"), Errno::EIO);
    EXPECT_TRUE(console_says("inode ")) << kern::host::last_console_line();
    EXPECT_EQ(make_error(d, "y"), Errno::EIO);
    EXPECT_EQ(error_of(d->unlink("x")), Errno::EIO);
    NameSink sink;
    auto r = d->readdir(0, sink);
    EXPECT_EQ(r.is_error() ? r.error() : Errno(0), Errno::EIO);
    EXPECT_EQ(error_of(m_root->rmdir("d")), Errno::EIO);
    EXPECT_EQ(error_of(m_root->rename("lost+found", *d, "lf", 0)), Errno::EIO);
    EXPECT_EQ(lookup_error(m_root, "lost+found"), Errno(0));  // nothing moved
    d->unref();
}

// A disk that fails reads: EIO from the pager, and the next read (the
// disk healed) works -- a failed read leaves nothing cached.
TEST_F(FfsEdgeTest, ReadErrorFromTheDiskIsEioThenRecovers)
{
    Vnode* f = make(m_root, "f");
    ASSERT_TRUE(f);
    write(f, 0, std::string(8192, 'r'));
    const u32 n = u32(ino(f));
    ASSERT_FALSE(f->fsync().is_error());
    f->unref();
    m_ffs->drop_caches();
    const ffs_dinode din = dinode(n);
    m_disk->fail_sector(m_sb.fs_bsize / 512 * u64(din.di_db[1]));
    f = find(m_root, "f");
    ASSERT_TRUE(f);
    std::string buf(10, '\0');
    auto r = f->read(4096, fs::IoBuffer::kernel(buf.data()), buf.size());
    EXPECT_EQ(r.is_error() ? r.error() : Errno(0), Errno::EIO);
    m_disk->heal();
    EXPECT_EQ(read(f, 4096, 10), std::string(10, 'r'));
    f->unref();
}

} // namespace
} // namespace ffskt
