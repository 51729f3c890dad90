// fs/ffs/ffs_mount.cpp -- mounting, checking, syncing and unmounting an FFS
// image, and the inode cache (see fs/ffs/ffs_mount.h).
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
// The inode cache. get_node finds an in-core node by number or reads it;
// a node whose last reference goes stays cached while it has links
// (node_inactive marks it idle), and is freed with its blocks when it has
// none. drop_caches and unmount evict idle nodes. Only idle nodes may be
// evicted: see FfsNode::m_idle.
//
// Sync (sync(2), syncfs, fsync of the mount, unmount): every cached
// node's dirty pages go to their blocks and its inode to its inode-table
// buffer; then the superblock; then the buffer cache writes every dirty
// buffer of the device and waits.
#include <fs/block/bufcache.h>
#include <fs/ffs/ffs_alloc_policy.h>
#include <fs/ffs/ffs_dir.h>
#include <fs/ffs/ffs_mount.h>
#include <kernel/base/lib/kbuffer.h>
#include <kernel/base/lib/ref_ptr.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/lib/vector.h>
#include <kernel/base/printk.h>
#include <kernel/base/sync/spinlock.h>

namespace fs::ffs {

using block::Buf;
using block::bufcache;
using kern::MutexGuard;

namespace {

// The devices mounted now: a device holds one file system at a time.
constexpr size_t MAX_MOUNTED = 16;
kern::SpinLock s_mounted_lock;
block::BlockDevice* s_mounted[MAX_MOUNTED];  // guarded by s_mounted_lock

bool claim_device(block::BlockDevice& dev)
{
    kern::SpinGuard guard(s_mounted_lock);
    size_t free_slot = MAX_MOUNTED;
    for (size_t i = 0; i < MAX_MOUNTED; ++i) {
        if (s_mounted[i] == &dev)
            return false;
        if (!s_mounted[i] && free_slot == MAX_MOUNTED)
            free_slot = i;
    }
    if (free_slot == MAX_MOUNTED)
        return false;
    s_mounted[free_slot] = &dev;
    return true;
}

void release_device(block::BlockDevice& dev)
{
    kern::SpinGuard guard(s_mounted_lock);
    for (size_t i = 0; i < MAX_MOUNTED; ++i)
        if (s_mounted[i] == &dev)
            s_mounted[i] = nullptr;
}

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

// Releases a buffer on every way out of a scope.
struct BufRef {
    Buf* bp;
    explicit BufRef(Buf* b) : bp(b) {}
    ~BufRef()
    {
        if (bp)
            bufcache().brelse(*bp);
    }
    BufRef(const BufRef&) = delete;
    BufRef& operator=(const BufRef&) = delete;
    u8* data() const { return static_cast<u8*>(bp->b_data); }
    // Hand the buffer back as a delayed write.
    void dirty()
    {
        bufcache().bdwrite(*bp);
        bp = nullptr;
    }
};

} // namespace

FfsMount::FfsMount(block::BlockDevice& dev, const ffs_superblock& sb) : m_dev(dev), m_sb(sb) {}

FfsMount::~FfsMount()
{
    KASSERT(m_all.is_empty());
    delete[] m_cs;
    delete[] m_cg_dirty;
    release_device(m_dev);
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
    if (!claim_device(dev))
        return Errno::EBUSY;
    auto* ffs = new (std::nothrow) FfsMount(dev, sb);
    if (!ffs) {
        release_device(dev);
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
        BufRef hdr(TRY(bread(ffs_cgtod(&m_sb, g))));
        const auto* cg = reinterpret_cast<const ffs_cg*>(hdr.data());
        const u32 nblocks = ffs_cg_nblocks(&m_sb, g);
        if (cg->cg_magic != FFS_CG_MAGIC || cg->cg_cgx != g || cg->cg_ndblk != nblocks ||
            cg->cg_niblk != m_sb.fs_ipg) {
            printk("ffs %s: group %u: bad header\n", m_dev.name(), g);
            return Errno::EUCLEAN;
        }
        BufRef imap(TRY(bread(ffs_cgimap(&m_sb, g))));
        BufRef bmap(TRY(bread(ffs_cgbmap(&m_sb, g))));
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
            BufRef blk(TRY(bread(bno.value())));
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

// ---- the superblock and the group counts -------------------------------------

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

// Copy group g's counts and rotors into its header (a delayed write).
// => m_alloc_lock held.
ErrorOr<void> FfsMount::write_group_counts_locked(u32 g)
{
    BufRef hdr(TRY(bread(ffs_cgtod(&m_sb, g))));
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
    BufRef map(TRY(bread(inode ? ffs_cgimap(&m_sb, g) : ffs_cgbmap(&m_sb, g))));
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
    BufRef ref(map.value());
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
    BufRef ref(map.value());
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
    BufRef blk(TRY(bread(ffs_ino_to_fsba(&m_sb, ino))));
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

// ---- the inode cache -----------------------------------------------------------

ErrorOr<FfsNode*> FfsMount::get_node(u32 ino)
{
    if (ino < FFS_ROOTINO || ino >= ffs_ninodes(&m_sb)) {
        report(ino, "a directory entry names an inode out of range");
        return Errno::EUCLEAN;
    }
    MutexGuard guard(m_icache_lock);
    if (FfsNode* node = m_nodes.find(ino)) {
        node->m_idle = false;
        node->ref();
        return node;
    }
    BufRef blk(TRY(bread(ffs_ino_to_fsba(&m_sb, ino))));
    const auto& din = reinterpret_cast<const ffs_dinode*>(blk.data())[ffs_ino_to_fsbo(&m_sb, ino)];
    if (din.di_mode == 0 || ffs_mode_to_dtype(din.di_mode) == FFS_DT_UNKNOWN) {
        report(ino, din.di_mode == 0 ? "a directory entry names a free inode" : "bad file type");
        return Errno::EUCLEAN;
    }
    auto* node = new (std::nothrow) FfsNode(*this, ino, din);
    if (!node)
        return Errno::ENOMEM;
    m_nodes.insert(*node);
    m_all.push_back(*node);
    node->ref();
    return node;
}

void FfsMount::node_inactive(FfsNode& node)
{
    {
        MutexGuard guard(m_icache_lock);
        if (node.ref_count() > 0 || node.m_idle)
            return;  // found again meanwhile
        bool linked;
        {
            MutexGuard din(node.m_din_lock);
            linked = node.m_din.di_nlink > 0;
        }
        if (linked) {
            node.m_idle = true;
            return;
        }
        // No name, no reference: nobody can find it again.
        m_nodes.remove(node);
        m_all.remove(node);
    }
    free_node(node);
}

// Free a node with no links: its pages, its blocks, its inode.
void FfsMount::free_node(FfsNode& node)
{
    const bool dir = node.is_directory();
    {
        MutexGuard guard(node.m_object.lock());
        (void)node.m_object.put_pages_locked(0, ~u64(0) & ~u64(PAGE_SIZE - 1), vm::PUT_FREE);
    }
    {
        MutexGuard guard(node.m_din_lock);
        if (node.free_blocks_from_locked(0).is_error())
            report(node.ino(), "cannot free all its blocks: some leak");
        const u32 gen = node.m_din.di_gen;
        node.m_din = {};
        node.m_din.di_gen = gen;
        (void)node.write_inode_locked();
    }
    free_inode(node.ino(), dir);
    delete &node;
}

// Evict every idle node: write back what is dirty, free its pages, delete
// it. The victims leave the cache in one pass under its lock (nobody can
// find them after that), then are written and freed without it.
void FfsMount::evict_idle_nodes()
{
    kern::IntrusiveList<FfsNode, &FfsNode::m_all_node> victims;
    {
        MutexGuard guard(m_icache_lock);
        for (FfsNode* node = m_all.first(); node;) {
            FfsNode* next = m_all.next(*node);
            if (node->m_idle && node->ref_count() == 0 && node != m_root) {  // m_root: referenced
                m_nodes.remove(*node);
                m_all.remove(*node);
                victims.push_back(*node);
            }
            node = next;
        }
    }
    while (!victims.is_empty()) {
        FfsNode& victim = victims.take_first();
        {
            MutexGuard guard(victim.m_object.lock());
            (void)victim.m_object.put_pages_locked(0, ~u64(PAGE_SIZE - 1), vm::PUT_CLEAN | vm::PUT_FREE);
            if (victim.m_object.resident_pages_locked() > 0) {
                // Dirty pages that could not be written (EIO): the data is
                // lost with the node; say so rather than keep it for ever.
                report(victim.ino(), "evicted with pages that could not be written");
                (void)victim.m_object.put_pages_locked(0, ~u64(PAGE_SIZE - 1), vm::PUT_FREE);
            }
        }
        (void)victim.write_inode();
        delete &victim;
    }
}

// ---- sync, unmount ---------------------------------------------------------------

// Write back every cached node that may be dirty (FfsNode::note_dirty):
// collect them, referenced, under the cache lock, then fsync each without
// it. Errors: EIO, ENOMEM (the first).
ErrorOr<void> FfsMount::sync_nodes()
{
    kern::Vector<FfsNode*> dirty;
    {
        MutexGuard guard(m_icache_lock);
        for (FfsNode& node : m_all) {
            if (!__atomic_load_n(&node.m_maybe_dirty, __ATOMIC_ACQUIRE))
                continue;
            if (dirty.try_append(&node).is_error())
                break;  // no memory for the list: this sync writes what it has
            node.m_idle = false;  // referenced below: not evictable meanwhile
            node.ref();
        }
    }
    ErrorOr<void> first;
    for (FfsNode* node : dirty) {
        auto result = node->write_back();
        if (result.is_error() && !first.is_error())
            first = result;
        node->unref();
    }
    return first;
}

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
