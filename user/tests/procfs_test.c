/* user/tests/procfs_test.c -- /proc: self, per-process stat, cmdline, exe, maps and smaps, meminfo,
 * mounts, uptime, read-only; /proc/sys/vm/drop_caches and /proc/vmstat.
 *
 * The formats are Linux's (proc(5)), so every case runs unchanged on Linux
 * and in the guest; see harness.h and docs/procfs.md.
 */
#include "harness.h"

#include <sys/mount.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#define MIB (1024 * 1024)

extern char** environ;

/* The whole file into buf (NUL-terminated), read in small pieces to
 * exercise reads at offsets past 0. Returns bytes, or -1. */
static long read_file(const char* path, char* buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    size_t got = 0;
    for (;;) {
        size_t want = size - 1 - got < 7 ? size - 1 - got : 7;
        if (want == 0)
            break;
        ssize_t n = read(fd, buf + got, want);
        if (n < 0) {
            close(fd);
            return -1;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    buf[got] = 0;
    close(fd);
    return (long)got;
}

/* The value of "Key:" in /proc/meminfo, in kB, or -1. */
static long meminfo_kb(const char* key)
{
    static char text[4096];
    if (read_file("/proc/meminfo", text, sizeof text) <= 0)
        return -1;
    size_t len = strlen(key);
    for (char* line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : 0)
        if (strncmp(line, key, len) == 0 && line[len] == ':')
            return strtol(line + len + 1, 0, 10);
    return -1;
}

static double uptime_seconds(void)
{
    char text[128];
    if (read_file("/proc/uptime", text, sizeof text) <= 0)
        return -1;
    return strtod(text, 0);
}

static int dir_has(const char* dir, const char* name)
{
    DIR* d = opendir(dir);
    if (!d)
        return 0;
    struct dirent* e;
    int found = 0;
    while ((e = readdir(d)) != 0)
        if (strcmp(e->d_name, name) == 0)
            found = 1;
    closedir(d);
    return found;
}

TEST_CASE(self_is_getpid)
{
    char target[32], want[32];
    ssize_t n = readlink("/proc/self", target, sizeof target - 1);
    EXPECT(n > 0);
    target[n] = 0;
    snprintf(want, sizeof want, "%d", (int)getpid());
    EXPECT(strcmp(target, want) == 0);
    struct stat st;
    EXPECT_EQ(stat("/proc/self", &st), 0);
    EXPECT(S_ISDIR(st.st_mode));
}

TEST_CASE(stat_fields_match)
{
    char text[1024], comm[64];
    EXPECT(read_file("/proc/self/stat", text, sizeof text) > 0);
    int pid, ppid, pgrp, session;
    char state;
    EXPECT_EQ(sscanf(text, "%d (%63[^)]) %c %d %d %d", &pid, comm, &state, &ppid, &pgrp, &session), 6);
    EXPECT_EQ(pid, getpid());
    EXPECT(strcmp(comm, "procfs_test") == 0);
    EXPECT_EQ(state, 'R');
    EXPECT_EQ(ppid, getppid());
    EXPECT_EQ(pgrp, getpgrp());
    EXPECT_EQ(session, getsid(0));
    /* 52 fields on one line (Linux since 3.5). */
    int fields = 1;
    for (char* p = strchr(text, ')'); *p && *p != '\n'; ++p)
        fields += *p == ' ';
    EXPECT(fields >= 44);
}

TEST_CASE(status_and_cmdline)
{
    char text[2048], want[64];
    EXPECT(read_file("/proc/self/status", text, sizeof text) > 0);
    EXPECT(strncmp(text, "Name:\tprocfs_test\n", 18) == 0);
    snprintf(want, sizeof want, "\nPid:\t%d\n", (int)getpid());
    EXPECT(strstr(text, want) != 0);
    snprintf(want, sizeof want, "\nPPid:\t%d\n", (int)getppid());
    EXPECT(strstr(text, want) != 0);
    long n = read_file("/proc/self/cmdline", text, sizeof text);
    EXPECT(n > 0 && text[n - 1] == 0);
    EXPECT(strstr(text, "procfs_test") != 0);
}

/* readlink into buf (NUL-terminated). Returns its length, or -1. */
static long read_link(const char* path, char* buf, size_t size)
{
    ssize_t n = readlink(path, buf, size - 1);
    if (n < 0)
        return -1;
    buf[n] = 0;
    return n;
}

/* The state letter in /proc/<pid>/stat, or 0. */
static char state_of(pid_t pid)
{
    char path[64], text[1024], state = 0;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if (read_file(path, text, sizeof text) <= 0 || sscanf(text, "%*d (%*[^)]) %c", &state) != 1)
        return 0;
    return state;
}

TEST_CASE(self_exe_is_this_program)
{
    char target[4096];
    EXPECT(read_link("/proc/self/exe", target, sizeof target) > 0);
    EXPECT(target[0] == '/');
    const char* base = strrchr(target, '/') + 1;
    EXPECT(strcmp(base, "procfs_test") == 0);
    struct stat st;
    EXPECT_EQ(lstat(target, &st), 0);
    EXPECT(S_ISREG(st.st_mode)); /* every symlink on the way followed */
    EXPECT(dir_has("/proc/self", "exe"));
    EXPECT(dir_has("/proc/self", "maps"));
    EXPECT(dir_has("/proc/self", "smaps"));
}

/* A child exec'd with known arguments: its cmdline is them, NUL-separated,
 * and its exe is the shell's real file (the end of /bin/sh's symlinks:
 * /bin/busybox in the guest, dash on a Debian host). */
TEST_CASE(exec_sets_cmdline_and_exe)
{
    static const char want[] = "sh\0-c\0read line; true";
    int in[2];
    EXPECT_EQ(pipe(in), 0);
    pid_t child = fork();
    if (child == 0) {
        dup2(in[0], 0);
        close(in[0]);
        close(in[1]);
        char* argv[] = {"sh", "-c", "read line; true", 0};
        execve("/bin/sh", argv, environ);
        _exit(127);
    }
    EXPECT(child > 0);
    close(in[0]);
    char path[64], text[4096];
    snprintf(path, sizeof path, "/proc/%d/cmdline", (int)child);
    long n = 0;
    for (int i = 0; i < 500; ++i) { /* until the exec is done: at most 5 s */
        n = read_file(path, text, sizeof text);
        if (n == (long)sizeof want && memcmp(text, want, sizeof want) == 0)
            break;
        struct timespec t = {0, 10 * 1000 * 1000};
        nanosleep(&t, 0);
    }
    EXPECT_EQ(n, (long)sizeof want);
    EXPECT(memcmp(text, want, sizeof want) == 0);
    snprintf(path, sizeof path, "/proc/%d/exe", (int)child);
    EXPECT(read_link(path, text, sizeof text) > 0);
    EXPECT(text[0] == '/');
    struct stat exe, sh;
    EXPECT_EQ(lstat(text, &exe), 0);
    EXPECT(S_ISREG(exe.st_mode));
    EXPECT_EQ(stat("/bin/sh", &sh), 0);
    EXPECT(exe.st_ino == sh.st_ino && exe.st_dev == sh.st_dev);
    if (harness_on_teachos())
        EXPECT(strcmp(text, "/bin/busybox") == 0);
    close(in[1]); /* read sees the end: the shell exits */
    int status;
    EXPECT_EQ(waitpid(child, &status, 0), child);
    EXPECT(WIFEXITED(status));
}

/* fork copies them (the child runs the same program); a zombie has none. */
TEST_CASE(fork_copies_zombie_drops)
{
    int ready[2];
    EXPECT_EQ(pipe(ready), 0);
    pid_t child = fork();
    if (child == 0) {
        char c;
        close(ready[1]);
        (void)read(ready[0], &c, 1);
        _exit(0);
    }
    EXPECT(child > 0);
    close(ready[0]);
    char mine[4096], path[64], text[4096];
    long mine_n = read_file("/proc/self/cmdline", mine, sizeof mine);
    snprintf(path, sizeof path, "/proc/%d/cmdline", (int)child);
    EXPECT(mine_n > 0);
    EXPECT_EQ(read_file(path, text, sizeof text), mine_n);
    EXPECT(memcmp(mine, text, (size_t)mine_n) == 0);
    EXPECT(read_link("/proc/self/exe", mine, sizeof mine) > 0);
    snprintf(path, sizeof path, "/proc/%d/exe", (int)child);
    EXPECT(read_link(path, text, sizeof text) > 0);
    EXPECT(strcmp(mine, text) == 0);
    close(ready[1]);
    for (int i = 0; i < 500 && state_of(child) != 'Z'; ++i) {
        struct timespec t = {0, 10 * 1000 * 1000};
        nanosleep(&t, 0);
    }
    EXPECT_EQ(state_of(child), 'Z');
    EXPECT_ERRNO(readlink(path, text, sizeof text), ENOENT);
    snprintf(path, sizeof path, "/proc/%d/cmdline", (int)child);
    EXPECT_EQ(read_file(path, text, sizeof text), 0);
    int status;
    EXPECT_EQ(waitpid(child, &status, 0), child);
}

TEST_CASE(child_appears_and_goes)
{
    int ready[2];
    EXPECT_EQ(pipe(ready), 0);
    pid_t child = fork();
    if (child == 0) {
        char c;
        close(ready[1]);
        (void)read(ready[0], &c, 1); /* until the parent closes its end */
        _exit(0);
    }
    EXPECT(child > 0);
    close(ready[0]);
    char dir[32], name[16], path[64], text[1024];
    snprintf(name, sizeof name, "%d", (int)child);
    snprintf(dir, sizeof dir, "/proc/%d", (int)child);
    snprintf(path, sizeof path, "/proc/%d/stat", (int)child);
    struct stat st;
    EXPECT_EQ(stat(dir, &st), 0);
    EXPECT(dir_has("/proc", name));
    EXPECT(read_file(path, text, sizeof text) > 0);
    int pid = 0, ppid = 0;
    char state;
    EXPECT_EQ(sscanf(text, "%d (%*[^)]) %c %d", &pid, &state, &ppid), 3);
    EXPECT_EQ(pid, child);
    EXPECT_EQ(ppid, getpid());
    close(ready[1]);
    int status;
    EXPECT_EQ(waitpid(child, &status, 0), child);
    EXPECT_ERRNO(stat(dir, &st), ENOENT);
    EXPECT_ERRNO(open(path, O_RDONLY), ENOENT);
    EXPECT(!dir_has("/proc", name));
}

TEST_CASE(readdir_lists_self_and_pids)
{
    char me[16], parent[16];
    snprintf(me, sizeof me, "%d", (int)getpid());
    snprintf(parent, sizeof parent, "%d", (int)getppid());
    EXPECT(dir_has("/proc", "self"));
    EXPECT(dir_has("/proc", "meminfo"));
    EXPECT(dir_has("/proc", me));
    EXPECT(dir_has("/proc", parent));
    EXPECT(dir_has("/proc/self", "stat"));
    EXPECT(dir_has("/proc/self", "cmdline"));
    EXPECT(dir_has("/proc/self", "exe"));
    EXPECT(dir_has("/proc/self", "maps"));
    EXPECT(dir_has("/proc/self", "smaps"));
}

TEST_CASE(meminfo_moves)
{
    long total = meminfo_kb("MemTotal"), before = meminfo_kb("MemFree");
    EXPECT(total > 0);
    EXPECT(before > 0 && before <= total);
    EXPECT(meminfo_kb("MemAvailable") >= 0);
    EXPECT(meminfo_kb("SwapTotal") >= 0);
    EXPECT(meminfo_kb("Cached") >= 0);
    size_t size = 4 * MIB;
    char* p = mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(p != MAP_FAILED);
    for (size_t i = 0; i < size; i += 4096)
        p[i] = 1;
    long after = meminfo_kb("MemFree");
    /* At least 3 of the 4 MiB. Linux folds its per-CPU free counts into
     * MemFree lazily (and other programs run), so there the check is skipped,
     * as the harness skips its leak check. */
    if (harness_on_teachos())
        EXPECT(before - after >= 3 * 1024);
    munmap(p, size);
}

TEST_CASE(mounts_lists_root_and_proc)
{
    char text[8192];
    EXPECT(read_file("/proc/mounts", text, sizeof text) > 0);
    int root = 0, proc = 0;
    for (char* line = text; line && *line;) {
        char dev[128], dir[256], type[64];
        if (sscanf(line, "%127s %255s %63s", dev, dir, type) == 3) {
            root |= strcmp(dir, "/") == 0;
            proc |= strcmp(dir, "/proc") == 0 && strcmp(type, "proc") == 0;
        }
        line = strchr(line, '\n');
        if (line)
            ++line;
    }
    EXPECT(root);
    EXPECT(proc);
}

TEST_CASE(uptime_increases)
{
    double first = uptime_seconds();
    EXPECT(first > 0);
    struct timespec t = {0, 300 * 1000 * 1000};
    nanosleep(&t, 0);
    double second = uptime_seconds();
    EXPECT(second >= first + 0.2);
    char text[256];
    EXPECT(read_file("/proc/loadavg", text, sizeof text) > 0);
    double a, b, c;
    int running, total, last;
    EXPECT_EQ(sscanf(text, "%lf %lf %lf %d/%d %d", &a, &b, &c, &running, &total, &last), 6);
    EXPECT(running >= 1 && total >= 2);
}

TEST_CASE(writes_are_refused)
{
    /* As root Linux opens for writing and refuses the write (EIO); teachos
     * refuses the open (EACCES, the mode is 0444). Either way nothing goes in. */
    int fd = open("/proc/meminfo", O_WRONLY);
    if (fd >= 0) {
        errno = 0;
        EXPECT(write(fd, "x", 1) < 0);
        EXPECT(errno == EIO || errno == EACCES || errno == EINVAL);
        close(fd);
    } else {
        EXPECT(errno == EACCES || errno == EROFS);
    }
    errno = 0;
    EXPECT(open("/proc/new_file", O_WRONLY | O_CREAT, 0644) < 0);
    EXPECT(errno == EACCES || errno == ENOENT || errno == EROFS);
    errno = 0;
    EXPECT(mkdir("/proc/new_dir", 0755) < 0);
    EXPECT(errno == EACCES || errno == ENOENT || errno == EROFS);
    errno = 0;
    EXPECT(unlink("/proc/version") < 0);
    EXPECT(errno == EPERM || errno == EACCES || errno == EROFS);
    char text[256];
    EXPECT(read_file("/proc/version", text, sizeof text) > 0);
}

/* ==== /proc/sys/vm/drop_caches: write-only, even for root ==== */

#define DROP_CACHES "/proc/sys/vm/drop_caches"

/* write(2) of `text` to drop_caches on a fresh descriptor: its result, with
 * errno as write left it. */
static long write_drop_caches(const char* text)
{
    int fd = open(DROP_CACHES, O_WRONLY);
    if (fd < 0)
        return -2;
    errno = 0;
    long n = (long)write(fd, text, strlen(text));
    int saved = errno;
    close(fd);
    errno = saved;
    return n;
}

/* The value of `key` in /proc/vmstat, or -1. */
static long vmstat_value(const char* key)
{
    static char text[16384];
    if (read_file("/proc/vmstat", text, sizeof text) <= 0)
        return -1;
    size_t len = strlen(key);
    for (char* line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : 0)
        if (strncmp(line, key, len) == 0 && line[len] == ' ')
            return strtol(line + len + 1, 0, 10);
    return -1;
}

/* Linux's /proc/sys files apply their mode to root too (proc_sys_permission):
 * a 0200 file cannot be opened for reading at all. */
TEST_CASE(drop_caches_is_write_only)
{
    struct stat st;
    EXPECT_EQ(stat(DROP_CACHES, &st), 0);
    EXPECT(S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_mode & 07777, 0200);
    EXPECT_ERRNO(open(DROP_CACHES, O_RDONLY), EACCES);
    EXPECT_ERRNO(open(DROP_CACHES, O_RDWR), EACCES);
    EXPECT(dir_has("/proc", "sys"));
    EXPECT(dir_has("/proc/sys", "vm"));
    EXPECT(dir_has("/proc/sys/vm", "drop_caches"));
    struct stat sys, up;
    EXPECT_EQ(stat("/proc/sys", &sys), 0);
    EXPECT(S_ISDIR(sys.st_mode));
    EXPECT_EQ(stat("/proc/sys/vm/..", &up), 0);
    EXPECT_EQ(up.st_ino, sys.st_ino);
    int fd = open(DROP_CACHES, O_WRONLY | O_TRUNC); /* as the shell's '>' */
    EXPECT(fd >= 0);
    char c;
    EXPECT_ERRNO(read(fd, &c, 1), EBADF);
    EXPECT_ERRNO(fsync(fd), EINVAL); /* no /proc file has an fsync */
    EXPECT_EQ(ftruncate(fd, 0), 0);
    close(fd);
}

TEST_CASE(drop_caches_takes_1_to_4)
{
    EXPECT_EQ(write_drop_caches("3"), 1);
    EXPECT_EQ(write_drop_caches("3\n"), 2);
    EXPECT_EQ(write_drop_caches("1"), 1);
    EXPECT_EQ(write_drop_caches(" 2\n"), 3);
    EXPECT_EQ(write_drop_caches("4"), 1); /* Linux: stop logging; nothing dropped */
    EXPECT_EQ(write_drop_caches(""), 0);
    EXPECT_EQ(write_drop_caches("0"), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(write_drop_caches("x"), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(write_drop_caches("3x"), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(write_drop_caches("-1"), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(write_drop_caches("\n"), -1);
    EXPECT_EQ(errno, EINVAL);
    /* Mainline Linux's range is 1..4 too, but some vendor kernels take more. */
    if (harness_on_teachos()) {
        EXPECT_EQ(write_drop_caches("5"), -1);
        EXPECT_EQ(errno, EINVAL);
    }
}

/* /proc/vmstat counts the drops (Linux's drop_pagecache, drop_slab); other
 * programs may drop meanwhile, so "at least". */
TEST_CASE(drop_caches_counted_in_vmstat)
{
    long pagecache = vmstat_value("drop_pagecache"), slab = vmstat_value("drop_slab");
    EXPECT(pagecache >= 0 && slab >= 0);
    EXPECT_EQ(write_drop_caches("1\n"), 2);
    EXPECT(vmstat_value("drop_pagecache") >= pagecache + 1);
    EXPECT_EQ(write_drop_caches("2\n"), 2);
    EXPECT(vmstat_value("drop_slab") >= slab + 1);
    long before = vmstat_value("drop_pagecache");
    EXPECT_EQ(write_drop_caches("0"), -1);
    if (harness_on_teachos())
        EXPECT_EQ(vmstat_value("drop_pagecache"), before);
}

/* A /proc directory is made afresh at every lookup, so a mount on it could
 * be neither seen nor unmounted: teachos refuses it (EINVAL;
 * fs/vfs/vnode.h:can_be_mount_point). Linux allows it -- not checked there. */
TEST_CASE(no_mount_inside_proc)
{
    if (!harness_on_teachos())
        return;
    char dir[32];
    snprintf(dir, sizeof dir, "/proc/%d", (int)getpid());
    EXPECT_ERRNO(mount("x", dir, "tmpfs", 0, ""), EINVAL);
}

TEST_CASE(vanished_pid_is_enoent)
{
    char text[64];
    EXPECT_EQ(read_file("/proc/999999/stat", text, sizeof text), -1);
    EXPECT_ERRNO(open("/proc/999999/stat", O_RDONLY), ENOENT);
    EXPECT_ERRNO(open("/proc/self/no_such_file", O_RDONLY), ENOENT);
    EXPECT_ERRNO(open("/proc/12abc", O_RDONLY), ENOENT);
}

/* ---- /proc/<pid>/maps ---- */

#define PAGE 4096ul

/* One line of maps, parsed. */
struct maps_line {
    unsigned long start, end, offset;
    char perms[5];
    char name[64]; /* "" for none */
};

/* Parse the line at `text` into *l; checks Linux's layout on the way
 * (lowercase hex of 8 digits or more, rwx-/ps perms, the name at column
 * 73 after the padding, no trailing space after a name).
 * Returns the start of the next line, or 0 at the end or on a malformed line. */
static const char* parse_maps_line(const char* text, struct maps_line* l, int* well_formed)
{
    const char* eol = strchr(text, '\n');
    if (!*text || !eol)
        return 0;
    unsigned int major, minor;
    unsigned long inode;
    int at = -1, addr_digits = -1;
    sscanf(text, "%*[0-9a-f]%n", &addr_digits);
    if (sscanf(text, "%lx-%lx %4s %lx %x:%x %lu %n", &l->start, &l->end, l->perms, &l->offset, &major,
               &minor, &inode, &at) != 7 || at < 0 || addr_digits < 8)
        *well_formed = 0;
    const char* p = l->perms;
    if (strlen(p) != 4 || (p[0] != 'r' && p[0] != '-') || (p[1] != 'w' && p[1] != '-') ||
        (p[2] != 'x' && p[2] != '-') || (p[3] != 'p' && p[3] != 's'))
        *well_formed = 0;
    l->name[0] = 0;
    if (at > 0 && text + at < eol) {
        /* Padded to 72 columns, then one space: the name at column 73. */
        if (at < 73 && text + 73 <= eol)
            at = 73;
        size_t n = (size_t)(eol - (text + at));
        if (n >= sizeof l->name)
            n = sizeof l->name - 1;
        memcpy(l->name, text + at, n);
        l->name[n] = 0;
        if (text[at - 1] != ' ' || l->name[0] == ' ')
            *well_formed = 0;
    } else if (eol[-1] != ' ') {
        *well_formed = 0; /* no name: the line ends with the space after the inode */
    }
    return eol + 1;
}

static char maps_text[32768];

/* Read `path` and find the line that contains address `va`. Returns 1 if found. */
static int find_mapping(const char* path, unsigned long va, struct maps_line* out)
{
    if (read_file(path, maps_text, sizeof maps_text) <= 0)
        return 0;
    struct maps_line l;
    int ok = 1;
    for (const char* p = maps_text; (p = parse_maps_line(p, &l, &ok)) != 0;)
        if (l.start <= va && va < l.end) {
            *out = l;
            return 1;
        }
    return 0;
}

TEST_CASE(maps_lines_sorted_and_well_formed)
{
    EXPECT(read_file("/proc/self/maps", maps_text, sizeof maps_text) > 0);
    struct maps_line l;
    int ok = 1, lines = 0, stack = 0;
    unsigned long prev_end = 0;
    for (const char* p = maps_text; (p = parse_maps_line(p, &l, &ok)) != 0; ++lines) {
        EXPECT(ok);
        EXPECT(l.start < l.end && l.start % PAGE == 0 && l.end % PAGE == 0);
        EXPECT(l.start >= prev_end);
        prev_end = l.end;
        if (strcmp(l.name, "[stack]") == 0) {
            unsigned long sp = (unsigned long)&l;
            EXPECT(l.start <= sp && sp < l.end);
            EXPECT_EQ(strcmp(l.perms, "rw-p"), 0);
            ++stack;
        }
    }
    EXPECT(lines >= 3);
    EXPECT_EQ(stack, 1);
    /* The code of this program: its own address is in an r-x private mapping. */
    EXPECT(find_mapping("/proc/self/maps", (unsigned long)&read_file, &l));
    EXPECT_EQ(strcmp(l.perms, "r-xp"), 0);
}

/* Five pages, the middle three readable: PROT_NONE guards on both sides keep
 * the kernel from merging it with a neighbour. Returns the first readable page. */
static char* guarded_readable_pages(void)
{
    char* base = mmap(0, 5 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(base != MAP_FAILED);
    char* mid = mmap(base + PAGE, 3 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    EXPECT(mid == base + PAGE);
    return mid;
}

TEST_CASE(maps_follows_mmap_mprotect_munmap)
{
    char* mid = guarded_readable_pages();
    unsigned long a = (unsigned long)mid;
    struct maps_line l;
    EXPECT(find_mapping("/proc/self/maps", a, &l));
    EXPECT_EQ(l.start, a);
    EXPECT_EQ(l.end, a + 3 * PAGE);
    EXPECT_EQ(strcmp(l.perms, "r--p"), 0);
    EXPECT_EQ(l.offset, 0);
    EXPECT_EQ(l.name[0], 0);
    EXPECT(find_mapping("/proc/self/maps", a - PAGE, &l));
    EXPECT_EQ(strcmp(l.perms, "---p"), 0);

    EXPECT_EQ(mprotect(mid + PAGE, PAGE, PROT_READ | PROT_WRITE), 0);
    EXPECT(find_mapping("/proc/self/maps", a + PAGE, &l));
    EXPECT_EQ(l.start, a + PAGE);
    EXPECT_EQ(l.end, a + 2 * PAGE);
    EXPECT_EQ(strcmp(l.perms, "rw-p"), 0);
    EXPECT(find_mapping("/proc/self/maps", a, &l));
    EXPECT_EQ(l.end, a + PAGE);
    EXPECT_EQ(strcmp(l.perms, "r--p"), 0);
    EXPECT(find_mapping("/proc/self/maps", a + 2 * PAGE, &l));
    EXPECT_EQ(l.start, a + 2 * PAGE);
    EXPECT_EQ(strcmp(l.perms, "r--p"), 0);

    EXPECT_EQ(munmap(mid + PAGE, PAGE), 0);
    EXPECT(!find_mapping("/proc/self/maps", a + PAGE, &l));
    EXPECT_EQ(munmap(mid - PAGE, 5 * PAGE), 0);
    EXPECT(!find_mapping("/proc/self/maps", a, &l));
    EXPECT(!find_mapping("/proc/self/maps", a - PAGE, &l));
}

TEST_CASE(maps_shared_is_s)
{
    char* p = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    EXPECT(p != MAP_FAILED);
    struct maps_line l;
    EXPECT(find_mapping("/proc/self/maps", (unsigned long)p, &l));
    EXPECT(l.start <= (unsigned long)p && (unsigned long)p + 2 * PAGE <= l.end);
    EXPECT_EQ(strcmp(l.perms, "rw-s"), 0);
    EXPECT_EQ(munmap(p, 2 * PAGE), 0);
}

TEST_CASE(maps_heap_after_brk)
{
    /* musl's sbrk only answers sbrk(0): move the break with the system call. */
    unsigned long start = (unsigned long)syscall(SYS_brk, 0);
    EXPECT_EQ((unsigned long)syscall(SYS_brk, start + 3 * PAGE), start + 3 * PAGE);
    ((volatile char*)start)[0] = 1;
    struct maps_line l;
    EXPECT(find_mapping("/proc/self/maps", start, &l));
    EXPECT_EQ(strcmp(l.name, "[heap]"), 0);
    EXPECT_EQ(strcmp(l.perms, "rw-p"), 0);
    EXPECT(l.end >= start + 3 * PAGE);
}

TEST_CASE(maps_of_child_then_zombie)
{
    int ready[2], mapped[2];
    EXPECT_EQ(pipe(ready), 0);
    EXPECT_EQ(pipe(mapped), 0);
    pid_t child = fork();
    if (child == 0) {
        char c;
        close(ready[1]);
        char* mid = guarded_readable_pages();
        (void)write(mapped[1], &mid, sizeof mid);
        (void)read(ready[0], &c, 1); /* until the parent closes its end */
        _exit(0);
    }
    EXPECT(child > 0);
    close(ready[0]);
    char* mid = 0;
    EXPECT_EQ(read(mapped[0], &mid, sizeof mid), (long)sizeof mid);
    char path[64], text[64];
    snprintf(path, sizeof path, "/proc/%d/maps", (int)child);
    struct maps_line l;
    EXPECT(find_mapping(path, (unsigned long)mid, &l));
    EXPECT_EQ(l.start, (unsigned long)mid);
    EXPECT_EQ(l.end, (unsigned long)mid + 3 * PAGE);
    EXPECT_EQ(strcmp(l.perms, "r--p"), 0);
    close(ready[1]);
    for (int i = 0; i < 500 && state_of(child) != 'Z'; ++i) {
        struct timespec t = {0, 10 * 1000 * 1000};
        nanosleep(&t, 0);
    }
    EXPECT_EQ(state_of(child), 'Z');
    EXPECT_EQ(read_file(path, text, sizeof text), 0); /* a zombie has no memory */
    int status;
    EXPECT_EQ(waitpid(child, &status, 0), child);
    EXPECT_ERRNO(open(path, O_RDONLY), ENOENT);
}

/* ---- /proc/<pid>/smaps ---- */

/* The smaps record of the entry starting at `start`: its first field line,
 * or 0. Reads /proc/self/smaps into maps_text. */
static const char* smaps_record(unsigned long start)
{
    if (read_file("/proc/self/smaps", maps_text, sizeof maps_text) <= 0)
        return 0;
    char head[32];
    snprintf(head, sizeof head, "%08lx-", start);
    for (const char* line = maps_text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : 0)
        if (strncmp(line, head, strlen(head)) == 0)
            return strchr(line, '\n') + 1;
    return 0;
}

/* The value of "Name:" in the record at `record` (up to its VmFlags line), in kB, or -1. */
static long smaps_kb(const char* record, const char* name)
{
    size_t len = strlen(name);
    for (const char* line = record; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : 0) {
        if (strncmp(line, name, len) == 0 && line[len] == ':') {
            long kb = -1;
            char unit[4] = "";
            if (sscanf(line + len + 1, "%ld %3s", &kb, unit) != 2 || strcmp(unit, "kB") != 0)
                return -1;
            return kb;
        }
        if (strncmp(line, "VmFlags:", 8) == 0)
            break;
    }
    return -1;
}

/* Four guarded read-write pages, the first two written. */
static char* guarded_written_pages(void)
{
    char* base = mmap(0, 6 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(base != MAP_FAILED);
    char* p = mmap(base + PAGE, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    EXPECT(p == base + PAGE);
    p[0] = 1;
    p[PAGE] = 2;
    return p;
}

TEST_CASE(smaps_counts_resident_pages)
{
    char* p = guarded_written_pages();
    const char* r = smaps_record((unsigned long)p);
    EXPECT(r != 0);
    EXPECT(strncmp(r, "Size:                 16 kB\n", 28) == 0); /* Linux's padding */
    EXPECT_EQ(smaps_kb(r, "KernelPageSize"), 4);
    EXPECT_EQ(smaps_kb(r, "Rss"), 8);
    EXPECT_EQ(smaps_kb(r, "Pss"), 8);
    EXPECT_EQ(smaps_kb(r, "Anonymous"), 8);
    EXPECT_EQ(smaps_kb(r, "Private_Clean") + smaps_kb(r, "Private_Dirty"), 8);
    EXPECT_EQ(smaps_kb(r, "Shared_Clean") + smaps_kb(r, "Shared_Dirty"), 0);
    EXPECT_EQ(smaps_kb(r, "Swap"), 0);
    EXPECT_EQ(smaps_kb(r, "Locked"), 0);
    const char* flags = strstr(r, "\nVmFlags: rd wr ");
    EXPECT(flags != 0);
    /* Every record of the file has the same fields: count Size and VmFlags. */
    int sizes = 0, vmflags = 0;
    for (const char* line = maps_text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : 0) {
        sizes += strncmp(line, "Size:", 5) == 0;
        vmflags += strncmp(line, "VmFlags:", 8) == 0;
    }
    EXPECT(sizes > 3);
    EXPECT_EQ(sizes, vmflags);
    EXPECT_EQ(munmap(p - PAGE, 6 * PAGE), 0);
}

TEST_CASE(smaps_splits_pages_shared_with_a_child)
{
    char* p = guarded_written_pages();
    int ready[2], done[2];
    EXPECT_EQ(pipe(ready), 0);
    EXPECT_EQ(pipe(done), 0);
    pid_t child = fork();
    if (child == 0) {
        close(ready[1]);
        char c = (char)(p[0] + p[PAGE]); /* map both pages in the child too */
        (void)write(done[1], &c, 1);
        (void)read(ready[0], &c, 1);
        _exit(0);
    }
    EXPECT(child > 0);
    char c;
    EXPECT_EQ(read(done[0], &c, 1), 1);
    EXPECT_EQ(c, 3);
    const char* r = smaps_record((unsigned long)p);
    EXPECT(r != 0);
    EXPECT_EQ(smaps_kb(r, "Rss"), 8);
    EXPECT_EQ(smaps_kb(r, "Pss"), 4); /* each page is half ours */
    EXPECT_EQ(smaps_kb(r, "Shared_Clean") + smaps_kb(r, "Shared_Dirty"), 8);
    close(ready[1]);
    int status;
    EXPECT_EQ(waitpid(child, &status, 0), child);
    EXPECT_EQ(munmap(p - PAGE, 6 * PAGE), 0);
}

int main(void) { return run_suite("procfs"); }
