// kernel/top/proc/process_internal.h -- what the files of kernel/top/proc/ share, and nobody else needs.
//
// The rest of the kernel asks its process questions through process.h,
// signal.h and exec.h (scripts/layers.conf lets fs/dev and fs/procfs
// include only the first two); kernel/top/syscall/ uses the same public
// headers.
#pragma once

#include <arch/usermode.h>
#include <kernel/top/proc/exec.h>
#include <kernel/top/proc/process.h>

namespace kern {

// fork beyond this many processes is EAGAIN (a fork bomb's end).
constexpr size_t MAX_PROCESSES = 256;

// process.cpp
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

// signal.cpp
// send_signal with process_tree_lock() held.
void send_signal_locked(Process& p, int sig, u32 sender_pid);
// signal_process_group with process_tree_lock() held, from the kernel.
// Returns how many members (zombies too) there were.
size_t signal_process_group_locked(u32 pgid, int sig);

// fork.cpp
// vfork: wake the parent that waits for `child`, if any: its execve has
// passed the point of no return, or it is exiting. => s_tree_lock held.
void release_vfork_parent_locked(Process& child);

// maps.cpp
// Held by whoever changes the m_map of a process that is in the table
// (process_exit, execve) -- for the swap only: the old map is destroyed
// after it is dropped -- and by /proc's reader while it copies a map
// (copy_process_regions): see maps.cpp.
Mutex& process_map_swap_lock();

} // namespace kern
