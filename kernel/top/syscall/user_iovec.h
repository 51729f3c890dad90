// kernel/top/syscall/user_iovec.h -- readv/writev's struct iovec array, copied in and walked.
//
// readv, writev, preadv, pwritev and their *2 forms take an array of
// struct iovec {base, length}. The whole array is copied in once (at most
// UIO_MAXIOV * 16 = 16 KiB) and checked before anything moves, as Linux's
// iovec_from_user and import_iovec do: more than UIO_MAXIOV elements or a
// negative length (as ssize_t) is EINVAL, an element whose range leaves
// the user half is EFAULT, and lengths past MAX_RW_COUNT in total are cut.
// Then transfer_iovecs makes one transfer per element until one comes back
// short (sys_file.cpp gives the transfer).
//
// Read more: Linux lib/iov_iter.c (iovec_from_user, import_iovec),
// fs/read_write.c (do_loop_readv_writev); readv(2).
#pragma once

#include <fs/vfs/iobuffer.h>
#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/vector.h>
#include <kernel/top/syscall/user_ptr.h>

namespace kern {

// One element of a user's struct iovec array.
struct UserIovec {
    uptr base;
    u64 length;
};

// A user's iovec array, copied in and checked (see the top).
class IovecArray {
public:
    // Returns the array of `count` elements at `user_iov`.
    // Errors: EINVAL (count above UIO_MAXIOV, a negative length), EFAULT
    // (the array cannot be read, or an element's range leaves the user
    // half), ENOMEM.
    static ErrorOr<IovecArray> copy_in(UserPtr<const UserIovec> user_iov, u64 count);

    size_t count() const { return m_items.size(); }
    const UserIovec& operator[](size_t i) const { return m_items[i]; }
    // The sum of the lengths (at most MAX_RW_COUNT).
    size_t total() const { return m_total; }

private:
    IovecArray() = default;
    Vector<UserIovec> m_items;
    size_t m_total = 0;
};

// The walk readv and writev share: `step(buffer, length, done)` moves up to
// `length` bytes for one element (`done` bytes moved before it) and returns
// how many it moved. The walk stops at the first short step. Returns the
// bytes moved. An error after some bytes moved is forgotten (the count is
// returned), as read(2) and Linux's do_loop_readv_writev do; an error
// before any is returned.
template <typename Step> ErrorOr<size_t> transfer_iovecs(const IovecArray& iov, Step&& step)
{
    size_t done = 0;
    for (size_t i = 0; i < iov.count(); ++i) {
        size_t length = size_t(iov[i].length);
        if (length == 0)
            continue;
        ErrorOr<size_t> moved = step(fs::IoBuffer::user(iov[i].base), length, done);
        if (moved.is_error())
            return done > 0 ? ErrorOr<size_t>(done) : ErrorOr<size_t>(moved.error());
        done += moved.value();
        if (moved.value() < length)
            break;
    }
    return done;
}

} // namespace kern
