// kernel/base/ksyms.cpp -- lookups in the table scripts/gen-ksyms.sh generates.
#include <kernel/base/ksyms.h>
#include <kernel/base/lib/string.h>

extern "C" {
extern const u64 ksyms_count;
extern const u64 ksyms_addrs[];
extern const u32 ksyms_name_offsets[];
extern const char ksyms_names[];
extern const char _kernel_start[];
extern const char _text_end[];
}

namespace kern {

const char* ksym_lookup(uptr addr, size_t* offset)
{
    if (addr < uptr(_kernel_start) || addr >= uptr(_text_end) || ksyms_count == 0)
        return nullptr;
    // Binary search for the last symbol at or below addr.
    size_t lo = 0, hi = ksyms_count;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (ksyms_addrs[mid] <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (ksyms_addrs[lo] > addr)
        return nullptr;
    *offset = addr - ksyms_addrs[lo];
    return ksyms_names + ksyms_name_offsets[lo];
}

uptr ksym_address(const char* name)
{
    for (u64 i = 0; i < ksyms_count; ++i)
        if (strcmp(ksyms_names + ksyms_name_offsets[i], name) == 0)
            return ksyms_addrs[i];
    return 0;
}

} // namespace kern
