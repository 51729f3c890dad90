/* user/tests/procfs_test.c -- /proc: self, per-process stat, cmdline and exe, meminfo, mounts,
 * uptime, read-only.
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
 * exercise reads at offsets past 0. => bytes, or -1. */
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

/* readlink into buf (NUL-terminated). => its length, or -1. */
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

int main(void) { return run_suite("procfs"); }
