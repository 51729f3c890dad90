// kernel/top/syscall/user_path.cpp -- UserPath: copying a path in, joining two (see user_path.h).
#include <fs/vfs/types.h>
#include <kernel/base/lib/string.h>
#include <kernel/top/syscall/user_path.h>

namespace kern {

// The buffers are not zeroed: the string and its NUL are written before
// anything reads them (a path is the hottest scratch: every open and stat).
ErrorOr<UserPath> UserPath::copy_in(UserPtr<const char> user_path)
{
    KBuffer bytes = TRY(KBuffer::create_uninitialized(fs::PATH_MAX));
    size_t length = TRY(copy_string_from_user(reinterpret_cast<char*>(bytes.data()), user_path, fs::PATH_MAX));
    return UserPath(std::move(bytes), length);
}

ErrorOr<UserPath> UserPath::joined(StringView dir, StringView rest)
{
    bool slash = !dir.is_empty() && !dir.ends_with('/');
    size_t length = dir.length() + (slash ? 1 : 0) + rest.length();
    if (length >= fs::PATH_MAX)
        return Errno::ENAMETOOLONG;
    KBuffer bytes = TRY(KBuffer::create_uninitialized(fs::PATH_MAX));
    auto* chars = reinterpret_cast<char*>(bytes.data());
    memcpy(chars, dir.characters(), dir.length());
    if (slash)
        chars[dir.length()] = '/';
    memcpy(chars + length - rest.length(), rest.characters(), rest.length());
    chars[length] = '\0';
    return UserPath(std::move(bytes), length);
}

} // namespace kern
