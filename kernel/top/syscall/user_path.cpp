// kernel/top/syscall/user_path.cpp -- UserPath: copying a path in, joining two (see user_path.h).
#include <fs/vfs/types.h>
#include <kernel/base/heap/heap.h>
#include <kernel/base/lib/string.h>
#include <kernel/top/syscall/user_path.h>

namespace kern {

ErrorOr<UserPath> UserPath::copy_in(UserPtr<const char> user_path)
{
    auto* chars = static_cast<char*>(kmalloc(fs::PATH_MAX));
    if (!chars)
        return Errno::ENOMEM;
    auto length = copy_string_from_user(chars, user_path, fs::PATH_MAX);
    if (length.is_error()) {
        kfree(chars);
        return length.error();
    }
    return UserPath(chars, length.value());
}

ErrorOr<UserPath> UserPath::joined(StringView dir, StringView rest)
{
    bool slash = !dir.is_empty() && !dir.ends_with('/');
    size_t length = dir.length() + (slash ? 1 : 0) + rest.length();
    if (length >= fs::PATH_MAX)
        return Errno::ENAMETOOLONG;
    auto* chars = static_cast<char*>(kmalloc(fs::PATH_MAX));
    if (!chars)
        return Errno::ENOMEM;
    memcpy(chars, dir.characters(), dir.length());
    if (slash)
        chars[dir.length()] = '/';
    memcpy(chars + length - rest.length(), rest.characters(), rest.length());
    chars[length] = '\0';
    return UserPath(chars, length);
}

UserPath::~UserPath() { kfree(m_chars); }

} // namespace kern
