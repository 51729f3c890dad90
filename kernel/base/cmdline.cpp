// kernel/base/cmdline.cpp -- looking up key=value words in the command line.
#include <kernel/base/cmdline.h>
#include <kernel/base/lib/string.h>

namespace kern {

static char s_line[512];

void cmdline_init(const char* line)
{
    size_t n = strnlen(line, sizeof s_line - 1);
    memcpy(s_line, line, n);
    s_line[n] = '\0';
}

const char* cmdline() { return s_line; }

bool cmdline_get(const char* key, char* buf, size_t size)
{
    size_t klen = strlen(key);
    for (const char* p = s_line; *p;) {
        while (*p == ' ')
            ++p;
        const char* end = p;
        while (*end && *end != ' ')
            ++end;
        if (size_t(end - p) >= klen && !strncmp(p, key, klen) && (p + klen == end || p[klen] == '=')) {
            const char* value = p + klen == end ? end : p + klen + 1;
            size_t vlen = min(size_t(end - value), size - 1);
            memcpy(buf, value, vlen);
            buf[vlen] = '\0';
            return true;
        }
        p = end;
    }
    return false;
}

bool cmdline_has(const char* key)
{
    char unused[2];
    return cmdline_get(key, unused, sizeof unused);
}

} // namespace kern
