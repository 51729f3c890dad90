// fs/vfs/context.h -- fs::Context: where a path lookup starts, and who asks.
//
// Every VFS call (fs/vfs/vfs.h) takes a Context. It is what a process will
// carry (Unix's u_rdir, u_cdir, u_cred; Linux's fs_struct + cred):
//
//   root  the lookup root: absolute paths start here, and ".." at it stays
//         (chroot changes it);
//   cwd   the current directory: relative paths start here (chdir changes it);
//   cred  the credentials permission checks will use.
//
// References: a Context holds one reference on each of root and cwd (through
// kern::RefPtr), so copying a Context (fork) takes new references and
// destroying one drops them. Neither is ever null in a Context given to the
// VFS. A Context is not locked: its owner (a process, a test) changes it only
// from its own thread.
//
// Making one: fs::root_context() (fs/vfs/vfs.h) gives root = cwd = the root
// of the root file system.  See docs/vfs.md.
#pragma once

#include <fs/vfs/types.h>
#include <fs/vfs/vnode.h>
#include <kernel/base/lib/ref_ptr.h>

namespace fs {

struct Context {
    kern::RefPtr<Vnode> root;
    kern::RefPtr<Vnode> cwd;
    Cred cred;
};

} // namespace fs
