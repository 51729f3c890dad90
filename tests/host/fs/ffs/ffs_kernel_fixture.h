// tests/host/fs/ffs/ffs_kernel_fixture.h -- the kernel's FFS on the host:
// an image made by newfs's code (ffs_mkfs) on a fake disk, mounted with
// FfsMount, driven through the Vnode interface, unmounted, and checked by
// fsck_ffs's code (ffs_fsck) -- the same checker the guest runs.
//
// FfsKernelTest extends vmtest::VmTest (a page allocator and heap over a
// host buffer, with leak checks after each test). The fake disk
// (tests/host/fs/block/fake_disk.h) completes its queue whenever a thread
// waits, so synchronous I/O works as on md. TearDown unmounts (if mounted),
// then checks the image with fsck and the VM for leaks: every test ends
// with a consistent image and no lost page.
#pragma once

#include "../../vm/vm_fixture.h"
#include "../block/fake_disk.h"
#include "user/tools/ffs_lib.h"

#include <fs/block/bufcache.h>
#include <fs/ffs/ffs_mount.h>
#include <fs/vfs/vnode.h>
#include <string>
#include <vector>

namespace ffskt {

using fs::Vnode;
using fs::VType;
using fs::ffs::FfsMount;
using kern::Errno;

// Collects readdir() entries.
struct NameSink final : fs::ReaddirSink {
    bool emit(const fs::DirEntry& e) override
    {
        if (taken == room)
            return false;
        ++taken;
        names.emplace_back(e.name.characters(), e.name.length());
        inos.push_back(e.ino);
        next = e.next_cookie;
        return true;
    }
    size_t room = ~size_t(0);
    size_t taken = 0;
    u64 next = 0;
    std::vector<std::string> names;
    std::vector<u64> inos;
};

class FfsKernelTest : public vmtest::VmTest {
protected:
    static constexpr u64 DISK_BYTES = 16ull << 20;

    void SetUp() override
    {
        VmTest::SetUp();
        m_disk = std::make_unique<block::test::FakeDisk>(DISK_BYTES / block::DEV_BSIZE);
        m_running = std::make_unique<block::test::DiskRunsWhileWaiting>(*m_disk);
        newfs();
        mount_ok();
    }

    void TearDown() override
    {
        if (m_ffs)
            unmount_ok();
        if (m_check_image) {
            EXPECT_EQ(fsck(), FFS_FSCK_CLEAN) << m_report;
        }
        block::bufcache().invalidate(*m_disk);
        m_running.reset();
        VmTest::TearDown();
    }

    // A fresh file system on the disk (bsize/fpg 0: the defaults).
    void newfs(uint32_t fpg = 0, uint32_t bpi = 0)
    {
        ffs_image img;
        ffs_image_mem(&img, m_disk->sector(0), DISK_BYTES);
        ffs_mkfs_params p = {};
        p.fpg = fpg;
        p.bytes_per_inode = bpi;
        p.now = 1000000000;
        char err[200] = "";
        ASSERT_EQ(ffs_mkfs(&img, &p, &m_sb, err, sizeof err), 0) << err;
    }

    kern::ErrorOr<FfsMount*> try_mount() { return FfsMount::mount(*m_disk, ""); }

    void mount_ok()
    {
        auto m = try_mount();
        ASSERT_FALSE(m.is_error()) << kern::errno_name(m.error());
        m_ffs = m.value();
        m_root = m_ffs->root();
    }

    void unmount_ok()
    {
        m_root->unref();
        m_root = nullptr;
        auto r = m_ffs->unmount();
        ASSERT_FALSE(r.is_error()) << kern::errno_name(r.error());
        delete m_ffs;
        m_ffs = nullptr;
    }

    void remount()
    {
        unmount_ok();
        mount_ok();
    }

    // fsck -n of the disk's image; the report in m_report.
    int fsck()
    {
        ffs_image img;
        ffs_image_mem(&img, m_disk->sector(0), DISK_BYTES);
        char* buf = nullptr;
        size_t len = 0;
        FILE* out = open_memstream(&buf, &len);
        ffs_fsck_options opts = {};
        opts.readonly = 1;
        int status = ffs_fsck(&img, &opts, out);
        fclose(out);
        m_report.assign(buf, len);
        free(buf);
        return status;
    }

    // ---- Vnode helpers (each returns the referenced vnode or asserts) ----
    static Vnode* make(Vnode* dir, const char* name, VType type = VType::Regular, u32 mode = 0644)
    {
        auto v = dir->create(name, type, mode, 0, fs::Cred{});
        EXPECT_FALSE(v.is_error()) << name << ": " << (v.is_error() ? kern::errno_name(v.error()) : "");
        return v.is_error() ? nullptr : v.value();
    }
    static Vnode* find(Vnode* dir, const char* name)
    {
        auto v = dir->lookup(name);
        return v.is_error() ? nullptr : v.value();
    }
    static Errno lookup_error(Vnode* dir, const char* name)
    {
        auto v = dir->lookup(name);
        if (!v.is_error()) {
            v.value()->unref();
            return Errno(0);
        }
        return v.error();
    }
    static size_t write(Vnode* v, u64 off, const std::string& data)
    {
        auto n = v->write(off, fs::IoBuffer::kernel(const_cast<char*>(data.data())), data.size());
        EXPECT_FALSE(n.is_error()) << (n.is_error() ? kern::errno_name(n.error()) : "");
        return n.is_error() ? 0 : n.value();
    }
    static std::string read(Vnode* v, u64 off, size_t n)
    {
        std::string out(n, '\0');
        auto got = v->read(off, fs::IoBuffer::kernel(out.data()), n);
        EXPECT_FALSE(got.is_error()) << (got.is_error() ? kern::errno_name(got.error()) : "");
        out.resize(got.is_error() ? 0 : got.value());
        return out;
    }
    static std::vector<std::string> list(Vnode* dir)
    {
        NameSink sink;
        auto r = dir->readdir(0, sink);
        EXPECT_FALSE(r.is_error());
        return sink.names;
    }
    static fs::VAttr attr(Vnode* v)
    {
        auto a = v->getattr();
        EXPECT_FALSE(a.is_error());
        return a.is_error() ? fs::VAttr{} : a.value();
    }
    u64 free_blocks()
    {
        auto st = m_ffs->statvfs();
        return st.is_error() ? 0 : st.value().bfree;
    }

    std::unique_ptr<block::test::FakeDisk> m_disk;
    std::unique_ptr<block::test::DiskRunsWhileWaiting> m_running;
    ffs_superblock m_sb = {};
    FfsMount* m_ffs = nullptr;
    Vnode* m_root = nullptr;
    bool m_check_image = true;
    std::string m_report;
};

} // namespace ffskt
