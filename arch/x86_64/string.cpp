// arch/x86_64/string.cpp -- the C memory and string functions for the kernel.
//
// memcpy and memset move 8 bytes per step (`rep movsq` / `rep stosq`), then
// the last 0-7 bytes one at a time. On CPUs with ERMSB `rep movsb` alone
// would do as well, but under QEMU's TCG emulator (where the tests and
// benchmarks run) every iteration of a `rep` costs about the same whatever
// its width, so the 8-byte form is up to 8 times faster there.
// GCC may emit calls to memcpy/memset/memmove/memcmp by itself, so these must
// exist with their C names. The host build uses libc's instead.
#include <kernel/base/lib/string.h>

extern "C" {

void* memcpy(void* dst, const void* src, size_t n)
{
    void* ret = dst;
    size_t words = n >> 3, tail = n & 7;
    asm volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(words) : : "memory");
    asm volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(tail) : : "memory");
    return ret;
}

void* memset(void* dst, int c, size_t n)
{
    void* ret = dst;
    u64 pattern = u64(u8(c)) * 0x0101010101010101ull;
    size_t words = n >> 3, tail = n & 7;
    asm volatile("rep stosq" : "+D"(dst), "+c"(words) : "a"(pattern) : "memory");
    asm volatile("rep stosb" : "+D"(dst), "+c"(tail) : "a"(pattern) : "memory");
    return ret;
}

void* memmove(void* dst, const void* src, size_t n)
{
    auto* d = static_cast<unsigned char*>(dst);
    auto* s = static_cast<const unsigned char*>(src);
    if (d <= s || d >= s + n)
        return memcpy(dst, src, n);
    // Overlap with dst above src: copy backwards.
    d += n - 1;
    s += n - 1;
    asm volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    return dst;
}

int memcmp(const void* a, const void* b, size_t n)
{
    auto* x = static_cast<const unsigned char*>(a);
    auto* y = static_cast<const unsigned char*>(b);
    for (size_t i = 0; i < n; ++i)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

size_t strlen(const char* s)
{
    size_t n = 0;
    while (s[n])
        ++n;
    return n;
}

size_t strnlen(const char* s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        ++n;
    return n;
}

int strcmp(const char* a, const char* b)
{
    while (*a && *a == *b)
        ++a, ++b;
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char* a, const char* b, size_t n)
{
    for (; n > 0; --n, ++a, ++b) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            return 0;
    }
    return 0;
}

char* strchr(const char* s, int c)
{
    for (;; ++s) {
        if (*s == char(c))
            return const_cast<char*>(s);
        if (!*s)
            return nullptr;
    }
}

} // extern "C"
