// kernel/base/cxxrt.cpp -- the little C++ runtime a freestanding kernel needs.
//
// Global constructors: the linker collects them in .init_array (boot/linker.ld);
// run_global_constructors() calls them once, early in boot. Destructors of
// globals never run (the kernel does not exit), so registering them is a no-op.
// A pure virtual call is a kernel bug.
#include <kernel/base/lib/assert.h>

extern "C" {
using Constructor = void (*)();
extern const Constructor __init_array_start[], __init_array_end[];

void* __dso_handle = nullptr;
int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }
void __cxa_pure_virtual() { kern::panic("pure virtual function called"); }
}

namespace kern {

void run_global_constructors()
{
    for (const Constructor* c = __init_array_start; c < __init_array_end; ++c)
        (*c)();
}

} // namespace kern
