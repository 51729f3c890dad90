// kernel/base/abi/linux/mman.h -- mmap(2), mprotect(2), mremap(2), madvise(2) and msync(2) constants.
//
// The PROT_* bits are the VM's own (vm/vm.h: vm::Prot has the same values;
// kernel/top/syscall/sys_memory.cpp asserts it). The MAP_* flags are
// turned into the VM's map flags by sys_memory.cpp.
//
// Read more: include/uapi/asm-generic/mman-common.h, include/uapi/linux/mman.h,
// arch/x86/include/uapi/asm/mman.h; mmap(2), mremap(2), madvise(2).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr u64 PROT_NONE = 0x0, PROT_READ = 0x1, PROT_WRITE = 0x2, PROT_EXEC = 0x4;

constexpr u64 MAP_SHARED = 0x01;
constexpr u64 MAP_PRIVATE = 0x02;
constexpr u64 MAP_SHARED_VALIDATE = 0x03;  // MAP_SHARED, refusing unknown flags
constexpr u64 MAP_TYPE = 0x0f;             // the bits of the mapping type
constexpr u64 MAP_FIXED = 0x10;
constexpr u64 MAP_ANONYMOUS = 0x20;
constexpr u64 MAP_32BIT = 0x40;
constexpr u64 MAP_GROWSDOWN = 0x100;
constexpr u64 MAP_DENYWRITE = 0x800;       // ignored by Linux
constexpr u64 MAP_EXECUTABLE = 0x1000;     // ignored by Linux
constexpr u64 MAP_LOCKED = 0x2000;
constexpr u64 MAP_NORESERVE = 0x4000;
constexpr u64 MAP_POPULATE = 0x8000;
constexpr u64 MAP_NONBLOCK = 0x10000;
constexpr u64 MAP_STACK = 0x20000;
constexpr u64 MAP_HUGETLB = 0x40000;
constexpr u64 MAP_SYNC = 0x80000;
constexpr u64 MAP_FIXED_NOREPLACE = 0x100000;

constexpr u64 MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;

constexpr int MADV_NORMAL = 0, MADV_RANDOM = 1, MADV_SEQUENTIAL = 2, MADV_WILLNEED = 3,
              MADV_DONTNEED = 4, MADV_FREE = 8, MADV_REMOVE = 9, MADV_DONTFORK = 10,
              MADV_DOFORK = 11, MADV_DONTDUMP = 16, MADV_DODUMP = 17, MADV_COLD = 20,
              MADV_PAGEOUT = 21;

constexpr u64 MS_ASYNC = 1, MS_INVALIDATE = 2, MS_SYNC = 4;

} // namespace uapi
