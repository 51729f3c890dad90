// tests/host/fs/ffs/ffs_model_test.cpp -- the kernel's FFS against a model.
//
// Thousands of random namespace and data operations run on the kernel's FFS
// (on the fake disk of ffs_kernel_fixture.h) and on a small in-memory
// reference model, and every answer is compared: the errno of each call,
// the bytes read, sizes, link counts, readdir's names, inode numbers and
// types, symlink targets. The model is what POSIX says a file system is:
//
//   Model::nodes   id -> MNode { kind, bytes (a file) or target (a symlink),
//                                name -> id (a directory), parent, nlink,
//                                the kernel's inode number }
//
// It keeps nodes by id rather than by path (a path-keyed map would have to
// rewrite a whole subtree on each directory rename, and cannot say that two
// names are one file); paths are computed from the root when an operation
// needs the kernel's vnode. The model never holds a kernel reference across
// operations, so a node whose last name goes is gone, as in the kernel.
//
// Every ~1000 operations the file system is unmounted and mounted again and
// the whole tree is compared (every byte that holds data, samples of the
// holes, and the block and inode accounting: bfree plus the blocks of every
// file is a constant); halfway, fsck_ffs's checker must also find the
// unmounted image clean (the fixture checks it again at the end).
//
// The operations (weights in run_one()): create, mkdir, mknod of a FIFO,
// symlink (short, in a block, and too long), write (near the end, at block
// edges, far away in the single- and double-indirect ranges: sparse files),
// read, truncate up and down, unlink (also of a file still referenced),
// rmdir (empty, not empty, ".", ".."), rename (files and directories, over
// existing names, into subdirectories and into its own subtree, with
// RENAME_NOREPLACE and RENAME_EXCHANGE), link, readlink, readdir (whole, or
// a few entries per call), getattr, operations on the wrong type of file,
// lookups of missing names, sync and drop_caches.
//
// Seeds: FFS_MODEL_SEED=n runs seed n (default: a fixed seed, so the test
// is deterministic); FFS_MODEL_OPS=n the number of operations (default
// 4000: about 8 s under ASan on a loaded machine -- the model's tree grows
// deep, and each operation walks it); FFS_MODEL_WATCH=ino compares that
// file after every operation, to find the one that broke it. Every
// failure message carries the seed, and the first failure prints the last
// operations before it.
#include "ffs_model.h"

#include <gtest/gtest.h>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <set>

namespace ffskt {
namespace {

using namespace model;

struct Unref {
    void operator()(Vnode* v) const { v->unref(); }
};
using VRef = std::unique_ptr<Vnode, Unref>;

const char* ename(Errno e) { return e == Errno(0) ? "ok" : kern::errno_name(e); }

template <typename T>
Errno error_of(const kern::ErrorOr<T>& r)
{
    return r.is_error() ? r.error() : Errno(0);
}

class FfsModelTest : public FfsKernelTest {
protected:
    // Every page written between two remounts stays resident (nothing
    // pages out on the host), and files reach the double-indirect range.
    static constexpr size_t FRAMES = 8192;  // 32 MiB
    static constexpr int HISTORY = 12;

    void SetUp() override
    {
        make_memory(FRAMES);  // VmTest::SetUp's job, with more frames
        m_disk = std::make_unique<block::test::FakeDisk>(DISK_BYTES / block::DEV_BSIZE);
        m_running = std::make_unique<block::test::DiskRunsWhileWaiting>(*m_disk);
        newfs();
        mount_ok();
        // The fresh image: the root and lost+found.
        MNode root;
        root.kind = Kind::Dir;
        root.parent = Model::ROOT;
        root.nlink = 3;
        root.ino = FFS_ROOTINO;
        m_model.nodes.emplace(Model::ROOT, root);
        VRef lf(find(m_root, "lost+found"));
        ASSERT_TRUE(lf);
        MNode lost;
        lost.kind = Kind::Dir;
        lost.parent = Model::ROOT;
        lost.nlink = 2;
        lost.ino = attr(lf.get()).ino;
        m_model.at(Model::ROOT).entries["lost+found"] = m_model.add(lost);
        // What every file's blocks and the free count add up to, and the
        // inodes likewise.
        m_block_total = free_blocks() + blocks_of(m_root) + blocks_of(lf.get());
        m_inode_total = free_inodes() + 2;
    }

    // ---- randomness ----
    u64 below(u64 n) { return n ? m_rng() % n : 0; }
    bool chance(u32 percent) { return below(100) < percent; }
    template <typename T>
    const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }

    // A name: mostly short ones from a small pool (so names collide), some
    // long ones (so directories grow past a chunk and a block).
    std::string random_name()
    {
        if (chance(80))
            return std::string(1, char('a' + below(8)));
        const u64 i = below(6);
        return "long-" + std::to_string(i) + "-" + std::string(150 + i * 17, char('p' + i));
    }

    // ---- the kernel side ----
    static u64 blocks_of(Vnode* v) { return attr(v).blocks / (BSIZE / 512); }
    u64 free_inodes()
    {
        auto st = m_ffs->statvfs();
        return st.is_error() ? 0 : st.value().ffree;
    }
    // The vnode at `path` (which the model says exists).
    VRef resolve(const std::vector<std::string>& path)
    {
        m_root->ref();
        VRef at(m_root);
        for (const std::string& name : path) {
            auto next = at->lookup(name.c_str());
            EXPECT_FALSE(next.is_error()) << "lookup " << name << ": " << kern::errno_name(error_of(next));
            if (next.is_error())
                return nullptr;
            at.reset(next.value());
        }
        return at;
    }
    VRef resolve(const Model::Place& p) { return resolve(p.path); }
    VRef resolve(const Model::Entry& e)
    {
        auto path = e.dir.path;
        path.push_back(e.name);
        return resolve(path);
    }
    static std::string where(const Model::Place& p)
    {
        std::string s;
        for (auto& n : p.path)
            s += "/" + (n.size() > 12 ? n.substr(0, 12) + "..." : n);
        return s.empty() ? "/" : s;
    }
    static std::string where(const Model::Entry& e)
    {
        const std::string d = where(e.dir);
        return d + (d == "/" ? "" : "/") + (e.name.size() > 12 ? e.name.substr(0, 12) + "..." : e.name);
    }
    static std::string short_name(const std::string& n) { return n.size() > 12 ? n.substr(0, 12) + "..." : n; }

    // ---- choosing what to act on ----
    Model::Place random_dir() { return pick(m_model.dirs()); }
    // An entry, preferring `kind` when `prefer` percent says so; false if none.
    bool random_entry(Model::Entry& out, Kind kind, u32 prefer)
    {
        auto all = m_model.entries();
        if (all.empty())
            return false;
        if (chance(prefer)) {
            std::vector<Model::Entry> of_kind;
            for (auto& e : all)
                if (m_model.at(e.id).kind == kind)
                    of_kind.push_back(e);
            if (!of_kind.empty()) {
                out = pick(of_kind);
                return true;
            }
        }
        out = pick(all);
        return true;
    }

    // ---- the operations; each returns what it did, for the failure log ----
    std::string op_create(Kind kind);
    std::string op_symlink();
    std::string op_write();
    std::string op_read();
    std::string op_truncate();
    std::string op_unlink();
    std::string op_unlink_open();
    std::string op_rmdir();
    std::string op_rename();
    std::string op_link();
    std::string op_readlink();
    std::string op_readdir();
    std::string op_getattr();
    std::string op_wrong_type();
    std::string op_lookup_missing();
    std::string op_sync();
    std::string run_one();

    // ---- comparing ----
    void check_node(const Model::Entry& e, Vnode* v);
    void check_file_data(int id, Vnode* v, bool every_block);
    void check_dir_listing(const Model::Place& d, Vnode* v, size_t room);
    void verify_all();
    void remount_and_verify(bool with_fsck);
    void run(u64 seed, u64 ops);
    void check_watched();

    Model m_model;
    std::mt19937_64 m_rng;
    u64 m_block_total = 0;
    u64 m_inode_total = 0;
    std::deque<std::string> m_history;
    std::map<std::string, u64> m_op_counts;
    u64 m_watch = 0;  // FFS_MODEL_WATCH: an inode compared after every operation
};

// ---- operations ----------------------------------------------------------------

std::string FfsModelTest::op_create(Kind kind)
{
    const Model::Place d = random_dir();
    const std::string name = random_name();
    const VType type = kind == Kind::Dir ? VType::Directory : kind == Kind::Fifo ? VType::Fifo : VType::Regular;
    VRef dir = resolve(d);
    if (!dir)
        return "create: no dir";
    auto made = dir->create(name.c_str(), type, 0640, 0, fs::Cred{});
    MNode& parent = m_model.at(d.id);
    const bool exists = parent.entries.count(name) != 0;
    const std::string what = std::string(kind == Kind::Dir ? "mkdir " : kind == Kind::Fifo ? "mkfifo " : "create ") +
                             where(d) + " " + short_name(name);
    EXPECT_EQ(error_of(made), exists ? Errno::EEXIST : Errno(0)) << what;
    if (made.is_error())
        return what + " -> " + ename(made.error());
    VRef node(made.value());
    if (exists)
        return what + " -> made anyway";
    MNode n;
    n.kind = kind;
    n.ino = attr(node.get()).ino;
    if (kind == Kind::Dir) {
        n.parent = d.id;
        n.nlink = 2;
        ++parent.nlink;
    }
    m_model.at(d.id).entries[name] = m_model.add(n);
    return what;
}

std::string FfsModelTest::op_symlink()
{
    const Model::Place d = random_dir();
    const std::string name = random_name();
    size_t length = chance(50) ? 1 + below(59) : chance(80) ? 60 + below(500) : 560 + below(3536);
    if (chance(3))
        length = BSIZE + below(3);  // does not fit in a block
    std::string target(length, 'x');
    for (auto& c : target)
        c = char('a' + below(26));
    const std::string what = "symlink " + where(d) + " " + short_name(name) + " (" + std::to_string(length) + ")";
    VRef dir = resolve(d);
    if (!dir)
        return what;
    auto made = dir->symlink(name.c_str(), target.c_str(), fs::Cred{});
    MNode& parent = m_model.at(d.id);
    const Errno want = length >= BSIZE ? Errno::ENAMETOOLONG : parent.entries.count(name) ? Errno::EEXIST : Errno(0);
    EXPECT_EQ(error_of(made), want) << what;
    if (made.is_error())
        return what + " -> " + ename(made.error());
    VRef node(made.value());
    if (want != Errno(0))
        return what + " -> made anyway";
    MNode n;
    n.kind = Kind::Symlink;
    n.data = target;
    n.ino = attr(node.get()).ino;
    m_model.at(d.id).entries[name] = m_model.add(n);
    return what;
}

std::string FfsModelTest::op_write()
{
    Model::Entry e;
    if (!random_entry(e, Kind::File, 95))
        return "write: nothing";
    MNode& n = m_model.at(e.id);
    const u64 size = n.data.size();
    u64 off, len;
    const u64 r = below(100);
    if (r < 55) {  // near the end of what is there
        off = below(size + BSIZE);
        len = 1 + below(9000);
    } else if (r < 75) {  // across a block edge
        off = below(16) * BSIZE + BSIZE - below(50);
        len = 1 + below(200);
    } else if (r < 92) {  // the single indirect range
        off = SINGLE_START + below(DOUBLE_START - SINGLE_START);
        len = 1 + below(5000);
    } else {  // the double indirect range
        off = DOUBLE_START + below(MAX_MODEL_SIZE - DOUBLE_START - 8192);
        len = 1 + below(5000);
    }
    if (off + len > MAX_MODEL_SIZE || free_blocks() < 400)
        return op_read();  // keep the model small and the disk from filling
    std::string data(len, '\0');
    const char base = char('A' + below(26));
    for (u64 i = 0; i < len; ++i)
        data[i] = char(base + i % 7);
    const std::string what = "write " + where(e) + " at " + std::to_string(off) + " len " + std::to_string(len);
    VRef v = resolve(e);
    if (!v)
        return what;
    auto done = v->write(off, fs::IoBuffer::kernel(data.data()), len);
    const Errno want = n.kind == Kind::File ? Errno(0) : n.kind == Kind::Dir ? Errno::EISDIR : Errno::EINVAL;
    EXPECT_EQ(error_of(done), want) << what;
    if (done.is_error() || want != Errno(0))
        return what + " -> " + ename(error_of(done));
    EXPECT_EQ(done.value(), len) << what;
    if (n.data.size() < off + len)
        n.data.resize(off + len, '\0');
    n.data.replace(off, len, data);
    return what;
}

std::string FfsModelTest::op_read()
{
    Model::Entry e;
    if (!random_entry(e, Kind::File, 95))
        return "read: nothing";
    const MNode& n = m_model.at(e.id);
    const u64 size = n.data.size();
    const u64 off = chance(85) ? below(size + 100) : below(MAX_MODEL_SIZE);
    const u64 len = 1 + below(10000);
    const std::string what = "read " + where(e) + " at " + std::to_string(off) + " len " + std::to_string(len);
    VRef v = resolve(e);
    if (!v)
        return what;
    std::string out(len, '\x55');
    auto got = v->read(off, fs::IoBuffer::kernel(out.data()), len);
    const Errno want = n.kind == Kind::File ? Errno(0) : n.kind == Kind::Dir ? Errno::EISDIR : Errno::EINVAL;
    EXPECT_EQ(error_of(got), want) << what;
    if (got.is_error() || want != Errno(0))
        return what + " -> " + ename(error_of(got));
    const std::string expect = off < size ? n.data.substr(off, len) : std::string();
    EXPECT_EQ(got.value(), expect.size()) << what;
    out.resize(got.value());
    EXPECT_TRUE(out == expect) << what << ": the bytes differ";
    return what;
}

std::string FfsModelTest::op_truncate()
{
    Model::Entry e;
    if (!random_entry(e, Kind::File, 95))
        return "truncate: nothing";
    MNode& n = m_model.at(e.id);
    const u64 size = n.data.size();
    u64 to;
    const u64 r = below(100);
    if (r < 40)
        to = below(size + 1);
    else if (r < 70)
        to = size + below(20000);
    else if (r < 85)
        to = 0;
    else
        to = SINGLE_START + below(MAX_MODEL_SIZE - SINGLE_START);
    const std::string what = "truncate " + where(e) + " " + std::to_string(size) + " -> " + std::to_string(to);
    VRef v = resolve(e);
    if (!v)
        return what;
    fs::VAttr a;
    a.size = to;
    auto done = v->setattr(a, fs::SETATTR_SIZE);
    const Errno want = n.kind == Kind::File ? Errno(0) : n.kind == Kind::Dir ? Errno::EISDIR : Errno::EINVAL;
    EXPECT_EQ(error_of(done), want) << what;
    if (done.is_error() || want != Errno(0))
        return what + " -> " + ename(error_of(done));
    n.data.resize(to, '\0');
    EXPECT_EQ(attr(v.get()).size, to) << what;
    if (to == 0) {
        EXPECT_EQ(attr(v.get()).blocks, 0u) << what << ": an empty file holds blocks";
    }
    return what;
}

std::string FfsModelTest::op_unlink()
{
    Model::Place d = random_dir();
    std::string name = random_name();
    Model::Entry e;
    if (chance(80) && random_entry(e, Kind::File, 50)) {
        d = e.dir;
        name = e.name;
    }
    const std::string what = "unlink " + where(d) + " " + short_name(name);
    VRef dir = resolve(d);
    if (!dir)
        return what;
    auto done = dir->unlink(name.c_str());
    MNode& parent = m_model.at(d.id);
    auto it = parent.entries.find(name);
    const Errno want = it == parent.entries.end() ? Errno::ENOENT : m_model.is_dir(it->second) ? Errno::EISDIR : Errno(0);
    EXPECT_EQ(error_of(done), want) << what;
    if (want == Errno(0) && !done.is_error()) {
        const int id = it->second;
        parent.entries.erase(it);
        m_model.drop_link(id);
    }
    return what + " -> " + ename(error_of(done));
}

// Unlink a file's name while holding it: if that was its last name, it
// lives on, readable and writable, until the reference goes.
std::string FfsModelTest::op_unlink_open()
{
    Model::Entry e;
    if (!random_entry(e, Kind::File, 100) || m_model.at(e.id).kind != Kind::File || free_blocks() < 400)
        return "unlink-open: nothing";
    const std::string what = "unlink-open " + where(e);
    VRef v = resolve(e);
    VRef dir = resolve(e.dir);
    if (!v || !dir)
        return what;
    EXPECT_EQ(error_of(dir->unlink(e.name.c_str())), Errno(0)) << what;
    m_model.at(e.dir.id).entries.erase(e.name);
    MNode copy = m_model.at(e.id);
    m_model.drop_link(e.id);
    --copy.nlink;
    EXPECT_EQ(attr(v.get()).nlink, copy.nlink) << what;
    const std::string tail = "still here";
    const u64 off = std::min<u64>(copy.data.size(), 100000);
    EXPECT_EQ(write(v.get(), off, tail), tail.size()) << what;
    EXPECT_EQ(read(v.get(), off, tail.size()), tail) << what;
    if (copy.nlink > 0) {  // other names see the write
        MNode& n = m_model.at(e.id);
        if (n.data.size() < off + tail.size())
            n.data.resize(off + tail.size(), '\0');
        n.data.replace(off, tail.size(), tail);
    } else if (copy.data.size() > 0) {
        EXPECT_EQ(read(v.get(), 0, 1), copy.data.substr(0, 1)) << what;
    }
    return what;
}

std::string FfsModelTest::op_rmdir()
{
    Model::Place d = random_dir();
    std::string name = random_name();
    Model::Entry e;
    if (chance(3))
        name = chance(50) ? "." : "..";
    else if (chance(80) && random_entry(e, Kind::Dir, 80)) {
        d = e.dir;
        name = e.name;
    }
    const std::string what = "rmdir " + where(d) + " " + short_name(name);
    VRef dir = resolve(d);
    if (!dir)
        return what;
    auto done = dir->rmdir(name.c_str());
    MNode& parent = m_model.at(d.id);
    auto it = parent.entries.find(name);
    Errno want = Errno(0);
    if (name == "." || name == "..")
        want = Errno::EINVAL;
    else if (it == parent.entries.end())
        want = Errno::ENOENT;
    else if (!m_model.is_dir(it->second))
        want = Errno::ENOTDIR;
    else if (!m_model.at(it->second).entries.empty())
        want = Errno::ENOTEMPTY;
    EXPECT_EQ(error_of(done), want) << what;
    if (want == Errno(0) && !done.is_error()) {
        m_model.nodes.erase(it->second);
        parent.entries.erase(it);
        --parent.nlink;
    }
    return what + " -> " + ename(error_of(done));
}

// rename(2) with its POSIX table (fs/tmpfs/tmpfs_rename.cpp), in the order
// the checks are made: source missing; NOREPLACE/EXCHANGE against the
// target; the same file (nothing happens); a directory into its own
// subtree (EINVAL); the types (ENOTDIR, EISDIR); a non-empty directory in
// the way (ENOTEMPTY).
std::string FfsModelTest::op_rename()
{
    Model::Place from = random_dir();
    std::string from_name = random_name();
    Model::Entry e;
    if (chance(90) && random_entry(e, Kind::Dir, 35)) {
        from = e.dir;
        from_name = e.name;
    }
    MNode& from_dir = m_model.at(from.id);
    auto src = from_dir.entries.find(from_name);
    const int moving = src == from_dir.entries.end() ? -1 : src->second;
    // Where to: the same directory, any directory, or (a directory moving)
    // one inside itself.
    Model::Place to = from;
    if (moving >= 0 && m_model.is_dir(moving) && chance(15)) {
        Model::Place self = from;
        self.path.push_back(from_name);
        self.id = moving;
        to = pick(m_model.dirs_below(self));
    } else if (chance(70)) {
        to = random_dir();
    }
    std::string to_name = random_name();
    MNode& to_dir = m_model.at(to.id);
    if (chance(40) && !to_dir.entries.empty()) {
        auto it = to_dir.entries.begin();
        std::advance(it, long(below(to_dir.entries.size())));
        to_name = it->first;
    }
    const u32 flags = chance(75) ? 0 : chance(50) ? fs::RENAME_NOREPLACE : fs::RENAME_EXCHANGE;
    const std::string what = "rename " + where(from) + " " + short_name(from_name) + " -> " + where(to) + " " +
                             short_name(to_name) +
                             (flags == fs::RENAME_NOREPLACE ? " NOREPLACE" : flags == fs::RENAME_EXCHANGE ? " EXCHANGE" : "");
    VRef kfrom = resolve(from), kto = resolve(to);
    if (!kfrom || !kto)
        return what;
    auto done = kfrom->rename(from_name.c_str(), *kto, to_name.c_str(), flags);

    auto tgt = to_dir.entries.find(to_name);
    const int target = tgt == to_dir.entries.end() ? -1 : tgt->second;
    const bool cross = from.id != to.id;
    Errno want = Errno(0);
    bool nothing = false;
    if (moving < 0)
        want = Errno::ENOENT;
    else if ((flags & fs::RENAME_NOREPLACE) && target >= 0)
        want = Errno::EEXIST;
    else if ((flags & fs::RENAME_EXCHANGE) && target < 0)
        want = Errno::ENOENT;
    else if (target == moving)
        nothing = true;
    else if (m_model.is_dir(moving) && cross && m_model.within(to.id, moving))
        want = Errno::EINVAL;
    else if (flags & fs::RENAME_EXCHANGE) {
        if (m_model.is_dir(target) && cross && m_model.within(from.id, target))
            want = Errno::EINVAL;
    } else if (target >= 0) {
        if (m_model.is_dir(moving) && !m_model.is_dir(target))
            want = Errno::ENOTDIR;
        else if (!m_model.is_dir(moving) && m_model.is_dir(target))
            want = Errno::EISDIR;
        else if (m_model.is_dir(target) && !m_model.at(target).entries.empty())
            want = Errno::ENOTEMPTY;
    }
    EXPECT_EQ(error_of(done), want) << what;
    const std::string result = what + " -> " + ename(error_of(done));
    if (want != Errno(0) || nothing || done.is_error())
        return result;
    if (flags & fs::RENAME_EXCHANGE) {
        from_dir.entries[from_name] = target;
        to_dir.entries[to_name] = moving;
        if (cross && m_model.is_dir(moving)) {
            m_model.at(moving).parent = to.id;
            ++to_dir.nlink, --from_dir.nlink;
        }
        if (cross && m_model.is_dir(target)) {
            m_model.at(target).parent = from.id;
            ++from_dir.nlink, --to_dir.nlink;
        }
        return result;
    }
    if (target >= 0) {
        if (m_model.is_dir(target)) {
            m_model.nodes.erase(target);
            --to_dir.nlink;
        } else {
            m_model.drop_link(target);
        }
    }
    from_dir.entries.erase(from_name);
    to_dir.entries[to_name] = moving;
    if (cross && m_model.is_dir(moving)) {
        m_model.at(moving).parent = to.id;
        ++to_dir.nlink, --from_dir.nlink;
    }
    return result;
}

std::string FfsModelTest::op_link()
{
    Model::Entry e;
    if (!random_entry(e, Kind::File, 80) || m_model.is_dir(e.id))
        return "link: nothing";  // directories cannot be linked (the VFS refuses first)
    const Model::Place d = random_dir();
    const std::string name = chance(80) ? random_name() : e.name;
    const std::string what = "link " + where(e) + " as " + where(d) + " " + short_name(name);
    VRef v = resolve(e), dir = resolve(d);
    if (!v || !dir)
        return what;
    auto done = dir->link(name.c_str(), *v);
    MNode& parent = m_model.at(d.id);
    const Errno want = parent.entries.count(name) ? Errno::EEXIST : Errno(0);
    EXPECT_EQ(error_of(done), want) << what;
    if (want == Errno(0) && !done.is_error()) {
        parent.entries[name] = e.id;
        ++m_model.at(e.id).nlink;
    }
    EXPECT_EQ(attr(v.get()).nlink, m_model.at(e.id).nlink) << what;
    return what + " -> " + ename(error_of(done));
}

std::string FfsModelTest::op_readlink()
{
    Model::Entry e;
    if (!random_entry(e, Kind::Symlink, 90))
        return "readlink: nothing";
    const MNode& n = m_model.at(e.id);
    const std::string what = "readlink " + where(e);
    VRef v = resolve(e);
    if (!v)
        return what;
    std::string out(BSIZE, '\0');
    const size_t room = chance(90) ? out.size() : below(40);
    auto got = v->readlink(fs::IoBuffer::kernel(out.data()), room);
    const Errno want = n.kind == Kind::Symlink ? Errno(0) : Errno::EINVAL;
    EXPECT_EQ(error_of(got), want) << what;
    if (!got.is_error() && want == Errno(0)) {
        out.resize(got.value());
        EXPECT_EQ(out, n.data.substr(0, room)) << what;
    }
    return what;
}

std::string FfsModelTest::op_readdir()
{
    const Model::Place d = random_dir();
    VRef v = resolve(d);
    if (!v)
        return "readdir";
    const size_t room = chance(50) ? ~size_t(0) : 1 + below(6);
    check_dir_listing(d, v.get(), room);
    return "readdir " + where(d) + " by " + (room == ~size_t(0) ? std::string("all") : std::to_string(room));
}

std::string FfsModelTest::op_getattr()
{
    Model::Entry e;
    if (!random_entry(e, Kind::File, 30))
        return "getattr: nothing";
    VRef v = resolve(e);
    if (v)
        check_node(e, v.get());
    return "getattr " + where(e);
}

// Directory operations on what is not a directory, and the reverse.
std::string FfsModelTest::op_wrong_type()
{
    Model::Entry e;
    if (!random_entry(e, Kind::File, 50))
        return "wrong-type: nothing";
    const std::string what = "wrong-type " + where(e);
    VRef v = resolve(e);
    if (!v)
        return what;
    if (m_model.is_dir(e.id)) {
        fs::VAttr a;
        EXPECT_EQ(error_of(v->setattr(a, fs::SETATTR_SIZE)), Errno::EISDIR) << what;
        std::string out(10, '\0');
        EXPECT_EQ(error_of(v->readlink(fs::IoBuffer::kernel(out.data()), out.size())), Errno::EINVAL) << what;
        EXPECT_EQ(error_of(v->rmdir(".")), Errno::EINVAL) << what;
        return what + " (a directory)";
    }
    EXPECT_EQ(error_of(v->create("x", VType::Regular, 0644, 0, fs::Cred{})), Errno::ENOTDIR) << what;
    EXPECT_EQ(error_of(v->lookup("x")), Errno::ENOTDIR) << what;
    EXPECT_EQ(error_of(v->unlink("x")), Errno::ENOTDIR) << what;
    EXPECT_EQ(error_of(v->rmdir("x")), Errno::ENOTDIR) << what;
    NameSink sink;
    EXPECT_EQ(error_of(v->readdir(0, sink)), Errno::ENOTDIR) << what;
    EXPECT_EQ(error_of(m_root->rename("lost+found", *v, "x", 0)), Errno::ENOTDIR) << what;
    return what;
}

std::string FfsModelTest::op_lookup_missing()
{
    const Model::Place d = random_dir();
    const std::string name = random_name();
    VRef dir = resolve(d);
    if (!dir)
        return "lookup";
    const bool exists = m_model.at(d.id).entries.count(name) != 0;
    auto got = dir->lookup(name.c_str());
    EXPECT_EQ(error_of(got), exists ? Errno(0) : Errno::ENOENT) << where(d) << " " << name;
    if (!got.is_error()) {
        VRef hold(got.value());
        EXPECT_EQ(attr(hold.get()).ino, m_model.at(m_model.at(d.id).entries.at(name)).ino);
    }
    return "lookup " + where(d) + " " + short_name(name);
}

std::string FfsModelTest::op_sync()
{
    if (chance(50)) {
        EXPECT_EQ(error_of(m_ffs->sync()), Errno(0));
        return "sync";
    }
    m_ffs->drop_caches();  // every idle node written back and evicted
    return "drop_caches";
}

std::string FfsModelTest::run_one()
{
    struct Op {
        u32 weight;
        const char* name;
        std::string (FfsModelTest::*fn)();
    };
    static const Op ops[] = {
        {10, "create", nullptr}, {6, "mkdir", nullptr}, {1, "mkfifo", nullptr},
        {4, "symlink", &FfsModelTest::op_symlink}, {20, "write", &FfsModelTest::op_write},
        {9, "read", &FfsModelTest::op_read}, {6, "truncate", &FfsModelTest::op_truncate},
        {8, "unlink", &FfsModelTest::op_unlink}, {2, "unlink-open", &FfsModelTest::op_unlink_open},
        {5, "rmdir", &FfsModelTest::op_rmdir}, {12, "rename", &FfsModelTest::op_rename},
        {5, "link", &FfsModelTest::op_link}, {3, "readlink", &FfsModelTest::op_readlink},
        {5, "readdir", &FfsModelTest::op_readdir}, {4, "getattr", &FfsModelTest::op_getattr},
        {2, "wrong-type", &FfsModelTest::op_wrong_type}, {2, "lookup", &FfsModelTest::op_lookup_missing},
        {1, "sync", &FfsModelTest::op_sync},
    };
    u32 total = 0;
    for (const Op& op : ops)
        total += op.weight;
    u64 r = below(total);
    for (const Op& op : ops) {
        if (r >= op.weight) {
            r -= op.weight;
            continue;
        }
        ++m_op_counts[op.name];
        if (!op.fn)
            return op_create(op.name[0] == 'c' ? Kind::File : op.name[2] == 'd' ? Kind::Dir : Kind::Fifo);
        return (this->*op.fn)();
    }
    return "";
}

// ---- comparing --------------------------------------------------------------------

void FfsModelTest::check_node(const Model::Entry& e, Vnode* v)
{
    const MNode& n = m_model.at(e.id);
    const fs::VAttr a = attr(v);
    const std::string what = where(e);
    EXPECT_EQ(a.ino, n.ino) << what;
    EXPECT_EQ(a.nlink, n.nlink) << what;
    switch (n.kind) {
    case Kind::File:
        EXPECT_EQ(a.type, VType::Regular) << what;
        EXPECT_EQ(a.size, n.data.size()) << what;
        EXPECT_LE(a.blocks * 512, align_up(a.size, BSIZE) + 8 * BSIZE) << what;
        break;
    case Kind::Dir:
        EXPECT_EQ(a.type, VType::Directory) << what;
        EXPECT_TRUE(a.size > 0 && a.size % FFS_DIRBLKSIZ == 0) << what << ": size " << a.size;
        EXPECT_EQ(a.nlink, 2 + [&] {
            u32 subdirs = 0;
            for (auto& [name, id] : n.entries)
                subdirs += m_model.is_dir(id);
            return subdirs;
        }()) << what;
        break;
    case Kind::Symlink:
        EXPECT_EQ(a.type, VType::Symlink) << what;
        EXPECT_EQ(a.size, n.data.size()) << what;
        break;
    case Kind::Fifo:
        EXPECT_EQ(a.type, VType::Fifo) << what;
        EXPECT_EQ(a.size, 0u) << what;
        break;
    }
}

// Compare a file's bytes: every block that holds data in the model (and,
// unless `every_block`, one hole block in 32: reading a hole makes a page).
void FfsModelTest::check_file_data(int id, Vnode* v, bool every_block)
{
    const std::string& data = m_model.at(id).data;
    const std::string zeros(BSIZE, '\0');
    for (u64 off = 0; off < data.size(); off += BSIZE) {
        const std::string want = data.substr(off, BSIZE);
        if (!every_block && want == zeros.substr(0, want.size()) && !chance(3))
            continue;
        std::string got = read(v, off, BSIZE);
        if (got != want) {
            size_t at = 0;
            while (at < got.size() && at < want.size() && got[at] == want[at])
                ++at;
            ADD_FAILURE() << "file ino " << m_model.at(id).ino << " (size " << data.size() << "): bytes differ at "
                          << off + at << ": read " << (at < got.size() ? int(u8(got[at])) : -1) << ", want "
                          << (at < want.size() ? int(u8(want[at])) : -1) << " (read " << got.size() << " bytes)";
            return;
        }
    }
    EXPECT_EQ(read(v, data.size(), 10), "") << "a read at the end";
}

// readdir in calls of `room` entries; the names, inode numbers and types
// must be the model's, each exactly once, "." and ".." first.
void FfsModelTest::check_dir_listing(const Model::Place& d, Vnode* v, size_t room)
{
    struct Item {
        u64 ino;
        VType type;
    };
    struct Sink final : fs::ReaddirSink {
        bool emit(const fs::DirEntry& e) override
        {
            if (taken == room)
                return false;
            ++taken;
            order.emplace_back(e.name.characters(), e.name.length());
            items.push_back({e.ino, e.type});
            return true;
        }
        size_t room = 0, taken = 0;
        std::vector<std::string> order;
        std::vector<Item> items;
    } sink;
    u64 cookie = 0;
    for (int calls = 0; calls < 10000; ++calls) {
        sink.room = room == ~size_t(0) ? room : sink.taken + room;
        const size_t before = sink.taken;
        auto next = v->readdir(cookie, sink);
        ASSERT_FALSE(next.is_error()) << where(d) << ": " << kern::errno_name(next.error());
        cookie = next.value();
        if (sink.taken == before || room == ~size_t(0))
            break;
    }
    const MNode& dir = m_model.at(d.id);
    ASSERT_GE(sink.order.size(), 2u) << where(d);
    EXPECT_EQ(sink.order[0], ".") << where(d);
    EXPECT_EQ(sink.items[0].ino, dir.ino) << where(d);
    EXPECT_EQ(sink.order[1], "..") << where(d);
    EXPECT_EQ(sink.items[1].ino, m_model.at(dir.parent).ino) << where(d);
    std::map<std::string, Item> got;
    for (size_t i = 2; i < sink.order.size(); ++i) {
        EXPECT_TRUE(got.emplace(sink.order[i], sink.items[i]).second) << where(d) << ": twice: " << sink.order[i];
    }
    EXPECT_EQ(got.size(), dir.entries.size()) << where(d);
    for (auto& [name, id] : dir.entries) {
        auto it = got.find(name);
        if (it == got.end()) {
            ADD_FAILURE() << where(d) << ": readdir lacks " << short_name(name);
            continue;
        }
        const MNode& n = m_model.at(id);
        EXPECT_EQ(it->second.ino, n.ino) << where(d) << " " << short_name(name);
        const VType type = n.kind == Kind::File      ? VType::Regular
                           : n.kind == Kind::Dir     ? VType::Directory
                           : n.kind == Kind::Symlink ? VType::Symlink
                                                     : VType::Fifo;
        EXPECT_EQ(it->second.type, type) << where(d) << " " << short_name(name);
    }
}

// Everything the model knows, compared; and the accounting: the free
// blocks plus every node's blocks is what it was at the start (no block
// leaked or counted twice), the free inodes plus the nodes likewise.
void FfsModelTest::verify_all()
{
    u64 blocks = 0;
    std::set<int> seen;
    for (const Model::Place& d : m_model.dirs()) {
        VRef dir = resolve(d);
        ASSERT_TRUE(dir);
        check_dir_listing(d, dir.get(), ~size_t(0));
        if (d.id == Model::ROOT)
            blocks += blocks_of(dir.get());
        for (auto& [name, id] : m_model.at(d.id).entries) {
            auto got = dir->lookup(name.c_str());
            ASSERT_FALSE(got.is_error()) << where(d) << " " << short_name(name);
            VRef v(got.value());
            check_node({d, name, id}, v.get());
            if (!seen.insert(id).second)
                continue;  // another name of a file already counted
            blocks += blocks_of(v.get());
            const MNode& n = m_model.at(id);
            if (n.kind == Kind::File) {
                check_file_data(id, v.get(), false);

            } else if (n.kind == Kind::Symlink) {
                std::string out(BSIZE, '\0');
                auto len = v->readlink(fs::IoBuffer::kernel(out.data()), out.size());
                ASSERT_FALSE(len.is_error());
                out.resize(len.value());
                EXPECT_EQ(out, n.data) << where(d) << " " << short_name(name);
            }
        }
    }
    EXPECT_EQ(seen.size() + 1, m_model.nodes.size()) << "the model holds a node no name reaches";
    EXPECT_EQ(free_blocks() + blocks, m_block_total) << "blocks leaked or counted twice";
    EXPECT_EQ(free_inodes() + m_model.nodes.size(), m_inode_total) << "inodes leaked";
}

// FFS_MODEL_WATCH=ino: compare that file, every byte, after every
// operation -- to find the operation that broke it.
void FfsModelTest::check_watched()
{
    for (const Model::Entry& e : m_model.entries()) {
        if (m_model.at(e.id).ino != m_watch || m_model.at(e.id).kind != Kind::File)
            continue;
        if (m_model.at(e.id).data.size() > 256 * 1024)
            return;  // reading its holes would fill the memory with zero pages
        VRef v = resolve(e);
        if (v)
            check_file_data(e.id, v.get(), true);
        return;
    }
}

void FfsModelTest::remount_and_verify(bool with_fsck)
{
    unmount_ok();
    if (with_fsck) {
        EXPECT_EQ(fsck(), FFS_FSCK_CLEAN) << m_report;
    }
    mount_ok();
    verify_all();
}

u64 env_or(const char* name, u64 fallback)
{
    const char* s = getenv(name);
    return s && *s ? strtoull(s, nullptr, 0) : fallback;
}

void FfsModelTest::run(u64 seed, u64 ops)
{
    SCOPED_TRACE(testing::Message() << "seed " << seed << " (repeat with FFS_MODEL_SEED=" << seed << ")");
    m_rng.seed(seed);
    m_watch = env_or("FFS_MODEL_WATCH", 0);
    for (u64 i = 0; i < ops; ++i) {
        std::string what = run_one();
        if (m_watch)
            check_watched();
        m_history.push_back(std::to_string(i) + ": " + what);
        if (m_history.size() > HISTORY)
            m_history.pop_front();
        if ((i + 1) % 1000 == 0) {
            const bool halfway = i + 1 == ops / 2 / 1000 * 1000;
            m_history.push_back(halfway ? "remount with fsck" : "remount");
            remount_and_verify(halfway);
        } else if ((i + 1) % 1000 == 500) {
            m_history.push_back("verify");
            verify_all();
        }
        if (HasFailure()) {
            std::string log;
            for (auto& h : m_history)
                log += "  " + h + "\n";
            ADD_FAILURE() << "seed " << seed << ": the first failure came at operation " << i
                          << "; the last operations:\n"
                          << log;
            return;
        }
    }
    remount_and_verify(false);  // the fixture runs fsck after the last unmount
    std::string mix;
    for (auto& [name, count] : m_op_counts)
        mix += " " + name + "=" + std::to_string(count);
    std::printf("  ffs model: seed %llu, %llu operations:%s\n", (unsigned long long)seed, (unsigned long long)ops,
                mix.c_str());
}

TEST_F(FfsModelTest, RandomOperationsMatchTheModel)
{
    run(env_or("FFS_MODEL_SEED", 20261207), env_or("FFS_MODEL_OPS", 4000));
}

} // namespace
} // namespace ffskt
