// arch/x86_64/backtrace.cpp -- walking the frame-pointer chain.
//
// With -fno-omit-frame-pointer every kernel function starts with
// `push %rbp; mov %rsp, %rbp`, so [rbp] is the caller's rbp and [rbp+8] the
// return address. We follow the chain while it stays inside kernel memory and
// keeps going up the stack, for at most 32 frames, and name each address from
// the kernel's own symbol table (kernel/base/ksyms.h). For a trap we also look at
// the word on top of the interrupted stack (see print_backtrace).
#include <arch/debug.h>
#include <kernel/base/ksyms.h>
#include <kernel/base/printk.h>

namespace arch {

static bool plausible_frame(uptr rbp)
{
    return rbp >= 0xffff800000000000ull && (rbp & 7) == 0;
}

static void print_frame(int n, uptr addr, const char* mark = "")
{
    size_t offset = 0;
    const char* name = kern::ksym_lookup(addr, &offset);
    if (name)
        printk("  #%d %016lx %s%s+%#lx\n", n, addr, mark, name, offset);
    else
        printk("  #%d %016lx %s?\n", n, addr, mark);
}

static bool is_text(uptr addr)
{
    size_t offset;
    return kern::ksym_lookup(addr, &offset) != nullptr;
}

void print_backtrace(uptr rbp, uptr rip, uptr rsp)
{
    int n = 0;
    print_frame(n++, rip);
    // A trap in a function that has not pushed its frame (a leaf, or the
    // first instructions of any function) leaves its return address at the
    // top of the stack, not in the chain. Show that word, marked "? " as a
    // guess, when it looks like a return address the chain would skip.
    if (rsp && plausible_frame(rsp) && plausible_frame(rbp)) {
        uptr top = *reinterpret_cast<const uptr*>(rsp);
        uptr chained = reinterpret_cast<const uptr*>(rbp)[1];
        if (top != chained && is_text(top))
            print_frame(n++, top - 1, "? ");
    }
    while (n < 32 && plausible_frame(rbp)) {
        const uptr* frame = reinterpret_cast<const uptr*>(rbp);
        uptr ret = frame[1];
        if (ret < 0xffffffff80000000ull)
            break;
        // A return address points after the call; name the call itself.
        print_frame(n++, ret - 1);
        uptr next = frame[0];
        if (next <= rbp)
            break;
        rbp = next;
    }
}

void print_backtrace_here()
{
    // Start at our caller: its return address, then its caller's frame.
    const uptr* frame = static_cast<const uptr*>(__builtin_frame_address(0));
    print_backtrace(frame[0], frame[1] - 1, 0);
}

} // namespace arch
