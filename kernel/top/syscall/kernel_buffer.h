// kernel/top/syscall/kernel_buffer.h -- KernelBuffer: a heap scratch buffer that frees itself.
//
// Kernel stacks are small (a few pages), so a handler that needs PATH_MAX
// bytes, a chunk of directory entries or a gathered writev takes them from
// the heap. KernelBuffer owns such a buffer: it is freed when the
// KernelBuffer goes, on every return path. A failed allocation leaves it
// empty (test it: `if (!buf) return Errno::ENOMEM;`). The same idea as
// Linux's __free(kfree) cleanup attribute (include/linux/cleanup.h).
#pragma once

#include <kernel/base/heap/heap.h>
#include <kernel/base/lib/types.h>

namespace kern {

class KernelBuffer {
public:
    explicit KernelBuffer(size_t n) : m_bytes(static_cast<u8*>(kmalloc(n))) {}
    KernelBuffer(const KernelBuffer&) = delete;
    KernelBuffer& operator=(const KernelBuffer&) = delete;
    ~KernelBuffer() { kfree(m_bytes); }

    u8* get() const { return m_bytes; }
    char* chars() const { return reinterpret_cast<char*>(m_bytes); }
    explicit operator bool() const { return m_bytes != nullptr; }

private:
    u8* m_bytes;  // nullptr if the allocation failed
};

} // namespace kern
