// fs/procfs/maps_line.h -- one line of /proc/<pid>/maps, in Linux's format.
//
//   start-end perms offset dev inode           pathname
//   00400000-00452000 r-xp 00000000 00:00 0          /bin/busybox
//   7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]
//
// Addresses and the offset in lowercase hex, at least 8 digits; perms are
// r, w, x (or '-') and p (private: copy-on-write) or s (shared); the device
// as major:minor in two hex digits each and the inode in decimal (00:00 0:
// this kernel does not name the file behind a mapping yet). When there is a
// pathname, the line is padded with spaces to column 72 and one more space
// comes before the name; without one, the line ends with the space after
// the inode. That is Linux's show_map_vma (fs/proc/task_mmu.c: seq_setwidth
// to 25 + 6 * sizeof(void*) - 1, then seq_pad), read for the design; the
// format is proc(5)'s.
//
// A pure function, so the host tests check it (tests/host/fs/procfs/).
#pragma once

#include <kernel/base/lib/format.h>
#include <kernel/base/lib/types.h>

namespace fs::procfs {

struct MapsLine {
    uptr start = 0, end = 0;
    u64 offset = 0;
    bool read = false, write = false, exec = false, shared = false;
    const char* name = nullptr;  // "[heap]", "[stack]", a path, or nullptr
};

// Where the pathname starts (0-based column): Linux pads to 72 on 64-bit.
constexpr size_t MAPS_NAME_COLUMN = 25 + 6 * sizeof(void*);
// Room for any line whose name is at most 32 characters.
constexpr size_t MAPS_LINE_MAX = MAPS_NAME_COLUMN + 32 + 2;

// Write `line` and its '\n' into buf (at most size - 1 characters and a NUL,
// as snprintf). Returns the length the whole line has.
inline size_t format_maps_line(const MapsLine& line, char* buf, size_t size)
{
    size_t len = size_t(kern::snprintf(buf, size, "%08lx-%08lx %c%c%c%c %08lx 00:00 0 ", line.start,
                                       line.end, line.read ? 'r' : '-', line.write ? 'w' : '-',
                                       line.exec ? 'x' : '-', line.shared ? 's' : 'p', line.offset));
    size_t at = len < size ? len : size;
    if (line.name && line.name[0]) {
        int pad = len + 1 < MAPS_NAME_COLUMN ? int(MAPS_NAME_COLUMN - 1 - len) : 0;
        len += size_t(kern::snprintf(buf + at, size - at, "%*s %s\n", pad, "", line.name));
    } else {
        len += size_t(kern::snprintf(buf + at, size - at, "\n"));
    }
    return len;
}

} // namespace fs::procfs
