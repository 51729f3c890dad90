// kernel/top/proc/exec.cpp -- loading a static ELF program into an address space.
//
// What execve does to memory, in order:
//   1. read and check the ELF header and program headers (ENOEXEC for
//      anything we cannot run: not ELF64 x86-64, no PT_LOAD, a PT_INTERP --
//      dynamic linking is not supported, static and static-PIE binaries are);
//   2. for each PT_LOAD segment, map the file's pages privately
//      (copy-on-write) from the file's VM object -- the same pages the page
//      cache holds, so nothing is read or copied now: pages come in by
//      faults; the part of the last file page past the segment's file size
//      is zeroed (the copy-on-write fault makes it private first), and the
//      rest of memsz (the bss) is anonymous zero-fill memory;
//   3. map the stack (anonymous, growing down from USER_STACK_TOP, as big
//      as RLIMIT_STACK within bounds: stack_size) and write onto it what the
//      C library's start code expects:
//
//        USER_STACK_TOP -> +---------------------------+
//                          | 16 random bytes (AT_RANDOM)|
//                          | argument and environment   |
//                          | strings, NUL-terminated    |
//                          +---------------------------+ (16-byte aligned)
//                          | auxv: (key, value)... AT_NULL
//                          | envp[0..n], NULL          |
//                          | argv[0..n], NULL          |
//         rsp at entry ->  | argc                      |
//                          +---------------------------+
//
// The address space must be the current thread's (copy_to_user writes the
// stack). Static-PIE programs are placed at PIE_BASE; they relocate
// themselves. Read more: System V ABI x86-64 supplement, 3.4 ("Process
// Initialization"); Linux fs/binfmt_elf.c for the conventions.
#include <arch/cpu.h>
#include <arch/usercopy.h>
#include <fs/vfs/namei.h>
#include <fs/vfs/vfs.h>
#include <kernel/base/lib/string.h>
#include <kernel/top/proc/elf.h>
#include <kernel/top/proc/exec.h>
#include <kernel/top/proc/process_internal.h>
#include <kernel/base/sched/thread.h>
#include <arch/pmap.h>
#include <arch/usermode.h>
#include <vm/map.h>
#include <vm/object.h>

namespace kern {

using fs::IoBuffer;

namespace {

constexpr uptr PIE_BASE = 0x0000555555554000ull;
constexpr size_t MAX_PHNUM = 64;
constexpr size_t MAX_ARGS_BYTES = 128 * 1024;  // argv + envp strings (E2BIG above)
// The stack region's bounds (stack_size).
constexpr size_t MIN_STACK_SIZE = 256 * 1024;      // room for MAX_ARGS_BYTES and the pointers
constexpr size_t MAX_STACK_SIZE = 256ull << 20;    // what RLIMIT_STACK = RLIM_INFINITY gets

// The size of the stack region execve maps: the caller's RLIMIT_STACK soft
// value (8 MiB by default) in whole pages, kept within [MIN_STACK_SIZE,
// MAX_STACK_SIZE]. Linux maps a small stack and grows it on demand up to
// the limit; here the whole region is mapped at once (its pages still come
// by faults), so the limit is read once, at execve: a later setrlimit
// changes the stack of the next program, not this one's.
size_t stack_size()
{
    u64 limit = Process::current()->rlimit(RLIMIT_STACK).cur;
    if (limit >= MAX_STACK_SIZE)
        return MAX_STACK_SIZE;
    return max(align_up(size_t(limit), PAGE_SIZE), MIN_STACK_SIZE);
}

vm::Prot prot_of(u32 flags)
{
    return vm::Prot(((flags & elf::PF_R) ? vm::PROT_READ : 0) | ((flags & elf::PF_W) ? vm::PROT_WRITE : 0) |
                    ((flags & elf::PF_X) ? vm::PROT_EXEC : 0));
}

ErrorOr<void> read_exact(fs::File& file, u64 offset, void* buf, size_t n)
{
    size_t got = TRY(file.pread(offset, IoBuffer::kernel(buf), n));
    if (got != n)
        return Errno::ENOEXEC;
    return {};
}

ErrorOr<void> check_header(const elf::Header& h)
{
    if (memcmp(h.ident, elf::MAGIC, 4) || h.ident[4] != elf::CLASS64 || h.ident[5] != elf::DATA_LSB ||
        h.machine != elf::EM_X86_64 || (h.type != elf::ET_EXEC && h.type != elf::ET_DYN) ||
        h.phentsize != sizeof(elf::ProgramHeader) || h.phnum == 0 || h.phnum > MAX_PHNUM)
        return Errno::ENOEXEC;
    return {};
}

// Map one PT_LOAD segment at `bias` + its address.
ErrorOr<void> map_segment(vm::VmMap& map, fs::Vnode& vnode, const elf::ProgramHeader& ph, uptr bias)
{
    if (ph.memsz == 0)
        return {};  // nothing to map (Linux skips it too)
    if (ph.memsz < ph.filesz || (ph.vaddr % PAGE_SIZE) != (ph.offset % PAGE_SIZE))
        return Errno::ENOEXEC;
    uptr start = bias + align_down(ph.vaddr, PAGE_SIZE);
    uptr file_end = bias + ph.vaddr + ph.filesz;
    uptr mem_end = align_up(bias + ph.vaddr + ph.memsz, PAGE_SIZE);
    if (start < vm::USER_MIN || mem_end > vm::USER_MAX || mem_end < start)
        return Errno::ENOEXEC;
    vm::Prot prot = prot_of(ph.flags);
    uptr mapped_end = align_up(file_end, PAGE_SIZE);
    if (ph.filesz > 0) {
        vm::VmObject* object = vnode.vm_object();
        if (!object)
            return Errno::ENOEXEC;
        object->reference();
        auto r = map.map(start, mapped_end - start, prot, vm::PROT_ALL, vm::Inherit::Copy, object,
                         align_down(ph.offset, PAGE_SIZE), vm::MAP_PRIVATE | vm::MAP_FIXED);
        if (r.is_error()) {
            object->detach();
            return r.error();
        }
        // The bytes after the file's part of the last page belong to the bss.
        if (ph.memsz > ph.filesz && file_end < mapped_end && (prot & vm::PROT_WRITE))
            TRY(arch::clear_user(file_end, mapped_end - file_end));
    } else {
        mapped_end = start;
    }
    if (mem_end > mapped_end)
        TRY(map.map(mapped_end, mem_end - mapped_end, prot, vm::PROT_ALL, vm::Inherit::Copy, nullptr, 0,
                    vm::MAP_PRIVATE | vm::MAP_FIXED));
    return {};
}

// Only a regular file with an execute bit can be run (root may run one with
// any of the three bits; a directory, a device or a mode-0644 script is
// EACCES, as in Linux).
ErrorOr<void> check_executable(fs::File& file)
{
    fs::VAttr attr = TRY(file.stat());
    if (attr.type != fs::VType::Regular || !(attr.mode & 0111))
        return Errno::EACCES;
    return {};
}

size_t count(const char* const* list)
{
    size_t n = 0;
    while (list && list[n])
        ++n;
    return n;
}

} // namespace

ErrorOr<ExecImage> load_program(const fs::Context& ctx, StringView path, vm::VmMap& map,
                                const char* const* argv, const char* const* envp)
{
    fs::File* file = TRY(fs::open(ctx, path, fs::O_RDONLY, 0));
    kern::RefPtr<fs::File> file_ref = kern::RefPtr<fs::File>::adopt(file);
    TRY(check_executable(*file));
    elf::Header h;
    TRY(read_exact(*file, 0, &h, sizeof h));
    TRY(check_header(h));
    elf::ProgramHeader phdrs[MAX_PHNUM];
    TRY(read_exact(*file, h.phoff, phdrs, h.phnum * sizeof(elf::ProgramHeader)));
    uptr bias = h.type == elf::ET_DYN ? PIE_BASE : 0;
    ExecImage image{};
    bool loaded = false;
    for (size_t i = 0; i < h.phnum; ++i) {
        const elf::ProgramHeader& ph = phdrs[i];
        if (ph.type == elf::PT_INTERP)
            return Errno::ENOEXEC;  // dynamic linking is not supported
        if (ph.type != elf::PT_LOAD)
            continue;
        TRY(map_segment(map, file->vnode(), ph, bias));
        image.brk = max(image.brk, align_up(bias + ph.vaddr + ph.memsz, PAGE_SIZE));
        if (ph.offset == 0)
            image.phdr = bias + ph.vaddr + h.phoff;  // the headers are mapped with this segment
        loaded = true;
    }
    if (!loaded)
        return Errno::ENOEXEC;
    image.entry = bias + h.entry;
    if (image.entry < vm::USER_MIN || image.entry >= vm::USER_MAX)
        return Errno::ENOEXEC;  // iretq to a kernel or non-canonical address would fault in the kernel
    image.phnum = h.phnum;
    image.stack_pointer = TRY(setup_stack(map, argv, envp, image, path));
    return image;
}

ErrorOr<uptr> setup_stack(vm::VmMap& map, const char* const* argv, const char* const* envp,
                          const ExecImage& image, StringView path)
{
    size_t stack_bytes = stack_size();
    TRY(map.map(USER_STACK_TOP - stack_bytes, stack_bytes, vm::PROT_READ | vm::PROT_WRITE,
                vm::PROT_READ | vm::PROT_WRITE, vm::Inherit::Copy, nullptr, 0,
                vm::MAP_PRIVATE | vm::MAP_FIXED));
    size_t argc = count(argv), envc = count(envp);
    size_t strings = path.length() + 1;
    for (size_t i = 0; i < argc; ++i)
        strings += strlen(argv[i]) + 1;
    for (size_t i = 0; i < envc; ++i)
        strings += strlen(envp[i]) + 1;
    if (strings > MAX_ARGS_BYTES)
        return Errno::E2BIG;

    // Addresses first (see the picture at the top), then one buffer holding
    // everything from rsp up to USER_STACK_TOP, copied out in one go.
    const uptr random_at = USER_STACK_TOP - 16;
    const uptr strings_at = random_at - strings;
    const u64 auxv[][2] = {
        {elf::AT_PHDR, image.phdr},       {elf::AT_PHENT, sizeof(elf::ProgramHeader)},
        {elf::AT_PHNUM, image.phnum},     {elf::AT_PAGESZ, PAGE_SIZE},
        {elf::AT_ENTRY, image.entry},     {elf::AT_UID, 0},
        {elf::AT_EUID, 0},                {elf::AT_GID, 0},
        {elf::AT_EGID, 0},                {elf::AT_SECURE, 0},
        {elf::AT_CLKTCK, 100},            {elf::AT_HWCAP, arch::cpu_hwcap()},
        {elf::AT_RANDOM, random_at},      {elf::AT_EXECFN, strings_at},
        {elf::AT_NULL, 0},
    };
    const size_t words = 1 + argc + 1 + envc + 1 + 2 * ARRAY_SIZE(auxv);
    const uptr rsp = align_down(strings_at - words * 8, 16);
    const size_t size = USER_STACK_TOP - rsp;
    KBuffer image_of_stack = TRY(KBuffer::create(size));  // zeroed: the strings' NULs are there
    u8* buf = image_of_stack.data();
    auto* vec = reinterpret_cast<u64*>(buf);
    uptr cursor = strings_at;
    auto put_string = [&](const char* s, size_t len) {
        memcpy(buf + (cursor - rsp), s, len);  // the NUL is there already
        uptr at = cursor;
        cursor += len + 1;
        return at;
    };
    put_string(path.characters(), path.length());  // AT_EXECFN
    size_t w = 0;
    vec[w++] = argc;
    for (size_t i = 0; i < argc; ++i)
        vec[w++] = put_string(argv[i], strlen(argv[i]));
    vec[w++] = 0;
    for (size_t i = 0; i < envc; ++i)
        vec[w++] = put_string(envp[i], strlen(envp[i]));
    vec[w++] = 0;
    for (const auto& pair : auxv) {
        vec[w++] = pair[0];
        vec[w++] = pair[1];
    }
    u64 random[2] = {arch::random_u64(), arch::random_u64()};
    memcpy(buf + (random_at - rsp), random, sizeof random);
    TRY(arch::copy_to_user(rsp, buf, size));
    return rsp;
}

// ---- argument lists ------------------------------------------------------------

const char* const StringList::s_empty[1] = {nullptr};

ErrorOr<StringList> StringList::copy(const char* const* list)
{
    StringList out;
    for (size_t i = 0; list && list[i]; ++i)
        TRY(out.try_append(StringView(list[i])));
    return out;
}

ErrorOr<void> StringList::try_append(StringView s)
{
    KString copy = TRY(KString::create(s));
    TRY(m_strings.try_reserve(m_strings.size() + 1));
    TRY(m_pointers.try_reserve(m_strings.size() + 2));
    // Nothing below can fail: there is room for both.
    if (!m_pointers.is_empty())
        (void)m_pointers.take_last();  // the old end's nullptr
    MUST(m_pointers.try_append(copy.characters()));  // a KString's characters stay put when it moves
    MUST(m_pointers.try_append(nullptr));
    MUST(m_strings.try_append(std::move(copy)));
    return {};
}

// ---- execve ------------------------------------------------------------------
//
// execve(path, argv, envp) for the current process:
//   1. a "#!interpreter [arg]" first line makes the interpreter the program,
//      with argv = interpreter, [arg], path, argv[1...] (up to
//      MAX_INTERPRETERS levels: a script whose interpreter is a script...);
//   2. a new address space is built and the program loaded into it while the
//      old one still exists (the thread switches to the new one to write its
//      stack): any failure switches back, and execve returns the error to
//      the unchanged old program;
//   3. only then is the old address space destroyed, the close-on-exec
//      descriptors closed, caught signals reset to SIG_DFL (ignored ones
//      stay ignored, the mask stays), the alternate signal stack dropped
//      and the restart block (signal.h) emptied; the caller (sys_execve, or a new process's first thread)
//      then enters the new program;
//   4. for /proc/<pid>/exe and cmdline (fs/procfs) the process keeps copies
//      of the program's path -- absolute, every symlink followed (for a
//      script, the interpreter's) -- and of its argv strings, cut at
//      Process::CMDLINE_MAX bytes. They are made after step 2, cannot fail
//      the execve: a short heap leaves none kept (procfs then shows the
//      name), and replace the previous program's.
//
// Clean-up. What exec_current makes before the point of no return is held
// by owners -- the script's argv (StringList), the new map (NewMap), the
// switch to it (MapSwitch), the /proc copies (KString, KBuffer) -- so an
// error at any step undoes the earlier ones by itself, in reverse order.

namespace {

constexpr int MAX_INTERPRETERS = 4;
constexpr size_t SHEBANG_MAX = 256;  // Linux's BINPRM_BUF_SIZE

// Whether `path` starts with "#!"; if so, `interp` and `arg` are the
// interpreter and its optional argument (pieces of `line`).
// Errors: ENOEXEC (a "#!" line with no interpreter); open's, EACCES.
ErrorOr<bool> read_shebang(const fs::Context& ctx, StringView path, char (&line)[SHEBANG_MAX + 1],
                           StringView& interp, StringView& arg)
{
    fs::File* file = TRY(fs::open(ctx, path, fs::O_RDONLY, 0));
    auto file_ref = kern::RefPtr<fs::File>::adopt(file);
    TRY(check_executable(*file));
    size_t n = TRY(file->pread(0, IoBuffer::kernel(line), SHEBANG_MAX));
    line[n] = 0;
    if (n < 2 || line[0] != '#' || line[1] != '!')
        return false;
    size_t end = 2;
    while (end < n && line[end] != '\n')
        ++end;
    line[end] = 0;
    auto is_blank = [](char c) { return c == ' ' || c == '\t'; };
    size_t i = 2;
    while (line[i] && is_blank(line[i]))
        ++i;
    size_t interp_start = i;
    while (line[i] && !is_blank(line[i]))
        ++i;
    interp = StringView(line + interp_start, i - interp_start);
    while (line[i] && is_blank(line[i]))
        ++i;
    size_t arg_end = end;
    while (arg_end > i && is_blank(line[arg_end - 1]))
        --arg_end;
    arg = StringView(line + i, arg_end - i);
    if (interp.is_empty())
        return Errno::ENOEXEC;
    return true;
}

// argv for the interpreter: interp, [arg], path, argv[1...]. Errors: ENOMEM.
ErrorOr<StringList> interpreter_argv(StringView interp, StringView arg, StringView path,
                                     const char* const* argv)
{
    StringList out;
    TRY(out.try_append(interp));
    if (!arg.is_empty())
        TRY(out.try_append(arg));
    TRY(out.try_append(path));
    for (size_t i = 1; argv && argv[0] && argv[i]; ++i)
        TRY(out.try_append(StringView(argv[i])));
    return out;
}

// argv's strings, each with its NUL, in one block cut at CMDLINE_MAX bytes
// (Linux's cmdline has no limit; a cut string loses its NUL).
// Errors: ENOMEM.
ErrorOr<KBuffer> join_args(const char* const* argv)
{
    size_t length = 0;
    for (size_t i = 0; argv && argv[i] && length < Process::CMDLINE_MAX; ++i)
        length += strlen(argv[i]) + 1;
    length = min(length, Process::CMDLINE_MAX);
    KBuffer out = TRY(KBuffer::create(length));
    size_t at = 0;
    for (size_t i = 0; argv && argv[i] && at < length; ++i) {
        size_t n = min(strlen(argv[i]) + 1, length - at);
        memcpy(out.data() + at, argv[i], n);  // the NUL comes with it unless cut
        at += n;
    }
    return out;
}

// The absolute path of what `path` names, with every symlink followed:
// lookup_parent follows a final link to the directory holding its target,
// and getcwd's walk up from that directory names it ("/bin/sh" ->
// "/bin/busybox"). Called after the program was opened by `path`, so it
// names the same file unless someone renamed it in between.
// Errors: ENOMEM, ENAMETOOLONG, and the lookup's and getcwd's.
ErrorOr<KString> resolve_program_path(const fs::Context& ctx, StringView path)
{
    fs::ParentLookup where;
    TRY(fs::lookup_parent(ctx, path, where, fs::Follow::Yes));
    auto dir = kern::RefPtr<fs::Vnode>::adopt(where.dir);
    if (where.kind != fs::LastKind::Normal)
        return Errno::ENOENT;
    KBuffer buf = TRY(KBuffer::create(fs::PATH_MAX));
    auto* chars = reinterpret_cast<char*>(buf.data());
    fs::Context at = ctx;
    at.cwd = dir;
    size_t length = TRY(fs::getcwd(at, chars, fs::PATH_MAX));
    size_t dir_length = length == 1 ? 0 : length;  // "/" + name, not "//name"
    size_t total = dir_length + 1 + where.name_length;
    if (total >= fs::PATH_MAX)
        return Errno::ENAMETOOLONG;
    chars[dir_length] = '/';
    memcpy(chars + dir_length + 1, where.name_buffer, where.name_length);
    return KString::create(StringView(chars, total));
}

// The new program's address space until execve passes the point of no
// return: destroyed with its pmap when the owner goes, unless leak()ed.
class NewMap {
public:
    // Errors: ENOMEM.
    static ErrorOr<NewMap> create()
    {
        arch::Pmap* pmap = TRY(arch::pmap_create());
        auto map = vm::VmMap::create(vm::USER_MIN, vm::USER_MAX, pmap);
        if (map.is_error()) {
            arch::pmap_destroy(pmap);  // the map did not take it over
            return map.error();
        }
        return NewMap(map.value());
    }
    NewMap(NewMap&& other) : m_map(std::exchange(other.m_map, nullptr)) {}
    NewMap(const NewMap&) = delete;
    NewMap& operator=(const NewMap&) = delete;
    ~NewMap()
    {
        if (m_map)
            m_map->destroy();
    }
    vm::VmMap& operator*() const { return *m_map; }
    vm::VmMap* leak() { return std::exchange(m_map, nullptr); }

private:
    explicit NewMap(vm::VmMap* map) : m_map(map) {}
    vm::VmMap* m_map;
};

// Runs the current thread on `map` while it lives, then on `old` again
// (nullptr: none, a spawned process) unless commit() was called.
class MapSwitch {
public:
    MapSwitch(Thread& thread, vm::VmMap& map, vm::VmMap* old) : m_thread(thread), m_old(old)
    {
        m_thread.set_address_space(&map, map.pmap());
    }
    MapSwitch(const MapSwitch&) = delete;
    MapSwitch& operator=(const MapSwitch&) = delete;
    ~MapSwitch()
    {
        if (!m_committed)
            m_thread.set_address_space(m_old, m_old ? m_old->pmap() : nullptr);
    }
    void commit() { m_committed = true; }

private:
    Thread& m_thread;
    vm::VmMap* m_old;
    bool m_committed = false;
};

} // namespace

ErrorOr<ExecImage> exec_current(StringView path_in, const char* const* argv, const char* const* envp)
{
    Process* p = Process::current();
    Thread* self = Thread::current();
    const fs::Context& ctx = p->fs_context();

    // 1. Scripts. `path` stays valid in `lines` while the loop runs; a
    // script's argv is ours (script_args), the caller's is only read.
    char lines[MAX_INTERPRETERS + 1][SHEBANG_MAX + 1];
    StringView path = path_in;
    StringList script_args;
    const char* const* args = argv;
    for (int depth = 0;; ++depth) {
        StringView interp, arg;
        if (!TRY(read_shebang(ctx, path, lines[depth], interp, arg)))
            break;
        if (depth == MAX_INTERPRETERS)
            return Errno::ELOOP;
        script_args = TRY(interpreter_argv(interp, arg, path, args));  // reads the old list first
        args = script_args.pointers();
        path = interp;
    }

    // 2. The new address space, loaded while the old one still exists.
    vm::VmMap* old_map = p->m_map;
    NewMap map = TRY(NewMap::create());
    MapSwitch on_new_map(*self, *map, old_map);
    ExecImage image = TRY(load_program(ctx, path, *map, args, envp));
    // 4. What /proc will show: empty if the heap is short (none kept).
    auto cmdline = join_args(args);
    auto exe_path = resolve_program_path(ctx, path);
    KBuffer kept_cmdline = cmdline.is_error() ? KBuffer() : cmdline.release_value();
    KString kept_exe_path = exe_path.is_error() ? KString() : exe_path.release_value();

    // 3. The point of no return: nothing below can fail.
    on_new_map.commit();
    {
        MutexGuard guard(process_map_swap_lock());  // /proc's readers (maps.cpp)
        p->m_map = map.leak();
    }
    if (old_map && !p->m_borrowed_map)
        old_map->destroy();  // a vfork child's was its parent's: given back below
    p->m_borrowed_map = false;
    {
        MutexGuard guard(p->m_brk_lock);
        p->m_brk_start = p->m_brk = image.brk;
    }
    p->m_fds.close_on_exec();
    // The alternate signal stack was memory of the old program. Linux's
    // begin_new_exec zeroes its address and size and keeps the flags (so an
    // SS_AUTODISARM set before still shows in sigaltstack's answer).
    p->m_alt_stack.sp = 0;
    p->m_alt_stack.size = 0;
    p->m_restart = {};  // a continuation of the old program's sleep: nothing to go on with
    {
        SpinGuard guard(process_tree_lock());
        for (SigAction& a : p->m_sig_actions)
            if (a.handler != SIG_IGN)
                a = {};
        p->set_name(path_in);
        // Swapped, not assigned: the previous program's copies are freed
        // with the locals, after the lock is dropped.
        std::swap(p->m_exe_path, kept_exe_path);
        std::swap(p->m_cmdline, kept_cmdline);
        p->m_cmdline_kept = !cmdline.is_error();
        p->m_did_exec = true;  // Linux clears PF_FORKNOEXEC here
        release_vfork_parent_locked(*p);  // vfork: the parent may go on
    }
    arch::set_user_thread_pointer(0);
    return image;
}

} // namespace kern
