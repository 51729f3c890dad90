// kernel/top/syscall/user_stat.cpp -- filling struct stat (see user_stat.h).
#include <kernel/base/lib/string.h>
#include <kernel/top/syscall/user_stat.h>

namespace kern {

LinuxStat to_linux_stat(const fs::VAttr& attr)
{
    LinuxStat st;
    memset(&st, 0, sizeof st);
    st.dev = attr.dev;
    st.ino = attr.ino;
    st.nlink = attr.nlink;
    st.mode = fs::vtype_to_mode(attr.type) | (attr.mode & 07777);
    st.uid = attr.uid;
    st.gid = attr.gid;
    st.rdev = attr.rdev;
    st.size = i64(attr.size);
    st.blksize = attr.blksize;
    st.blocks = i64(attr.blocks);
    st.atime_sec = attr.atime.sec;
    st.atime_nsec = attr.atime.nsec;
    st.mtime_sec = attr.mtime.sec;
    st.mtime_nsec = attr.mtime.nsec;
    st.ctime_sec = attr.ctime.sec;
    st.ctime_nsec = attr.ctime.nsec;
    return st;
}

ErrorOr<void> copy_stat_out(UserPtr<LinuxStat> user_buf, const fs::VAttr& attr)
{
    LinuxStat st = to_linux_stat(attr);
    return copy_to_user(user_buf, &st);
}

} // namespace kern
