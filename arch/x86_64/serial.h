// arch/x86_64/serial.h -- COM1 set-up and polled input.
#pragma once

namespace x86 {
void serial_init();
// Returns true and the byte in `c` if one was waiting.
bool serial_try_read(char& c);
// From the timer interrupt: if a byte is waiting, call the console input
// handler (arch::console_set_input_handler), which takes what it can.
void serial_poll_input();
}
