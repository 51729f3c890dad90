// kernel/top/main.cpp -- kmain: bring the machine-independent kernel up.
//
//   boot/boot.S -> arch/x86_64/start.cpp:kmain_entry -> kern::kmain (here)
//
// kmain sets up memory (page tables, page allocator, heap, the kernel map), the scheduler
// and the timer, mounts a tmpfs as the root file system, then starts the
// first thread, "main", and becomes the idle thread. "main" runs the
// in-kernel tests if the command line asks for them (ktest=...), otherwise
// it starts init (/init, or init=PATH) and powers off when init exits.
// See docs/boot.md.
#include <arch/boot_info.h>
#include <arch/cpu.h>
#include <arch/debug.h>
#include <arch/time.h>
#include <fs/block/blkdev.h>
#include <fs/ffs/ffs_mount.h>
#include <fs/dev/devices.h>
#include <fs/procfs/procfs.h>
#include <fs/tmpfs/tmpfs.h>
#include <fs/vfs/vfs.h>
#include <kernel/base/boot_memory.h>
#include <kernel/base/cmdline.h>
#include <kernel/base/heap/heap.h>
#include <kernel/top/initramfs.h>
#include <kernel/base/ktest/ktest.h>
#include <kernel/top/main.h>
#include <kernel/top/syncer.h>
#include <kernel/base/printk.h>
#include <kernel/top/proc/process.h>
#include <kernel/base/sched/sched.h>
#include <kernel/base/sched/thread.h>
#include <vm/kmem.h>
#include <vm/pageout.h>
#include <kernel/base/page/page_allocator.h>

namespace kern {

// Run init (the "init=" command-line program, default /init) as pid 1 and
// wait for it. When it exits the machine powers off: there is nothing left
// to run (Linux panics here; powering off suits QEMU and scripts better).
// The status line is part of the interface of scripts/run-in-guest.
static void run_init()
{
    char path[256] = "/init";
    (void)cmdline_get("init", path, sizeof path);
    fs::Context root = MUST(fs::root_context());
    if (fs::stat(root, path).is_error()) {
        printk("kernel ready: no %s to run (boot with an initramfs: make run)\n", path);
        return;
    }
    const char* argv[] = {path, nullptr};
    const char* envp[] = {"HOME=/root", "PATH=/bin:/sbin:/usr/bin:/usr/sbin", "TERM=vt100",
                          nullptr};
    auto init = Process::spawn(root, path, argv, envp, true);
    if (init.is_error()) {
        printk("kernel: cannot start %s: %s\n", path, errno_name(init.error()));
        return;
    }
    int status = init.value()->wait();
    init.value()->release();
    printk("teachos: init exited with status %d\n", status);
    arch::system_exit(0);
}

static void main_thread(void*)
{
    char filter[256];
    if (cmdline_get("ktest", filter, sizeof filter)) {
        int failed = ktest::run(filter[0] ? filter : "all");
        arch::system_exit(failed ? 1 : 0);
    }
    vm::PageStats ps = vm::page_allocator().stats();
    printk("kernel ready: %zu of %zu pages free, up %lu ms\n", ps.free, ps.total,
           arch::monotonic_ns() / 1000000);
    run_init();
    for (;;)
        sleep_ns(1000000000ull * 3600);
}

// Mount procfs on /proc. A root without /proc (or any other trouble) is
// not fatal: the system runs without it, and says so.
static void mount_proc()
{
    fs::procfs::procfs_register();
    auto root = fs::root_context();
    auto mounted = root.is_error() ? ErrorOr<void>(root.error())
                                   : fs::mount(root.value(), "proc", "/proc", "");
    if (mounted.is_error())
        printk("kernel: /proc not mounted: %s\n", errno_name(mounted.error()));
}

void kmain()
{
    const arch::BootInfo& info = arch::boot_info();
    cmdline_init(info.cmdline);
    g_panic_exits = cmdline_has("panic=exit") || false;
    char value[16];
    if (cmdline_get("panic", value, sizeof value))
        g_panic_exits = value[0] == 'e';
    printk("\nteachos: x86-64 teaching kernel booting; command line \"%s\"\n", cmdline());

    boot_memory_init();
    heap_init();
    vm::kmem_init();
    scheduler_init();
    arch::late_init();

    fs::tmpfs_register();
    fs::ffs::ffs_register();
    MUST(fs::mount_root("tmpfs", ""));
    initramfs_load_boot_module();  // the "initramfs" module, if any, into "/"
    dev::init();                   // the console, /dev/null, ... (fs/dev)
    block::init();                 // RAM disks from the command line (md0=64M) and /dev/md0
    mount_proc();                  // /proc (fs/procfs), if the root has the directory
    alarm_init();                  // alarm(2)'s SIGALRM sender
    syncer_init();                 // sync every 30 s (syncer=N): kernel/top/syncer.h
    vm::pagedaemon_start();        // page-out when memory runs short (vm/pageout.h)
    oom_init();                    // ... and the OOM killer when nothing is left to page out

    Thread* main = MUST(Thread::create("main", main_thread, nullptr));
    main->detach();
    main->start();
    arch::irq_enable();
    idle_loop();
}

} // namespace kern
