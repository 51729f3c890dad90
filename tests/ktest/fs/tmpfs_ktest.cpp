// tests/ktest/fs/tmpfs_ktest.cpp -- tmpfs in the kernel (suite tmpfs).
//
// The logic is tested on the host (tests/host/fs/tmpfs/); here the same code
// runs with the kernel's allocator, heap, sleeping Mutex and threads: a
// tmpfs is made through its FileSystemType's create(), used at the Vnode
// level, and deleted; the runner checks that free pages and heap bytes are
// back after each case. The cases that need real threads are here only:
// truncate waiting for a page hold (fs/ubc/ubc.h), and readdir by cookie
// while other threads add and remove entries.
#include <arch/time.h>
#include <fs/tmpfs/tmpfs.h>
#include <fs/vfs/vnode.h>
#include <kernel/base/ktest/ktest.h>
#include <kernel/base/lib/format.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/sched/sched.h>
#include <kernel/base/sched/thread.h>
#include <vm/object.h>
#include <kernel/base/page/page_allocator.h>
#include <vm/stats.h>

using namespace fs;
using kern::MutexGuard;
using kern::Thread;

namespace {

FileSystem* make_tmpfs(const char* options) { return MUST(tmpfs::tmpfs_type().create(options)); }

void drop(FileSystem* tmpfs, Vnode* root)
{
    root->unref();
    MUST(tmpfs->unmount());
    delete tmpfs;
}

size_t free_pages() { return vm::page_allocator().stats().free; }

void name_of(char* buf, const char* prefix, int i) { kern::snprintf(buf, 32, "%s%d", prefix, i); }

} // namespace

KTEST(tmpfs, mount_write_read_unmount)
{
    FileSystem* tmpfs = make_tmpfs("size=1m,nodes=16");
    Vnode* root = tmpfs->root();
    Vnode* file = MUST(root->create("data", VType::Regular, 0644, 0, Cred{}));
    static u8 out[3 * PAGE_SIZE], in[3 * PAGE_SIZE];
    for (size_t i = 0; i < sizeof out; ++i)
        out[i] = u8(i * 7);
    KEXPECT_EQ(MUST(file->write(100, IoBuffer::kernel(out), sizeof out)), sizeof out);
    KEXPECT_EQ(MUST(file->read(100, IoBuffer::kernel(in), sizeof in)), sizeof in);
    KEXPECT(memcmp(in, out, sizeof in) == 0);
    KEXPECT_EQ(MUST(file->getattr()).size, 100 + sizeof out);
    StatVfs st = MUST(tmpfs->statvfs());
    KEXPECT_EQ(st.blocks - st.bfree, 4u);  // 100 + 12288 bytes span 4 pages
    KEXPECT_EQ(st.files - st.ffree, 2u);
    file->unref();
    drop(tmpfs, root);
}

KTEST(tmpfs, unlink_gives_memory_back_at_once)
{
    FileSystem* tmpfs = make_tmpfs("");
    Vnode* root = tmpfs->root();
    Vnode* file = MUST(root->create("big", VType::Regular, 0644, 0, Cred{}));
    static u8 chunk[PAGE_SIZE];
    memset(chunk, 0x5a, sizeof chunk);
    const size_t before = free_pages();
    for (u64 i = 0; i < 64; ++i)
        MUST(file->write(i * PAGE_SIZE, IoBuffer::kernel(chunk), PAGE_SIZE));
    KEXPECT(before - free_pages() >= 64);
    file->unref();
    MUST(root->unlink("big"));
    KEXPECT(free_pages() >= before);  // the aobj and its 64 pages went with the name
    drop(tmpfs, root);
}

namespace {

struct HoldCase {
    Vnode* file;
    volatile bool done = false;
};

void truncate_to_zero(void* arg)
{
    auto* c = static_cast<HoldCase*>(arg);
    VAttr attr;
    attr.size = 0;
    MUST(c->file->setattr(attr, SETATTR_SIZE));
    c->done = true;
}

} // namespace

// A page held by a copy in progress is not freed under it: truncate waits
// for the hold to go (AnonObject::put_pages_locked -> wait_for_holds_locked).
KTEST(tmpfs, truncate_waits_for_a_page_hold)
{
    FileSystem* tmpfs = make_tmpfs("");
    Vnode* root = tmpfs->root();
    Vnode* file = MUST(root->create("held", VType::Regular, 0644, 0, Cred{}));
    MUST(file->write(0, IoBuffer::kernel("held page"), 9));
    vm::VmObject& object = *file->vm_object();
    vm::Page* page;
    {
        MutexGuard guard(object.lock());
        page = object.lookup_page_locked(0);
        object.hold_page_locked(*page);  // what ubc_read does around its copy
    }
    HoldCase c{file};
    Thread* t = MUST(Thread::create("truncate", truncate_to_zero, &c));
    t->start();
    kern::sleep_ns(30000000);
    KEXPECT(!c.done);  // still waiting for the hold
    {
        MutexGuard guard(object.lock());
        object.release_hold_locked(*page);
    }
    t->join();
    KEXPECT(c.done);
    {
        MutexGuard guard(object.lock());
        KEXPECT_EQ(object.resident_pages_locked(), 0u);
    }
    file->unref();
    drop(tmpfs, root);
}

namespace {

struct Churn {
    Vnode* dir;
    int id;
};

// Create and remove names in the shared directory, 150 times.
void churn(void* arg)
{
    auto* c = static_cast<Churn*>(arg);
    char name[32];
    for (int i = 0; i < 150; ++i) {
        kern::snprintf(name, sizeof name, "t%d-%d", c->id, i);
        MUST(c->dir->create(name, VType::Regular, 0644, 0, Cred{}))->unref();
        if (i % 2 == 0)
            MUST(c->dir->unlink(name));
        kern::yield();
    }
}

struct CountingSink final : ReaddirSink {
    u8 seen[200] = {};  // keep0 .. keep199
    size_t taken = 0;
    bool emit(const DirEntry& e) override
    {
        if (taken == 7)
            return false;
        ++taken;
        u64 n;
        if (e.name.starts_with("keep") && e.name.substring(4).to_unsigned(n) && n < 200)
            ++seen[n];
        return true;
    }
};

} // namespace

// readdir continued by cookie sees each entry present throughout exactly
// once while three threads add and remove names in the same directory.
KTEST(tmpfs, readdir_cookies_under_concurrent_churn)
{
    FileSystem* tmpfs = make_tmpfs("nodes=2000");
    Vnode* root = tmpfs->root();
    char name[32];
    for (int i = 0; i < 200; ++i) {
        name_of(name, "keep", i);
        MUST(root->create(name, VType::Regular, 0644, 0, Cred{}))->unref();
    }
    Churn churns[3] = {{root, 0}, {root, 1}, {root, 2}};
    Thread* threads[3];
    for (int i = 0; i < 3; ++i) {
        threads[i] = MUST(Thread::create("churn", churn, &churns[i]));
        threads[i]->start();
    }
    CountingSink sink;
    u64 cookie = 0;
    for (;;) {
        sink.taken = 0;
        cookie = MUST(root->readdir(cookie, sink));
        if (sink.taken == 0)
            break;
        kern::yield();
    }
    for (Thread* t : threads)
        t->join();
    bool once = true;
    for (int i = 0; i < 200; ++i)
        once = once && sink.seen[i] == 1;
    KEXPECT(once);
    for (int i = 0; i < 200; ++i) {
        name_of(name, "keep", i);
        MUST(root->unlink(name));
    }
    for (int t = 0; t < 3; ++t)
        for (int i = 1; i < 150; i += 2) {
            kern::snprintf(name, sizeof name, "t%d-%d", t, i);
            MUST(root->unlink(name));
        }
    drop(tmpfs, root);
}

// 10,000 names: every lookup finds its node (the growing hash index).
KTEST(tmpfs, ten_thousand_entries)
{
    FileSystem* tmpfs = make_tmpfs("nodes=20000");
    Vnode* root = tmpfs->root();
    char name[32];
    for (int i = 0; i < 10000; ++i) {
        name_of(name, "n", i);
        MUST(root->create(name, VType::Regular, 0644, 0, Cred{}))->unref();
    }
    const u64 start = arch::monotonic_ns();
    bool all = true;
    for (int i = 0; i < 10000; ++i) {
        name_of(name, "n", i);
        auto v = root->lookup(name);
        all = all && !v.is_error();
        if (!v.is_error())
            v.value()->unref();
    }
    const u64 ns = arch::monotonic_ns() - start;
    KEXPECT(all);
    KEXPECT(ns / 10000 < 200000);  // well under 0.2 ms each, even under TCG
    for (int i = 0; i < 10000; ++i) {
        name_of(name, "n", i);
        MUST(root->unlink(name));
    }
    drop(tmpfs, root);
}
