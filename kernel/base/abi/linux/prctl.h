// kernel/base/abi/linux/prctl.h -- prctl(2)'s options.
//
// Read more: include/uapi/linux/prctl.h; prctl(2).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr int PR_SET_NAME = 15, PR_GET_NAME = 16;
constexpr size_t TASK_COMM_LEN = 16;  // PR_SET_NAME's buffer, with its NUL

} // namespace uapi
