// kernel/base/abi/asm/prctl.h -- arch_prctl(2)'s codes (x86-64).
//
// Read more: arch/x86/include/uapi/asm/prctl.h; arch_prctl(2).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr int ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003,
              ARCH_GET_GS = 0x1004;

} // namespace uapi
