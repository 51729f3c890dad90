// tests/host/fs/ffs/ffs_kernel_test.cpp -- the kernel's FFS (fs/ffs/ffs_mount.h)
// on a fake disk: mount, the vnode operations, the pager, unmount; every
// test ends with fsck_ffs's checker finding the image clean and the VM
// finding no page lost (ffs_kernel_fixture.h).
#include "ffs_kernel_fixture.h"

#include <gtest/gtest.h>

namespace ffskt {
namespace {

TEST_F(FfsKernelTest, FreshImageMountsAndListsRootAndLostFound)
{
    auto names = list(m_root);
    ASSERT_EQ(names.size(), 3u);
    EXPECT_EQ(names[0], ".");
    EXPECT_EQ(names[1], "..");
    EXPECT_EQ(names[2], "lost+found");
    EXPECT_EQ(attr(m_root).ino, FFS_ROOTINO);
    EXPECT_EQ(attr(m_root).nlink, 3u);
}

TEST_F(FfsKernelTest, WriteReadBackAcrossRemount)
{
    Vnode* f = make(m_root, "hello");
    ASSERT_TRUE(f);
    EXPECT_EQ(write(f, 0, "hello, disk"), 11u);
    EXPECT_EQ(read(f, 0, 100), "hello, disk");
    f->unref();
    remount();
    f = find(m_root, "hello");
    ASSERT_TRUE(f);
    EXPECT_EQ(attr(f).size, 11u);
    EXPECT_EQ(read(f, 0, 100), "hello, disk");
    EXPECT_EQ(read(f, 6, 100), " disk");
    f->unref();
}

TEST_F(FfsKernelTest, LargeFileThroughDoubleIndirectBlocks)
{
    Vnode* f = make(m_root, "big");
    ASSERT_TRUE(f);
    // Blocks 0, 11 (last direct), 12 (first single indirect), 1035 (last
    // single), 1036 (first double indirect): a sparse file.
    const u64 lbns[] = {0, 11, 12, 1035, 1036, 3000};
    for (u64 lbn : lbns)
        EXPECT_EQ(write(f, lbn * 4096 + 7, "block " + std::to_string(lbn)), 6 + std::to_string(lbn).size());
    f->unref();
    remount();
    f = find(m_root, "big");
    ASSERT_TRUE(f);
    for (u64 lbn : lbns)
        EXPECT_EQ(read(f, lbn * 4096 + 7, 6 + std::to_string(lbn).size()), "block " + std::to_string(lbn));
    EXPECT_EQ(read(f, 5 * 4096, 16), std::string(16, '\0'));  // a hole reads as zeros
    // 6 data blocks; indirect: di_ib[0], di_ib[1] and two single indirect
    // blocks below it (1036 and 3000 fall in its entries 0 and 1); in
    // 512-byte units.
    EXPECT_EQ(attr(f).blocks, (6u + 4u) * 8u);
    f->unref();
}

TEST_F(FfsKernelTest, UnlinkGivesEveryBlockBack)
{
    const u64 before = free_blocks();
    Vnode* f = make(m_root, "f");
    ASSERT_TRUE(f);
    std::string mb(1 << 20, 'x');
    EXPECT_EQ(write(f, 0, mb), mb.size());
    EXPECT_LT(free_blocks(), before - 256);
    f->unref();
    ASSERT_FALSE(m_root->unlink("f").is_error());
    EXPECT_EQ(free_blocks(), before);
    EXPECT_EQ(lookup_error(m_root, "f"), Errno::ENOENT);
}

TEST_F(FfsKernelTest, TruncateShrinksAndZeroesTheTail)
{
    Vnode* f = make(m_root, "t");
    ASSERT_TRUE(f);
    std::string data(20000, 'a');
    EXPECT_EQ(write(f, 0, data), data.size());
    fs::VAttr a;
    a.size = 5000;
    ASSERT_FALSE(f->setattr(a, fs::SETATTR_SIZE).is_error());
    a.size = 9000;
    ASSERT_FALSE(f->setattr(a, fs::SETATTR_SIZE).is_error());
    EXPECT_EQ(read(f, 4990, 20), std::string(10, 'a') + std::string(10, '\0'));
    f->unref();
    remount();
    f = find(m_root, "t");
    ASSERT_TRUE(f);
    EXPECT_EQ(attr(f).size, 9000u);
    EXPECT_EQ(read(f, 4990, 20), std::string(10, 'a') + std::string(10, '\0'));
    f->unref();
}

TEST_F(FfsKernelTest, DirectoriesNestAndRemove)
{
    Vnode* d = make(m_root, "d", VType::Directory, 0755);
    ASSERT_TRUE(d);
    EXPECT_EQ(attr(m_root).nlink, 4u);
    EXPECT_EQ(attr(d).nlink, 2u);
    Vnode* f = make(d, "inner");
    ASSERT_TRUE(f);
    f->unref();
    EXPECT_EQ(m_root->rmdir("d").error(), Errno::ENOTEMPTY);
    Vnode* up = find(d, "..");
    EXPECT_EQ(up, m_root);
    up->unref();
    ASSERT_FALSE(d->unlink("inner").is_error());
    d->unref();
    ASSERT_FALSE(m_root->rmdir("d").is_error());
    EXPECT_EQ(attr(m_root).nlink, 3u);
}

TEST_F(FfsKernelTest, ManyNamesGrowTheDirectoryAndSurviveRemount)
{
    Vnode* d = make(m_root, "many", VType::Directory, 0755);
    ASSERT_TRUE(d);
    for (int i = 0; i < 400; ++i) {
        Vnode* f = make(d, ("file-with-a-long-name-" + std::to_string(i)).c_str());
        ASSERT_TRUE(f);
        f->unref();
    }
    EXPECT_GT(attr(d).size, 4096u);
    d->unref();
    remount();
    d = find(m_root, "many");
    ASSERT_TRUE(d);
    EXPECT_EQ(list(d).size(), 402u);
    for (int i = 0; i < 400; i += 2)
        ASSERT_FALSE(d->unlink(("file-with-a-long-name-" + std::to_string(i)).c_str()).is_error());
    EXPECT_EQ(list(d).size(), 202u);
    d->unref();
}

TEST_F(FfsKernelTest, RenameMovesADirectoryAndRewritesDotDot)
{
    Vnode* a = make(m_root, "a", VType::Directory, 0755);
    Vnode* b = make(m_root, "b", VType::Directory, 0755);
    ASSERT_TRUE(a && b);
    Vnode* sub = make(a, "sub", VType::Directory, 0755);
    ASSERT_TRUE(sub);
    ASSERT_FALSE(a->rename("sub", *b, "moved", 0).is_error());
    Vnode* up = find(sub, "..");
    EXPECT_EQ(up, b);
    up->unref();
    EXPECT_EQ(attr(a).nlink, 2u);
    EXPECT_EQ(attr(b).nlink, 3u);
    EXPECT_EQ(b->rename("moved", *sub, "x", 0).error(), Errno::EINVAL);  // into itself
    sub->unref();
    a->unref();
    b->unref();
}

TEST_F(FfsKernelTest, SymlinksShortAndLong)
{
    auto s = m_root->symlink("short", "target", fs::Cred{});
    ASSERT_FALSE(s.is_error());
    s.value()->unref();
    std::string long_target(300, 'p');
    auto l = m_root->symlink("long", long_target.c_str(), fs::Cred{});
    ASSERT_FALSE(l.is_error());
    l.value()->unref();
    remount();
    for (auto [name, want] : {std::pair<const char*, std::string>{"short", "target"}, {"long", long_target}}) {
        Vnode* s = find(m_root, name);
        ASSERT_TRUE(s);
        std::string out(400, '\0');
        auto n = s->readlink(fs::IoBuffer::kernel(out.data()), out.size());
        ASSERT_FALSE(n.is_error());
        EXPECT_EQ(out.substr(0, n.value()), want);
        s->unref();
    }
}

TEST_F(FfsKernelTest, UnmountIsBusyWhileAFileIsReferenced)
{
    Vnode* f = make(m_root, "busy");
    ASSERT_TRUE(f);
    EXPECT_EQ(m_ffs->unmount().error(), Errno::EBUSY);
    f->unref();
}

TEST_F(FfsKernelTest, SecondMountOfTheSameDiskIsBusy)
{
    EXPECT_EQ(try_mount().error(), Errno::EBUSY);
}

TEST_F(FfsKernelTest, GarbageSuperblockIsEinval)
{
    unmount_ok();
    m_check_image = false;
    memset(m_disk->sector(16), 0xa5, 512);
    EXPECT_EQ(try_mount().error(), Errno::EINVAL);
}

TEST_F(FfsKernelTest, DirectoryLoopIsEuclean)
{
    unmount_ok();
    m_check_image = false;
    // lost+found's ".." names itself.
    ffs_image img;
    ffs_image_mem(&img, m_disk->sector(0), DISK_BYTES);
    ffs_dinode lf;
    ASSERT_EQ(ffs_inode_read(&img, &m_sb, 3, &lf), 0);
    auto* dotdot = reinterpret_cast<ffs_direct*>(m_disk->sector(0) + u64(lf.di_db[0]) * m_sb.fs_bsize + 12);
    ASSERT_EQ(dotdot->d_namlen, 2);
    dotdot->d_ino = 3;
    EXPECT_EQ(try_mount().error(), Errno::EUCLEAN);
}

} // namespace
} // namespace ffskt
