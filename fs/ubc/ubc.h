// fs/ubc/ubc.h -- the unified buffer cache's data path: read() and write() of file data.
//
// File contents live in exactly one place: the pages of the file's VM object
// (vm/object.h) -- the same pages mmap maps (Silvers, "UBC", FREENIX 2000).
// ubc_read and ubc_write copy between those pages and the caller's IoBuffer;
// there is no separate buffer cache for file data. They go through the
// range a window of up to 16 pages (64 KiB) at a time; for each window:
//
//   1. with the object locked, find the window's pages -- one tree search
//      for the first, in-order successors for the rest. A read takes the
//      resident ones only: a hole that was never written gets no page, the
//      buffer is zeroed instead, so holes cost no memory. A write has the
//      pager make a missing page (get_page_locked: an aobj zeroes it);
//   2. hold each page (Page::m_hold_count) and unlock the object;
//   3. copy through the kernel's direct map to or from the IoBuffer --
//      without the object lock, because a user buffer may be an mmap of
//      this very file and the copy may fault on it;
//   4. lock, release the holds, and wake anyone waiting to free a page
//      (truncate waits for holds to drain: vm/object.h).
//
// Two lock round trips per window instead of per page: under an emulator
// they cost as much as the copy. A write that finds no page of a window
// resident and covers each one whole (a file written from start to end)
// skips the zeroing and the holds: its pages are allocated outside the
// object, filled by the copy, and only then installed (a "fresh" window;
// fs/ubc/ubc.cpp:write_window has the rules, and what happens if a page
// appears meanwhile).
//
// A window is a batch of held pages, not a kernel mapping: the kernel side
// of the copy is the direct map (every physical page is always mapped),
// unlike NetBSD's ubc_alloc windows, which map file pages into kernel
// virtual space because 32-bit kernels could not map all of RAM.
//
// Locks: the object's m_lock, twice per window; the caller holds no VM lock
// (fs/vfs/iobuffer.h). Lock order: docs/locking.md. See docs/ubc.md.
#pragma once

#include <fs/vfs/iobuffer.h>
#include <kernel/base/lib/error_or.h>

namespace vm {
class VmObject;
}

namespace fs {

// Copy min(n, file_size - offset) bytes from the object into buf. Returns
// the bytes copied: 0 at or past file_size, short if the buffer faulted
// part way (read(2)'s rule).
// Errors: EFAULT, only when not one byte could be copied.
kern::ErrorOr<size_t> ubc_read(vm::VmObject& object, u64 offset, const IoBuffer& buf, size_t n,
                               u64 file_size);
// Copy n bytes from buf into the object's pages at offset, making pages as
// needed. Returns the bytes copied, short if memory ran out, the pager
// refused a page or the buffer faulted part way.
// Errors: ENOMEM, ENOSPC (a pager's limit: tmpfs size=), EFAULT, only when
// nothing was copied.
kern::ErrorOr<size_t> ubc_write(vm::VmObject& object, u64 offset, const IoBuffer& buf, size_t n);

} // namespace fs
