/* user/tests/proc_helpers.h -- what proc_test.c and jobctl_test.c share: the program's own path, reap and install.
 *
 * Each program sets s_self to argv[0] in main(); a case that execs the
 * program again passes it to execve together with a mode word in argv[1],
 * which that program's main() answers before it runs its suite.
 */
#ifndef TEACHOS_PROC_HELPERS_H
#define TEACHOS_PROC_HELPERS_H

#include "harness.h"

static const char* s_self; /* argv[0]: execve runs this program again */

/* waitpid, retried while a handler interrupts it. */
__attribute__((unused)) static int reap(pid_t pid, int* status, int options)
{
    int r;
    while ((r = waitpid(pid, status, options)) < 0 && errno == EINTR) {
    }
    return r;
}

/* sigaction with a plain handler (or SIG_DFL, SIG_IGN) and sa_flags. */
__attribute__((unused)) static void install(int sig, void (*handler)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = flags;
    sigaction(sig, &sa, 0);
}

#endif
