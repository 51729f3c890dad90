// fs/dev/devices.h -- the character devices: registration at boot, and the console.
#pragma once

#include <fs/vfs/file.h>

namespace dev {

// Register every driver (console tty, null, zero, ...) with fs/vfs/device.h.
// => called once at boot, after the heap and the scheduler are up.
void init();

// A File (O_RDWR) on the console terminal: descriptors 0, 1 and 2 of the
// first process. => referenced. ENXIO (no console), ENOMEM.
kern::ErrorOr<fs::File*> open_console();

} // namespace dev
