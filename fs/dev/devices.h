// fs/dev/devices.h -- the character devices: registration at boot, and the console.
//
// The drivers (fs/dev/tty.cpp: the console terminal; fs/dev/null_zero.cpp:
// null, zero, full, random, urandom) register their vnodes by device number
// with fs/vfs/device.h, so opening a device node in any file system (the
// initramfs's /dev) opens the driver. Device numbers are Linux's:
//
//   (5,1) /dev/console  (4,64) /dev/ttyS0  (5,0) /dev/tty   the console terminal
//   (1,3) null  (1,5) zero  (1,7) full  (1,8) random  (1,9) urandom
#pragma once

#include <fs/vfs/file.h>

namespace dev {

// Register every driver (console tty, null, zero, ...) with fs/vfs/device.h
// and start the console's input. => called once at boot, after the heap and
// the scheduler are up (kernel/top/main.cpp); panics if a registration fails.
void init();

// A File (O_RDWR) on the console terminal: descriptors 0, 1 and 2 of the
// first process. Returns it referenced. Errors: ENXIO (no console), ENOMEM.
kern::ErrorOr<fs::File*> open_console();

// The session leader `sid` is exiting (kernel/top/proc/process.cpp:process_exit):
// if the console is its controlling terminal, hang up the terminal's
// foreground process group and free the terminal (fs/dev/tty.h,
// Tty::session_leader_exited). Nothing if the console is not set up.
void session_leader_exited(u32 sid);

// ---- for init(): each driver's registration ----
kern::ErrorOr<void> tty_init();             // fs/dev/tty.cpp
kern::ErrorOr<void> memory_devices_init();  // fs/dev/null_zero.cpp

} // namespace dev
