// tests/host/fs/ffs/ffs_names_test.cpp -- the kernel's FFS at its edges: names and what they name: hard links and
// link counts, device nodes, FIFOs and sockets, and readdir cookies while
// names come and go (and across a remount).
// The fixtures: ffs_edge_fixture.h.
#include "ffs_edge_fixture.h"

namespace ffskt {
namespace {

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

} // namespace
} // namespace ffskt
