// fs/ffs/ffs_vnops.cpp -- the directory operations of FFS: lookup, create,
// symlink, link, unlink, rmdir, rename, readdir.
//
// A directory's contents are its data blocks, read and written through the
// buffer cache a block at a time; inside a block, fs/ffs/ffs_dir.h finds,
// adds and removes entries. A directory's size is a multiple of 512 (one
// chunk, FFS_DIRBLKSIZ), so its last block may be only partly in use:
// `valid` below is the part of a block that belongs to the directory.
//
//   lookup(name)   each block in turn: dir_block_find -> inode -> get_node
//   add(name)      the first block with room (dir_block_add), else the next
//                  chunk of the last block, else a new block; size += 512
//   remove(entry)  dir_block_remove in its block
//
// Every directory block is checked (dir_block_check) each time it is read:
// a block damaged since mount is EIO with a console line, never a crash.
//
// All of it runs under the mount's namespace lock (FfsMount::ns_lock), like
// tmpfs's one lock per mount: rename's checks then see a still tree. Link
// counts (di_nlink) change only under it. A node whose last link goes is
// freed, blocks and inode, when its last reference goes (FfsNode::inactive).
//
// Cookies (readdir): an entry's byte offset in the directory. Entries never
// move (ffs_dir.h), so an entry present throughout a readdir is delivered
// exactly once.
//
// Read more: NetBSD sys/ufs/ufs/ufs_lookup.c (ufs_lookup, ufs_direnter,
// ufs_dirremove, ufs_dirempty), ufs_vnops.c, ufs_rename.c. Design only.
#include <fs/block/bufcache.h>
#include <fs/ffs/ffs_dir.h>
#include <fs/ffs/ffs_mount.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/lib/ref_ptr.h>

namespace fs::ffs {

using block::Buf;
using block::bufcache;
using kern::MutexGuard;

namespace {

constexpr u32 LINK_MAX = 32000;  // di_nlink is 16 bits

VType dtype_to_vtype(u8 type)
{
    switch (type) {
    case FFS_DT_FIFO: return VType::Fifo;
    case FFS_DT_CHR: return VType::CharDevice;
    case FFS_DT_DIR: return VType::Directory;
    case FFS_DT_BLK: return VType::BlockDevice;
    case FFS_DT_REG: return VType::Regular;
    case FFS_DT_LNK: return VType::Symlink;
    case FFS_DT_SOCK: return VType::Socket;
    default: return VType::None;
    }
}

// Where an entry is: its directory block and byte offset there.
struct Slot {
    u64 lbn = 0;
    u32 off = 0;
    u32 ino = 0;
    u8 type = 0;
};

} // namespace

// The helpers, with access to FfsNode's insides. => ns lock held.
class DirOps {
public:
    // A held, checked directory block and how much of it is the directory's.
    struct Block {
        Buf* bp = nullptr;
        u32 valid = 0;
        u8* data() const { return static_cast<u8*>(bp->b_data); }
    };

    static u64 dir_size(FfsNode& dir) { return dir.size(); }

    // Errors: EIO (a hole, a bad pointer, a damaged block).
    static ErrorOr<Block> read_block(FfsNode& dir, u64 lbn)
    {
        FfsMount& ffs = dir.m_ffs;
        const ffs_superblock& sb = ffs.sb();
        u32 bno;
        u64 size;
        {
            MutexGuard guard(dir.m_din_lock);
            bno = TRY(dir.bmap_locked(lbn));
            size = dir.size_locked();
        }
        if (bno == 0) {
            ffs.report(dir.ino(), "a hole in a directory");
            return Errno::EIO;
        }
        Block b;
        b.bp = TRY(ffs.bread(bno));
        b.valid = u32(min<u64>(sb.fs_bsize, size - lbn * sb.fs_bsize));
        if (const char* why = dir_block_check(b.data(), b.valid, ffs_ninodes(&sb))) {
            ffs.report(dir.ino(), why);
            bufcache().brelse(*b.bp);
            return Errno::EIO;
        }
        return b;
    }

    static u64 block_count(FfsNode& dir) { return ffs_numblks(&dir.m_ffs.sb(), dir_size(dir)); }

    // The entry `name`. Errors: ENOENT, EIO.
    static ErrorOr<Slot> find(FfsNode& dir, StringView name)
    {
        for (u64 lbn = 0; lbn < block_count(dir); ++lbn) {
            Block b = TRY(read_block(dir, lbn));
            const i64 off = dir_block_find(b.data(), b.valid, name);
            Slot s;
            if (off >= 0) {
                const ffs_direct& d = dir_entry_at(b.data(), u32(off));
                s = {lbn, u32(off), d.d_ino, d.d_type};
            }
            bufcache().brelse(*b.bp);
            if (off >= 0)
                return s;
        }
        return Errno::ENOENT;
    }

    // Add `name` -> ino. Errors: ENOSPC, EIO.
    static ErrorOr<void> add(FfsNode& dir, StringView name, u32 ino, u8 type)
    {
        const u64 blocks = block_count(dir);
        for (u64 lbn = 0; lbn < blocks; ++lbn) {
            Block b = TRY(read_block(dir, lbn));
            if (dir_block_add(b.data(), b.valid, name, ino, type) >= 0) {
                bufcache().bdwrite(*b.bp);
                return touch_dir(dir);
            }
            bufcache().brelse(*b.bp);
        }
        // No room: one more chunk, in the last block if it has one left.
        const ffs_superblock& sb = dir.m_ffs.sb();
        const u64 size = dir_size(dir);
        const u32 in_block = u32(size % sb.fs_bsize);
        Buf* bp;
        if (in_block != 0) {
            {
                MutexGuard guard(dir.m_din_lock);
                dir.m_din.di_size += FFS_DIRBLKSIZ;  // read_block trusts only the size
            }
            auto b = read_block_raw(dir, blocks - 1);
            if (b.is_error()) {
                MutexGuard guard(dir.m_din_lock);
                dir.m_din.di_size -= FFS_DIRBLKSIZ;
                return b.error();
            }
            bp = b.value();
        } else {
            bool fresh;
            u32 bno;
            {
                MutexGuard guard(dir.m_din_lock);
                bno = TRY(dir.balloc_locked(blocks, fresh));
            }
            auto b = dir.m_ffs.getblk(bno);
            if (b.is_error()) {
                MutexGuard guard(dir.m_din_lock);
                (void)dir.free_blocks_from_locked(blocks);
                return b.error();
            }
            bp = b.value();
            dir_block_init(static_cast<u8*>(bp->b_data), sb.fs_bsize);
            MutexGuard guard(dir.m_din_lock);
            dir.m_din.di_size += FFS_DIRBLKSIZ;
        }
        u8* chunk = static_cast<u8*>(bp->b_data) + in_block;
        dir_block_init(chunk, FFS_DIRBLKSIZ);
        KASSERT(dir_block_add(chunk, FFS_DIRBLKSIZ, name, ino, type) == 0);
        bufcache().bdwrite(*bp);
        return touch_dir(dir);
    }

    // A directory block without the check (its last chunk is being added).
    static ErrorOr<Buf*> read_block_raw(FfsNode& dir, u64 lbn)
    {
        u32 bno;
        {
            MutexGuard guard(dir.m_din_lock);
            bno = TRY(dir.bmap_locked(lbn));
        }
        if (bno == 0)
            return Errno::EIO;
        return dir.m_ffs.bread(bno);
    }

    static ErrorOr<void> remove(FfsNode& dir, const Slot& s)
    {
        Block b = TRY(read_block(dir, s.lbn));
        dir_block_remove(b.data(), b.valid, s.off);
        bufcache().bdwrite(*b.bp);
        return touch_dir(dir);
    }

    // Point the entry at `s` to another inode (rename over a name, "..").
    static ErrorOr<void> set(FfsNode& dir, const Slot& s, u32 ino, u8 type)
    {
        Block b = TRY(read_block(dir, s.lbn));
        ffs_direct& d = dir_entry_at(b.data(), s.off);
        d.d_ino = ino;
        d.d_type = type;
        bufcache().bdwrite(*b.bp);
        return touch_dir(dir);
    }

    // Errors: EIO.
    static ErrorOr<bool> is_empty(FfsNode& dir)
    {
        for (u64 lbn = 0; lbn < block_count(dir); ++lbn) {
            Block b = TRY(read_block(dir, lbn));
            const bool names = dir_block_has_names(b.data(), b.valid);
            bufcache().brelse(*b.bp);
            if (names)
                return false;
        }
        return true;
    }

    static ErrorOr<void> touch_dir(FfsNode& dir)
    {
        MutexGuard guard(dir.m_din_lock);
        dir.touch_locked(FfsNode::MTIME | FfsNode::CTIME);
        return dir.write_inode_locked();
    }

    static u32 nlink(FfsNode& n)
    {
        MutexGuard guard(n.m_din_lock);
        return n.m_din.di_nlink;
    }

    // Change a link count by `delta` and write the inode.
    static ErrorOr<void> adjust_links(FfsNode& n, int delta)
    {
        MutexGuard guard(n.m_din_lock);
        n.m_din.di_nlink = u16(int(n.m_din.di_nlink) + delta);
        n.touch_locked(FfsNode::CTIME);
        return n.write_inode_locked();
    }

    static ErrorOr<void> set_links(FfsNode& n, u32 value)
    {
        MutexGuard guard(n.m_din_lock);
        n.m_din.di_nlink = u16(value);
        n.touch_locked(FfsNode::CTIME);
        return n.write_inode_locked();
    }

    static u8 dtype(const FfsNode& n) { return ffs_mode_to_dtype(vtype_to_mode(n.type())); }

    // Is directory `dir` `ancestor` or below it? Walks ".." up to the root.
    // Errors: EIO.
    static ErrorOr<bool> is_within(FfsNode& dir, FfsNode& ancestor)
    {
        u32 ino = dir.ino();
        for (u32 steps = 0; steps < ffs_ninodes(&dir.m_ffs.sb()); ++steps) {
            if (ino == ancestor.ino())
                return true;
            if (ino == FFS_ROOTINO)
                return false;
            FfsNode* node = TRY(dir.m_ffs.get_node(ino));
            auto up = find(*node, "..");
            node->unref();
            if (up.is_error())
                return up.error();
            ino = up.value().ino;
        }
        dir.m_ffs.report(dir.ino(), "\"..\" links form a loop");
        return Errno::EIO;
    }

    // Make a new node named `name` in `dir`. Errors: EEXIST, ENOSPC, EMLINK,
    // ENOENT (dir removed), EIO.
    static ErrorOr<Vnode*> make(FfsNode& dir, StringView name, VType type, u32 mode, u64 rdev, const Cred& cred,
                                StringView target);
    static ErrorOr<void> rename(FfsNode& from_dir, StringView from, FfsNode& to_dir, StringView to, u32 flags);
};

// ---- lookup and making names -------------------------------------------------

ErrorOr<Vnode*> FfsNode::lookup(StringView name)
{
    if (!is_directory())
        return Errno::ENOTDIR;
    TRY(check_device());
    MutexGuard guard(m_ffs.ns_lock());
    const Slot s = TRY(DirOps::find(*this, name));
    return static_cast<Vnode*>(TRY(m_ffs.get_node(s.ino)));
}

ErrorOr<Vnode*> DirOps::make(FfsNode& dir, StringView name, VType type, u32 mode, u64 rdev, const Cred& cred,
                             StringView target)
{
    if (!dir.is_directory())
        return Errno::ENOTDIR;
    TRY(dir.check_device());
    FfsMount& ffs = dir.m_ffs;
    const ffs_superblock& sb = ffs.sb();
    if (type == VType::Symlink && target.length() >= sb.fs_bsize)
        return Errno::ENAMETOOLONG;
    MutexGuard guard(ffs.ns_lock());
    if (nlink(dir) == 0)
        return Errno::ENOENT;
    auto existing = find(dir, name);
    if (!existing.is_error())
        return Errno::EEXIST;
    if (existing.error() != Errno::ENOENT)
        return existing.error();
    const bool is_dir = type == VType::Directory;
    if (is_dir && nlink(dir) >= LINK_MAX)
        return Errno::EMLINK;
    FfsNode* node = TRY(ffs.allocate_node(dir, vtype_to_mode(type) | (mode & 07777), cred));
    kern::RefPtr<Vnode> hold = kern::RefPtr<Vnode>::adopt(node);
    ErrorOr<void> made;
    {
        MutexGuard din(node->m_din_lock);
        node->m_din.di_nlink = is_dir ? 2 : 1;
        if (type == VType::CharDevice || type == VType::BlockDevice)
            node->m_din.di_db[0] = u32(rdev);
        if (type == VType::Symlink) {
            node->m_din.di_size = target.length();
            if (target.length() < FFS_MAXSYMLINKLEN)
                memcpy(node->m_din.di_db, target.characters(), target.length());
        }
        node->set_din_dirty_locked();
    }
    // Its first block: a directory's "." and "..", a long symlink's target.
    if (is_dir || (type == VType::Symlink && target.length() >= FFS_MAXSYMLINKLEN)) {
        bool fresh;
        ErrorOr<u32> bno = Errno::EIO;
        {
            MutexGuard din(node->m_din_lock);
            bno = node->balloc_locked(0, fresh);
        }
        ErrorOr<Buf*> bp = bno.is_error() ? ErrorOr<Buf*>(bno.error()) : ffs.getblk(bno.value());
        if (bp.is_error()) {
            (void)set_links(*node, 0);
            return bp.error();
        }
        u8* data = static_cast<u8*>(bp.value()->b_data);
        memset(data, 0, sb.fs_bsize);
        if (is_dir) {
            dir_block_init_first(data, sb.fs_bsize, node->ino(), dir.ino());
            MutexGuard din(node->m_din_lock);
            node->m_din.di_size = FFS_DIRBLKSIZ;
        } else {
            memcpy(data, target.characters(), target.length());
        }
        bufcache().bdwrite(*bp.value());
    }
    made = node->write_inode();
    if (!made.is_error())
        made = add(dir, name, node->ino(), ffs_mode_to_dtype(vtype_to_mode(type)));
    if (made.is_error()) {
        (void)set_links(*node, 0);  // freed with its blocks when `hold` goes
        return made.error();
    }
    if (is_dir)
        TRY(adjust_links(dir, +1));  // its ".."
    node->ref();
    return static_cast<Vnode*>(node);
}

ErrorOr<Vnode*> FfsNode::create(StringView name, VType type, u32 mode, u64 rdev, const Cred& cred)
{
    if (type == VType::Symlink || type == VType::None)
        return Errno::EINVAL;
    return DirOps::make(*this, name, type, mode, rdev, cred, "");
}

ErrorOr<Vnode*> FfsNode::symlink(StringView name, StringView target, const Cred& cred)
{
    if (target.is_empty())
        return Errno::ENOENT;
    return DirOps::make(*this, name, VType::Symlink, 0777, 0, cred, target);
}

ErrorOr<void> FfsNode::link(StringView name, Vnode& target_vnode)
{
    if (!is_directory())
        return Errno::ENOTDIR;
    if (target_vnode.is_directory())
        return Errno::EPERM;
    auto& target = static_cast<FfsNode&>(target_vnode);  // same mount: the VFS checked
    TRY(check_device());
    MutexGuard guard(m_ffs.ns_lock());
    if (DirOps::nlink(*this) == 0 || DirOps::nlink(target) == 0)
        return Errno::ENOENT;
    auto existing = DirOps::find(*this, name);
    if (!existing.is_error())
        return Errno::EEXIST;
    if (existing.error() != Errno::ENOENT)
        return existing.error();
    if (DirOps::nlink(target) >= LINK_MAX)
        return Errno::EMLINK;
    TRY(DirOps::add(*this, name, target.ino(), DirOps::dtype(target)));
    return DirOps::adjust_links(target, +1);
}

// ---- removing names -----------------------------------------------------------

ErrorOr<void> FfsNode::unlink(StringView name)
{
    if (!is_directory())
        return Errno::ENOTDIR;
    TRY(check_device());
    kern::RefPtr<Vnode> victim_hold;  // dropped after the lock: may free the node
    MutexGuard guard(m_ffs.ns_lock());
    const Slot s = TRY(DirOps::find(*this, name));
    FfsNode* victim = TRY(m_ffs.get_node(s.ino));
    victim_hold = kern::RefPtr<Vnode>::adopt(victim);
    if (victim->is_directory())
        return Errno::EISDIR;
    TRY(DirOps::remove(*this, s));
    return DirOps::adjust_links(*victim, -1);
}

ErrorOr<void> FfsNode::rmdir(StringView name)
{
    if (!is_directory())
        return Errno::ENOTDIR;
    TRY(check_device());
    if (name == "." || name == "..")
        return Errno::EINVAL;
    kern::RefPtr<Vnode> victim_hold;
    MutexGuard guard(m_ffs.ns_lock());
    const Slot s = TRY(DirOps::find(*this, name));
    FfsNode* victim = TRY(m_ffs.get_node(s.ino));
    victim_hold = kern::RefPtr<Vnode>::adopt(victim);
    if (!victim->is_directory())
        return Errno::ENOTDIR;
    if (victim->mounted_here())
        return Errno::EBUSY;
    if (!TRY(DirOps::is_empty(*victim)))
        return Errno::ENOTEMPTY;
    TRY(DirOps::remove(*this, s));
    TRY(DirOps::set_links(*victim, 0));  // its "." and its name
    return DirOps::adjust_links(*this, -1);  // its ".."
}

// ---- readdir ----------------------------------------------------------------------

ErrorOr<u64> FfsNode::readdir(u64 cookie, ReaddirSink& sink)
{
    if (!is_directory())
        return Errno::ENOTDIR;
    TRY(check_device());
    const u32 bsize = m_ffs.sb().fs_bsize;
    MutexGuard guard(m_ffs.ns_lock());
    const u64 size = DirOps::dir_size(*this);
    while (cookie < size) {
        const u64 lbn = cookie / bsize;
        DirOps::Block b = TRY(DirOps::read_block(*this, lbn));
        for (i64 off = dir_block_next(b.data(), b.valid, u32(cookie % bsize)); off >= 0;
             off = dir_block_next(b.data(), b.valid, u32(off) + 1)) {
            const ffs_direct& d = dir_entry_at(b.data(), u32(off));
            const u64 at = lbn * bsize + u64(off);
            if (!sink.emit({d.d_ino, dtype_to_vtype(d.d_type), StringView(d.d_name, d.d_namlen), at + 1})) {
                bufcache().brelse(*b.bp);
                return at;
            }
            cookie = at + 1;
        }
        bufcache().brelse(*b.bp);
        cookie = (lbn + 1) * bsize;
    }
    MutexGuard din(m_din_lock);
    touch_locked(ATIME);
    return size;
}

// ---- rename -------------------------------------------------------------------------

ErrorOr<void> FfsNode::rename(StringView from, Vnode& to_vnode, StringView to, u32 flags)
{
    TRY(check_rename_args(from, to_vnode, to, flags));
    auto& to_dir = static_cast<FfsNode&>(to_vnode);  // same mount: the VFS checked
    TRY(check_device());
    MutexGuard guard(m_ffs.ns_lock());
    return DirOps::rename(*this, from, to_dir, to, flags);
}

// The POSIX cases are tmpfs's (fs/tmpfs/tmpfs_rename.cpp has the table).
// Order of work: every check first; then add or repoint the target entry
// (the only step that can run out of room), then remove the source entry,
// then fix ".." and the link counts -- so the moving node is always named
// at least once. => ns lock held.
ErrorOr<void> DirOps::rename(FfsNode& from_dir, StringView from, FfsNode& to_dir, StringView to, u32 flags)
{
    FfsMount& ffs = from_dir.m_ffs;
    if (nlink(from_dir) == 0 || nlink(to_dir) == 0)
        return Errno::ENOENT;
    const Slot source = TRY(find(from_dir, from));
    FfsNode* moving = TRY(ffs.get_node(source.ino));
    kern::RefPtr<Vnode> moving_hold = kern::RefPtr<Vnode>::adopt(moving);
    auto target_slot = find(to_dir, to);
    if (target_slot.is_error() && target_slot.error() != Errno::ENOENT)
        return target_slot.error();
    const bool has_target = !target_slot.is_error();
    if ((flags & RENAME_NOREPLACE) && has_target)
        return Errno::EEXIST;
    if ((flags & RENAME_EXCHANGE) && !has_target)
        return Errno::ENOENT;
    kern::RefPtr<Vnode> target_hold;
    FfsNode* target = nullptr;
    if (has_target) {
        if (target_slot.value().ino == moving->ino())
            return {};  // onto itself, or another name of it (or a swap of two names of one file)
        target = TRY(ffs.get_node(target_slot.value().ino));
        target_hold = kern::RefPtr<Vnode>::adopt(target);
    }
    const bool cross = &from_dir != &to_dir;
    // ---- checks ----
    if (moving->mounted_here() || (target && target->mounted_here()))
        return Errno::EBUSY;
    if (moving->is_directory() && cross && TRY(is_within(to_dir, *moving)))
        return Errno::EINVAL;
    if (flags & RENAME_EXCHANGE) {
        if (target->is_directory() && cross && TRY(is_within(from_dir, *target)))
            return Errno::EINVAL;
        if (cross && moving->is_directory() && !target->is_directory() && nlink(to_dir) >= LINK_MAX)
            return Errno::EMLINK;
        if (cross && target->is_directory() && !moving->is_directory() && nlink(from_dir) >= LINK_MAX)
            return Errno::EMLINK;
        // ---- swap the two entries' inodes; fix ".." and parents' counts ----
        TRY(set(to_dir, target_slot.value(), moving->ino(), dtype(*moving)));
        TRY(set(from_dir, source, target->ino(), dtype(*target)));
        if (cross && moving->is_directory()) {
            TRY(set(*moving, TRY(find(*moving, "..")), to_dir.ino(), FFS_DT_DIR));
            TRY(adjust_links(to_dir, +1));
            TRY(adjust_links(from_dir, -1));
        }
        if (cross && target->is_directory()) {
            TRY(set(*target, TRY(find(*target, "..")), from_dir.ino(), FFS_DT_DIR));
            TRY(adjust_links(from_dir, +1));
            TRY(adjust_links(to_dir, -1));
        }
        TRY(adjust_links(*moving, 0));
        return adjust_links(*target, 0);  // ctime
    }
    if (target) {
        if (moving->is_directory() && !target->is_directory())
            return Errno::ENOTDIR;
        if (!moving->is_directory() && target->is_directory())
            return Errno::EISDIR;
        if (target->is_directory() && !TRY(is_empty(*target)))
            return Errno::ENOTEMPTY;
    } else if (moving->is_directory() && cross && nlink(to_dir) >= LINK_MAX) {
        return Errno::EMLINK;
    }
    // ---- the move ----
    if (target)
        TRY(set(to_dir, target_slot.value(), moving->ino(), dtype(*moving)));
    else
        TRY(add(to_dir, to, moving->ino(), dtype(*moving)));
    TRY(remove(from_dir, TRY(find(from_dir, from))));  // re-found: to_dir may be from_dir
    if (target) {
        if (target->is_directory()) {
            TRY(set_links(*target, 0));
            TRY(adjust_links(to_dir, -1));  // its ".."
        } else {
            TRY(adjust_links(*target, -1));
        }
    }
    if (moving->is_directory() && cross) {
        TRY(set(*moving, TRY(find(*moving, "..")), to_dir.ino(), FFS_DT_DIR));
        TRY(adjust_links(to_dir, +1));
        TRY(adjust_links(from_dir, -1));
    }
    return adjust_links(*moving, 0);  // ctime
}

} // namespace fs::ffs
