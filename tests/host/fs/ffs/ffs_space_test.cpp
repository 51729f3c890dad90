// tests/host/fs/ffs/ffs_space_test.cpp -- the kernel's FFS at its edges: space and data: a full disk (one file,
// many files) and a full inode table -- short writes and ENOSPC, never more
// than fits, every block given back; the pager (a store through a mapping
// into a hole, truncating double-indirect blocks, truncating a file not in
// memory); timestamps as POSIX wants them.
// The fixtures: ffs_edge_fixture.h.
#include "ffs_edge_fixture.h"

#include <vm/pageout.h>
#include <vm/stats.h>

namespace ffskt {
namespace {

// ---- a full disk -------------------------------------------------------------------

TEST_F(FfsFullDiskTest, OneFileFillsTheDiskThenGivesEveryBlockBack)
{
    const u64 before = free_blocks();
    const u64 inodes_before = free_inodes();
    ASSERT_GT(before, 3000u);
    Vnode* f = make(m_root, "big");
    ASSERT_TRUE(f);
    std::string chunk(256 * 1024, '\0');
    u64 written = 0;
    for (int i = 0; i < 100; ++i) {
        memset(chunk.data(), 'a' + i % 26, chunk.size());
        auto n = f->write(written, fs::IoBuffer::kernel(chunk.data()), chunk.size());
        if (n.is_error()) {
            EXPECT_EQ(n.error(), Errno::ENOSPC);
            break;
        }
        ASSERT_LE(n.value(), chunk.size());
        written += n.value();
        if (n.value() < chunk.size())
            break;  // a short count: the disk is full
    }
    // Exactly what fits: every block is the file's, data or indirect --
    // but for at most two that the next data block's indirect blocks would
    // have needed with it (an indirect block with nothing below is given back).
    const u64 left = free_blocks();
    EXPECT_LE(left, 2u);
    EXPECT_EQ(written % 4096, 0u);
    EXPECT_EQ(written / 4096 + indirect_blocks(written / 4096), before - left);
    EXPECT_EQ(attr(f).size, written);
    EXPECT_EQ(attr(f).blocks, (before - left) * 8);
    // The next write finds no room at all.
    auto more = f->write(written, fs::IoBuffer::kernel(chunk.data()), 100);
    EXPECT_EQ(more.is_error() ? more.error() : Errno(0), Errno::ENOSPC);
    EXPECT_EQ(free_blocks(), left);
    EXPECT_EQ(attr(f).size, written);
    // Rewriting what exists needs no block.
    EXPECT_EQ(write(f, 4096 * 5, "rewrite"), 7u);
    f->unref();
    unmount_ok();
    EXPECT_EQ(fsck(), FFS_FSCK_CLEAN) << m_report;
    mount_ok();
    f = find(m_root, "big");
    ASSERT_TRUE(f);
    EXPECT_EQ(attr(f).size, written);
    EXPECT_EQ(read(f, 0, 4), "aaaa");
    EXPECT_EQ(read(f, 4096 * 5, 7), "rewrite");
    EXPECT_EQ(read(f, written - 3, 10), std::string(3, char('a' + (written - 1) / chunk.size() % 26)));
    f->unref();
    ASSERT_FALSE(m_root->unlink("big").is_error());
    EXPECT_EQ(free_blocks(), before);
    EXPECT_EQ(free_inodes(), inodes_before);
}

TEST_F(FfsFullDiskTest, ManyFilesFillTheDiskThenGiveEveryBlockBack)
{
    const u64 before = free_blocks();
    const u64 inodes_before = free_inodes();
    Vnode* d = mkdir(m_root, "d");
    ASSERT_TRUE(d);
    const std::string data(10 * 4096 + 100, 'm');  // 11 blocks each
    int files = 0;
    u64 data_blocks = 0;
    bool full = false;
    while (!full) {
        const std::string name = "file-" + std::to_string(files);
        auto v = d->create(name.c_str(), VType::Regular, 0644, 0, fs::Cred{});
        if (v.is_error()) {
            EXPECT_EQ(v.error(), Errno::ENOSPC);  // the directory needed a block
            break;
        }
        ++files;
        auto n = v.value()->write(0, fs::IoBuffer::kernel(const_cast<char*>(data.data())), data.size());
        if (n.is_error()) {
            EXPECT_EQ(n.error(), Errno::ENOSPC);
            full = true;
        } else {
            EXPECT_LE(n.value(), data.size());
            full = n.value() < data.size();
            if (full) {
                EXPECT_EQ(n.value() % 4096, 0u) << "a short write ends at a block";
            }
            data_blocks += (n.value() + 4095) / 4096;
        }
        v.value()->unref();
    }
    EXPECT_GT(files, 300);
    EXPECT_EQ(free_blocks(), 0u);
    // Data blocks, plus the directory's: all of them.
    EXPECT_EQ(data_blocks + ffs_numblks(&m_sb, attr(d).size), before);
    EXPECT_EQ(free_inodes(), inodes_before - 1 - u64(files));
    d->unref();
    unmount_ok();
    EXPECT_EQ(fsck(), FFS_FSCK_CLEAN) << m_report;
    mount_ok();
    d = find(m_root, "d");
    ASSERT_TRUE(d);
    EXPECT_EQ(names(d).size(), size_t(files));
    Vnode* first = find(d, "file-0");
    ASSERT_TRUE(first);
    EXPECT_EQ(read(first, 10 * 4096, 200), std::string(100, 'm'));
    first->unref();
    for (int i = 0; i < files; ++i)
        ASSERT_FALSE(d->unlink(("file-" + std::to_string(i)).c_str()).is_error()) << i;
    d->unref();
    ASSERT_FALSE(m_root->rmdir("d").is_error());
    EXPECT_EQ(free_blocks(), before);
    EXPECT_EQ(free_inodes(), inodes_before);
}

TEST_F(FfsEdgeTest, InodeExhaustionIsEnospcFromCreate)
{
    unmount_ok();
    newfs(0, 1u << 20);  // 16 inodes wanted: one block of them (32)
    mount_ok();
    const u64 inodes = free_inodes();
    const u64 blocks = free_blocks();
    ASSERT_LT(inodes, 100u);
    u64 made = 0;
    for (;; ++made) {
        auto v = m_root->create(("f" + std::to_string(made)).c_str(), VType::Regular, 0644, 0, fs::Cred{});
        if (v.is_error()) {
            EXPECT_EQ(v.error(), Errno::ENOSPC);
            break;
        }
        v.value()->unref();
    }
    EXPECT_EQ(made, inodes);
    EXPECT_EQ(free_inodes(), 0u);
    EXPECT_EQ(mkdir_error(m_root, "dir"), Errno::ENOSPC);
    auto s = m_root->symlink("link", "target", fs::Cred{});
    EXPECT_EQ(s.is_error() ? s.error() : Errno(0), Errno::ENOSPC);
    EXPECT_EQ(free_blocks(), blocks);  // the failed mkdir kept no block
    // A name for an existing inode needs none.
    Vnode* f0 = find(m_root, "f0");
    ASSERT_TRUE(f0);
    ASSERT_FALSE(m_root->link("f0-again", *f0).is_error());
    f0->unref();
    remount();
    EXPECT_EQ(free_inodes(), 0u);
    ASSERT_FALSE(m_root->unlink("f0").is_error());
    EXPECT_EQ(free_inodes(), 0u);  // "f0-again" still names it
    ASSERT_FALSE(m_root->unlink("f0-again").is_error());
    EXPECT_EQ(free_inodes(), 1u);
    for (u64 i = 1; i < made; ++i)
        ASSERT_FALSE(m_root->unlink(("f" + std::to_string(i)).c_str()).is_error());
    EXPECT_EQ(free_inodes(), inodes);
    EXPECT_EQ(free_blocks(), blocks);
}

// ---- the pager -------------------------------------------------------------------------

// A store through a shared mapping into a hole of a sparse file: the fault
// asks the pager for the page with PROT_WRITE, which gives the hole a block
// at once (fs/ffs/ffs_object.cpp); the data reaches the disk.
TEST_F(FfsEdgeTest, StoreThroughAMappingIntoAHoleGetsABlock)
{
    Vnode* f = make(m_root, "sparse");
    ASSERT_TRUE(f);
    write(f, 0, "head");
    write(f, 9 * 4096, "tail");  // blocks 1..8 are holes
    EXPECT_EQ(attr(f).blocks, 2u * 8);
    const u64 before = free_blocks();
    vm::VmObject* object = f->vm_object();
    ASSERT_TRUE(object);
    vm::VmMap* map = MUST(vm::VmMap::create(vm::USER_MIN, vm::USER_MAX, MUST(arch::pmap_create())));
    object->reference();  // the mapping's, handed to the map
    const uptr va = MUST(map->map(0, 10 * 4096, vm::PROT_READ | vm::PROT_WRITE, vm::PROT_ALL, vm::Inherit::Share,
                                  object, 0, 0));
    // Block 3: never touched before -- the write fault itself finds the hole.
    MUST(vm::fault(*map, va + 3 * 4096 + 10, vm::PROT_WRITE));
    EXPECT_EQ(free_blocks(), before - 1);
    EXPECT_EQ(attr(f).blocks, 3u * 8);
    // Block 6: read first (a zero page of the hole, no block), stored into
    // later -- its block comes at write-back.
    EXPECT_EQ(read(f, 6 * 4096, 8), std::string(8, '\0'));
    MUST(vm::fault(*map, va + 6 * 4096, vm::PROT_READ));
    MUST(vm::fault(*map, va + 6 * 4096, vm::PROT_WRITE));
    // Store through the pages themselves (what the user's stores would do).
    {
        kern::MutexGuard guard(object->lock());
        for (u64 lbn : {3, 6}) {
            vm::Page* page = object->lookup_page_locked(lbn * 4096);
            ASSERT_TRUE(page);
            EXPECT_TRUE(page->has(vm::Page::DIRTY)) << lbn;
            memcpy(static_cast<char*>(vm::page_allocator().virt_of(*page)) + 10, "stored", 6);
        }
    }
    EXPECT_EQ(read(f, 3 * 4096 + 10, 6), "stored");
    EXPECT_EQ(read(f, 3 * 4096, 10), std::string(10, '\0'));
    map->destroy();
    ASSERT_FALSE(f->fsync().is_error());
    EXPECT_EQ(attr(f).blocks, 4u * 8);
    EXPECT_EQ(free_blocks(), before - 2);
    EXPECT_EQ(attr(f).size, 9u * 4096 + 4);
    f->unref();
    remount();
    f = find(m_root, "sparse");
    ASSERT_TRUE(f);
    EXPECT_EQ(read(f, 3 * 4096 + 10, 6), "stored");
    EXPECT_EQ(read(f, 6 * 4096 + 10, 6), "stored");
    EXPECT_EQ(read(f, 6 * 4096, 10), std::string(10, '\0'));
    EXPECT_EQ(read(f, 5 * 4096, 16), std::string(16, '\0'));  // still a hole
    EXPECT_EQ(read(f, 0, 4), "head");
    EXPECT_EQ(read(f, 9 * 4096, 4), "tail");
    EXPECT_EQ(attr(f).blocks, 4u * 8);
    f->unref();
}

TEST_F(FfsEdgeTest, TruncatingDoubleIndirectBlocksGivesEveryBlockBack)
{
    const u64 before = free_blocks();
    Vnode* f = make(m_root, "deep");
    ASSERT_TRUE(f);
    const u64 nindir = m_sb.fs_nindir;
    const u64 single = FFS_NDADDR, dbl = FFS_NDADDR + nindir;
    // Data in the direct blocks, the single indirect range, and two
    // different single-indirect blocks under the double indirect one.
    const u64 lbns[] = {0, 3, single, single + 100, dbl, dbl + 1, dbl + nindir + 7, dbl + 2 * nindir};
    for (u64 lbn : lbns)
        EXPECT_EQ(write(f, lbn * 4096, "x" + std::to_string(lbn)), 1 + std::to_string(lbn).size());
    // 8 data; indirect: di_ib[0], di_ib[1], and three below it.
    EXPECT_EQ(attr(f).blocks, (8u + 5u) * 8);
    EXPECT_EQ(free_blocks(), before - 13);
    f->unref();
    remount();  // the indirect blocks are on the disk now, read back below
    f = find(m_root, "deep");
    ASSERT_TRUE(f);
    // Into the double-indirect range: the last two single blocks under it go.
    truncate(f, (dbl + nindir) * 4096);
    EXPECT_EQ(attr(f).blocks, (6u + 3u) * 8);
    EXPECT_EQ(read(f, (dbl + 1) * 4096, 5), "x" + std::to_string(dbl + 1));
    // Just past the single range: the double indirect block goes too.
    truncate(f, (dbl) * 4096);
    EXPECT_EQ(attr(f).blocks, (4u + 1u) * 8);
    truncate(f, 0);
    EXPECT_EQ(attr(f).blocks, 0u);
    EXPECT_EQ(free_blocks(), before);
    // Extending again reads zeros where the old data was.
    truncate(f, (dbl + 2) * 4096);
    EXPECT_EQ(read(f, dbl * 4096, 8), std::string(8, '\0'));
    EXPECT_EQ(attr(f).blocks, 0u);
    f->unref();
    remount();
    EXPECT_EQ(free_blocks(), before);
}

// Truncating a file whose last page is not in memory reads that page
// (to zero its tail); the blocks read ahead with it, past the new end,
// must not stay behind as pages: a later extension would find their old
// bytes where zeros belong.
TEST_F(FfsEdgeTest, TruncateOfAFileNotInMemoryLeavesNoOldBytesPastTheEnd)
{
    Vnode* f = make(m_root, "f");
    ASSERT_TRUE(f);
    write(f, 0, std::string(10 * 4096, 'N'));
    ASSERT_FALSE(f->fsync().is_error());
    f->unref();
    m_ffs->drop_caches();  // no page of f in memory
    f = find(m_root, "f");
    ASSERT_TRUE(f);
    truncate(f, 100);
    EXPECT_EQ(attr(f).blocks, 8u);
    truncate(f, 10 * 4096);
    EXPECT_EQ(read(f, 0, 101), std::string(100, 'N') + std::string(1, '\0'));
    EXPECT_EQ(read(f, 4096, 8), std::string(8, '\0'));
    // A write into the hole must not make old bytes around it data again.
    EXPECT_EQ(write(f, 2 * 4096 + 10, "new"), 3u);
    EXPECT_EQ(read(f, 2 * 4096, 16), std::string(10, '\0') + "new" + std::string(3, '\0'));
    f->unref();
    remount();
    f = find(m_root, "f");
    ASSERT_TRUE(f);
    EXPECT_EQ(read(f, 2 * 4096, 16), std::string(10, '\0') + "new" + std::string(3, '\0'));
    EXPECT_EQ(read(f, 4096, 8), std::string(8, '\0'));
    f->unref();
}

// ---- the page daemon ---------------------------------------------------------------------

// Memory pressure on an FFS file's dirty pages: the page daemon's pass
// (vm/pageout.cpp) writes them back through the vnode pager and frees them
// -- no swap involved -- and what was written reads back, in this mount
// and after a remount (docs/pageout.md).
TEST_F(FfsEdgeTest, ThePageDaemonWritesDirtyFilePagesBackAndFreesThem)
{
    Vnode* f = make(m_root, "f");
    ASSERT_TRUE(f);
    std::string data(24 * 4096, 'D');
    for (size_t i = 0; i < data.size(); i += 4096)
        data[i] = char('a' + i / 4096);
    EXPECT_EQ(write(f, 0, data), data.size());  // dirty pages in the file's object
    const u64 resident = vm::stats().object_pages;
    ASSERT_GE(resident, 24u);
    const vm::ScanResult r = vm::pageout_scan(1000);
    EXPECT_GE(r.freed, 24u);
    EXPECT_LE(vm::stats().object_pages, resident - 24);
    EXPECT_EQ(read(f, 0, data.size()), data);  // read back from the disk
    f->unref();
    remount();
    f = find(m_root, "f");
    ASSERT_TRUE(f);
    EXPECT_EQ(read(f, 0, data.size()), data);
    f->unref();
}

// ---- timestamps -------------------------------------------------------------------------

TEST_F(FfsEdgeTest, TimestampsChangeAsPosixSays)
{
    Vnode* d = mkdir(m_root, "d");
    ASSERT_TRUE(d);
    tick();
    fs::VAttr d0 = attr(d);
    Vnode* f = make(d, "f");
    ASSERT_TRUE(f);
    fs::VAttr d1 = attr(d), f0 = attr(f);
    EXPECT_TRUE(later(d1.mtime, d0.mtime));  // a new name: the directory changed
    EXPECT_TRUE(later(d1.ctime, d0.ctime));
    tick();
    // write: mtime and ctime; not atime.
    write(f, 0, "data");
    fs::VAttr f1 = attr(f);
    EXPECT_TRUE(later(f1.mtime, f0.mtime));
    EXPECT_TRUE(later(f1.ctime, f0.ctime));
    EXPECT_TRUE(same(f1.atime, f0.atime));
    EXPECT_TRUE(same(attr(d).mtime, d1.mtime));  // the directory did not change
    tick();
    // read: atime only.
    EXPECT_EQ(read(f, 0, 4), "data");
    fs::VAttr f2 = attr(f);
    EXPECT_TRUE(later(f2.atime, f1.atime));
    EXPECT_TRUE(same(f2.mtime, f1.mtime));
    EXPECT_TRUE(same(f2.ctime, f1.ctime));
    tick();
    // link: the file's ctime; the directory's mtime and ctime.
    ASSERT_FALSE(m_root->link("g", *f).is_error());
    fs::VAttr f3 = attr(f);
    EXPECT_TRUE(later(f3.ctime, f2.ctime));
    EXPECT_TRUE(same(f3.mtime, f2.mtime));
    tick();
    fs::VAttr root0 = attr(m_root), d2 = attr(d);
    // rename: the moved file's ctime; both directories' mtime and ctime.
    ASSERT_FALSE(d->rename("f", *m_root, "moved", 0).is_error());
    fs::VAttr f4 = attr(f);
    EXPECT_TRUE(later(f4.ctime, f3.ctime));
    EXPECT_TRUE(same(f4.mtime, f3.mtime));
    EXPECT_TRUE(later(attr(m_root).mtime, root0.mtime));
    EXPECT_TRUE(later(attr(d).mtime, d2.mtime));
    EXPECT_TRUE(later(attr(d).ctime, d2.ctime));
    tick();
    // unlink of one of two names: the file's ctime.
    ASSERT_FALSE(m_root->unlink("g").is_error());
    fs::VAttr f5 = attr(f);
    EXPECT_TRUE(later(f5.ctime, f4.ctime));
    tick();
    // truncate: mtime and ctime. chmod: ctime only.
    truncate(f, 2);
    fs::VAttr f6 = attr(f);
    EXPECT_TRUE(later(f6.mtime, f5.mtime));
    EXPECT_TRUE(later(f6.ctime, f5.ctime));
    tick();
    fs::VAttr mode;
    mode.mode = 0600;
    ASSERT_FALSE(f->setattr(mode, fs::SETATTR_MODE).is_error());
    fs::VAttr f7 = attr(f);
    EXPECT_TRUE(later(f7.ctime, f6.ctime));
    EXPECT_TRUE(same(f7.mtime, f6.mtime));
    EXPECT_EQ(f7.mode, 0600u);
    // utimes: the times given (and ctime now).
    fs::VAttr times;
    times.atime = {1234567, 89};
    times.mtime = {7654321, 98};
    ASSERT_FALSE(f->setattr(times, fs::SETATTR_ATIME | fs::SETATTR_MTIME).is_error());
    fs::VAttr f8 = attr(f);
    EXPECT_TRUE(later(f8.ctime, f7.ctime));
    f->unref();
    d->unref();
    // Kept to the nanosecond on the image.
    remount();
    f = find(m_root, "moved");
    ASSERT_TRUE(f);
    fs::VAttr f9 = attr(f);
    EXPECT_EQ(f9.atime.sec, 1234567);
    EXPECT_EQ(f9.atime.nsec, 89);
    EXPECT_EQ(f9.mtime.sec, 7654321);
    EXPECT_EQ(f9.mtime.nsec, 98);
    EXPECT_TRUE(same(f9.ctime, f8.ctime));
    EXPECT_EQ(f9.mode, 0600u);
    f->unref();
}

} // namespace
} // namespace ffskt
