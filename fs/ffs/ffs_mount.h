// fs/ffs/ffs_mount.h -- FfsMount: one FFS image mounted from a block device.
//
// What the mount holds in memory (4.4BSD's struct ufsmount + struct fs):
//   m_sb       the superblock, read at mount; its free counts are kept up to
//              date here and written back by sync and unmount
//   m_cs       every group's counts (struct ffs_csum), the copy the
//              allocation policy reads (fs/ffs/ffs_alloc_policy.h); each
//              group header (ffs_cg) on the image is updated with it
//   m_nodes    the inode cache: every in-core FfsNode by inode number
//   m_root     the root directory's node, referenced while mounted
// Everything else -- group headers, bitmaps, inode tables, directories,
// indirect blocks -- is read and written a block at a time through the
// buffer cache (fs/block/bufcache.h); file data through each file's pages
// (fs/ffs/ffs_node.h). The allocator is FfsMount's own (fs/ffs/ffs_alloc.cpp:
// alloc_block, free_block, allocate_node, free_inode); so is the inode cache
// (fs/ffs/ffs_icache.cpp: get_node, node_inactive, evict_idle_nodes).
//
// Mounting checks before trusting (fs/ffs/ffs_mount.cpp:check_structure):
// the superblock (ffs_sb_check, shared with fsck_ffs), every group header
// (magic, index, counts equal to its bitmaps), and the directory tree from
// the root -- every directory block sound (ffs_dir.h:dir_block_check), its
// block pointers inside the data area, ".." naming the parent, no directory
// reached twice (a loop). A damaged image is refused with EUCLEAN and a
// console line; a superblock that is not one, with EINVAL. After the mount,
// every block pointer and directory block is still checked where it is
// used (EIO), so an image damaged while mounted cannot crash the kernel.
//
// Locks, outermost first (docs/locking.md): m_ns_lock (the namespace: one
// directory operation at a time per mount, as tmpfs), then a node's locks
// (fs/ffs/ffs_node.h), then m_alloc_lock (bitmaps, group headers, counts),
// with m_icache_lock (the inode cache) last but for the allocator's and the
// buffer cache's: node_inactive takes it wherever a last reference goes --
// also under a VmMap's lock, when munmap drops a mapping's vnode reference
// (docs/locking.md).
// Read more: McKusick et al., "A Fast File System for UNIX" (1984); NetBSD
// sys/ufs/ffs/ffs_vfsops.c (ffs_mountfs, ffs_sync), sys/ufs/ufs/ufs_ihash.c.
// Design only; our own code.
#pragma once

#include <fs/block/buf.h>
#include <fs/ffs/ffs_node.h>
#include <fs/vfs/mount.h>

namespace block {
struct Buf;
}

namespace fs::ffs {

class FfsMount final : public FileSystem {
public:
    // Mount the image on the block device numbered `rdev`. Errors: ENXIO
    // (no such device), EBUSY (already mounted), EINVAL (not an FFS image,
    // a block size this kernel does not run, an unknown option), EUCLEAN (a
    // damaged image), EIO, ENOMEM.
    static ErrorOr<FileSystem*> create_on_device(u64 rdev, StringView options);
    // The same on a device the caller holds (host tests).
    static ErrorOr<FfsMount*> mount(block::BlockDevice& dev, StringView options);
    ~FfsMount() override;

    Vnode* root() override;
    ErrorOr<StatVfs> statvfs() override;
    // Errors: EBUSY (a node other than the root is referenced), EIO.
    ErrorOr<void> unmount() override;
    ErrorOr<void> sync() override;
    void drop_caches() override;

    // ---- for the nodes ----
    const ffs_superblock& sb() const { return m_sb; }
    block::BlockDevice& device() const { return m_dev; }
    kern::Mutex& ns_lock() { return m_ns_lock; }

    // The node of inode `ino`, referenced: from the cache, else read from
    // the inode table. Errors: EUCLEAN (a free or damaged inode where a
    // directory entry points), EIO, ENOMEM.
    ErrorOr<FfsNode*> get_node(u32 ino);
    // A new inode of `mode` (type bits included) near `parent` (a new
    // directory: in a lightly used group), in core, referenced, nlink 0.
    // Errors: ENOSPC, EIO, ENOMEM.
    ErrorOr<FfsNode*> allocate_node(FfsNode& parent, u32 mode, const Cred& cred);

    // A free data block, as near `pref` as the policy finds. Counted in
    // use at once. Errors: ENOSPC, EIO.
    ErrorOr<u32> alloc_block(u32 pref);
    // Give back a block (EIO is reported on the console: the block leaks).
    // `metadata`: it was read through the buffer cache (indirect,
    // directory, symlink blocks), whose copy is dropped.
    void free_block(u32 bno, bool metadata);
    // The block a file's logical block `lbn` would like (blkpref), given
    // the block before it.
    u32 block_pref(u32 ino, u64 lbn, u32 prev);
    // Give back an inode. => its node has no links, no blocks.
    void free_inode(u32 ino, bool was_directory);

    // Buffer-cache access in file-system blocks. bread checks nothing but
    // the number: it must be inside the image (EIO otherwise).
    ErrorOr<block::Buf*> bread(u32 bno);
    ErrorOr<block::Buf*> getblk(u32 bno);
    // The sector of block `bno` (b_blkno units).
    u64 sector_of(u32 bno) const { return u64(bno) << (m_sb.fs_bshift - block::DEV_BSHIFT); }
    // Report a damaged image (console), naming the inode if nonzero.
    void report(u32 ino, const char* what) const;

    // A node's last reference went (FfsNode::inactive).
    void node_inactive(FfsNode& node);

    // Call fn(arg) when this mount is deleted (after unmount): MFS lets its
    // server go then (fs/mfs/mfs.cpp).
    void on_delete(void (*fn)(void*), void* arg)
    {
        m_on_delete = fn;
        m_on_delete_arg = arg;
    }

private:
    FfsMount(block::BlockDevice& dev, const ffs_superblock& sb);
    ErrorOr<void> load_groups();
    ErrorOr<void> check_structure();
    ErrorOr<void> write_superblock(bool clean);
    ErrorOr<void> write_group_counts_locked(u32 g);
    void mark_group_locked(u32 g);
    ErrorOr<void> write_dirty_groups();
    ErrorOr<i64> alloc_in_group_locked(u32 g, u32 pref, bool inode);
    ErrorOr<void> sync_nodes();
    void evict_idle_nodes();
    void free_node(FfsNode& node);

    struct ByIno {
        using Key = u32;
        static u32 key(const FfsNode& n) { return n.ino(); }
        static u64 hash(u32 ino) { return kern::hash_u64(ino); }
    };

    block::BlockDevice& m_dev;
    ffs_superblock m_sb;      // counts guarded by m_alloc_lock
    ffs_csum* m_cs = nullptr; // fs_ncg entries, guarded by m_alloc_lock
    bool* m_cg_dirty = nullptr;  // fs_ncg flags: the group's header is behind m_cs (m_alloc_lock)
    bool m_sb_dirty = true;   // counts changed since the superblock was written (m_alloc_lock)
    kern::Mutex m_ns_lock;
    kern::Mutex m_alloc_lock;
    kern::Mutex m_icache_lock;
    kern::HashTableWithBuckets<FfsNode, &FfsNode::m_hash_node, ByIno, 256> m_nodes;  // m_icache_lock
    kern::IntrusiveList<FfsNode, &FfsNode::m_all_node> m_all;                        // m_icache_lock
    FfsNode* m_root = nullptr;
    void (*m_on_delete)(void*) = nullptr;
    void* m_on_delete_arg = nullptr;
};

// Register type "ffs" with the VFS (at boot).
void ffs_register();

} // namespace fs::ffs
