// fs/ffs/ffs_icache.cpp -- the inode cache of an FFS mount: one in-core
// FfsNode per inode in use (4.4BSD's ufs_ihash).
//
// get_node finds an in-core node by number or reads it; a node whose last
// reference goes stays cached while it has links (node_inactive marks it
// idle), and is freed with its blocks when it has none. drop_caches and
// unmount evict idle nodes. Only idle nodes may be evicted: see
// FfsNode::m_idle. sync_nodes writes back the nodes that may be dirty.
// Lock: FfsMount::m_icache_lock guards the hash table, the list and every
// node's m_idle (docs/locking.md). Read more: NetBSD sys/ufs/ufs/ufs_ihash.c,
// ufs_inode.c (ufs_inactive). Design only; our own code.
#include <fs/block/bufcache.h>
#include <fs/ffs/ffs_mount.h>
#include <kernel/base/lib/vector.h>

namespace fs::ffs {

using block::Buf;
using block::BufHold;
using block::bufcache;
using kern::MutexGuard;

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
    BufHold blk(TRY(bread(ffs_ino_to_fsba(&m_sb, ino))));
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

} // namespace fs::ffs
