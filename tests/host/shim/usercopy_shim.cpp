// tests/host/shim/usercopy_shim.cpp -- arch/usercopy.h on the host.
//
// In the host tests a "user address" is an ordinary host pointer, so
// IoBuffer::user() and the system-call paths can be tested without a user
// address space. The first page (0 .. 4095) stands for unmapped user memory:
// a range touching it is EFAULT, which is how a test provokes a bad pointer.
// No fault recovery is needed: any other pointer is assumed valid.
#include <arch/usercopy.h>

#include <string.h>

namespace arch {

namespace {
constexpr uptr FAULT_LIMIT = 4096;

bool bad_range(uptr p, size_t n) { return p < FAULT_LIMIT || p + n < p; }
} // namespace

kern::ErrorOr<void> copy_from_user(void* dst, uptr user_src, size_t n)
{
    if (bad_range(user_src, n))
        return kern::Errno::EFAULT;
    memcpy(dst, reinterpret_cast<const void*>(user_src), n);
    return {};
}

kern::ErrorOr<void> copy_to_user(uptr user_dst, const void* src, size_t n)
{
    if (bad_range(user_dst, n))
        return kern::Errno::EFAULT;
    memcpy(reinterpret_cast<void*>(user_dst), src, n);
    return {};
}

kern::ErrorOr<void> clear_user(uptr user_dst, size_t n)
{
    if (bad_range(user_dst, n))
        return kern::Errno::EFAULT;
    memset(reinterpret_cast<void*>(user_dst), 0, n);
    return {};
}

kern::ErrorOr<size_t> copy_string_from_user(char* dst, uptr user_src, size_t max)
{
    if (bad_range(user_src, 1))
        return kern::Errno::EFAULT;
    const char* src = reinterpret_cast<const char*>(user_src);
    for (size_t i = 0; i < max; ++i) {
        dst[i] = src[i];
        if (src[i] == '\0')
            return i;
    }
    return kern::Errno::ENAMETOOLONG;
}

uptr usercopy_fixup(uptr) { return 0; }

} // namespace arch
