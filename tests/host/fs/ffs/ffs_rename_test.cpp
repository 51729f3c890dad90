// tests/host/fs/ffs/ffs_rename_test.cpp -- the kernel's FFS at its edges: rename's POSIX table, ported from
// tests/host/fs/tmpfs/tmpfs_rename_test.cpp (fs/tmpfs/tmpfs_rename.cpp has the
// table): replace, onto itself, ".." following a directory, every refusal,
// RENAME_NOREPLACE and RENAME_EXCHANGE across directories with their link
// counts -- each result read again after a remount -- and a rename that
// needs a block on a full disk.
// The fixtures: ffs_edge_fixture.h.
#include "ffs_edge_fixture.h"

namespace ffskt {
namespace {

// ---- rename: the POSIX table (tmpfs_rename_test.cpp's cases) ----------------

TEST_F(FfsEdgeTest, RenameWithinADirectory)
{
    Vnode* f = make(m_root, "old");
    ASSERT_TRUE(f);
    write(f, 0, "contents");
    ASSERT_FALSE(m_root->rename("old", *m_root, "new", 0).is_error());
    EXPECT_EQ(lookup_error(m_root, "old"), Errno::ENOENT);
    expect_names(m_root, "new", f);
    EXPECT_EQ(nlink(f), 1u);
    f->unref();
    remount();
    EXPECT_EQ(names(m_root), (std::vector<std::string>{"lost+found", "new"}));
    f = find(m_root, "new");
    ASSERT_TRUE(f);
    EXPECT_EQ(read(f, 0, 100), "contents");
    f->unref();
}

TEST_F(FfsEdgeTest, RenameReplacesAFileAndFreesItsBlocks)
{
    const u64 before = free_blocks();
    Vnode* a = make(m_root, "a");
    Vnode* b = make(m_root, "b");
    ASSERT_TRUE(a && b);
    write(a, 0, "A");
    write(b, 0, std::string(3 * 4096, 'B'));
    b->unref();
    EXPECT_EQ(free_blocks(), before - 4);
    ASSERT_FALSE(m_root->rename("a", *m_root, "b", 0).is_error());
    EXPECT_EQ(free_blocks(), before - 1);  // the old "b" went at once: nothing held it
    expect_names(m_root, "b", a);
    EXPECT_EQ(read(a, 0, 10), "A");
    EXPECT_EQ(names(m_root), (std::vector<std::string>{"b", "lost+found"}));
    a->unref();
}

TEST_F(FfsEdgeTest, RenameOverAFileStillOpenKeepsItUntilTheLastReference)
{
    const u64 before = free_blocks();
    Vnode* a = make(m_root, "a");
    Vnode* b = make(m_root, "b");
    ASSERT_TRUE(a && b);
    write(b, 0, std::string(2 * 4096, 'B'));
    ASSERT_FALSE(m_root->rename("a", *m_root, "b", 0).is_error());
    EXPECT_EQ(nlink(b), 0u);
    EXPECT_EQ(read(b, 4096, 3), "BBB");  // still readable through the reference
    EXPECT_EQ(free_blocks(), before - 2);
    b->unref();
    EXPECT_EQ(free_blocks(), before);
    a->unref();
}

TEST_F(FfsEdgeTest, RenameOntoItselfChangesNothing)
{
    Vnode* f = make(m_root, "f");
    ASSERT_TRUE(f);
    ASSERT_FALSE(m_root->link("g", *f).is_error());
    EXPECT_EQ(error_of(m_root->rename("f", *m_root, "f", 0)), Errno(0));
    EXPECT_EQ(error_of(m_root->rename("f", *m_root, "g", 0)), Errno(0));  // two names of one file
    EXPECT_EQ(nlink(f), 2u);
    EXPECT_EQ(names(m_root), (std::vector<std::string>{"f", "g", "lost+found"}));
    f->unref();
}

TEST_F(FfsEdgeTest, RenameDirectoryAcrossDirectoriesTakesItsDotDot)
{
    Vnode* a = mkdir(m_root, "a");
    Vnode* b = mkdir(m_root, "b");
    ASSERT_TRUE(a && b);
    Vnode* sub = mkdir(a, "sub");
    ASSERT_TRUE(sub);
    touch(sub, "inside");
    EXPECT_EQ(nlink(a), 3u);
    const fs::VAttr a_before = attr(a), b_before = attr(b);
    tick();
    ASSERT_FALSE(a->rename("sub", *b, "moved", 0).is_error());
    EXPECT_EQ(nlink(a), 2u);
    EXPECT_EQ(nlink(b), 3u);
    EXPECT_EQ(nlink(sub), 2u);
    EXPECT_EQ(parent_ino(sub), ino(b));
    EXPECT_TRUE(later(attr(a).mtime, a_before.mtime));
    EXPECT_TRUE(later(attr(b).mtime, b_before.mtime));
    NameSink sink;
    ASSERT_FALSE(sub->readdir(0, sink).is_error());
    ASSERT_GE(sink.names.size(), 2u);
    EXPECT_EQ(sink.names[1], "..");
    EXPECT_EQ(sink.inos[1], ino(b));
    sub->unref();
    a->unref();
    b->unref();
    remount();
    b = find(m_root, "b");
    ASSERT_TRUE(b);
    sub = find(b, "moved");
    ASSERT_TRUE(sub);
    EXPECT_EQ(parent_ino(sub), ino(b));
    EXPECT_EQ(lookup_error(sub, "inside"), Errno(0));
    EXPECT_EQ(nlink(b), 3u);
    sub->unref();
    b->unref();
}

TEST_F(FfsEdgeTest, RenameDirectoryReplacesAnEmptyDirectory)
{
    const u64 before = free_blocks();
    Vnode* a = mkdir(m_root, "a");
    Vnode* b = mkdir(m_root, "b");
    ASSERT_TRUE(a && b);
    touch(a, "content");
    EXPECT_EQ(nlink(m_root), 5u);
    ASSERT_FALSE(m_root->rename("a", *m_root, "b", 0).is_error());
    EXPECT_EQ(nlink(m_root), 4u);
    EXPECT_EQ(nlink(b), 0u);  // removed, still referenced
    expect_names(m_root, "b", a);
    EXPECT_EQ(lookup_error(a, "content"), Errno(0));
    a->unref();
    b->unref();  // the replaced directory's block goes now
    EXPECT_EQ(free_blocks(), before - 1);
}

TEST_F(FfsEdgeTest, RenameRefusals)
{
    Vnode* d = mkdir(m_root, "d");
    Vnode* full = mkdir(m_root, "full");
    ASSERT_TRUE(d && full);
    touch(full, "x");
    Vnode* inner = mkdir(d, "inner");
    ASSERT_TRUE(inner);
    touch(m_root, "f");
    EXPECT_EQ(error_of(m_root->rename("missing", *m_root, "y", 0)), Errno::ENOENT);
    EXPECT_EQ(error_of(m_root->rename("d", *m_root, "f", 0)), Errno::ENOTDIR);
    EXPECT_EQ(error_of(m_root->rename("f", *m_root, "d", 0)), Errno::EISDIR);
    EXPECT_EQ(error_of(m_root->rename("d", *m_root, "full", 0)), Errno::ENOTEMPTY);
    EXPECT_EQ(error_of(m_root->rename("d", *d, "self", 0)), Errno::EINVAL);
    EXPECT_EQ(error_of(m_root->rename("d", *inner, "deeper", 0)), Errno::EINVAL);
    EXPECT_EQ(error_of(m_root->rename(".", *m_root, "dot", 0)), Errno::EINVAL);
    EXPECT_EQ(error_of(m_root->rename("f", *m_root, "..", 0)), Errno::EINVAL);
    EXPECT_EQ(error_of(m_root->rename("f", *m_root, "g", fs::RENAME_WHITEOUT)), Errno::EINVAL);
    Vnode* f = find(m_root, "f");
    ASSERT_TRUE(f);
    EXPECT_EQ(error_of(f->rename("a", *m_root, "b", 0)), Errno::ENOTDIR);
    EXPECT_EQ(error_of(m_root->rename("f", *f, "b", 0)), Errno::ENOTDIR);
    f->unref();
    // Nothing moved.
    EXPECT_EQ(names(m_root), (std::vector<std::string>{"d", "f", "full", "lost+found"}));
    EXPECT_EQ(nlink(d), 3u);
    EXPECT_EQ(parent_ino(inner), ino(d));
    // Up the tree is fine.
    ASSERT_FALSE(d->rename("inner", *m_root, "lifted", 0).is_error());
    EXPECT_EQ(nlink(d), 2u);
    EXPECT_EQ(nlink(m_root), 6u);
    EXPECT_EQ(parent_ino(inner), ino(m_root));
    inner->unref();
    full->unref();
    d->unref();
}

TEST_F(FfsEdgeTest, RenameInARemovedDirectoryIsEnoent)
{
    Vnode* d = mkdir(m_root, "d");
    ASSERT_TRUE(d);
    touch(m_root, "f");
    ASSERT_FALSE(m_root->rmdir("d").is_error());
    EXPECT_EQ(error_of(m_root->rename("f", *d, "g", 0)), Errno::ENOENT);
    EXPECT_EQ(lookup_error(m_root, "f"), Errno(0));
    EXPECT_EQ(make_error(d, "new"), Errno::ENOENT);
    d->unref();
}

TEST_F(FfsEdgeTest, RenameNoreplaceRefusesAnyTarget)
{
    Vnode* a = make(m_root, "a");
    Vnode* b = make(m_root, "b");
    ASSERT_TRUE(a && b);
    write(a, 0, "A");
    write(b, 0, "B");
    EXPECT_EQ(error_of(m_root->rename("a", *m_root, "b", RENAME_NOREPLACE)), Errno::EEXIST);
    EXPECT_EQ(error_of(m_root->rename("a", *m_root, "a", RENAME_NOREPLACE)), Errno::EEXIST);
    ASSERT_FALSE(m_root->link("a2", *a).is_error());
    EXPECT_EQ(error_of(m_root->rename("a", *m_root, "a2", RENAME_NOREPLACE)), Errno::EEXIST);
    expect_names(m_root, "b", b);
    EXPECT_EQ(read(b, 0, 10), "B");
    EXPECT_EQ(nlink(a), 2u);
    ASSERT_FALSE(m_root->rename("a", *m_root, "c", RENAME_NOREPLACE).is_error());  // free: moves
    EXPECT_EQ(lookup_error(m_root, "a"), Errno::ENOENT);
    expect_names(m_root, "c", a);
    a->unref();
    b->unref();
}

TEST_F(FfsEdgeTest, RenameExchangeTwoFilesAcrossDirectories)
{
    Vnode* a = make(m_root, "a");
    Vnode* d = mkdir(m_root, "d");
    ASSERT_TRUE(a && d);
    Vnode* b = make(d, "b");
    ASSERT_TRUE(b);
    write(a, 0, "file a");
    write(b, 0, "file b");
    const fs::VAttr d_before = attr(d);
    tick();
    ASSERT_FALSE(m_root->rename("a", *d, "b", RENAME_EXCHANGE).is_error());
    expect_names(m_root, "a", b);
    expect_names(d, "b", a);
    EXPECT_EQ(nlink(a), 1u);
    EXPECT_EQ(nlink(b), 1u);
    EXPECT_EQ(nlink(d), 2u);
    EXPECT_EQ(nlink(m_root), 4u);
    EXPECT_TRUE(later(attr(d).mtime, d_before.mtime));
    EXPECT_EQ(names(m_root), (std::vector<std::string>{"a", "d", "lost+found"}));
    a->unref();
    b->unref();
    d->unref();
    remount();
    Vnode* f = find(m_root, "a");
    ASSERT_TRUE(f);
    EXPECT_EQ(read(f, 0, 100), "file b");
    f->unref();
}

// A directory and a file trade places across two directories: the
// directory's ".." follows it, one parent's link count moves to the other.
TEST_F(FfsEdgeTest, RenameExchangeADirectoryAndAFileAcrossDirectories)
{
    Vnode* p = mkdir(m_root, "p");
    Vnode* q = mkdir(m_root, "q");
    ASSERT_TRUE(p && q);
    Vnode* dir = mkdir(p, "dir");
    Vnode* file = make(q, "file");
    ASSERT_TRUE(dir && file);
    EXPECT_EQ(nlink(p), 3u);
    EXPECT_EQ(nlink(q), 2u);
    ASSERT_FALSE(p->rename("dir", *q, "file", RENAME_EXCHANGE).is_error());
    EXPECT_EQ(nlink(p), 2u);
    EXPECT_EQ(nlink(q), 3u);
    EXPECT_EQ(nlink(dir), 2u);
    EXPECT_EQ(nlink(file), 1u);
    EXPECT_EQ(parent_ino(dir), ino(q));
    expect_names(q, "file", dir);
    expect_names(p, "dir", file);
    // And back: two directories across.
    Vnode* other = mkdir(p, "other");
    ASSERT_TRUE(other);
    ASSERT_FALSE(q->rename("file", *p, "other", RENAME_EXCHANGE).is_error());
    EXPECT_EQ(parent_ino(dir), ino(p));
    EXPECT_EQ(parent_ino(other), ino(q));
    EXPECT_EQ(nlink(p), 3u);
    EXPECT_EQ(nlink(q), 3u);
    const u64 dir_ino = ino(dir), other_ino = ino(other), p_ino = ino(p), q_ino = ino(q);
    other->unref();
    dir->unref();
    file->unref();
    p->unref();
    q->unref();
    remount();  // fsck at the end checks every ".." and link count on the image
    p = find(m_root, "p");
    q = find(m_root, "q");
    ASSERT_TRUE(p && q);
    EXPECT_EQ(attr(p).nlink, 3u);
    EXPECT_EQ(attr(q).nlink, 3u);
    Vnode* at_other = find(p, "other");
    Vnode* at_file = find(q, "file");
    ASSERT_TRUE(at_other && at_file);
    EXPECT_EQ(ino(at_other), dir_ino);
    EXPECT_EQ(ino(at_file), other_ino);
    EXPECT_EQ(parent_ino(at_other), p_ino);
    EXPECT_EQ(parent_ino(at_file), q_ino);
    at_other->unref();
    at_file->unref();
    p->unref();
    q->unref();
}

TEST_F(FfsEdgeTest, RenameExchangeRefusals)
{
    Vnode* d = mkdir(m_root, "d");
    ASSERT_TRUE(d);
    Vnode* inner = mkdir(d, "inner");
    ASSERT_TRUE(inner);
    touch(m_root, "f");
    EXPECT_EQ(error_of(m_root->rename("f", *m_root, "missing", RENAME_EXCHANGE)), Errno::ENOENT);
    EXPECT_EQ(error_of(m_root->rename("missing", *m_root, "f", RENAME_EXCHANGE)), Errno::ENOENT);
    EXPECT_EQ(error_of(m_root->rename("d", *d, "inner", RENAME_EXCHANGE)), Errno::EINVAL);  // d into d
    EXPECT_EQ(error_of(d->rename("inner", *m_root, "d", RENAME_EXCHANGE)), Errno::EINVAL);  // d into d
    EXPECT_EQ(error_of(m_root->rename("f", *m_root, "d", RENAME_EXCHANGE | RENAME_NOREPLACE)), Errno::EINVAL);
    EXPECT_EQ(error_of(m_root->rename("f", *m_root, "f", RENAME_EXCHANGE)), Errno(0));  // with itself
    // Nothing moved.
    EXPECT_EQ(parent_ino(inner), ino(d));
    EXPECT_EQ(names(m_root), (std::vector<std::string>{"d", "f", "lost+found"}));
    EXPECT_EQ(nlink(d), 3u);
    inner->unref();
    d->unref();
}

// A rename that needs a new directory block on a full disk fails with
// nothing changed (it adds the new name before removing the old).
TEST_F(FfsFullDiskTest, RenameThatNeedsABlockOnAFullDiskChangesNothing)
{
    Vnode* d = mkdir(m_root, "d");
    ASSERT_TRUE(d);
    // Eight 255-byte names fill d's first block: one per 512-byte chunk.
    for (char c = 'a'; c < 'a' + 8; ++c)
        touch(d, std::string(255, c).c_str());
    EXPECT_EQ(attr(d).size, 4096u);
    Vnode* f = make(m_root, "f");
    ASSERT_TRUE(f);
    write(f, 0, "still here");
    fill_disk(m_root);
    EXPECT_EQ(free_blocks(), 0u);
    const std::string long_name(255, 'n');
    EXPECT_EQ(error_of(m_root->rename("f", *d, long_name.c_str(), 0)), Errno::ENOSPC);
    EXPECT_EQ(error_of(d->link(long_name.c_str(), *f)), Errno::ENOSPC);
    EXPECT_EQ(make_error(d, long_name.c_str()), Errno::ENOSPC);
    EXPECT_EQ(mkdir_error(m_root, "newdir"), Errno::ENOSPC);
    EXPECT_EQ(nlink(f), 1u);
    EXPECT_EQ(lookup_error(d, long_name.c_str()), Errno::ENOENT);
    expect_names(m_root, "f", f);
    EXPECT_EQ(read(f, 0, 100), "still here");
    EXPECT_EQ(names(d).size(), 8u);
    EXPECT_EQ(nlink(m_root), 4u);
    f->unref();
    d->unref();
}

} // namespace
} // namespace ffskt
