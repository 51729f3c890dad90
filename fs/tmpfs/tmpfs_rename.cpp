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
// `moving`. => mount lock held. => EISDIR, ENOTDIR, ENOTEMPTY, EBUSY.
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

// Every check of rename, nothing changed. => mount lock held. => true and
// the two entries (target nullptr if absent) when there is work to do,
// false for a rename onto the same file; ENOENT, EBUSY, EINVAL, EMLINK,
// ENOTDIR, EISDIR, ENOTEMPTY.
ErrorOr<bool> TmpfsNode::check_rename_locked(StringView from, TmpfsNode& to_dir, StringView to,
                                             Dirent*& source, Dirent*& target)
{
    if (m_removed || to_dir.m_removed)
        return Errno::ENOENT;
    source = find_locked(from);
    if (!source)
        return Errno::ENOENT;
    TmpfsNode* moving = source->m_node;
    target = to_dir.find_locked(to);
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

// Take the entry `target` of this directory away for a rename that replaces
// it. => mount lock held. => its node if that was its last link (the caller
// then drops its name reference after unlocking), else nullptr.
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

// => ENOTDIR, ENOENT, EEXIST/ENOTEMPTY, EISDIR, EINVAL, EBUSY, EMLINK, ENOSPC.
ErrorOr<void> TmpfsNode::rename(StringView from, Vnode& to_vnode, StringView to)
{
    if (!is_directory() || !to_vnode.is_directory())
        return Errno::ENOTDIR;
    if (from == "." || from == ".." || to == "." || to == "..")
        return Errno::EINVAL;
    auto& to_dir = static_cast<TmpfsNode&>(to_vnode);  // same mount: the VFS checked
    KASSERT(&to_dir.m_tmpfs == &m_tmpfs);
    TmpfsNode* replaced = nullptr;
    {
        MutexGuard guard(m_tmpfs.lock());
        Dirent *source, *target;
        if (!TRY(check_rename_locked(from, to_dir, to, source, target)))
            return {};
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
