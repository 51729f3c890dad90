// tests/host/fs/tmpfs/tmpfs_file_test.cpp -- tmpfs regular files at the
// Vnode level: read/write through the UBC, holes, truncate both ways, the
// size= and nodes= limits, statvfs, several instances, unmount, times, and
// setattr (fs/tmpfs/tmpfs_file.cpp, tmpfs_node.cpp, tmpfs_mount.cpp).
#include "tmpfs_fixture.h"

using namespace tmpfstest;

namespace {
using TmpfsFile = TmpfsTest;
constexpr u64 MiB = 1ull << 20;
}

TEST_F(TmpfsFile, WriteThenReadAcrossPageBoundaries)
{
    Vnode* f = create(m_root, "f");
    std::string data;
    for (size_t i = 0; i < 3 * PAGE_SIZE + 100; ++i)
        data.push_back(char('a' + i % 26));
    EXPECT_EQ(write(f, 10, data), data.size());
    EXPECT_EQ(attr(f).size, 10 + data.size());
    EXPECT_EQ(read(f, 10, data.size()), data);
    EXPECT_EQ(read(f, 0, 10), std::string(10, '\0'));
    EXPECT_EQ(read(f, 10 + data.size() - 5, 100), data.substr(data.size() - 5));  // short at EOF
    EXPECT_EQ(read(f, 1 * MiB, 10), "");
    EXPECT_EQ(resident(f), 4u);
    EXPECT_EQ(attr(f).blocks, 4u * (PAGE_SIZE / 512));
    f->unref();
}

// O_APPEND's vnode call: at the end as it is under the node lock, and
// `at` says where the bytes went.
TEST_F(TmpfsFile, AppendWritesAtTheEndAndSaysWhere)
{
    Vnode* f = create(m_root, "log");
    write(f, 0, "one");
    u64 at = 12345;
    std::string two = "two";
    EXPECT_EQ(MUST(f->append(fs::IoBuffer::kernel(two.data()), two.size(), at)), 3u);
    EXPECT_EQ(at, 3u);
    truncate(f, 1);
    EXPECT_EQ(MUST(f->append(fs::IoBuffer::kernel(two.data()), two.size(), at)), 3u);
    EXPECT_EQ(at, 1u);
    EXPECT_EQ(read(f, 0, 10), "otwo");
    f->unref();
}

TEST_F(TmpfsFile, HolesReadAsZerosAndCostNoPage)
{
    Vnode* f = create(m_root, "sparse");
    write(f, 0, "head");
    write(f, 100 * MiB, "tail");
    EXPECT_EQ(attr(f).size, 100 * MiB + 4);
    EXPECT_EQ(resident(f), 2u);
    EXPECT_EQ(object_pages(), 2u);
    EXPECT_EQ(read(f, 50 * MiB, 8192), std::string(8192, '\0'));
    EXPECT_EQ(resident(f), 2u);  // reading the hole made nothing
    EXPECT_EQ(m_fs->data_pages_used(), 2u);
    f->unref();
}

TEST_F(TmpfsFile, TruncateDownFreesPagesAndZerosTheTail)
{
    Vnode* f = create(m_root, "f");
    write(f, 0, std::string(8 * PAGE_SIZE, 'x'));
    EXPECT_EQ(resident(f), 8u);
    truncate(f, 2 * PAGE_SIZE + 10);
    EXPECT_EQ(resident(f), 3u);
    EXPECT_EQ(m_fs->data_pages_used(), 3u);
    EXPECT_EQ(attr(f).size, 2 * PAGE_SIZE + 10);
    truncate(f, 4 * PAGE_SIZE);  // up: a hole, and the old tail reads as zeros
    EXPECT_EQ(resident(f), 3u);
    EXPECT_EQ(read(f, 2 * PAGE_SIZE, 10), std::string(10, 'x'));
    EXPECT_EQ(read(f, 2 * PAGE_SIZE + 10, 20), std::string(20, '\0'));
    EXPECT_EQ(read(f, 3 * PAGE_SIZE, 20), std::string(20, '\0'));
    truncate(f, 0);
    EXPECT_EQ(resident(f), 0u);
    EXPECT_EQ(m_fs->data_pages_used(), 0u);
    EXPECT_EQ(read(f, 0, 10), "");
    f->unref();
}

TEST_F(TmpfsFile, SetattrErrors)
{
    Vnode* d = mkdir(m_root, "d");
    Vnode* s = MUST(m_root->symlink("s", "d", {}));
    Vnode* f = create(m_root, "f");
    fs::VAttr a;
    a.size = 10;
    EXPECT_EQ(d->setattr(a, fs::SETATTR_SIZE).error(), Errno::EISDIR);
    EXPECT_EQ(s->setattr(a, fs::SETATTR_SIZE).error(), Errno::EINVAL);
    a.size = fs::tmpfs::MAX_FILE_SIZE + 1;
    EXPECT_EQ(f->setattr(a, fs::SETATTR_SIZE).error(), Errno::EFBIG);
    char b[1] = {'x'};
    EXPECT_EQ(f->write(fs::tmpfs::MAX_FILE_SIZE, fs::IoBuffer::kernel(b), 1).error(), Errno::EFBIG);
    EXPECT_EQ(d->write(0, fs::IoBuffer::kernel(b), 1).error(), Errno::EISDIR);
    EXPECT_EQ(d->read(0, fs::IoBuffer::kernel(b), 1).error(), Errno::EISDIR);
    EXPECT_EQ(attr(f).size, 0u);
    d->unref();
    s->unref();
    f->unref();
}

TEST_F(TmpfsFile, SetattrChangesModeOwnerAndCtime)
{
    Vnode* f = create(m_root, "f");
    fs::VAttr before = attr(f);
    fs::VAttr a;
    a.mode = 0100600;  // type bits are ignored
    a.uid = 7;
    a.gid = 8;
    MUST(f->setattr(a, fs::SETATTR_MODE | fs::SETATTR_UID | fs::SETATTR_GID));
    fs::VAttr after = attr(f);
    EXPECT_EQ(after.mode, 0600u);
    EXPECT_EQ(after.uid, 7u);
    EXPECT_EQ(after.gid, 8u);
    EXPECT_TRUE(later(after.ctime, before.ctime));
    EXPECT_TRUE(same(after.mtime, before.mtime));
    a.mtime = {1234, 5};
    MUST(f->setattr(a, fs::SETATTR_MTIME));
    EXPECT_EQ(attr(f).mtime.sec, 1234);
    f->unref();
}

TEST_F(TmpfsFile, WriteSetsMtimeCtimeReadSetsAtime)
{
    Vnode* f = create(m_root, "f");
    fs::VAttr t0 = attr(f);
    write(f, 0, "data");
    fs::VAttr t1 = attr(f);
    EXPECT_TRUE(later(t1.mtime, t0.mtime));
    EXPECT_TRUE(later(t1.ctime, t0.ctime));
    EXPECT_TRUE(same(t1.atime, t0.atime));
    read(f, 0, 4);
    fs::VAttr t2 = attr(f);
    EXPECT_TRUE(later(t2.atime, t1.atime));
    EXPECT_TRUE(same(t2.mtime, t1.mtime));
    f->unref();
}

TEST_F(TmpfsFile, SizeLimitGivesShortWriteThenENOSPC)
{
    mount("size=16k");
    EXPECT_EQ(MUST(m_fs->statvfs()).blocks, 4u);
    Vnode* f = create(m_root, "f");
    EXPECT_EQ(write(f, 0, std::string(5 * PAGE_SIZE, 'y')), 4 * PAGE_SIZE);  // short
    char b[1] = {'z'};
    EXPECT_EQ(f->write(4 * PAGE_SIZE, fs::IoBuffer::kernel(b), 1).error(), Errno::ENOSPC);
    EXPECT_EQ(write(f, 100, "rewrite"), 7u);  // pages already there need no budget
    EXPECT_EQ(MUST(m_fs->statvfs()).bfree, 0u);
    Vnode* g = create(m_root, "g");
    EXPECT_EQ(g->write(0, fs::IoBuffer::kernel(b), 1).error(), Errno::ENOSPC);
    truncate(f, PAGE_SIZE);
    EXPECT_EQ(MUST(m_fs->statvfs()).bfree, 3u);
    EXPECT_EQ(write(g, 0, "ok"), 2u);
    f->unref();
    g->unref();
    MUST(m_root->unlink("f"));
    MUST(m_root->unlink("g"));
    EXPECT_EQ(MUST(m_fs->statvfs()).bfree, 4u);
}

TEST_F(TmpfsFile, BadOptionsAreEINVAL)
{
    for (const char* bad : {"size=", "size=0", "size=12q", "nodes=0", "nodes=x", "colour=blue"})
        EXPECT_EQ(TmpfsMount::create(bad).error(), Errno::EINVAL) << bad;
    auto ok = TmpfsMount::create("size=1g,nodes=10");
    ASSERT_FALSE(ok.is_error());
    fs::StatVfs st = MUST(ok.value()->statvfs());
    EXPECT_EQ(st.blocks, (1ull << 30) / PAGE_SIZE);
    EXPECT_EQ(st.files, 10u);
    EXPECT_EQ(st.ffree, 9u);  // the root
    EXPECT_EQ(st.namemax, fs::NAME_MAX);
    delete ok.value();
}

TEST_F(TmpfsFile, InstancesAreIndependent)
{
    auto other = TmpfsMount::create("size=8k");
    ASSERT_FALSE(other.is_error());
    Vnode* other_root = other.value()->root();
    Vnode* a = create(m_root, "same-name");
    Vnode* b = create(other_root, "same-name");
    EXPECT_NE(a, b);
    EXPECT_NE(attr(a).dev, attr(b).dev);
    write(a, 0, std::string(4 * PAGE_SIZE, 'a'));
    EXPECT_EQ(write(b, 0, std::string(4 * PAGE_SIZE, 'b')), 2 * PAGE_SIZE);
    EXPECT_EQ(other.value()->data_pages_used(), 2u);
    EXPECT_EQ(m_fs->data_pages_used(), 4u);
    a->unref();
    EXPECT_EQ(other.value()->unmount().error(), Errno::EBUSY);  // b is referenced
    b->unref();
    other_root->unref();
    MUST(other.value()->unmount());
    delete other.value();  // frees its nodes and pages
    EXPECT_EQ(object_pages(), 4u);
}
