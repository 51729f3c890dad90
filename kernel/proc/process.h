// kernel/proc/process.h -- Process: a program running in its own address space.
//
// This is the first step of the processes chapter: a process is one user
// thread, an address space (a VmMap with its pmap), a file-system context,
// a pid and an exit status that its creator can wait for. fork, signals,
// file descriptors and wait4 come with the rest of the chapter.
//
// Life: Process::spawn makes the process and its thread; the thread loads
// the program (kernel/proc/exec.h) into the new address space and enters
// user mode; exit/exit_group end it (process_exit), which frees the address
// space at once and wakes whoever waits in wait(). The creator frees the
// Process with release() after wait().
#pragma once

#include <fs/vfs/context.h>
#include <kernel/lib/error_or.h>
#include <kernel/sync/mutex.h>
#include <kernel/sched/wait_queue.h>

namespace vm {
class VmMap;
}

namespace kern {

class Thread;

[[noreturn]] void process_exit(int status);
[[noreturn]] void exit_on_exception(int signal, const char* name, const char* access, uptr address,
                                    uptr rip);

class Process {
public:
    // Start `path` with `argv` / `envp` (NULL-terminated; copied) in a new
    // process whose file-system context is `ctx`. The program is loaded by
    // the new thread; if loading fails the process exits with status 127.
    // => ENOMEM.
    static ErrorOr<Process*> spawn(const fs::Context& ctx, StringView path, const char* const* argv,
                                   const char* const* envp);

    // Sleep until the process has exited. => its exit status (0-255), or
    // 128 + n if it was killed by signal n (exit_on_exception).
    int wait();
    // Free the process. => wait() returned.
    void release();

    u32 pid() const { return m_pid; }
    vm::VmMap* map() const { return m_map; }
    const fs::Context& fs_context() const { return m_fs; }

    static Process* current();

    // The program break (brk): the heap grows up from m_brk_start. Guarded
    // by m_brk_lock (threads of one process will share it).
    Mutex m_brk_lock;
    uptr m_brk_start = 0;
    uptr m_brk = 0;

private:
    friend void process_exit(int status);
    friend void process_thread_main(void* arg);
    friend void exit_on_exception(int, const char*, const char*, uptr, uptr);
    Process() = default;

    u32 m_pid = 0;
    fs::Context m_fs;
    vm::VmMap* m_map = nullptr;
    Thread* m_thread = nullptr;
    char m_path[256] = {};
    char** m_argv = nullptr;  // kmalloc'd copies, freed once loaded
    char** m_envp = nullptr;
    SpinLock m_lock;          // guards the two fields below
    bool m_exited = false;
    int m_status = 0;
    WaitQueue m_exit_waiters;
};

// End the current process with `status`: free its address space, wake the
// waiter, end its thread. => called on the process's own thread.
[[noreturn]] void process_exit(int status);

// From the trap handler: the current process raised CPU exception `name`
// (at `address`, for `access`, if a page fault) at `rip`: print one line and
// end it as killed by `signal` (status 128 + signal).
[[noreturn]] void exit_on_exception(int signal, const char* name, const char* access, uptr address,
                                    uptr rip);

} // namespace kern
