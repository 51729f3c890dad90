// fs/vfs/iobuffer.cpp -- copies into and out of an IoBuffer.
//
// A kernel buffer is plain memory: memcpy/memset. A user buffer goes through
// arch/usercopy.h, which checks the range and recovers from page faults, so
// a bad user pointer is EFAULT. Nothing here takes a lock; the rule in
// iobuffer.h (no VM object or map lock held while copying) is the caller's.
#include <arch/usercopy.h>
#include <fs/vfs/iobuffer.h>
#include <kernel/base/lib/string.h>

namespace fs {

kern::ErrorOr<void> IoBuffer::write_from(size_t offset, const void* src, size_t n) const
{
    if (n == 0)
        return {};
    if (m_user)
        return arch::copy_to_user(m_address + offset, src, n);
    memcpy(reinterpret_cast<void*>(m_address + offset), src, n);
    return {};
}

kern::ErrorOr<void> IoBuffer::read_into(void* dst, size_t offset, size_t n) const
{
    if (n == 0)
        return {};
    if (m_user)
        return arch::copy_from_user(dst, m_address + offset, n);
    memcpy(dst, reinterpret_cast<const void*>(m_address + offset), n);
    return {};
}

kern::ErrorOr<void> IoBuffer::zero(size_t offset, size_t n) const
{
    if (n == 0)
        return {};
    if (m_user)
        return arch::clear_user(m_address + offset, n);
    memset(reinterpret_cast<void*>(m_address + offset), 0, n);
    return {};
}

} // namespace fs
