// tests/host/fs/vfs/getcwd_test.cpp -- fs::getcwd (fs/vfs/getcwd.cpp) over the fake fs:
// names found through "..", across mount points, under a chroot, and its errors.
#include "fake_fs.h"

#include <fs/vfs/namei.h>
#include <fs/vfs/vfs.h>

#include <string>

using namespace fakefs;

namespace {

class Getcwd : public VfsTest {
protected:
    // The cwd's path (or "E<errno name>").
    std::string cwd_of(const fs::Context& c, size_t n = fs::PATH_MAX)
    {
        std::string buf(n, '?');
        auto r = fs::getcwd(c, buf.data(), n);
        if (r.is_error())
            return std::string("E") + kern::errno_name(r.error());
        EXPECT_EQ(buf[r.value()], '\0');
        return buf.substr(0, r.value());
    }
    void cd(fs::Context& c, const char* path)
    {
        c.cwd = kern::RefPtr<fs::Vnode>::adopt(MUST(fs::chdir(c, path)));
    }
};

TEST_F(Getcwd, RootAndNestedDirectories)
{
    EXPECT_EQ(cwd_of(ctx), "/");
    make_dir("/a");
    make_dir("/a/bb");
    make_dir("/a/bb/ccc");
    make_file("/a/bb/file");  // other entries in the way
    cd(ctx, "/a/bb/ccc");
    EXPECT_EQ(cwd_of(ctx), "/a/bb/ccc");
    cd(ctx, "..");
    EXPECT_EQ(cwd_of(ctx), "/a/bb");
    cd(ctx, "/");
}

TEST_F(Getcwd, BufferTooSmallIsErange)
{
    make_dir("/abc");
    cd(ctx, "/abc");
    EXPECT_EQ(cwd_of(ctx, 5), "/abc");  // 4 bytes and the NUL
    EXPECT_EQ(cwd_of(ctx, 4), "EERANGE");
    EXPECT_EQ(cwd_of(ctx, 1), "EERANGE");
    cd(ctx, "/");
    EXPECT_EQ(cwd_of(ctx, 2), "/");
    EXPECT_EQ(cwd_of(ctx, 1), "EERANGE");
}

TEST_F(Getcwd, AcrossMountPoints)
{
    make_dir("/mnt");
    make_dir("/mnt/hidden");  // covered by the mount: not in the answer
    OK(fs::mount(ctx, "fakefs", "/mnt", ""));
    make_dir("/mnt/x");
    make_dir("/mnt/x/y");
    cd(ctx, "/mnt/x/y");
    EXPECT_EQ(cwd_of(ctx), "/mnt/x/y");
    cd(ctx, "/mnt");
    EXPECT_EQ(cwd_of(ctx), "/mnt");
    // A second mount stacked on the first one's directory.
    OK(fs::mount(ctx, "fakefs", "/mnt/x", ""));
    make_dir("/mnt/x/z");
    cd(ctx, "/mnt/x/z");
    EXPECT_EQ(cwd_of(ctx), "/mnt/x/z");
    cd(ctx, "/");
    OK(fs::unmount(ctx, "/mnt/x"));
    OK(fs::unmount(ctx, "/mnt"));
}

TEST_F(Getcwd, StackedMountsOnOneDirectory)
{
    make_dir("/m");
    OK(fs::mount(ctx, "fakefs", "/m", ""));
    OK(fs::mount(ctx, "fakefs", "/m", ""));  // the top one wins
    make_dir("/m/top");
    cd(ctx, "/m/top");
    EXPECT_EQ(cwd_of(ctx), "/m/top");
    cd(ctx, "/");
    OK(fs::unmount(ctx, "/m"));
    OK(fs::unmount(ctx, "/m"));
}

TEST_F(Getcwd, ChrootRootIsSlash)
{
    make_dir("/jail");
    make_dir("/jail/cell");
    make_dir("/outside");
    fs::Context jail = ctx;
    jail.root = kern::RefPtr<fs::Vnode>::adopt(MUST(fs::chdir(ctx, "/jail")));
    cd(jail, "/cell");
    EXPECT_EQ(cwd_of(jail), "/cell");
    cd(jail, "/");
    EXPECT_EQ(cwd_of(jail), "/");
    // A cwd outside the chroot has no name inside it.
    jail.cwd = kern::RefPtr<fs::Vnode>::adopt(MUST(fs::chdir(ctx, "/outside")));
    EXPECT_EQ(cwd_of(jail), "EENOENT");
}

TEST_F(Getcwd, RemovedDirectoryIsEnoent)
{
    make_dir("/gone");
    cd(ctx, "/gone");
    OK(fs::rmdir(ctx, "/gone"));
    EXPECT_EQ(cwd_of(ctx), "EENOENT");
    cd(ctx, "/");
}

TEST_F(Getcwd, RenamedDirectoryShowsTheNewName)
{
    make_dir("/old");
    make_dir("/old/in");
    cd(ctx, "/old/in");
    OK(fs::rename(ctx, "/old", "/new"));
    EXPECT_EQ(cwd_of(ctx), "/new/in");
    cd(ctx, "/");
}

// A path of PATH_MAX bytes or more cannot be returned: ENAMETOOLONG, as
// Linux. Built one relative step at a time (no single path is that long).
TEST_F(Getcwd, TooDeepIsEnametoolong)
{
    std::string name(200, 'd');
    for (int depth = 0; depth < 21; ++depth) {  // 21 * 201 > 4096
        OK(fs::mkdir(ctx, name.c_str(), 0755));
        cd(ctx, name.c_str());
    }
    EXPECT_EQ(cwd_of(ctx), "EENAMETOOLONG");
    cd(ctx, "/");
    // Remove from the bottom, again one relative step at a time.
    for (int depth = 21; depth > 0; --depth) {
        fs::Context c = ctx;
        for (int i = 0; i < depth - 1; ++i)
            cd(c, name.c_str());
        OK(fs::rmdir(c, name.c_str()));
    }
}

} // namespace
