// tests/host/shim/printk_shim.h -- what the host's printk (printk_shim.cpp) printed last.
#pragma once

namespace kern::host {
// The last line printk printed (empty if none since clear_console).
const char* last_console_line();
void clear_console();
} // namespace kern::host
