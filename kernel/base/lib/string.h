// kernel/base/lib/string.h -- the C memory and string functions.
// The kernel defines them in arch/x86_64/string.cpp (the compiler may emit
// calls to memcpy/memset itself); the host build takes libc's.
#pragma once

#include <kernel/base/lib/types.h>

#ifdef KERNEL_HOST
#include <string.h> // libc's, under GoogleTest
#else
extern "C" {
void* memcpy(void* dst, const void* src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
void* memset(void* dst, int c, size_t n);
int memcmp(const void* a, const void* b, size_t n);
size_t strlen(const char* s);
size_t strnlen(const char* s, size_t max);
int strcmp(const char* a, const char* b);
int strncmp(const char* a, const char* b, size_t n);
char* strchr(const char* s, int c);
}
#endif
