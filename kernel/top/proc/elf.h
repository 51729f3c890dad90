// kernel/top/proc/elf.h -- the ELF64 structures an executable loader reads.
// From the System V gABI and its x86-64 supplement; only what we use.
#pragma once

#include <kernel/base/lib/types.h>

namespace kern::elf {

constexpr u8 MAGIC[4] = {0x7f, 'E', 'L', 'F'};
constexpr u8 CLASS64 = 2, DATA_LSB = 1;
constexpr u16 ET_EXEC = 2, ET_DYN = 3, EM_X86_64 = 62;
constexpr u32 PT_LOAD = 1, PT_INTERP = 3, PT_PHDR = 6, PT_GNU_STACK = 0x6474e551;
constexpr u32 PF_X = 1, PF_W = 2, PF_R = 4;

struct Header {
    u8 ident[16];
    u16 type;
    u16 machine;
    u32 version;
    u64 entry;
    u64 phoff;
    u64 shoff;
    u32 flags;
    u16 ehsize;
    u16 phentsize;
    u16 phnum;
    u16 shentsize;
    u16 shnum;
    u16 shstrndx;
};
static_assert(sizeof(Header) == 64);

struct ProgramHeader {
    u32 type;
    u32 flags;
    u64 offset;
    u64 vaddr;
    u64 paddr;
    u64 filesz;
    u64 memsz;
    u64 align;
};
static_assert(sizeof(ProgramHeader) == 56);

// Auxiliary vector keys (the kernel tells the C library about the process).
constexpr u64 AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6,
              AT_BASE = 7, AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12,
              AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16, AT_CLKTCK = 17,
              AT_SECURE = 23, AT_RANDOM = 25, AT_EXECFN = 31;

} // namespace kern::elf
