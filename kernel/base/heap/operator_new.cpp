// kernel/base/heap/operator_new.cpp -- C++ new and delete for the kernel, on kmalloc.
//
// Kernel only (the host build uses the C++ runtime's; tests/host/host.mk
// excludes this file). The compiler turns `new T` into a call to
// operator new(sizeof(T)) and `delete p` into operator delete(p[, size]), so
// these functions are all it takes for new/delete to work in the kernel.
//
// Failure. There are no exceptions (-fno-exceptions), and the plain form of
// operator new is not allowed to return nullptr: the compiler may assume the
// result is non-null and construct the object through it. So the plain forms
// panic when memory is exhausted, and are only for allocations that cannot
// fail in practice (boot-time set-up). Kernel code that may run out of memory
// uses the nothrow form, `new (std::nothrow) T(...)`, checks for nullptr, and
// returns ENOMEM -- usually inside a static create() factory returning
// ErrorOr<T*> (STYLE.md).
//
// Alignment. Every kmalloc result is 16-byte aligned, which covers every
// fundamental type; the std::align_val_t forms, which the compiler calls for
// over-aligned types (alignas(64) ...), go to kmalloc_aligned().
//
// Lock order: that of kmalloc (docs/locking.md).
#include <kernel/base/heap/heap.h>

#include <new>

// The tag object `new (std::nothrow)` names. The C++ runtime defines it; the
// kernel has no runtime library, so it is defined here.
namespace std {
const nothrow_t nothrow{};
}

namespace {

void* allocate_or_panic(size_t size)
{
    void* p = kern::kmalloc(size);
    if (!p)
        kern::panic("operator new(%zu): out of memory (use new (std::nothrow) where it can fail)",
                    size);
    return p;
}

void* allocate_aligned_or_panic(size_t size, std::align_val_t align)
{
    void* p = kern::kmalloc_aligned(size, size_t(align));
    if (!p)
        kern::panic("operator new(%zu, align %zu): out of memory", size, size_t(align));
    return p;
}

} // namespace

// ---- allocation ---------------------------------------------------------------

void* operator new(size_t size) { return allocate_or_panic(size); }
void* operator new[](size_t size) { return allocate_or_panic(size); }
void* operator new(size_t size, std::align_val_t align) { return allocate_aligned_or_panic(size, align); }
void* operator new[](size_t size, std::align_val_t align) { return allocate_aligned_or_panic(size, align); }

void* operator new(size_t size, const std::nothrow_t&) noexcept { return kern::kmalloc(size); }
void* operator new[](size_t size, const std::nothrow_t&) noexcept { return kern::kmalloc(size); }
void* operator new(size_t size, std::align_val_t align, const std::nothrow_t&) noexcept
{
    return kern::kmalloc_aligned(size, size_t(align));
}
void* operator new[](size_t size, std::align_val_t align, const std::nothrow_t&) noexcept
{
    return kern::kmalloc_aligned(size, size_t(align));
}

// ---- deallocation -------------------------------------------------------------
// kfree finds the size from the page descriptor, so the size and alignment
// arguments are not needed; nullptr is ignored as the language requires.

void operator delete(void* p) noexcept { kern::kfree(p); }
void operator delete[](void* p) noexcept { kern::kfree(p); }
void operator delete(void* p, size_t) noexcept { kern::kfree(p); }
void operator delete[](void* p, size_t) noexcept { kern::kfree(p); }
void operator delete(void* p, std::align_val_t) noexcept { kern::kfree(p); }
void operator delete[](void* p, std::align_val_t) noexcept { kern::kfree(p); }
void operator delete(void* p, size_t, std::align_val_t) noexcept { kern::kfree(p); }
void operator delete[](void* p, size_t, std::align_val_t) noexcept { kern::kfree(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { kern::kfree(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { kern::kfree(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { kern::kfree(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { kern::kfree(p); }
