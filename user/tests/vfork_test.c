/* user/tests/vfork_test.c -- vfork and posix_spawn: the child borrows the parent's memory until it execs or exits.
 *
 * vfork(2): the child runs in the parent's address space -- its stores
 * are the parent's -- and the parent is suspended until the child calls
 * execve or _exit. posix_spawn (musl's, glibc's) is clone(CLONE_VM |
 * CLONE_VFORK) on a separate stack. teachos does this for real
 * (kernel/top/proc/fork.cpp: the child borrows m_map); it used to give the
 * child a copy-on-write copy, which these cases tell apart. Runs unchanged
 * on Linux (gcc) and in the guest (musl-gcc -static); see harness.h.
 */
#define _GNU_SOURCE
#include "harness.h"

#include <spawn.h>
#include <time.h>

extern char** environ;


static int wait_exit_code(pid_t pid)
{
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

static volatile int s_shared;

/* The child's store is the parent's: one address space. */
TEST_CASE(child_stores_into_the_parents_memory)
{
    s_shared = 0;
    volatile int on_stack = 0;
    pid_t pid = vfork();
    if (pid == 0) {
        s_shared = 42;
        on_stack = 7;
        _exit(3);
    }
    EXPECT(pid > 0);
    EXPECT_EQ(s_shared, 42);
    EXPECT_EQ(on_stack, 7);
    EXPECT_EQ(wait_exit_code(pid), 3);
}

/* The parent sleeps until the child lets go: here, the child's _exit after
 * 200 ms. */
TEST_CASE(parent_waits_for_the_childs_exit)
{
    long long start = now_ms();
    pid_t pid = vfork();
    if (pid == 0) {
        struct timespec pause = {0, 200 * 1000 * 1000};
        nanosleep(&pause, 0);
        _exit(0);
    }
    EXPECT(pid > 0);
    EXPECT(now_ms() - start >= 190);
    EXPECT_EQ(wait_exit_code(pid), 0);
}

/* ... or the child's execve: the parent goes on while the new program
 * runs in its own address space. */
TEST_CASE(parent_goes_on_at_the_childs_exec)
{
    char* argv[] = {"sh", "-c", "exit 5", 0};
    s_shared = 0;
    pid_t pid = vfork();
    if (pid == 0) {
        s_shared = 1;
        execve("/bin/sh", argv, environ);
        _exit(127);
    }
    EXPECT(pid > 0);
    EXPECT_EQ(s_shared, 1);
    EXPECT_EQ(wait_exit_code(pid), 5);
}

/* A failed execve leaves the child running in the parent's memory: it can
 * report the error there -- what glibc's posix_spawn does. */
TEST_CASE(failed_exec_reports_through_shared_memory)
{
    char* argv[] = {"nothing", 0};
    s_shared = 0;
    pid_t pid = vfork();
    if (pid == 0) {
        execve("/no/such/program", argv, environ);
        s_shared = errno;
        _exit(127);
    }
    EXPECT(pid > 0);
    EXPECT_EQ(s_shared, ENOENT);
    EXPECT_EQ(wait_exit_code(pid), 127);
}

TEST_CASE(posix_spawn_runs_and_reports)
{
    char* argv[] = {"sh", "-c", "exit 9", 0};
    pid_t pid;
    EXPECT_EQ(posix_spawn(&pid, "/bin/sh", 0, 0, argv, environ), 0);
    EXPECT_EQ(wait_exit_code(pid), 9);
    char* none[] = {"nothing", 0};
    int r = posix_spawn(&pid, "/no/such/program", 0, 0, none, environ);
    if (r == 0) /* a C library may report it as the child's exit 127 */
        EXPECT_EQ(wait_exit_code(pid), 127);
    else
        EXPECT_EQ(r, ENOENT);
}

/* Many vforks: nothing is left behind (the harness's leak check) and
 * every child is reaped. */
TEST_CASE(many_vforks)
{
    for (volatile int i = 0; i < 200; ++i) {
        pid_t pid = vfork();
        if (pid == 0)
            _exit(i & 0x7f);
        EXPECT(pid > 0);
        EXPECT_EQ(wait_exit_code(pid), i & 0x7f);
    }
}

int main(void)
{
    return run_suite("vfork");
}
