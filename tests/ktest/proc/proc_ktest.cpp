// tests/ktest/proc/proc_ktest.cpp -- the first user programs, seen from the kernel.
//
// The programs (user/tests/*.c, musl-gcc -static) are linked into the kernel
// (user_blobs.S); each case writes one into the root tmpfs, spawns it as a
// process and checks its exit status. The console shows what they print.
// The process calls themselves (fork, execve, signals, groups, limits) are
// tested from user space by user/tests/proc_test.c, in make test's user stage.
#include <fs/vfs/vfs.h>
#include <kernel/base/ktest/ktest.h>
#include <kernel/top/proc/process.h>

extern "C" const u8 user_blob_proc_basic[], user_blob_proc_basic_end[];
extern "C" const u8 user_blob_proc_segv[], user_blob_proc_segv_end[];
extern "C" const u8 user_blob_mem_basic[], user_blob_mem_basic_end[];
extern "C" const u8 user_blob_mem_protect[], user_blob_mem_protect_end[];

using namespace kern;

namespace {

void install(const fs::Context& ctx, const char* path, const u8* start, const u8* end)
{
    fs::File* f = MUST(fs::open(ctx, path, fs::O_CREAT | fs::O_TRUNC | fs::O_WRONLY, 0755));
    MUST(f->write(fs::IoBuffer::kernel(start), size_t(end - start)));
    f->unref();
}

int run(const fs::Context& ctx, const char* path, const char* const* argv, const char* const* envp)
{
    Process* p = MUST(Process::spawn(ctx, path, argv, envp));
    int status = p->wait();
    p->release();
    return status;
}

} // namespace

KTEST(proc, static_program_runs_and_exits)
{
    fs::Context ctx = MUST(fs::root_context());
    install(ctx, "/proc_basic", user_blob_proc_basic, user_blob_proc_basic_end);
    const char* argv[] = {"/proc_basic", "one", "two", nullptr};
    const char* envp[] = {"HOME=/", nullptr};
    KEXPECT_EQ(run(ctx, "/proc_basic", argv, envp), 42);
    MUST(fs::unlink(ctx, "/proc_basic"));
}

KTEST(proc, bad_access_kills_with_sigsegv)
{
    fs::Context ctx = MUST(fs::root_context());
    install(ctx, "/proc_segv", user_blob_proc_segv, user_blob_proc_segv_end);
    const char* argv[] = {"/proc_segv", nullptr};
    KEXPECT_EQ(run(ctx, "/proc_segv", argv, nullptr), 128 + 11);
    MUST(fs::unlink(ctx, "/proc_segv"));
}

KTEST(proc, exec_errors)
{
    fs::Context ctx = MUST(fs::root_context());
    const char* argv[] = {"x", nullptr};
    KEXPECT_EQ(run(ctx, "/no/such/program", argv, nullptr), 127);
    fs::File* f = MUST(fs::open(ctx, "/not_elf", fs::O_CREAT | fs::O_WRONLY, 0755));
    MUST(f->write(fs::IoBuffer::kernel("just text\n"), 10));
    f->unref();
    KEXPECT_EQ(run(ctx, "/not_elf", argv, nullptr), 127);  // ENOEXEC
    // A script whose interpreter does not exist: ENOENT.
    f = MUST(fs::open(ctx, "/bad_script", fs::O_CREAT | fs::O_WRONLY, 0755));
    MUST(f->write(fs::IoBuffer::kernel("#!/no/such/shell -x\n"), 20));
    f->unref();
    KEXPECT_EQ(run(ctx, "/bad_script", argv, nullptr), 127);
    // Not executable: EACCES.
    f = MUST(fs::open(ctx, "/not_exec", fs::O_CREAT | fs::O_WRONLY, 0644));
    f->unref();
    KEXPECT_EQ(run(ctx, "/not_exec", argv, nullptr), 127);
    MUST(fs::unlink(ctx, "/not_elf"));
    MUST(fs::unlink(ctx, "/bad_script"));
    MUST(fs::unlink(ctx, "/not_exec"));
}

KTEST(proc, memory_calls)
{
    fs::Context ctx = MUST(fs::root_context());
    install(ctx, "/mem_basic", user_blob_mem_basic, user_blob_mem_basic_end);
    install(ctx, "/mem_protect", user_blob_mem_protect, user_blob_mem_protect_end);
    const char* argv[] = {"mem", nullptr};
    KEXPECT_EQ(run(ctx, "/mem_basic", argv, nullptr), 42);
    KEXPECT_EQ(run(ctx, "/mem_protect", argv, nullptr), 128 + 11);
    MUST(fs::unlink(ctx, "/mem_basic"));
    MUST(fs::unlink(ctx, "/mem_protect"));
}
