// fs/dev/null_zero.cpp -- the memory devices: /dev/null, /dev/zero, /dev/full, /dev/random, /dev/urandom.
//
// Linux's "mem" character devices, major 1 (drivers/char/mem.c):
//
//   minor  name      read gives             write
//   3      null      end of file (0)        swallowed: every byte "written"
//   5      zero      zero bytes, any count  swallowed
//   7      full      zero bytes             ENOSPC ("disk full", for tests)
//   8      random    random bytes           swallowed (no entropy pool here)
//   9      urandom   random bytes           swallowed
//
// They are not streams: like Linux, they accept lseek, pread and pwrite
// (the offset is ignored), so a File keeps an offset for them as for a
// regular file, and the default poll (always ready) fits them. Random
// bytes come from arch::random_u64 (RDRAND or a TSC mix): good for
// AT_RANDOM-style uses, not for cryptography.
//
// Each device is one static vnode, registered at boot and never freed.
#include <arch/cpu.h>
#include <fs/dev/devices.h>
#include <fs/vfs/device.h>

namespace dev {

namespace {

using fs::IoBuffer;
using kern::Errno;
using kern::ErrorOr;

enum class Kind : u8 { Null, Zero, Full, Random };

class MemoryDevice final : public fs::Vnode {
public:
    MemoryDevice(Kind kind, u32 minor) : fs::Vnode(fs::VType::CharDevice, nullptr), m_kind(kind), m_minor(minor) {}

    // Returns the number of bytes read. Errors: EFAULT.
    ErrorOr<size_t> read(u64, const IoBuffer& buf, size_t n) override
    {
        switch (m_kind) {
        case Kind::Null: return size_t(0);
        case Kind::Zero:
        case Kind::Full: TRY(buf.zero(0, n)); return n;
        case Kind::Random: return read_random(buf, n);
        }
        return size_t(0);
    }

    // Returns n. Errors: ENOSPC (/dev/full).
    ErrorOr<size_t> write(u64, const IoBuffer&, size_t n) override
    {
        if (m_kind == Kind::Full)
            return Errno::ENOSPC;
        return n;
    }

    ErrorOr<fs::VAttr> getattr() override
    {
        fs::VAttr attr;
        attr.type = fs::VType::CharDevice;
        attr.mode = 0666;
        attr.nlink = 1;
        attr.ino = 100 + m_minor;
        attr.rdev = fs::makedev(1, m_minor);
        return attr;
    }

    // chmod and the like are accepted and forgotten; a size cannot be set.
    ErrorOr<void> setattr(const fs::VAttr&, u32 mask) override
    {
        if (mask & fs::SETATTR_SIZE)
            return Errno::EINVAL;
        return {};
    }

private:
    // Random bytes, a small stack buffer at a time. A fault after some
    // bytes went out returns those, as read(2) does.
    static ErrorOr<size_t> read_random(const IoBuffer& buf, size_t n)
    {
        u64 words[32];
        size_t done = 0;
        while (done < n) {
            size_t len = min(sizeof words, n - done);
            for (size_t i = 0; i < (len + 7) / 8; ++i)
                words[i] = arch::random_u64();
            if (buf.write_from(done, words, len).is_error())
                return done > 0 ? ErrorOr<size_t>(done) : ErrorOr<size_t>(Errno::EFAULT);
            done += len;
        }
        return done;
    }

    Kind m_kind;
    u32 m_minor;
};

} // namespace

ErrorOr<void> memory_devices_init()
{
    struct Spec {
        Kind kind;
        u32 minor;
    };
    static constexpr Spec specs[] = {
        {Kind::Null, 3}, {Kind::Zero, 5}, {Kind::Full, 7}, {Kind::Random, 8}, {Kind::Random, 9},
    };
    for (const Spec& spec : specs) {
        auto* device = new (std::nothrow) MemoryDevice(spec.kind, spec.minor);
        if (!device)
            return Errno::ENOMEM;
        TRY(fs::register_char_device(fs::makedev(1, spec.minor), *device));  // takes the reference that keeps it
    }
    return {};
}

} // namespace dev
