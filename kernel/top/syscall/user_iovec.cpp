// kernel/top/syscall/user_iovec.cpp -- copying and checking an iovec array (see user_iovec.h).
#include <kernel/base/abi/linux/fs.h>
#include <kernel/base/abi/linux/limits.h>
#include <kernel/base/heap/heap.h>
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
    if (count == 0)
        return IovecArray(nullptr, 0, 0);
    auto* items = static_cast<UserIovec*>(kmalloc(count * sizeof(UserIovec)));
    if (!items)
        return Errno::ENOMEM;
    IovecArray array(items, count, 0);  // frees `items` on every return below
    TRY(copy_from_user(items, user_iov, count));
    for (size_t i = 0; i < count; ++i)
        TRY(check_iovec(items[i], array.m_total));
    return array;
}

IovecArray::~IovecArray() { kfree(m_items); }

} // namespace kern
