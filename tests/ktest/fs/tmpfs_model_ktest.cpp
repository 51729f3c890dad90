// tests/ktest/fs/tmpfs_model_ktest.cpp -- tmpfs against an oracle, through the VFS.
//
// Thousands of random create / write / read / truncate / rename / link /
// unlink / mkdir / rmdir operations on a fresh tmpfs mounted under the root,
// each checked against a small in-memory model of what POSIX says must
// happen (result or errno). At the end the whole tree is read back through
// readdir, stat and read, and compared with the model: names, types, link
// counts, sizes and every byte. Then everything is deleted and unmounted; the
// test runner checks that every page and heap byte came back.
//
// The model: inodes (type, link count, contents up to MAX_FILE bytes) and
// directory entries (directory inode, name, inode). Names come from a small
// alphabet and the tree is at most three levels deep, so operations often
// collide -- which is where the errno cases are.
#include <fs/vfs/vfs.h>
#include <kernel/base/heap/heap.h>
#include <kernel/base/ktest/ktest.h>
#include <kernel/base/lib/format.h>
#include <kernel/base/lib/string.h>

using namespace fs;
using kern::kfree;
using kern::kmalloc;
using kern::kzalloc;

namespace {

constexpr int MAX_INODES = 128;
constexpr int MAX_ENTRIES = 128;
constexpr size_t MAX_FILE = 3 * PAGE_SIZE + 100;
constexpr int MAX_DEPTH = 3;
const char* const NAMES[] = {"a", "b", "c", "d", "e"};

struct Inode {
    bool used = false;
    VType type = VType::None;
    int nlink = 0;
    size_t size = 0;
    u8* data = nullptr;  // MAX_FILE bytes for files
};

struct Entry {
    bool used = false;
    int dir = 0;  // inode of the directory holding it
    char name[4] = {};
    int inode = 0;
};

class Model {
public:
    Inode inodes[MAX_INODES];
    Entry entries[MAX_ENTRIES];

    Model() { inodes[0] = {true, VType::Directory, 2, 0, nullptr}; }  // the mount's root
    ~Model()
    {
        for (Inode& i : inodes)
            kfree(i.data);
    }

    int find(int dir, const char* name) const
    {
        for (int e = 0; e < MAX_ENTRIES; ++e)
            if (entries[e].used && entries[e].dir == dir && !strcmp(entries[e].name, name))
                return e;
        return -1;
    }
    int parent_of(int dir) const
    {
        for (int e = 0; e < MAX_ENTRIES; ++e)
            if (entries[e].used && entries[e].inode == dir && inodes[dir].type == VType::Directory)
                return entries[e].dir;
        return -1;
    }
    // Room for one more entry and inode (the model's tables are fixed).
    bool has_room() const
    {
        int n = 0;
        for (const Entry& e : entries)
            n += e.used;
        return n < MAX_ENTRIES - 8;
    }
    int depth(int dir) const { return dir == 0 ? 0 : 1 + depth(parent_of(dir)); }
    bool empty_dir(int dir) const
    {
        for (const Entry& e : entries)
            if (e.used && e.dir == dir)
                return false;
        return true;
    }
    bool inside(int dir, int ancestor) const  // dir == ancestor or below it
    {
        for (int d = dir; d >= 0; d = d == 0 ? -1 : parent_of(d))
            if (d == ancestor)
                return true;
        return false;
    }
    int new_inode(VType type)
    {
        for (int i = 1; i < MAX_INODES; ++i) {
            if (inodes[i].used)
                continue;
            inodes[i] = {true, type, type == VType::Directory ? 2 : 1, 0, nullptr};
            if (type == VType::Regular)
                inodes[i].data = static_cast<u8*>(kzalloc(MAX_FILE));
            return i;
        }
        return -1;
    }
    int new_entry(int dir, const char* name, int inode)
    {
        for (int e = 0; e < MAX_ENTRIES; ++e) {
            if (entries[e].used)
                continue;
            entries[e] = {true, dir, {}, inode};
            strncpy_small(entries[e].name, name);
            return e;
        }
        return -1;
    }
    void drop_link(int inode)
    {
        Inode& i = inodes[inode];
        if (i.type == VType::Directory || --i.nlink == 0) {
            kfree(i.data);
            i = Inode{};
        }
    }
    static void strncpy_small(char* dst, const char* src)
    {
        size_t n = strnlen(src, 3);
        memcpy(dst, src, n);
        dst[n] = 0;
    }
    // "/mnt/x/y" for the entry (or the directory inode, if entry < 0).
    void path_of_dir(int dir, char* out, size_t size, const char* mnt) const
    {
        if (dir == 0) {
            kern::snprintf(out, size, "%s", mnt);
            return;
        }
        for (int e = 0; e < MAX_ENTRIES; ++e) {
            if (entries[e].used && entries[e].inode == dir) {
                char parent[128];
                path_of_dir(entries[e].dir, parent, sizeof parent, mnt);
                kern::snprintf(out, size, "%s/%s", parent, entries[e].name);
                return;
            }
        }
    }
};

struct Rng {
    u64 state;
    u64 next()
    {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    }
    int below(int n) { return int(next() % u64(n)); }
};

// A random existing directory inode whose depth allows another level if `grow`.
int random_dir(Model& m, Rng& rng, bool grow)
{
    int candidates[MAX_INODES], n = 0;
    for (int i = 0; i < MAX_INODES; ++i)
        if (m.inodes[i].used && m.inodes[i].type == VType::Directory && (!grow || m.depth(i) < MAX_DEPTH))
            candidates[n++] = i;
    return candidates[rng.below(n)];
}

struct Op {
    Model& m;
    Rng& rng;
    const Context& ctx;
    const char* mnt;
    kern::ktest::Context& _ktest_ctx;
    int step = 0;

    void path(int dir, const char* name, char* out)
    {
        char d[128];
        m.path_of_dir(dir, d, sizeof d, mnt);
        kern::snprintf(out, 160, "%s/%s", d, name);
    }
    // Returns the errno the model predicts (0: success) vs what the kernel did.
    bool check(const char* what, Errno expected, ErrorOr<void> got)
    {
        Errno actual = got.is_error() ? got.error() : Errno(0);
        return _ktest_ctx.check(actual == expected, __FILE__, __LINE__,
                                "step %d: %s: expected %s, got %s", step, what,
                                int(expected) ? errno_name(expected) : "success",
                                int(actual) ? errno_name(actual) : "success");
    }

    void create_file()
    {
        if (!m.has_room())
            return;
        int dir = random_dir(m, rng, false);
        const char* name = NAMES[rng.below(5)];
        char p[160];
        path(dir, name, p);
        bool exists = m.find(dir, name) >= 0;
        auto r = open(ctx, p, O_CREAT | O_EXCL | O_RDWR, 0644);
        if (!check("create", exists ? Errno::EEXIST : Errno(0), r.is_error() ? ErrorOr<void>(r.error()) : ErrorOr<void>()))
            return;
        if (!r.is_error()) {
            r.value()->unref();
            int ino = m.new_inode(VType::Regular);
            m.new_entry(dir, name, ino);
        }
    }

    void make_dir()
    {
        if (!m.has_room())
            return;
        int dir = random_dir(m, rng, true);
        const char* name = NAMES[rng.below(5)];
        char p[160];
        path(dir, name, p);
        bool exists = m.find(dir, name) >= 0;
        if (check("mkdir", exists ? Errno::EEXIST : Errno(0), mkdir(ctx, p, 0755)) && !exists) {
            m.inodes[dir].nlink++;
            m.new_entry(dir, name, m.new_inode(VType::Directory));
        }
    }

    // A random entry (any type), or -1.
    int random_entry()
    {
        int candidates[MAX_ENTRIES], n = 0;
        for (int e = 0; e < MAX_ENTRIES; ++e)
            if (m.entries[e].used)
                candidates[n++] = e;
        return n ? candidates[rng.below(n)] : -1;
    }

    void write_file()
    {
        int e = random_entry();
        if (e < 0 || m.inodes[m.entries[e].inode].type != VType::Regular)
            return;
        Inode& ino = m.inodes[m.entries[e].inode];
        char p[160];
        path(m.entries[e].dir, m.entries[e].name, p);
        size_t off = size_t(rng.below(int(MAX_FILE) - 1));
        size_t len = 1 + size_t(rng.below(int(MAX_FILE - off)));
        u8 buf[512];
        u8 fill = u8(step);
        memset(buf, fill, sizeof buf);
        File* f = MUST(open(ctx, p, O_WRONLY, 0));
        for (size_t done = 0; done < len;) {
            size_t n = min(len - done, sizeof buf);
            auto w = f->pwrite(off + done, IoBuffer::kernel(buf), n);
            if (!_ktest_ctx.check(!w.is_error() && w.value() == n, __FILE__, __LINE__, "step %d: write", step))
                break;
            done += n;
        }
        f->unref();
        memset(ino.data + off, fill, len);
        ino.size = max(ino.size, off + len);
    }

    void truncate_file()
    {
        int e = random_entry();
        if (e < 0 || m.inodes[m.entries[e].inode].type != VType::Regular)
            return;
        Inode& ino = m.inodes[m.entries[e].inode];
        char p[160];
        path(m.entries[e].dir, m.entries[e].name, p);
        size_t len = size_t(rng.below(int(MAX_FILE)));
        if (check("truncate", Errno(0), truncate(ctx, p, len))) {
            if (len < ino.size)
                memset(ino.data + len, 0, ino.size - len);
            ino.size = len;
        }
    }

    void remove()
    {
        int e = random_entry();
        if (e < 0)
            return;
        Entry ent = m.entries[e];
        char p[160];
        path(ent.dir, ent.name, p);
        if (m.inodes[ent.inode].type == VType::Directory) {
            if (rng.below(4) == 0) {  // unlink on a directory
                check("unlink dir", Errno::EISDIR, unlink(ctx, p));
                return;
            }
            bool empty = m.empty_dir(ent.inode);
            if (check("rmdir", empty ? Errno(0) : Errno::ENOTEMPTY, rmdir(ctx, p)) && empty) {
                m.entries[e].used = false;
                m.inodes[ent.dir].nlink--;
                m.drop_link(ent.inode);
            }
        } else {
            if (rng.below(4) == 0) {  // rmdir on a file
                check("rmdir file", Errno::ENOTDIR, rmdir(ctx, p));
                return;
            }
            if (check("unlink", Errno(0), unlink(ctx, p))) {
                m.entries[e].used = false;
                m.drop_link(ent.inode);
            }
        }
    }

    void hard_link()
    {
        if (!m.has_room())
            return;
        int e = random_entry();
        if (e < 0)
            return;
        int dir = random_dir(m, rng, false);
        const char* name = NAMES[rng.below(5)];
        char from[160], to[160];
        path(m.entries[e].dir, m.entries[e].name, from);
        path(dir, name, to);
        int ino = m.entries[e].inode;
        Errno expected = m.inodes[ino].type == VType::Directory ? Errno::EPERM
                         : m.find(dir, name) >= 0             ? Errno::EEXIST
                                                              : Errno(0);
        if (check("link", expected, link(ctx, from, to)) && !int(expected)) {
            m.inodes[ino].nlink++;
            m.new_entry(dir, name, ino);
        }
    }

    Errno rename_errno(int from_e, int to_dir, const char* to_name, int* to_e)
    {
        const Entry& src = m.entries[from_e];
        bool src_dir = m.inodes[src.inode].type == VType::Directory;
        *to_e = m.find(to_dir, to_name);
        if (src_dir && m.inside(to_dir, src.inode))
            return Errno::EINVAL;
        if (*to_e < 0)
            return Errno(0);
        int target = m.entries[*to_e].inode;
        if (target == src.inode)
            return Errno(0);
        bool dst_dir = m.inodes[target].type == VType::Directory;
        if (src_dir && !dst_dir)
            return Errno::ENOTDIR;
        if (!src_dir && dst_dir)
            return Errno::EISDIR;
        if (dst_dir && !m.empty_dir(target))
            return Errno::ENOTEMPTY;
        return Errno(0);
    }

    void rename_entry()
    {
        int e = random_entry();
        if (e < 0)
            return;
        int dir = random_dir(m, rng, m.inodes[m.entries[e].inode].type == VType::Directory);
        const char* name = NAMES[rng.below(5)];
        char from[160], to[160];
        path(m.entries[e].dir, m.entries[e].name, from);
        path(dir, name, to);
        int to_e;
        Errno expected = rename_errno(e, dir, name, &to_e);
        if (!check("rename", expected, fs::rename(ctx, from, to)) || int(expected))
            return;
        Entry& src = m.entries[e];
        if (to_e >= 0 && m.entries[to_e].inode == src.inode)
            return;  // same file: nothing changes
        bool src_dir = m.inodes[src.inode].type == VType::Directory;
        if (to_e >= 0) {
            int victim = m.entries[to_e].inode;
            m.entries[to_e].used = false;
            if (m.inodes[victim].type == VType::Directory)
                m.inodes[dir].nlink--;
            m.drop_link(victim);
        }
        if (src_dir) {
            m.inodes[src.dir].nlink--;
            m.inodes[dir].nlink++;
        }
        src.dir = dir;
        Model::strncpy_small(src.name, name);
    }
};

// Compare the real tree under `dir_path` with model directory `dir`.
struct Collect final : ReaddirSink {
    char names[16][8];
    int count = 0;
    bool emit(const DirEntry& e) override
    {
        if (count == 16)
            return false;
        size_t n = min(e.name.length(), size_t(7));
        memcpy(names[count], e.name.characters(), n);
        names[count][n] = 0;
        ++count;
        return true;
    }
};

void compare_tree(Model& m, const Context& ctx, int dir, const char* dir_path, kern::ktest::Context& _ktest_ctx)
{
    File* f = MUST(open(ctx, dir_path, O_RDONLY | O_DIRECTORY, 0));
    Collect seen;
    while (true) {
        int before = seen.count;
        MUST(f->readdir(seen));
        if (seen.count == before || seen.count == 16)
            break;
    }
    f->unref();
    int expected = 2;  // "." and ".."
    for (const Entry& e : m.entries)
        if (e.used && e.dir == dir)
            ++expected;
    KEXPECT_EQ(seen.count, expected);
    u8* buf = static_cast<u8*>(kmalloc(MAX_FILE));
    for (const Entry& e : m.entries) {
        if (!e.used || e.dir != dir)
            continue;
        char p[160];
        kern::snprintf(p, sizeof p, "%s/%s", dir_path, e.name);
        const Inode& ino = m.inodes[e.inode];
        VAttr a = MUST(lstat(ctx, p));
        _ktest_ctx.check(a.type == ino.type && a.nlink == u32(ino.nlink), __FILE__, __LINE__,
                         "%s: type %d nlink %u, model %d %d", p, int(a.type), a.nlink, int(ino.type), ino.nlink);
        if (ino.type == VType::Directory) {
            compare_tree(m, ctx, e.inode, p, _ktest_ctx);
            continue;
        }
        _ktest_ctx.check(a.size == ino.size, __FILE__, __LINE__, "%s: size %lu, model %zu", p, a.size, ino.size);
        File* file = MUST(open(ctx, p, O_RDONLY, 0));
        size_t got = MUST(file->pread(0, IoBuffer::kernel(buf), MAX_FILE));
        file->unref();
        KEXPECT_EQ(got, ino.size);
        _ktest_ctx.check(!memcmp(buf, ino.data, ino.size), __FILE__, __LINE__, "%s: contents differ", p);
    }
    kfree(buf);
}

// rm -rf of the model's tree, deepest first.
void remove_all(Model& m, const Context& ctx, int dir, const char* mnt)
{
    for (int e = 0; e < MAX_ENTRIES; ++e) {
        Entry ent = m.entries[e];
        if (!ent.used || ent.dir != dir)
            continue;
        char p[160], d[128];
        m.path_of_dir(dir, d, sizeof d, mnt);
        kern::snprintf(p, sizeof p, "%s/%s", d, ent.name);
        if (m.inodes[ent.inode].type == VType::Directory) {
            remove_all(m, ctx, ent.inode, mnt);
            MUST(rmdir(ctx, p));
        } else {
            MUST(unlink(ctx, p));
        }
        m.entries[e].used = false;
    }
}

} // namespace

KTEST(tmpfs_model, random_operations_match_the_model)
{
    Context ctx = MUST(root_context());
    const char* mnt = "/model";
    MUST(mkdir(ctx, mnt, 0755));
    MUST(mount(ctx, "tmpfs", mnt, "size=4m,nodes=200"));
    auto* m = new (std::nothrow) Model;
    KREQUIRE(m);
    Rng rng{0x9e3779b97f4a7c15ull};
    Op op{*m, rng, ctx, mnt, _ktest_ctx};
    for (op.step = 0; op.step < 3000 && !_ktest_ctx.failed(); ++op.step) {
        switch (rng.below(10)) {
        case 0: op.create_file(); break;
        case 1: op.make_dir(); break;
        case 2: case 3: op.write_file(); break;
        case 4: op.truncate_file(); break;
        case 5: op.remove(); break;
        case 6: op.hard_link(); break;
        default: op.rename_entry(); break;
        }
    }
    compare_tree(*m, ctx, 0, mnt, _ktest_ctx);
    remove_all(*m, ctx, 0, mnt);
    delete m;
    MUST(unmount(ctx, mnt));
    MUST(rmdir(ctx, mnt));
}
