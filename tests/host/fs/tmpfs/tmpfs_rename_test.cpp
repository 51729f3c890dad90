// tests/host/fs/tmpfs/tmpfs_rename_test.cpp -- rename's POSIX cases at the
// Vnode level (fs/tmpfs/tmpfs_rename.cpp): move, replace a file, replace an
// empty directory, move across directories with ".." following, onto
// itself, and every refusal; then renameat2's RENAME_NOREPLACE and
// RENAME_EXCHANGE (link counts and ".." after a swap across directories).
#include "tmpfs_fixture.h"

using namespace tmpfstest;

namespace {
using TmpfsRename = TmpfsTest;
}

TEST_F(TmpfsRename, WithinADirectory)
{
    Vnode* f = create(m_root, "old");
    MUST(m_root->rename("old", *m_root, "new", 0));
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
    MUST(m_root->rename("a", *m_root, "b", 0));
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
    MUST(m_root->rename("f", *m_root, "f", 0));
    MUST(m_root->rename("f", *m_root, "g", 0));  // two names of one file: POSIX says do nothing
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
    MUST(a->rename("sub", *b, "moved", 0));
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
    MUST(m_root->rename("a", *m_root, "b", 0));
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
    EXPECT_EQ(m_root->rename("missing", *m_root, "y", 0).error(), Errno::ENOENT);
    EXPECT_EQ(m_root->rename("d", *m_root, "f", 0).error(), Errno::ENOTDIR);
    EXPECT_EQ(m_root->rename("f", *m_root, "d", 0).error(), Errno::EISDIR);
    EXPECT_EQ(m_root->rename("d", *m_root, "full", 0).error(), Errno::ENOTEMPTY);
    EXPECT_EQ(m_root->rename("d", *d, "self", 0).error(), Errno::EINVAL);
    EXPECT_EQ(m_root->rename("d", *inner, "deeper", 0).error(), Errno::EINVAL);
    EXPECT_EQ(m_root->rename(".", *m_root, "dot", 0).error(), Errno::EINVAL);
    EXPECT_EQ(m_root->rename("f", *m_root, "..", 0).error(), Errno::EINVAL);
    Vnode* f = lookup(m_root, "f");
    EXPECT_EQ(f->rename("a", *m_root, "b", 0).error(), Errno::ENOTDIR);
    EXPECT_EQ(m_root->rename("f", *f, "b", 0).error(), Errno::ENOTDIR);
    f->unref();
    // Nothing moved.
    EXPECT_EQ(names(m_root).size(), 5u);
    EXPECT_EQ(attr(d).nlink, 3u);
    // Up the tree is fine.
    MUST(d->rename("inner", *m_root, "lifted", 0));
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
    EXPECT_EQ(m_root->rename("f", *d, "g", 0).error(), Errno::ENOENT);
    EXPECT_EQ(lookup_errno(m_root, "f"), Errno(0));
    d->unref();
}

// ---- renameat2's flags ----

TEST_F(TmpfsRename, NoreplaceRefusesAnyTarget)
{
    Vnode* a = create(m_root, "a");
    write(a, 0, "A");
    Vnode* b = create(m_root, "b");
    write(b, 0, "B");
    EXPECT_EQ(m_root->rename("a", *m_root, "b", fs::RENAME_NOREPLACE).error(), Errno::EEXIST);
    EXPECT_EQ(m_root->rename("a", *m_root, "a", fs::RENAME_NOREPLACE).error(), Errno::EEXIST);
    MUST(m_root->link("a2", *a));
    EXPECT_EQ(m_root->rename("a", *m_root, "a2", fs::RENAME_NOREPLACE).error(), Errno::EEXIST);
    // Both names intact.
    Vnode* still = lookup(m_root, "b");
    EXPECT_EQ(still, b);
    EXPECT_EQ(read(still, 0, 10), "B");
    still->unref();
    EXPECT_EQ(attr(a).nlink, 2u);
    MUST(m_root->rename("a", *m_root, "c", fs::RENAME_NOREPLACE));  // free: moves
    EXPECT_EQ(lookup_errno(m_root, "a"), Errno::ENOENT);
    Vnode* c = lookup(m_root, "c");
    EXPECT_EQ(c, a);
    c->unref();
    a->unref();
    b->unref();
}

TEST_F(TmpfsRename, ExchangeTwoFiles)
{
    Vnode* a = create(m_root, "a");
    Vnode* d = mkdir(m_root, "d");
    Vnode* b = create(d, "b");
    fs::VAttr d_before = attr(d);
    MUST(m_root->rename("a", *d, "b", fs::RENAME_EXCHANGE));
    Vnode* at_a = lookup(m_root, "a");
    Vnode* at_b = lookup(d, "b");
    EXPECT_EQ(at_a, b);
    EXPECT_EQ(at_b, a);
    EXPECT_EQ(attr(a).nlink, 1u);
    EXPECT_EQ(attr(b).nlink, 1u);
    EXPECT_EQ(attr(d).nlink, 2u);
    EXPECT_TRUE(later(attr(d).mtime, d_before.mtime));
    at_a->unref();
    at_b->unref();
    EXPECT_EQ(names(m_root).size(), 4u);  // ".", "..", "a", "d"
    a->unref();
    b->unref();
    d->unref();
}

// A directory and a file trade places across two directories: the
// directory's ".." follows it, and one parent's link count moves to the other.
TEST_F(TmpfsRename, ExchangeADirectoryAndAFileAcrossDirectories)
{
    Vnode* p = mkdir(m_root, "p");
    Vnode* q = mkdir(m_root, "q");
    Vnode* dir = mkdir(p, "dir");
    Vnode* file = create(q, "file");
    EXPECT_EQ(attr(p).nlink, 3u);
    EXPECT_EQ(attr(q).nlink, 2u);
    MUST(p->rename("dir", *q, "file", fs::RENAME_EXCHANGE));
    EXPECT_EQ(attr(p).nlink, 2u);
    EXPECT_EQ(attr(q).nlink, 3u);
    EXPECT_EQ(attr(dir).nlink, 2u);
    EXPECT_EQ(attr(file).nlink, 1u);
    Vnode* up = lookup(dir, "..");
    EXPECT_EQ(up, q);
    up->unref();
    Vnode* now = lookup(q, "file");
    EXPECT_EQ(now, dir);
    now->unref();
    now = lookup(p, "dir");
    EXPECT_EQ(now, file);
    now->unref();
    // And back: two directories across.
    Vnode* other = mkdir(p, "other");
    MUST(q->rename("file", *p, "other", fs::RENAME_EXCHANGE));
    up = lookup(dir, "..");
    EXPECT_EQ(up, p);
    up->unref();
    up = lookup(other, "..");
    EXPECT_EQ(up, q);
    up->unref();
    EXPECT_EQ(attr(p).nlink, 3u);
    EXPECT_EQ(attr(q).nlink, 3u);
    other->unref();
    dir->unref();
    file->unref();
    p->unref();
    q->unref();
}

TEST_F(TmpfsRename, ExchangeRefusals)
{
    Vnode* d = mkdir(m_root, "d");
    Vnode* inner = mkdir(d, "inner");
    touch_file(m_root, "f");
    EXPECT_EQ(m_root->rename("f", *m_root, "missing", fs::RENAME_EXCHANGE).error(), Errno::ENOENT);
    EXPECT_EQ(m_root->rename("missing", *m_root, "f", fs::RENAME_EXCHANGE).error(), Errno::ENOENT);
    EXPECT_EQ(m_root->rename("d", *d, "inner", fs::RENAME_EXCHANGE).error(), Errno::EINVAL);  // d into d
    EXPECT_EQ(d->rename("inner", *m_root, "d", fs::RENAME_EXCHANGE).error(), Errno::EINVAL);  // d into d
    u32 both = fs::RENAME_EXCHANGE | fs::RENAME_NOREPLACE;
    EXPECT_EQ(m_root->rename("f", *m_root, "d", both).error(), Errno::EINVAL);
    EXPECT_EQ(m_root->rename("f", *m_root, "g", fs::RENAME_WHITEOUT).error(), Errno::EINVAL);
    MUST(m_root->rename("f", *m_root, "f", fs::RENAME_EXCHANGE));  // with itself: nothing
    // Nothing moved.
    Vnode* up = lookup(inner, "..");
    EXPECT_EQ(up, d);
    up->unref();
    EXPECT_EQ(names(m_root).size(), 4u);
    inner->unref();
    d->unref();
}
