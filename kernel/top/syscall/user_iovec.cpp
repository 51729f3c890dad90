// kernel/top/syscall/user_iovec.cpp -- copying and checking an iovec array (see user_iovec.h).
#include <kernel/base/abi/linux/fs.h>
#include <kernel/base/abi/linux/limits.h>
#include <kernel/top/syscall/user_iovec.h>

namespace kern {

namespace {

// The checks of Linux's iovec_from_user on one element; cuts its length so
// the running total stays within MAX_RW_COUNT. Errors: EINVAL, EFAULT.
ErrorOr<void> check_iovec(UserIovec& iov, size_t& total)
{
    if (i64(iov.length) < 0)
        return Errno::EINVAL;
    TRY(check_user_range(iov.base, size_t(iov.length)));  // Linux's access_ok
    if (iov.length > uapi::MAX_RW_COUNT - total)
        iov.length = uapi::MAX_RW_COUNT - total;
    total += size_t(iov.length);
    return {};
}

} // namespace

ErrorOr<IovecArray> IovecArray::copy_in(UserPtr<const UserIovec> user_iov, u64 count)
{
    if (count > uapi::UIO_MAXIOV)
        return Errno::EINVAL;
    IovecArray array;
    if (count == 0)
        return array;
    TRY(array.m_items.try_resize(count));
    TRY(copy_from_user(array.m_items.data(), user_iov, count));
    for (UserIovec& item : array.m_items)
        TRY(check_iovec(item, array.m_total));
    return array;
}

} // namespace kern
