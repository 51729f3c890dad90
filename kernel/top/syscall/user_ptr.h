// kernel/top/syscall/user_ptr.h -- UserPtr<T>: an address in user space, typed.
//
// A system call's pointer arguments are addresses in the calling process's
// half of the address space. The kernel must never dereference one: the
// page may be unmapped, or the "pointer" may aim at the kernel's own
// memory. So a handler receives a UserPtr<T> (SerenityOS's Userspace<T*>),
// which holds the address and offers no `*` or `->`: the only ways through
// are the copy functions below, which check the range and recover from a
// fault (arch/usercopy.h: EFAULT, never a crash). The type says what lies
// there, and `const` says the kernel only reads it:
//
//     sys_write(int fd, UserPtr<const u8> buf, size_t count)   // read from
//     sys_pipe(UserPtr<int> fds)                               // written to
//
// and copy_to_user() refuses, at compile time, a UserPtr<const T>. The
// raw address (for an fs::IoBuffer, or to compare) is address().
//
// check_user_range is Linux's access_ok: the calls that take a buffer
// check it first, so that a kernel address is EFAULT even when nothing
// would be copied.
//
// Read more: Linux include/linux/compiler_types.h (__user, checked by
// sparse), arch/x86/include/asm/uaccess.h (access_ok, copy_to_user);
// SerenityOS Kernel/API/Syscall.h (Userspace); docs/abi.md.
#pragma once

#include <arch/usercopy.h>
#include <kernel/base/lib/error_or.h>
#include <type_traits>
#include <vm/vm.h>

namespace kern {

template <typename T> class UserPtr {
public:
    constexpr UserPtr() = default;
    constexpr explicit UserPtr(uptr address) : m_address(address) {}

    // A pointer to T is also a pointer to const T.
    constexpr operator UserPtr<const T>() const
        requires(!std::is_const_v<T>)
    {
        return UserPtr<const T>(m_address);
    }

    constexpr uptr address() const { return m_address; }
    constexpr bool is_null() const { return m_address == 0; }
    constexpr explicit operator bool() const { return m_address != 0; }

    // The address of element `i` (an array of T in user space).
    constexpr UserPtr element(size_t i) const
        requires(!std::is_void_v<T>)
    {
        return UserPtr(m_address + i * sizeof(T));
    }

private:
    uptr m_address = 0;
};

// Linux's access_ok(): [addr, addr + n) lies below the top of the user half
// (no lower bound: a small address is caught by the copy itself).
// Errors: EFAULT.
inline ErrorOr<void> check_user_range(uptr addr, size_t n)
{
    if (addr > vm::USER_MAX || n > vm::USER_MAX - addr)
        return Errno::EFAULT;
    return {};
}
template <typename T> ErrorOr<void> check_user_range(UserPtr<T> p, size_t n)
{
    return check_user_range(p.address(), n);
}

// Copy `count` objects in from `from` to `to`. Errors: EFAULT.
template <typename T>
ErrorOr<void> copy_from_user(std::remove_const_t<T>* to, UserPtr<T> from, size_t count = 1)
{
    return arch::copy_from_user(to, from.address(), count * sizeof(T));
}

// Copy `count` objects out from `from` to `to`. Errors: EFAULT.
template <typename T> ErrorOr<void> copy_to_user(UserPtr<T> to, const T* from, size_t count = 1)
{
    static_assert(!std::is_const_v<T>, "copy_to_user: the user pointer is const (read only)");
    return arch::copy_to_user(to.address(), from, count * sizeof(T));
}

// Copy a NUL-terminated string of at most `max` bytes in, NUL included.
// Returns its length. Errors: EFAULT, ENAMETOOLONG (no NUL within `max`).
inline ErrorOr<size_t> copy_string_from_user(char* to, UserPtr<const char> from, size_t max)
{
    return arch::copy_string_from_user(to, from.address(), max);
}

} // namespace kern
