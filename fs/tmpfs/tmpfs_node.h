// fs/tmpfs/tmpfs_node.h -- TmpfsNode (a file of a tmpfs: it *is* its vnode)
// and Dirent (one name in a directory).
//
// A TmpfsNode carries what stat(2) reports (type, mode, owner, link count,
// size, four times) and what its type needs:
//
//   Regular     m_object: a vm::AnonObject holding the data, made at create
//               (so vm_object() is never null and mmap of an empty file works);
//               a page exists only where something was written.
//   Directory   m_by_cookie + m_by_name: the same Dirents in two indexes;
//               m_parent (".."); m_next_cookie.
//   Symlink     m_target: the target string, in the heap.
//   Char/Block  m_rdev.   Fifo/Socket: nothing yet.
//
//        TmpfsNode (dir)                       Dirent ("notes.txt")
//   +--------------------------+          +-------------------------+
//   | m_by_cookie  (RbTree) ---+--------->| m_cookie_node, m_cookie |
//   | m_by_name (HashTable) ---+--------->| m_name_node (hash)      |
//   | m_parent ---> ".."       |          | m_node ---------------->+--> TmpfsNode (file)
//   | m_next_cookie            |          | m_name[m_name_length]   |     m_object -> AnonObject
//   +--------------------------+          +-------------------------+         -> pages
//
// Name index: a kern::HashTable keyed by name, whose bucket array doubles
// (rehash) when the load passes 1. Expected O(1) lookup in a directory of
// 100,000 entries, against ~17 string comparisons for a tree; and growth
// may fail harmlessly (the table just stays slower), so no create fails for
// it. Order is kept by the second index: an RbTree keyed by cookie, where
// readdir resumes at the first cookie >= the one it was given.
//
// Cookies: 0 is ".", 1 is "..", entries get 2, 3, 4, ... from the
// directory's m_next_cookie, never reused; an entry keeps its cookie until
// removed, so a readdir that continues from a cookie sees every entry that
// was there throughout exactly once, whatever was added or removed.
//
// Locks and what they guard, outermost first (lock order: docs/locking.md):
//   TmpfsMount::m_lock   the namespace: Dirents, both indexes, m_parent,
//                        m_nlink (written under it, read atomically),
//                        m_removed, m_next_cookie, the mount's node list
//   TmpfsNode::m_lock    m_mode, m_uid, m_gid, m_size, the times; held
//                        across a whole write or truncate of a regular
//                        file (one at a time per file)
//   the aobj's lock      its pages, and their charge to the mount's size=
//                        budget (fs/ubc/ubc.cpp takes it per window)
// Read more: docs/tmpfs.md; NetBSD sys/fs/tmpfs/tmpfs.h (struct tmpfs_node,
// struct tmpfs_dirent). Design only; our own code.
#pragma once

#include <fs/vfs/vnode.h>
#include <kernel/base/lib/hash_table.h>
#include <kernel/base/lib/list.h>
#include <kernel/base/lib/rbtree.h>
#include <kernel/base/sync/mutex.h>

namespace vm {
class AnonObject;
}

namespace fs::tmpfs {

class TmpfsMount;
class TmpfsNode;

constexpr u32 LINK_MAX = 65000;               // links to one node (EMLINK beyond)
constexpr u64 MAX_FILE_SIZE = 1ull << 46;      // 64 TiB: larger is EFBIG
constexpr u64 COOKIE_DOT = 0, COOKIE_DOTDOT = 1, COOKIE_FIRST = 2;

struct Dirent {
    kern::RbNode m_cookie_node;   // in the directory's m_by_cookie
    kern::HashNode m_name_node;   // in the directory's m_by_name
    u64 m_cookie;
    TmpfsNode* m_node;            // the named node; counted in its m_nlink
    u16 m_name_length;
    char m_name[];                // not NUL-terminated; allocated with the Dirent

    StringView name() const { return StringView(m_name, m_name_length); }
};

struct DirentByCookie {
    using Key = u64;
    static u64 key(const Dirent& d) { return d.m_cookie; }
};
struct DirentByName {
    using Key = StringView;
    static StringView key(const Dirent& d) { return d.name(); }
    static u64 hash(StringView name) { return kern::hash_string(name); }
};
using DirentTree = kern::RbTree<Dirent, &Dirent::m_cookie_node, DirentByCookie>;
using DirentTable = kern::HashTable<Dirent, &Dirent::m_name_node, DirentByName>;

class TmpfsNode final : public Vnode {
public:
    // ---- directories (fs/tmpfs/tmpfs_dir.cpp, tmpfs_rename.cpp) ----
    ErrorOr<Vnode*> lookup(StringView name) override;
    ErrorOr<Vnode*> create(StringView name, VType type, u32 mode, u64 rdev, const Cred& cred) override;
    // Also ENOENT: an empty target.
    ErrorOr<Vnode*> symlink(StringView name, StringView target, const Cred& cred) override;
    // Also ENOENT: the target was removed (nlink 0). EPERM: a directory.
    ErrorOr<void> link(StringView name, Vnode& target) override;
    ErrorOr<void> unlink(StringView name) override;
    ErrorOr<void> rmdir(StringView name) override;
    ErrorOr<void> rename(StringView from, Vnode& to_dir, StringView to, u32 flags) override;
    ErrorOr<u64> readdir(u64 cookie, ReaddirSink& sink) override;
    // ---- regular files (fs/tmpfs/tmpfs_file.cpp) ----
    ErrorOr<size_t> read(u64 offset, const IoBuffer& buf, size_t n) override;
    ErrorOr<size_t> write(u64 offset, const IoBuffer& buf, size_t n) override;
    ErrorOr<size_t> append(const IoBuffer& buf, size_t n, u64& at) override;
    // ---- every node (fs/tmpfs/tmpfs_node.cpp) ----
    ErrorOr<size_t> readlink(const IoBuffer& buf, size_t n) override;
    ErrorOr<VAttr> getattr() override;
    ErrorOr<void> setattr(const VAttr& attr, u32 mask) override;
    vm::VmObject* vm_object() override;

    TmpfsMount& tmpfs() const { return m_tmpfs; }
    u64 ino() const { return m_ino; }
    u32 nlink() const { return __atomic_load_n(&m_nlink, __ATOMIC_RELAXED); }

private:
    friend class TmpfsMount;
    TmpfsNode(TmpfsMount& tmpfs, VType type, u64 ino, u32 mode, const Cred& cred);
    ~TmpfsNode() override;
    void inactive() override;

    // ---- namespace helpers (tmpfs_dir.cpp); => mount lock held ----
    Dirent* find_locked(StringView name) const;
    void attach_locked(Dirent& entry, TmpfsNode& child);
    void detach_locked(Dirent& entry);
    void grow_name_index_locked();
    bool is_empty_dir_locked() const { return m_by_cookie.is_empty(); }
    void set_nlink_locked(u32 n) { __atomic_store_n(&m_nlink, n, __ATOMIC_RELAXED); }
    // The common checks and undo of create() and symlink(). Errors: ENOTDIR,
    // ENOENT, EEXIST, EMLINK, ENOSPC.
    ErrorOr<TmpfsNode*> make_child_locked(StringView name, VType type, u32 mode, u64 rdev,
                                          const Cred& cred, StringView target);
    ErrorOr<void> remove_entry(StringView name, bool directory);
    // Is this directory `dir` or below it? Walks m_parent. => mount lock held.
    bool is_within_locked(const TmpfsNode& dir) const;
    // rename's halves (tmpfs_rename.cpp). => mount lock held.
    ErrorOr<bool> check_rename_locked(StringView from, TmpfsNode& to_dir, StringView to, u32 flags,
                                      Dirent*& source, Dirent*& target);
    ErrorOr<void> check_exchange_locked(TmpfsNode& to_dir, const Dirent& source, const Dirent& target);
    TmpfsNode* take_replaced_locked(Dirent& target);
    void exchange_locked(Dirent& source, TmpfsNode& to_dir, Dirent& target);

    // ---- regular-file helpers (tmpfs_file.cpp); => m_lock held ----
    ErrorOr<size_t> write_locked(u64 offset, const IoBuffer& buf, size_t n);
    // Data pages held, in memory or on swap (what the file costs;
    // st_blocks). Takes the aobj's lock.
    size_t resident_pages() const;
    ErrorOr<void> truncate_locked(u64 size);

    // ---- times (tmpfs_node.cpp) ----
    static constexpr u32 ATIME = 1, MTIME = 2, CTIME = 4;
    // Set the chosen times to now. => m_lock held.
    void touch_locked(u32 which);
    // The same, taking m_lock.
    void touch(u32 which);

    TmpfsMount& m_tmpfs;
    const u64 m_ino;
    kern::ListNode m_mount_node;       // TmpfsMount::m_nodes (mount lock)

    // Guarded by the mount lock. nlink > 0 <=> the node holds a reference
    // on itself (its "name reference": tmpfs_node.cpp, "Death").
    u32 m_nlink = 0;
    bool m_removed = false;            // a directory that rmdir/rename took away
    TmpfsNode* m_parent = nullptr;     // directories: ".."; the root's is itself
    DirentTree m_by_cookie;
    DirentTable m_by_name;
    kern::HashBucket* m_buckets = nullptr;  // m_by_name's array (heap unless m_small_buckets)
    kern::HashBucket m_small_buckets[4];
    u64 m_next_cookie = COOKIE_FIRST;

    // Guarded by m_lock.
    mutable kern::Mutex m_lock;
    u32 m_mode;
    u32 m_uid;
    u32 m_gid;
    u64 m_size = 0;                    // regular: bytes; symlink: target length
    u64 m_rdev = 0;
    Timespec m_atime, m_mtime, m_ctime, m_btime;

    // Set at creation, then read-only until the node is freed.
    vm::AnonObject* m_object = nullptr;  // regular files
    char* m_target = nullptr;            // symlinks (m_size bytes, no NUL)
};

} // namespace fs::tmpfs
