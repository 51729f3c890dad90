// kernel/base/lib/kbuffer.h -- KBuffer: an owned block of bytes of a fixed size.
//
// A KBuffer is `size` bytes on the heap, zeroed when made (unless made
// with create_uninitialized, for scratch the caller overwrites before any
// byte can leave the kernel), freed with the KBuffer. It is the owner for a scratch block a function fills and hands
// on -- the image of a new program's stack before it is copied out, a
// path's worth of room for getcwd, the bytes of a command line -- so that
// every way out of the function frees it. Its size never changes (a
// growing buffer is a Vector<u8>).
//
//   KBuffer page = TRY(KBuffer::create(PAGE_SIZE));   // ENOMEM if the heap is short
//   TRY(copy_to_user(dst, page.data(), page.size())); // freed on both ways out
//
// Invariants: m_data is nullptr exactly when m_size is 0 (an empty KBuffer
// costs no allocation). It moves; a copy is made with create_copy().
#pragma once

#include <kernel/base/lib/error_or.h>
#include <kernel/base/lib/string.h>
#include <kernel/base/lib/types.h>
#include <new>
#include <utility>

namespace kern {

class KBuffer {
public:
    KBuffer() = default;  // empty
    KBuffer(const KBuffer&) = delete;
    KBuffer& operator=(const KBuffer&) = delete;
    KBuffer(KBuffer&& other)
        : m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0))
    {
    }
    KBuffer& operator=(KBuffer&& other)
    {
        if (this != &other) {
            ::operator delete(m_data);
            m_data = std::exchange(other.m_data, nullptr);
            m_size = std::exchange(other.m_size, 0);
        }
        return *this;
    }
    ~KBuffer() { ::operator delete(m_data); }

    // `size` zero bytes. Errors: ENOMEM.
    static ErrorOr<KBuffer> create(size_t size)
    {
        KBuffer out = TRY(create_uninitialized(size));
        if (size)
            memset(out.m_data, 0, size);
        return out;
    }
    // `size` bytes of whatever the heap held: for scratch that is written
    // before it is read (a path copied in, a chunk read into), where
    // zeroing would cost a memset per system call. Never copy out a byte
    // that was not written first: it would leak old kernel data.
    // Errors: ENOMEM.
    static ErrorOr<KBuffer> create_uninitialized(size_t size)
    {
        KBuffer out;
        if (size == 0)
            return out;
        auto* data = static_cast<u8*>(::operator new(size, std::nothrow));
        if (!data)
            return Errno::ENOMEM;
        out.m_data = data;
        out.m_size = size;
        return out;
    }
    // A copy of the `size` bytes at `bytes`. Errors: ENOMEM.
    static ErrorOr<KBuffer> create_copy(const void* bytes, size_t size)
    {
        KBuffer out = TRY(create(size));
        if (size)
            memcpy(out.m_data, bytes, size);
        return out;
    }

    u8* data() { return m_data; }
    const u8* data() const { return m_data; }
    size_t size() const { return m_size; }
    bool is_empty() const { return m_size == 0; }

private:
    u8* m_data = nullptr;
    size_t m_size = 0;
};

} // namespace kern
