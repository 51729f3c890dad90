// fs/tmpfs/tmpfs_node.cpp -- TmpfsNode: attributes, times, symlink targets,
// and the end of a node's life (see tmpfs_node.h for the structure and the
// locks).
//
// Times, per POSIX (each operation's file says which it touches):
//   read            file atime                 readdir   dir atime
//   write/truncate  file mtime + ctime         setattr   ctime (+ what it sets)
//   create, symlink, unlink, rmdir, link in a dir:  the dir's mtime + ctime
//   link, unlink    the target's ctime         rename    both dirs' mtime +
//                                                        ctime, the moved ctime
// A new node's four times are all "now" (btime is its birth).
//
// Death. A node is freed when it has no link and no reference, in
// inactive(), called by the last unref(). To make that moment unique, a
// node holds one reference on itself -- its "name reference" -- for as long
// as it has links (taken by attach_locked when nlink goes 0 -> 1, dropped
// by whoever takes the last link away, after unlocking the mount). So the
// count can reach 0 only once nlink is 0, and then nothing can find the node
// again (no entry names it; link() refuses a node with no links): no lookup
// can race with the free, and inactive() runs exactly once.
//
// Read more: NetBSD sys/fs/tmpfs/tmpfs_vnops.c (tmpfs_getattr,
// tmpfs_setattr, tmpfs_readlink, tmpfs_inactive, tmpfs_reclaim) and
// tmpfs_subr.c (tmpfs_update, tmpfs_chsize). Design only; our own code.
#include <fs/tmpfs/tmpfs_mount.h>
#include <vm/aobj.h>

namespace fs::tmpfs {

using kern::MutexGuard;

TmpfsNode::TmpfsNode(TmpfsMount& tmpfs, VType type, u64 ino, u32 mode, const Cred& cred)
    : Vnode(type, nullptr), m_tmpfs(tmpfs), m_ino(ino), m_mode(mode & 07777), m_uid(cred.uid),
      m_gid(cred.gid)
{
    m_buckets = m_small_buckets;
    m_by_name.init(m_buckets, sizeof(m_small_buckets) / sizeof(m_small_buckets[0]));
    m_atime = m_mtime = m_ctime = m_btime = current_time();
}

TmpfsNode::~TmpfsNode()
{
    KASSERT(m_by_cookie.is_empty() && m_by_name.is_empty());
}

vm::VmObject* TmpfsNode::vm_object() { return m_object; }

// ---- times ------------------------------------------------------------------

void TmpfsNode::touch_locked(u32 which)
{
    KASSERT(m_lock.is_locked_by_me());
    const Timespec now = current_time();
    if (which & ATIME)
        m_atime = now;
    if (which & MTIME)
        m_mtime = now;
    if (which & CTIME)
        m_ctime = now;
}

void TmpfsNode::touch(u32 which)
{
    MutexGuard guard(m_lock);
    touch_locked(which);
}

// ---- attributes ----------------------------------------------------------------

ErrorOr<VAttr> TmpfsNode::getattr()
{
    VAttr attr;
    attr.type = type();
    attr.nlink = nlink();  // an atomic read: no need for the mount lock
    attr.ino = m_ino;
    attr.dev = m_tmpfs.id();
    MutexGuard guard(m_lock);
    attr.mode = m_mode;
    attr.uid = m_uid;
    attr.gid = m_gid;
    attr.size = is_directory() ? PAGE_SIZE : m_size;
    attr.rdev = m_rdev;
    attr.blocks = resident_pages() * (PAGE_SIZE / 512);
    attr.blksize = PAGE_SIZE;
    attr.atime = m_atime;
    attr.mtime = m_mtime;
    attr.ctime = m_ctime;
    attr.btime = m_btime;
    return attr;
}

// Errors: EISDIR (size of a directory), EINVAL (size of another non-file), EFBIG.
// The size change happens first: if it fails nothing else has changed.
ErrorOr<void> TmpfsNode::setattr(const VAttr& attr, u32 mask)
{
    if (mask & SETATTR_SIZE) {
        if (is_directory())
            return Errno::EISDIR;
        if (type() != VType::Regular)
            return Errno::EINVAL;
        if (attr.size > MAX_FILE_SIZE)
            return Errno::EFBIG;
    }
    MutexGuard guard(m_lock);
    if (mask & SETATTR_SIZE)
        TRY(truncate_locked(attr.size));  // sets mtime and ctime
    if (mask & SETATTR_MODE)
        m_mode = attr.mode & 07777;
    if (mask & SETATTR_UID)
        m_uid = attr.uid;
    if (mask & SETATTR_GID)
        m_gid = attr.gid;
    if (mask & SETATTR_ATIME)
        m_atime = attr.atime;
    if (mask & SETATTR_MTIME)
        m_mtime = attr.mtime;
    m_ctime = current_time();
    return {};
}

// ---- symbolic links ----------------------------------------------------------------

// Errors: EINVAL (not a symlink), EFAULT.
ErrorOr<size_t> TmpfsNode::readlink(const IoBuffer& buf, size_t n)
{
    if (type() != VType::Symlink)
        return Errno::EINVAL;
    const size_t length = min<size_t>(n, size_t(m_size));  // the target never changes
    TRY(buf.write_from(0, m_target, length));
    touch(ATIME);
    return length;
}

// ---- the end ---------------------------------------------------------------------

// The last reference went (Vnode::unref): the node has no links either
// (the name reference would still be there), and nobody can find it again.
void TmpfsNode::inactive()
{
    TmpfsMount& tmpfs = m_tmpfs;
    MutexGuard guard(tmpfs.lock());
    KASSERT(ref_count() == 0 && nlink() == 0);
    tmpfs.free_node_locked(*this);
}

} // namespace fs::tmpfs
