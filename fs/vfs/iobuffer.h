// fs/vfs/iobuffer.h -- IoBuffer: the caller's side of a read or a write.
//
// File data moves between the pages of a file's VM object and a buffer that
// is either kernel memory (in-kernel users, tests) or user memory (system
// calls). An IoBuffer names one of the two; copies into and out of it go
// through arch/usercopy.h for user memory, so a bad user pointer is EFAULT,
// never a crash. Offsets are relative to the start of the buffer.
//
// Rule: never copy to or from an IoBuffer while holding a VM object's lock
// or a map's lock: a user buffer may be an mmap of the very file being read,
// and the page fault would need that lock (fs/ubc/ubc.h holds pages instead).
#pragma once

#include <kernel/base/lib/error_or.h>

namespace fs {

class IoBuffer {
public:
    static IoBuffer kernel(void* p) { return IoBuffer(reinterpret_cast<uptr>(p), false); }
    static IoBuffer kernel(const void* p) { return IoBuffer(reinterpret_cast<uptr>(p), false); }
    static IoBuffer user(uptr p) { return IoBuffer(p, true); }

    // Copy n bytes from `src` into the buffer at `offset` (a read's result).
    // Errors: EFAULT.
    kern::ErrorOr<void> write_from(size_t offset, const void* src, size_t n) const;
    // Copy n bytes of the buffer at `offset` out to `dst` (a write's data).
    // Errors: EFAULT.
    kern::ErrorOr<void> read_into(void* dst, size_t offset, size_t n) const;
    // Zero n bytes of the buffer at `offset` (reading a hole). Errors: EFAULT.
    kern::ErrorOr<void> zero(size_t offset, size_t n) const;

    IoBuffer offset_by(size_t n) const { return IoBuffer(m_address + n, m_user); }
    bool is_user() const { return m_user; }

private:
    IoBuffer(uptr address, bool user) : m_address(address), m_user(user) {}
    uptr m_address;
    bool m_user;
};

} // namespace fs
