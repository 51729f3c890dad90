/* user/tests/signal_test.c -- alternate signal stacks: sigaltstack(2) and SA_ONSTACK.
 *
 * A thread may give the kernel a block of memory for its signal handlers
 * (sigaltstack); a handler installed with SA_ONSTACK then gets its frame at
 * the top of that block, unless the thread is running there already. The
 * classic use is the last case below: a recursion that uses up the stack
 * gets SIGSEGV, and only a handler on another stack can take it.
 *
 * What is checked, each against Linux first (gcc) and then in the guest
 * (musl-gcc -static): the setting's round trip and every errno of the
 * call; where handlers run (the address of a local of the handler), with
 * and without SA_ONSTACK and nested; the frame's uc_stack and what
 * rt_sigreturn does with it; SS_AUTODISARM; a frame that does not fit;
 * fork and execve; a stack overflow caught. Kernel side:
 * kernel/top/proc/signal.cpp (change_alt_stack, return_to_user) and
 * arch/x86_64/signal.cpp (place_frame); docs/processes.md, "The signal frame".
 */
#include "harness.h"

#include <setjmp.h>
#include <stdlib.h>
#include <ucontext.h>

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif

#define ALT_SIZE 65536
#define LINUX_MINSIGSTKSZ 2048 /* the kernel's limit (libc's MINSIGSTKSZ may differ) */

static const char* s_self; /* argv[0]: execve runs this program again */
static char s_alt[ALT_SIZE] __attribute__((aligned(16)));
static char s_alt2[ALT_SIZE] __attribute__((aligned(16)));

static int reap(pid_t pid, int* status)
{
    int r;
    while ((r = waitpid(pid, status, 0)) < 0 && errno == EINTR) {
    }
    return r;
}

/* The system call itself: musl's sigaltstack() refuses SS_ONSTACK and small
 * sizes before the kernel sees them. */
static int alt_call(const stack_t* ss, stack_t* old)
{
    return (int)syscall(SYS_sigaltstack, ss, old);
}

static int set_alt(void* sp, size_t size, int flags)
{
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_sp = sp;
    ss.ss_size = size;
    ss.ss_flags = flags;
    return alt_call(&ss, 0);
}

static stack_t get_alt(void)
{
    stack_t now;
    memset(&now, 0x5a, sizeof now);
    if (alt_call(0, &now) != 0)
        now.ss_flags = -1;
    return now;
}

static int in_alt(uintptr_t at, const char* base)
{
    return at >= (uintptr_t)base && at < (uintptr_t)base + ALT_SIZE;
}

static void install(int sig, void (*fn)(int, siginfo_t*, void*), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigaction(sig, &sa, 0);
}

/* What the last handler saw. */
static volatile uintptr_t s_local_at;   /* a local of the handler */
static volatile uintptr_t s_nested_at;  /* a local of the nested handler */
static volatile int s_in_flags;         /* sigaltstack's flags, asked inside */
static volatile size_t s_in_size;
static volatile int s_in_set;           /* sigaltstack(set) inside: 0 or errno */
static stack_t s_uc_stack;              /* the frame's uc_stack */

static void on_record(int sig, siginfo_t* info, void* ucv)
{
    (void)sig;
    (void)info;
    volatile char here = 0;
    s_local_at = (uintptr_t)&here;
    s_uc_stack = ((ucontext_t*)ucv)->uc_stack;
    stack_t now = get_alt();
    s_in_flags = now.ss_flags;
    s_in_size = now.ss_size;
}

/* ---- the call itself ---- */

TEST_CASE(set_and_get_round_trip)
{
    stack_t now = get_alt();
    EXPECT_EQ(now.ss_flags, SS_DISABLE); /* a new program has none */
    EXPECT_EQ(now.ss_size, 0);
    EXPECT_EQ(now.ss_sp, 0);
    EXPECT_EQ(set_alt(s_alt, ALT_SIZE, 0), 0);
    now = get_alt();
    EXPECT_EQ(now.ss_sp, s_alt);
    EXPECT_EQ(now.ss_size, ALT_SIZE);
    EXPECT_EQ(now.ss_flags, 0); /* set, not in use */
    /* SS_ONSTACK as a mode means the same as 0; it is not read back. */
    EXPECT_EQ(set_alt(s_alt2, LINUX_MINSIGSTKSZ, SS_ONSTACK), 0);
    now = get_alt();
    EXPECT_EQ(now.ss_sp, s_alt2);
    EXPECT_EQ(now.ss_size, LINUX_MINSIGSTKSZ);
    EXPECT_EQ(now.ss_flags, 0);
    EXPECT_EQ(set_alt(s_alt, ALT_SIZE, SS_AUTODISARM), 0);
    EXPECT_EQ(get_alt().ss_flags, (int)SS_AUTODISARM);
    /* old_ss holds the setting before the change */
    stack_t ss = {.ss_sp = s_alt2, .ss_size = ALT_SIZE, .ss_flags = 0}, old;
    EXPECT_EQ(alt_call(&ss, &old), 0);
    EXPECT_EQ(old.ss_sp, s_alt);
    EXPECT_EQ(old.ss_flags, (int)SS_AUTODISARM);
    /* SS_DISABLE: the address and size are dropped, any size will do */
    EXPECT_EQ(set_alt(s_alt, 1, SS_DISABLE), 0);
    now = get_alt();
    EXPECT_EQ(now.ss_flags, SS_DISABLE);
    EXPECT_EQ(now.ss_size, 0);
    EXPECT_EQ(now.ss_sp, 0);
}

TEST_CASE(errors)
{
    stack_t ss = {.ss_sp = s_alt, .ss_size = ALT_SIZE, .ss_flags = 4};
    EXPECT_ERRNO(alt_call(&ss, 0), EINVAL);
    ss.ss_flags = SS_ONSTACK | SS_DISABLE;
    EXPECT_ERRNO(alt_call(&ss, 0), EINVAL);
    ss.ss_flags = 0;
    ss.ss_size = LINUX_MINSIGSTKSZ - 1;
    EXPECT_ERRNO(alt_call(&ss, 0), ENOMEM);
    EXPECT_EQ(get_alt().ss_flags, SS_DISABLE); /* nothing was set */
    EXPECT_ERRNO(syscall(SYS_sigaltstack, (void*)8, 0), EFAULT);
    /* a bad old_ss: EFAULT, but the change is made (Linux copies out last) */
    ss.ss_size = ALT_SIZE;
    EXPECT_ERRNO(syscall(SYS_sigaltstack, &ss, (void*)8), EFAULT);
    EXPECT_EQ(get_alt().ss_size, ALT_SIZE);
}

/* EPERM: no change while running on it, not even a bad one or SS_DISABLE. */
static void on_try_change(int sig, siginfo_t* info, void* uc)
{
    on_record(sig, info, uc);
    stack_t ss = {.ss_sp = s_alt2, .ss_size = ALT_SIZE, .ss_flags = 0};
    s_in_set = alt_call(&ss, 0) == 0 ? 0 : errno;
    ss.ss_flags = SS_DISABLE;
    if (s_in_set == EPERM)
        s_in_set = alt_call(&ss, 0) == 0 ? 0 : errno;
    ss.ss_flags = 4;
    if (s_in_set == EPERM)
        s_in_set = alt_call(&ss, 0) == 0 ? 0 : errno;
}

TEST_CASE(no_change_while_on_it)
{
    EXPECT_EQ(set_alt(s_alt, ALT_SIZE, 0), 0);
    install(SIGUSR1, on_try_change, SA_ONSTACK);
    s_in_set = -1;
    raise(SIGUSR1);
    EXPECT_EQ(s_in_flags, SS_ONSTACK);
    EXPECT_EQ(s_in_set, EPERM);
    stack_t now = get_alt();
    EXPECT_EQ(now.ss_sp, s_alt);
    EXPECT_EQ(now.ss_flags, 0);
}

/* ---- where handlers run ---- */

TEST_CASE(sa_onstack_handler_runs_on_the_alt_stack)
{
    EXPECT_EQ(set_alt(s_alt, ALT_SIZE, 0), 0);
    install(SIGUSR1, on_record, SA_ONSTACK);
    s_local_at = 0;
    raise(SIGUSR1);
    EXPECT(in_alt(s_local_at, s_alt));
    EXPECT_EQ(s_in_flags, SS_ONSTACK);
    EXPECT_EQ(s_in_size, ALT_SIZE);
    /* the frame's uc_stack: the setting as it was */
    EXPECT_EQ(s_uc_stack.ss_sp, s_alt);
    EXPECT_EQ(s_uc_stack.ss_size, ALT_SIZE);
    EXPECT_EQ(s_uc_stack.ss_flags, 0);
    EXPECT_EQ(get_alt().ss_flags, 0); /* off it again */
    /* a handler run by a fault too */
    install(SIGSEGV, on_record, SA_ONSTACK | SA_RESETHAND);
    s_local_at = 0;
    raise(SIGSEGV);
    EXPECT(in_alt(s_local_at, s_alt));
}

TEST_CASE(without_sa_onstack_the_normal_stack)
{
    EXPECT_EQ(set_alt(s_alt, ALT_SIZE, 0), 0);
    install(SIGUSR1, on_record, 0);
    s_local_at = 0;
    raise(SIGUSR1);
    EXPECT(s_local_at != 0);
    EXPECT(!in_alt(s_local_at, s_alt));
    EXPECT_EQ(s_in_flags, 0);
    /* SA_ONSTACK with no alternate stack: the normal stack too */
    EXPECT_EQ(set_alt(0, 0, SS_DISABLE), 0);
    install(SIGUSR1, on_record, SA_ONSTACK);
    s_local_at = 0;
    raise(SIGUSR1);
    EXPECT(s_local_at != 0);
    EXPECT(!in_alt(s_local_at, s_alt));
    EXPECT_EQ(s_uc_stack.ss_size, 0);
}

static void on_nested(int sig, siginfo_t* info, void* uc)
{
    (void)sig;
    (void)info;
    (void)uc;
    volatile char here = 0;
    s_nested_at = (uintptr_t)&here;
}

static void on_outer(int sig, siginfo_t* info, void* uc)
{
    on_record(sig, info, uc);
    raise(SIGUSR2);
}

TEST_CASE(nested_signal_stays_on_the_alt_stack)
{
    EXPECT_EQ(set_alt(s_alt, ALT_SIZE, 0), 0);
    install(SIGUSR1, on_outer, SA_ONSTACK);
    /* with SA_ONSTACK: below the outer frame, not again at the top */
    install(SIGUSR2, on_nested, SA_ONSTACK);
    s_local_at = s_nested_at = 0;
    raise(SIGUSR1);
    EXPECT(in_alt(s_local_at, s_alt));
    EXPECT(in_alt(s_nested_at, s_alt));
    EXPECT(s_nested_at < s_local_at);
    /* without SA_ONSTACK: the current stack, which is the alternate one */
    install(SIGUSR2, on_nested, 0);
    s_local_at = s_nested_at = 0;
    raise(SIGUSR1);
    EXPECT(in_alt(s_nested_at, s_alt));
    EXPECT(s_nested_at < s_local_at);
}

/* SS_AUTODISARM: the setting is cleared while the handler runs (so a
 * nested SA_ONSTACK signal stacks below, and the handler may change it),
 * and rt_sigreturn puts it back. */
static void on_autodisarm(int sig, siginfo_t* info, void* uc)
{
    on_record(sig, info, uc);
    raise(SIGUSR2);
    s_in_set = set_alt(s_alt2, ALT_SIZE, 0) == 0 ? 0 : errno;
}

TEST_CASE(autodisarm_clears_it_while_the_handler_runs)
{
    EXPECT_EQ(set_alt(s_alt, ALT_SIZE, SS_AUTODISARM), 0);
    install(SIGUSR1, on_autodisarm, SA_ONSTACK);
    install(SIGUSR2, on_nested, SA_ONSTACK);
    s_in_set = -1;
    raise(SIGUSR1);
    EXPECT(in_alt(s_local_at, s_alt));
    EXPECT_EQ(s_in_flags, SS_DISABLE);
    EXPECT_EQ(s_in_size, 0);
    EXPECT(in_alt(s_nested_at, s_alt));
    EXPECT(s_nested_at < s_local_at);
    EXPECT_EQ(s_in_set, 0);
    EXPECT_EQ(s_uc_stack.ss_sp, s_alt);
    EXPECT_EQ(s_uc_stack.ss_flags, (int)SS_AUTODISARM);
    stack_t now = get_alt();
    EXPECT_EQ(now.ss_sp, s_alt);
    EXPECT_EQ(now.ss_size, ALT_SIZE);
    EXPECT_EQ(now.ss_flags, (int)SS_AUTODISARM);
    /* any handler disarms it, one without SA_ONSTACK too */
    install(SIGUSR1, on_record, 0);
    raise(SIGUSR1);
    EXPECT(!in_alt(s_local_at, s_alt));
    EXPECT_EQ(s_in_flags, SS_DISABLE);
    EXPECT_EQ(get_alt().ss_flags, (int)SS_AUTODISARM);
}

/* rt_sigreturn sets the frame's uc_stack, whatever the handler put there. */
static void on_edit_uc_stack(int sig, siginfo_t* info, void* ucv)
{
    (void)sig;
    (void)info;
    ucontext_t* uc = ucv;
    uc->uc_stack.ss_sp = s_alt2;
    uc->uc_stack.ss_size = ALT_SIZE / 2;
    uc->uc_stack.ss_flags = 0;
}

static void on_bad_uc_stack(int sig, siginfo_t* info, void* ucv)
{
    on_record(sig, info, ucv);
    ((ucontext_t*)ucv)->uc_stack.ss_flags = 4; /* EINVAL */
    ((ucontext_t*)ucv)->uc_stack.ss_size = 1;
}

TEST_CASE(sigreturn_sets_the_frames_uc_stack)
{
    EXPECT_EQ(set_alt(s_alt, ALT_SIZE, 0), 0);
    install(SIGUSR1, on_edit_uc_stack, 0);
    raise(SIGUSR1);
    stack_t now = get_alt();
    EXPECT_EQ(now.ss_sp, s_alt2);
    EXPECT_EQ(now.ss_size, ALT_SIZE / 2);
    /* a bad one is ignored (Linux's restore_altstack), the return goes on */
    EXPECT_EQ(set_alt(s_alt, ALT_SIZE, 0), 0);
    install(SIGUSR1, on_bad_uc_stack, 0);
    s_local_at = 0;
    raise(SIGUSR1);
    EXPECT(s_local_at != 0);
    now = get_alt();
    EXPECT_EQ(now.ss_sp, s_alt);
    EXPECT_EQ(now.ss_size, ALT_SIZE);
}

/* ---- frames that do not fit ---- */

static volatile int *s_depth; /* in a shared page: the parent reads it */
static long s_pid;

/* SA_NODEFER: one more frame, further down the alternate stack. The
 * handler sends with a bare `syscall`, so it uses next to no stack of its
 * own: the frame that no longer fits is what runs off the bottom, not
 * the handler's code (which would fault on the guard page instead). */
static void on_deeper(int sig, siginfo_t* info, void* uc)
{
    (void)info;
    (void)uc;
    ++*s_depth;
    long r;
    asm volatile("syscall"
                 : "=a"(r)
                 : "a"((long)SYS_kill), "D"(s_pid), "S"((long)sig)
                 : "rcx", "r11", "memory");
}

TEST_CASE(overflowing_the_alt_stack_is_sigsegv)
{
    /* An alternate stack with an inaccessible page below it. Nested
     * frames pile up until one would cross the bottom: that delivery
     * becomes SIGSEGV, which kills (it has no handler). */
    s_depth = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    EXPECT(s_depth != MAP_FAILED);
    pid_t pid = fork();
    if (pid == 0) {
        char* area = mmap(0, 4096 + 4 * LINUX_MINSIGSTKSZ * 2, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (area == MAP_FAILED || mprotect(area, 4096, PROT_NONE) != 0)
            _exit(1);
        if (set_alt(area + 4096, 4 * LINUX_MINSIGSTKSZ * 2, 0) != 0)
            _exit(2);
        install(SIGUSR1, on_deeper, SA_ONSTACK | SA_NODEFER);
        s_pid = getpid();
        kill(getpid(), SIGUSR1);
        _exit(3);
    }
    int status;
    EXPECT_EQ(reap(pid, &status), pid);
    EXPECT(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGSEGV);
    EXPECT(*s_depth >= 2);
    munmap((void*)s_depth, 4096);
}

static void on_segv_exit(int sig, siginfo_t* info, void* uc)
{
    (void)sig;
    (void)uc;
    _exit(info->si_code == SI_KERNEL ? 55 : 56);
}

TEST_CASE(a_frame_that_faults_becomes_a_catchable_sigsegv)
{
    /* SIGUSR1's frame cannot be written (the alternate stack is not
     * mapped): Linux's force_sigsegv sends SIGSEGV, which its own
     * handler, on the normal stack, takes. */
    pid_t pid = fork();
    if (pid == 0) {
        char* area = mmap(0, ALT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (area == MAP_FAILED)
            _exit(1);
        munmap(area, ALT_SIZE);
        if (set_alt(area, ALT_SIZE, 0) != 0)
            _exit(2);
        install(SIGUSR1, on_record, SA_ONSTACK);
        install(SIGSEGV, on_segv_exit, 0);
        raise(SIGUSR1);
        _exit(3);
    }
    int status;
    EXPECT_EQ(reap(pid, &status), pid);
    EXPECT(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 55);
}

/* ---- fork and execve ---- */

TEST_CASE(fork_inherits_it)
{
    EXPECT_EQ(set_alt(s_alt, ALT_SIZE, SS_AUTODISARM), 0);
    pid_t pid = fork();
    if (pid == 0) {
        stack_t now = get_alt();
        if (now.ss_sp != s_alt || now.ss_size != ALT_SIZE || now.ss_flags != (int)SS_AUTODISARM)
            _exit(1);
        install(SIGUSR1, on_record, SA_ONSTACK);
        raise(SIGUSR1);
        _exit(in_alt(s_local_at, s_alt) ? 40 : 2);
    }
    int status;
    EXPECT_EQ(reap(pid, &status), pid);
    EXPECT(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 40);
}

/* The program run again by execve: is the alternate stack gone? */
static int after_exec(void)
{
    stack_t now = get_alt();
    /* Linux keeps the flags (SS_AUTODISARM shows) and drops the rest. */
    if ((now.ss_flags & ~(int)SS_AUTODISARM) != SS_DISABLE || now.ss_size != 0 || now.ss_sp != 0)
        return 1;
    return (now.ss_flags & (int)SS_AUTODISARM) ? 42 : 41;
}

TEST_CASE(execve_clears_it)
{
    for (int autodisarm = 0; autodisarm < 2; ++autodisarm) {
        pid_t pid = fork();
        if (pid == 0) {
            if (set_alt(s_alt, ALT_SIZE, autodisarm ? (int)SS_AUTODISARM : 0) != 0)
                _exit(2);
            char* args[] = {(char*)s_self, "after-exec", 0};
            char* env[] = {0};
            execve(s_self, args, env);
            _exit(3);
        }
        int status;
        EXPECT_EQ(reap(pid, &status), pid);
        EXPECT(WIFEXITED(status));
        EXPECT_EQ(WEXITSTATUS(status), autodisarm ? 42 : 41);
    }
}

/* ---- the classic use: a stack overflow caught ---- */

static sigjmp_buf s_jump;
static volatile uintptr_t s_fault_addr;

static void on_overflow(int sig, siginfo_t* info, void* uc)
{
    (void)sig;
    (void)uc;
    volatile char here = 0;
    s_local_at = (uintptr_t)&here;
    s_fault_addr = (uintptr_t)info->si_addr;
    siglongjmp(s_jump, 1);
}

static void on_overflow_exit(int sig, siginfo_t* info, void* uc)
{
    (void)sig;
    (void)info;
    (void)uc;
    _exit(77);
}

/* Recurse for ever: each level keeps a buffer live across the call, so the
 * compiler can neither turn it into a loop nor shrink the frames. */
static volatile int s_bottomless = 1;
static int recurse(volatile char* up)
{
    volatile char frame[512];
    frame[0] = (char)(up ? up[0] + 1 : 0);
    frame[1] = 0;
    frame[511] = 1;
    if (!s_bottomless)
        return 0;
    return recurse(frame) + frame[1];
}

TEST_CASE(stack_overflow_is_caught_on_the_alt_stack)
{
    /* The recursion runs in a child, which uses up its whole stack. */
    pid_t pid = fork();
    if (pid == 0) {
        if (set_alt(s_alt, ALT_SIZE, 0) != 0)
            _exit(1);
        install(SIGSEGV, on_overflow, SA_ONSTACK);
        if (sigsetjmp(s_jump, 1) == 0) {
            recurse(0);
            _exit(2);
        }
        /* back from the handler, on the normal stack, SIGSEGV unblocked */
        if (!in_alt(s_local_at, s_alt))
            _exit(3);
        if (s_fault_addr == 0 || in_alt(s_fault_addr, s_alt))
            _exit(4);
        if (get_alt().ss_flags != 0)
            _exit(5);
        /* once more, and this time the handler ends the program */
        install(SIGSEGV, on_overflow_exit, SA_ONSTACK);
        recurse(0);
        _exit(6);
    }
    int status;
    EXPECT_EQ(reap(pid, &status), pid);
    EXPECT(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 77);
}

TEST_CASE(stack_overflow_without_alt_stack_kills)
{
    /* The handler has no room for its frame: the process dies of SIGSEGV. */
    pid_t pid = fork();
    if (pid == 0) {
        install(SIGSEGV, on_overflow_exit, SA_ONSTACK); /* SA_ONSTACK but no stack */
        recurse(0);
        _exit(6);
    }
    int status;
    EXPECT_EQ(reap(pid, &status), pid);
    EXPECT(WIFSIGNALED(status));
    EXPECT_EQ(WTERMSIG(status), SIGSEGV);
}

int main(int argc, char** argv)
{
    if (argc == 2 && strcmp(argv[1], "after-exec") == 0)
        return after_exec();
    s_self = argv[0];
    return run_suite("signal");
}
