// fs/tmpfs/tmpfs_rename.cpp -- rename(2) for tmpfs.
//
// rename(from in this directory, to in to_dir) is the hardest namespace
// operation because it touches two directories and may replace a third
// node. All of it happens under the mount lock, so the tree cannot change
// between the checks and the moves. The POSIX cases:
//
//   source            target               result
//   ---------------   ------------------   ---------------------------------
//   any               absent               moved
//   X                 another name for X   nothing happens (success)
//   file/symlink/dev  file/symlink/dev     target replaced (its link dropped)
//   file              directory            EISDIR
//   directory         file                 ENOTDIR
//   directory         empty directory      target replaced (removed)
//   directory         non-empty directory  ENOTEMPTY
//   directory         below itself         EINVAL (walk to_dir's parents)
//   a mount point, or a mount point in the way          EBUSY
//   "." or ".." on either side                          EINVAL
//
// A directory that changes parent has its ".." follow it: attach_locked sets
// m_parent and moves the ".." link from the old parent's count to the new.
//
// renameat2's flags (Linux's shmem_rename2 takes the same two):
//   RENAME_NOREPLACE  a target present is EEXIST -- also another name of the
//                     same file. The check is under the mount lock with
//                     the move, so no create can slip in between.
//   RENAME_EXCHANGE   both names must exist (ENOENT). The two Dirents keep
//                     their names and cookies and swap their nodes
//                     (exchange_locked), so nothing is allocated and
//                     nothing can fail after the checks. Link counts of
//                     the two nodes do not change; a directory that
//                     changes parent gets m_parent and its ".." link moved,
//                     so when a directory and a file trade places across
//                     two directories, one parent loses a link and the
//                     other gains one. Either directory landing inside
//                     itself is EINVAL; a new parent at LINK_MAX, EMLINK.
//
// Order of work: every check first; then allocate the new Dirent (the only
// thing that can fail); then, with nothing left to fail: detach and free
// the replaced entry, attach the new entry, detach and free the old one
// (in that order, so the moved node's link count never passes through 0).
// The moved entry gets a new cookie in to_dir (a readdir in progress may
// see it again or not at all -- POSIX allows either for a renamed entry).
// A replaced node that lost its last link has its name reference dropped
// after the lock, so that it dies in inactive() (tmpfs_node.cpp, "Death").
//
// Read more: NetBSD sys/fs/tmpfs/tmpfs_rename.c (tmpfs_sane_rename with the
// genfs_rename framework, which locks per vnode; one mount lock makes the
// ancestor check trivially safe here). Design only; our own code.
#include <fs/tmpfs/tmpfs_mount.h>

namespace fs::tmpfs {

using kern::MutexGuard;

namespace {

// What is in the way at the target, if anything, may be replaced by
// `moving`. => mount lock held. Errors: EISDIR, ENOTDIR, ENOTEMPTY, EBUSY.
ErrorOr<void> check_replace(const TmpfsNode& moving, const TmpfsNode& old, bool old_empty)
{
    if (moving.is_directory()) {
        if (!old.is_directory())
            return Errno::ENOTDIR;
        if (old.mounted_here())
            return Errno::EBUSY;
        if (!old_empty)
            return Errno::ENOTEMPTY;
    } else if (old.is_directory()) {
        return Errno::EISDIR;
    }
    return {};
}

} // namespace

// Is this directory `dir` itself or below it? => mount lock held.
bool TmpfsNode::is_within_locked(const TmpfsNode& dir) const
{
    KASSERT(m_tmpfs.lock().is_locked_by_me());
    for (const TmpfsNode* node = this;; node = node->m_parent) {
        if (node == &dir)
            return true;
        if (!node->m_parent || node->m_parent == node)  // the root (or a removed directory)
            return false;
    }
}

// Every check of rename, nothing changed. => mount lock held. Returns true and
// the two entries (target nullptr if absent) when there is work to do,
// false for a rename onto the same file. Errors: ENOENT, EBUSY, EINVAL, EMLINK,
// ENOTDIR, EISDIR, ENOTEMPTY, EEXIST (RENAME_NOREPLACE).
ErrorOr<bool> TmpfsNode::check_rename_locked(StringView from, TmpfsNode& to_dir, StringView to, u32 flags,
                                             Dirent*& source, Dirent*& target)
{
    if (m_removed || to_dir.m_removed)
        return Errno::ENOENT;
    source = find_locked(from);
    if (!source)
        return Errno::ENOENT;
    TmpfsNode* moving = source->m_node;
    target = to_dir.find_locked(to);
    if ((flags & RENAME_NOREPLACE) && target)
        return Errno::EEXIST;
    if (flags & RENAME_EXCHANGE) {
        if (!target)
            return Errno::ENOENT;
        if (target->m_node == moving)
            return false;  // two names of one file: swapping changes nothing
        TRY(check_exchange_locked(to_dir, *source, *target));
        return true;
    }
    if (target && target->m_node == moving)
        return false;  // onto itself (or another link to it): nothing to do
    if (moving->is_directory()) {
        if (moving->mounted_here())
            return Errno::EBUSY;
        if (&to_dir != this && to_dir.is_within_locked(*moving))
            return Errno::EINVAL;
        if (&to_dir != this && !target && to_dir.nlink() >= LINK_MAX)
            return Errno::EMLINK;
    }
    if (target)
        TRY(check_replace(*moving, *target->m_node, target->m_node->is_empty_dir_locked()));
    return true;
}

// RENAME_EXCHANGE's checks for `source` (in this directory) and `target`
// (in to_dir), two different nodes. => mount lock held. Errors: EBUSY (a mount
// point), EINVAL (a directory would go inside itself), EMLINK.
ErrorOr<void> TmpfsNode::check_exchange_locked(TmpfsNode& to_dir, const Dirent& source, const Dirent& target)
{
    const TmpfsNode& a = *source.m_node;  // goes to to_dir
    const TmpfsNode& b = *target.m_node;  // comes here
    if (a.mounted_here() || b.mounted_here())
        return Errno::EBUSY;
    if (&to_dir == this)
        return {};  // same parent: no ".." moves
    if (a.is_directory() && to_dir.is_within_locked(a))
        return Errno::EINVAL;
    if (b.is_directory() && is_within_locked(b))
        return Errno::EINVAL;
    if (a.is_directory() && !b.is_directory() && to_dir.nlink() >= LINK_MAX)
        return Errno::EMLINK;
    if (b.is_directory() && !a.is_directory() && nlink() >= LINK_MAX)
        return Errno::EMLINK;
    return {};
}

// Swap the nodes of `source` (in this directory) and `target` (in to_dir).
// => mount lock held, check_exchange_locked passed. Cannot fail.
void TmpfsNode::exchange_locked(Dirent& source, TmpfsNode& to_dir, Dirent& target)
{
    KASSERT(m_tmpfs.lock().is_locked_by_me());
    TmpfsNode* a = source.m_node;
    TmpfsNode* b = target.m_node;
    source.m_node = b;
    target.m_node = a;
    if (&to_dir == this)
        return;
    if (a->is_directory()) {  // its ".." now counts in to_dir
        a->m_parent = &to_dir;
        to_dir.set_nlink_locked(to_dir.nlink() + 1);
        set_nlink_locked(nlink() - 1);
    }
    if (b->is_directory()) {
        b->m_parent = this;
        set_nlink_locked(nlink() + 1);
        to_dir.set_nlink_locked(to_dir.nlink() - 1);
    }
}

// Take the entry `target` of this directory away for a rename that replaces
// it. => mount lock held. Returns its node if that was its last link (the
// caller then drops its name reference after unlocking), else nullptr.
TmpfsNode* TmpfsNode::take_replaced_locked(Dirent& target)
{
    TmpfsNode* replaced = target.m_node;
    detach_locked(target);
    TmpfsMount::free_dirent(target);
    if (replaced->is_directory()) {
        replaced->set_nlink_locked(0);  // its "." goes too
        replaced->m_removed = true;
    }
    replaced->touch(CTIME);
    return replaced->nlink() == 0 ? replaced : nullptr;
}

// Errors: ENOTDIR, ENOENT, EEXIST/ENOTEMPTY, EISDIR, EINVAL, EBUSY, EMLINK, ENOSPC.
ErrorOr<void> TmpfsNode::rename(StringView from, Vnode& to_vnode, StringView to, u32 flags)
{
    TRY(check_rename_args(from, to_vnode, to, flags));
    auto& to_dir = static_cast<TmpfsNode&>(to_vnode);  // same mount: the VFS checked
    KASSERT(&to_dir.m_tmpfs == &m_tmpfs);
    TmpfsNode* replaced = nullptr;
    {
        MutexGuard guard(m_tmpfs.lock());
        Dirent *source, *target;
        if (!TRY(check_rename_locked(from, to_dir, to, flags, source, target)))
            return {};
        if (flags & RENAME_EXCHANGE) {
            exchange_locked(*source, to_dir, *target);  // cannot fail
            source->m_node->touch(CTIME);
            target->m_node->touch(CTIME);
            touch(MTIME | CTIME);
            if (&to_dir != this)
                to_dir.touch(MTIME | CTIME);
            return {};
        }
        Dirent* entry = TRY(TmpfsMount::allocate_dirent(to));
        // Nothing below can fail.
        TmpfsNode* moving = source->m_node;
        if (target)
            replaced = to_dir.take_replaced_locked(*target);
        to_dir.attach_locked(*entry, *moving);  // first: its link count never hits 0
        detach_locked(*source);
        TmpfsMount::free_dirent(*source);
        moving->touch(CTIME);
        touch(MTIME | CTIME);
        if (&to_dir != this)
            to_dir.touch(MTIME | CTIME);
    }
    if (replaced)
        replaced->unref();  // its name reference: frees it now if nobody has it open
    return {};
}

} // namespace fs::tmpfs
