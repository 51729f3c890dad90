/* user/tests/time_test.c -- clocks, sleeps, timers and CPU time, from user space.
 *
 * Clocks (clock_gettime, clock_getres, gettimeofday, time), sleeping
 * (nanosleep, clock_nanosleep, a signal that cuts a sleep short; a stop
 * and continue, or an ignored signal, that neither ends it nor makes it
 * longer -- nor a poll's timeout: restart_syscall continues each to its
 * first deadline), sched_yield, setitimer's NULL value, and CPU-time
 * accounting (times, getrusage; CPU time of a busy loop, of system calls,
 * of a sleep, of reaped children and grandchildren through wait4's rusage,
 * RUSAGE_CHILDREN and tms_cutime; page faults and ru_maxrss) -- each with
 * its error paths (EFAULT, EINVAL for a bad clock or value). The calls are
 * kernel/top/syscall/sys_time.cpp's, kernel/top/proc/alarm.cpp's and
 * kernel/base/sched/cputime.cpp's accounting.
 *
 * The error paths call the kernel through syscall(2): on Linux, glibc
 * answers clock_gettime, gettimeofday and time from the vDSO in user space,
 * where a bad pointer is a SIGSEGV, not EFAULT.
 *
 * It passes on Linux too: `gcc -O2 -Wall -Wextra -Werror
 * user/tests/time_test.c -o /tmp/tt && /tmp/tt`.
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
#define NS_PER_SEC 1000000000ll

static int s_on_teachos;

static long long ns_of(const struct timespec* ts) { return ts->tv_sec * NS_PER_SEC + ts->tv_nsec; }

static long long monotonic_ns(void)
{
    struct timespec ts;
    EXPECT_EQ(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
    return ns_of(&ts);
}

/* ---- clocks ---- */

TEST_CASE(clock_gettime_every_clock)
{
    static const clockid_t clocks[] = {CLOCK_REALTIME,         CLOCK_MONOTONIC,
                                       CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID,
                                       CLOCK_MONOTONIC_RAW,    CLOCK_REALTIME_COARSE,
                                       CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME};
    for (size_t i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        struct timespec ts = {-1, -1};
        EXPECT_EQ(syscall(SYS_clock_gettime, clocks[i], &ts), 0);
        EXPECT(ts.tv_sec >= 0);
        EXPECT(ts.tv_nsec >= 0 && ts.tv_nsec < NS_PER_SEC);
    }
}

TEST_CASE(clock_monotonic_never_goes_back)
{
    long long last = monotonic_ns();
    for (int i = 0; i < 1000; i++) {
        long long now = monotonic_ns();
        EXPECT(now >= last);
        last = now;
    }
}

TEST_CASE(clock_realtime_is_a_date)
{
    struct timespec ts;
    EXPECT_EQ(clock_gettime(CLOCK_REALTIME, &ts), 0);
    EXPECT(ts.tv_sec > 1577836800); /* after 2020-01-01: the RTC was read */
    struct timeval tv;
    EXPECT_EQ(gettimeofday(&tv, NULL), 0);
    EXPECT(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    EXPECT(tv.tv_sec >= ts.tv_sec && tv.tv_sec <= ts.tv_sec + 2);
    time_t t = time(NULL);
    EXPECT(t >= ts.tv_sec && t <= ts.tv_sec + 2);
}

TEST_CASE(clock_gettime_errors)
{
    struct timespec ts;
    EXPECT_ERRNO(syscall(SYS_clock_gettime, 100, &ts), EINVAL);
    EXPECT_ERRNO(syscall(SYS_clock_gettime, 10, &ts), EINVAL); /* CLOCK_SGI_CYCLE: gone */
    EXPECT_ERRNO(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, BAD_LOW), EFAULT);
    EXPECT_ERRNO(syscall(SYS_clock_gettime, CLOCK_REALTIME, BAD_KERNEL), EFAULT);
}

TEST_CASE(clock_getres_values_and_errors)
{
    struct timespec res;
    EXPECT_EQ(clock_getres(CLOCK_MONOTONIC, &res), 0);
    EXPECT(res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 10000000);
    EXPECT_EQ(clock_getres(CLOCK_MONOTONIC_COARSE, &res), 0);
    EXPECT(res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 100000000);
    EXPECT_EQ(syscall(SYS_clock_getres, CLOCK_REALTIME, NULL), 0);
    EXPECT_ERRNO(syscall(SYS_clock_getres, 100, &res), EINVAL);
    EXPECT_ERRNO(syscall(SYS_clock_getres, CLOCK_MONOTONIC, BAD_LOW), EFAULT);
    EXPECT_ERRNO(syscall(SYS_clock_getres, CLOCK_MONOTONIC, BAD_KERNEL), EFAULT);
}

TEST_CASE(gettimeofday_and_time_errors)
{
    struct timeval tv;
    struct timezone tz = {99, 99};
    EXPECT_EQ(syscall(SYS_gettimeofday, &tv, &tz), 0);
    EXPECT_EQ(syscall(SYS_gettimeofday, NULL, NULL), 0);
    EXPECT_ERRNO(syscall(SYS_gettimeofday, BAD_LOW, NULL), EFAULT);
    EXPECT_ERRNO(syscall(SYS_gettimeofday, &tv, BAD_KERNEL), EFAULT);
    time_t t = 0;
    long r = syscall(SYS_time, &t);
    EXPECT(r > 1577836800 && r == t);
    EXPECT(syscall(SYS_time, NULL) >= r);
    EXPECT_ERRNO(syscall(SYS_time, BAD_LOW), EFAULT);
    EXPECT_ERRNO(syscall(SYS_time, BAD_KERNEL), EFAULT);
}

/* ---- sleeping ---- */

TEST_CASE(nanosleep_sleeps_long_enough)
{
    struct timespec req = {0, 30 * 1000 * 1000};
    long long start = monotonic_ns();
    EXPECT_EQ(nanosleep(&req, NULL), 0);
    long long slept = monotonic_ns() - start;
    EXPECT(slept >= 30 * 1000 * 1000);
    EXPECT(slept < 2 * NS_PER_SEC);
    struct timespec zero = {0, 0};
    EXPECT_EQ(nanosleep(&zero, NULL), 0);
}

TEST_CASE(nanosleep_errors)
{
    struct timespec bad_ns = {0, NS_PER_SEC}, negative_ns = {0, -1}, negative_s = {-1, 0};
    EXPECT_ERRNO(syscall(SYS_nanosleep, &bad_ns, NULL), EINVAL);
    EXPECT_ERRNO(syscall(SYS_nanosleep, &negative_ns, NULL), EINVAL);
    EXPECT_ERRNO(syscall(SYS_nanosleep, &negative_s, NULL), EINVAL);
    EXPECT_ERRNO(syscall(SYS_nanosleep, BAD_LOW, NULL), EFAULT);
    EXPECT_ERRNO(syscall(SYS_nanosleep, BAD_KERNEL, NULL), EFAULT);
}

static void on_usr1(int sig) { (void)sig; }

/* A child sends SIGUSR1 while we sleep 5 s: EINTR, and the time left. */
TEST_CASE(nanosleep_interrupted_reports_time_left)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1; /* no SA_RESTART; nanosleep is not restarted anyway */
    EXPECT_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
    pid_t parent = getpid();
    pid_t child = fork();
    EXPECT(child >= 0);
    if (child == 0) {
        struct timespec wait = {0, 100 * 1000 * 1000};
        nanosleep(&wait, NULL);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    struct timespec req = {5, 0}, rem = {-1, -1};
    long long start = monotonic_ns();
    EXPECT_ERRNO(nanosleep(&req, &rem), EINTR);
    EXPECT(monotonic_ns() - start < 4 * NS_PER_SEC);
    EXPECT(rem.tv_sec >= 1 && rem.tv_sec <= 5);
    EXPECT(rem.tv_nsec >= 0 && rem.tv_nsec < NS_PER_SEC);
    int status;
    EXPECT_EQ(waitpid(child, &status, 0), child);
}

/* A signal that runs no handler does not end a sleep, nor make it longer:
 * the call is restarted to its first deadline (Linux's restart_block and
 * restart_syscall), so the time stopped counts as slept.
 *
 * sleep_in_child: a child sleeps SLEEP_MS by `how` and exits with the time
 * it slept in units of 10 ms (255: the call failed or woke early by its own
 * account). The parent meanwhile stops it at ~100 ms and continues it at
 * ~300 ms (stop_and_continue), or sends it signals that run no handler
 * (prod_with_ignored). Restarted whole, the sleep would end at 300 ms or
 * more + SLEEP_MS. */
#define SLEEP_MS 600
enum sleep_kind { BY_NANOSLEEP, BY_CLOCK_NANOSLEEP, BY_POLL };

static int sleep_once(enum sleep_kind how)
{
    struct timespec req = {0, SLEEP_MS * 1000 * 1000}, rem = {-1, -1};
    if (how == BY_NANOSLEEP)
        return syscall(SYS_nanosleep, &req, &rem) == 0;
    if (how == BY_CLOCK_NANOSLEEP)
        return syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, &rem) == 0;
    int fds[2];
    if (pipe(fds) != 0)
        return 0;
    struct pollfd pfd = {fds[0], POLLIN, -1}; /* nothing ever comes */
    return syscall(SYS_poll, &pfd, 1, SLEEP_MS) == 0 && pfd.revents == 0;
}

static pid_t sleep_in_child(enum sleep_kind how)
{
    pid_t child = fork();
    EXPECT(child >= 0);
    if (child == 0) {
        long long start = monotonic_ns();
        int ok = sleep_once(how);
        long long slept_ms = (monotonic_ns() - start) / 1000000;
        _exit(!ok ? 255 : slept_ms / 10 > 254 ? 254 : (int)(slept_ms / 10));
    }
    return child;
}

/* Returns the child's exit code: the time it slept, in 10 ms. */
static int child_slept(pid_t child)
{
    int status;
    EXPECT_EQ(waitpid(child, &status, 0), child);
    EXPECT(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static int stop_and_continue(pid_t child)
{
    int status;
    sleep_ms(100); /* the child is asleep by then */
    EXPECT_EQ(kill(child, SIGSTOP), 0);
    EXPECT_EQ(waitpid(child, &status, WUNTRACED), child);
    EXPECT(WIFSTOPPED(status));
    sleep_ms(200);
    EXPECT_EQ(kill(child, SIGCONT), 0);
    return child_slept(child);
}

/* SIGCHLD and SIGCONT with SIG_DFL: ignored, and SIGCONT continues a
 * process that is not stopped. Linux drops both at once; teachos lets
 * SIGCONT interrupt the sleep, which must then go on to its deadline. */
static int prod_with_ignored(pid_t child)
{
    for (int i = 0; i < 4; i++) {
        sleep_ms(100);
        EXPECT_EQ(kill(child, i % 2 ? SIGCONT : SIGCHLD), 0);
    }
    return child_slept(child);
}

#define EXPECT_SLEPT_ON_TIME(tens_of_ms)                                                   \
    do {                                                                                   \
        int slept_ = (tens_of_ms);                                                         \
        EXPECT(slept_ != 255);                /* the call failed */                        \
        EXPECT(slept_ >= SLEEP_MS / 10 - 1);  /* not early (>= 590 ms) */                  \
        EXPECT(slept_ < 85);                  /* not restarted whole (< 850 ms) */         \
    } while (0)

TEST_CASE(nanosleep_goes_on_after_stop_and_continue)
{
    EXPECT_SLEPT_ON_TIME(stop_and_continue(sleep_in_child(BY_NANOSLEEP)));
}

TEST_CASE(clock_nanosleep_goes_on_after_stop_and_continue)
{
    EXPECT_SLEPT_ON_TIME(stop_and_continue(sleep_in_child(BY_CLOCK_NANOSLEEP)));
}

TEST_CASE(poll_timeout_goes_on_after_stop_and_continue)
{
    EXPECT_SLEPT_ON_TIME(stop_and_continue(sleep_in_child(BY_POLL)));
}

TEST_CASE(sleeps_go_on_after_ignored_signals)
{
    EXPECT_SLEPT_ON_TIME(prod_with_ignored(sleep_in_child(BY_NANOSLEEP)));
    EXPECT_SLEPT_ON_TIME(prod_with_ignored(sleep_in_child(BY_CLOCK_NANOSLEEP)));
    EXPECT_SLEPT_ON_TIME(prod_with_ignored(sleep_in_child(BY_POLL)));
}

/* restart_syscall with nothing to continue: EINTR (Linux's
 * do_no_restart_syscall). A handler's return empties the restart block on
 * Linux, so one runs first. */
TEST_CASE(restart_syscall_with_nothing_to_continue)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    EXPECT_EQ(sigaction(SIGUSR1, &sa, NULL), 0);
    EXPECT_EQ(raise(SIGUSR1), 0);
    EXPECT_ERRNO(syscall(SYS_restart_syscall), EINTR);
}

TEST_CASE(clock_nanosleep_relative_and_absolute)
{
    struct timespec req = {0, 20 * 1000 * 1000};
    long long start = monotonic_ns();
    EXPECT_EQ(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, NULL), 0);
    EXPECT(monotonic_ns() - start >= 20 * 1000 * 1000);

    struct timespec past = {0, 1};
    EXPECT_EQ(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL), 0);

    struct timespec until;
    EXPECT_EQ(clock_gettime(CLOCK_REALTIME, &until), 0);
    long long target = ns_of(&until) + 30 * 1000 * 1000;
    until.tv_sec = target / NS_PER_SEC;
    until.tv_nsec = target % NS_PER_SEC;
    EXPECT_EQ(syscall(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, &until, NULL), 0);
    struct timespec now;
    EXPECT_EQ(clock_gettime(CLOCK_REALTIME, &now), 0);
    EXPECT(ns_of(&now) >= target);
}

TEST_CASE(clock_nanosleep_errors)
{
    struct timespec req = {0, 1000};
    struct timespec bad_ns = {0, NS_PER_SEC};
    EXPECT_ERRNO(syscall(SYS_clock_nanosleep, 100, 0, &req, NULL), EINVAL);
    EXPECT_ERRNO(syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL), ENOTSUP);
    EXPECT_ERRNO(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC_RAW, 0, &req, NULL), ENOTSUP);
    EXPECT_ERRNO(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &bad_ns, NULL), EINVAL);
    EXPECT_ERRNO(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, BAD_LOW, NULL), EFAULT);
    EXPECT_ERRNO(syscall(SYS_clock_nanosleep, CLOCK_REALTIME, 0, BAD_KERNEL, NULL), EFAULT);
}

TEST_CASE(sched_yield_returns)
{
    for (int i = 0; i < 10; i++)
        EXPECT_EQ(sched_yield(), 0);
}

/* ---- interval timers (kernel/top/proc/alarm.cpp) ---- */

/* setitimer with a NULL new value is a zero value: it disarms the timer
 * and reports the old one (Linux keeps this "misfeature"; only getitimer
 * merely reads). */
TEST_CASE(setitimer_null_value_disarms)
{
    struct itimerval five = {{0, 0}, {5, 0}}, old, now;
    EXPECT_EQ(syscall(SYS_setitimer, ITIMER_REAL, &five, NULL), 0);
    memset(&old, 0xff, sizeof old);
    EXPECT_EQ(syscall(SYS_setitimer, ITIMER_REAL, NULL, &old), 0);
    EXPECT(old.it_value.tv_sec >= 4 && old.it_value.tv_sec <= 5); /* it was armed */
    EXPECT_EQ(old.it_interval.tv_sec, 0);
    EXPECT_EQ(syscall(SYS_getitimer, ITIMER_REAL, &now), 0);
    EXPECT_EQ(now.it_value.tv_sec, 0); /* and now it is not */
    EXPECT_EQ(now.it_value.tv_usec, 0);
    EXPECT_EQ(syscall(SYS_setitimer, ITIMER_REAL, NULL, NULL), 0); /* disarmed stays disarmed */
    EXPECT_EQ(syscall(SYS_alarm, 10), 0); /* nothing was left to report; the harness's timeout again */
}

TEST_CASE(times_counts_ticks)
{
    struct tms t;
    clock_t a = times(&t);
    EXPECT(a != (clock_t)-1);
    EXPECT(syscall(SYS_times, NULL) != -1);
    struct timespec wait = {0, 30 * 1000 * 1000};
    nanosleep(&wait, NULL);
    clock_t b = times(&t);
    EXPECT(b > a);
    EXPECT_ERRNO(syscall(SYS_times, BAD_LOW), EFAULT);
    EXPECT_ERRNO(syscall(SYS_times, BAD_KERNEL), EFAULT);
}

TEST_CASE(getrusage_who_and_pointer)
{
    struct rusage ru;
    EXPECT_EQ(getrusage(RUSAGE_SELF, &ru), 0);
    EXPECT_EQ(getrusage(RUSAGE_CHILDREN, &ru), 0);
    EXPECT_ERRNO(syscall(SYS_getrusage, 5, &ru), EINVAL);
    EXPECT_ERRNO(syscall(SYS_getrusage, RUSAGE_SELF, BAD_LOW), EFAULT);
    EXPECT_ERRNO(syscall(SYS_getrusage, RUSAGE_SELF, BAD_KERNEL), EFAULT);
}

/* ---- CPU-time accounting: times, getrusage, wait4's rusage, the CPU clocks ----
 * teachos measures CPU time at every user/kernel crossing and context switch
 * (kernel/base/sched/cputime.cpp). The bounds are loose: under QEMU's TCG the
 * guest's clock runs on while the host deschedules the emulator, and a
 * running process is charged for that too. What must hold anywhere: a busy
 * loop is mostly user time and no more than the wall time it took; a loop of
 * system calls has system time; a sleep has almost none; children count only
 * once reaped. The loops run until the CPU clock says enough (spin_cpu_ms),
 * with a wall-time cap, and the checks compare getrusage, times and the
 * two CPU clocks with each other and with the wall time. */

#define MS (1000ll * 1000)

static long long tv_ns(const struct timeval* tv) { return tv->tv_sec * NS_PER_SEC + tv->tv_usec * 1000ll; }

struct cpu_sample {
    long long wall, user, sys, thread_clock, process_clock;
    struct tms tms;
    struct rusage ru;
};

static void cpu_sample(struct cpu_sample* s, int who)
{
    struct timespec ts;
    EXPECT_EQ(getrusage(who, &s->ru), 0);
    s->user = tv_ns(&s->ru.ru_utime);
    s->sys = tv_ns(&s->ru.ru_stime);
    EXPECT(times(&s->tms) != (clock_t)-1);
    EXPECT_EQ(clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts), 0);
    s->thread_clock = ns_of(&ts);
    EXPECT_EQ(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts), 0);
    s->process_clock = ns_of(&ts);
    s->wall = monotonic_ns();
}

static long long process_cpu_ns(void)
{
    struct timespec ts;
    EXPECT_EQ(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts), 0);
    return ns_of(&ts);
}

/* Compute until the process has used `ms` more of CPU time, or for five
 * times that in wall time if its CPU clock is stuck (on a busy Linux host a
 * wall-time loop gets only a share of a CPU; the bounds below need the CPU
 * time itself). With `syscalls`, the work is system calls. */
static void spin_cpu_ms(long long ms, int syscalls)
{
    volatile unsigned sink = 0;
    long long cpu_end = process_cpu_ns() + ms * MS, wall_end = monotonic_ns() + 5 * ms * MS;
    while (process_cpu_ns() < cpu_end && monotonic_ns() < wall_end) {
        for (int i = 0; i < 20000 && !syscalls; i++)
            sink += i;
        for (int i = 0; i < 100 && syscalls; i++)
            syscall(SYS_getppid);
    }
}
static void spin_ms(long long ms) { spin_cpu_ms(ms, 0); }

TEST_CASE(cpu_time_busy_loop_is_user_time)
{
    long clk_tck = sysconf(_SC_CLK_TCK);
    EXPECT_EQ(clk_tck, 100);
    EXPECT_EQ(getauxval(AT_CLKTCK), 100);
    struct cpu_sample a, b;
    cpu_sample(&a, RUSAGE_SELF);
    spin_ms(200);
    cpu_sample(&b, RUSAGE_SELF);
    long long wall = b.wall - a.wall, user = b.user - a.user, sys = b.sys - a.sys;
    EXPECT(user >= 100 * MS);
    EXPECT(user + sys <= wall + 30 * MS);
    EXPECT(b.tms.tms_utime - a.tms.tms_utime >= 10);
    EXPECT((b.tms.tms_utime + b.tms.tms_stime) - (a.tms.tms_utime + a.tms.tms_stime) <= 2 + wall / (10 * MS));
    long long thread_clock = b.thread_clock - a.thread_clock;
    long long process_clock = b.process_clock - a.process_clock;
    EXPECT(thread_clock >= 100 * MS && thread_clock <= wall + 30 * MS);
    EXPECT(process_clock >= 100 * MS && process_clock <= wall + 30 * MS);
    struct rusage thread;
    EXPECT_EQ(getrusage(RUSAGE_THREAD, &thread), 0);
    EXPECT(tv_ns(&thread.ru_utime) >= b.user - 30 * MS);
}

TEST_CASE(cpu_time_system_calls_are_system_time)
{
    struct cpu_sample a, b;
    cpu_sample(&a, RUSAGE_SELF);
    spin_cpu_ms(200, 1);
    cpu_sample(&b, RUSAGE_SELF);
    long long wall = b.wall - a.wall, user = b.user - a.user, sys = b.sys - a.sys;
    EXPECT(sys >= 20 * MS);
    EXPECT(user + sys >= 100 * MS);
    EXPECT(user + sys <= wall + 30 * MS);
}

TEST_CASE(cpu_time_sleeping_is_not_counted)
{
    struct cpu_sample a, b;
    cpu_sample(&a, RUSAGE_SELF);
    struct timespec nap = {0, 200 * MS};
    EXPECT_EQ(nanosleep(&nap, NULL), 0);
    cpu_sample(&b, RUSAGE_SELF);
    EXPECT(b.wall - a.wall >= 200 * MS);
    EXPECT((b.user - a.user) + (b.sys - a.sys) <= 30 * MS);
    EXPECT(b.process_clock - a.process_clock <= 30 * MS);
    EXPECT(b.ru.ru_nvcsw > a.ru.ru_nvcsw); /* blocking is a voluntary switch */
}

TEST_CASE(times_return_value_follows_wall_time)
{
    struct tms t;
    long long w0 = monotonic_ns();
    clock_t a = times(&t);
    struct timespec nap = {0, 200 * MS};
    EXPECT_EQ(nanosleep(&nap, NULL), 0);
    clock_t b = times(&t);
    long long ticks_by_wall = (monotonic_ns() - w0) / (10 * MS);
    EXPECT(b - a >= 19);
    EXPECT(b - a <= ticks_by_wall + 1);
}

/* The child computes for `ms`, and if `grandchild_ms`, first waits for a
 * grandchild that computed that long. It tells the parent through `done`
 * when it is about to exit. */
static pid_t spawn_busy_child(long long ms, long long grandchild_ms, int done)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (grandchild_ms) {
            pid_t g = fork();
            if (g == 0) {
                spin_ms(grandchild_ms);
                _exit(0);
            }
            int status;
            if (waitpid(g, &status, 0) != g)
                _exit(2);
        }
        spin_ms(ms);
        if (write(done, "x", 1) != 1)
            _exit(3);
        _exit(0);
    }
    return pid;
}

TEST_CASE(cpu_time_of_children_counts_once_reaped)
{
    int done[2];
    EXPECT_EQ(pipe(done), 0);
    pid_t pid = spawn_busy_child(150, 0, done[1]);
    EXPECT(pid > 0);
    char c;
    EXPECT_EQ(read(done[0], &c, 1), 1);
    struct timespec nap = {0, 50 * MS}; /* time to exit: a zombie now, not yet reaped */
    nanosleep(&nap, NULL);
    struct cpu_sample before, after;
    cpu_sample(&before, RUSAGE_CHILDREN);
    EXPECT_EQ(before.user + before.sys, 0);
    EXPECT_EQ(before.tms.tms_cutime + before.tms.tms_cstime, 0);

    struct rusage child;
    int status;
    memset(&child, 0, sizeof(child));
    EXPECT_EQ(wait4(pid, &status, 0, &child), pid);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT(tv_ns(&child.ru_utime) >= 75 * MS);
    EXPECT(child.ru_maxrss > 0);
    EXPECT(child.ru_minflt > 0); /* fork's copy-on-write, at least */

    cpu_sample(&after, RUSAGE_CHILDREN);
    EXPECT_EQ(after.user, tv_ns(&child.ru_utime));
    EXPECT_EQ(after.sys, tv_ns(&child.ru_stime));
    EXPECT(after.tms.tms_cutime >= 7);
    /* the parent's own time is not its children's */
    struct rusage self;
    EXPECT_EQ(getrusage(RUSAGE_SELF, &self), 0);
    EXPECT(tv_ns(&self.ru_utime) < 75 * MS);
    close(done[0]);
    close(done[1]);
}

TEST_CASE(cpu_time_of_a_reaped_grandchild_reaches_the_grandparent)
{
    int done[2];
    EXPECT_EQ(pipe(done), 0);
    pid_t pid = spawn_busy_child(10, 150, done[1]);
    EXPECT(pid > 0);
    struct rusage child;
    int status;
    EXPECT_EQ(wait4(pid, &status, 0, &child), pid);
    EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* wait4's rusage: the child's own and its reaped children's */
    EXPECT(tv_ns(&child.ru_utime) >= 75 * MS);
    struct rusage children;
    EXPECT_EQ(getrusage(RUSAGE_CHILDREN, &children), 0);
    EXPECT(tv_ns(&children.ru_utime) >= 75 * MS);
    close(done[0]);
    close(done[1]);
}

TEST_CASE(getrusage_counts_faults_and_resident_pages)
{
    const size_t size = 4 << 20;
    struct rusage a, b;
    EXPECT_EQ(getrusage(RUSAGE_SELF, &a), 0);
    char* p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT(p != MAP_FAILED);
    for (size_t off = 0; off < size; off += 4096)
        p[off] = 1;
    EXPECT_EQ(getrusage(RUSAGE_SELF, &b), 0);
    EXPECT(b.ru_maxrss >= 4096);
    EXPECT(b.ru_minflt - a.ru_minflt >= (s_on_teachos ? 1024 : 1));
    EXPECT_EQ(b.ru_majflt, 0);
    EXPECT_EQ(munmap(p, size), 0);
    EXPECT_EQ(getrusage(RUSAGE_SELF, &a), 0);
    EXPECT(a.ru_maxrss >= b.ru_maxrss); /* a high-water mark */
}

int main(void)
{
    s_on_teachos = harness_on_teachos();
    return run_suite("time");
}
