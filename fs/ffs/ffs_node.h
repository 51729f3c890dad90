// fs/ffs/ffs_node.h -- FfsNode (an in-core inode: the vnode of one FFS file)
// and FfsObject (its VM object: the file's pages, with the vnode pager).
//
// An FfsNode is the kernel's copy of one on-image inode (struct ffs_dinode,
// fs/ffs/ffs_format.h) while something uses it -- 4.4BSD's struct inode
// with its vnode folded in, as tmpfs folds its node into its vnode. The
// mount keeps every in-core node in a hash table by inode number (the
// "inode cache", FfsMount::get_node), so a file has one FfsNode however
// many times it is looked up; a node nobody references stays cached until
// drop_caches, unmount, or its last link goes.
//
//   FfsNode (regular file)                       on the image
//   +-------------------------------+            +--------------------------+
//   | m_ino, m_din (the dinode)     | <--------> | inode m_ino in its group's|
//   |   di_db[12], di_ib[3] --------+---bmap---> | inode table; data and     |
//   | m_object: FfsObject           |            | indirect blocks           |
//   |   page tree: the file's data  | --pager--> |                           |
//   +-------------------------------+            +--------------------------+
//
// File data lives in m_object's pages and nowhere else (UBC: read, write
// and mmap share them; fs/ubc/ubc.h). The pager (FfsObject, fs/ffs/ffs_object.cpp)
// reads a page from its block when it is missing and writes dirty pages back
// on fsync, sync and unmount. Directory, indirect and long-symlink blocks are
// metadata: they go through the buffer cache (fs/block/bufcache.h), as in
// 4.4BSD.
//
// The object's reference count is the vnode's: FfsObject::reference/detach
// call ref/unref on the node (UVM's vnode pager does the same with
// vref/vrele), so a mapping of the file keeps its node -- and the node's
// block map, which the pager needs -- alive.
//
// Locks of a node, outermost first (the whole order: docs/locking.md):
//   FfsMount::m_ns_lock   the namespace: directory contents, link counts
//                         (di_nlink is written under it and m_din_lock)
//   m_lock                one data operation at a time: write, truncate,
//                         setattr
//   m_object.lock()       the page tree (the VM's lock; fs/ubc, faults)
//   m_din_lock            m_din (every field: block pointers, size, times)
//                         and this file's indirect blocks; the pager takes it
//                         under the object lock to map and allocate blocks
//   FfsMount::m_alloc_lock   the bitmaps and free counts
// Read more: docs/ffs.md ("The vnode pager"); NetBSD sys/ufs/ufs/inode.h,
// sys/miscfs/genfs/genfs_io.c. Design only; our own code.
#pragma once

#include <fs/ffs/ffs_format.h>
#include <fs/vfs/vnode.h>
#include <kernel/base/lib/hash_table.h>
#include <kernel/base/lib/list.h>
#include <kernel/base/sync/mutex.h>
#include <vm/object.h>

namespace fs::ffs {

class FfsMount;
class FfsNode;
struct PageBatch;  // fs/ffs/ffs_object.cpp

// The pages of a regular file, with the vnode pager behind them.
class FfsObject final : public vm::VmObject {
public:
    explicit FfsObject(FfsNode& node) : m_node(node) { m_ref_count = 0; }
    ~FfsObject() override;

    // The page at `offset`: resident, or read from its block; a hole (no
    // block) is a zero page, given a block at once if `access` has
    // PROT_WRITE (a store through a mapping: ENOSPC becomes SIGBUS there,
    // never a lost write later). => m_lock held. Errors: EIO, ENOMEM,
    // ENOSPC, EFAULT (at or past the end of the file, outside a write()).
    kern::ErrorOr<vm::Page*> get_page_locked(u64 offset, vm::Access access) override;
    // PUT_CLEAN: write the dirty pages of [start, end) to their blocks and
    // write-protect their mappings (the next store faults: tracks_writes).
    // PUT_FREE: then free them; without PUT_CLEAN dirty pages are dropped
    // unwritten (truncate). => m_lock held. Errors: EIO.
    kern::ErrorOr<void> put_pages_locked(u64 start, u64 end, u32 flags) override;
    void reference() override;
    void detach() override;
    bool absent_pages_have_data() const override { return true; }
    bool tracks_writes() const override { return true; }

    // A page write() filled whole (ubc's fresh windows): it has its block
    // already (allocate_range_locked); the node notes it may be dirty.
    kern::ErrorOr<void> install_filled_page_locked(vm::Page& page, u64 offset) override;

protected:
    void destroy() override;  // never called: the count is the vnode's

private:
    void plan_read_ahead_locked(PageBatch& batch, u64 lbn, u64 size);
    kern::ErrorOr<void> write_batch_locked(PageBatch& batch);
    kern::ErrorOr<void> clean_range_locked(u64 start, u64 end);

    FfsNode& m_node;
    u64 m_next_read_lbn = 0;  // where a sequential reader goes next (m_lock)
};

class FfsNode final : public Vnode {
public:
    // ---- directories (fs/ffs/ffs_vnops.cpp) ----
    ErrorOr<Vnode*> lookup(StringView name) override;
    ErrorOr<Vnode*> create(StringView name, VType type, u32 mode, u64 rdev, const Cred& cred) override;
    ErrorOr<Vnode*> symlink(StringView name, StringView target, const Cred& cred) override;
    ErrorOr<void> link(StringView name, Vnode& target) override;
    ErrorOr<void> unlink(StringView name) override;
    ErrorOr<void> rmdir(StringView name) override;
    ErrorOr<void> rename(StringView from, Vnode& to_dir, StringView to, u32 flags) override;
    ErrorOr<u64> readdir(u64 cookie, ReaddirSink& sink) override;
    // ---- regular files (fs/ffs/ffs_file.cpp) ----
    ErrorOr<size_t> read(u64 offset, const IoBuffer& buf, size_t n) override;
    ErrorOr<size_t> write(u64 offset, const IoBuffer& buf, size_t n) override;
    ErrorOr<size_t> append(const IoBuffer& buf, size_t n, u64& at) override;
    ErrorOr<void> fsync() override;
    // ---- every node (fs/ffs/ffs_inode.cpp) ----
    ErrorOr<size_t> readlink(const IoBuffer& buf, size_t n) override;
    ErrorOr<VAttr> getattr() override;
    ErrorOr<void> setattr(const VAttr& attr, u32 mask) override;
    vm::VmObject* vm_object() override;

    u32 ino() const { return m_ino; }
    FfsMount& ffs() const { return m_ffs; }
    // Something of this node (pages, the inode) may need writing back: sync
    // visits only such nodes. Set by every path that dirties; cleared by
    // fsync before it writes.
    void note_dirty() { __atomic_store_n(&m_maybe_dirty, true, __ATOMIC_RELEASE); }
    kern::HashNode m_hash_node;  // FfsMount's inode cache (its m_icache_lock)
    kern::ListNode m_all_node;   // ... and its list of every in-core node

private:
    friend class FfsMount;
    friend class FfsObject;
    friend class DirOps;
    FfsNode(FfsMount& ffs, u32 ino, const ffs_dinode& din);
    ~FfsNode() override;
    void inactive() override;

    // ---- the block map (fs/ffs/ffs_inode.cpp); => m_din_lock held ----
    // The image block of logical block `lbn`, 0 for a hole. Errors: EIO
    // (a damaged pointer), EFBIG.
    ErrorOr<u32> bmap_locked(u64 lbn);
    // The same, allocating the block (and the indirect blocks on the way)
    // if it is a hole; `fresh` says whether it was. Errors: ENOSPC, EIO, EFBIG.
    ErrorOr<u32> balloc_locked(u64 lbn, bool& fresh);
    // Free every block of logical block `first` and beyond, and the
    // indirect blocks left with nothing below them. Errors: EIO.
    ErrorOr<void> free_blocks_from_locked(u64 first);
    // Copy m_din to its slot in the inode table (a delayed write through
    // the buffer cache). Errors: EIO.
    ErrorOr<void> write_inode_locked();
    ErrorOr<void> write_inode();
    // Write the dirty pages to their blocks and the inode to its buffer (a
    // delayed write): fsync without the buffer cache's flush, which sync
    // does once for the whole device. Errors: EIO, ENOSPC.
    ErrorOr<void> write_back();
    // Set the chosen times to now (ATIME, MTIME, CTIME). => m_din_lock held.
    static constexpr u32 ATIME = 1, MTIME = 2, CTIME = 4;
    void touch_locked(u32 which);
    void set_din_dirty_locked()
    {
        m_din_dirty = true;
        note_dirty();
    }
    u64 size_locked() const { return m_din.di_size; }
    u64 size();
    VType type_of_mode() const;
    // EIO once the device is gone for good (MFS whose server died): cached
    // pages must not make a dead file system look alive.
    ErrorOr<void> check_device() const;

    // ---- regular files (fs/ffs/ffs_file.cpp); => m_lock held ----
    ErrorOr<size_t> write_locked(u64 offset, const IoBuffer& buf, size_t n);
    ErrorOr<void> truncate_locked(u64 size);
    // Give every block of [offset, offset + n) a block (new ones get a zero
    // page if inside the file). Returns the bytes from `offset` that have
    // blocks: fewer than n when the disk fills. Errors: ENOSPC, EIO.
    ErrorOr<size_t> allocate_range_locked(u64 offset, size_t n);
    // Free what a write that stopped at `end` allocated past it.
    void trim_after_short_write_locked(u64 end);

    FfsMount& m_ffs;
    const u32 m_ino;
    // Guarded by FfsMount::m_icache_lock. m_idle: unreferenced since the
    // last inactive() and not found again since -- only such a node may be
    // evicted (a node whose count just reached 0 but whose inactive() has
    // not run yet must not be freed under it).
    bool m_idle = false;

    kern::Mutex m_lock;
    mutable kern::Mutex m_din_lock;
    ffs_dinode m_din;         // guarded by m_din_lock
    bool m_din_dirty = false; // m_din differs from its inode-table slot
    bool m_maybe_dirty = false;  // atomic: note_dirty()
    // The end a write() in progress may extend the file to (guarded by
    // m_din_lock): the pager gives pages up to max(size, this), EFAULT past.
    u64 m_write_end = 0;
    // The last data block balloc_locked gave, and its logical block: the
    // next one's preferred neighbour (guarded by m_din_lock).
    u64 m_last_alloc_lbn = ~u64(0);
    u32 m_last_alloc_bno = 0;
    FfsObject m_object;
};

} // namespace fs::ffs
