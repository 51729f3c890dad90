// fs/vfs/mount.cpp -- the mount table: which file system is mounted where.
//
// Data structures. The MountTable (one, global) holds
//   - the registered FileSystemTypes (a small array: "tmpfs", ...);
//   - the list of mounts. Each is a MountRecord: the Mount of mount.h (its
//     FileSystem and the vnode it covers, referenced) plus the root vnode of
//     the mounted file system, referenced, and that root's reference count
//     just after mounting (`m_root_base_refs`: the file system's own
//     references plus the table's), which unmount compares against to see
//     whether anyone else -- an open directory, a cwd, a lookup in progress
//     -- still uses the root.
//   - on every covered vnode, Vnode::m_mounted_here points at the Mount.
//
// Crossing (used by fs/vfs/namei.cpp):
//   down  mounted_root(v): v->mounted_here() -> that mount's root (repeat:
//         mounts may be stacked on the same directory);
//   up    covered_vnode(v): find the record whose root is v -> its covered.
//
// Invariants: at most one mount has no covered vnode (the root mount), and
// it is the first in the list; a covered vnode's mounted_here() is its
// record while mounted; a record's root and covered are referenced.
//
// Locking: MountTable::m_lock (a Mutex) guards the list, the type array and
// every Vnode::m_mounted_here; getattr is called under it.
// FileSystemType::create and FileSystem::unmount run without it. Lock order:
// docs/locking.md.
//
// Which file system holds a vnode: its VAttr.dev, which must be the
// FileSystem::id() (see types.h). Vnode::mount() is not used (a FileSystem
// is created before its Mount exists, so it cannot pass one to its vnodes).
// See docs/vfs.md ("Mounts").
#include <fs/vfs/mount.h>
#include <fs/vfs/namei.h>
#include <fs/vfs/vfs.h>
#include <fs/vfs/vnode.h>
#include <kernel/base/sync/mutex.h>

namespace fs {

namespace {
u64 s_next_fs_id = 1;

struct MountRecord : Mount {
    Vnode* m_root = nullptr;  // referenced
    u32 m_root_base_refs = 0;
    const char* m_type = "";  // FileSystemType::name (types are never unregistered)
};

constexpr size_t MAX_FS_TYPES = 16;
} // namespace

FileSystem::FileSystem() : m_id(__atomic_fetch_add(&s_next_fs_id, 1, __ATOMIC_RELAXED)) {}

class MountTable {
public:
    void register_type(const FileSystemType& type);
    ErrorOr<void> mount(const FileSystemType& type, u64 rdev, StringView options, Vnode* covered);
    ErrorOr<void> attach(MountRecord* rec, FileSystem& fs, const char* type_name, Vnode* covered);
    const FileSystemType* find_type(StringView name);
    ErrorOr<void> sync_all();
    void drop_caches_all();
    ErrorOr<void> unmount(Vnode* root_ref);
    Vnode* mounted_root(Vnode& v);
    Vnode* covered_vnode(Vnode& v);
    bool is_mount_root(Vnode& v);
    Vnode* root();
    FileSystem* find_fs(u64 id);
    size_t list(MountEntry* out, size_t max);

private:
    const FileSystemType* find_type_locked(StringView name);
    MountRecord* find_by_root_locked(Vnode& v);
    bool has_children_locked(MountRecord& rec);
    ErrorOr<void> insert(MountRecord& rec, Vnode* covered);
    static MountRecord& record(Mount& m) { return static_cast<MountRecord&>(m); }

    kern::Mutex m_lock;
    // Guarded by m_lock.
    const FileSystemType* m_types[MAX_FS_TYPES] = {};
    kern::IntrusiveList<Mount, &Mount::m_node> m_mounts;
};

namespace {
MountTable s_table;
}

void register_filesystem(const FileSystemType& type) { s_table.register_type(type); }

void MountTable::register_type(const FileSystemType& type)
{
    kern::MutexGuard guard(m_lock);
    if (find_type_locked(type.name))
        return;  // registering twice is harmless (tests re-register)
    for (auto& slot : m_types) {
        if (!slot) {
            slot = &type;
            return;
        }
    }
    kern::panic("register_filesystem: more than %zu types", MAX_FS_TYPES);
}

const FileSystemType* MountTable::find_type_locked(StringView name)
{
    KASSERT(m_lock.is_locked_by_me());
    for (auto* t : m_types)
        if (t && name == t->name)
            return t;
    return nullptr;
}

MountRecord* MountTable::find_by_root_locked(Vnode& v)
{
    KASSERT(m_lock.is_locked_by_me());
    for (Mount& m : m_mounts)
        if (record(m).m_root == &v)
            return &record(m);
    return nullptr;
}

const FileSystemType* MountTable::find_type(StringView name)
{
    kern::MutexGuard guard(m_lock);
    return find_type_locked(name);
}

// mount: make an instance of `type` (on the device `rdev` if it lives on
// one) and put it on `covered` (nullptr: as the root). Errors: ENOTDIR,
// EBUSY, ENOMEM, and create()'s errors.
ErrorOr<void> MountTable::mount(const FileSystemType& type, u64 rdev, StringView options, Vnode* covered)
{
    if (covered && !covered->is_directory())
        return Errno::ENOTDIR;
    if (covered && !covered->can_be_mount_point())
        return Errno::EINVAL;  // e.g. in /proc (Vnode::can_be_mount_point)
    auto* rec = new (std::nothrow) MountRecord;
    if (!rec)
        return Errno::ENOMEM;
    auto fs = type.create_on_device ? type.create_on_device(rdev, options) : type.create(options);
    if (fs.is_error()) {
        delete rec;
        return fs.error();
    }
    return attach(rec, *fs.value(), type.name, covered);
}

// Put the new file system `fs` (of type `type_name`) on `covered`, with the
// record `rec`. On an error `fs` is unmounted and deleted, `rec` too.
// Errors: EBUSY, ENOENT (insert's).
ErrorOr<void> MountTable::attach(MountRecord* rec, FileSystem& fs, const char* type_name, Vnode* covered)
{
    rec->m_fs = &fs;
    rec->m_type = type_name;
    rec->m_root = rec->m_fs->root();
    rec->m_root_base_refs = rec->m_root->ref_count();
    auto inserted = insert(*rec, covered);
    if (inserted.is_error()) {  // undo in reverse order
        rec->m_root->unref();
        MUST(rec->m_fs->unmount());
        delete rec->m_fs;
        delete rec;
        return inserted.error();
    }
    return {};
}

// Errors: EBUSY if `covered` became a mount point (or a root exists) meanwhile;
// ENOENT if there is no root file system to mount under.
ErrorOr<void> MountTable::insert(MountRecord& rec, Vnode* covered)
{
    kern::MutexGuard guard(m_lock);
    if (!covered) {
        if (!m_mounts.is_empty())
            return Errno::EBUSY;
        m_mounts.push_front(rec);
        return {};
    }
    if (covered->mounted_here())
        return Errno::EBUSY;
    if (m_mounts.is_empty())
        return Errno::ENOENT;
    covered->ref();
    covered->set_mounted_here(&rec);
    rec.m_covered = covered;
    m_mounts.push_back(rec);
    return {};
}

bool MountTable::has_children_locked(MountRecord& rec)
{
    for (Mount& m : m_mounts) {
        Vnode* c = m.covered();
        if (!c || &m == &rec)
            continue;
        if (c == rec.m_root)
            return true;
        auto attr = c->getattr();
        if (!attr.is_error() && attr.value().dev == rec.m_fs->id())
            return true;
    }
    return false;
}

// unmount: `root_ref` is a referenced root of a mounted file system; the
// reference is consumed whatever happens. Errors: EINVAL (not a mount root),
// EBUSY (the root fs while others are mounted; mounts below; in use).
ErrorOr<void> MountTable::unmount(Vnode* root_ref)
{
    MountRecord* rec;
    {
        kern::MutexGuard guard(m_lock);
        rec = find_by_root_locked(*root_ref);
        Errno err = Errno(0);
        if (!rec)
            err = Errno::EINVAL;
        else if (has_children_locked(*rec) || root_ref->ref_count() != rec->m_root_base_refs + 1)
            err = Errno::EBUSY;
        if (err != Errno(0)) {
            root_ref->unref();
            return err;
        }
        // From here no lookup can cross into the file system.
        m_mounts.remove(*rec);
        if (rec->m_covered)
            rec->m_covered->set_mounted_here(nullptr);
    }
    root_ref->unref();
    rec->m_root->unref();
    auto result = rec->m_fs->unmount();
    if (result.is_error()) {  // put it back as it was
        rec->m_root = rec->m_fs->root();
        kern::MutexGuard guard(m_lock);
        if (rec->m_covered) {
            rec->m_covered->set_mounted_here(rec);
            m_mounts.push_back(*rec);
        } else {
            m_mounts.push_front(*rec);
        }
        return result.error();
    }
    delete rec->m_fs;
    if (rec->m_covered)
        rec->m_covered->unref();
    delete rec;
    return {};
}

Vnode* MountTable::mounted_root(Vnode& v)
{
    kern::MutexGuard guard(m_lock);
    Vnode* top = nullptr;
    for (Mount* m = v.mounted_here(); m; m = top->mounted_here())
        top = record(*m).m_root;
    if (top)
        top->ref();
    return top;
}

Vnode* MountTable::covered_vnode(Vnode& v)
{
    kern::MutexGuard guard(m_lock);
    MountRecord* rec = find_by_root_locked(v);
    if (!rec || !rec->m_covered)
        return nullptr;
    rec->m_covered->ref();
    return rec->m_covered;
}

bool MountTable::is_mount_root(Vnode& v)
{
    kern::MutexGuard guard(m_lock);
    return find_by_root_locked(v) != nullptr;
}

Vnode* MountTable::root()
{
    kern::MutexGuard guard(m_lock);
    Mount* first = m_mounts.first();
    if (!first || first->covered())
        return nullptr;
    Vnode* r = record(*first).m_root;
    r->ref();
    return r;
}

FileSystem* MountTable::find_fs(u64 id)
{
    kern::MutexGuard guard(m_lock);
    for (Mount& m : m_mounts)
        if (m.fs().id() == id)
            return &m.fs();
    return nullptr;
}

// ---- the interface: namei.h (crossing) and vfs.h (mounts) ----

Vnode* mounted_root(Vnode& v) { return s_table.mounted_root(v); }
Vnode* covered_vnode(Vnode& v) { return s_table.covered_vnode(v); }
bool is_mount_root(Vnode& v) { return s_table.is_mount_root(v); }

size_t MountTable::list(MountEntry* out, size_t max)
{
    kern::MutexGuard guard(m_lock);
    size_t n = 0;
    for (Mount& m : m_mounts) {
        if (n == max)
            break;
        out[n].type = record(m).m_type;
        out[n].covered = m.covered();
        if (out[n].covered)
            out[n].covered->ref();
        ++n;
    }
    return n;
}

size_t list_mounts(MountEntry* out, size_t max) { return s_table.list(out, max); }

// sync and drop_caches hold the table's lock throughout, so that no file
// system is unmounted under them: simple, and both are rare (the periodic
// flushing of a disk file system is its own thread's, not this).
ErrorOr<void> MountTable::sync_all()
{
    kern::MutexGuard guard(m_lock);
    ErrorOr<void> first;
    for (Mount& m : m_mounts) {
        auto result = m.fs().sync();
        if (result.is_error() && !first.is_error())
            first = result;
    }
    return first;
}

void MountTable::drop_caches_all()
{
    kern::MutexGuard guard(m_lock);
    for (Mount& m : m_mounts)
        m.fs().drop_caches();
}

ErrorOr<void> sync_all() { return s_table.sync_all(); }
void drop_caches_all() { s_table.drop_caches_all(); }

ErrorOr<void> mount_root(StringView fstype, StringView options)
{
    const FileSystemType* type = s_table.find_type(fstype);
    if (!type)
        return Errno::ENODEV;
    if (type->create_on_device)
        return Errno::EINVAL;  // the root file system lives in memory
    return s_table.mount(*type, 0, options, nullptr);
}

ErrorOr<void> unmount_root()
{
    Vnode* root = s_table.root();
    if (!root)
        return Errno::EINVAL;
    return s_table.unmount(root);
}

ErrorOr<Context> root_context()
{
    Vnode* root = s_table.root();
    if (!root)
        return Errno::ENOENT;
    Context ctx;
    ctx.root = kern::RefPtr<Vnode>::adopt(root);
    ctx.cwd = ctx.root;
    return ctx;
}

ErrorOr<void> mount(const Context& ctx, StringView fstype, StringView path, StringView options)
{
    return mount(ctx, fstype, "", path, options);
}

namespace {
// The device number of the block device node `source`. Errors: ENOENT (an
// empty source), ENOTBLK, and lookup's.
ErrorOr<u64> device_of(const Context& ctx, StringView source)
{
    if (source.is_empty())
        return Errno::ENOENT;
    Vnode* node = TRY(lookup(ctx, source, Follow::Yes));
    auto attr = node->getattr();
    node->unref();
    if (attr.is_error())
        return attr.error();
    if (attr.value().type != VType::BlockDevice)
        return Errno::ENOTBLK;
    return attr.value().rdev;
}
} // namespace

ErrorOr<void> mount(const Context& ctx, StringView fstype, StringView source, StringView path,
                    StringView options)
{
    const FileSystemType* type = s_table.find_type(fstype);
    if (!type)
        return Errno::ENODEV;
    u64 rdev = 0;
    if (type->create_on_device)
        rdev = TRY(device_of(ctx, source));
    Vnode* covered = TRY(lookup(ctx, path, Follow::Yes));
    auto result = s_table.mount(*type, rdev, options, covered);
    covered->unref();
    return result;
}

ErrorOr<void> mount_instance(const Context& ctx, FileSystem& fs, const char* type_name, StringView path)
{
    auto covered = lookup(ctx, path, Follow::Yes);
    if (covered.is_error() || !covered.value()->is_directory() || !covered.value()->can_be_mount_point()) {
        const Errno err = covered.is_error() ? covered.error()
                          : !covered.value()->is_directory() ? Errno::ENOTDIR : Errno::EINVAL;
        if (!covered.is_error())
            covered.value()->unref();
        MUST(fs.unmount());
        delete &fs;
        return err;
    }
    auto* rec = new (std::nothrow) MountRecord;
    if (!rec) {
        covered.value()->unref();
        MUST(fs.unmount());
        delete &fs;
        return Errno::ENOMEM;
    }
    auto result = s_table.attach(rec, fs, type_name, covered.value());
    covered.value()->unref();
    return result;
}

ErrorOr<void> unmount(const Context& ctx, StringView path)
{
    Vnode* root = TRY(lookup(ctx, path, Follow::Yes));
    return s_table.unmount(root);
}

// The file system that holds `v` (for statvfs), or nullptr.
FileSystem* filesystem_of(Vnode& v)
{
    auto attr = v.getattr();
    return attr.is_error() ? nullptr : s_table.find_fs(attr.value().dev);
}

} // namespace fs
