// kernel/base/abi/linux/reboot.h -- reboot(2)'s magic numbers and commands.
//
// Read more: include/uapi/linux/reboot.h, kernel/reboot.c; reboot(2).
#pragma once

#include <kernel/base/lib/types.h>
#ifdef KERNEL_HOST
#include <kernel/base/abi/host.h>  // libc's macros of these names go
#endif

namespace uapi {

constexpr u32 LINUX_REBOOT_MAGIC1 = 0xfee1dead;
// The second magic number: one of four birthdays (Linus Torvalds' and his
// daughters').
constexpr u32 LINUX_REBOOT_MAGIC2 = 672274793, LINUX_REBOOT_MAGIC2A = 85072278,
              LINUX_REBOOT_MAGIC2B = 369367448, LINUX_REBOOT_MAGIC2C = 537993216;

constexpr u32 LINUX_REBOOT_CMD_RESTART = 0x01234567;
constexpr u32 LINUX_REBOOT_CMD_HALT = 0xcdef0123;
constexpr u32 LINUX_REBOOT_CMD_CAD_ON = 0x89abcdef;
constexpr u32 LINUX_REBOOT_CMD_CAD_OFF = 0x00000000;
constexpr u32 LINUX_REBOOT_CMD_POWER_OFF = 0x4321fedc;
constexpr u32 LINUX_REBOOT_CMD_RESTART2 = 0xa1b2c3d4;

} // namespace uapi
