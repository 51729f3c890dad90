// kernel/base/lib/format.h -- printf-style formatting, without libc.
//
// One formatter (format.cpp) serves printk, panic, snprintf and the tests.
// Supported: %d %i %u %x %X %o %p %s %c %%, the length modifiers hh h l ll z t j,
// flags '-' '0' '+' ' ' '#', a field width and a precision (also as '*').
// %p prints 0x followed by 16 hex digits. A NULL %s prints "(null)".
// Anything else (e.g. %f, %n) is printed literally and never reads an argument
// it does not understand.
#pragma once

#include <kernel/base/lib/types.h>
#include <stdarg.h>

namespace kern {

// A sink receives the output in chunks. `ctx` is passed through.
using FormatSink = void (*)(void* ctx, const char* s, size_t len);

// Format to a sink; returns the number of characters produced.
size_t vformat(FormatSink sink, void* ctx, const char* fmt, va_list ap);

// Like C's: writes at most size-1 characters plus a NUL (if size > 0) and
// returns the length the whole output would have had.
int vsnprintf(char* buf, size_t size, const char* fmt, va_list ap);
int snprintf(char* buf, size_t size, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

} // namespace kern
