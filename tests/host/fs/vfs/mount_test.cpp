// tests/host/fs/vfs/mount_test.cpp -- the mount table (fs/vfs/mount.cpp) over the fake fs.
#include "fake_fs.h"

#include <fs/vfs/namei.h>

using namespace fakefs;
using fs::Follow;

namespace {

class Mount : public VfsTest {
protected:
    void SetUp() override
    {
        VfsTest::SetUp();
        make_dir("/mnt");
        make_dir("/mnt2");
        make_file("/file");
    }
};

TEST_F(Mount, Errors)
{
    EXPECT_EQ(err(fs::mount(ctx, "nosuchfs", "/mnt", "")), Errno::ENODEV);
    EXPECT_EQ(err(fs::mount(ctx, "fakefs", "/mnt", "bad")), Errno::EINVAL);
    EXPECT_EQ(err(fs::mount(ctx, "fakefs", "/file", "")), Errno::ENOTDIR);
    EXPECT_EQ(err(fs::mount(ctx, "fakefs", "/nope", "")), Errno::ENOENT);
    EXPECT_EQ(err(fs::mount_root("fakefs", "")), Errno::EBUSY);  // a root exists
    EXPECT_EQ(err(fs::unmount(ctx, "/mnt")), Errno::EINVAL);     // not a mount
    EXPECT_EQ(err(fs::unmount(ctx, "/file")), Errno::EINVAL);
    EXPECT_EQ(err(fs::unmount(ctx, "/")), Errno::EBUSY);         // the root, in use
}

TEST_F(Mount, UniqueIdsAndStatvfs)
{
    OK(fs::mount(ctx, "fakefs", "/mnt", ""));
    FakeFs* a = FakeFs::s_last;
    OK(fs::mount(ctx, "fakefs", "/mnt2", ""));
    FakeFs* b = FakeFs::s_last;
    EXPECT_NE(a->id(), b->id());
    EXPECT_NE(a->id(), rootfs->id());
    EXPECT_EQ(MUST(fs::statvfs(ctx, "/mnt")).fsid, a->id());
    EXPECT_EQ(MUST(fs::statvfs(ctx, "/mnt2/.")).fsid, b->id());
    EXPECT_EQ(MUST(fs::statvfs(ctx, "/file")).fsid, rootfs->id());
    OK(fs::unmount(ctx, "/mnt"));
    OK(fs::unmount(ctx, "/mnt2"));
}

TEST_F(Mount, CoveredVnodeIsHiddenAndComesBack)
{
    make_file("/mnt/under");
    OK(fs::mount(ctx, "fakefs", "/mnt", ""));
    EXPECT_EQ(lookup_err("/mnt/under"), Errno::ENOENT);
    make_file("/mnt/over");
    OK(fs::unmount(ctx, "/mnt"));
    EXPECT_EQ(lookup_err("/mnt/under"), Errno(0));
    EXPECT_EQ(lookup_err("/mnt/over"), Errno::ENOENT);
}

TEST_F(Mount, BusyWhileInUse)
{
    OK(fs::mount(ctx, "fakefs", "/mnt", ""));
    make_file("/mnt/f", "x");
    // An open file inside.
    fs::File* f = MUST(fs::open(ctx, "/mnt/f", fs::O_RDONLY, 0));
    EXPECT_EQ(err(fs::unmount(ctx, "/mnt")), Errno::EBUSY);
    f->unref();
    // A cwd at the mounted root.
    fs::Context other = ctx;
    other.cwd = kern::RefPtr<fs::Vnode>::adopt(MUST(fs::chdir(ctx, "/mnt")));
    EXPECT_EQ(err(fs::unmount(ctx, "/mnt")), Errno::EBUSY);
    other = fs::Context{};
    // A referenced vnode at the root of the mount.
    fs::Vnode* root = MUST(fs::lookup(ctx, "/mnt/.", Follow::Yes));
    EXPECT_EQ(err(fs::unmount(ctx, "/mnt")), Errno::EBUSY);
    root->unref();
    OK(fs::unmount(ctx, "/mnt"));
}

TEST_F(Mount, BusyWithMountsBelow)
{
    OK(fs::mount(ctx, "fakefs", "/mnt", ""));
    make_dir("/mnt/sub");
    OK(fs::mount(ctx, "fakefs", "/mnt/sub", ""));
    EXPECT_EQ(err(fs::unmount(ctx, "/mnt")), Errno::EBUSY);
    EXPECT_EQ(err(fs::rmdir(ctx, "/mnt/sub")), Errno::EBUSY);  // a mount point
    EXPECT_EQ(err(fs::rename(ctx, "/mnt/sub", "/mnt/sub2")), Errno::EBUSY);
    OK(fs::unmount(ctx, "/mnt/sub"));
    OK(fs::unmount(ctx, "/mnt"));
}

TEST_F(Mount, StackedMounts)
{
    OK(fs::mount(ctx, "fakefs", "/mnt", ""));
    FakeFs* lower = FakeFs::s_last;
    OK(fs::mount(ctx, "fakefs", "/mnt", ""));  // on top of the first one's root
    FakeFs* upper = FakeFs::s_last;
    EXPECT_EQ(MUST(fs::stat(ctx, "/mnt")).dev, upper->id());
    EXPECT_EQ(ino("/mnt/.."), ino("/"));
    EXPECT_EQ(err(fs::unmount(ctx, "/mnt/..")), Errno::EBUSY);  // "/" is the root
    OK(fs::unmount(ctx, "/mnt"));
    EXPECT_EQ(MUST(fs::stat(ctx, "/mnt")).dev, lower->id());
    OK(fs::unmount(ctx, "/mnt"));
    EXPECT_EQ(MUST(fs::stat(ctx, "/mnt")).dev, rootfs->id());
}

TEST_F(Mount, CrossDeviceRenameAndLink)
{
    OK(fs::mount(ctx, "fakefs", "/mnt", ""));
    make_file("/mnt/f");
    EXPECT_EQ(err(fs::rename(ctx, "/file", "/mnt/file")), Errno::EXDEV);
    EXPECT_EQ(err(fs::rename(ctx, "/mnt/f", "/f")), Errno::EXDEV);
    EXPECT_EQ(err(fs::link(ctx, "/file", "/mnt/file")), Errno::EXDEV);
    OK(fs::unlink(ctx, "/mnt/f"));
    OK(fs::unmount(ctx, "/mnt"));
}

TEST_F(Mount, MountPointDirectoryCannotBeRemovedOrRenamed)
{
    OK(fs::mount(ctx, "fakefs", "/mnt", ""));
    EXPECT_EQ(err(fs::rmdir(ctx, "/mnt")), Errno::EBUSY);
    EXPECT_EQ(err(fs::rename(ctx, "/mnt", "/other")), Errno::EBUSY);
    EXPECT_EQ(err(fs::rename(ctx, "/mnt2", "/mnt")), Errno::EBUSY);
    OK(fs::unmount(ctx, "/mnt"));
}

TEST(MountRoot, UnmountRootRequiresNothingElse)
{
    fs::register_filesystem(FakeFs::TYPE);
    EXPECT_EQ(fs::unmount_root().error(), Errno::EINVAL);  // none mounted
    EXPECT_EQ(fs::root_context().error(), Errno::ENOENT);
    ASSERT_FALSE(fs::mount_root("fakefs", "").is_error());
    {
        fs::Context c = MUST(fs::root_context());
        EXPECT_EQ(fs::unmount_root().error(), Errno::EBUSY);  // c holds the root
    }
    EXPECT_FALSE(fs::unmount_root().is_error());
}

} // namespace
