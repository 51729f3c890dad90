// fs/ffs/ffs_alloc.cpp -- FFS's allocator: blocks and inodes from the
// groups' bitmaps, by the policy of fs/ffs/ffs_alloc_policy.h.
//
// Everything here runs under FfsMount::m_alloc_lock. The bitmaps live in the
// buffer cache (read, bit set or cleared, handed back as a delayed write);
// every group's counts live in m_cs, the truth while mounted, and reach the
// group headers at sync (write_dirty_groups), the superblock's sums with
// them (write_superblock, fs/ffs/ffs_mount.cpp). docs/ffs.md ("The
// allocator"). Read more: 4.4BSD/NetBSD sys/ufs/ffs/ffs_alloc.c. Design
// only; our own code.
#include <fs/block/bufcache.h>
#include <fs/ffs/ffs_mount.h>
#include <fs/ffs/ffs_alloc_policy.h>

namespace fs::ffs {

using block::Buf;
using block::BufHold;
using block::bufcache;
using kern::MutexGuard;

// Copy group g's counts and rotors into its header (a delayed write).
// => m_alloc_lock held.
ErrorOr<void> FfsMount::write_group_counts_locked(u32 g)
{
    BufHold hdr(TRY(bread(ffs_cgtod(&m_sb, g))));
    auto* cg = reinterpret_cast<ffs_cg*>(hdr.data());
    cg->cg_cs = m_cs[g];
    cg->cg_time = current_time().sec;
    hdr.dirty();
    return {};
}

// Group g's counts changed (in m_cs): its header is written at the next
// sync (write_dirty_groups), not at every allocation -- the counts in
// memory are the truth while mounted, as 4.4BSD's in-core cylinder group
// summaries are. => m_alloc_lock held.
void FfsMount::mark_group_locked(u32 g)
{
    m_cg_dirty[g] = true;
    m_sb_dirty = true;  // the superblock's sums changed with the group's
}

// Write the header of every group whose counts changed. Errors: EIO (the first).
ErrorOr<void> FfsMount::write_dirty_groups()
{
    MutexGuard guard(m_alloc_lock);
    ErrorOr<void> first;
    for (u32 g = 0; g < m_sb.fs_ncg; ++g) {
        if (!m_cg_dirty[g])
            continue;
        auto written = write_group_counts_locked(g);
        if (written.is_error()) {
            if (!first.is_error())
                first = written;
            continue;
        }
        m_cg_dirty[g] = false;
    }
    return first;
}


// ---- the allocator -------------------------------------------------------------

// A free inode (inode = true) or block of group g at or after `pref`
// (group-relative), marked in use in the bitmap and counted. Returns it
// (group-relative), or -1 if the group has none. => m_alloc_lock held.
// Errors: EIO.
ErrorOr<i64> FfsMount::alloc_in_group_locked(u32 g, u32 pref, bool inode)
{
    const u32 n = inode ? m_sb.fs_ipg : ffs_cg_nblocks(&m_sb, g);
    const u32 lo = inode ? 0 : m_sb.fs_dblkno;
    BufHold map(TRY(bread(inode ? ffs_cgimap(&m_sb, g) : ffs_cgbmap(&m_sb, g))));
    i64 bit = find_free_near(map.data(), lo, n, max(pref, lo) < n ? max(pref, lo) : lo);
    if (bit < 0)
        return bit;
    ffs_setbit(map.data(), u32(bit));
    map.dirty();
    if (inode)
        --m_cs[g].cs_nifree, --m_sb.fs_cstotal.cs_nifree;
    else
        --m_cs[g].cs_nbfree, --m_sb.fs_cstotal.cs_nbfree;
    mark_group_locked(g);
    return bit;
}

ErrorOr<u32> FfsMount::alloc_block(u32 pref)
{
    MutexGuard guard(m_alloc_lock);
    if (m_sb.fs_cstotal.cs_nbfree == 0)
        return Errno::ENOSPC;
    if (!ffs_is_data_block(&m_sb, pref))
        pref = ffs_cgdmin(&m_sb, 0);
    const u32 start = ffs_dtog(&m_sb, pref);
    const i64 g = hashalloc(m_sb.fs_ncg, start, [&](u32 cg) { return m_cs[cg].cs_nbfree > 0; });
    if (g < 0)
        return Errno::ENOSPC;
    const u32 want = u32(g) == start ? ffs_dtogd(&m_sb, pref) : 0;
    const i64 bit = TRY(alloc_in_group_locked(u32(g), want, false));
    if (bit < 0) {
        report(0, "a group's free block count is wrong");
        return Errno::EIO;
    }
    return ffs_cgbase(&m_sb, u32(g)) + u32(bit);
}

void FfsMount::free_block(u32 bno, bool metadata)
{
    if (!ffs_is_data_block(&m_sb, bno)) {
        report(0, "freeing a block outside the data area (ignored)");
        return;
    }
    if (metadata) {
        // A cached copy must not be written over the block's next owner.
        auto cached = getblk(bno);
        if (!cached.is_error())
            bufcache().discard(*cached.value());
    }
    MutexGuard guard(m_alloc_lock);
    const u32 g = ffs_dtog(&m_sb, bno);
    auto map = bread(ffs_cgbmap(&m_sb, g));
    if (map.is_error()) {
        report(0, "cannot read a block bitmap: a block leaks");
        return;
    }
    BufHold ref(map.value());
    if (!ffs_isset(ref.data(), ffs_dtogd(&m_sb, bno))) {
        report(0, "freeing a free block (ignored)");
        return;
    }
    ffs_clrbit(ref.data(), ffs_dtogd(&m_sb, bno));
    ref.dirty();
    ++m_cs[g].cs_nbfree, ++m_sb.fs_cstotal.cs_nbfree;
    mark_group_locked(g);
    m_dev.discard(sector_of(bno), m_sb.fs_bsize / block::DEV_BSIZE);  // MFS: the memory goes back
}

u32 FfsMount::block_pref(u32 ino, u64 lbn, u32 prev)
{
    MutexGuard guard(m_alloc_lock);
    return blkpref(m_sb, m_cs, ffs_ino_to_cg(&m_sb, ino), lbn, prev);
}

void FfsMount::free_inode(u32 ino, bool was_directory)
{
    MutexGuard guard(m_alloc_lock);
    const u32 g = ffs_ino_to_cg(&m_sb, ino);
    auto map = bread(ffs_cgimap(&m_sb, g));
    if (map.is_error()) {
        report(ino, "cannot read its inode bitmap: the inode leaks");
        return;
    }
    BufHold ref(map.value());
    ffs_clrbit(ref.data(), ffs_ino_to_cgi(&m_sb, ino));
    ref.dirty();
    ++m_cs[g].cs_nifree, ++m_sb.fs_cstotal.cs_nifree;
    if (was_directory)
        --m_cs[g].cs_ndir, --m_sb.fs_cstotal.cs_ndir;
    mark_group_locked(g);
}

ErrorOr<FfsNode*> FfsMount::allocate_node(FfsNode& parent, u32 mode, const Cred& cred)
{
    const bool dir = (mode & FFS_IFMT) == FFS_IFDIR;
    u32 ino;
    {
        MutexGuard guard(m_alloc_lock);
        if (m_sb.fs_cstotal.cs_nifree == 0)
            return Errno::ENOSPC;
        const u32 start = dir ? dirpref(m_sb, m_cs) : ffs_ino_to_cg(&m_sb, parent.ino());
        const i64 g = hashalloc(m_sb.fs_ncg, start, [&](u32 cg) { return m_cs[cg].cs_nifree > 0; });
        if (g < 0)
            return Errno::ENOSPC;
        const i64 bit = TRY(alloc_in_group_locked(u32(g), 0, true));
        if (bit < 0) {
            report(0, "a group's free inode count is wrong");
            return Errno::EIO;
        }
        ino = u32(g) * m_sb.fs_ipg + u32(bit);
        if (dir)
            ++m_cs[g].cs_ndir, ++m_sb.fs_cstotal.cs_ndir;
        mark_group_locked(u32(g));
    }
    // The inode on the image may hold an old file's fields: start afresh,
    // keeping only the generation, which must grow (NFS-style handles).
    BufHold blk(TRY(bread(ffs_ino_to_fsba(&m_sb, ino))));
    auto* slot = reinterpret_cast<ffs_dinode*>(blk.data()) + ffs_ino_to_fsbo(&m_sb, ino);
    ffs_dinode din = {};
    din.di_gen = slot->di_gen + 1;
    din.di_mode = u16(mode);
    din.di_uid = cred.uid;
    din.di_gid = cred.gid;
    const Timespec now = current_time();
    din.di_atime = din.di_mtime = din.di_ctime = now.sec;
    din.di_atimensec = din.di_mtimensec = din.di_ctimensec = u32(now.nsec);
    *slot = din;
    blk.dirty();
    auto* node = new (std::nothrow) FfsNode(*this, ino, din);
    if (!node) {
        free_inode(ino, dir);
        return Errno::ENOMEM;
    }
    MutexGuard guard(m_icache_lock);
    m_nodes.insert(*node);
    m_all.push_back(*node);
    node->ref();
    return node;
}

} // namespace fs::ffs
