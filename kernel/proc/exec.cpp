// kernel/proc/exec.cpp -- loading a static ELF program into an address space.
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
//   3. map the stack (anonymous, growing down from USER_STACK_TOP) and
//      write onto it what the C library's start code expects:
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
#include <kernel/heap/heap.h>
#include <fs/vfs/vfs.h>
#include <kernel/lib/string.h>
#include <kernel/proc/elf.h>
#include <kernel/proc/exec.h>
#include <vm/map.h>
#include <vm/object.h>

namespace kern {

using fs::IoBuffer;

namespace {

constexpr uptr PIE_BASE = 0x0000555555554000ull;
constexpr size_t MAX_PHNUM = 64;
constexpr size_t MAX_ARGS_BYTES = 128 * 1024;  // argv + envp strings (E2BIG above)

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
    if (ph.memsz < ph.filesz || (ph.vaddr % PAGE_SIZE) != (ph.offset % PAGE_SIZE) || ph.memsz == 0)
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
    if (file->vnode().type() != fs::VType::Regular)
        return Errno::EACCES;
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
    image.phnum = h.phnum;
    image.stack_pointer = TRY(setup_stack(map, argv, envp, image, path));
    return image;
}

ErrorOr<uptr> setup_stack(vm::VmMap& map, const char* const* argv, const char* const* envp,
                          const ExecImage& image, StringView path)
{
    TRY(map.map(USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE, vm::PROT_READ | vm::PROT_WRITE,
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
    auto* buf = static_cast<u8*>(kzalloc(size));
    if (!buf)
        return Errno::ENOMEM;
    auto* vec = reinterpret_cast<u64*>(buf);
    uptr cursor = strings_at;
    auto put_string = [&](const char* s, size_t len) {
        memcpy(buf + (cursor - rsp), s, len);  // the NUL is there already (kzalloc)
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
    auto copied = arch::copy_to_user(rsp, buf, size);
    kfree(buf);
    TRY(copied);
    return rsp;
}

} // namespace kern
