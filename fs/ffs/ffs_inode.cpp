// fs/ffs/ffs_inode.cpp -- an in-core inode: its block map (lookup,
// allocation, freeing), its attributes, and writing it back.
//
// The block map. bmap_locked follows a logical block's route
// (fs/ffs/ffs_bmap.h) through the inode and its indirect blocks, read
// through the buffer cache. balloc_locked does the same walk and fills each
// missing pointer on the way: an indirect block is allocated zeroed (a
// delayed write of a fresh buffer), a data block is only allocated -- its
// contents are the page's (fs/ffs/ffs_object.cpp). free_blocks_from_locked
// is truncate's half: it frees every block of logical block `first` and
// beyond, depth first, and an indirect block once nothing below it is left.
// It copies an indirect block's pointers before descending, so that no
// buffer is held across the walk below it: a damaged image whose indirect
// block points at itself cannot make it wait on its own buffer.
//
// Every pointer read from the image is checked to be a data block before it
// is followed or freed (ffs_bmap.cpp does it for bmap): damage gives EIO and
// a console line, never a wild read or a freed metadata block.
//
// Times are kept to the nanosecond in the dinode (di_*timensec).
// Read more: NetBSD sys/ufs/ffs/ffs_balloc.c, ffs_inode.c (ffs_truncate,
// ffs_indirtrunc). Design only; our own code.
#include <fs/block/bufcache.h>
#include <fs/ffs/ffs_bmap.h>
#include <fs/ffs/ffs_mount.h>
#include <kernel/base/lib/kbuffer.h>
#include <kernel/base/lib/string.h>

namespace fs::ffs {

using block::Buf;
using block::bufcache;
using kern::MutexGuard;

FfsNode::FfsNode(FfsMount& ffs, u32 ino, const ffs_dinode& din)
    : Vnode(mode_to_vtype(din.di_mode & FFS_IFMT), nullptr), m_ffs(ffs), m_ino(ino), m_din(din), m_object(*this)
{
}

FfsNode::~FfsNode() = default;

void FfsNode::inactive() { m_ffs.node_inactive(*this); }

vm::VmObject* FfsNode::vm_object() { return type() == VType::Regular ? &m_object : nullptr; }

u64 FfsNode::size()
{
    MutexGuard guard(m_din_lock);
    return m_din.di_size;
}

// ---- the block map ---------------------------------------------------------

namespace {

// Indirect-block pointers, read through the buffer cache.
class CacheReader final : public IndirectReader {
public:
    explicit CacheReader(FfsMount& ffs) : m_ffs(ffs) {}
    ErrorOr<u32> read_pointer(u32 bno, u32 index) override
    {
        Buf* bp = TRY(m_ffs.bread(bno));
        const u32 value = static_cast<const u32*>(bp->b_data)[index];
        bufcache().brelse(*bp);
        return value;
    }

private:
    FfsMount& m_ffs;
};

// The blocks one pointer at `level` covers: 1 for a data block, nindir for
// a single indirect block, and so on.
u64 span_of(u32 nindir, u32 level)
{
    u64 span = 1;
    for (u32 i = 0; i < level; ++i)
        span *= nindir;
    return span;
}

} // namespace

ErrorOr<u32> FfsNode::bmap_locked(u64 lbn)
{
    CacheReader reader(m_ffs);
    auto bno = bmap(m_ffs.sb(), m_din, lbn, reader);
    if (!bno.is_error() && bno.value() != 0 && !ffs_is_data_block(&m_ffs.sb(), bno.value()))
        bno = Errno::EIO;  // the last pointer too: a data block, never metadata
    if (bno.is_error() && bno.error() == Errno::EIO && !m_ffs.device().gone())
        m_ffs.report(m_ino, "a block pointer outside the data area (or an indirect block unreadable)");
    return bno;
}

ErrorOr<u32> FfsNode::balloc_locked(u64 lbn, bool& fresh)
{
    fresh = false;
    const ffs_superblock& sb = m_ffs.sb();
    const BmapPath path = TRY(bmap_path(sb.fs_nindir, lbn));
    u32* slot = path.depth == 0 ? &m_din.di_db[path.inode_slot] : &m_din.di_ib[path.inode_slot];
    // Where the policy wants this file's next block: right after the block
    // before it (contiguity). Asked only when something must be allocated
    // -- an overwrite allocates nothing -- and a file written in order
    // remembers its last block instead of looking it up.
    u32 pref = 0;
    auto preference = [&]() {
        if (pref)
            return pref;
        u32 prev = 0;  // the block before (a hole or an error: none)
        if (lbn > 0 && m_last_alloc_lbn == lbn - 1) {
            prev = m_last_alloc_bno;
        } else if (lbn > 0) {
            auto before = bmap_locked(lbn - 1);
            prev = before.is_error() ? 0 : before.value();
        }
        pref = m_ffs.block_pref(m_ino, lbn, prev);
        return pref;
    };
    // An allocated pointer is counted in di_blocks; an indirect one is zeroed.
    auto allocate = [&](bool indirect) -> ErrorOr<u32> {
        const u32 bno = TRY(m_ffs.alloc_block(preference()));
        if (!indirect) {
            m_last_alloc_lbn = lbn;
            m_last_alloc_bno = bno;
        }
        if (indirect) {
            auto bp = m_ffs.getblk(bno);
            if (bp.is_error()) {
                m_ffs.free_block(bno, false);
                return bp.error();
            }
            memset(bp.value()->b_data, 0, sb.fs_bsize);
            bufcache().bdwrite(*bp.value());
        }
        m_din.di_blocks += ffs_btodb(&sb, 1);
        set_din_dirty_locked();
        return bno;
    };
    if (*slot == 0) {
        *slot = TRY(allocate(path.depth > 0));
        fresh = path.depth == 0;
    } else if (!ffs_is_data_block(&sb, *slot)) {
        m_ffs.report(m_ino, "a block pointer outside the data area");
        return Errno::EIO;
    }
    u32 block = *slot;
    for (u32 level = 0; level < path.depth; ++level) {
        const bool last = level + 1 == path.depth;
        Buf* bp = TRY(m_ffs.bread(block));
        if (static_cast<u32*>(bp->b_data)[path.index[level]] == 0 && !pref) {
            // The preference may have to read this very indirect block
            // (bmap of the block before): let go of it while it does. The
            // entry stays 0 meanwhile: m_din_lock keeps other allocators
            // of this file out.
            bufcache().brelse(*bp);
            preference();
            bp = TRY(m_ffs.bread(block));
        }
        u32& entry = static_cast<u32*>(bp->b_data)[path.index[level]];
        if (entry == 0) {
            auto made = allocate(!last);
            if (made.is_error()) {
                bufcache().brelse(*bp);
                return made.error();
            }
            entry = made.value();
            fresh = last;
            block = entry;
            bufcache().bdwrite(*bp);
            continue;
        }
        block = entry;
        bufcache().brelse(*bp);
        if (!ffs_is_data_block(&sb, block)) {
            m_ffs.report(m_ino, "a block pointer outside the data area");
            return Errno::EIO;
        }
    }
    return block;
}

namespace {

// Free the blocks below indirect block `bno` (at `level`: 0 = its entries
// are data blocks) that cover logical blocks >= `first`; `base` is the first
// logical block it covers. Returns whether nothing is left below it (then
// the caller frees it). Errors: EIO.
struct Trunc {
    FfsMount& ffs;
    ffs_dinode& din;
    u32 ino;
    u64 first;

    ErrorOr<bool> free_below(u32 bno, u32 level, u64 base)
    {
        const ffs_superblock& sb = ffs.sb();
        auto copy = TRY(kern::KBuffer::create_uninitialized(sb.fs_bsize));
        {
            Buf* bp = TRY(ffs.bread(bno));
            memcpy(copy.data(), bp->b_data, sb.fs_bsize);
            bufcache().brelse(*bp);
        }
        u32* entries = reinterpret_cast<u32*>(copy.data());
        const u64 child_span = span_of(sb.fs_nindir, level);
        bool any_left = false, changed = false;
        for (u32 i = 0; i < sb.fs_nindir; ++i) {
            const u32 child = entries[i];
            if (child == 0)
                continue;
            const u64 child_base = base + i * child_span;
            if (child_base + child_span <= first || !ffs_is_data_block(&sb, child)) {
                if (child_base + child_span > first)
                    ffs.report(ino, "a block pointer outside the data area (left alone)");
                any_left = true;
                continue;
            }
            bool emptied = true;
            if (level > 0)
                emptied = TRY(free_below(child, level - 1, child_base));
            if (!emptied) {
                any_left = true;
                continue;
            }
            ffs.free_block(child, level > 0);
            din.di_blocks -= ffs_btodb(&sb, 1);
            entries[i] = 0;
            changed = true;
        }
        if (changed && any_left) {
            Buf* bp = TRY(ffs.bread(bno));
            memcpy(bp->b_data, copy.data(), sb.fs_bsize);
            bufcache().bdwrite(*bp);
        }
        return !any_left;
    }
};

} // namespace

ErrorOr<void> FfsNode::free_blocks_from_locked(u64 first)
{
    const ffs_superblock& sb = m_ffs.sb();
    if (type() == VType::Symlink && ffs_is_short_symlink(&m_din))
        return {};  // the target lives in the pointers themselves
    if (type() == VType::CharDevice || type() == VType::BlockDevice)
        return {};  // di_db[0] is the device number, not a block
    for (u64 lbn = first; lbn < FFS_NDADDR; ++lbn) {
        const u32 bno = m_din.di_db[lbn];
        if (bno == 0)
            continue;
        m_din.di_db[lbn] = 0;
        if (!ffs_is_data_block(&sb, bno)) {
            m_ffs.report(m_ino, "a block pointer outside the data area (left alone)");
            continue;
        }
        // Directory and long-symlink blocks were read through the cache.
        m_ffs.free_block(bno, type() != VType::Regular);
        m_din.di_blocks -= ffs_btodb(&sb, 1);
    }
    Trunc trunc{m_ffs, m_din, m_ino, first};
    u64 base = FFS_NDADDR;
    ErrorOr<void> result;
    for (u32 level = 0; level < FFS_NIADDR; ++level) {
        const u64 span = span_of(sb.fs_nindir, level + 1);
        const u32 bno = m_din.di_ib[level];
        if (bno != 0 && base + span > first) {
            if (!ffs_is_data_block(&sb, bno)) {
                m_ffs.report(m_ino, "an indirect pointer outside the data area (left alone)");
                m_din.di_ib[level] = 0;
            } else {
                auto emptied = trunc.free_below(bno, level, base);
                if (emptied.is_error())
                    result = emptied.error();
                else if (emptied.value()) {
                    m_ffs.free_block(bno, true);
                    m_din.di_blocks -= ffs_btodb(&sb, 1);
                    m_din.di_ib[level] = 0;
                }
            }
        }
        base += span;
    }
    set_din_dirty_locked();
    return result;
}

// ---- the inode itself ------------------------------------------------------

ErrorOr<void> FfsNode::write_inode_locked()
{
    const ffs_superblock& sb = m_ffs.sb();
    Buf* bp = TRY(m_ffs.bread(ffs_ino_to_fsba(&sb, m_ino)));
    reinterpret_cast<ffs_dinode*>(bp->b_data)[ffs_ino_to_fsbo(&sb, m_ino)] = m_din;
    bufcache().bdwrite(*bp);
    m_din_dirty = false;
    return {};
}

ErrorOr<void> FfsNode::write_inode()
{
    MutexGuard guard(m_din_lock);
    if (!m_din_dirty)
        return {};
    return write_inode_locked();
}

void FfsNode::touch_locked(u32 which)
{
    const Timespec now = current_time();
    if (which & ATIME)
        m_din.di_atime = now.sec, m_din.di_atimensec = u32(now.nsec);
    if (which & MTIME)
        m_din.di_mtime = now.sec, m_din.di_mtimensec = u32(now.nsec);
    if (which & CTIME)
        m_din.di_ctime = now.sec, m_din.di_ctimensec = u32(now.nsec);
    set_din_dirty_locked();
}

ErrorOr<VAttr> FfsNode::getattr()
{
    MutexGuard guard(m_din_lock);
    VAttr a;
    a.type = type();
    a.mode = m_din.di_mode & 07777;
    a.uid = m_din.di_uid;
    a.gid = m_din.di_gid;
    a.nlink = m_din.di_nlink;
    a.size = m_din.di_size;
    a.ino = m_ino;
    a.dev = m_ffs.id();
    if (type() == VType::CharDevice || type() == VType::BlockDevice)
        a.rdev = m_din.di_db[0];
    a.blocks = m_din.di_blocks;
    a.blksize = m_ffs.sb().fs_bsize;
    a.atime = {m_din.di_atime, m_din.di_atimensec};
    a.mtime = {m_din.di_mtime, m_din.di_mtimensec};
    a.ctime = {m_din.di_ctime, m_din.di_ctimensec};
    a.btime = a.ctime;  // no birth time on the image
    return a;
}

ErrorOr<void> FfsNode::setattr(const VAttr& attr, u32 mask)
{
    TRY(check_device());
    MutexGuard op(m_lock);
    if (mask & SETATTR_SIZE) {
        if (type() == VType::Directory)
            return Errno::EISDIR;
        if (type() != VType::Regular)
            return Errno::EINVAL;
        TRY(truncate_locked(attr.size));
    }
    MutexGuard guard(m_din_lock);
    if (mask & SETATTR_MODE)
        m_din.di_mode = u16((m_din.di_mode & FFS_IFMT) | (attr.mode & 07777));
    if (mask & SETATTR_UID)
        m_din.di_uid = attr.uid;
    if (mask & SETATTR_GID)
        m_din.di_gid = attr.gid;
    if (mask & SETATTR_ATIME)
        m_din.di_atime = attr.atime.sec, m_din.di_atimensec = u32(attr.atime.nsec);
    if (mask & SETATTR_MTIME)
        m_din.di_mtime = attr.mtime.sec, m_din.di_mtimensec = u32(attr.mtime.nsec);
    touch_locked(CTIME);
    return write_inode_locked();
}

// The target is copied out of the inode or its block into a scratch
// buffer first, and only then to the caller: the caller's buffer may fault
// (on a mapped file of this mount), which must not happen under a lock of
// this node or with a buffer held.
ErrorOr<size_t> FfsNode::readlink(const IoBuffer& buf, size_t n)
{
    if (type() != VType::Symlink)
        return Errno::EINVAL;
    auto copy = TRY(kern::KBuffer::create_uninitialized(m_ffs.sb().fs_bsize));
    size_t length;
    u32 bno = 0;
    {
        MutexGuard guard(m_din_lock);
        length = size_t(min<u64>(m_din.di_size, n));
        if (m_din.di_size >= m_ffs.sb().fs_bsize) {
            m_ffs.report(m_ino, "a symbolic link longer than a block");
            return Errno::EIO;
        }
        if (ffs_is_short_symlink(&m_din))
            memcpy(copy.data(), m_din.di_db, length);
        else if ((bno = TRY(bmap_locked(0))) == 0)
            return Errno::EIO;
    }
    if (bno) {
        Buf* bp = TRY(m_ffs.bread(bno));
        memcpy(copy.data(), bp->b_data, length);
        bufcache().brelse(*bp);
    }
    TRY(buf.write_from(0, copy.data(), length));
    return length;
}

ErrorOr<void> FfsNode::check_device() const
{
    if (m_ffs.device().gone())
        return Errno::EIO;
    return {};
}

VType FfsNode::type_of_mode() const { return mode_to_vtype(m_din.di_mode & FFS_IFMT); }

} // namespace fs::ffs
