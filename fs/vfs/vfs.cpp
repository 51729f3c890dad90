// fs/vfs/vfs.cpp -- the path-based file-system calls (vfs.h).
//
// Each call has the same shape: resolve the path(s) with namei (lookup, or
// lookup_parent for calls that create or remove a name), check what POSIX
// says the VFS must check (the kind of the last component, trailing
// slashes, mount points, file-system boundaries), then call one vnode
// operation. The file system checks the rest (EEXIST, ENOTEMPTY, ...).
//
// open sends two kinds of node elsewhere: a character device's File goes
// on its driver's vnode (fs/vfs/device.h), a FIFO's on the pipe attached
// to the node (fs/pipe/pipe.h:open_fifo, which may wait for the other end).
//
// References: vnodes are held in kern::RefPtr and parents in a Parent
// (which unrefs its directory), so every return path drops them.
//
// Locking: no lock is held across a call except s_rename_lock, taken by
// rename() when it moves a directory: it makes "is the target inside the
// source?" (walking ".." up from the new parent) and the move one atomic
// step against other directory renames (Linux's s_vfs_rename_mutex; here
// one for all file systems). Lock order: docs/locking.md.
// Mount points are read (Vnode::mounted_here) without the mount table's
// lock: a mount racing an rmdir may see either order, both safe.
// See docs/vfs.md.
#include <fs/pipe/pipe.h>
#include <fs/vfs/device.h>
#include <fs/vfs/namei.h>
#include <fs/vfs/vfs.h>
#include <kernel/base/sync/mutex.h>

namespace fs {

using kern::RefPtr;

namespace {

kern::Mutex s_rename_lock;

// A ParentLookup that drops its directory when it goes.
struct Parent : ParentLookup {
    Parent() = default;
    Parent(const Parent&) = delete;
    Parent& operator=(const Parent&) = delete;
    ~Parent()
    {
        if (dir)
            dir->unref();
    }
};

RefPtr<Vnode> adopt(Vnode* v) { return RefPtr<Vnode>::adopt(v); }

// The file system a vnode lives in, by its VAttr.dev.
ErrorOr<u64> fs_id(Vnode& v)
{
    VAttr attr = TRY(v.getattr());
    return attr.dev;
}

// The checks of Linux's filename_create for a name about to be made.
// Errors: EEXIST (".", "..", "/", or it exists under a trailing slash), ENOENT
// (a trailing slash on a missing name, unless making a directory).
ErrorOr<void> check_new_name(const Context& ctx, Parent& p, bool directory)
{
    if (p.kind != LastKind::Normal)
        return Errno::EEXIST;
    if (!p.trailing_slash || directory)
        return {};
    auto existing = lookup_component(ctx, *p.dir, p.name());
    if (!existing.is_error()) {
        existing.value()->unref();
        return Errno::EEXIST;
    }
    return existing.error() == Errno::ENOENT ? Errno::ENOENT : existing.error();
}

} // namespace

// ---- open ----

namespace {

// open without O_CREAT. Errors: ELOOP (O_NOFOLLOW on a symlink).
ErrorOr<Vnode*> open_existing(const Context& ctx, StringView path, u32 flags)
{
    bool nofollow = flags & O_NOFOLLOW;
    Vnode* v = TRY(lookup(ctx, path, nofollow ? Follow::No : Follow::Yes));
    if (v->type() == VType::Symlink) {
        v->unref();
        return Errno::ELOOP;
    }
    return v;
}

// open with O_CREAT: the existing file, or a new regular file. Without
// O_EXCL and O_NOFOLLOW a final symlink is followed first, also when it
// dangles: then its target is what gets created (Linux's rule; a relative
// target is resolved from the link's directory). Errors: EISDIR (a trailing
// slash, ".", "..", "/", an existing directory), EEXIST (O_EXCL), ELOOP
// (O_NOFOLLOW on a symlink).
ErrorOr<Vnode*> open_create(const Context& ctx, StringView path, u32 flags, u32 mode)
{
    bool follow = !(flags & (O_EXCL | O_NOFOLLOW));
    Parent p;
    TRY(lookup_parent(ctx, path, p, follow ? Follow::Yes : Follow::No));
    if (p.kind != LastKind::Normal || p.trailing_slash)
        return Errno::EISDIR;
    auto existing = lookup_component(ctx, *p.dir, p.name());
    if (existing.is_error() && existing.error() != Errno::ENOENT)
        return existing.error();
    if (existing.is_error())
        return p.dir->create(p.name(), VType::Regular, mode & 07777, 0, ctx.cred);
    Vnode* v = existing.value();
    if (flags & O_EXCL) {
        v->unref();
        return Errno::EEXIST;
    }
    if (v->type() == VType::Symlink) {  // O_NOFOLLOW (or a link made since the walk)
        v->unref();
        return Errno::ELOOP;
    }
    if (v->is_directory()) {  // Linux's do_open: O_CREAT never opens a directory
        v->unref();
        return Errno::EISDIR;
    }
    return v;
}

// open with O_PATH: a File on the node itself -- no device, no pipe, no
// Vnode::open -- and on a symlink itself with O_NOFOLLOW. Every other
// flag is dropped, as Linux. Errors: ENOTDIR (O_DIRECTORY).
ErrorOr<File*> open_path(const Context& ctx, StringView path, u32 flags)
{
    flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW;
    auto v = adopt(TRY(lookup(ctx, path, (flags & O_NOFOLLOW) ? Follow::No : Follow::Yes)));
    if ((flags & O_DIRECTORY) && !v->is_directory())
        return Errno::ENOTDIR;
    return File::create(*v, flags);
}

// The checks on what open found. Errors: ENOTDIR, EISDIR.
ErrorOr<void> check_open(Vnode& v, u32 flags)
{
    if ((flags & O_DIRECTORY) && !v.is_directory())
        return Errno::ENOTDIR;
    if (v.is_directory() && (flags & O_ACCMODE) != O_RDONLY)
        return Errno::EISDIR;
    return {};
}

} // namespace

ErrorOr<File*> open(const Context& ctx, StringView path, u32 flags, u32 mode)
{
    if (flags & O_PATH)
        return open_path(ctx, path, flags);
    if ((flags & O_ACCMODE) == O_ACCMODE)
        return Errno::EINVAL;
    if ((flags & O_CREAT) && (flags & O_DIRECTORY))
        return Errno::EINVAL;
    auto v = adopt(TRY((flags & O_CREAT) ? open_create(ctx, path, flags, mode)
                                         : open_existing(ctx, path, flags)));
    TRY(check_open(*v, flags));
    if (v->type() == VType::Fifo)  // the node is a name; the File goes on its pipe
        return open_fifo(*v, flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY));
    if (v->type() == VType::CharDevice || v->type() == VType::BlockDevice) {
        // The node is a name; the driver's vnode is the file (device.h).
        u64 rdev = TRY(v->getattr()).rdev;
        v = adopt(TRY(v->type() == VType::CharDevice ? char_device(rdev) : block_device(rdev)));
    }
    if ((flags & O_TRUNC) && v->type() == VType::Regular && (flags & O_ACCMODE) != O_RDONLY) {
        VAttr attr;
        attr.size = 0;
        TRY(v->setattr(attr, SETATTR_SIZE));
    }
    return File::create(*v, flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY));
}

// ---- making names ----

ErrorOr<void> mkdir(const Context& ctx, StringView path, u32 mode)
{
    Parent p;
    TRY(lookup_parent(ctx, path, p));
    TRY(check_new_name(ctx, p, true));
    Vnode* v = TRY(p.dir->create(p.name(), VType::Directory, mode & 07777, 0, ctx.cred));
    v->unref();
    return {};
}

ErrorOr<void> mknod(const Context& ctx, StringView path, u32 mode, u64 rdev)
{
    VType type = (mode & 0170000) == 0 ? VType::Regular : mode_to_vtype(mode);
    if (type == VType::Directory)
        return Errno::EPERM;
    if (type == VType::Symlink || type == VType::None)
        return Errno::EINVAL;
    Parent p;
    TRY(lookup_parent(ctx, path, p));
    TRY(check_new_name(ctx, p, false));
    Vnode* v = TRY(p.dir->create(p.name(), type, mode & 07777, rdev, ctx.cred));
    v->unref();
    return {};
}

ErrorOr<void> symlink(const Context& ctx, StringView target, StringView link_path)
{
    if (target.is_empty())
        return Errno::ENOENT;
    if (target.length() >= PATH_MAX)
        return Errno::ENAMETOOLONG;
    Parent p;
    TRY(lookup_parent(ctx, link_path, p));
    TRY(check_new_name(ctx, p, false));
    Vnode* v = TRY(p.dir->symlink(p.name(), target, ctx.cred));
    v->unref();
    return {};
}

ErrorOr<void> link(const Context& ctx, StringView existing, StringView new_path)
{
    auto src = adopt(TRY(lookup(ctx, existing, Follow::No)));
    Parent p;
    TRY(lookup_parent(ctx, new_path, p));
    TRY(check_new_name(ctx, p, false));
    if (TRY(fs_id(*src)) != TRY(fs_id(*p.dir)))
        return Errno::EXDEV;
    if (src->is_directory())
        return Errno::EPERM;
    return p.dir->link(p.name(), *src);
}

// ---- removing names ----

ErrorOr<void> unlink(const Context& ctx, StringView path)
{
    Parent p;
    TRY(lookup_parent(ctx, path, p));
    if (p.kind != LastKind::Normal)
        return Errno::EISDIR;
    auto victim = adopt(TRY(p.dir->lookup(p.name())));
    if (victim->is_directory())
        return Errno::EISDIR;
    if (p.trailing_slash)
        return Errno::ENOTDIR;
    return p.dir->unlink(p.name());
}

ErrorOr<void> rmdir(const Context& ctx, StringView path)
{
    Parent p;
    TRY(lookup_parent(ctx, path, p));
    if (p.kind == LastKind::Dot)
        return Errno::EINVAL;
    if (p.kind == LastKind::DotDot)
        return Errno::ENOTEMPTY;
    if (p.kind == LastKind::Root)
        return Errno::EBUSY;
    auto victim = adopt(TRY(p.dir->lookup(p.name())));
    if (!victim->is_directory())
        return Errno::ENOTDIR;
    if (victim->mounted_here() || victim.get() == ctx.root.get())
        return Errno::EBUSY;
    return p.dir->rmdir(p.name());
}

// ---- rename ----

namespace {

// Errors: EINVAL if `dir` is `moved` or inside it: walk ".." up from `dir` to
// the root of the file system. => s_rename_lock held (no directory moves
// meanwhile).
ErrorOr<void> check_not_inside(Vnode& moved, Vnode& dir)
{
    KASSERT(s_rename_lock.is_locked_by_me());
    auto cur = RefPtr<Vnode>(&dir);
    for (;;) {
        if (cur.get() == &moved)
            return Errno::EINVAL;
        if (is_mount_root(*cur))
            return {};
        auto parent = adopt(TRY(cur->lookup("..")));
        if (parent == cur)
            return {};  // the file system's root is its own parent
        cur = parent;
    }
}

// renameat2's flags: NOREPLACE and EXCHANGE, not both. Errors: EINVAL.
ErrorOr<void> check_rename_flags(u32 flags)
{
    if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE))
        return Errno::EINVAL;  // unknown, or RENAME_WHITEOUT (not supported)
    if ((flags & RENAME_NOREPLACE) && (flags & RENAME_EXCHANGE))
        return Errno::EINVAL;
    return {};
}

// The checks on the two names and what they name, in Linux's order
// (do_renameat2, vfs_rename). Returns the vnode at the target, referenced,
// or nullptr if there is none. Errors: EXDEV, EBUSY, EEXIST (NOREPLACE),
// ENOENT (EXCHANGE with no target), ENOTDIR (a trailing slash on a
// non-directory).
ErrorOr<RefPtr<Vnode>> check_rename(Parent& from, Parent& to, Vnode& src, const Context& ctx, u32 flags)
{
    if (TRY(fs_id(*from.dir)) != TRY(fs_id(*to.dir)))
        return Errno::EXDEV;
    if (src.mounted_here() || &src == ctx.root.get())
        return Errno::EBUSY;
    RefPtr<Vnode> dst;
    auto found = to.dir->lookup(to.name());
    if (!found.is_error())
        dst = adopt(found.value());
    else if (found.error() != Errno::ENOENT)
        return found.error();
    if ((flags & RENAME_NOREPLACE) && dst)
        return Errno::EEXIST;  // tmpfs checks again under its lock
    if (flags & RENAME_EXCHANGE) {
        if (!dst)
            return Errno::ENOENT;
        if (!dst->is_directory() && to.trailing_slash)
            return Errno::ENOTDIR;
    }
    if (!src.is_directory() && (from.trailing_slash || (to.trailing_slash && !(flags & RENAME_EXCHANGE))))
        return Errno::ENOTDIR;
    if (dst && (dst->mounted_here() || dst.get() == ctx.root.get()))
        return Errno::EBUSY;
    return dst;
}

} // namespace

ErrorOr<void> rename(const Context& ctx, StringView from_path, StringView to_path, u32 flags)
{
    TRY(check_rename_flags(flags));
    Parent from, to;
    TRY(lookup_parent(ctx, from_path, from));
    TRY(lookup_parent(ctx, to_path, to));
    if (from.kind != LastKind::Normal)
        return Errno::EBUSY;
    if (to.kind != LastKind::Normal)  // ".", "..", "/": they exist
        return (flags & RENAME_NOREPLACE) ? Errno::EEXIST : Errno::EBUSY;
    auto src = adopt(TRY(from.dir->lookup(from.name())));
    auto dst = TRY(check_rename(from, to, *src, ctx, flags));
    // A directory that moves (either one, in an exchange) must not land
    // inside itself: checked, and moved, under s_rename_lock.
    bool dst_moves = (flags & RENAME_EXCHANGE) && dst->is_directory();
    if (!src->is_directory() && !dst_moves)
        return from.dir->rename(from.name(), *to.dir, to.name(), flags);
    kern::MutexGuard guard(s_rename_lock);
    if (src->is_directory())
        TRY(check_not_inside(*src, *to.dir));
    if (dst_moves)
        TRY(check_not_inside(*dst, *from.dir));
    return from.dir->rename(from.name(), *to.dir, to.name(), flags);
}

// ---- reading names and attributes ----

ErrorOr<size_t> readlink(const Context& ctx, StringView path, const IoBuffer& buf, size_t n)
{
    auto v = adopt(TRY(lookup(ctx, path, Follow::No)));
    if (v->type() != VType::Symlink)
        return Errno::EINVAL;
    return v->readlink(buf, n);
}

ErrorOr<VAttr> stat(const Context& ctx, StringView path)
{
    auto v = adopt(TRY(lookup(ctx, path, Follow::Yes)));
    return v->getattr();
}

ErrorOr<VAttr> lstat(const Context& ctx, StringView path)
{
    auto v = adopt(TRY(lookup(ctx, path, Follow::No)));
    return v->getattr();
}

ErrorOr<void> truncate(const Context& ctx, StringView path, u64 length)
{
    auto v = adopt(TRY(lookup(ctx, path, Follow::Yes)));
    if (v->is_directory())
        return Errno::EISDIR;
    if (v->type() != VType::Regular)
        return Errno::EINVAL;
    VAttr attr;
    attr.size = length;
    return v->setattr(attr, SETATTR_SIZE);
}

ErrorOr<StatVfs> statvfs(const Context& ctx, StringView path)
{
    auto v = adopt(TRY(lookup(ctx, path, Follow::Yes)));
    FileSystem* fs = filesystem_of(*v);
    if (!fs)
        return Errno::ENOENT;
    return fs->statvfs();
}

ErrorOr<Vnode*> chdir(const Context& ctx, StringView path)
{
    Vnode* v = TRY(lookup(ctx, path, Follow::Yes));
    if (!v->is_directory()) {
        v->unref();
        return Errno::ENOTDIR;
    }
    return v;
}

} // namespace fs
