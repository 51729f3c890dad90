// kernel/base/lib/types.h -- the basic integer types and helpers every file uses.
// Freestanding: only compiler-provided headers. Compiles in the kernel and on
// the host (GoogleTest) unchanged.
#pragma once

#include <stddef.h>
#include <stdint.h>

using u8 = uint8_t;
using u16 = uint16_t;
using u32 = uint32_t;
using u64 = uint64_t;
using i8 = int8_t;
using i16 = int16_t;
using i32 = int32_t;
using i64 = int64_t;
using uptr = uintptr_t;
using ssize_t = long;

// A physical address. A distinct name (not a distinct type) keeps arithmetic
// simple while telling the reader which address space a value lives in.
using PhysAddr = u64;

constexpr size_t PAGE_SHIFT = 12;
constexpr size_t PAGE_SIZE = size_t(1) << PAGE_SHIFT;

constexpr u64 align_down(u64 value, u64 align) { return value & ~(align - 1); }
constexpr u64 align_up(u64 value, u64 align) { return (value + align - 1) & ~(align - 1); }
constexpr bool is_aligned(u64 value, u64 align) { return (value & (align - 1)) == 0; }
constexpr size_t pages_for(size_t bytes) { return (bytes + PAGE_SIZE - 1) >> PAGE_SHIFT; }

template <typename T> constexpr T min(T a, T b) { return a < b ? a : b; }
template <typename T> constexpr T max(T a, T b) { return a > b ? a : b; }

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define UNUSED(x) (void)(x)
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
