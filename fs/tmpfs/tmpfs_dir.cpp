// fs/tmpfs/tmpfs_dir.cpp -- tmpfs directories: entries, lookup, create,
// symlink, link, unlink, rmdir, readdir (rename: tmpfs_rename.cpp).
//
// A directory is two indexes over the same Dirents (tmpfs_node.h):
// m_by_cookie, an RbTree in creation order (cookies only grow), which
// readdir walks from any cookie; and m_by_name, a HashTable for lookup,
// whose bucket array doubles when it averages more than one entry per
// bucket. "." and ".." have no Dirent: readdir makes them up (cookies 0 and
// 1) and lookup answers ".." from m_parent.
//
// Link counts (m_nlink, under the mount lock):
//   file or symlink   one per Dirent naming it
//   directory         1 for its own "." + 1 for its Dirent in the parent
//                     + 1 per subdirectory (their ".."); the root has 2
// attach_locked/detach_locked keep them; rmdir then drops the "." too.
//
// Every operation takes the mount lock for its whole length, checks
// everything that can fail, allocates what it needs, and only then changes
// the tree ("nothing below can fail"), so a failure leaves no trace.
// Errors (fs/vfs/vnode.h): ENOTDIR on a non-directory; ENOENT when this
// directory was removed; EEXIST; EMLINK beyond LINK_MAX; ENOSPC when the
// nodes= limit or memory runs out.
//
// Read more: NetBSD sys/fs/tmpfs/tmpfs_subr.c (tmpfs_dir_attach,
// tmpfs_dir_detach, tmpfs_dir_lookup, tmpfs_dir_getdents: there a list plus
// a cookie per entry; a hash for names is our choice), tmpfs_vnops.c
// (tmpfs_lookup, tmpfs_create, tmpfs_link, tmpfs_remove, tmpfs_rmdir).
#include <fs/tmpfs/tmpfs_mount.h>
#include <kernel/base/heap/heap.h>

namespace fs::tmpfs {

using kern::MutexGuard;

// ---- the indexes -----------------------------------------------------------------

Dirent* TmpfsNode::find_locked(StringView name) const
{
    KASSERT(m_tmpfs.lock().is_locked_by_me() && is_directory());
    return m_by_name.find(name);
}

// Give `entry` the next cookie, name `child` by it, and count the links.
// => mount lock held; no entry of that name; cannot fail.
void TmpfsNode::attach_locked(Dirent& entry, TmpfsNode& child)
{
    KASSERT(m_tmpfs.lock().is_locked_by_me() && is_directory() && !m_removed);
    entry.m_cookie = m_next_cookie++;
    entry.m_node = &child;
    m_by_cookie.insert(entry);
    Dirent* in_the_way = m_by_name.insert_unique(entry);
    KASSERT(in_the_way == nullptr);
    if (child.nlink() == 0)
        child.ref();  // the name reference: held while the node has links
    child.set_nlink_locked(child.nlink() + 1);
    if (child.is_directory()) {
        child.m_parent = this;
        set_nlink_locked(nlink() + 1);  // the child's ".."
    }
    if (m_by_name.should_grow())
        grow_name_index_locked();
}

// Take `entry` out of both indexes and uncount its link; the caller frees
// it, and if the node's link count reached 0, drops its name reference
// after unlocking. => mount lock held, entry is in this directory.
void TmpfsNode::detach_locked(Dirent& entry)
{
    KASSERT(m_tmpfs.lock().is_locked_by_me() && m_by_name.contains(entry));
    TmpfsNode& child = *entry.m_node;
    m_by_cookie.remove(entry);
    m_by_name.remove(entry);
    KASSERT(child.nlink() > 0);
    child.set_nlink_locked(child.nlink() - 1);
    if (child.is_directory()) {
        KASSERT(nlink() > 2);
        set_nlink_locked(nlink() - 1);
    }
}

// Double the bucket array. Failing to allocate is harmless: lookups just
// walk longer chains until the next attempt.
void TmpfsNode::grow_name_index_locked()
{
    const size_t count = m_by_name.bucket_count() * 2;
    auto* buckets = static_cast<kern::HashBucket*>(kern::kmalloc(count * sizeof(kern::HashBucket)));
    if (!buckets)
        return;
    kern::HashBucket* old = m_by_name.rehash(buckets, count);
    if (old != m_small_buckets)
        kern::kfree(old);
    m_buckets = buckets;
}

// ---- lookup ------------------------------------------------------------------------

// Errors: ENOTDIR, ENOENT.
ErrorOr<Vnode*> TmpfsNode::lookup(StringView name)
{
    if (!is_directory())
        return Errno::ENOTDIR;
    MutexGuard guard(m_tmpfs.lock());
    TmpfsNode* found = nullptr;
    if (name == "..") {
        found = m_removed ? nullptr : m_parent;
    } else if (name == ".") {
        found = this;
    } else if (Dirent* entry = find_locked(name)) {
        found = entry->m_node;
    }
    if (!found)
        return Errno::ENOENT;
    found->ref();
    return static_cast<Vnode*>(found);
}

// ---- making nodes ---------------------------------------------------------------------

// The checks and steps create() and symlink() share. => mount lock held.
// Errors: ENOTDIR, ENOENT, EEXIST, EMLINK, ENOSPC; on failure nothing changed.
ErrorOr<TmpfsNode*> TmpfsNode::make_child_locked(StringView name, VType type, u32 mode, u64 rdev,
                                                 const Cred& cred, StringView target)
{
    if (!is_directory())
        return Errno::ENOTDIR;
    if (m_removed)
        return Errno::ENOENT;
    if (name == "." || name == ".." || find_locked(name))
        return Errno::EEXIST;
    if (type == VType::Directory && nlink() >= LINK_MAX)
        return Errno::EMLINK;
    char* copy = nullptr;
    if (type == VType::Symlink) {
        copy = static_cast<char*>(kern::kmalloc(target.length()));
        if (!copy)
            return Errno::ENOSPC;
        memcpy(copy, target.characters(), target.length());
    }
    auto entry = TmpfsMount::allocate_dirent(name);
    auto node = entry.is_error() ? ErrorOr<TmpfsNode*>(entry.error())
                                 : m_tmpfs.allocate_node_locked(type, mode, cred);
    if (node.is_error()) {  // undo in reverse order
        if (!entry.is_error())
            TmpfsMount::free_dirent(*entry.value());
        kern::kfree(copy);
        return node.error();
    }
    TmpfsNode* child = node.value();  // nothing below can fail
    child->m_rdev = rdev;
    child->m_target = copy;
    child->m_size = copy ? target.length() : 0;
    if (type == VType::Directory) {
        child->ref();                // its name reference: nlink > 0 from here on
        child->set_nlink_locked(1);  // its "."
    }
    attach_locked(*entry.value(), *child);
    touch(MTIME | CTIME);
    child->ref();
    return child;
}

// Errors: ENOTDIR, ENOENT, EEXIST, EMLINK, ENOSPC, EINVAL (a type tmpfs
// cannot make).
ErrorOr<Vnode*> TmpfsNode::create(StringView name, VType type, u32 mode, u64 rdev, const Cred& cred)
{
    if (type == VType::None || type == VType::Symlink)
        return Errno::EINVAL;
    MutexGuard guard(m_tmpfs.lock());
    return static_cast<Vnode*>(TRY(make_child_locked(name, type, mode, rdev, cred, {})));
}

// Errors: as create(), and ENAMETOOLONG, ENOENT (empty target).
ErrorOr<Vnode*> TmpfsNode::symlink(StringView name, StringView target, const Cred& cred)
{
    if (target.length() > PATH_MAX - 1)
        return Errno::ENAMETOOLONG;
    if (target.is_empty())
        return Errno::ENOENT;
    MutexGuard guard(m_tmpfs.lock());
    return static_cast<Vnode*>(TRY(make_child_locked(name, VType::Symlink, 0777, 0, cred, target)));
}

// Errors: ENOTDIR, ENOENT, EEXIST, EMLINK, ENOSPC, EPERM (a directory).
ErrorOr<void> TmpfsNode::link(StringView name, Vnode& target_vnode)
{
    if (!is_directory())
        return Errno::ENOTDIR;
    if (target_vnode.is_directory())
        return Errno::EPERM;
    auto& target = static_cast<TmpfsNode&>(target_vnode);  // same mount: the VFS checked
    KASSERT(&target.m_tmpfs == &m_tmpfs);
    MutexGuard guard(m_tmpfs.lock());
    if (m_removed || target.nlink() == 0)
        return Errno::ENOENT;
    if (name == "." || name == ".." || find_locked(name))
        return Errno::EEXIST;
    if (target.nlink() >= LINK_MAX)
        return Errno::EMLINK;
    Dirent* entry = TRY(TmpfsMount::allocate_dirent(name));
    attach_locked(*entry, target);  // nothing below can fail
    target.touch(CTIME);
    touch(MTIME | CTIME);
    return {};
}

// ---- removing names -----------------------------------------------------------------

// unlink() and rmdir(): check, detach, and if that was the victim's last
// link, drop its name reference after unlocking (tmpfs_node.cpp, "Death").
ErrorOr<void> TmpfsNode::remove_entry(StringView name, bool directory)
{
    if (!is_directory())
        return Errno::ENOTDIR;
    if (directory && (name == "." || name == ".."))
        return Errno::EINVAL;
    TmpfsNode* victim;
    {
        MutexGuard guard(m_tmpfs.lock());
        Dirent* entry = find_locked(name);
        if (!entry)
            return Errno::ENOENT;
        victim = entry->m_node;
        if (!directory && victim->is_directory())
            return Errno::EISDIR;
        if (directory && !victim->is_directory())
            return Errno::ENOTDIR;
        if (directory && victim->mounted_here())
            return Errno::EBUSY;
        if (directory && !victim->is_empty_dir_locked())
            return Errno::ENOTEMPTY;
        detach_locked(*entry);  // nothing below can fail
        TmpfsMount::free_dirent(*entry);
        if (directory) {
            victim->set_nlink_locked(0);  // its "." goes too
            victim->m_removed = true;
        }
        victim->touch(CTIME);
        touch(MTIME | CTIME);
        if (victim->nlink() > 0)
            return {};  // other names remain: the name reference stays
    }
    victim->unref();  // the name reference: frees it now if nobody has it open
    return {};
}

// Errors: ENOTDIR, ENOENT, EISDIR.
ErrorOr<void> TmpfsNode::unlink(StringView name) { return remove_entry(name, false); }

// Errors: ENOTDIR, ENOENT, ENOTEMPTY, EBUSY, EINVAL.
ErrorOr<void> TmpfsNode::rmdir(StringView name) { return remove_entry(name, true); }

// ---- readdir ----------------------------------------------------------------------------

// "." (cookie 0), ".." (1), then the entries with cookie >= the one given,
// in cookie order. Returns the cookie to continue from. Errors: ENOTDIR.
ErrorOr<u64> TmpfsNode::readdir(u64 cookie, ReaddirSink& sink)
{
    if (!is_directory())
        return Errno::ENOTDIR;
    {
        MutexGuard guard(m_tmpfs.lock());
        if (cookie == COOKIE_DOT) {
            if (!sink.emit({m_ino, VType::Directory, ".", COOKIE_DOTDOT}))
                return cookie;
            cookie = COOKIE_DOTDOT;
        }
        if (cookie == COOKIE_DOTDOT) {
            const TmpfsNode* parent = m_parent && !m_removed ? m_parent : this;
            if (!sink.emit({parent->m_ino, VType::Directory, "..", COOKIE_FIRST}))
                return cookie;
            cookie = COOKIE_FIRST;
        }
        for (Dirent* e = m_by_cookie.lower_bound(cookie); e; e = m_by_cookie.next(*e)) {
            if (!sink.emit({e->m_node->m_ino, e->m_node->type(), e->name(), e->m_cookie + 1}))
                return e->m_cookie;
            cookie = e->m_cookie + 1;
        }
    }
    touch(ATIME);
    return cookie;
}

} // namespace fs::tmpfs
