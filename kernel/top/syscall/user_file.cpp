// kernel/top/syscall/user_file.cpp -- file_of and file_of_raw: see user_file.h.
#include <kernel/top/proc/process.h>
#include <kernel/top/syscall/user_file.h>

namespace kern {

ErrorOr<RefPtr<fs::File>> file_of_raw(int fd)
{
    fs::File* file = TRY(Process::current()->fds().get(fd));
    return RefPtr<fs::File>::adopt(file);
}

ErrorOr<RefPtr<fs::File>> file_of(int fd)
{
    auto file = TRY(file_of_raw(fd));
    if (file->is_path())
        return Errno::EBADF;
    return file;
}

} // namespace kern
