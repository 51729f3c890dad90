// kernel/top/proc/process_internal.h -- what the files of kernel/top/proc/ share, and nobody else needs.
//
// The rest of the kernel asks its process questions through process.h and
// signal.h (scripts/layers.conf lets fs/dev and fs/procfs include only
// those); kernel/top/syscall/ still includes this file for fork, execve,
// wait4 and setpgid.
#pragma once

#include <arch/usermode.h>
#include <kernel/top/proc/exec.h>
#include <kernel/top/proc/process.h>

namespace kern {

// fork beyond this many processes is EAGAIN (a fork bomb's end).
constexpr size_t MAX_PROCESSES = 256;

// A NULL-terminated list of strings the kernel owns (a new program's argv
// or envp): the strings, and the array of their characters that exec and
// load_program read. Every way out of its owner frees it. (exec.cpp)
class StringList {
public:
    // Copies of the strings of `list` (NULL-terminated; nullptr: empty).
    // Errors: ENOMEM.
    static ErrorOr<StringList> copy(const char* const* list);
    // Add a copy of `s` at the end: all of it, or nothing. Errors: ENOMEM.
    ErrorOr<void> try_append(StringView s);
    // The strings' characters, then nullptr (argv's shape).
    const char* const* pointers() const { return m_pointers.is_empty() ? s_empty : m_pointers.data(); }
    size_t size() const { return m_strings.size(); }

private:
    static const char* const s_empty[1];
    Vector<KString> m_strings;
    Vector<const char*> m_pointers;  // m_strings' characters, then nullptr; empty while m_strings is
};

// process.cpp
// For sys_execve (kernel/top/syscall/): free a kmalloc'd NULL-terminated
// array of kmalloc'd strings (until it holds them in a StringList).
void free_string_array(char** list);
// p.set_name(path), for prctl(PR_SET_NAME) in kernel/top/syscall/.
void set_process_name(Process& p, StringView path);
// Give `p` a pid and put it in the table, as a child of `parent` (or, with
// none, as a new session and group, and init if `as_init`).
// Errors: EAGAIN (MAX_PROCESSES reached).
ErrorOr<void> register_process(Process& p, Process* parent, bool as_init = false);
// If `child` is a zombie child of `parent`: take it out of the tree, free
// it, and put its status in `wait_status`. Returns whether it was.
bool reap_child(Process& parent, Process& child, int& wait_status);
// Call fn(p, arg) for every process in the table. => s_tree_lock held.
void for_each_process_locked(void (*fn)(Process&, void*), void* arg);
// The pid given out last (procfs's loadavg). => s_tree_lock held.
u32 last_pid_locked();
Process* init_process_locked();
// Does a process of group `pgid` belong to session `sid`? (setpgid's
// check, and the terminal's through check_group_in_session.)
// => s_tree_lock held.
bool group_exists_in_session_locked(u32 pgid, u32 sid);
// Is group `pgid` orphaned (POSIX): does no member have its parent in
// another group of the same session? `exiting`, if not null, is a process
// in process_exit that no longer counts, as a member nor as a parent
// (Linux's will_become_orphaned_pgrp). A process adopted by init does not
// count either (Process::m_adopted). An empty group is orphaned.
bool is_orphaned_pgrp_locked(u32 pgid, const Process* exiting = nullptr);
// Linux wait status -> a shell's $? (code, or 128 + signal).
int shell_status(int wait_status);

// alarm.cpp: start the thread that sends SIGALRM (once, at boot).
void alarm_init();

// signal.cpp
// send_signal with process_tree_lock() held.
void send_signal_locked(Process& p, int sig, u32 sender_pid);
// signal_process_group with process_tree_lock() held, from the kernel.
// Returns how many members (zombies too) there were.
size_t signal_process_group_locked(u32 pgid, int sig);

// fork.cpp: a copy of the current process whose thread resumes user mode
// with `regs` (result 0). Returns the child's pid. Errors: EAGAIN, ENOMEM.
struct ForkOptions {
    uptr stack = 0;          // the child's stack pointer, if not 0 (clone)
    bool set_tls = false;    // CLONE_SETTLS: the child's thread pointer is `tls`
    uptr tls = 0;
    uptr child_tid = 0;      // CLONE_CHILD_SETTID: store the child's tid here
    u8 exit_signal = SIGCHLD;  // what the parent gets when the child exits (0: nothing)
    bool share_memory = false;   // CLONE_VM (only with wait_for_release): the parent's map
    bool wait_for_release = false;  // CLONE_VFORK: the parent sleeps until the child's
                                    // execve or exit (release_vfork_parent)
};
// vfork: wake the parent that waits for `child`, if any: its execve has
// passed the point of no return, or it is exiting. => s_tree_lock held.
void release_vfork_parent_locked(Process& child);
ErrorOr<u32> fork_current(const arch::UserRegs& regs, const ForkOptions& options);
// How many processes exist (zombies too).
size_t process_count();

// exec.cpp: replace the current process's program (its address space may
// be none yet: a spawned process) with `path`, `argv` and `envp`
// (NULL-terminated; only read). Returns where to enter it. On failure the
// old program goes on. Errors: ENOENT, ENOEXEC, EACCES, E2BIG, ELOOP,
// EFAULT, ENOMEM, ...
ErrorOr<ExecImage> exec_current(StringView path, const char* const* argv, const char* const* envp);

} // namespace kern
