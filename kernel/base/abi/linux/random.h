// kernel/base/abi/linux/random.h -- getrandom(2)'s flags.
//
// Read more: include/uapi/linux/random.h; getrandom(2).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr u32 GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;

} // namespace uapi
