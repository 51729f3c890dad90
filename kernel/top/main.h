// kernel/top/main.h -- the machine-independent start of the kernel.
#pragma once

namespace kern {
// Called by the architecture's entry once the CPU is in a sane state.
[[noreturn]] void kmain();
}

namespace arch {
// Start the devices that need memory and the scheduler: the timer.
void late_init();
}
