// fs/vfs/getcwd.cpp -- the name of the current directory, found by walking "..".
//
// The VFS keeps no names with its vnodes (no dentries, no name cache), so a
// directory does not know what it is called. Its parent does: getcwd walks
// up from ctx.cwd one ".." at a time and, at each step, reads the parent
// directory (Vnode::readdir) for the entry whose inode number is the
// child's. The names, found leaf first, are laid down from the end of a
// scratch buffer towards its start:
//
//     cwd = /home/ann/src          scratch: [ ............/home/ann/src ]
//     src   found in ann                                         ^ pos moves left
//     ann   found in home
//     home  found in /      ->  stop at ctx.root
//
// Mount points. The root R of a mounted file system has no name in its own
// file system; its name is that of the directory C it covers, in C's parent:
//
//     /  (root fs)                 at R: covered_vnode(R) = C ("mnt")
//     +-- mnt = C  <-- covered --  R   look for C's inode in C's parent "/"
//
// So before each step the walk first climbs from a mounted root to what it
// covers (repeatedly: stacked mounts), exactly as namei's dotdot does, and
// only then asks the file system for "..".
//
// Where it stops: at ctx.root (a chroot's root is "/"). A directory that was
// removed (link count 0), or a file-system root that is neither ctx.root
// nor a mount root (a cwd outside a chroot), has no path: ENOENT, as Linux.
//
// Cost: one readdir per level, so O(entries in every ancestor). Linux keeps
// names in its dentries and just follows d_parent (fs/d_path.c); NetBSD
// does what is done here when its name cache misses (sys/kern/vfs_getcwd.c,
// getcwd_scandir). See docs/vfs.md.
#include <fs/vfs/namei.h>
#include <fs/vfs/vfs.h>
#include <kernel/base/lib/string.h>

namespace fs {

using kern::RefPtr;

namespace {

// Finds the name of inode `ino` among a directory's entries.
class NameFinder final : public ReaddirSink {
public:
    explicit NameFinder(u64 ino) : m_ino(ino) {}
    bool emit(const DirEntry& entry) override
    {
        if (entry.ino != m_ino || entry.name == "." || entry.name == "..")
            return true;
        m_length = min(entry.name.length(), NAME_MAX);
        memcpy(m_name, entry.name.characters(), m_length);
        m_found = true;
        return false;  // stop the readdir: found
    }
    bool found() const { return m_found; }
    StringView name() const { return StringView(m_name, m_length); }

private:
    u64 m_ino;
    bool m_found = false;
    char m_name[NAME_MAX];
    size_t m_length = 0;
};

// The names, leaf first, laid down from the end of a PATH_MAX buffer.
class ReversePath {
public:
    ReversePath() : m_bytes(new (std::nothrow) char[PATH_MAX]) {}
    ReversePath(const ReversePath&) = delete;
    ReversePath& operator=(const ReversePath&) = delete;
    ~ReversePath() { delete[] m_bytes; }
    bool allocated() const { return m_bytes != nullptr; }

    // Put "/name" in front. Errors: ENAMETOOLONG (the path reached PATH_MAX).
    ErrorOr<void> prepend(StringView name)
    {
        if (name.length() + 1 >= m_pos)
            return Errno::ENAMETOOLONG;
        m_pos -= name.length();
        memcpy(m_bytes + m_pos, name.characters(), name.length());
        m_bytes[--m_pos] = '/';
        return {};
    }
    StringView view() const
    {
        if (m_pos == PATH_MAX)
            return "/";
        return StringView(m_bytes + m_pos, PATH_MAX - m_pos);
    }

private:
    char* m_bytes;
    size_t m_pos = PATH_MAX;
};

// From a mounted root up to the directory it covers, repeatedly, but not
// past ctx.root. Returns the directory, referenced.
RefPtr<Vnode> climb_mounts(const Context& ctx, RefPtr<Vnode> dir)
{
    while (dir != ctx.root) {
        Vnode* covered = covered_vnode(*dir);
        if (!covered)
            break;
        dir = RefPtr<Vnode>::adopt(covered);
    }
    return dir;
}

// The name of directory `child` in `parent` (same file system).
// Errors: ENOENT (no entry has its inode number).
ErrorOr<void> prepend_name(ReversePath& path, Vnode& parent, u64 child_ino)
{
    NameFinder finder(child_ino);
    TRY(parent.readdir(0, finder));
    if (!finder.found())
        return Errno::ENOENT;
    return path.prepend(finder.name());
}

} // namespace

ErrorOr<size_t> getcwd(const Context& ctx, char* buf, size_t n)
{
    ReversePath path;
    if (!path.allocated())
        return Errno::ENOMEM;
    RefPtr<Vnode> dir = ctx.cwd;
    for (;;) {
        dir = climb_mounts(ctx, dir);
        if (dir == ctx.root)
            break;
        VAttr attr = TRY(dir->getattr());
        if (attr.nlink == 0)
            return Errno::ENOENT;  // removed: "(unreachable)" in Linux's words
        auto parent = RefPtr<Vnode>::adopt(TRY(dir->lookup("..")));
        if (parent == dir)
            return Errno::ENOENT;  // a file-system root outside ctx.root
        TRY(prepend_name(path, *parent, attr.ino));
        dir = parent;
    }
    StringView result = path.view();
    if (result.length() + 1 > n)
        return Errno::ERANGE;
    memcpy(buf, result.characters(), result.length());
    buf[result.length()] = '\0';
    return result.length();
}

} // namespace fs
