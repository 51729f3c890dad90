// tests/host/fs/ffs/ffs_edge_fixture.h -- the fixtures of the FFS edge tests
// (ffs_rename_test.cpp, ffs_names_test.cpp, ffs_space_test.cpp,
// ffs_damage_test.cpp): FfsKernelTest (ffs_kernel_fixture.h) with helpers
// for directories, link counts, raw image access and free counts, and
// FfsFullDiskTest, with memory enough to hold the whole disk in the page
// cache. Every test still ends with fsck_ffs's checker and the VM's leak
// check, unless it damaged the image on purpose.
#pragma once

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

} // namespace ffskt
