// fs/ffs/ffs_mount.cpp -- mounting, checking, syncing and unmounting an FFS
// image (see fs/ffs/ffs_mount.h). The allocator is fs/ffs/ffs_alloc.cpp, the
// inode cache fs/ffs/ffs_icache.cpp.
//
// Mount, step by step:
//   1. read the primary superblock (512 bytes at byte 8192) with a private
//      request, and check it (ffs_sb_check: the same function fsck_ffs
//      uses) -- a bad one is EINVAL;
//   2. read every group header and both its bitmaps, check the header and
//      that its free counts equal the bitmaps' clear bits (EUCLEAN), and
//      keep the counts in m_cs;
//   3. walk the directory tree from the root (check_structure): EUCLEAN on
//      any damage;
//   4. mark the image "not clean" on the disk (fs_clean = FFS_DIRTY), so a
//      crash leaves a sign for fsck; unmount marks it clean again.
//
// Sync (sync(2), syncfs, fsync of the mount, unmount): every cached
// node's dirty pages go to their blocks and its inode to its inode-table
// buffer; then the superblock; then the buffer cache writes every dirty
// buffer of the device and waits.
#include <fs/block/bufcache.h>
#include <fs/ffs/ffs_mount.h>
#include <fs/ffs/ffs_dir.h>
#include <kernel/base/lib/kbuffer.h>
#include <kernel/base/lib/ref_ptr.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/printk.h>
#include <kernel/base/sync/spinlock.h>

namespace fs::ffs {

using block::Buf;
using block::BufHold;
using block::bufcache;
using kern::MutexGuard;

namespace {

namespace {

// The primary superblock, read past the buffer cache (the block size is not
// known yet, and buffers of two sizes must not overlap). Errors: EIO, ENOMEM.
ErrorOr<ffs_superblock> read_superblock(block::BlockDevice& dev)
{
    auto bounce = TRY(kern::KBuffer::create(FFS_SBSIZE));
    Buf bp;
    block::bio_prepare(bp, dev, FFS_SBOFF / block::DEV_BSIZE, bounce.data(), FFS_SBSIZE, Buf::B_READ);
    TRY(block::bio_sync(bp));
    ffs_superblock sb;
    memcpy(&sb, bounce.data(), sizeof sb);
    return sb;
}

u32 count_clear(const u8* map, u32 n)
{
    u32 clear = 0;
    for (u32 i = 0; i < n; ++i)
        clear += !ffs_isset(map, i);
    return clear;
}

} // namespace

} // namespace

FfsMount::FfsMount(block::BlockDevice& dev, const ffs_superblock& sb) : m_dev(dev), m_sb(sb) {}

FfsMount::~FfsMount()
{
    KASSERT(m_all.is_empty());
    delete[] m_cs;
    delete[] m_cg_dirty;
    m_dev.unclaim();  // a device holds one file system at a time (BlockDevice::claim)
    if (m_on_delete)
        m_on_delete(m_on_delete_arg);
}

void FfsMount::report(u32 ino, const char* what) const
{
    if (ino)
        printk("ffs %s: inode %u: %s\n", m_dev.name(), ino, what);
    else
        printk("ffs %s: %s\n", m_dev.name(), what);
}

ErrorOr<Buf*> FfsMount::bread(u32 bno)
{
    if (bno < m_sb.fs_bootblocks || bno >= m_sb.fs_size)
        return Errno::EIO;
    return bufcache().bread(m_dev, sector_of(bno), m_sb.fs_bsize);
}

ErrorOr<Buf*> FfsMount::getblk(u32 bno)
{
    if (bno < m_sb.fs_bootblocks || bno >= m_sb.fs_size)
        return Errno::EIO;
    return bufcache().getblk(m_dev, sector_of(bno), m_sb.fs_bsize);
}

// ---- mounting --------------------------------------------------------------

ErrorOr<FfsMount*> FfsMount::mount(block::BlockDevice& dev, StringView options)
{
    if (!options.is_empty() && options != "rw")
        return Errno::EINVAL;
    auto sb = TRY(read_superblock(dev));
    const u64 image_blocks = sb.fs_bshift < 32 ? dev.size_bytes() >> (sb.fs_bshift & 31) : 0;
    if (const char* why = ffs_sb_check(&sb, image_blocks ? image_blocks : 1)) {
        printk("ffs %s: not mountable: %s\n", dev.name(), why);
        return Errno::EINVAL;
    }
    if (sb.fs_bsize != PAGE_SIZE) {
        printk("ffs %s: block size %u: this kernel needs blocks of one page (%zu)\n", dev.name(),
               sb.fs_bsize, PAGE_SIZE);
        return Errno::EINVAL;
    }
    if (!dev.claim())
        return Errno::EBUSY;  // mounted already, or swap
    auto* ffs = new (std::nothrow) FfsMount(dev, sb);
    if (!ffs) {
        dev.unclaim();
        return Errno::ENOMEM;
    }
    if (sb.fs_clean != FFS_CLEAN)
        ffs->report(0, "was not unmounted cleanly (run fsck_ffs)");
    auto result = ffs->load_groups();
    if (!result.is_error()) {
        auto root = ffs->get_node(FFS_ROOTINO);
        if (root.is_error())
            result = root.error();
        else
            ffs->m_root = root.value();
    }
    if (!result.is_error())
        result = ffs->check_structure();
    if (!result.is_error())
        result = ffs->write_superblock(false);
    if (result.is_error()) {
        if (ffs->m_root)
            ffs->m_root->unref();
        ffs->m_root = nullptr;
        ffs->evict_idle_nodes();
        (void)bufcache().flush(dev);
        bufcache().invalidate(dev);
        delete ffs;
        return result.error();
    }
    return ffs;
}

// Step 2: the group headers and bitmaps. Errors: EUCLEAN, EIO, ENOMEM.
ErrorOr<void> FfsMount::load_groups()
{
    m_cs = new (std::nothrow) ffs_csum[m_sb.fs_ncg];
    m_cg_dirty = new (std::nothrow) bool[m_sb.fs_ncg]();
    if (!m_cs || !m_cg_dirty)
        return Errno::ENOMEM;
    ffs_csum total = {};
    for (u32 g = 0; g < m_sb.fs_ncg; ++g) {
        BufHold hdr(TRY(bread(ffs_cgtod(&m_sb, g))));
        const auto* cg = reinterpret_cast<const ffs_cg*>(hdr.data());
        const u32 nblocks = ffs_cg_nblocks(&m_sb, g);
        if (cg->cg_magic != FFS_CG_MAGIC || cg->cg_cgx != g || cg->cg_ndblk != nblocks ||
            cg->cg_niblk != m_sb.fs_ipg) {
            printk("ffs %s: group %u: bad header\n", m_dev.name(), g);
            return Errno::EUCLEAN;
        }
        BufHold imap(TRY(bread(ffs_cgimap(&m_sb, g))));
        BufHold bmap(TRY(bread(ffs_cgbmap(&m_sb, g))));
        if (count_clear(imap.data(), m_sb.fs_ipg) != cg->cg_cs.cs_nifree ||
            count_clear(bmap.data(), nblocks) != cg->cg_cs.cs_nbfree) {
            printk("ffs %s: group %u: free counts disagree with the bitmaps\n", m_dev.name(), g);
            return Errno::EUCLEAN;
        }
        for (u32 b = 0; b < m_sb.fs_dblkno; ++b) {
            if (!ffs_isset(bmap.data(), b)) {
                printk("ffs %s: group %u: metadata block %u marked free\n", m_dev.name(), g, b);
                return Errno::EUCLEAN;
            }
        }
        m_cs[g] = cg->cg_cs;
        total.cs_ndir += cg->cg_cs.cs_ndir;
        total.cs_nbfree += cg->cg_cs.cs_nbfree;
        total.cs_nifree += cg->cg_cs.cs_nifree;
    }
    m_sb.fs_cstotal = total;  // the groups are the truth (4.4BSD: fsck rebuilds the sum)
    return {};
}

// Step 3: the directory tree, breadth first from the root, each directory
// once. Errors: EUCLEAN (with a console line), EIO, ENOMEM.
ErrorOr<void> FfsMount::check_structure()
{
    const u32 ninodes = ffs_ninodes(&m_sb);
    auto seen = TRY(kern::KBuffer::create((ninodes + 7) / 8));
    auto queue = TRY(kern::KBuffer::create(size_t(ninodes) * 2 * sizeof(u32)));
    u32* pending = reinterpret_cast<u32*>(queue.data());  // (directory, parent) pairs
    size_t head = 0, tail = 0;
    u8* seen_map = seen.data();
    pending[tail++] = FFS_ROOTINO;
    pending[tail++] = FFS_ROOTINO;
    ffs_setbit(seen_map, FFS_ROOTINO);
    while (head < tail) {
        const u32 ino = pending[head++], parent = pending[head++];
        FfsNode* dir = TRY(get_node(ino));
        kern::RefPtr<Vnode> hold = kern::RefPtr<Vnode>::adopt(dir);
        if (!dir->is_directory()) {
            report(ino, ino == FFS_ROOTINO ? "the root is not a directory" : "a directory entry of type directory names a non-directory");
            return Errno::EUCLEAN;
        }
        MutexGuard guard(dir->m_din_lock);
        const u64 size = dir->size_locked();
        if (size == 0 || size % FFS_DIRBLKSIZ != 0) {
            report(ino, "directory size is not a positive multiple of 512");
            return Errno::EUCLEAN;
        }
        for (u64 lbn = 0; lbn < ffs_numblks(&m_sb, size); ++lbn) {
            auto bno = dir->bmap_locked(lbn);
            if (bno.is_error())
                return Errno::EUCLEAN;  // bmap_locked said why
            if (bno.value() == 0) {
                report(ino, "a hole in a directory");
                return Errno::EUCLEAN;
            }
            BufHold blk(TRY(bread(bno.value())));
            const u32 valid = u32(min<u64>(m_sb.fs_bsize, size - lbn * m_sb.fs_bsize));
            if (const char* why = dir_block_check(blk.data(), valid, ninodes)) {
                report(ino, why);
                return Errno::EUCLEAN;
            }
            for (i64 off = dir_block_next(blk.data(), valid, 0); off >= 0;
                 off = dir_block_next(blk.data(), valid, u32(off) + 1)) {
                const ffs_direct& d = dir_entry_at(blk.data(), u32(off));
                const StringView name(d.d_name, d.d_namlen);
                if (name == ".") {
                    if (d.d_ino != ino || lbn != 0 || off != 0) {
                        report(ino, "\".\" is not the directory itself");
                        return Errno::EUCLEAN;
                    }
                } else if (name == "..") {
                    if (d.d_ino != parent) {
                        report(ino, "\"..\" does not name the parent");
                        return Errno::EUCLEAN;
                    }
                } else if (d.d_type == FFS_DT_DIR) {
                    if (ffs_isset(seen_map, d.d_ino)) {
                        report(ino, "a directory reached twice (a loop or a directory hard link)");
                        return Errno::EUCLEAN;
                    }
                    if (tail + 2 > size_t(ninodes) * 2)
                        return Errno::EUCLEAN;
                    ffs_setbit(seen_map, d.d_ino);
                    pending[tail++] = d.d_ino;
                    pending[tail++] = ino;
                }
            }
        }
    }
    return {};
}

// ---- the superblock ----------------------------------------------------------------

// Write the superblock (the primary only; the backups keep newfs's
// geometry, which never changes) with its counts and clean flag, now.
ErrorOr<void> FfsMount::write_superblock(bool clean)
{
    ffs_superblock copy;
    {
        MutexGuard guard(m_alloc_lock);
        if (!clean && !m_sb_dirty && m_sb.fs_clean == FFS_DIRTY)
            return {};  // nothing new since the last write
        m_sb_dirty = false;
        m_sb.fs_clean = clean ? FFS_CLEAN : FFS_DIRTY;
        m_sb.fs_time = current_time().sec;
        copy = m_sb;
    }
    Buf* bp = TRY(bread(ffs_cgsblock(&copy, 0)));
    memcpy(bp->b_data, &copy, sizeof copy);
    return bufcache().bwrite(*bp);
}


// ---- sync, unmount ---------------------------------------------------------------

ErrorOr<void> FfsMount::sync()
{
    auto nodes = sync_nodes();
    auto groups = write_dirty_groups();
    auto sb = write_superblock(false);
    auto buffers = bufcache().flush(m_dev);
    TRY(nodes);
    TRY(groups);
    TRY(sb);
    return buffers;
}

void FfsMount::drop_caches()
{
    evict_idle_nodes();
    bufcache().shrink(~size_t(0));
}

Vnode* FfsMount::root()
{
    m_root->ref();
    return m_root;
}

ErrorOr<StatVfs> FfsMount::statvfs()
{
    MutexGuard guard(m_alloc_lock);
    StatVfs st;
    st.bsize = m_sb.fs_bsize;
    st.blocks = m_sb.fs_dsize;
    st.bfree = m_sb.fs_cstotal.cs_nbfree;
    const u64 reserved = u64(m_sb.fs_dsize) * m_sb.fs_minfree / 100;
    st.bavail = st.bfree > reserved ? st.bfree - reserved : 0;
    st.files = ffs_ninodes(&m_sb) - FFS_ROOTINO;
    st.ffree = m_sb.fs_cstotal.cs_nifree;
    st.fsid = id();
    st.namemax = FFS_MAXNAMLEN;
    st.magic = uapi::UFS_MAGIC;
    return st;
}

ErrorOr<void> FfsMount::unmount()
{
    {
        MutexGuard guard(m_icache_lock);
        for (FfsNode& node : m_all)
            if (&node != m_root && node.ref_count() > 0)
                return Errno::EBUSY;
    }
    // A device that is gone (MFS whose server died) cannot take the data:
    // unmount anyway, dropping it, so the mount does not stay for ever.
    const bool forced = m_dev.gone();
    auto synced = sync();
    if (synced.is_error() && !forced)
        return synced.error();
    FfsNode* root = m_root;
    m_root = nullptr;
    root->unref();  // the last reference: node_inactive marks it idle
    evict_idle_nodes();
    auto groups = write_dirty_groups();
    auto clean = groups.is_error() ? groups : write_superblock(true);
    auto flushed = bufcache().flush(m_dev);
    if (!forced) {
        TRY(clean);
        TRY(flushed);
    }
    bufcache().invalidate(m_dev);
    return {};
}

} // namespace fs::ffs
