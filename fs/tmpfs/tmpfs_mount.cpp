// fs/tmpfs/tmpfs_mount.cpp -- TmpfsMount: instances, options, limits, and
// the allocation and freeing of nodes and entries (see tmpfs_mount.h for
// what each lock guards; lock order: docs/locking.md).
//
// Node allocation (allocate_node_locked) is the one place a node is born:
// it checks the nodes= limit, allocates the TmpfsNode and, for a regular
// file, its AnonObject, and puts the node on m_nodes. free_node_locked is
// the one place a node dies: it gives back the node's data pages' charge,
// drops the aobj (AnonObject::detach: the pages go back to the allocator at
// once unless a mapping still holds the object), frees a symlink's target
// and a directory's grown name index, and deletes the node.
//
// Data-page budget: m_pages_used against m_page_limit, changed with atomic
// compare-and-swap by the files' aobjs (vm/aobj.h:PageBudget), which hold
// only their own lock when they make or free a page.
//
// Read more: NetBSD sys/fs/tmpfs/tmpfs_vfsops.c (tmpfs_mount, tmpfs_unmount,
// tmpfs_statvfs), tmpfs_subr.c (tmpfs_alloc_node, tmpfs_free_node,
// tmpfs_alloc_dirent), tmpfs_mem.c (the memory limit). Design only.
#include <fs/tmpfs/tmpfs.h>
#include <fs/tmpfs/tmpfs_mount.h>
#include <kernel/base/heap/heap.h>
#include <kernel/base/lib/string.h>
#include <new>
#include <vm/aobj.h>
#include <kernel/base/page/page_allocator.h>

namespace fs::tmpfs {

using kern::MutexGuard;

// ---- options ----------------------------------------------------------------

namespace {

// "64m" -> 64 MiB. Returns false for anything that is not digits and a suffix.
bool parse_size(StringView text, u64& bytes)
{
    u64 unit = 1;
    if (text.ends_with('k') || text.ends_with('K'))
        unit = 1ull << 10;
    else if (text.ends_with('m') || text.ends_with('M'))
        unit = 1ull << 20;
    else if (text.ends_with('g') || text.ends_with('G'))
        unit = 1ull << 30;
    if (unit != 1)
        text = text.substring(0, text.length() - 1);
    u64 value;
    if (!text.to_unsigned(value) || value == 0 || value > (~u64(0) >> 1) / unit)
        return false;
    bytes = value * unit;
    return true;
}

} // namespace

// Errors: EINVAL (an unknown option, a bad number, a limit of 0).
ErrorOr<void> TmpfsMount::parse_options(StringView options, size_t& pages, size_t& nodes)
{
    for (StringView option : kern::Split(options, ',')) {
        u64 value;
        if (option.starts_with("size=")) {
            if (!parse_size(option.substring(5), value))
                return Errno::EINVAL;
            pages = size_t(align_up(value, PAGE_SIZE) / PAGE_SIZE);
        } else if (option.starts_with("nodes=")) {
            if (!option.substring(6).to_unsigned(value) || value == 0)
                return Errno::EINVAL;
            nodes = size_t(value);
        } else {
            return Errno::EINVAL;
        }
    }
    return {};
}

// ---- the instance -------------------------------------------------------------

TmpfsMount::TmpfsMount(size_t page_limit, size_t node_limit)
    : m_page_limit(page_limit), m_node_limit(node_limit)
{
}

ErrorOr<TmpfsMount*> TmpfsMount::create(StringView options)
{
    const size_t total = vm::page_allocator().stats().total;
    size_t pages = max<size_t>(total / 2, 1), nodes = max<size_t>(total, 1);
    TRY(parse_options(options, pages, nodes));
    auto* tmpfs = new (std::nothrow) TmpfsMount(pages, nodes);
    if (!tmpfs)
        return Errno::ENOMEM;
    tmpfs->m_lock.lock();  // not a guard: on failure the lock dies with the mount
    auto root = tmpfs->allocate_node_locked(VType::Directory, 0755, Cred{});
    if (root.is_error()) {
        tmpfs->m_lock.unlock();
        delete tmpfs;
        return Errno::ENOMEM;
    }
    TmpfsNode* node = root.value();
    node->m_parent = node;       // the root's ".." is itself (the VFS crosses mounts)
    node->ref();                 // its name reference (see tmpfs_node.cpp)
    node->set_nlink_locked(2);   // "." and the mount point's name for it
    tmpfs->m_root = node;
    tmpfs->m_lock.unlock();
    return tmpfs;
}

TmpfsMount::~TmpfsMount()
{
    MutexGuard guard(m_lock);
    // First empty every directory, so no node is named any more ...
    for (TmpfsNode& node : m_nodes) {
        KASSERT_MSG(&node == m_root || node.ref_count() == (node.nlink() > 0 ? 1u : 0u),
                    "tmpfs: node %lu still referenced at unmount", (unsigned long)node.m_ino);
        node.m_by_cookie.clear([](Dirent&) {});
        node.m_by_name.clear([](Dirent& entry) { free_dirent(entry); });
        node.set_nlink_locked(0);  // the name references die with the nodes
    }
    // ... then free the nodes themselves.
    while (TmpfsNode* node = m_nodes.first())
        free_node_locked(*node);
    KASSERT_MSG(m_node_count == 0 && data_pages_used() == 0, "tmpfs: %zu nodes, %zu pages left at unmount",
                size_t(m_node_count), size_t(data_pages_used()));
}

Vnode* TmpfsMount::root()
{
    m_root->ref();
    return m_root;
}

ErrorOr<StatVfs> TmpfsMount::statvfs()
{
    StatVfs st;
    st.bsize = PAGE_SIZE;
    st.blocks = m_page_limit;
    st.bfree = st.bavail = free_data_pages();
    MutexGuard guard(m_lock);
    st.files = m_node_limit;
    st.ffree = m_node_limit - m_node_count;
    st.fsid = id();
    st.namemax = NAME_MAX;
    st.magic = uapi::TMPFS_MAGIC;
    return st;
}

ErrorOr<void> TmpfsMount::unmount()
{
    MutexGuard guard(m_lock);
    for (TmpfsNode& node : m_nodes)  // more than the name reference: in use
        if (&node != m_root && node.ref_count() > (node.nlink() > 0 ? 1u : 0u))
            return Errno::EBUSY;
    return {};
}

// ---- nodes and entries -----------------------------------------------------------

ErrorOr<TmpfsNode*> TmpfsMount::allocate_node_locked(VType type, u32 mode, const Cred& cred)
{
    KASSERT(m_lock.is_locked_by_me());
    if (m_node_count >= m_node_limit)
        return Errno::ENOSPC;
    auto* node = new (std::nothrow) TmpfsNode(*this, type, m_next_ino, mode, cred);
    if (!node)
        return Errno::ENOSPC;
    if (type == VType::Regular) {
        auto object = vm::AnonObject::create();
        if (object.is_error()) {
            delete node;
            return Errno::ENOSPC;
        }
        node->m_object = object.value();
        kern::MutexGuard guard(node->m_object->lock());
        node->m_object->set_budget_locked(this);
    }
    ++m_next_ino;  // nothing below can fail
    ++m_node_count;
    m_nodes.push_back(*node);
    return node;
}

void TmpfsMount::free_node_locked(TmpfsNode& node)
{
    KASSERT(m_lock.is_locked_by_me());
    KASSERT(node.nlink() == 0 && node.m_by_cookie.is_empty() && node.m_by_name.is_empty());
    m_nodes.remove(node);
    --m_node_count;
    if (node.m_object) {
        {
            // The object may outlive the node (and the mount) in a mapping:
            // its pages leave the budget now, and it draws on none from here.
            kern::MutexGuard guard(node.m_object->lock());
            uncharge(node.m_object->resident_pages_locked() + node.m_object->swapped_pages_locked());
            node.m_object->set_budget_locked(nullptr);
        }
        node.m_object->detach();  // frees every page unless a mapping holds the object
    }
    if (node.m_target)
        kern::kfree(node.m_target);
    if (node.m_buckets && node.m_buckets != node.m_small_buckets)
        kern::kfree(node.m_buckets);
    delete &node;
}

ErrorOr<Dirent*> TmpfsMount::allocate_dirent(StringView name)
{
    KASSERT(name.length() > 0 && name.length() <= NAME_MAX);
    void* memory = kern::kmalloc(sizeof(Dirent) + name.length());
    if (!memory)
        return Errno::ENOSPC;
    auto* entry = new (memory) Dirent;
    entry->m_cookie = 0;
    entry->m_node = nullptr;
    entry->m_name_length = u16(name.length());
    memcpy(entry->m_name, name.characters(), name.length());
    return entry;
}

void TmpfsMount::free_dirent(Dirent& entry)
{
    entry.~Dirent();
    kern::kfree(&entry);
}

// ---- the data-page budget ----------------------------------------------------------

bool TmpfsMount::charge(size_t pages)
{
    size_t used = __atomic_load_n(&m_pages_used, __ATOMIC_RELAXED);
    do {
        if (pages > m_page_limit - min(used, m_page_limit))
            return false;
    } while (!__atomic_compare_exchange_n(&m_pages_used, &used, used + pages, true,
                                          __ATOMIC_RELAXED, __ATOMIC_RELAXED));
    return true;
}

void TmpfsMount::uncharge(size_t pages)
{
    size_t before = __atomic_fetch_sub(&m_pages_used, pages, __ATOMIC_RELAXED);
    KASSERT_MSG(before >= pages, "tmpfs: uncharging %zu pages of %zu", pages, before);
}

size_t TmpfsMount::free_data_pages() const
{
    return m_page_limit - min(data_pages_used(), m_page_limit);
}

// ---- registration ------------------------------------------------------------------

namespace {

ErrorOr<FileSystem*> create_tmpfs(StringView options)
{
    return static_cast<FileSystem*>(TRY(TmpfsMount::create(options)));
}

const FileSystemType s_tmpfs_type = {"tmpfs", create_tmpfs};

} // namespace

const FileSystemType& tmpfs_type() { return s_tmpfs_type; }

void tmpfs_register() { register_filesystem(s_tmpfs_type); }

} // namespace fs::tmpfs
