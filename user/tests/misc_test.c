/* user/tests/misc_test.c -- the small system calls of kernel/top/syscall/sys_cred.cpp, sys_resource.cpp, sys_system.cpp, from user space.
 *
 * Names (uname), identities (get/set*id, getgroups), getrandom,
 * set_robust_list, rseq, resource limits (getrlimit, setrlimit, prlimit64),
 * sysinfo, reboot's argument checks, and TIOCSPGRP's choice of group (in a
 * session of its own, on a pseudo-terminal on Linux, the console on
 * teachos) -- each with its error paths: EFAULT for a pointer into the
 * unmapped first page ((void*)1) and for one into the kernel half
 * (0xffff800000000000), EINVAL for a bad flag or value. Time -- clocks,
 * sleeps, timers, CPU-time accounting -- is in time_test.c.
 *
 * The error paths call the kernel through syscall(2), not the C library's
 * wrapper, so both libraries hand the kernel the same arguments.
 *
 * It passes on Linux too (built with gcc, as root -- the identity cases
 * assume uid 0, as in the guest): `gcc -O2 -Wall -Wextra -Werror
 * user/tests/misc_test.c -o /tmp/mt && /tmp/mt`. Where teachos answers a
 * fixed value (its name, its limits, EPERM for another uid) the check is
 * made only when uname says "teachos". Never a successful reboot: that
 * would end the run (or the host).
 *
 * Sources: the man pages of each call (section 2); the harness: harness.h.
 */
#define _GNU_SOURCE
#include "harness.h"

#include <poll.h>
#include <signal.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <termios.h>
#include <time.h>

#define BAD_LOW ((void*)1)                           /* the unmapped first page */
#define BAD_KERNEL ((void*)0xffff800000000000ull)    /* the kernel half */

static int s_on_teachos;

/* ---- uname ---- */

TEST_CASE(uname_names_the_system)
{
    struct utsname u;
    EXPECT_EQ(uname(&u), 0);
    EXPECT(strcmp(u.machine, "x86_64") == 0);
    EXPECT(u.sysname[0] && u.release[0] && u.version[0] && u.nodename[0]);
    if (s_on_teachos) {
        EXPECT(strcmp(u.sysname, "teachos") == 0);
        EXPECT(strcmp(u.nodename, "teachos") == 0);
        EXPECT(strcmp(u.release, "0.1") == 0);
    }
}

TEST_CASE(uname_bad_pointer)
{
    EXPECT_ERRNO(syscall(SYS_uname, BAD_LOW), EFAULT);
    EXPECT_ERRNO(syscall(SYS_uname, BAD_KERNEL), EFAULT);
    EXPECT_ERRNO(syscall(SYS_uname, NULL), EFAULT);
}

/* ---- identities (root) ---- */

TEST_CASE(ids_are_root)
{
    uid_t u = getuid();
    gid_t g = getgid();
    EXPECT_EQ(u, 0);
    EXPECT_EQ(geteuid(), u);
    EXPECT_EQ(getegid(), g);
    uid_t r = 9, e = 9, s = 9;
    EXPECT_EQ(getresuid(&r, &e, &s), 0);
    EXPECT(r == u && e == u && s == u);
    gid_t rg = 9, eg = 9, sg = 9;
    EXPECT_EQ(getresgid(&rg, &eg, &sg), 0);
    EXPECT(rg == g && eg == g && sg == g);
    EXPECT_ERRNO(syscall(SYS_getresuid, BAD_LOW, &e, &s), EFAULT);
    EXPECT_ERRNO(syscall(SYS_getresgid, &rg, &eg, BAD_KERNEL), EFAULT);
}

TEST_CASE(set_ids_to_themselves)
{
    EXPECT_EQ(syscall(SYS_setuid, 0), 0);
    EXPECT_EQ(syscall(SYS_setgid, 0), 0);
    EXPECT_EQ(syscall(SYS_setreuid, -1, -1), 0);
    EXPECT_EQ(syscall(SYS_setregid, -1, 0), 0);
    EXPECT_EQ(syscall(SYS_setresuid, -1, 0, -1), 0);
    EXPECT_EQ(syscall(SYS_setresgid, 0, -1, 0), 0);
    EXPECT_ERRNO(syscall(SYS_setuid, -1), EINVAL);
    EXPECT_ERRNO(syscall(SYS_setgid, -1), EINVAL);
    if (s_on_teachos) { /* one user only: becoming another is refused */
        EXPECT_ERRNO(syscall(SYS_setuid, 1000), EPERM);
        EXPECT_ERRNO(syscall(SYS_setresgid, -1, 1000, -1), EPERM);
    }
    EXPECT_EQ(getuid(), 0);
}

TEST_CASE(getgroups_and_setgroups)
{
    int n = getgroups(0, NULL);
    EXPECT(n >= 0);
    if (s_on_teachos)
        EXPECT_EQ(n, 0);
    EXPECT_ERRNO(syscall(SYS_getgroups, -1, NULL), EINVAL);
    gid_t root = 0;
    EXPECT_EQ(syscall(SYS_setgroups, 1, &root), 0);
    EXPECT_EQ(syscall(SYS_setgroups, 0, NULL), 0);
    EXPECT_ERRNO(syscall(SYS_setgroups, 1, BAD_LOW), EFAULT);
    EXPECT_ERRNO(syscall(SYS_setgroups, 1 << 20, &root), EINVAL);
}

/* ---- randomness ---- */

TEST_CASE(getrandom_fills)
{
    unsigned char a[64], b[64];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    EXPECT_EQ(getrandom(a, sizeof a, 0), (long)sizeof a);
    EXPECT_EQ(getrandom(b, sizeof b, GRND_NONBLOCK), (long)sizeof b);
    EXPECT(memcmp(a, b, sizeof a) != 0);
    EXPECT_EQ(getrandom(b, 16, GRND_RANDOM), 16);
    EXPECT_EQ(getrandom(b, 16, GRND_RANDOM | GRND_NONBLOCK), 16);
    EXPECT_EQ(getrandom(b, 0, 0), 0);
    static unsigned char big[100000];
    EXPECT_EQ(getrandom(big, sizeof big, 0), (long)sizeof big);
}

TEST_CASE(getrandom_errors)
{
    unsigned char buf[16];
    EXPECT_ERRNO(syscall(SYS_getrandom, buf, sizeof buf, 0x100), EINVAL);
    EXPECT_ERRNO(syscall(SYS_getrandom, buf, sizeof buf, -1), EINVAL);
    EXPECT_ERRNO(syscall(SYS_getrandom, BAD_LOW, 16, 0), EFAULT);
    EXPECT_ERRNO(syscall(SYS_getrandom, BAD_KERNEL, 16, 0), EFAULT);
}

/* ---- what a C library sets up ---- */

TEST_CASE(set_robust_list_checks_length)
{
    struct {
        void* next;
        long offset;
        void* pending;
    } head = {&head, 0, NULL}; /* an empty list: next points at itself */
    EXPECT_EQ(syscall(SYS_set_robust_list, &head, sizeof head), 0);
    EXPECT_ERRNO(syscall(SYS_set_robust_list, &head, sizeof head + 1), EINVAL);
}

TEST_CASE(rseq_refused_or_busy)
{
    /* teachos: ENOSYS; Linux: the C library registered one already. */
    EXPECT_EQ(syscall(SYS_rseq, NULL, 0, 0, 0), -1);
}

/* ---- resource limits ---- */

TEST_CASE(rlimits_are_sensible)
{
    struct rlimit rl;
    EXPECT_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
    EXPECT(rl.rlim_cur >= 64 && rl.rlim_cur <= rl.rlim_max);
    EXPECT_EQ(getrlimit(RLIMIT_STACK, &rl), 0);
    EXPECT(rl.rlim_cur >= (1u << 20));
    EXPECT_EQ(getrlimit(RLIMIT_AS, &rl), 0);
    if (s_on_teachos) {
        EXPECT_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
        EXPECT(rl.rlim_cur == 1024 && rl.rlim_max == 4096);
        EXPECT_EQ(getrlimit(RLIMIT_STACK, &rl), 0);
        EXPECT(rl.rlim_cur == 8u << 20 && rl.rlim_max == RLIM_INFINITY);
        EXPECT_EQ(getrlimit(RLIMIT_AS, &rl), 0);
        EXPECT(rl.rlim_cur == RLIM_INFINITY);
    }
}

TEST_CASE(rlimits_set_and_errors)
{
    struct rlimit rl, old;
    EXPECT_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
    EXPECT_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
    struct rlimit lower = {64, rl.rlim_max};
    EXPECT_EQ(syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &lower, &old), 0);
    EXPECT_EQ(old.rlim_max, rl.rlim_max);
    struct rlimit inverted = {100, 10};
    EXPECT_ERRNO(setrlimit(RLIMIT_NOFILE, &inverted), EINVAL);
    EXPECT_ERRNO(syscall(SYS_getrlimit, 999, &rl), EINVAL);
    EXPECT_ERRNO(syscall(SYS_getrlimit, RLIMIT_NOFILE, BAD_LOW), EFAULT);
    EXPECT_ERRNO(syscall(SYS_setrlimit, RLIMIT_NOFILE, BAD_KERNEL), EFAULT);
    EXPECT_ERRNO(syscall(SYS_prlimit64, 0, RLIMIT_CORE, NULL, BAD_LOW), EFAULT);
    EXPECT_ERRNO(syscall(SYS_prlimit64, 0x7ffffff0, RLIMIT_NOFILE, NULL, &old), ESRCH);
    EXPECT_EQ(syscall(SYS_prlimit64, getpid(), RLIMIT_STACK, NULL, &old), 0);
}

/* ---- accounting ---- */

TEST_CASE(sysinfo_reports_memory)
{
    struct sysinfo si;
    memset(&si, 0xff, sizeof si);
    EXPECT_EQ(sysinfo(&si), 0);
    EXPECT(si.mem_unit >= 1);
    EXPECT(si.totalram > 0);
    EXPECT(si.freeram > 0 && si.freeram <= si.totalram);
    EXPECT(si.procs >= 1);
    if (s_on_teachos) {
        EXPECT_EQ(si.mem_unit, 1);
        EXPECT(si.uptime >= 1); /* rounded up */
    }
    EXPECT_ERRNO(syscall(SYS_sysinfo, BAD_LOW), EFAULT);
    EXPECT_ERRNO(syscall(SYS_sysinfo, BAD_KERNEL), EFAULT);
}

/* Touching 64 MiB takes free memory; on teachos munmap gives it back at
 * once (Linux parks freed pages in per-CPU lists its count leaves out). */
TEST_CASE(sysinfo_free_memory_comes_back)
{
    struct sysinfo before, during, after;
    EXPECT_EQ(sysinfo(&before), 0);
    size_t size = 64 << 20; /* far above anything else moving in this process */
    char* p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(p != MAP_FAILED);
    for (size_t off = 0; off < size; off += 4096)
        p[off] = 1;
    EXPECT_EQ(sysinfo(&during), 0);
    EXPECT(during.freeram * during.mem_unit + size / 2 <= before.freeram * before.mem_unit);
    EXPECT_EQ(munmap(p, size), 0);
    EXPECT_EQ(sysinfo(&after), 0);
    if (s_on_teachos)
        EXPECT(after.freeram * after.mem_unit >= during.freeram * during.mem_unit + size);
}

/* ---- reboot: only the refusals (a success would end the machine) ---- */

TEST_CASE(reboot_refuses_bad_magic)
{
    const long magic1 = 0xfee1dead, magic2 = 672274793, power_off = 0x4321fedc;
    EXPECT_ERRNO(syscall(SYS_reboot, 0x12345678, magic2, power_off, NULL), EINVAL);
    EXPECT_ERRNO(syscall(SYS_reboot, magic1, 0x12345678, power_off, NULL), EINVAL);
    EXPECT_ERRNO(syscall(SYS_reboot, magic1, magic2, 0x12345678, NULL), EINVAL);
}

/* ---- TIOCSPGRP (fs/dev/tty.cpp) ---- */

static int s_pty_master = -1; /* kept open: closing it would hang up the terminal */

/* Make the caller (not a group leader) a session leader with a controlling
 * terminal: on Linux a pseudo-terminal (opened by a session leader that has
 * none, it becomes the controlling one), on teachos, which has no ptys,
 * the console, taken with TIOCSCTTY. Returns its descriptor, or -1. */
static int own_terminal(void)
{
    if (setsid() < 0)
        return -1;
    if (!harness_on_teachos()) {
        s_pty_master = posix_openpt(O_RDWR | O_NOCTTY);
        if (s_pty_master < 0 || grantpt(s_pty_master) < 0 || unlockpt(s_pty_master) < 0)
            return -1;
        const char* name = ptsname(s_pty_master);
        return name ? open(name, O_RDWR) : -1;
    }
    int fd = open("/dev/console", O_RDWR);
    if (fd >= 0 && ioctl(fd, TIOCSCTTY, 1) < 0)
        return -1;
    return fd;
}

/* TIOCSPGRP takes a group of the caller's session only: another session's
 * group is EPERM, a number nobody has ESRCH, a negative one EINVAL. An
 * empty group whose number is the pid of a process of the session is
 * accepted, as Linux's session_of_pgrp falls back to that process. The
 * case runs in a new session of its own, and its leader's exit gives the
 * terminal back. */
TEST_CASE(tiocspgrp_wants_a_group_of_the_session)
{
    pid_t outside = getpgrp(); /* the harness's group: another session soon */
    signal(SIGTTOU, SIG_IGN);  /* set the foreground from the background too */
    int fd = own_terminal();
    EXPECT(fd >= 0);
    pid_t self = getpid();
    EXPECT_EQ(tcgetpgrp(fd), self);
    int bad = -1;
    EXPECT_ERRNO(ioctl(fd, TIOCSPGRP, &bad), EINVAL);
    EXPECT_ERRNO(tcsetpgrp(fd, outside), EPERM);
    EXPECT_ERRNO(tcsetpgrp(fd, 0x7ffffff0), ESRCH); /* above any pid */
    int go[2];
    EXPECT_EQ(pipe(go), 0);
    pid_t child = fork();
    if (child == 0) { /* a group of its own, in this session */
        char c;
        setpgid(0, 0);
        _exit(read(go[0], &c, 1) == 1 ? 0 : 1);
    }
    EXPECT(child > 0);
    setpgid(child, child); /* either of the two may run first */
    EXPECT_EQ(tcsetpgrp(fd, child), 0);
    EXPECT_EQ(tcgetpgrp(fd), child);
    EXPECT_EQ(tcsetpgrp(fd, self), 0);
    pid_t member = fork(); /* in this group: no group has its number */
    if (member == 0) {
        char c;
        _exit(read(go[0], &c, 1) == 1 ? 0 : 1);
    }
    EXPECT(member > 0);
    EXPECT_EQ(tcsetpgrp(fd, member), 0);
    EXPECT_EQ(tcsetpgrp(fd, self), 0);
    EXPECT_EQ(write(go[1], "gg", 2), 2);
    int status;
    EXPECT_EQ(waitpid(child, &status, 0), child);
    EXPECT_EQ(status, 0);
    EXPECT_EQ(waitpid(member, &status, 0), member);
    EXPECT_EQ(status, 0);
    EXPECT_ERRNO(tcsetpgrp(fd, child), ESRCH); /* reaped: the number is free */
    close(fd);
}

int main(void)
{
    s_on_teachos = harness_on_teachos();
    return run_suite("misc");
}
