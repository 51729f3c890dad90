// tests/host/fs/tmpfs/tmpfs_rename_test.cpp -- rename's POSIX cases at the
// Vnode level (fs/tmpfs/tmpfs_rename.cpp): move, replace a file, replace an
// empty directory, move across directories with ".." following, onto
// itself, and every refusal.
#include "tmpfs_fixture.h"

using namespace tmpfstest;

namespace {
using TmpfsRename = TmpfsTest;
}

TEST_F(TmpfsRename, WithinADirectory)
{
    Vnode* f = create(m_root, "old");
    MUST(m_root->rename("old", *m_root, "new"));
    EXPECT_EQ(lookup_errno(m_root, "old"), Errno::ENOENT);
    Vnode* g = lookup(m_root, "new");
    EXPECT_EQ(g, f);
    EXPECT_EQ(attr(f).nlink, 1u);
    g->unref();
    f->unref();
}

TEST_F(TmpfsRename, ReplacesAFileAndFreesIt)
{
    Vnode* a = create(m_root, "a");
    write(a, 0, "A");
    Vnode* b = create(m_root, "b");
    write(b, 0, std::string(3 * PAGE_SIZE, 'B'));
    b->unref();
    EXPECT_EQ(object_pages(), 4u);
    MUST(m_root->rename("a", *m_root, "b"));
    EXPECT_EQ(object_pages(), 1u);  // the old "b" went at once
    Vnode* now = lookup(m_root, "b");
    EXPECT_EQ(now, a);
    EXPECT_EQ(read(now, 0, 10), "A");
    EXPECT_EQ(names(m_root).size(), 3u);
    now->unref();
    a->unref();
}

TEST_F(TmpfsRename, OntoItselfChangesNothing)
{
    Vnode* f = create(m_root, "f");
    MUST(m_root->link("g", *f));
    MUST(m_root->rename("f", *m_root, "f"));
    MUST(m_root->rename("f", *m_root, "g"));  // two names of one file: POSIX says do nothing
    EXPECT_EQ(attr(f).nlink, 2u);
    EXPECT_EQ(names(m_root).size(), 4u);
    f->unref();
}

TEST_F(TmpfsRename, DirectoryAcrossDirectoriesTakesItsDotDot)
{
    Vnode* a = mkdir(m_root, "a");
    Vnode* b = mkdir(m_root, "b");
    Vnode* sub = mkdir(a, "sub");
    EXPECT_EQ(attr(a).nlink, 3u);
    fs::VAttr a_before = attr(a), b_before = attr(b);
    MUST(a->rename("sub", *b, "moved"));
    EXPECT_EQ(attr(a).nlink, 2u);
    EXPECT_EQ(attr(b).nlink, 3u);
    EXPECT_EQ(attr(sub).nlink, 2u);
    Vnode* up = lookup(sub, "..");
    EXPECT_EQ(up, b);
    up->unref();
    EXPECT_TRUE(later(attr(a).mtime, a_before.mtime));
    EXPECT_TRUE(later(attr(b).mtime, b_before.mtime));
    VectorSink sink;
    MUST(sub->readdir(0, sink));
    EXPECT_EQ(sink.items[1].ino, ino(b));
    sub->unref();
    a->unref();
    b->unref();
}

TEST_F(TmpfsRename, DirectoryReplacesAnEmptyDirectory)
{
    Vnode* a = mkdir(m_root, "a");
    Vnode* b = mkdir(m_root, "b");
    touch_file(a, "content");
    EXPECT_EQ(attr(m_root).nlink, 4u);
    MUST(m_root->rename("a", *m_root, "b"));
    EXPECT_EQ(attr(m_root).nlink, 3u);
    EXPECT_EQ(attr(b).nlink, 0u);  // removed, still referenced
    Vnode* now = lookup(m_root, "b");
    EXPECT_EQ(now, a);
    EXPECT_EQ(lookup_errno(now, "content"), Errno(0));
    now->unref();
    a->unref();
    b->unref();
}

TEST_F(TmpfsRename, Refusals)
{
    Vnode* d = mkdir(m_root, "d");
    Vnode* full = mkdir(m_root, "full");
    touch_file(full, "x");
    Vnode* inner = mkdir(d, "inner");
    touch_file(m_root, "f");
    EXPECT_EQ(m_root->rename("missing", *m_root, "y").error(), Errno::ENOENT);
    EXPECT_EQ(m_root->rename("d", *m_root, "f").error(), Errno::ENOTDIR);
    EXPECT_EQ(m_root->rename("f", *m_root, "d").error(), Errno::EISDIR);
    EXPECT_EQ(m_root->rename("d", *m_root, "full").error(), Errno::ENOTEMPTY);
    EXPECT_EQ(m_root->rename("d", *d, "self").error(), Errno::EINVAL);
    EXPECT_EQ(m_root->rename("d", *inner, "deeper").error(), Errno::EINVAL);
    EXPECT_EQ(m_root->rename(".", *m_root, "dot").error(), Errno::EINVAL);
    EXPECT_EQ(m_root->rename("f", *m_root, "..").error(), Errno::EINVAL);
    Vnode* f = lookup(m_root, "f");
    EXPECT_EQ(f->rename("a", *m_root, "b").error(), Errno::ENOTDIR);
    EXPECT_EQ(m_root->rename("f", *f, "b").error(), Errno::ENOTDIR);
    f->unref();
    // Nothing moved.
    EXPECT_EQ(names(m_root).size(), 5u);
    EXPECT_EQ(attr(d).nlink, 3u);
    // Up the tree is fine.
    MUST(d->rename("inner", *m_root, "lifted"));
    EXPECT_EQ(attr(d).nlink, 2u);
    inner->unref();
    full->unref();
    d->unref();
}

TEST_F(TmpfsRename, ARemovedDirectoryIsENOENT)
{
    Vnode* d = mkdir(m_root, "d");
    touch_file(m_root, "f");
    MUST(m_root->rmdir("d"));
    EXPECT_EQ(m_root->rename("f", *d, "g").error(), Errno::ENOENT);
    EXPECT_EQ(lookup_errno(m_root, "f"), Errno(0));
    d->unref();
}
