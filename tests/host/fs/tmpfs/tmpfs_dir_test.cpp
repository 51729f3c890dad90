// tests/host/fs/tmpfs/tmpfs_dir_test.cpp -- tmpfs directories at the Vnode
// level: create, lookup, link counts, readdir and its cookies, unlink,
// rmdir, hard links, symlinks, device nodes, limits, and lookup speed in a
// directory of 100,000 entries (fs/tmpfs/tmpfs_dir.cpp).
#include "tmpfs_fixture.h"

#include <chrono>
#include <map>

using namespace tmpfstest;

namespace {
using TmpfsDir = TmpfsTest;
}

TEST_F(TmpfsDir, CreateThenLookupFindsTheSameNode)
{
    Vnode* file = create(m_root, "a");
    ASSERT_NE(file, nullptr);
    Vnode* again = lookup(m_root, "a");
    EXPECT_EQ(again, file);
    fs::VAttr a = attr(file);
    EXPECT_EQ(a.type, VType::Regular);
    EXPECT_EQ(a.mode, 0644u);
    EXPECT_EQ(a.nlink, 1u);
    EXPECT_EQ(a.size, 0u);
    EXPECT_EQ(a.dev, m_fs->id());
    EXPECT_NE(a.ino, ino(m_root));
    again->unref();
    file->unref();
}

TEST_F(TmpfsDir, ErrorsOfCreateAndLookup)
{
    Vnode* file = create(m_root, "f");
    EXPECT_EQ(m_root->create("f", VType::Regular, 0644, 0, {}).error(), Errno::EEXIST);
    EXPECT_EQ(m_root->create("..", VType::Directory, 0755, 0, {}).error(), Errno::EEXIST);
    EXPECT_EQ(file->create("x", VType::Regular, 0644, 0, {}).error(), Errno::ENOTDIR);
    EXPECT_EQ(m_root->create("s", VType::Symlink, 0644, 0, {}).error(), Errno::EINVAL);
    EXPECT_EQ(lookup_errno(m_root, "missing"), Errno::ENOENT);
    EXPECT_EQ(lookup_errno(file, "x"), Errno::ENOTDIR);
    EXPECT_EQ(names(m_root).size(), 3u);  // ".", "..", "f": the failures left nothing
    file->unref();
}

TEST_F(TmpfsDir, InodeNumbersAreUniqueAndDotDotIsTheParent)
{
    Vnode* d = mkdir(m_root, "d");
    Vnode* e = mkdir(d, "e");
    std::set<u64> inos = {ino(m_root), ino(d), ino(e)};
    EXPECT_EQ(inos.size(), 3u);
    Vnode* up = lookup(e, "..");
    EXPECT_EQ(up, d);
    up->unref();
    Vnode* root_up = lookup(m_root, "..");
    EXPECT_EQ(root_up, m_root);
    root_up->unref();
    e->unref();
    d->unref();
}

TEST_F(TmpfsDir, DirectoryLinkCounts)
{
    EXPECT_EQ(attr(m_root).nlink, 2u);
    Vnode* d = mkdir(m_root, "d");
    EXPECT_EQ(attr(d).nlink, 2u);
    EXPECT_EQ(attr(m_root).nlink, 3u);
    touch_file(d, "file");
    EXPECT_EQ(attr(d).nlink, 2u);  // files do not count
    mkdir(d, "sub")->unref();
    EXPECT_EQ(attr(d).nlink, 3u);
    MUST(d->rmdir("sub"));
    MUST(d->unlink("file"));
    EXPECT_EQ(attr(d).nlink, 2u);
    MUST(m_root->rmdir("d"));
    EXPECT_EQ(attr(d).nlink, 0u);
    EXPECT_EQ(attr(m_root).nlink, 2u);
    d->unref();
}

TEST_F(TmpfsDir, ReaddirGivesDotsThenEntriesInCreationOrder)
{
    for (const char* n : {"zeta", "alpha", "mid"})
        touch_file(m_root, n);
    Vnode* sub = mkdir(m_root, "sub");
    VectorSink sink;
    u64 end = MUST(m_root->readdir(0, sink));
    ASSERT_EQ(sink.items.size(), 6u);
    EXPECT_EQ(sink.items[0].name, ".");
    EXPECT_EQ(sink.items[0].ino, ino(m_root));
    EXPECT_EQ(sink.items[1].name, "..");
    EXPECT_EQ(sink.items[2].name, "zeta");
    EXPECT_EQ(sink.items[4].name, "mid");
    EXPECT_EQ(sink.items[5].name, "sub");
    EXPECT_EQ(sink.items[5].type, VType::Directory);
    EXPECT_EQ(sink.items[5].ino, ino(sub));
    VectorSink more;  // continuing from the end: nothing
    EXPECT_EQ(MUST(m_root->readdir(end, more)), end);
    EXPECT_TRUE(more.items.empty());
    sub->unref();
}

TEST_F(TmpfsDir, ReaddirResumesOneEntryAtATime)
{
    for (int i = 0; i < 10; ++i)
        touch_file(m_root, ("f" + std::to_string(i)).c_str());
    std::vector<std::string> seen;
    u64 cookie = 0;
    for (;;) {
        VectorSink sink(1);
        u64 next = MUST(m_root->readdir(cookie, sink));
        if (sink.items.empty())
            break;
        EXPECT_EQ(sink.items[0].next, next);
        seen.push_back(sink.items[0].name);
        cookie = next;
    }
    ASSERT_EQ(seen.size(), 12u);
    EXPECT_EQ(seen[11], "f9");
}

// Entries present throughout a readdir that continues by cookie are seen
// exactly once, whatever is added and removed between the calls.
TEST_F(TmpfsDir, CookiesStayValidWhileEntriesComeAndGo)
{
    mount("nodes=1000");
    for (int i = 0; i < 300; ++i)
        touch_file(m_root, ("keep" + std::to_string(i)).c_str());
    for (int i = 0; i < 100; ++i)
        touch_file(m_root, ("gone" + std::to_string(i)).c_str());
    std::map<std::string, int> count;
    u64 cookie = 0;
    int round = 0, added = 0, removed = 0;
    for (;;) {
        VectorSink sink(17);
        cookie = MUST(m_root->readdir(cookie, sink));
        if (sink.items.empty())
            break;
        for (auto& item : sink.items)
            ++count[item.name];
        // Between calls: remove a few "gone" entries (read or not), add new ones.
        for (int k = 0; k < 3 && removed < 100; ++k, ++removed)
            MUST(m_root->unlink(("gone" + std::to_string((removed * 37) % 100)).c_str()));
        if (round < 25)  // (adding forever would keep the reader busy forever)
            touch_file(m_root, ("new" + std::to_string(added++)).c_str());
        ++round;
    }
    EXPECT_GT(round, 20);
    for (int i = 0; i < 300; ++i)
        EXPECT_EQ(count["keep" + std::to_string(i)], 1) << i;
    for (auto& [name, n] : count)
        EXPECT_EQ(n, 1) << name;  // nothing twice
    EXPECT_EQ(count["."], 1);
}

TEST_F(TmpfsDir, UnlinkAndRmdirErrors)
{
    Vnode* d = mkdir(m_root, "d");
    touch_file(d, "inside");
    touch_file(m_root, "f");
    EXPECT_EQ(m_root->unlink("d").error(), Errno::EISDIR);
    EXPECT_EQ(m_root->unlink("nope").error(), Errno::ENOENT);
    EXPECT_EQ(m_root->rmdir("f").error(), Errno::ENOTDIR);
    EXPECT_EQ(m_root->rmdir("d").error(), Errno::ENOTEMPTY);
    EXPECT_EQ(m_root->rmdir(".").error(), Errno::EINVAL);
    EXPECT_EQ(m_root->rmdir("..").error(), Errno::EINVAL);
    Vnode* f = lookup(m_root, "f");
    EXPECT_EQ(f->unlink("x").error(), Errno::ENOTDIR);
    f->unref();
    MUST(d->unlink("inside"));
    MUST(m_root->rmdir("d"));
    // A removed directory takes no new entries and has no "..".
    EXPECT_EQ(d->create("late", VType::Regular, 0644, 0, {}).error(), Errno::ENOENT);
    EXPECT_EQ(lookup_errno(d, ".."), Errno::ENOENT);
    EXPECT_EQ(names(d).size(), 2u);
    d->unref();
}

TEST_F(TmpfsDir, UnlinkFreesTheNodeAtOnce)
{
    const size_t heap_before = heap_bytes();
    const size_t nodes_before = MUST(m_fs->statvfs()).ffree;
    Vnode* f = create(m_root, "f");
    write(f, 0, std::string(3 * PAGE_SIZE, 'x'));
    f->unref();
    EXPECT_EQ(object_pages(), 3u);
    MUST(m_root->unlink("f"));
    EXPECT_EQ(object_pages(), 0u);
    EXPECT_EQ(heap_bytes(), heap_before);
    EXPECT_EQ(MUST(m_fs->statvfs()).ffree, nodes_before);
}

TEST_F(TmpfsDir, AnOpenFileOutlivesItsName)
{
    Vnode* f = create(m_root, "f");
    write(f, 0, "still here");
    MUST(m_root->unlink("f"));
    EXPECT_EQ(attr(f).nlink, 0u);
    EXPECT_EQ(read(f, 0, 100), "still here");
    EXPECT_EQ(object_pages(), 1u);
    f->unref();  // the last reference: node and page go
    EXPECT_EQ(object_pages(), 0u);
}

TEST_F(TmpfsDir, HardLinks)
{
    Vnode* f = create(m_root, "a");
    write(f, 0, "shared");
    Vnode* d = mkdir(m_root, "d");
    MUST(d->link("b", *f));
    EXPECT_EQ(attr(f).nlink, 2u);
    Vnode* b = lookup(d, "b");
    EXPECT_EQ(b, f);
    b->unref();
    EXPECT_EQ(d->link("b", *f).error(), Errno::EEXIST);
    EXPECT_EQ(m_root->link("dlink", *d).error(), Errno::EPERM);
    MUST(m_root->unlink("a"));
    EXPECT_EQ(attr(f).nlink, 1u);
    f->unref();
    Vnode* again = lookup(d, "b");
    EXPECT_EQ(read(again, 0, 6), "shared");
    MUST(d->unlink("b"));
    EXPECT_EQ(again->getattr().value().nlink, 0u);
    EXPECT_EQ(m_root->link("revived", *again).error(), Errno::ENOENT);
    again->unref();
    d->unref();
}

TEST_F(TmpfsDir, SymlinksKeepTheirTarget)
{
    Vnode* s = MUST(m_root->symlink("s", "../some/where", {}));
    fs::VAttr a = attr(s);
    EXPECT_EQ(a.type, VType::Symlink);
    EXPECT_EQ(a.size, 13u);
    char buf[64] = {};
    EXPECT_EQ(MUST(s->readlink(fs::IoBuffer::kernel(buf), sizeof buf)), 13u);
    EXPECT_STREQ(buf, "../some/where");
    EXPECT_EQ(MUST(s->readlink(fs::IoBuffer::kernel(buf), 4)), 4u);  // cut to the buffer
    EXPECT_EQ(m_root->symlink("e", "", {}).error(), Errno::ENOENT);
    std::string huge(fs::PATH_MAX, 'p');
    EXPECT_EQ(m_root->symlink("h", huge.c_str(), {}).error(), Errno::ENAMETOOLONG);
    EXPECT_EQ(m_root->symlink("s", "x", {}).error(), Errno::EEXIST);
    EXPECT_EQ(m_root->readlink(fs::IoBuffer::kernel(buf), 4).error(), Errno::EINVAL);
    s->unref();
    MUST(m_root->unlink("s"));
}

TEST_F(TmpfsDir, DeviceNodesAndFifos)
{
    Vnode* c = MUST(m_root->create("tty", VType::CharDevice, 0620, 0x0401, {}));
    Vnode* p = MUST(m_root->create("pipe", VType::Fifo, 0600, 0, {}));
    EXPECT_EQ(attr(c).type, VType::CharDevice);
    EXPECT_EQ(attr(c).rdev, 0x0401u);
    EXPECT_EQ(attr(p).type, VType::Fifo);
    EXPECT_EQ(c->vm_object(), nullptr);
    char b[4];
    EXPECT_EQ(c->read(0, fs::IoBuffer::kernel(b), 4).error(), Errno::EINVAL);
    c->unref();
    p->unref();
}

TEST_F(TmpfsDir, NodeLimitGivesENOSPCAndLeavesNothing)
{
    mount("nodes=3");  // the root and two more
    touch_file(m_root, "one");
    touch_file(m_root, "two");
    EXPECT_EQ(m_root->create("three", VType::Regular, 0644, 0, {}).error(), Errno::ENOSPC);
    EXPECT_EQ(m_root->symlink("four", "x", {}).error(), Errno::ENOSPC);
    EXPECT_EQ(lookup_errno(m_root, "three"), Errno::ENOENT);
    EXPECT_EQ(names(m_root).size(), 4u);
    EXPECT_EQ(MUST(m_fs->statvfs()).ffree, 0u);
    MUST(m_root->unlink("one"));
    EXPECT_EQ(MUST(m_fs->statvfs()).ffree, 1u);
    touch_file(m_root, "three");
}

TEST_F(TmpfsDir, CreatingUpdatesTheDirectoryTimes)
{
    Vnode* d = mkdir(m_root, "d");
    fs::VAttr before = attr(d);
    touch_file(d, "f");
    fs::VAttr after = attr(d);
    EXPECT_TRUE(later(after.mtime, before.mtime));
    EXPECT_TRUE(later(after.ctime, before.ctime));
    EXPECT_TRUE(same(after.btime, before.btime));
    Vnode* f = lookup(d, "f");
    fs::VAttr f_before = attr(f);
    MUST(m_root->link("f2", *f));  // link: the target's ctime
    EXPECT_TRUE(later(attr(f).ctime, f_before.ctime));
    EXPECT_TRUE(same(attr(f).mtime, f_before.mtime));
    VectorSink sink;
    fs::VAttr d_before = attr(d);
    MUST(d->readdir(0, sink));  // readdir: the directory's atime
    EXPECT_TRUE(later(attr(d).atime, d_before.atime));
    f->unref();
    d->unref();
}

// 100,000 names in one directory: lookups stay fast (a hash index, not a
// list walk). Bounded loosely, for a sanitizer build on a busy machine.
TEST_F(TmpfsDir, LookupInAHundredThousandEntryDirectory)
{
    make_memory(16384);  // 64 MiB: the entries and the index are heap memory
    mount("nodes=200000");
    constexpr int N = 100000;
    for (int i = 0; i < N; ++i)
        touch_file(m_root, ("entry-" + std::to_string(i)).c_str());
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < N; i += 7) {
        Vnode* v = nullptr;
        ASSERT_EQ(lookup_errno(m_root, ("entry-" + std::to_string(i)).c_str(), &v), Errno(0));
        v->unref();
    }
    EXPECT_EQ(lookup_errno(m_root, "entry-100000"), Errno::ENOENT);
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - start).count();
    std::printf("  tmpfs: %d lookups among %d entries: %.2f us each\n", N / 7, N,
                double(us) / (N / 7));
    EXPECT_LT(us / (N / 7), 50);  // a list walk would take milliseconds each
    for (int i = 0; i < N; ++i)
        MUST(m_root->unlink(("entry-" + std::to_string(i)).c_str()));
}

// A linked node holds one reference on itself (its name reference), so the
// count reaches 0 only after the last link is gone (tmpfs_node.cpp, "Death").
TEST_F(TmpfsDir, ALinkedNodeHoldsItsNameReference)
{
    Vnode* f = create(m_root, "f");
    EXPECT_EQ(f->ref_count(), 2u);  // ours + the name's
    MUST(m_root->link("g", *f));
    EXPECT_EQ(f->ref_count(), 2u);  // one name reference, however many names
    MUST(m_root->unlink("f"));
    EXPECT_EQ(f->ref_count(), 2u);
    MUST(m_root->unlink("g"));
    EXPECT_EQ(f->ref_count(), 1u);  // only ours: the last unref frees it
    Vnode* d = mkdir(m_root, "d");
    EXPECT_EQ(d->ref_count(), 2u);
    MUST(m_root->rmdir("d"));
    EXPECT_EQ(d->ref_count(), 1u);
    EXPECT_EQ(MUST(m_fs->statvfs()).files - MUST(m_fs->statvfs()).ffree, 3u);
    f->unref();
    d->unref();
    EXPECT_EQ(MUST(m_fs->statvfs()).files - MUST(m_fs->statvfs()).ffree, 1u);
}
