// tests/ktest/fs/initramfs_ktest.cpp -- unpacking a newc archive into a tmpfs.
//
// Each case mounts a fresh tmpfs on /initramfs_test, builds a small archive in
// a heap buffer (ArchiveWriter: the newc layout of fs/cpio/cpio.h, written
// field by field as tools/mkcpio does), unpacks it with kern::initramfs_unpack
// into a Context whose root and cwd are the mount, reads the tree back through
// the VFS (types, permission bits, symlink targets, device numbers, every byte
// of the files), then unmounts. The runner's leak check (free pages, heap
// bytes) around each case shows that unpacking -- also a failed one -- and the
// unmount give back everything.
//
//   unpacks_a_tree          every type; parents made for "deep/a/b/file";
//                           a second unpack over the tree replaces and merges
//   corrupt_archive_einval  truncations and a bad magic: EINVAL, nothing made
//   boot_module             if this boot has an "initramfs" module (make run,
//                           or KTEST_INITRAMFS=... scripts/run-guest-tests.sh),
//                           the tree kmain unpacked into "/" has /init,
//                           /bin/sh, /dev/console
#include <arch/boot_info.h>
#include <fs/cpio/cpio.h>
#include <fs/vfs/vfs.h>
#include <kernel/base/heap/heap.h>
#include <kernel/top/initramfs.h>
#include <kernel/base/ktest/ktest.h>
#include <kernel/base/lib/format.h>
#include <kernel/base/lib/string.h>

using namespace fs;

namespace {

constexpr const char* MNT = "/initramfs_test";
constexpr size_t ARCHIVE_MAX = 3 * PAGE_SIZE;

// A newc archive in a heap buffer. Sizes here are the test's own, so
// overflowing the buffer is a test bug.
class ArchiveWriter {
public:
    ArchiveWriter() : m_buf(static_cast<char*>(kern::kzalloc(ARCHIVE_MAX))) {}
    ~ArchiveWriter() { kern::kfree(m_buf); }
    bool ok() const { return m_buf != nullptr; }
    const u8* data() const { return reinterpret_cast<const u8*>(m_buf); }
    size_t size() const { return m_len; }

    void add(const char* name, u32 mode, const char* data = "", u32 major = 0, u32 minor = 0)
    {
        size_t size = strlen(data);
        const u32 f[13] = {m_ino++, mode, 0, 0, 1, 0, u32(size), 0, 0, major, minor,
                           u32(strlen(name) + 1), 0};
        put("070701", 6);
        for (u32 v : f) {
            char hex[9];
            kern::snprintf(hex, sizeof hex, "%08X", v);
            put(hex, 8);
        }
        put(name, strlen(name) + 1);
        pad();
        put(data, size);
        pad();
    }
    void trailer() { add("TRAILER!!!", 0); }

private:
    void put(const char* p, size_t n)
    {
        KASSERT(m_len + n <= ARCHIVE_MAX);
        memcpy(m_buf + m_len, p, n);
        m_len += n;
    }
    void pad() { m_len = align_up(m_len, 4); }  // the buffer is zeroed

    char* m_buf;
    size_t m_len = 0;
    u32 m_ino = 1;
};

const char MOTD[] = "Welcome to teachos.\n";

void write_tree(ArchiveWriter& a)
{
    a.add(".", 040755);
    a.add("dev", 040755);
    a.add("dev/console", 020600, "", 5, 1);
    a.add("dev/sda", 060660, "", 8, 0);
    a.add("./etc", 040700);
    a.add("/etc/motd", 0100640, MOTD);
    a.add("etc/empty", 0100600);
    a.add("bin", 040755);
    a.add("bin/busybox", 0100755, "#!busybox\n");
    a.add("bin/sh", 0120777, "busybox");
    a.add("deep/a/b/file", 0100644, "x");  // no entries for deep, deep/a, deep/a/b
    a.add("fifo", 010600);
    a.trailer();
}

// Break the magic of the sixth header (the entries before it are valid).
void corrupt_sixth_magic(char* p, size_t n)
{
    int seen = 0;
    for (size_t i = 0; i + 6 <= n; i += 4)  // headers start 4-aligned
        if (memcmp(p + i, "070701", 6) == 0 && ++seen == 6) {
            p[i + 5] = '2';
            return;
        }
}

// A Context whose root and cwd are the test mount.
Context mount_context(const Context& root)
{
    Context sub;
    sub.root = kern::RefPtr<Vnode>::adopt(MUST(chdir(root, MNT)));
    sub.cwd = sub.root;
    return sub;
}

// Read a whole small file into `buf` (NUL-terminated). Returns the number of
// bytes read.
size_t read_file(const Context& ctx, const char* path, char* buf, size_t n)
{
    File* f = MUST(open(ctx, path, O_RDONLY, 0));
    size_t got = MUST(f->pread(0, IoBuffer::kernel(buf), n - 1));
    f->unref();
    buf[got] = '\0';
    return got;
}

void check_tree(kern::ktest::Context& _ktest_ctx, const Context& ctx)
{
    VAttr a = MUST(lstat(ctx, "dev/console"));
    KEXPECT(a.type == VType::CharDevice);
    KEXPECT_EQ(a.mode, 0600u);
    KEXPECT_EQ(a.rdev, cpio_makedev(5, 1));
    a = MUST(lstat(ctx, "dev/sda"));
    KEXPECT(a.type == VType::BlockDevice);
    KEXPECT_EQ(a.rdev, cpio_makedev(8, 0));
    a = MUST(lstat(ctx, "etc"));
    KEXPECT(a.type == VType::Directory);
    KEXPECT_EQ(a.mode, 0700u);
    a = MUST(lstat(ctx, "etc/motd"));
    KEXPECT(a.type == VType::Regular);
    KEXPECT_EQ(a.mode, 0640u);
    KEXPECT_EQ(a.size, sizeof MOTD - 1);
    char buf[64];
    KEXPECT_EQ(read_file(ctx, "/etc/motd", buf, sizeof buf), sizeof MOTD - 1);
    KEXPECT(strcmp(buf, MOTD) == 0);
    KEXPECT_EQ(MUST(lstat(ctx, "etc/empty")).size, 0u);
    a = MUST(lstat(ctx, "bin/sh"));
    KEXPECT(a.type == VType::Symlink);
    size_t n = MUST(readlink(ctx, "bin/sh", IoBuffer::kernel(buf), sizeof buf));
    KEXPECT(n == 7 && memcmp(buf, "busybox", 7) == 0);
    KEXPECT_EQ(MUST(stat(ctx, "bin/sh")).mode, 0755u);  // through the link
    KEXPECT(MUST(lstat(ctx, "deep/a/b")).type == VType::Directory);
    KEXPECT_EQ(MUST(lstat(ctx, "deep/a")).mode, 0755u);
    KEXPECT_EQ(read_file(ctx, "deep/a/b/file", buf, sizeof buf), 1u);
    KEXPECT(MUST(lstat(ctx, "fifo")).type == VType::Fifo);
}

} // namespace

KTEST(initramfs, unpacks_a_tree)
{
    Context root = MUST(root_context());
    MUST(mkdir(root, MNT, 0755));
    MUST(mount(root, "tmpfs", MNT, "size=1m,nodes=64"));
    {
        Context ctx = mount_context(root);
        ArchiveWriter a;
        KREQUIRE(a.ok());
        write_tree(a);
        auto stats = kern::initramfs_unpack(ctx, a.data(), a.size());
        KREQUIRE(!stats.is_error());
        KEXPECT_EQ(stats.value().files, 4u);
        KEXPECT_EQ(stats.value().dirs, 6u);  // dev etc bin deep deep/a deep/a/b
        KEXPECT_EQ(stats.value().symlinks, 1u);
        KEXPECT_EQ(stats.value().nodes, 3u);
        KEXPECT_EQ(stats.value().bytes, sizeof MOTD - 1 + 10 + 1);
        check_tree(_ktest_ctx, ctx);
        // Again over the same tree: files replaced, directories merged.
        auto again = kern::initramfs_unpack(ctx, a.data(), a.size());
        KREQUIRE(!again.is_error());
        KEXPECT_EQ(again.value().dirs, 0u);
        KEXPECT_EQ(again.value().files, 4u);
        check_tree(_ktest_ctx, ctx);
    }
    MUST(unmount(root, MNT));
    MUST(rmdir(root, MNT));
}

KTEST(initramfs, corrupt_archive_einval)
{
    Context root = MUST(root_context());
    MUST(mkdir(root, MNT, 0755));
    MUST(mount(root, "tmpfs", MNT, "size=1m,nodes=64"));
    {
        Context ctx = mount_context(root);
        ArchiveWriter a;
        KREQUIRE(a.ok());
        write_tree(a);
        // Cut inside the last file's header, inside its name, before the trailer.
        const size_t cuts[] = {0, 5, 111, a.size() / 2, a.size() - 1};
        for (size_t cut : cuts) {
            auto r = kern::initramfs_unpack(ctx, a.data(), cut);
            KEXPECT(r.is_error() && r.error() == Errno::EINVAL);
        }
        char* copy = static_cast<char*>(kern::kmalloc(a.size()));
        KREQUIRE(copy);
        memcpy(copy, a.data(), a.size());
        corrupt_sixth_magic(copy, a.size());  // after five good entries
        auto r = kern::initramfs_unpack(ctx, copy, a.size());
        kern::kfree(copy);
        KEXPECT(r.is_error() && r.error() == Errno::EINVAL);
        // Validation comes first: nothing was created.
        KEXPECT(lstat(ctx, "dev").is_error());
        KEXPECT(lstat(ctx, "etc").is_error());
    }
    MUST(unmount(root, MNT));
    MUST(rmdir(root, MNT));
}

KTEST(initramfs, boot_module)
{
    const arch::BootInfo& info = arch::boot_info();
    bool present = false;
    for (size_t i = 0; i < info.module_count; ++i)
        present |= StringView(info.modules[i].name) == StringView("initramfs");
    if (!present)
        return;  // nothing to check in this boot
    Context root = MUST(root_context());
    KEXPECT(MUST(lstat(root, "/init")).type == VType::Regular);
    KEXPECT(MUST(lstat(root, "/bin/sh")).type == VType::Symlink);
    KEXPECT(MUST(stat(root, "/bin/sh")).size > 100000);  // busybox itself
    VAttr console = MUST(lstat(root, "/dev/console"));
    KEXPECT(console.type == VType::CharDevice);
    KEXPECT_EQ(console.rdev, cpio_makedev(5, 1));
}
