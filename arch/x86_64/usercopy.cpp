// arch/x86_64/usercopy.cpp -- copyin/copyout: checked ranges, recovered faults.
//
// A system call's user pointer is checked in two steps (arch/usercopy.h):
//   1. here, before touching anything: the whole range must lie in the user
//      part of the address space, [vm::USER_MIN, vm::USER_MAX), computed so
//      that an `addr + n` that would wrap past 2^64 is refused, not wrapped
//      (`n <= USER_MAX - addr`, never `addr + n <= USER_MAX`). Without this a
//      user could pass a kernel address and have the kernel copy to it;
//   2. during the copy, by the MMU: an access to a page that is not mapped
//      (or not writable) faults; the VM fault handler pages it in if it can,
//      else the trap handler resumes at the copy routine's fix-up, which
//      returns EFAULT (usercopy.S).
// Only these routines touch user memory, so only their instructions are
// allowed to fault on a user address without bringing the kernel down.
//
// References: NetBSD copyin(9) and sys/arch/amd64/amd64/copy.S; Linux
// access_ok() and the exception tables (Documentation/arch/x86/exception-tables.rst);
// xv6 copyin/copyout (which walk the page table instead of faulting).
#include <arch/usercopy.h>
#include <vm/vm.h>

extern "C" {
long x86_copy_user(void* dst, const void* src, size_t n);
long x86_clear_user(void* dst, size_t n);
long x86_copy_string_user(char* dst, const char* src, size_t max);
extern const char x86_usercopy_begin[], x86_usercopy_fixup[];
}

namespace arch {

using kern::Errno;

namespace {

// => [addr, addr + n) lies inside [USER_MIN, USER_MAX), without overflow.
bool user_range_ok(uptr addr, size_t n)
{
    return addr >= vm::USER_MIN && addr <= vm::USER_MAX && n <= vm::USER_MAX - addr;
}

kern::ErrorOr<void> result_of(long r)
{
    if (r != 0)
        return Errno::EFAULT;
    return {};
}

} // namespace

kern::ErrorOr<void> copy_from_user(void* dst, uptr user_src, size_t n)
{
    if (!user_range_ok(user_src, n))
        return Errno::EFAULT;
    return result_of(x86_copy_user(dst, reinterpret_cast<const void*>(user_src), n));
}

kern::ErrorOr<void> copy_to_user(uptr user_dst, const void* src, size_t n)
{
    if (!user_range_ok(user_dst, n))
        return Errno::EFAULT;
    return result_of(x86_copy_user(reinterpret_cast<void*>(user_dst), src, n));
}

kern::ErrorOr<void> clear_user(uptr user_dst, size_t n)
{
    if (!user_range_ok(user_dst, n))
        return Errno::EFAULT;
    return result_of(x86_clear_user(reinterpret_cast<void*>(user_dst), n));
}

// The string may end well before `max`, so only its start must be a user
// address; the copy stops at the end of user space (EFAULT if no NUL came
// before it) or after `max` bytes (ENAMETOOLONG).
kern::ErrorOr<size_t> copy_string_from_user(char* dst, uptr user_src, size_t max)
{
    if (!user_range_ok(user_src, 1))
        return Errno::EFAULT;
    const size_t limit = min(max, size_t(vm::USER_MAX - user_src));
    const long r = x86_copy_string_user(dst, reinterpret_cast<const char*>(user_src), limit);
    if (r < 0)
        return Errno::EFAULT;
    if (size_t(r) < limit)
        return size_t(r);
    return limit < max ? Errno::EFAULT : Errno::ENAMETOOLONG;
}

uptr usercopy_fixup(uptr rip)
{
    if (rip >= uptr(x86_usercopy_begin) && rip < uptr(x86_usercopy_fixup))
        return uptr(x86_usercopy_fixup);
    return 0;
}

} // namespace arch
