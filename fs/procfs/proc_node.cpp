// fs/procfs/proc_node.cpp -- procfs's vnodes, its FileSystem, and the type "proc".
//
// A ProcNode is (kind, pid): which file it is (procfs.h:Kind) and, inside
// /proc/<pid>, whose. Nodes are not kept: every lookup makes a new one, and
// the last unref deletes it (inactive). The root is the exception: the
// ProcFs owns it and holds a reference for as long as it lives. A node
// points at its ProcFs, which counts them (m_nodes) so unmount can say EBUSY
// while any is alive.
//
// Reading a file (read at offset 0) makes its whole text with generate()
// (proc_text.cpp) and keeps it in the node; later reads at other offsets
// copy from that snapshot, so `cat` with a small buffer sees one consistent
// text. The snapshot is guarded by the node's m_lock (a Mutex: the text is
// made while holding it, which may sleep in the heap). Since a node is made
// per lookup, a snapshot belongs to one open file (or to the Files that
// fork shares, which also share the offset).
//
// A pid directory checks at lookup that the process exists; a node made
// before it went keeps working and says ESRCH when read (Linux does the
// same), and lookups in it say ENOENT.
//
// Read-only: opening a file for writing is EACCES (mode 0444), creating
// anything is EACCES, removing or renaming is EPERM, truncating EACCES and
// other setattr (chmod, utimes) EPERM.
//
// But for /proc/sys/vm/drop_caches (proc_sys.cpp): write-only, mode 0200.
// As Linux's sysctl files, whose permission check applies the mode to root
// too (proc_sys_permission), opening it for reading is EACCES even for
// root; opening for writing, O_TRUNC and ftruncate are allowed (the size
// stays 0), and a write goes to write_sysctl. /proc/sys and /proc/sys/vm
// are plain directories with fixed entries, like /proc/<pid>.
//
// /proc/fs/mfs lists one file per live MFS device, named by its unit
// ("0", "1", ...; fs/mfs/mfs.h:stats_of says which exist), as the root
// lists the live pids: a lookup checks that the device exists, and a node
// made before it went says ENODEV when read. The node keeps the unit where
// a pid node keeps its pid.
#include <fs/mfs/mfs.h>
#include <fs/procfs/procfs.h>
#include <fs/vfs/mount.h>
#include <fs/vfs/vnode.h>
#include <kernel/base/lib/format.h>
#include <kernel/base/lib/kbuffer.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/sync/mutex.h>
#include <kernel/top/proc/process.h>
#include <new>

namespace fs::procfs {

namespace {

class ProcFs;

struct Entry {
    const char* name;
    Kind kind;
};

// /proc's fixed entries ("self" and the pids come after them in readdir).
constexpr Entry ROOT_ENTRIES[] = {
    {"meminfo", Kind::Meminfo}, {"uptime", Kind::Uptime}, {"loadavg", Kind::Loadavg},
    {"stat", Kind::Stat},       {"version", Kind::Version}, {"mounts", Kind::Mounts},
    {"self", Kind::Self},       {"vmstat", Kind::Vmstat}, {"sys", Kind::SysDir},
    {"fs", Kind::FsDir},        {"swaps", Kind::Swaps},
};
// /proc/<pid>'s entries.
constexpr Entry PID_ENTRIES[] = {
    {"stat", Kind::PidStat}, {"status", Kind::PidStatus}, {"cmdline", Kind::PidCmdline},
    {"exe", Kind::PidExe}, {"maps", Kind::PidMaps}, {"smaps", Kind::PidSmaps},
};
// /proc/sys's and /proc/sys/vm's.
constexpr Entry SYS_ENTRIES[] = {{"vm", Kind::SysVmDir}};
constexpr Entry SYS_VM_ENTRIES[] = {{"drop_caches", Kind::DropCaches}};
// /proc/fs's (/proc/fs/mfs has only its units, made up when asked).
constexpr Entry FS_ENTRIES[] = {{"mfs", Kind::FsMfsDir}};

// The fixed entries of a directory.
struct Entries {
    const Entry* first;
    size_t count;
    const Entry* begin() const { return first; }
    const Entry* end() const { return first + count; }
};
template <size_t N> constexpr Entries entries(const Entry (&table)[N]) { return {table, N}; }

Entries entries_of(Kind dir)
{
    switch (dir) {
    case Kind::Root: return entries(ROOT_ENTRIES);
    case Kind::PidDir: return entries(PID_ENTRIES);
    case Kind::SysDir: return entries(SYS_ENTRIES);
    case Kind::SysVmDir: return entries(SYS_VM_ENTRIES);
    case Kind::FsDir: return entries(FS_ENTRIES);
    default: return {nullptr, 0};
    }
}

// The directory ".." of directory `dir` names.
Kind parent_of(Kind dir)
{
    switch (dir) {
    case Kind::SysVmDir: return Kind::SysDir;
    case Kind::FsMfsDir: return Kind::FsDir;
    default: return Kind::Root;
    }
}

constexpr u64 COOKIE_FIRST = 2;       // after "." and ".."
constexpr u64 COOKIE_PIDS = 1000;     // root: pid p is cookie COOKIE_PIDS + p

// The pid of the process reading /proc (0: a kernel thread).
u32 reader_pid()
{
    kern::Process* p = kern::Process::current();
    return p ? p->pid() : 0;
}

// "123" -> 123. Returns false for anything but a decimal pid.
bool parse_pid(StringView name, u32& pid)
{
    u64 value;
    if (name.is_empty() || name[0] == '0' || !name.to_unsigned(value) || value > 0xffffffffu)
        return false;
    pid = u32(value);
    return true;
}

// "0", "1", ... -> the unit of a live MFS device. Returns false for
// anything else ("01" included: one name per unit).
bool parse_mfs_unit(StringView name, u32& unit)
{
    u64 value;
    if (name.is_empty() || (name[0] == '0' && name.length() > 1) || !name.to_unsigned(value) ||
        value >= fs::mfs::MAX_UNITS)
        return false;
    fs::mfs::MfsStats ignored;
    if (!fs::mfs::stats_of(u32(value), ignored))
        return false;
    unit = u32(value);
    return true;
}

VType type_of(Kind kind)
{
    switch (kind) {
    case Kind::Root:
    case Kind::PidDir:
    case Kind::SysDir:
    case Kind::SysVmDir:
    case Kind::FsDir:
    case Kind::FsMfsDir: return VType::Directory;
    case Kind::Self:
    case Kind::PidExe: return VType::Symlink;
    default: return VType::Regular;
    }
}

class ProcNode final : public Vnode {
public:
    ProcNode(ProcFs& fs, Kind kind, u32 pid);

    ErrorOr<Vnode*> lookup(StringView name) override;
    bool can_be_mount_point() const override { return false; }  // a node per lookup
    ErrorOr<u64> readdir(u64 cookie, ReaddirSink& sink) override;
    ErrorOr<size_t> read(u64 offset, const IoBuffer& buf, size_t n) override;
    ErrorOr<size_t> readlink(const IoBuffer& buf, size_t n) override;
    ErrorOr<VAttr> getattr() override;

    // ---- read-only, but for the write-only files of /proc/sys ----
    ErrorOr<void> open(u32 flags) override;
    ErrorOr<size_t> write(u64 offset, const IoBuffer& buf, size_t n) override;
    ErrorOr<size_t> append(const IoBuffer& buf, size_t n, u64& at) override;
    ErrorOr<void> setattr(const VAttr& attr, u32 mask) override;
    // fsync(2) of a /proc file or directory: EINVAL, as Linux's, whose
    // proc files have no fsync operation. Errors: EINVAL.
    ErrorOr<void> fsync() override { return Errno::EINVAL; }
    ErrorOr<Vnode*> create(StringView, VType, u32, u64, const Cred&) override { return refuse(Errno::EACCES); }
    ErrorOr<Vnode*> symlink(StringView, StringView, const Cred&) override { return refuse(Errno::EACCES); }
    ErrorOr<void> link(StringView, Vnode&) override { return refuse(Errno::EACCES); }
    ErrorOr<void> unlink(StringView) override { return refuse(Errno::EPERM); }
    ErrorOr<void> rmdir(StringView) override { return refuse(Errno::EPERM); }
    ErrorOr<void> rename(StringView, Vnode&, StringView, u32) override { return refuse(Errno::EPERM); }

protected:
    friend class ProcFs;  // deletes the root
    ~ProcNode() override;
    void inactive() override;

private:
    Errno refuse(Errno e) const { return is_directory() ? e : Errno::ENOTDIR; }
    bool is_write_only() const { return m_kind == Kind::DropCaches; }
    ErrorOr<Vnode*> make(Kind kind, u32 pid);
    u64 ino() const { return (u64(m_pid) << 8) | (u64(m_kind) + 1); }

    ProcFs& m_fs;
    Kind m_kind;
    u32 m_pid;  // PidDir and Pid*: whose; MfsUnit: which unit

    kern::Mutex m_lock;
    // Guarded by m_lock: the text made by the last read at offset 0.
    kern::Vector<char> m_text;
    bool m_has_text = false;
};

class ProcFs final : public FileSystem {
public:
    ProcFs() : m_root(new (std::nothrow) ProcNode(*this, Kind::Root, 0))
    {
        if (m_root)
            m_root->ref();  // ours, dropped by the destructor
    }
    ~ProcFs() override
    {
        if (m_root) {
            m_root->unref();  // inactive() keeps a root: it is ours to delete
            delete m_root;
        }
    }
    bool ok() const { return m_root != nullptr; }

    Vnode* root() override
    {
        m_root->ref();
        return m_root;
    }
    ErrorOr<StatVfs> statvfs() override
    {
        StatVfs st;
        st.bsize = PAGE_SIZE;
        st.fsid = id();
        st.magic = uapi::PROC_SUPER_MAGIC;
        return st;
    }
    // Errors: EBUSY while any node but the root is alive.
    ErrorOr<void> unmount() override
    {
        return __atomic_load_n(&m_nodes, __ATOMIC_ACQUIRE) > 1 ? ErrorOr<void>(Errno::EBUSY) : ErrorOr<void>();
    }

    void node_born() { __atomic_add_fetch(&m_nodes, 1, __ATOMIC_RELAXED); }
    void node_died() { __atomic_sub_fetch(&m_nodes, 1, __ATOMIC_RELEASE); }
    Vnode* root_node() { return m_root; }

private:
    u32 m_nodes = 0;  // live ProcNodes, the root included
    ProcNode* m_root;
};

ProcNode::ProcNode(ProcFs& fs, Kind kind, u32 pid)
    : Vnode(type_of(kind), nullptr), m_fs(fs), m_kind(kind), m_pid(pid)
{
    m_fs.node_born();
}

ProcNode::~ProcNode() { m_fs.node_died(); }

void ProcNode::inactive()
{
    if (m_kind != Kind::Root)
        delete this;  // nobody can find it again: a lookup makes a new one
}

ErrorOr<Vnode*> ProcNode::make(Kind kind, u32 pid)
{
    auto* node = new (std::nothrow) ProcNode(m_fs, kind, pid);
    if (!node)
        return Errno::ENOMEM;
    node->ref();
    return static_cast<Vnode*>(node);
}

// Errors: ENOENT (no such entry, or the process is gone), ENOTDIR, ENOMEM.
ErrorOr<Vnode*> ProcNode::lookup(StringView name)
{
    if (!is_directory())
        return Errno::ENOTDIR;
    if (name == "..") {
        Kind parent = parent_of(m_kind);
        return parent == Kind::Root ? static_cast<Vnode*>(m_fs.root()) : make(parent, 0);
    }
    if (m_kind == Kind::PidDir && !kern::process_exists(m_pid))
        return Errno::ENOENT;
    for (const Entry& e : entries_of(m_kind))
        if (name == e.name)
            return make(e.kind, m_pid);  // m_pid: 0 outside /proc/<pid>
    u32 pid;
    if (m_kind == Kind::Root && parse_pid(name, pid) && kern::process_exists(pid))
        return make(Kind::PidDir, pid);
    u32 unit;
    if (m_kind == Kind::FsMfsDir && parse_mfs_unit(name, unit))
        return make(Kind::MfsUnit, unit);
    return Errno::ENOENT;
}

// Root's entries after its fixed ones: one directory per pid (cookie
// COOKIE_PIDS + pid, so a cookie stays valid as processes come and go).
// Returns the next cookie. Errors: ENOMEM.
ErrorOr<u64> readdir_pids(u64 cookie, ReaddirSink& sink)
{
    cookie = max(cookie, COOKIE_PIDS);
    kern::Vector<u32> pids = TRY(kern::list_pids());
    for (u32 pid : pids) {
        u64 c = COOKIE_PIDS + pid;
        if (c < cookie)
            continue;
        char name[16];
        kern::snprintf(name, sizeof name, "%u", pid);
        if (!sink.emit({(u64(pid) << 8) | (u64(Kind::PidDir) + 1), VType::Directory,
                        StringView(name, strlen(name)), c + 1}))
            return c;
        cookie = c + 1;
    }
    return cookie;
}

// /proc/fs/mfs's entries: one file per live MFS unit (cookie COOKIE_FIRST
// + unit: valid as devices come and go). Returns the next cookie.
u64 readdir_mfs_units(u64 cookie, ReaddirSink& sink)
{
    for (u32 unit = 0; unit < fs::mfs::MAX_UNITS; ++unit) {
        u64 c = COOKIE_FIRST + unit;
        fs::mfs::MfsStats ignored;
        if (c < cookie || !fs::mfs::stats_of(unit, ignored))
            continue;
        char name[16];
        kern::snprintf(name, sizeof name, "%u", unit);
        if (!sink.emit({(u64(unit) << 8) | (u64(Kind::MfsUnit) + 1), VType::Regular,
                        StringView(name, strlen(name)), c + 1}))
            return c;
        cookie = c + 1;
    }
    return max(cookie, COOKIE_FIRST + fs::mfs::MAX_UNITS);
}

// ".", "..", the directory's fixed entries (cookies 2...), then what it
// lists of the moment: the root its pids, /proc/fs/mfs its MFS units.
// Returns the next cookie. Errors: ENOTDIR, ENOMEM.
ErrorOr<u64> ProcNode::readdir(u64 cookie, ReaddirSink& sink)
{
    if (!is_directory())
        return Errno::ENOTDIR;
    u64 dotdot_ino = m_fs.root_node() == this ? ino() : (u64(parent_of(m_kind)) + 1);
    if (cookie == 0 && !sink.emit({ino(), VType::Directory, ".", 1}))
        return u64(0);
    if (cookie <= 1 && !sink.emit({dotdot_ino, VType::Directory, "..", COOKIE_FIRST}))
        return u64(1);
    cookie = max(cookie, COOKIE_FIRST);
    Entries fixed = entries_of(m_kind);
    for (; cookie < COOKIE_FIRST + fixed.count; ++cookie) {
        const Entry& e = fixed.first[cookie - COOKIE_FIRST];
        u64 node_ino = (u64(m_pid) << 8) | (u64(e.kind) + 1);
        if (!sink.emit({node_ino, type_of(e.kind), e.name, cookie + 1}))
            return cookie;
    }
    if (m_kind == Kind::Root)
        return readdir_pids(cookie, sink);
    if (m_kind == Kind::FsMfsDir)
        return readdir_mfs_units(cookie, sink);
    return cookie;
}

// Returns the bytes read, 0 at the end. Errors: EISDIR, EINVAL (not a
// file, or a write-only one: open refuses to read it, so only a kernel
// caller gets here), ESRCH (the process is gone), ENOMEM, EFAULT.
ErrorOr<size_t> ProcNode::read(u64 offset, const IoBuffer& buf, size_t n)
{
    if (is_directory())
        return Errno::EISDIR;
    if (type() != VType::Regular || is_write_only())
        return Errno::EINVAL;
    kern::MutexGuard guard(m_lock);
    if (offset == 0 || !m_has_text) {
        Text text;
        TRY(generate(m_kind, m_pid, text));
        m_text = text.take();
        m_has_text = true;
    }
    if (offset >= m_text.size())
        return size_t(0);
    size_t len = min(n, size_t(m_text.size() - offset));
    TRY(buf.write_from(0, m_text.data() + offset, len));
    return len;
}

// "self" -> the reader's pid; "<pid>/exe" -> the path execve kept (a path
// that is not the real program would be worse than none: busybox
// re-executes itself through /proc/self/exe). Returns its length.
// Errors: EINVAL (not a symlink), ENOENT (a kernel thread has no pid; no
// path kept: never exec'd, or a zombie, as Linux), ESRCH (the process is
// gone), ENOMEM, EFAULT.
ErrorOr<size_t> ProcNode::readlink(const IoBuffer& buf, size_t n)
{
    if (m_kind == Kind::PidExe) {
        kern::KBuffer target = TRY(kern::KBuffer::create(PATH_MAX));
        auto* chars = reinterpret_cast<char*>(target.data());
        size_t len = TRY(kern::copy_process_exe(m_pid, chars, min(n, PATH_MAX)));  // ESRCH: gone
        if (len == 0)
            return Errno::ENOENT;
        TRY(buf.write_from(0, chars, len));
        return len;
    }
    if (m_kind != Kind::Self)
        return Errno::EINVAL;
    u32 pid = reader_pid();
    if (!pid)
        return Errno::ENOENT;
    char target[16];
    size_t len = size_t(kern::snprintf(target, sizeof target, "%u", pid));
    len = min(len, n);
    TRY(buf.write_from(0, target, len));
    return len;
}

ErrorOr<VAttr> ProcNode::getattr()
{
    VAttr attr;
    attr.type = type();
    attr.ino = ino();
    attr.dev = m_fs.id();
    attr.blksize = 1024;
    attr.atime = attr.mtime = attr.ctime = current_time();
    switch (type()) {
    case VType::Directory:
        attr.mode = 0555;
        attr.nlink = 2;
        break;
    case VType::Symlink: {
        attr.mode = 0777;
        attr.nlink = 1;
        char target[16];
        if (m_kind == Kind::Self)  // exe's size is 0, as Linux's
            attr.size = size_t(kern::snprintf(target, sizeof target, "%u", reader_pid()));
        break;
    }
    default:
        attr.mode = is_write_only() ? 0200 : 0444;
        attr.nlink = 1;
        break;  // size 0, as Linux's: the text exists only when read
    }
    return attr;
}

// A write-only file opens only for writing (O_TRUNC too); the others only
// for reading, without O_TRUNC. Errors: EACCES.
ErrorOr<void> ProcNode::open(u32 flags)
{
    if (is_write_only())
        return (flags & O_ACCMODE) == O_WRONLY ? ErrorOr<void>() : ErrorOr<void>(Errno::EACCES);
    if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
        return Errno::EACCES;
    return {};
}

// Returns the bytes taken. Errors: EIO (a read-only file: open refused to
// write it, so only a kernel caller gets here), and write_sysctl's.
ErrorOr<size_t> ProcNode::write(u64 offset, const IoBuffer& buf, size_t n)
{
    if (!is_write_only())
        return Errno::EIO;
    return write_sysctl(m_kind, offset, buf, n);
}

// O_APPEND ("echo 3 >> drop_caches"): the size is 0, so Vnode's default
// writes at offset 0. Errors: as write.
ErrorOr<size_t> ProcNode::append(const IoBuffer& buf, size_t n, u64& at)
{
    if (!is_write_only())
        return Errno::EIO;
    return Vnode::append(buf, n, at);
}

// A write-only file takes a truncation (open's O_TRUNC, ftruncate) and
// stays empty, as Linux's. Errors: EACCES (truncating a read-only file, as
// a 0444 one), EPERM (chmod, chown, utimes).
ErrorOr<void> ProcNode::setattr(const VAttr&, u32 mask)
{
    if (mask == SETATTR_SIZE && is_write_only())
        return {};
    return (mask & SETATTR_SIZE) ? Errno::EACCES : Errno::EPERM;
}

// Errors: ENOMEM. Options are ignored (Linux's hidepid= and the like do not exist).
ErrorOr<FileSystem*> create_procfs(StringView)
{
    auto* fs = new (std::nothrow) ProcFs;
    if (!fs)
        return Errno::ENOMEM;
    if (!fs->ok()) {
        delete fs;
        return Errno::ENOMEM;
    }
    return static_cast<FileSystem*>(fs);
}

const FileSystemType s_proc_type = {"proc", create_procfs};

} // namespace

void procfs_register() { register_filesystem(s_proc_type); }

} // namespace fs::procfs
