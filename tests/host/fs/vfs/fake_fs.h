// tests/host/fs/vfs/fake_fs.h -- a tiny in-memory file system for VFS tests.
//
// The VFS tests must not depend on tmpfs, so they mount this instead: nodes
// are FakeNodes (a Vnode with std::map children, a std::string of data or
// of symlink target), owned by their FakeFs. It implements the vnode
// contract of fs/vfs/vnode.h plainly -- including rename's POSIX rules, but
// NOT the "directory into its own subtree" check, so the tests prove the
// VFS makes that check. A node whose link count and reference count are
// both zero is freed at once (inactive), as tmpfs does; FakeFs::unmount()
// is EBUSY while any node but the root is referenced, so unmounting at the
// end of each test is the leak check.
#pragma once

#include <fs/vfs/mount.h>
#include <fs/vfs/namei.h>
#include <fs/vfs/vfs.h>
#include <fs/vfs/vnode.h>

#include <map>
#include <set>
#include <string>
#include <tuple>

namespace fakefs {

using fs::Errno;
using fs::ErrorOr;
using fs::StringView;
using fs::VType;

class FakeFs;

class FakeNode final : public fs::Vnode {
public:
    FakeNode(FakeFs& owner, VType type, u64 ino) : Vnode(type, nullptr), m_owner(owner), m_ino(ino) {}

    ErrorOr<fs::Vnode*> lookup(StringView name) override;
    ErrorOr<fs::Vnode*> create(StringView name, VType type, u32 mode, u64 rdev, const fs::Cred&) override;
    ErrorOr<fs::Vnode*> symlink(StringView name, StringView target, const fs::Cred&) override;
    ErrorOr<void> link(StringView name, fs::Vnode& target) override;
    ErrorOr<void> unlink(StringView name) override;
    ErrorOr<void> rmdir(StringView name) override;
    ErrorOr<void> rename(StringView from, fs::Vnode& to_dir, StringView to, u32 flags) override;
    ErrorOr<u64> readdir(u64 cookie, fs::ReaddirSink& sink) override;
    ErrorOr<size_t> read(u64 offset, const fs::IoBuffer& buf, size_t n) override;
    ErrorOr<size_t> write(u64 offset, const fs::IoBuffer& buf, size_t n) override;
    ErrorOr<size_t> readlink(const fs::IoBuffer& buf, size_t n) override;
    ErrorOr<fs::VAttr> getattr() override;
    ErrorOr<void> setattr(const fs::VAttr& attr, u32 mask) override;

    FakeFs& m_owner;
    u64 m_ino;
    u32 m_nlink = 1;
    u32 m_mode = 0;
    u64 m_rdev = 0;
    FakeNode* m_parent = nullptr;  // directories
    std::map<std::string, FakeNode*> m_children;
    std::string m_data;  // file data or symlink target

protected:
    void inactive() override;

private:
    friend class FakeFs;
    ~FakeNode() override = default;
    static std::string str(StringView s) { return std::string(s.characters(), s.length()); }
    void drop_link(FakeNode& n);
};

class FakeFs final : public fs::FileSystem {
public:
    FakeFs();
    ~FakeFs() override;
    fs::Vnode* root() override
    {
        m_root->ref();
        return m_root;
    }
    ErrorOr<fs::StatVfs> statvfs() override
    {
        fs::StatVfs st;
        st.fsid = id();
        st.files = m_nodes.size();
        return st;
    }
    ErrorOr<void> unmount() override;

    FakeNode* new_node(VType type);
    void free_node(FakeNode* n);
    // Nodes other than the root that are still referenced.
    size_t referenced_nodes() const;
    size_t node_count() const { return m_nodes.size(); }
    FakeNode* root_node() { return m_root; }

    static fs::FileSystemType TYPE;
    static inline FakeFs* s_last = nullptr;  // the instance the last create() made

private:
    static ErrorOr<fs::FileSystem*> create(StringView options);
    FakeNode* m_root;
    std::set<FakeNode*> m_nodes;
    u64 m_next_ino = 1;
};


// ---- FakeFs ----

inline FakeFs::FakeFs()
{
    m_root = new_node(VType::Directory);
    m_root->m_parent = m_root;
    m_root->m_nlink = 2;
}

inline FakeFs::~FakeFs()
{
    for (FakeNode* n : m_nodes)
        delete n;
}

inline ErrorOr<fs::FileSystem*> FakeFs::create(StringView options)
{
    if (options == "bad")
        return Errno::EINVAL;
    s_last = new FakeFs;
    return static_cast<fs::FileSystem*>(s_last);
}

inline fs::FileSystemType FakeFs::TYPE = {"fakefs", &FakeFs::create};

inline ErrorOr<void> FakeFs::unmount()
{
    if (referenced_nodes() != 0)
        return Errno::EBUSY;
    return {};
}

inline size_t FakeFs::referenced_nodes() const
{
    size_t n = 0;
    for (FakeNode* node : m_nodes)
        if (node != m_root && node->ref_count() != 0)
            ++n;
    return n;
}

inline FakeNode* FakeFs::new_node(VType type)
{
    auto* n = new FakeNode(*this, type, m_next_ino++);
    m_nodes.insert(n);
    return n;
}

inline void FakeFs::free_node(FakeNode* n)
{
    m_nodes.erase(n);
    delete n;
}

// ---- FakeNode: directories ----

inline void FakeNode::inactive()
{
    if (m_nlink == 0)
        m_owner.free_node(this);
}

inline void FakeNode::drop_link(FakeNode& n)
{
    n.m_nlink = n.is_directory() ? 0 : n.m_nlink - 1;
    if (n.is_directory())
        --m_nlink;
    if (n.m_nlink == 0 && n.ref_count() == 0)
        m_owner.free_node(&n);
}

inline ErrorOr<fs::Vnode*> FakeNode::lookup(StringView name)
{
    if (!is_directory())
        return Errno::ENOTDIR;
    EXPECT_FALSE(name == ".") << "the VFS resolves \".\" itself";
    FakeNode* n;
    if (name == "..") {
        n = m_parent;
    } else {
        auto it = m_children.find(str(name));
        if (it == m_children.end())
            return Errno::ENOENT;
        n = it->second;
    }
    n->ref();
    return static_cast<fs::Vnode*>(n);
}

inline ErrorOr<fs::Vnode*> FakeNode::create(StringView name, VType type, u32 mode, u64 rdev, const fs::Cred&)
{
    if (!is_directory())
        return Errno::ENOTDIR;
    if (m_nlink == 0)
        return Errno::ENOENT;
    if (m_children.count(str(name)))
        return Errno::EEXIST;
    FakeNode* n = m_owner.new_node(type);
    n->m_mode = mode;
    n->m_rdev = rdev;
    if (type == VType::Directory) {
        n->m_parent = this;
        n->m_nlink = 2;
        ++m_nlink;
    }
    m_children[str(name)] = n;
    n->ref();
    return static_cast<fs::Vnode*>(n);
}

inline ErrorOr<fs::Vnode*> FakeNode::symlink(StringView name, StringView target, const fs::Cred&)
{
    if (m_children.count(str(name)))
        return Errno::EEXIST;
    FakeNode* n = m_owner.new_node(VType::Symlink);
    n->m_data = str(target);
    m_children[str(name)] = n;
    n->ref();
    return static_cast<fs::Vnode*>(n);
}

inline ErrorOr<void> FakeNode::link(StringView name, fs::Vnode& target)
{
    if (m_children.count(str(name)))
        return Errno::EEXIST;
    auto& t = static_cast<FakeNode&>(target);
    EXPECT_FALSE(t.is_directory()) << "the VFS refuses links to directories";
    ++t.m_nlink;
    m_children[str(name)] = &t;
    return {};
}

inline ErrorOr<void> FakeNode::unlink(StringView name)
{
    auto it = m_children.find(str(name));
    if (it == m_children.end())
        return Errno::ENOENT;
    if (it->second->is_directory())
        return Errno::EISDIR;
    FakeNode* n = it->second;
    m_children.erase(it);
    drop_link(*n);
    return {};
}

inline ErrorOr<void> FakeNode::rmdir(StringView name)
{
    auto it = m_children.find(str(name));
    if (it == m_children.end())
        return Errno::ENOENT;
    FakeNode* n = it->second;
    if (!n->is_directory())
        return Errno::ENOTDIR;
    if (!n->m_children.empty())
        return Errno::ENOTEMPTY;
    m_children.erase(it);
    drop_link(*n);
    return {};
}

inline ErrorOr<void> FakeNode::rename(StringView from, fs::Vnode& to_dir_vnode, StringView to, u32 flags)
{
    auto& to_dir = static_cast<FakeNode&>(to_dir_vnode);
    auto it = m_children.find(str(from));
    if (it == m_children.end())
        return Errno::ENOENT;
    FakeNode* src = it->second;
    auto dst_it = to_dir.m_children.find(str(to));
    if ((flags & fs::RENAME_NOREPLACE) && dst_it != to_dir.m_children.end())
        return Errno::EEXIST;
    if (flags & fs::RENAME_EXCHANGE) {  // swap; ".." and link counts follow
        if (dst_it == to_dir.m_children.end())
            return Errno::ENOENT;
        FakeNode* dst = dst_it->second;
        it->second = dst;
        dst_it->second = src;
        for (auto [node, from_dir, to_dir_] : {std::tuple{src, this, &to_dir}, std::tuple{dst, &to_dir, this}}) {
            if (node->is_directory() && from_dir != to_dir_) {
                node->m_parent = to_dir_;
                --from_dir->m_nlink;
                ++to_dir_->m_nlink;
            }
        }
        return {};
    }
    if (dst_it != to_dir.m_children.end()) {
        FakeNode* dst = dst_it->second;
        if (dst == src)
            return {};
        if (src->is_directory() && !dst->is_directory())
            return Errno::ENOTDIR;
        if (!src->is_directory() && dst->is_directory())
            return Errno::EISDIR;
        if (dst->is_directory() && !dst->m_children.empty())
            return Errno::ENOTEMPTY;
        to_dir.m_children.erase(dst_it);
        to_dir.drop_link(*dst);
    }
    m_children.erase(str(from));
    to_dir.m_children[str(to)] = src;
    if (src->is_directory()) {
        src->m_parent = &to_dir;
        --m_nlink;
        ++to_dir.m_nlink;
    }
    return {};
}

inline ErrorOr<u64> FakeNode::readdir(u64 cookie, fs::ReaddirSink& sink)
{
    if (!is_directory())
        return Errno::ENOTDIR;
    std::vector<std::pair<std::string, FakeNode*>> all = {{".", this}, {"..", m_parent}};
    for (auto& [name, node] : m_children)
        all.push_back({name, node});
    for (; cookie < all.size(); ++cookie) {
        fs::DirEntry e{all[cookie].second->m_ino, all[cookie].second->type(),
                       StringView(all[cookie].first.c_str()), cookie + 1};
        if (!sink.emit(e))
            break;
    }
    return cookie;
}

// ---- FakeNode: data ----

inline ErrorOr<size_t> FakeNode::read(u64 offset, const fs::IoBuffer& buf, size_t n)
{
    if (type() != VType::Regular)
        return is_directory() ? Errno::EISDIR : Errno::EINVAL;
    if (offset >= m_data.size())
        return size_t(0);
    n = std::min<size_t>(n, m_data.size() - offset);
    TRY(buf.write_from(0, m_data.data() + offset, n));
    return n;
}

inline ErrorOr<size_t> FakeNode::write(u64 offset, const fs::IoBuffer& buf, size_t n)
{
    if (type() != VType::Regular)
        return is_directory() ? Errno::EISDIR : Errno::EINVAL;
    std::string bytes(n, '\0');
    TRY(buf.read_into(bytes.data(), 0, n));
    if (m_data.size() < offset + n)
        m_data.resize(offset + n);
    m_data.replace(offset, n, bytes);
    return n;
}

inline ErrorOr<size_t> FakeNode::readlink(const fs::IoBuffer& buf, size_t n)
{
    if (type() != VType::Symlink)
        return Errno::EINVAL;
    n = std::min(n, m_data.size());
    TRY(buf.write_from(0, m_data.data(), n));
    return n;
}

inline ErrorOr<fs::VAttr> FakeNode::getattr()
{
    fs::VAttr a;
    a.type = type();
    a.mode = m_mode;
    a.nlink = m_nlink;
    a.size = is_directory() ? 0 : m_data.size();
    a.ino = m_ino;
    a.dev = m_owner.id();
    a.rdev = m_rdev;
    return a;
}

inline ErrorOr<void> FakeNode::setattr(const fs::VAttr& attr, u32 mask)
{
    if (mask & fs::SETATTR_SIZE) {
        if (is_directory())
            return Errno::EISDIR;
        if (type() != VType::Regular)
            return Errno::EINVAL;
        m_data.resize(attr.size);
    }
    if (mask & fs::SETATTR_MODE)
        m_mode = attr.mode & 07777;
    return {};
}

} // namespace fakefs

// ---- the fixture every VFS test uses ----
//
// SetUp mounts a FakeFs as the root and makes a Context; TearDown drops the
// Context and unmounts the root, which fails (EBUSY) if a test leaked a
// reference to any vnode or left a mount behind.
// OK(expr): an ErrorOr<void> that must succeed (MUST needs a value).
#define OK(expr)                                                                   \
    do {                                                                           \
        auto _ok = (expr);                                                         \
        ASSERT_FALSE(_ok.is_error()) << #expr << ": " << kern::errno_name(_ok.error()); \
    } while (0)

namespace fakefs {

inline const char* name_of(Errno e) { return int(e) == 0 ? "OK" : kern::errno_name(e); }

class VfsTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        fs::register_filesystem(FakeFs::TYPE);
        auto r = fs::mount_root("fakefs", "");
        ASSERT_FALSE(r.is_error());
        rootfs = FakeFs::s_last;
        ctx = MUST(fs::root_context());
    }
    void TearDown() override
    {
        ctx = fs::Context{};
        EXPECT_EQ(rootfs->referenced_nodes(), 0u) << "a test leaked a vnode reference";
        auto r = fs::unmount_root();
        EXPECT_FALSE(r.is_error()) << "unmount_root: " << name_of(r.error());
    }

    template <typename T> static Errno err(ErrorOr<T>&& r) { return r.is_error() ? r.error() : Errno(0); }
    static Errno err(ErrorOr<void>&& r) { return r.is_error() ? r.error() : Errno(0); }

    // lookup's errno (0 on success, dropping the reference).
    Errno lookup_err(const char* path, fs::Follow follow = fs::Follow::Yes)
    {
        auto r = fs::lookup(ctx, path, follow);
        if (r.is_error())
            return r.error();
        r.value()->unref();
        return Errno(0);
    }
    // The inode number `path` leads to (0 on error).
    u64 ino(const char* path, fs::Follow follow = fs::Follow::Yes)
    {
        auto r = fs::lookup(ctx, path, follow);
        if (r.is_error())
            return 0;
        u64 n = MUST(r.value()->getattr()).ino;
        r.value()->unref();
        return n;
    }
    Errno open_err(const char* path, u32 flags, u32 mode = 0644)
    {
        auto r = fs::open(ctx, path, flags, mode);
        if (r.is_error())
            return r.error();
        r.value()->unref();
        return Errno(0);
    }
    void make_file(const char* path, const std::string& data = "")
    {
        fs::File* f = MUST(fs::open(ctx, path, fs::O_CREAT | fs::O_WRONLY, 0644));
        if (!data.empty()) {
            EXPECT_EQ(MUST(f->write(fs::IoBuffer::kernel(data.data()), data.size())), data.size());
        }
        f->unref();
    }
    std::string read_file(const char* path)
    {
        fs::File* f = MUST(fs::open(ctx, path, fs::O_RDONLY, 0));
        char buf[256];
        size_t n = MUST(f->read(fs::IoBuffer::kernel(buf), sizeof buf));
        f->unref();
        return std::string(buf, n);
    }
    void make_dir(const char* path) { OK(fs::mkdir(ctx, path, 0755)); }
    void make_link(const char* target, const char* path) { OK(fs::symlink(ctx, target, path)); }

    fs::Context ctx;
    FakeFs* rootfs = nullptr;
};

} // namespace fakefs
