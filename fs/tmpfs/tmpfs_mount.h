// fs/tmpfs/tmpfs_mount.h -- TmpfsMount: one mounted tmpfs instance.
//
// A tmpfs is a tree of TmpfsNodes in kernel memory (fs/tmpfs/tmpfs_node.h)
// with file data in anonymous VM objects (Merino's NetBSD tmpfs). The mount
// owns every node (m_nodes, a list of all of them), hands out inode numbers,
// and enforces the two limits given at mount time:
//
//   size=N[k|m|g]  bytes of file data, counted in pages actually resident
//                  (holes are free); default: half of physical memory
//   nodes=N        nodes, the root included; default: as many as pages
//
// Going over either is ENOSPC; statvfs() reports both. The mount is the
// vm::PageBudget of every file's aobj (vm/aobj.h): the aobj charges a page
// when it makes one -- for write(2) or for a fault through a mapping --
// and uncharges it when truncate or the file's end frees it, so the limit
// holds on every path (a store through a mapping past it gets SIGBUS).
// The counter is atomic: it is changed with only an aobj's lock held.
//
// Locks of tmpfs, outermost first (their place among all the kernel's
// locks: docs/locking.md):
//
//     TmpfsMount::m_lock      TmpfsNode::m_lock      VmObject::m_lock (aobj)
//        (namespace)          (size, times, mode)     (pages; fs/ubc per window)
//
// m_lock guards the whole namespace -- every directory's entries, parents,
// link counts, m_nodes and m_node_count: one lock per mount, simple and
// obviously correct (rename's checks need a stable tree); the price is that
// namespace operations of one mount run one at a time. Reads and writes of
// file data never take it.
//
// Lifetime: a node lives while it has a link (nlink > 0) or a reference
// (Vnode::ref_count() > 0); a linked node holds one reference on itself, so
// the last unref() means both are gone and TmpfsNode::inactive() frees it,
// under m_lock, together with its data pages and, for a directory, its name
// index: memory returns as soon as the last user goes (docs/tmpfs.md).
#pragma once

#include <fs/tmpfs/tmpfs_node.h>
#include <fs/vfs/mount.h>
#include <vm/aobj.h>

namespace fs::tmpfs {

class TmpfsMount final : public FileSystem, public vm::PageBudget {
public:
    // Parse the options and make the root. Errors: EINVAL (bad options), ENOMEM.
    static ErrorOr<TmpfsMount*> create(StringView options);
    // Frees every node that is left (after a successful unmount, or when
    // create() fails). => nobody holds a reference to a node any more.
    ~TmpfsMount() override;

    Vnode* root() override;
    ErrorOr<StatVfs> statvfs() override;
    // Errors: EBUSY if a node other than the root is referenced.
    ErrorOr<void> unmount() override;

    // ---- for the nodes ----
    kern::Mutex& lock() { return m_lock; }
    // A new node, on m_nodes, not linked anywhere (nlink 0), counted.
    // Regular files get their aobj here. => m_lock held. Errors: ENOSPC (the
    // nodes= limit, or no memory).
    ErrorOr<TmpfsNode*> allocate_node_locked(VType type, u32 mode, const Cred& cred);
    // Unlink from m_nodes, release data, index and target, delete.
    // => m_lock held, the node has no links, no references, no entries.
    void free_node_locked(TmpfsNode& node);
    // A Dirent named `name` (not linked). Errors: ENOSPC (no memory).
    static ErrorOr<Dirent*> allocate_dirent(StringView name);
    static void free_dirent(Dirent& entry);

    // Data pages (vm::PageBudget): every file's aobj draws on the mount's
    // size= budget; the aobj charges a page when it makes one and
    // uncharges it when it frees it. charge returns false if it would go over
    // (nothing taken).
    bool charge(size_t pages) override;
    void uncharge(size_t pages) override;
    size_t free_data_pages() const;

    size_t node_count_locked() const { return m_node_count; }
    size_t data_pages_used() const { return __atomic_load_n(&m_pages_used, __ATOMIC_RELAXED); }

private:
    TmpfsMount(size_t page_limit, size_t node_limit);
    static ErrorOr<void> parse_options(StringView options, size_t& pages, size_t& nodes);

    kern::Mutex m_lock;
    // Guarded by m_lock.
    kern::IntrusiveList<TmpfsNode, &TmpfsNode::m_mount_node> m_nodes;
    size_t m_node_count = 0;
    u64 m_next_ino = 2;  // the root is 2, as on most UNIX file systems
    TmpfsNode* m_root = nullptr;

    // Limits (fixed at mount) and the data-page counter (atomic).
    const size_t m_page_limit;
    const size_t m_node_limit;
    size_t m_pages_used = 0;
};

} // namespace fs::tmpfs
