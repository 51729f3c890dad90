// kernel/top/syscall/user_path.h -- UserPath: a path argument copied in from user space.
//
// A path is copied into the kernel once, and only the copy is used: a
// user pointer is never read twice, so another thread cannot change the
// path between a check and its use. arch::copy_string_from_user reads the
// string a byte at a time until the NUL, so a path that ends just before
// an unmapped page is fine and one that runs into it is EFAULT; with no NUL
// within PATH_MAX bytes it is ENAMETOOLONG (Linux's getname). The copy
// lives in a heap buffer of PATH_MAX bytes (kernel stacks are too small for
// one per argument), freed when the UserPath goes.
//
// Read more: Linux fs/namei.c (getname_flags); docs/vfs.md.
#pragma once

#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/kbuffer.h>
#include <kernel/base/lib/string_view.h>
#include <kernel/top/syscall/user_ptr.h>
#include <utility>

namespace kern {

// A NUL-terminated path, PATH_MAX bytes of heap (a KBuffer). Movable, not
// copyable.
class UserPath {
public:
    // Returns the path at `user_path`. An empty string is allowed here
    // (namei answers ENOENT; AT_EMPTY_PATH wants it).
    // Errors: EFAULT (a bad pointer, or the string runs into an unmapped
    // page), ENAMETOOLONG (no NUL within PATH_MAX bytes), ENOMEM.
    static ErrorOr<UserPath> copy_in(UserPtr<const char> user_path);
    // Returns "dir/rest" ("rest" if dir is empty), made in the kernel
    // (renameat with two directories; linkat following a symlink).
    // Errors: ENAMETOOLONG (PATH_MAX or longer), ENOMEM.
    static ErrorOr<UserPath> joined(StringView dir, StringView rest);

    UserPath(UserPath&&) = default;
    UserPath& operator=(UserPath&&) = default;

    StringView view() const { return StringView(chars(), m_length); }
    bool is_empty() const { return m_length == 0; }
    bool is_absolute() const { return m_length > 0 && chars()[0] == '/'; }

private:
    UserPath(KBuffer bytes, size_t length) : m_bytes(std::move(bytes)), m_length(length) {}
    const char* chars() const { return reinterpret_cast<const char*>(m_bytes.data()); }
    KBuffer m_bytes;  // PATH_MAX bytes, NUL-terminated
    size_t m_length;
};

} // namespace kern
