// tests/host/fs/tmpfs/tmpfs_fixture.h -- a tmpfs on the host VM test bed.
//
// TmpfsTest extends vmtest::VmTest (tests/host/vm/vm_fixture.h: a page
// allocator and heap over a host buffer, with leak checks after each test)
// with one mounted TmpfsMount, made through the registered-type path's own
// factory (TmpfsMount::create) and deleted after the test -- before the
// VmTest checks, so a node, entry or page that tmpfs failed to free shows
// up there as a leak. Helpers wrap the Vnode calls the tests repeat.
#pragma once

#include "../../vm/vm_fixture.h"

#include <fs/tmpfs/tmpfs_mount.h>
#include <fs/vfs/vnode.h>
#include <string>
#include <vector>
#include <vm/aobj.h>

namespace tmpfstest {

using fs::Vnode;
using fs::VType;
using fs::tmpfs::TmpfsMount;
using kern::Errno;

// Collects readdir() entries; takes at most `room` per call.
struct VectorSink final : fs::ReaddirSink {
    struct Item {
        std::string name;
        u64 ino;
        VType type;
        u64 next;
    };
    explicit VectorSink(size_t room_ = ~size_t(0)) : room(room_) {}
    bool emit(const fs::DirEntry& e) override
    {
        if (taken == room)
            return false;
        ++taken;
        items.push_back({std::string(e.name.characters(), e.name.length()), e.ino, e.type,
                         e.next_cookie});
        return true;
    }
    size_t room;
    size_t taken = 0;
    std::vector<Item> items;
};

class TmpfsTest : public vmtest::VmTest {
protected:
    void SetUp() override
    {
        VmTest::SetUp();
        mount("");
    }
    void TearDown() override
    {
        unmount();
        VmTest::TearDown();
    }

    // Replace the mount by one made with `options`.
    void mount(const char* options)
    {
        unmount();
        auto made = TmpfsMount::create(options);
        ASSERT_FALSE(made.is_error());
        m_fs = made.value();
        m_root = m_fs->root();
    }
    void unmount()
    {
        if (!m_fs)
            return;
        m_root->unref();
        EXPECT_FALSE(m_fs->unmount().is_error());
        delete m_fs;
        m_fs = nullptr;
    }

    Vnode* create(Vnode* dir, const char* name, VType type = VType::Regular)
    {
        auto r = dir->create(name, type, 0644, 0, fs::Cred{});
        EXPECT_FALSE(r.is_error()) << name << ": " << int(r.is_error() ? r.error() : Errno(0));
        return r.is_error() ? nullptr : r.value();
    }
    Vnode* mkdir(Vnode* dir, const char* name) { return create(dir, name, VType::Directory); }
    // Create and drop the reference (the name keeps the node).
    void touch_file(Vnode* dir, const char* name) { create(dir, name)->unref(); }

    // Errno of a lookup, or 0 and the node (referenced) in *out.
    Errno lookup_errno(Vnode* dir, const char* name, Vnode** out = nullptr)
    {
        auto r = dir->lookup(name);
        if (r.is_error())
            return r.error();
        if (out)
            *out = r.value();
        else
            r.value()->unref();
        return Errno(0);
    }
    Vnode* lookup(Vnode* dir, const char* name)
    {
        Vnode* v = nullptr;
        EXPECT_EQ(lookup_errno(dir, name, &v), Errno(0)) << name;
        return v;
    }
    fs::VAttr attr(Vnode* v) { return MUST(v->getattr()); }
    u64 ino(Vnode* v) { return attr(v).ino; }

    size_t write(Vnode* v, u64 offset, const std::string& data)
    {
        auto r = v->write(offset, fs::IoBuffer::kernel(data.data()), data.size());
        EXPECT_FALSE(r.is_error());
        return r.is_error() ? 0 : r.value();
    }
    std::string read(Vnode* v, u64 offset, size_t n)
    {
        std::string out(n, '\xee');
        auto r = v->read(offset, fs::IoBuffer::kernel(out.data()), n);
        EXPECT_FALSE(r.is_error());
        out.resize(r.is_error() ? 0 : r.value());
        return out;
    }
    std::vector<std::string> names(Vnode* dir)
    {
        VectorSink sink;
        MUST(dir->readdir(0, sink));
        std::vector<std::string> out;
        for (auto& item : sink.items)
            out.push_back(item.name);
        return out;
    }
    size_t resident(Vnode* v)
    {
        vm::VmObject* object = v->vm_object();
        kern::MutexGuard guard(object->lock());
        return object->resident_pages_locked();
    }
    void truncate(Vnode* v, u64 size)
    {
        fs::VAttr a;
        a.size = size;
        MUST(v->setattr(a, fs::SETATTR_SIZE));
    }
    static bool later(const fs::Timespec& a, const fs::Timespec& b)
    {
        return a.sec > b.sec || (a.sec == b.sec && a.nsec > b.nsec);
    }
    static bool same(const fs::Timespec& a, const fs::Timespec& b)
    {
        return a.sec == b.sec && a.nsec == b.nsec;
    }

    TmpfsMount* m_fs = nullptr;
    Vnode* m_root = nullptr;
};

} // namespace tmpfstest
