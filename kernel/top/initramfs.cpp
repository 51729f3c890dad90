// kernel/top/initramfs.cpp -- the initramfs unpacker: cpio entries to VFS calls.
//
//   initramfs_load_boot_module  find the "initramfs" module, unpack into "/"
//   initramfs_unpack            validate (Validator), then create (Unpacker)
//   Unpacker::entry             one entry: create it, making parents on ENOENT,
//                               replacing an existing non-directory on EEXIST
//
// Everything the archive says has already been checked by fs/cpio/cpio.cpp
// before a visitor sees it (a name without "..", a data size inside the
// buffer, a known type), so here nothing about the archive is trusted
// beyond that, and nothing about it is KASSERTed. File data is written
// straight from the module's pages (read through the direct map) into the
// file's pages: one copy per byte, as for any write(2) of a kernel buffer.
//
// Linux does the same job in init/initramfs.c (its do_name/do_copy/
// do_symlink write through the same calls a program would). See the header
// and docs/initramfs.md.
#include <arch/boot_info.h>
#include <arch/mmu.h>
#include <arch/time.h>
#include <fs/cpio/cpio.h>
#include <fs/vfs/vfs.h>
#include <kernel/top/initramfs.h>
#include <kernel/base/printk.h>

namespace kern {

namespace {

// The longest piece of an entry name a console message shows.
constexpr int SHOWN_NAME = 80;
int shown(StringView name) { return int(min(name.length(), size_t(SHOWN_NAME))); }

// Pass 1: walk the archive, create nothing.
class Validator final : public fs::CpioVisitor {
public:
    ErrorOr<void> entry(const fs::CpioEntry&) override { return {}; }
};

// "./a/b", "/a/b" and "a/b" name the same file; "." and "/" the root ("").
StringView relative_name(StringView name)
{
    for (;;) {
        if (name.starts_with('/'))
            name = name.substring(1);
        else if (name.starts_with("./"))
            name = name.substring(2);
        else if (name == ".")
            return {};
        else
            return name;
    }
}

// Pass 2: create each entry under m_where.
class Unpacker final : public fs::CpioVisitor {
public:
    explicit Unpacker(const fs::Context& where) : m_where(where) {}
    ErrorOr<void> entry(const fs::CpioEntry& e) override;
    const InitramfsStats& stats() const { return m_stats; }

private:
    ErrorOr<void> create(StringView path, const fs::CpioEntry& e);
    ErrorOr<void> create_file(StringView path, const fs::CpioEntry& e);
    ErrorOr<void> make_parents(StringView path);
    ErrorOr<void> remove_existing(StringView path);

    const fs::Context& m_where;
    InitramfsStats m_stats;
};

ErrorOr<void> Unpacker::entry(const fs::CpioEntry& e)
{
    StringView path = relative_name(e.name);
    if (path.is_empty())
        return {};  // the root itself: it exists
    auto result = create(path, e);
    if (result.is_error() && result.error() == Errno::ENOENT && !make_parents(path).is_error())
        result = create(path, e);
    if (result.is_error() && result.error() == Errno::EEXIST &&
        !remove_existing(path).is_error())
        result = create(path, e);
    if (result.is_error())
        printk("initramfs: cannot create \"%.*s\" (entry at offset %zu): %s\n", shown(e.name),
               e.name.characters(), e.offset, errno_name(result.error()));
    return result;
}

// One entry, its parent existing. Errors: the VFS call's for its type.
ErrorOr<void> Unpacker::create(StringView path, const fs::CpioEntry& e)
{
    u32 type = e.mode & fs::CPIO_S_IFMT;
    u32 perm = e.mode & 07777;
    switch (type) {
    case fs::CPIO_S_IFDIR: {
        auto made = fs::mkdir(m_where, path, perm);
        if (!made.is_error()) {
            ++m_stats.dirs;
            return {};
        }
        // An existing directory is merged into; an existing non-directory
        // is EEXIST, which entry() answers by replacing it.
        if (made.error() == Errno::EEXIST &&
            TRY(fs::lstat(m_where, path)).type == fs::VType::Directory)
            return {};
        return made.error();
    }
    case fs::CPIO_S_IFREG:
        return create_file(path, e);
    case fs::CPIO_S_IFLNK:
        TRY(fs::symlink(m_where, StringView(reinterpret_cast<const char*>(e.data), e.size), path));
        ++m_stats.symlinks;
        return {};
    default:  // devices, fifos, sockets: the parser let no other type through
        TRY(fs::mknod(m_where, path, e.mode, fs::cpio_makedev(e.rdev_major, e.rdev_minor)));
        ++m_stats.nodes;
        return {};
    }
}

// A regular file with the entry's data. On a failed write the half-written
// file is removed again. Errors: EEXIST, ENOSPC, ENOMEM, ...
ErrorOr<void> Unpacker::create_file(StringView path, const fs::CpioEntry& e)
{
    fs::File* file = TRY(fs::open(m_where, path, fs::O_CREAT | fs::O_EXCL | fs::O_WRONLY,
                                  e.mode & 07777));
    size_t done = 0;
    ErrorOr<void> result;
    while (done < e.size) {
        auto wrote = file->pwrite(done, fs::IoBuffer::kernel(e.data + done), e.size - done);
        if (wrote.is_error() || wrote.value() == 0) {
            result = wrote.is_error() ? wrote.error() : Errno::ENOSPC;
            break;
        }
        done += wrote.value();
    }
    file->unref();
    if (result.is_error()) {
        (void)fs::unlink(m_where, path);  // best effort: the error to report is the write's
        return result;
    }
    ++m_stats.files;
    m_stats.bytes += e.size;
    return {};
}

// mkdir -p of every directory above `path`, mode 0755.
// Errors: the first mkdir error other than EEXIST.
ErrorOr<void> Unpacker::make_parents(StringView path)
{
    size_t slash = path.find('/');
    for (; slash != StringView::NPOS; slash = path.find('/', slash + 1)) {
        if (slash == 0 || path[slash - 1] == '/')
            continue;  // "a//b": the empty component names nothing new
        auto made = fs::mkdir(m_where, path.substring(0, slash), 0755);
        if (made.is_error() && made.error() != Errno::EEXIST)
            return made.error();
        if (!made.is_error())
            ++m_stats.dirs;
    }
    return {};
}

// An entry replaces an existing non-directory of the same name.
// Errors: EEXIST (a directory is in the way), and unlink's.
ErrorOr<void> Unpacker::remove_existing(StringView path)
{
    fs::VAttr attr = TRY(fs::lstat(m_where, path));
    if (attr.type == fs::VType::Directory)
        return Errno::EEXIST;
    return fs::unlink(m_where, path);
}

} // namespace

ErrorOr<InitramfsStats> initramfs_unpack(const fs::Context& where, const void* data, size_t size)
{
    fs::CpioError error;
    Validator validator;
    auto valid = fs::cpio_parse(data, size, validator, error);
    if (valid.is_error()) {
        if (error.name.is_empty())
            printk("initramfs: malformed archive at offset %zu: %s\n", error.offset, error.reason);
        else
            printk("initramfs: malformed archive at offset %zu, entry \"%.*s\": %s\n", error.offset,
                   shown(error.name), error.name.characters(), error.reason);
        return valid.error();
    }
    Unpacker unpacker(where);
    TRY(fs::cpio_parse(data, size, unpacker, error));
    return unpacker.stats();
}

bool initramfs_load_boot_module()
{
    const arch::BootInfo& info = arch::boot_info();
    for (size_t i = 0; i < info.module_count; ++i) {
        const arch::BootModule& module = info.modules[i];
        if (StringView(module.name) != StringView("initramfs"))
            continue;
        u64 start_ns = arch::monotonic_ns();
        auto ctx = fs::root_context();
        if (ctx.is_error()) {
            printk("initramfs: no root file system: %s\n", errno_name(ctx.error()));
            return false;
        }
        auto stats = initramfs_unpack(ctx.value(), arch::phys_to_virt(module.start),
                                      module.end - module.start);
        if (stats.is_error()) {
            printk("initramfs: not unpacked (%s)\n", errno_name(stats.error()));
            return false;
        }
        const InitramfsStats& s = stats.value();
        printk("initramfs: %zu files, %zu directories, %lu KiB (%zu symlinks, %zu nodes) "
               "in %lu ms\n",
               s.files, s.dirs, (s.bytes + 1023) / 1024, s.symlinks, s.nodes,
               (arch::monotonic_ns() - start_ns) / 1000000);
        return true;
    }
    return false;
}

} // namespace kern
