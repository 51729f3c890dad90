// arch/x86_64/serial.h -- COM1 set-up and polled input.
#pragma once

namespace x86 {
void serial_init();
// => true and the byte in `c` if one was waiting.
bool serial_try_read(char& c);
}
