// tests/host/fs/ffs/ffs_kernel_edge_test.cpp -- the kernel's FFS at its
// edges, on the fake disk of ffs_kernel_fixture.h (every test still ends
// with fsck_ffs's checker and the VM's leak check, unless it damaged the
// image on purpose):
//   - rename's POSIX table, ported from tests/host/fs/tmpfs/tmpfs_rename_test.cpp
//     (fs/tmpfs/tmpfs_rename.cpp has the table): replace, onto itself, ".."
//     following a directory, every refusal, RENAME_NOREPLACE and
//     RENAME_EXCHANGE across directories with their link counts -- and
//     each result read again after a remount;
//   - hard links and link counts; device nodes, FIFOs and sockets;
//   - readdir cookies while names come and go (and across a remount);
//   - a full disk (one file, many files) and a full inode table: short
//     writes and ENOSPC, never more than fits, every block given back;
//   - the pager: a store through a mapping into a hole of a sparse file;
//     truncating double-indirect blocks;
//   - timestamps as POSIX wants them;
//   - damaged images: refused at mount (EINVAL / EUCLEAN with a console
//     line), and damage made behind the mount's back is EIO, not a crash.
#include "ffs_kernel_fixture.h"

#include <tests/host/shim/printk_shim.h>
#include <vm/fault.h>
#include <vm/map.h>

#include <gtest/gtest.h>
#include <algorithm>
#include <cstring>
#include <ctime>
#include <map>
#include <set>

namespace ffskt {
namespace {

using fs::RENAME_EXCHANGE;
using fs::RENAME_NOREPLACE;

class FfsEdgeTest : public FfsKernelTest {
protected:
    Vnode* mkdir(Vnode* dir, const char* name) { return make(dir, name, VType::Directory, 0755); }
    void touch(Vnode* dir, const char* name)
    {
        if (Vnode* f = make(dir, name))
            f->unref();
    }
    static u64 ino(Vnode* v) { return attr(v).ino; }
    static u32 nlink(Vnode* v) { return attr(v).nlink; }
    static Errno error_of(kern::ErrorOr<void> r) { return r.is_error() ? r.error() : Errno(0); }
    // create(), dropping what it made: the error or 0.
    static Errno make_error(Vnode* dir, const char* name, VType type = VType::Regular)
    {
        auto v = dir->create(name, type, 0644, 0, fs::Cred{});
        if (v.is_error())
            return v.error();
        v.value()->unref();
        return Errno(0);
    }
    static Errno mkdir_error(Vnode* dir, const char* name) { return make_error(dir, name, VType::Directory); }
    // The names of a directory, without "." and "..", sorted.
    static std::vector<std::string> names(Vnode* dir)
    {
        std::vector<std::string> out;
        for (auto& n : list(dir))
            if (n != "." && n != "..")
                out.push_back(n);
        std::sort(out.begin(), out.end());
        return out;
    }
    static bool later(const fs::Timespec& a, const fs::Timespec& b)
    {
        return a.sec > b.sec || (a.sec == b.sec && a.nsec > b.nsec);
    }
    static bool same(const fs::Timespec& a, const fs::Timespec& b) { return a.sec == b.sec && a.nsec == b.nsec; }
    // Let the clock move, so that a time set next is later than one set before.
    static void tick()
    {
        const fs::Timespec start = fs::current_time();
        while (!later(fs::current_time(), start)) {
        }
    }
    static void truncate(Vnode* v, u64 size)
    {
        fs::VAttr a;
        a.size = size;
        auto r = v->setattr(a, fs::SETATTR_SIZE);
        EXPECT_FALSE(r.is_error()) << kern::errno_name(r.error());
    }
    // Look `name` up in `dir` and check it is `want` (then drop it).
    static void expect_names(Vnode* dir, const char* name, Vnode* want)
    {
        Vnode* got = find(dir, name);
        EXPECT_EQ(got, want) << name;
        if (got)
            got->unref();
    }
    // ".." of `dir`, as its inode number.
    static u64 parent_ino(Vnode* dir)
    {
        Vnode* up = find(dir, "..");
        EXPECT_TRUE(up);
        const u64 n = up ? ino(up) : 0;
        if (up)
            up->unref();
        return n;
    }

    // ---- the image behind the mount ----
    u8* disk_block(u32 bno) { return m_disk->sector(0) + u64(bno) * m_sb.fs_bsize; }
    ffs_image image()
    {
        ffs_image img;
        ffs_image_mem(&img, m_disk->sector(0), DISK_BYTES);
        return img;
    }
    ffs_dinode dinode(u32 n)
    {
        ffs_image img = image();
        ffs_dinode d = {};
        EXPECT_EQ(ffs_inode_read(&img, &m_sb, n, &d), 0);
        return d;
    }
    void put_dinode(u32 n, const ffs_dinode& d)
    {
        ffs_image img = image();
        EXPECT_EQ(ffs_inode_write(&img, &m_sb, n, &d), 0);
    }
    ffs_cg* group(u32 g) { return reinterpret_cast<ffs_cg*>(disk_block(ffs_cgtod(&m_sb, g))); }
    // Unmount, damage the image with `damage`, mount: the error and the
    // console line. The image stays damaged: fsck is not asked at the end.
    template <typename F>
    Errno mount_after(F damage)
    {
        unmount_ok();
        m_check_image = false;
        damage();
        kern::host::clear_console();
        auto m = try_mount();
        if (!m.is_error()) {
            m_ffs = m.value();
            m_root = m_ffs->root();
            return Errno(0);
        }
        return m.error();
    }
    static bool console_says(const char* what) { return strstr(kern::host::last_console_line(), what) != nullptr; }

    u64 free_inodes()
    {
        auto st = m_ffs->statvfs();
        return st.is_error() ? 0 : st.value().ffree;
    }
};

// A file system with enough memory to hold the whole disk in the page
// cache: the disk-full tests keep every written page resident, and a write
// that ran out of memory would stop early for the wrong reason.
class FfsFullDiskTest : public FfsEdgeTest {
protected:
    static constexpr size_t FRAMES = 6144;  // 24 MiB for a 16 MiB disk

    void SetUp() override
    {
        make_memory(FRAMES);  // VmTest::SetUp's job, with more frames
        m_disk = std::make_unique<block::test::FakeDisk>(DISK_BYTES / block::DEV_BSIZE);
        m_running = std::make_unique<block::test::DiskRunsWhileWaiting>(*m_disk);
        newfs();
        mount_ok();
    }

    // Fill every free block: one big file until a write comes back short,
    // then one-block files for what its indirect blocks could not use.
    void fill_disk(Vnode* dir)
    {
        Vnode* filler = make(dir, "filler");
        ASSERT_TRUE(filler);
        std::string chunk(1 << 20, 'z');
        for (u64 off = 0;; off += chunk.size()) {
            auto n = filler->write(off, fs::IoBuffer::kernel(chunk.data()), chunk.size());
            if (n.is_error() || n.value() < chunk.size())
                break;
        }
        filler->unref();
        for (int i = 0; free_blocks() > 0; ++i) {
            Vnode* pad = make(dir, ("pad-" + std::to_string(i)).c_str());
            ASSERT_TRUE(pad);
            EXPECT_EQ(write(pad, 0, std::string(4096, 'p')), 4096u);
            pad->unref();
        }
    }

    // Indirect blocks a dense file of `n` data blocks needs.
    u64 indirect_blocks(u64 n) const
    {
        const u64 nindir = m_sb.fs_nindir;
        if (n <= FFS_NDADDR)
            return 0;
        if (n <= FFS_NDADDR + nindir)
            return 1;
        return 2 + (n - FFS_NDADDR - nindir + nindir - 1) / nindir;
    }
};

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

// ---- hard links ---------------------------------------------------------------

TEST_F(FfsEdgeTest, HardLinksShareOneInodeAndCountTheirNames)
{
    const u64 before = free_blocks();
    Vnode* f = make(m_root, "f");
    Vnode* d = mkdir(m_root, "d");
    ASSERT_TRUE(f && d);
    write(f, 0, std::string(5000, 'L'));
    ASSERT_FALSE(m_root->link("g", *f).is_error());
    ASSERT_FALSE(d->link("h", *f).is_error());
    EXPECT_EQ(nlink(f), 3u);
    expect_names(m_root, "g", f);  // one in-core node per inode
    expect_names(d, "h", f);
    EXPECT_EQ(error_of(m_root->link("g", *f)), Errno::EEXIST);
    EXPECT_EQ(error_of(m_root->link("d", *f)), Errno::EEXIST);
    EXPECT_EQ(error_of(m_root->link("dir-link", *d)), Errno::EPERM);
    EXPECT_EQ(nlink(d), 2u);
    NameSink sink;
    ASSERT_FALSE(d->readdir(0, sink).is_error());
    ASSERT_EQ(sink.names.size(), 3u);
    EXPECT_EQ(sink.inos[2], ino(f));
    f->unref();
    d->unref();
    remount();
    f = find(m_root, "g");
    d = find(m_root, "d");
    ASSERT_TRUE(f && d);
    EXPECT_EQ(nlink(f), 3u);
    ASSERT_FALSE(m_root->unlink("f").is_error());
    EXPECT_EQ(nlink(f), 2u);
    ASSERT_FALSE(m_root->unlink("g").is_error());
    EXPECT_EQ(nlink(f), 1u);
    EXPECT_EQ(read(f, 4990, 100), std::string(10, 'L'));
    expect_names(d, "h", f);
    ASSERT_FALSE(d->unlink("h").is_error());
    EXPECT_EQ(nlink(f), 0u);
    // No name left, one reference: readable, not linkable, blocks kept.
    EXPECT_EQ(read(f, 0, 3), "LLL");
    EXPECT_EQ(error_of(m_root->link("back", *f)), Errno::ENOENT);
    EXPECT_LT(free_blocks(), before - 1);
    f->unref();
    EXPECT_EQ(free_blocks(), before - 1);  // d's block remains
    EXPECT_EQ(names(d).size(), 0u);
    d->unref();
}

TEST_F(FfsEdgeTest, DirectoryLinkCountsFollowSubdirectories)
{
    Vnode* d = mkdir(m_root, "d");
    ASSERT_TRUE(d);
    EXPECT_EQ(nlink(m_root), 4u);
    for (const char* name : {"e1", "e2", "e3"}) {
        Vnode* e = mkdir(d, name);
        ASSERT_TRUE(e);
        e->unref();
    }
    touch(d, "file");  // a file adds nothing to the count
    EXPECT_EQ(nlink(d), 5u);
    EXPECT_EQ(error_of(d->unlink("e1")), Errno::EISDIR);
    EXPECT_EQ(error_of(d->rmdir("file")), Errno::ENOTDIR);
    EXPECT_EQ(error_of(d->rmdir("missing")), Errno::ENOENT);
    EXPECT_EQ(error_of(d->rmdir(".")), Errno::EINVAL);
    EXPECT_EQ(error_of(d->rmdir("..")), Errno::EINVAL);
    EXPECT_EQ(error_of(m_root->rmdir("d")), Errno::ENOTEMPTY);
    ASSERT_FALSE(d->rmdir("e2").is_error());
    EXPECT_EQ(nlink(d), 4u);
    d->unref();
    remount();
    d = find(m_root, "d");
    ASSERT_TRUE(d);
    EXPECT_EQ(nlink(d), 4u);
    EXPECT_EQ(names(d), (std::vector<std::string>{"e1", "e3", "file"}));
    d->unref();
}

// ---- device nodes, FIFOs, sockets -------------------------------------------------

// Collects readdir()'s types by name.
struct TypeSink final : fs::ReaddirSink {
    bool emit(const fs::DirEntry& e) override
    {
        types[std::string(e.name.characters(), e.name.length())] = e.type;
        return true;
    }
    std::map<std::string, VType> types;
};

TEST_F(FfsEdgeTest, DeviceNodesFifosAndSocketsKeepTheirTypeAndDevice)
{
    struct Special {
        const char* name;
        VType type;
        u64 rdev;
        u32 mode;
    };
    const Special specials[] = {
        {"tty", VType::CharDevice, 0x0501, 0620},
        {"disk", VType::BlockDevice, 0x0810, 0660},
        {"pipe", VType::Fifo, 0, 0644},
        {"sock", VType::Socket, 0, 0755},
    };
    const u64 before = free_blocks();
    for (const Special& s : specials) {
        auto v = m_root->create(s.name, s.type, s.mode, s.rdev, fs::Cred{});
        ASSERT_FALSE(v.is_error()) << s.name;
        v.value()->unref();
        EXPECT_EQ(make_error(m_root, s.name, s.type), Errno::EEXIST);
    }
    EXPECT_EQ(free_blocks(), before);  // none of them holds a block
    for (int pass = 0; pass < 2; ++pass) {
        for (const Special& s : specials) {
            Vnode* v = find(m_root, s.name);
            ASSERT_TRUE(v) << s.name;
            const fs::VAttr a = attr(v);
            EXPECT_EQ(a.type, s.type) << s.name;
            EXPECT_EQ(a.rdev, s.rdev) << s.name;
            EXPECT_EQ(a.mode, s.mode) << s.name;
            EXPECT_EQ(a.size, 0u) << s.name;
            EXPECT_EQ(a.nlink, 1u) << s.name;
            EXPECT_EQ(a.blocks, 0u) << s.name;
            EXPECT_EQ(v->vm_object(), nullptr) << s.name;
            char byte = 0;
            auto w = v->write(0, fs::IoBuffer::kernel(&byte), 1);
            EXPECT_EQ(w.is_error() ? w.error() : Errno(0), Errno::EINVAL) << s.name;
            fs::VAttr size;
            EXPECT_EQ(error_of(v->setattr(size, fs::SETATTR_SIZE)), Errno::EINVAL) << s.name;
            v->unref();
        }
        // readdir says each one's type (d_type).
        TypeSink sink;
        ASSERT_FALSE(m_root->readdir(0, sink).is_error());
        for (const Special& s : specials)
            EXPECT_EQ(sink.types[s.name], s.type) << s.name;
        EXPECT_EQ(sink.types["lost+found"], VType::Directory);
        if (pass == 0)
            remount();
    }
    // A hard link to a device node is a device node.
    Vnode* tty = find(m_root, "tty");
    ASSERT_TRUE(tty);
    ASSERT_FALSE(m_root->link("console", *tty).is_error());
    Vnode* console = find(m_root, "console");
    ASSERT_TRUE(console);
    EXPECT_EQ(attr(console).rdev, 0x0501u);
    EXPECT_EQ(nlink(console), 2u);
    console->unref();
    tty->unref();
    // Removing them gives back no block: they hold none.
    const u64 now = free_blocks();
    for (const char* name : {"tty", "console", "disk", "pipe", "sock"})
        ASSERT_FALSE(m_root->unlink(name).is_error()) << name;
    EXPECT_EQ(free_blocks(), now);
}

// A device node keeps its device number where a file keeps its first
// block pointer (di_db[0]); removing the node must not free the block of
// that number -- here one that a file owns.
TEST_F(FfsEdgeTest, RemovingADeviceNodeLeavesTheBlockOfItsNumberAlone)
{
    Vnode* f = make(m_root, "owner");
    ASSERT_TRUE(f);
    write(f, 0, std::string(4096, 'o'));
    ASSERT_FALSE(f->fsync().is_error());
    const u32 owned = dinode(u32(ino(f))).di_db[0];
    ASSERT_TRUE(ffs_is_data_block(&m_sb, owned));
    const u64 before = free_blocks();
    for (VType type : {VType::CharDevice, VType::BlockDevice}) {
        auto dev = m_root->create("dev", type, 0600, owned, fs::Cred{});
        ASSERT_FALSE(dev.is_error());
        EXPECT_EQ(attr(dev.value()).rdev, owned);
        dev.value()->unref();
        ASSERT_FALSE(m_root->unlink("dev").is_error());
        EXPECT_EQ(free_blocks(), before) << "the device number was freed as a block";
    }
    // The file's block is still its own: a new file does not get it.
    Vnode* g = make(m_root, "newcomer");
    ASSERT_TRUE(g);
    write(g, 0, std::string(4096, 'n'));
    EXPECT_EQ(read(f, 0, 4), "oooo");
    g->unref();
    f->unref();
}

// ---- readdir cookies -------------------------------------------------------------

// Entries present throughout a readdir are delivered exactly once while
// other names are added and removed between the calls (cookies are byte
// offsets, and no entry moves: fs/ffs/ffs_dir.h), even across a remount.
TEST_F(FfsEdgeTest, ReaddirCookiesSurviveAddsRemovesAndARemount)
{
    Vnode* d = mkdir(m_root, "d");
    ASSERT_TRUE(d);
    std::set<std::string> keep;
    for (int i = 0; i < 60; ++i) {
        const std::string k = "keep-" + std::to_string(i) + std::string(size_t(i % 7) * 20, 'k');
        touch(d, k.c_str());
        keep.insert(k);
        touch(d, ("tmp-" + std::to_string(i)).c_str());
    }
    std::map<std::string, int> seen;
    u64 cookie = 0;
    int round = 0, added = 0;
    for (;;) {
        NameSink sink;
        sink.room = 3;
        auto next = d->readdir(cookie, sink);
        ASSERT_FALSE(next.is_error());
        for (auto& n : sink.names)
            ++seen[n];
        if (sink.names.empty())
            break;
        EXPECT_GT(next.value(), cookie);
        cookie = next.value();
        // Between the calls: remove two names, add one (it may fill a hole
        // before the cookie or after it -- either is allowed for it).
        ++round;
        for (int j = 0; j < 2; ++j) {
            const std::string t = "tmp-" + std::to_string((round * 2 + j) % 60);
            (void)d->unlink(t.c_str());
        }
        touch(d, ("new-" + std::to_string(added++) + std::string(size_t(round % 5) * 30, 'n')).c_str());
        if (round == 10) {
            const u64 d_ino = ino(d);
            d->unref();
            remount();
            d = find(m_root, "d");
            ASSERT_TRUE(d);
            EXPECT_EQ(ino(d), d_ino);
        }
    }
    EXPECT_GT(round, 20);
    EXPECT_EQ(seen["."], 1);
    EXPECT_EQ(seen[".."], 1);
    for (auto& k : keep)
        EXPECT_EQ(seen[k], 1) << k;
    for (auto& [name, count] : seen)
        EXPECT_EQ(count, 1) << name << " delivered twice";
    // A cookie past the end delivers nothing.
    NameSink tail;
    auto end = d->readdir(1u << 30, tail);
    ASSERT_FALSE(end.is_error());
    EXPECT_TRUE(tail.names.empty());
    d->unref();
}

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

// ---- damaged images, refused at mount -------------------------------------------------------

TEST_F(FfsEdgeTest, BadSuperblockMagicIsEinval)
{
    EXPECT_EQ(mount_after([&] {
                  reinterpret_cast<ffs_superblock*>(m_disk->sector(FFS_SBOFF / 512))->fs_magic ^= 1;
              }),
              Errno::EINVAL);
    EXPECT_TRUE(console_says("not mountable")) << kern::host::last_console_line();
}

TEST_F(FfsEdgeTest, RootThatIsNotADirectoryIsEuclean)
{
    EXPECT_EQ(mount_after([&] {
                  ffs_dinode root = dinode(FFS_ROOTINO);
                  root.di_mode = u16(FFS_IFREG | 0755);
                  put_dinode(FFS_ROOTINO, root);
              }),
              Errno::EUCLEAN);
    EXPECT_TRUE(console_says("inode 2: the root is not a directory")) << kern::host::last_console_line();
}

TEST_F(FfsEdgeTest, DirectoryBlockPointerOutOfRangeIsEuclean)
{
    EXPECT_EQ(mount_after([&] {
                  ffs_dinode lf = dinode(3);  // lost+found
                  lf.di_db[0] = m_sb.fs_size + 100;
                  put_dinode(3, lf);
              }),
              Errno::EUCLEAN);
    EXPECT_TRUE(console_says("inode 3: a block pointer outside the data area")) << kern::host::last_console_line();
}

TEST_F(FfsEdgeTest, DirectoryBlockPointerIntoTheInodeTableIsEuclean)
{
    EXPECT_EQ(mount_after([&] {
                  ffs_dinode root = dinode(FFS_ROOTINO);
                  root.di_db[0] = ffs_cgimin(&m_sb, 0);
                  put_dinode(FFS_ROOTINO, root);
              }),
              Errno::EUCLEAN);
    EXPECT_TRUE(console_says("inode 2: a block pointer outside the data area")) << kern::host::last_console_line();
}

TEST_F(FfsEdgeTest, DamagedDirectoryBlockIsEuclean)
{
    EXPECT_EQ(mount_after([&] {
                  ffs_dinode lf = dinode(3);
                  auto* dotdot = reinterpret_cast<ffs_direct*>(disk_block(lf.di_db[0]) + 12);
                  dotdot->d_reclen = 7;  // not a multiple of 4, not to the chunk's end
              }),
              Errno::EUCLEAN);
    EXPECT_TRUE(console_says("inode 3: ")) << kern::host::last_console_line();
}

TEST_F(FfsEdgeTest, DirectoryEntryNamingAFreeInodeIsEuclean)
{
    EXPECT_EQ(mount_after([&] {
                  ffs_dinode root = dinode(FFS_ROOTINO);
                  // The root's third entry is lost+found (a directory): point it at a free inode.
                  auto* dot = reinterpret_cast<ffs_direct*>(disk_block(root.di_db[0]));
                  auto* dotdot = reinterpret_cast<ffs_direct*>(disk_block(root.di_db[0]) + dot->d_reclen);
                  auto* lf = reinterpret_cast<ffs_direct*>(reinterpret_cast<u8*>(dotdot) + dotdot->d_reclen);
                  ASSERT_EQ(std::string(lf->d_name, lf->d_namlen), "lost+found");
                  lf->d_ino = 20;
              }),
              Errno::EUCLEAN);
    EXPECT_TRUE(console_says("inode 20: a directory entry names a free inode")) << kern::host::last_console_line();
}

TEST_F(FfsEdgeTest, GroupHeaderWithABadMagicIsEuclean)
{
    EXPECT_EQ(mount_after([&] { group(0)->cg_magic = 0x12345678; }), Errno::EUCLEAN);
    EXPECT_TRUE(console_says("group 0: bad header")) << kern::host::last_console_line();
}

TEST_F(FfsEdgeTest, GroupCountsThatDisagreeWithTheBitmapsAreEuclean)
{
    EXPECT_EQ(mount_after([&] { group(0)->cg_cs.cs_nbfree += 1; }), Errno::EUCLEAN);
    EXPECT_TRUE(console_says("group 0: free counts disagree with the bitmaps")) << kern::host::last_console_line();
}

TEST_F(FfsEdgeTest, GroupInodeCountThatDisagreesWithTheBitmapIsEuclean)
{
    EXPECT_EQ(mount_after([&] { group(0)->cg_cs.cs_nifree -= 1; }), Errno::EUCLEAN);
    EXPECT_TRUE(console_says("free counts disagree with the bitmaps")) << kern::host::last_console_line();
}

TEST_F(FfsEdgeTest, ARefusedMountLeavesTheDeviceFreeForTheNextOne)
{
    const u32 magic = group(0)->cg_magic;
    EXPECT_EQ(mount_after([&] { group(0)->cg_magic = 0; }), Errno::EUCLEAN);
    group(0)->cg_magic = magic;  // repaired: mounts, and the image is clean again
    m_check_image = true;
    mount_ok();
}

// ---- damage made while mounted: EIO, never a crash ----------------------------------------

// The file's single indirect block, written to the disk and dropped from
// every cache, is overwritten on the disk with pointers out of range.
TEST_F(FfsEdgeTest, DamagedIndirectBlockWhileMountedIsEio)
{
    Vnode* f = make(m_root, "f");
    ASSERT_TRUE(f);
    write(f, 0, "direct");
    write(f, 20 * 4096, "indirect");
    const u32 n = u32(ino(f));
    ASSERT_FALSE(f->fsync().is_error());
    f->unref();
    m_ffs->drop_caches();
    const ffs_dinode din = dinode(n);
    ASSERT_NE(din.di_ib[0], 0u);
    auto* entries = reinterpret_cast<u32*>(disk_block(din.di_ib[0]));
    ASSERT_NE(entries[20 - FFS_NDADDR], 0u);
    entries[20 - FFS_NDADDR] = m_sb.fs_size + 5;  // past the image
    entries[21 - FFS_NDADDR] = ffs_cgtod(&m_sb, 0);  // the group header: metadata
    m_check_image = false;
    kern::host::clear_console();
    f = find(m_root, "f");
    ASSERT_TRUE(f);
    EXPECT_EQ(read(f, 0, 6), "direct");  // the rest of the file still reads
    std::string buf(16, '\0');
    auto r = f->read(20 * 4096, fs::IoBuffer::kernel(buf.data()), buf.size());
    EXPECT_EQ(r.is_error() ? r.error() : Errno(0), Errno::EIO);
    EXPECT_TRUE(console_says("a block pointer outside the data area")) << kern::host::last_console_line();
    auto w = f->write(21 * 4096, fs::IoBuffer::kernel(buf.data()), buf.size());
    EXPECT_EQ(w.is_error() ? w.error() : Errno(0), Errno::EIO);
    // Truncating leaves the bad pointers alone (never frees a metadata block).
    truncate(f, 0);
    EXPECT_TRUE(console_says("left alone")) << kern::host::last_console_line();
    f->unref();
    EXPECT_EQ(group(0)->cg_magic, FFS_CG_MAGIC);
}

// A directory's block, damaged on the disk after the caches dropped it:
// every operation that reads it is EIO with a console line.
TEST_F(FfsEdgeTest, DamagedDirectoryBlockWhileMountedIsEio)
{
    Vnode* d = mkdir(m_root, "d");
    ASSERT_TRUE(d);
    touch(d, "x");
    const u32 n = u32(ino(d));
    d->unref();
    ASSERT_FALSE(m_ffs->sync().is_error());
    m_ffs->drop_caches();
    const ffs_dinode din = dinode(n);
    auto* dotdot = reinterpret_cast<ffs_direct*>(disk_block(din.di_db[0]) + 12);
    dotdot->d_reclen = 3;
    m_check_image = false;
    kern::host::clear_console();
    d = find(m_root, "d");
    ASSERT_TRUE(d);
    EXPECT_EQ(lookup_error(d, "x"), Errno::EIO);
    EXPECT_TRUE(console_says("inode ")) << kern::host::last_console_line();
    EXPECT_EQ(make_error(d, "y"), Errno::EIO);
    EXPECT_EQ(error_of(d->unlink("x")), Errno::EIO);
    NameSink sink;
    auto r = d->readdir(0, sink);
    EXPECT_EQ(r.is_error() ? r.error() : Errno(0), Errno::EIO);
    EXPECT_EQ(error_of(m_root->rmdir("d")), Errno::EIO);
    EXPECT_EQ(error_of(m_root->rename("lost+found", *d, "lf", 0)), Errno::EIO);
    EXPECT_EQ(lookup_error(m_root, "lost+found"), Errno(0));  // nothing moved
    d->unref();
}

// A disk that fails reads: EIO from the pager, and the next read (the
// disk healed) works -- a failed read leaves nothing cached.
TEST_F(FfsEdgeTest, ReadErrorFromTheDiskIsEioThenRecovers)
{
    Vnode* f = make(m_root, "f");
    ASSERT_TRUE(f);
    write(f, 0, std::string(8192, 'r'));
    const u32 n = u32(ino(f));
    ASSERT_FALSE(f->fsync().is_error());
    f->unref();
    m_ffs->drop_caches();
    const ffs_dinode din = dinode(n);
    m_disk->fail_sector(m_sb.fs_bsize / 512 * u64(din.di_db[1]));
    f = find(m_root, "f");
    ASSERT_TRUE(f);
    std::string buf(10, '\0');
    auto r = f->read(4096, fs::IoBuffer::kernel(buf.data()), buf.size());
    EXPECT_EQ(r.is_error() ? r.error() : Errno(0), Errno::EIO);
    m_disk->heal();
    EXPECT_EQ(read(f, 4096, 10), std::string(10, 'r'));
    f->unref();
}

} // namespace
} // namespace ffskt
