// tests/host/fs/vfs/namei_test.cpp -- path lookup (fs/vfs/namei.cpp) over the fake fs.
#include "fake_fs.h"

#include <fs/vfs/namei.h>

using namespace fakefs;
using fs::Follow;
using fs::LastKind;

namespace {

class Namei : public VfsTest {
protected:
    void SetUp() override
    {
        VfsTest::SetUp();
        make_dir("/a");
        make_dir("/a/b");
        make_file("/a/b/f", "data");
        make_file("/top");
    }
};

TEST_F(Namei, AbsoluteAndRelative)
{
    EXPECT_NE(ino("/a/b/f"), 0u);
    EXPECT_EQ(ino("a/b/f"), ino("/a/b/f"));
    ctx.cwd = kern::RefPtr<fs::Vnode>::adopt(MUST(fs::chdir(ctx, "/a")));
    EXPECT_EQ(ino("b/f"), ino("/a/b/f"));
    EXPECT_EQ(ino("."), ino("/a"));
    EXPECT_EQ(ino(".."), ino("/"));
}

TEST_F(Namei, DotDotAndRepeatedSlashes)
{
    EXPECT_EQ(ino("//a///b//./f"), ino("/a/b/f"));
    EXPECT_EQ(ino("/a/b/../b/./f"), ino("/a/b/f"));
    EXPECT_EQ(ino("/a/b/.."), ino("/a"));
    EXPECT_EQ(ino("/"), rootfs->root_node()->m_ino);
    EXPECT_EQ(ino("///"), ino("/"));
}

TEST_F(Namei, DotDotAtLookupRootStays)
{
    EXPECT_EQ(ino("/.."), ino("/"));
    EXPECT_EQ(ino("/../../a"), ino("/a"));
    // A chroot-like context: root = /a.
    fs::Context jail = ctx;
    jail.root = kern::RefPtr<fs::Vnode>::adopt(MUST(fs::lookup(ctx, "/a", Follow::Yes)));
    jail.cwd = jail.root;
    fs::Vnode* v = MUST(fs::lookup(jail, "/../../b/../..", Follow::Yes));
    EXPECT_EQ(v, jail.root.get());
    v->unref();
    v = MUST(fs::lookup(jail, "b/f", Follow::Yes));
    EXPECT_EQ(MUST(v->getattr()).ino, ino("/a/b/f"));
    v->unref();
}

TEST_F(Namei, TrailingSlashNeedsDirectory)
{
    EXPECT_EQ(lookup_err("/a/b/"), Errno(0));
    EXPECT_EQ(lookup_err("/a/b//"), Errno(0));
    EXPECT_EQ(lookup_err("/a/b/f/"), Errno::ENOTDIR);
    EXPECT_EQ(lookup_err("/a/b/f/."), Errno::ENOTDIR);
    EXPECT_EQ(lookup_err("/top/x"), Errno::ENOTDIR);
}

TEST_F(Namei, Errors)
{
    EXPECT_EQ(lookup_err(""), Errno::ENOENT);
    EXPECT_EQ(lookup_err("/nope"), Errno::ENOENT);
    EXPECT_EQ(lookup_err("/nope/x"), Errno::ENOENT);
    EXPECT_EQ(lookup_err("/a/b/f/g"), Errno::ENOTDIR);
    EXPECT_EQ(err(fs::lookup(ctx, StringView("/a\0b", 4), Follow::Yes)), Errno::EINVAL);
}

TEST_F(Namei, NameAndPathLimits)
{
    std::string longest(fs::NAME_MAX, 'n');
    EXPECT_EQ(lookup_err(("/" + longest).c_str()), Errno::ENOENT);
    EXPECT_EQ(lookup_err(("/" + longest + "n").c_str()), Errno::ENAMETOOLONG);
    std::string path;
    while (path.size() < fs::PATH_MAX - 1)
        path += "/.";
    path.resize(fs::PATH_MAX - 1);  // 4095 bytes: fine
    EXPECT_EQ(lookup_err(path.c_str()), Errno(0));
    path += "/";  // 4096 bytes: too long
    EXPECT_EQ(lookup_err(path.c_str()), Errno::ENAMETOOLONG);
}

TEST_F(Namei, SymlinksLastMiddleRelativeAbsolute)
{
    make_link("b/f", "/a/rel");      // relative to /a
    make_link("/a/b", "/abs");       // absolute
    make_link("../top", "/a/b/up");  // relative, with ..
    EXPECT_EQ(ino("/a/rel"), ino("/a/b/f"));
    EXPECT_EQ(ino("/abs/f"), ino("/a/b/f"));         // in the middle
    EXPECT_EQ(lookup_err("/abs/up"), Errno::ENOENT);
    make_link("../../top", "/a/b/up2");
    EXPECT_EQ(ino("/abs/up2"), ino("/top"));
    EXPECT_NE(ino("/a/rel", Follow::No), ino("/a/rel"));  // the link itself
    fs::VAttr a = MUST(fs::lstat(ctx, "/a/rel"));
    EXPECT_EQ(a.type, fs::VType::Symlink);
}

TEST_F(Namei, TrailingSlashFollowsEvenWithNoFollow)
{
    make_link("/a/b", "/l");
    EXPECT_EQ(ino("/l/", Follow::No), ino("/a/b"));
    make_link("/top", "/lf");
    EXPECT_EQ(lookup_err("/lf/", Follow::No), Errno::ENOTDIR);
}

TEST_F(Namei, SymlinkLoopsAndChains)
{
    make_link("/loop2", "/loop1");
    make_link("/loop1", "/loop2");
    EXPECT_EQ(lookup_err("/loop1"), Errno::ELOOP);
    EXPECT_EQ(lookup_err("/loop1", Follow::No), Errno(0));
    EXPECT_EQ(lookup_err("/loop1/x", Follow::No), Errno::ELOOP);
    // A chain of exactly SYMLOOP_MAX links resolves; one more is ELOOP.
    make_link("/top", "/c0");
    for (unsigned i = 1; i <= fs::SYMLOOP_MAX; ++i)
        make_link(("/c" + std::to_string(i - 1)).c_str(), ("/c" + std::to_string(i)).c_str());
    EXPECT_EQ(ino(("/c" + std::to_string(fs::SYMLOOP_MAX - 1)).c_str()), ino("/top"));
    EXPECT_EQ(lookup_err(("/c" + std::to_string(fs::SYMLOOP_MAX)).c_str()), Errno::ELOOP);
}

TEST_F(Namei, DanglingAndEmptySymlinks)
{
    make_link("/nowhere", "/dangle");
    EXPECT_EQ(lookup_err("/dangle"), Errno::ENOENT);
    EXPECT_EQ(lookup_err("/dangle", Follow::No), Errno(0));
    fs::Vnode* empty = MUST(rootfs->root_node()->symlink("empty", "", fs::Cred{}));
    empty->unref();
    EXPECT_EQ(lookup_err("/empty"), Errno::ENOENT);
}

TEST_F(Namei, SymlinkExpansionTooLong)
{
    std::string target(fs::PATH_MAX - 10, '/');
    target += "a";
    make_link(target.c_str(), "/long");
    EXPECT_EQ(lookup_err("/long"), Errno(0));
    EXPECT_EQ(lookup_err("/long/b/f/../../b/f/../../b"), Errno::ENAMETOOLONG);
}

TEST_F(Namei, LookupParentKinds)
{
    fs::ParentLookup p;
    OK(fs::lookup_parent(ctx, "/a/b/new", p));
    EXPECT_EQ(p.kind, LastKind::Normal);
    EXPECT_TRUE(p.name() == "new");
    EXPECT_FALSE(p.trailing_slash);
    EXPECT_EQ(MUST(p.dir->getattr()).ino, ino("/a/b"));
    p.dir->unref();

    fs::ParentLookup q;
    OK(fs::lookup_parent(ctx, "/a/b/", q));
    EXPECT_EQ(q.kind, LastKind::Normal);
    EXPECT_TRUE(q.name() == "b");
    EXPECT_TRUE(q.trailing_slash);
    q.dir->unref();

    const std::pair<const char*, LastKind> kinds[] = {
        {"/a/.", LastKind::Dot}, {".", LastKind::Dot}, {"/a/..", LastKind::DotDot},
        {"/", LastKind::Root}, {"//", LastKind::Root}};
    for (auto& [path, kind] : kinds) {
        fs::ParentLookup r;
        OK(fs::lookup_parent(ctx, path, r));
        EXPECT_EQ(r.kind, kind) << path;
        r.dir->unref();
    }
}

TEST_F(Namei, LookupParentThroughSymlinkAndErrors)
{
    make_link("/a/b", "/l");
    fs::ParentLookup p;
    OK(fs::lookup_parent(ctx, "/l/x", p));
    EXPECT_EQ(MUST(p.dir->getattr()).ino, ino("/a/b"));
    EXPECT_TRUE(p.name() == "x");
    p.dir->unref();
    fs::ParentLookup q;
    OK(fs::lookup_parent(ctx, "/l", q));  // the last one is not followed
    EXPECT_TRUE(q.name() == "l");
    q.dir->unref();
    fs::ParentLookup r;
    EXPECT_EQ(err(fs::lookup_parent(ctx, "/nope/x", r)), Errno::ENOENT);
    EXPECT_EQ(err(fs::lookup_parent(ctx, "/top/x", r)), Errno::ENOTDIR);
    EXPECT_EQ(err(fs::lookup_parent(ctx, "", r)), Errno::ENOENT);
    EXPECT_EQ(r.dir, nullptr);
}

TEST_F(Namei, CrossesMountPointsBothWays)
{
    make_dir("/mnt");
    OK(fs::mount(ctx, "fakefs", "/mnt", ""));
    FakeFs* sub = FakeFs::s_last;
    fs::Vnode* r = MUST(fs::lookup(ctx, "/mnt", Follow::Yes));
    EXPECT_EQ(r, sub->root_node());
    r->unref();
    make_dir("/mnt/d");
    EXPECT_EQ(MUST(fs::stat(ctx, "/mnt/d")).dev, sub->id());
    EXPECT_EQ(ino("/mnt/.."), ino("/"));
    EXPECT_EQ(ino("/mnt/d/../../a"), ino("/a"));
    ctx.cwd = kern::RefPtr<fs::Vnode>::adopt(MUST(fs::chdir(ctx, "/mnt/d")));
    EXPECT_EQ(ino("../../top"), ino("/top"));
    make_link("/mnt/d", "/a/into");  // a symlink into the mount
    EXPECT_EQ(MUST(fs::stat(ctx, "/a/into")).dev, sub->id());
    ctx.cwd = ctx.root;
    OK(fs::unmount(ctx, "/mnt"));
    EXPECT_EQ(MUST(fs::stat(ctx, "/mnt")).dev, rootfs->id());
}

} // namespace
