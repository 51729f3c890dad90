// tests/host/fs/vfs/vfs_test.cpp -- the path calls of fs/vfs/vfs.h over the fake fs.
// Every errno is Linux's for the same call (checked against Linux 6.x).
#include "fake_fs.h"

using namespace fakefs;
using fs::Follow;

namespace {

class Vfs : public VfsTest {
protected:
    void SetUp() override
    {
        VfsTest::SetUp();
        make_dir("/d");
        make_file("/d/f", "data");
        make_link("/d/f", "/lf");
        make_link("/d", "/ld");
        make_link("/nowhere", "/dangle");
    }
};

TEST_F(Vfs, OpenCreateExclTrunc)
{
    EXPECT_EQ(open_err("/new", fs::O_WRONLY), Errno::ENOENT);
    EXPECT_EQ(open_err("/new", fs::O_CREAT | fs::O_WRONLY), Errno(0));
    EXPECT_EQ(MUST(fs::stat(ctx, "/new")).type, fs::VType::Regular);
    EXPECT_EQ(MUST(fs::stat(ctx, "/new")).mode, 0644u);
    EXPECT_EQ(open_err("/new", fs::O_CREAT | fs::O_EXCL | fs::O_WRONLY), Errno::EEXIST);
    EXPECT_EQ(open_err("/new", fs::O_CREAT | fs::O_WRONLY), Errno(0));  // exists: opened
    EXPECT_EQ(open_err("/d/f", fs::O_WRONLY | fs::O_TRUNC), Errno(0));
    EXPECT_EQ(MUST(fs::stat(ctx, "/d/f")).size, 0u);
    EXPECT_EQ(open_err("/nodir/x", fs::O_CREAT | fs::O_WRONLY), Errno::ENOENT);
    EXPECT_EQ(open_err("/d/f/x", fs::O_CREAT | fs::O_WRONLY), Errno::ENOTDIR);
}

TEST_F(Vfs, OpenFlagErrors)
{
    EXPECT_EQ(open_err("/d/f", fs::O_ACCMODE), Errno::EINVAL);
    EXPECT_EQ(open_err("/d/x", fs::O_CREAT | fs::O_DIRECTORY), Errno::EINVAL);
    EXPECT_EQ(open_err("/d/f", fs::O_RDONLY | fs::O_DIRECTORY), Errno::ENOTDIR);
    EXPECT_EQ(open_err("/d", fs::O_RDONLY | fs::O_DIRECTORY), Errno(0));
    EXPECT_EQ(open_err("/d", fs::O_WRONLY), Errno::EISDIR);
    EXPECT_EQ(open_err("/d", fs::O_RDWR), Errno::EISDIR);
    EXPECT_EQ(open_err("/d/f/", fs::O_RDONLY), Errno::ENOTDIR);
    EXPECT_EQ(open_err("/new/", fs::O_CREAT | fs::O_WRONLY), Errno::EISDIR);
    EXPECT_EQ(open_err("/d/", fs::O_CREAT | fs::O_RDONLY), Errno::EISDIR);
    EXPECT_EQ(open_err("/", fs::O_CREAT | fs::O_RDONLY), Errno::EISDIR);
    EXPECT_EQ(open_err("/d/.", fs::O_CREAT | fs::O_RDONLY), Errno::EISDIR);
}

TEST_F(Vfs, OpenAndSymlinks)
{
    EXPECT_EQ(open_err("/lf", fs::O_RDONLY), Errno(0));
    EXPECT_EQ(open_err("/lf", fs::O_RDONLY | fs::O_NOFOLLOW), Errno::ELOOP);
    EXPECT_EQ(open_err("/ld/f", fs::O_RDONLY | fs::O_NOFOLLOW), Errno(0));  // only the last
    EXPECT_EQ(open_err("/lf", fs::O_CREAT | fs::O_WRONLY), Errno(0));       // follows
    EXPECT_EQ(open_err("/lf", fs::O_CREAT | fs::O_EXCL | fs::O_WRONLY), Errno::EEXIST);
    EXPECT_EQ(open_err("/lf", fs::O_CREAT | fs::O_NOFOLLOW | fs::O_WRONLY), Errno::ELOOP);
    EXPECT_EQ(read_file("/lf"), "data");
}

// O_CREAT through a dangling symlink creates its target, as Linux: a
// relative target from the link's directory, chains of links too; O_EXCL
// and O_NOFOLLOW do not follow.
TEST_F(Vfs, OpenCreateThroughDanglingSymlink)
{
    EXPECT_EQ(open_err("/dangle", fs::O_CREAT | fs::O_EXCL | fs::O_WRONLY), Errno::EEXIST);
    EXPECT_EQ(open_err("/dangle", fs::O_CREAT | fs::O_NOFOLLOW | fs::O_WRONLY), Errno::ELOOP);
    EXPECT_EQ(lookup_err("/nowhere"), Errno::ENOENT);
    EXPECT_EQ(open_err("/dangle", fs::O_CREAT | fs::O_WRONLY), Errno(0));  // absolute target
    EXPECT_EQ(MUST(fs::lstat(ctx, "/nowhere")).type, fs::VType::Regular);
    EXPECT_EQ(MUST(fs::lstat(ctx, "/dangle")).type, fs::VType::Symlink);
    make_link("made", "/d/rel");  // relative: from /d, not from the cwd
    make_link("rel", "/d/chain");
    EXPECT_EQ(open_err("/d/chain", fs::O_CREAT | fs::O_WRONLY), Errno(0));
    EXPECT_EQ(MUST(fs::lstat(ctx, "/d/made")).type, fs::VType::Regular);
    EXPECT_EQ(lookup_err("/made"), Errno::ENOENT);
    make_link("/nodir/x", "/tomissingdir");
    EXPECT_EQ(open_err("/tomissingdir", fs::O_CREAT | fs::O_WRONLY), Errno::ENOENT);
    make_link("nodir/", "/toslash");
    EXPECT_EQ(open_err("/toslash", fs::O_CREAT | fs::O_WRONLY), Errno::EISDIR);
    make_link("/loop", "/loop");
    EXPECT_EQ(open_err("/loop", fs::O_CREAT | fs::O_WRONLY), Errno::ELOOP);
    make_link("d", "/tod");
    EXPECT_EQ(open_err("/tod", fs::O_CREAT | fs::O_RDONLY), Errno::EISDIR);  // a directory
    EXPECT_EQ(open_err("/d", fs::O_CREAT | fs::O_RDONLY), Errno::EISDIR);
}

// O_PATH: the File is the node itself, opened for nothing. A FIFO does not
// go to its pipe (the host shim would say ENXIO), a device node not to its
// driver, a symlink with O_NOFOLLOW is the link; other flags are ignored.
TEST_F(Vfs, OpenPathNamesTheNode)
{
    OK(fs::mknod(ctx, "/fifo", 0010644, 0));
    OK(fs::mknod(ctx, "/null", 0020666, 0x103));
    auto open_path = [&](const char* path, u32 flags) {
        return MUST(fs::open(ctx, path, fs::O_PATH | flags, 0));
    };
    fs::File* fifo = open_path("/fifo", fs::O_RDWR | fs::O_NONBLOCK);
    EXPECT_EQ(fifo->vnode().type(), fs::VType::Fifo);
    EXPECT_EQ(fifo->flags(), fs::O_PATH);
    EXPECT_FALSE(fifo->readable() || fifo->writable());
    char c;
    EXPECT_EQ(fifo->read(fs::IoBuffer::kernel(&c), 1).error(), Errno::EBADF);
    EXPECT_EQ(fifo->write(fs::IoBuffer::kernel(&c), 1).error(), Errno::EBADF);
    EXPECT_EQ(fifo->lseek(0, fs::SEEK_SET).error(), Errno::EBADF);
    fifo->unref();
    fs::File* dev = open_path("/null", fs::O_WRONLY | fs::O_TRUNC);
    EXPECT_EQ(dev->vnode().type(), fs::VType::CharDevice);  // the node, not the driver
    EXPECT_EQ(MUST(dev->stat()).rdev, 0x103u);
    dev->unref();
    fs::File* link = open_path("/lf", fs::O_NOFOLLOW);
    EXPECT_EQ(link->vnode().type(), fs::VType::Symlink);
    EXPECT_EQ(link->flags(), fs::O_PATH | fs::O_NOFOLLOW);
    link->unref();
    fs::File* dir = open_path("/d", fs::O_RDWR | fs::O_DIRECTORY);  // no EISDIR
    EXPECT_EQ(dir->pread(0, fs::IoBuffer::kernel(&c), 1).error(), Errno::EBADF);
    EXPECT_EQ(dir->truncate(0).error(), Errno::EBADF);
    dir->unref();
    EXPECT_EQ(open_err("/lf", fs::O_PATH | fs::O_NOFOLLOW | fs::O_DIRECTORY), Errno::ENOTDIR);
    EXPECT_EQ(open_err("/new", fs::O_PATH | fs::O_CREAT), Errno::ENOENT);  // O_CREAT ignored
    EXPECT_EQ(open_err("/d/f", fs::O_PATH | fs::O_ACCMODE), Errno(0));
    EXPECT_EQ(MUST(fs::stat(ctx, "/d/f")).size, 4u);
}

TEST_F(Vfs, Mkdir)
{
    OK(fs::mkdir(ctx, "/d/sub", 0700));
    EXPECT_EQ(MUST(fs::stat(ctx, "/d/sub")).type, fs::VType::Directory);
    OK(fs::mkdir(ctx, "/d/slash/", 0700));  // a trailing slash is fine
    EXPECT_EQ(err(fs::mkdir(ctx, "/d/sub", 0700)), Errno::EEXIST);
    EXPECT_EQ(err(fs::mkdir(ctx, "/d/.", 0700)), Errno::EEXIST);
    EXPECT_EQ(err(fs::mkdir(ctx, "/d/..", 0700)), Errno::EEXIST);
    EXPECT_EQ(err(fs::mkdir(ctx, "/", 0700)), Errno::EEXIST);
    EXPECT_EQ(err(fs::mkdir(ctx, "/x/y", 0700)), Errno::ENOENT);
    EXPECT_EQ(err(fs::mkdir(ctx, "/d/f/y", 0700)), Errno::ENOTDIR);
    EXPECT_EQ(err(fs::mkdir(ctx, "", 0700)), Errno::ENOENT);
    std::string longname(fs::NAME_MAX + 1, 'x');
    EXPECT_EQ(err(fs::mkdir(ctx, ("/" + longname).c_str(), 0700)), Errno::ENAMETOOLONG);
}

TEST_F(Vfs, Mknod)
{
    OK(fs::mknod(ctx, "/fifo", 0010644, 0));
    OK(fs::mknod(ctx, "/null", 0020666, 0x103));
    OK(fs::mknod(ctx, "/plain", 0644, 0));
    EXPECT_EQ(MUST(fs::stat(ctx, "/fifo")).type, fs::VType::Fifo);
    EXPECT_EQ(MUST(fs::stat(ctx, "/null")).rdev, 0x103u);
    EXPECT_EQ(MUST(fs::stat(ctx, "/plain")).type, fs::VType::Regular);
    EXPECT_EQ(err(fs::mknod(ctx, "/dir", 0040755, 0)), Errno::EPERM);
    EXPECT_EQ(err(fs::mknod(ctx, "/lnk", 0120777, 0)), Errno::EINVAL);
    EXPECT_EQ(err(fs::mknod(ctx, "/fifo", 0010644, 0)), Errno::EEXIST);
    EXPECT_EQ(err(fs::mknod(ctx, "/new/", 0010644, 0)), Errno::ENOENT);
    EXPECT_EQ(err(fs::mknod(ctx, "/fifo/", 0010644, 0)), Errno::EEXIST);
    EXPECT_EQ(err(fs::mknod(ctx, "/d/.", 0010644, 0)), Errno::EEXIST);
    EXPECT_EQ(err(fs::truncate(ctx, "/fifo", 0)), Errno::EINVAL);
}

// A FIFO node is not opened itself: open hands it to fs::open_fifo, which
// on the host (tests/host/shim/pipe_shim.cpp) has no pipe to give. The
// lookup's reference must be dropped all the same (the fixture unmounts).
TEST_F(Vfs, OpenFifoGoesToItsPipe)
{
    OK(fs::mknod(ctx, "/fifo", 0010644, 0));
    EXPECT_EQ(open_err("/fifo", fs::O_RDONLY | fs::O_NONBLOCK), Errno::ENXIO);
    EXPECT_EQ(open_err("/fifo", fs::O_RDWR | fs::O_CREAT), Errno::ENXIO);
    EXPECT_EQ(open_err("/fifo", fs::O_RDWR | fs::O_CREAT | fs::O_EXCL), Errno::EEXIST);
    EXPECT_EQ(open_err("/fifo", fs::O_RDONLY | fs::O_DIRECTORY), Errno::ENOTDIR);
}

TEST_F(Vfs, Unlink)
{
    EXPECT_EQ(err(fs::unlink(ctx, "/d")), Errno::EISDIR);
    EXPECT_EQ(err(fs::unlink(ctx, "/d/.")), Errno::EISDIR);
    EXPECT_EQ(err(fs::unlink(ctx, "/d/..")), Errno::EISDIR);
    EXPECT_EQ(err(fs::unlink(ctx, "/")), Errno::EISDIR);
    EXPECT_EQ(err(fs::unlink(ctx, "/d/f/")), Errno::ENOTDIR);
    EXPECT_EQ(err(fs::unlink(ctx, "/d/nope")), Errno::ENOENT);
    OK(fs::unlink(ctx, "/lf"));  // the link, not its target
    EXPECT_EQ(lookup_err("/d/f"), Errno(0));
    OK(fs::unlink(ctx, "/d/f"));
    EXPECT_EQ(lookup_err("/d/f"), Errno::ENOENT);
}

TEST_F(Vfs, Rmdir)
{
    make_dir("/d/e");
    EXPECT_EQ(err(fs::rmdir(ctx, "/d/e/.")), Errno::EINVAL);
    EXPECT_EQ(err(fs::rmdir(ctx, "/d/e/..")), Errno::ENOTEMPTY);
    EXPECT_EQ(err(fs::rmdir(ctx, "/")), Errno::EBUSY);
    EXPECT_EQ(err(fs::rmdir(ctx, "/d/f")), Errno::ENOTDIR);
    EXPECT_EQ(err(fs::rmdir(ctx, "/ld")), Errno::ENOTDIR);  // a symlink is not followed
    EXPECT_EQ(err(fs::rmdir(ctx, "/d")), Errno::ENOTEMPTY);
    EXPECT_EQ(err(fs::rmdir(ctx, "/d/nope")), Errno::ENOENT);
    OK(fs::rmdir(ctx, "/d/e/"));
    EXPECT_EQ(lookup_err("/d/e"), Errno::ENOENT);
}

TEST_F(Vfs, RenameBasics)
{
    OK(fs::rename(ctx, "/d/f", "/g"));
    EXPECT_EQ(read_file("/g"), "data");
    EXPECT_EQ(lookup_err("/d/f"), Errno::ENOENT);
    make_file("/h", "other");
    OK(fs::rename(ctx, "/g", "/h"));  // replaces a file
    EXPECT_EQ(read_file("/h"), "data");
    OK(fs::rename(ctx, "/h", "/h"));  // onto itself
    make_dir("/e");
    OK(fs::rename(ctx, "/d", "/e"));  // a directory over an empty one
    EXPECT_EQ(ino("/e/.."), ino("/"));
    EXPECT_EQ(lookup_err("/d"), Errno::ENOENT);
    EXPECT_EQ(err(fs::rename(ctx, "/nope", "/x")), Errno::ENOENT);
}

TEST_F(Vfs, RenameErrors)
{
    make_dir("/d/sub");
    make_dir("/d/sub/deeper");
    make_dir("/full");
    make_file("/full/x");
    make_file("/file");
    EXPECT_EQ(err(fs::rename(ctx, "/d", "/d/sub/deeper/d")), Errno::EINVAL);  // own subtree
    EXPECT_EQ(err(fs::rename(ctx, "/d", "/d/d2")), Errno::EINVAL);
    EXPECT_EQ(err(fs::rename(ctx, "/d", "/ld/sub/x")), Errno::EINVAL);  // via a symlink
    EXPECT_EQ(err(fs::rename(ctx, "/d/.", "/x")), Errno::EBUSY);
    EXPECT_EQ(err(fs::rename(ctx, "/x", "/d/..")), Errno::EBUSY);
    EXPECT_EQ(err(fs::rename(ctx, "/", "/x")), Errno::EBUSY);
    EXPECT_EQ(err(fs::rename(ctx, "/file/", "/x")), Errno::ENOTDIR);
    EXPECT_EQ(err(fs::rename(ctx, "/file", "/x/")), Errno::ENOTDIR);
    EXPECT_EQ(err(fs::rename(ctx, "/d", "/file")), Errno::ENOTDIR);
    EXPECT_EQ(err(fs::rename(ctx, "/file", "/d")), Errno::EISDIR);
    EXPECT_EQ(err(fs::rename(ctx, "/d/sub", "/full")), Errno::ENOTEMPTY);
    OK(fs::rename(ctx, "/d/sub/", "/sub2/"));  // trailing slashes on directories
    EXPECT_EQ(lookup_err("/sub2/deeper"), Errno(0));
}

// renameat2's flags over the fake fs (tmpfs has its own tests): the VFS's
// part is the flag checks, ".", the exchange's subtree checks both ways.
TEST_F(Vfs, RenameNoreplace)
{
    make_file("/g", "other");
    EXPECT_EQ(err(fs::rename(ctx, "/d/f", "/g", fs::RENAME_NOREPLACE)), Errno::EEXIST);
    EXPECT_EQ(err(fs::rename(ctx, "/d/f", "/d/f", fs::RENAME_NOREPLACE)), Errno::EEXIST);
    EXPECT_EQ(err(fs::rename(ctx, "/d/f", "/d/.", fs::RENAME_NOREPLACE)), Errno::EEXIST);
    EXPECT_EQ(err(fs::rename(ctx, "/d/f", "/d/.", 0)), Errno::EBUSY);
    EXPECT_EQ(read_file("/g"), "other");
    EXPECT_EQ(read_file("/d/f"), "data");
    OK(fs::rename(ctx, "/d/f", "/h", fs::RENAME_NOREPLACE));
    EXPECT_EQ(read_file("/h"), "data");
    u32 both = fs::RENAME_NOREPLACE | fs::RENAME_EXCHANGE;
    EXPECT_EQ(err(fs::rename(ctx, "/h", "/g", both)), Errno::EINVAL);
    EXPECT_EQ(err(fs::rename(ctx, "/h", "/x", fs::RENAME_WHITEOUT)), Errno::EINVAL);
    EXPECT_EQ(err(fs::rename(ctx, "/h", "/x", 8)), Errno::EINVAL);
}

TEST_F(Vfs, RenameExchange)
{
    make_dir("/e");
    make_dir("/e/sub");
    EXPECT_EQ(err(fs::rename(ctx, "/d/f", "/e/none", fs::RENAME_EXCHANGE)), Errno::ENOENT);
    EXPECT_EQ(err(fs::rename(ctx, "/e/none", "/d/f", fs::RENAME_EXCHANGE)), Errno::ENOENT);
    EXPECT_EQ(err(fs::rename(ctx, "/d/f/", "/e/sub", fs::RENAME_EXCHANGE)), Errno::ENOTDIR);
    EXPECT_EQ(err(fs::rename(ctx, "/e/sub", "/d/f/", fs::RENAME_EXCHANGE)), Errno::ENOTDIR);
    u64 file = ino("/d/f"), sub = ino("/e/sub");
    OK(fs::rename(ctx, "/d/f", "/e/sub", fs::RENAME_EXCHANGE));  // a file and a directory
    EXPECT_EQ(ino("/d/f"), sub);
    EXPECT_EQ(ino("/e/sub"), file);
    EXPECT_EQ(ino("/d/f/.."), ino("/d"));  // ".." followed the directory
    EXPECT_EQ(MUST(fs::stat(ctx, "/d")).nlink, 3u);
    EXPECT_EQ(MUST(fs::stat(ctx, "/e")).nlink, 2u);
    OK(fs::rename(ctx, "/d/f", "/d/f", fs::RENAME_EXCHANGE));  // with itself: nothing
    // Neither directory may end up inside itself.
    EXPECT_EQ(err(fs::rename(ctx, "/d", "/d/f", fs::RENAME_EXCHANGE)), Errno::EINVAL);
    EXPECT_EQ(err(fs::rename(ctx, "/d/f", "/d", fs::RENAME_EXCHANGE)), Errno::EINVAL);
    EXPECT_EQ(ino("/d/f"), sub);
}

TEST_F(Vfs, Link)
{
    OK(fs::link(ctx, "/d/f", "/hard"));
    EXPECT_EQ(ino("/hard"), ino("/d/f"));
    EXPECT_EQ(MUST(fs::stat(ctx, "/d/f")).nlink, 2u);
    OK(fs::link(ctx, "/lf", "/hardlink-to-symlink"));  // not followed
    EXPECT_EQ(MUST(fs::lstat(ctx, "/hardlink-to-symlink")).type, fs::VType::Symlink);
    EXPECT_EQ(err(fs::link(ctx, "/d", "/dirlink")), Errno::EPERM);
    EXPECT_EQ(err(fs::link(ctx, "/d/f", "/hard")), Errno::EEXIST);
    EXPECT_EQ(err(fs::link(ctx, "/d/f", "/d/.")), Errno::EEXIST);
    EXPECT_EQ(err(fs::link(ctx, "/d/f", "/new/")), Errno::ENOENT);
    EXPECT_EQ(err(fs::link(ctx, "/nope", "/x")), Errno::ENOENT);
    OK(fs::unlink(ctx, "/d/f"));
    EXPECT_EQ(read_file("/hard"), "data");
}

TEST_F(Vfs, SymlinkAndReadlink)
{
    OK(fs::symlink(ctx, "some/where", "/s"));
    char buf[32];
    EXPECT_EQ(MUST(fs::readlink(ctx, "/s", fs::IoBuffer::kernel(buf), sizeof buf)), 10u);
    EXPECT_EQ(std::string(buf, 10), "some/where");
    EXPECT_EQ(MUST(fs::readlink(ctx, "/s", fs::IoBuffer::kernel(buf), 4)), 4u);  // cut
    EXPECT_EQ(err(fs::readlink(ctx, "/d/f", fs::IoBuffer::kernel(buf), 32)), Errno::EINVAL);
    EXPECT_EQ(err(fs::readlink(ctx, "/ld/", fs::IoBuffer::kernel(buf), 32)), Errno::EINVAL);
    EXPECT_EQ(err(fs::symlink(ctx, "", "/e")), Errno::ENOENT);
    EXPECT_EQ(err(fs::symlink(ctx, std::string(fs::PATH_MAX, 'a').c_str(), "/e")), Errno::ENAMETOOLONG);
    EXPECT_EQ(err(fs::symlink(ctx, "x", "/s")), Errno::EEXIST);
    EXPECT_EQ(err(fs::symlink(ctx, "x", "/")), Errno::EEXIST);
    EXPECT_EQ(err(fs::symlink(ctx, "x", "/new/")), Errno::ENOENT);
    EXPECT_EQ(MUST(fs::lstat(ctx, "/s")).size, 10u);
}

TEST_F(Vfs, StatLstatTruncate)
{
    EXPECT_EQ(MUST(fs::stat(ctx, "/lf")).type, fs::VType::Regular);
    EXPECT_EQ(MUST(fs::lstat(ctx, "/lf")).type, fs::VType::Symlink);
    EXPECT_EQ(MUST(fs::stat(ctx, "/d/f")).dev, rootfs->id());
    EXPECT_EQ(err(fs::stat(ctx, "/dangle")), Errno::ENOENT);
    EXPECT_EQ(err(fs::lstat(ctx, "/dangle")), Errno(0));
    OK(fs::truncate(ctx, "/lf", 2));
    EXPECT_EQ(read_file("/d/f"), "da");
    OK(fs::truncate(ctx, "/d/f", 5));
    EXPECT_EQ(read_file("/d/f"), std::string("da\0\0\0", 5));
    EXPECT_EQ(err(fs::truncate(ctx, "/d", 0)), Errno::EISDIR);
    EXPECT_EQ(MUST(fs::statvfs(ctx, "/d/f")).fsid, rootfs->id());
}

TEST_F(Vfs, Chdir)
{
    ctx.cwd = kern::RefPtr<fs::Vnode>::adopt(MUST(fs::chdir(ctx, "/ld")));
    EXPECT_EQ(read_file("f"), "data");
    EXPECT_EQ(err(fs::chdir(ctx, "f")), Errno::ENOTDIR);
    EXPECT_EQ(err(fs::chdir(ctx, "nope")), Errno::ENOENT);
    OK(fs::mkdir(ctx, "sub", 0755));
    EXPECT_EQ(lookup_err("/d/sub"), Errno(0));
    OK(fs::rename(ctx, "f", "../moved"));
    EXPECT_EQ(read_file("/moved"), "data");
}

TEST_F(Vfs, RemovedCwd)
{
    make_dir("/gone");
    ctx.cwd = kern::RefPtr<fs::Vnode>::adopt(MUST(fs::chdir(ctx, "/gone")));
    OK(fs::rmdir(ctx, "/gone"));
    EXPECT_EQ(open_err("x", fs::O_CREAT | fs::O_WRONLY), Errno::ENOENT);
    ctx.cwd = ctx.root;  // the last reference: the directory is freed now
}

} // namespace
