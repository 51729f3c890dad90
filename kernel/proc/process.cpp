// kernel/proc/process.cpp -- spawning, waiting for and ending a process (see process.h).
#include <arch/pmap.h>
#include <arch/usermode.h>
#include <kernel/heap/heap.h>
#include <kernel/lib/string.h>
#include <kernel/printk.h>
#include <kernel/proc/exec.h>
#include <kernel/proc/process.h>
#include <kernel/sched/thread.h>
#include <new>
#include <vm/map.h>

namespace kern {

static u32 s_next_pid = 1;
static SpinLock s_pid_lock;

// A NULL-terminated array of kmalloc'd copies of `list` (nullptr means empty).
static char** copy_strings(const char* const* list)
{
    size_t n = 0;
    while (list && list[n])
        ++n;
    auto** copy = static_cast<char**>(kzalloc((n + 1) * sizeof(char*)));
    if (!copy)
        return nullptr;
    for (size_t i = 0; i < n; ++i) {
        size_t len = strlen(list[i]);
        copy[i] = static_cast<char*>(kmalloc(len + 1));
        if (!copy[i]) {
            for (size_t j = 0; j < i; ++j)
                kfree(copy[j]);
            kfree(copy);
            return nullptr;
        }
        memcpy(copy[i], list[i], len + 1);
    }
    return copy;
}

static void free_strings(char** list)
{
    for (size_t i = 0; list && list[i]; ++i)
        kfree(list[i]);
    kfree(list);
}

void process_thread_main(void* arg)
{
    auto* p = static_cast<Process*>(arg);
    Thread::current()->set_address_space(p->m_map, p->m_map->pmap());
    auto image = load_program(p->m_fs, p->m_path, *p->m_map, p->m_argv, p->m_envp);
    free_strings(p->m_argv);
    free_strings(p->m_envp);
    p->m_argv = p->m_envp = nullptr;
    if (image.is_error()) {
        printk("exec %s: %s\n", p->m_path, errno_name(image.error()));
        process_exit(127);
    }
    p->m_brk_start = p->m_brk = image.value().brk;
    arch::enter_user_mode(image.value().entry, image.value().stack_pointer);
}

ErrorOr<Process*> Process::spawn(const fs::Context& ctx, StringView path, const char* const* argv,
                                 const char* const* envp)
{
    if (path.length() >= sizeof(Process::m_path))
        return Errno::ENAMETOOLONG;
    auto* p = new (std::nothrow) Process;
    if (!p)
        return Errno::ENOMEM;
    p->m_fs = ctx;
    memcpy(p->m_path, path.characters(), path.length());
    p->m_argv = copy_strings(argv);
    p->m_envp = copy_strings(envp);
    auto pmap = arch::pmap_create();
    ErrorOr<vm::VmMap*> map = pmap.is_error() ? ErrorOr<vm::VmMap*>(pmap.error())
                                              : vm::VmMap::create(vm::USER_MIN, vm::USER_MAX, pmap.value());
    ErrorOr<Thread*> thread = map.is_error() ? ErrorOr<Thread*>(map.error())
                                             : Thread::create("user", process_thread_main, p);
    if (!p->m_argv || !p->m_envp || thread.is_error()) {
        if (!map.is_error())
            map.value()->destroy();
        else if (!pmap.is_error())
            arch::pmap_destroy(pmap.value());
        free_strings(p->m_argv);
        free_strings(p->m_envp);
        delete p;
        return thread.is_error() ? thread.error() : Errno::ENOMEM;
    }
    {
        SpinGuard guard(s_pid_lock);
        p->m_pid = s_next_pid++;
    }
    p->m_map = map.value();
    p->m_thread = thread.value();
    p->m_thread->set_process(p);
    p->m_thread->detach();
    p->m_thread->start();
    return p;
}

int Process::wait()
{
    SpinGuard guard(m_lock);
    while (!m_exited)
        m_exit_waiters.wait(m_lock);
    return m_status;
}

void Process::release()
{
    KASSERT(m_exited);
    delete this;
}

Process* Process::current() { return Thread::current()->process(); }

void process_exit(int status)
{
    Process* p = Process::current();
    KASSERT(p);
    Thread::current()->set_address_space(nullptr, nullptr);
    p->m_map->destroy();
    p->m_map = nullptr;
    {
        SpinGuard guard(p->m_lock);
        p->m_exited = true;
        p->m_status = status & 0xff;
        p->m_exit_waiters.wake_all();
    }
    // `p` may be freed by its waiter from here on.
    thread_exit();
}

void exit_on_exception(int signal, const char* name, const char* access, uptr address, uptr rip)
{
    Process* p = Process::current();
    KASSERT_MSG(p, "user-mode exception without a process");
    if (access)
        printk("pid %u (%s): %s: %s at %#lx, rip %#lx: killed by signal %d\n", p->pid(), p->m_path,
               name, access, address, rip, signal);
    else
        printk("pid %u (%s): %s at rip %#lx: killed by signal %d\n", p->pid(), p->m_path, name, rip,
               signal);
    process_exit(128 + signal);
}

} // namespace kern
