// kernel/top/proc/fork.cpp -- fork: a new process that is a copy of the caller.
//
// What is copied, and how:
//   memory       VmMap::clone (vm/map_clone.cpp): nothing is copied now;
//                private pages become copy-on-write in both processes
//                (UVM's amap needs-copy), shared mappings stay shared
//   descriptors  FdTable::copy_from: the child's descriptors share the
//                parent's Files (and so their offsets)
//   the rest     cwd and root (references), umask, signal actions and
//                mask (pending signals are not inherited), the alternate
//                signal stack, process group, session, the program break,
//                the name, what execve kept for /proc (the program's path
//                and arguments: copies, ENOMEM if the heap is short), the
//                resource limits (RLIMIT_NPROC is not
//                checked: everyone is root, whom Linux's copy_process lets
//                past it; MAX_PROCESSES is the real bound)
//   registers    the parent's saved user registers (arch::UserRegs), with
//                the result register 0: the child returns from the same
//                fork() call, seeing 0 where the parent sees the pid
//   thread ptr   the parent's TLS pointer (FS base), unless clone gives one
//
//   FPU/SSE      the parent's state (the rounding mode and exception masks
//                are preserved across calls by the SysV ABI, so a program
//                may count on them surviving fork())
// vfork, and clone(CLONE_VM|CLONE_VFORK) (musl's and glibc's posix_spawn):
// the child *borrows* the parent's address space (m_map, m_borrowed_map)
// instead of getting a copy -- nothing to clone, nothing to tear down --
// and the parent sleeps (uninterruptibly, as Linux's vfork waits) until
// the child lets go of it: its execve passes the point of no return, or
// it exits (release_vfork_parent_locked, from exec.cpp and process.cpp).
// Meanwhile the child's stores land in the parent's memory, which is what
// posix_spawn counts on (glibc reports a failed exec through it). Rules as
// in POSIX: the child may only execve or _exit; one that calls brk moves
// the break of a map whose owner does not know it.
// CLONE_VM without CLONE_VFORK (two processes running in one address space
// at once) is refused in sys_process.cpp: EINVAL. See docs/processes.md
// ("The life of a fork and an execve").
//
// Clean-up: the child Process and what its thread starts from (ForkStart)
// are owned (OwnPtr) until the thread starts, so every error frees them
// (~Process destroys a map of its own and drops the descriptors and
// directories it copied); the point after which nothing can fail is marked.
#include <arch/usercopy.h>
#include <arch/usermode.h>
#include <kernel/base/lib/own_ptr.h>
#include <kernel/base/lib/string.h>
#include <kernel/top/proc/process_internal.h>
#include <kernel/base/sched/thread.h>
#include <new>
#include <vm/map.h>

namespace kern {

namespace {

// What the child's thread starts from: the parent's registers and FPU state.
struct ForkStart {
    alignas(16) u8 regs[arch::USER_REGS_SIZE];
    arch::FpuState fpu;
    Process* child;
    uptr thread_pointer;
    uptr child_tid;  // clone(CLONE_CHILD_SETTID): where the child's tid goes, or 0
};

// The child's first code: its address space, TLS and FPU state, then user
// mode. `arg` is its ForkStart, freed before it leaves (it never comes back).
void fork_child_main(void* arg)
{
    alignas(16) u8 regs[arch::USER_REGS_SIZE];
    {
        OwnPtr<ForkStart> start = OwnPtr<ForkStart>::adopt(static_cast<ForkStart*>(arg));
        Process* child = start->child;
        Thread::current()->set_address_space(child->map(), child->map()->pmap());
        arch::set_user_thread_pointer(start->thread_pointer);
        arch::fpu_load(start->fpu);
        if (start->child_tid) {
            u32 tid = child->pid();  // in the child's own copy of the memory; a bad pointer is ignored, as Linux does
            (void)arch::copy_to_user(start->child_tid, &tid, sizeof(tid));
        }
        memcpy(regs, start->regs, sizeof(regs));
    }
    arch::enter_user_mode_with(*reinterpret_cast<arch::UserRegs*>(regs));
}

} // namespace

ErrorOr<u32> fork_current(const arch::UserRegs& regs, const ForkOptions& options)
{
    if (process_count() >= MAX_PROCESSES)
        return Errno::EAGAIN;  // early, before cloning a whole address space (rechecked later)
    Process* parent = Process::current();
    OwnPtr<Process> child = TRY(make_own<Process>());
    OwnPtr<ForkStart> start = TRY(make_own<ForkStart>());
    TRY(child->m_fds.copy_from(parent->m_fds));
    child->m_fs = parent->m_fs;
    child->m_umask = parent->m_umask;
    child->m_alt_stack = parent->m_alt_stack;  // the same address in the child's copy
    memcpy(child->m_name, parent->m_name, sizeof(child->m_name));
    // The child runs the same program. Only our own thread changes ours, and
    // the child is nobody's yet: no lock.
    child->m_exe_path = TRY(parent->m_exe_path.try_clone());
    child->m_cmdline = TRY(KBuffer::create_copy(parent->m_cmdline.data(), parent->m_cmdline.size()));
    child->m_cmdline_kept = parent->m_cmdline_kept;
    {
        MutexGuard guard(parent->m_brk_lock);
        child->m_brk_start = parent->m_brk_start;
        child->m_brk = parent->m_brk;
    }
    if (options.share_memory) {
        child->m_map = parent->m_map;
        child->m_borrowed_map = true;
    } else {
        child->m_map = TRY(parent->m_map->clone());
    }
    memcpy(start->regs, &regs, arch::USER_REGS_SIZE);
    auto& child_regs = *reinterpret_cast<arch::UserRegs*>(start->regs);
    arch::user_regs_set_result(child_regs, 0);
    if (options.stack)
        arch::user_regs_set_stack(child_regs, options.stack);
    arch::fpu_save(start->fpu);
    start->child = child.get();
    start->thread_pointer = options.set_tls ? options.tls : arch::user_thread_pointer();
    start->child_tid = options.child_tid;
    child->m_exit_signal = options.exit_signal;
    Thread* thread = TRY(Thread::create(child->m_name, fork_child_main, start.get()));
    child->m_thread = thread;  // before the table shows it: a signal interrupts it
    {
        // The tree lock guards what the child inherits from the parent's
        // signal state and group.
        SpinGuard guard(process_tree_lock());
        for (int i = 0; i < NSIG; ++i)
            child->m_sig_actions[i] = parent->m_sig_actions[i];
        child->m_sig_blocked = parent->m_sig_blocked;
        child->m_pgid = parent->m_pgid;
        child->m_sid = parent->m_sid;
        for (u32 r = 0; r < RLIM_NLIMITS; ++r)
            child->set_rlimit_locked(r, parent->m_rlimits[r]);
    }
    if (auto r = register_process(*child, parent); r.is_error()) {
        Thread::destroy_unstarted(thread);
        return r.error();
    }
    // Nothing below can fail: the table owns the child now, its thread the start.
    Process* p = child.leak();
    (void)start.leak();
    u32 pid = p->m_pid;
    if (options.wait_for_release) {
        SpinGuard guard(process_tree_lock());
        p->m_vfork_parent = parent;
        parent->m_vfork_waiting = true;
    }
    thread->set_process(p);
    thread->start();
    if (options.wait_for_release) {
        // The child cannot be reaped before it releases us: we are its
        // parent, and we are here.
        SpinGuard guard(process_tree_lock());
        while (parent->m_vfork_waiting)
            parent->m_vfork_done.wait(process_tree_lock());
    }
    return pid;
}

} // namespace kern
