// fs/vfs/namei.cpp -- path lookup ("namei": name to inode).
//
// How a path is walked. The path is copied into a buffer of PATH_MAX bytes
// (the Walk); `dir` is the directory the next component is looked up in,
// always referenced. Each turn of the loop in walk():
//
//      "/a/b/../l/c"          dir = ctx.root ('/'), or ctx.cwd if relative
//        |
//   1. next_component: skip '/'s, take the bytes up to the next '/'
//        |                          (> NAME_MAX: ENAMETOOLONG)
//   2. dir must be a directory (else ENOTDIR)
//   3. lookup_parent stops here at the last component (not looked up)
//        |
//   4. step(): "."  -> dir itself
//              ".." -> stay at ctx.root; at the root of a mounted fs first
//                      go to the vnode it covers (repeat: stacked mounts),
//                      then ask the fs for "..";
//              name -> dir->lookup(name);
//              then, if the result is a mount point, go down to the root
//              of what is mounted there (mounted_root).
//   5. a symlink, unless it is the last component of a no-follow lookup
//      without a trailing '/': replace it, inside the buffer, by its
//      target:   buffer = target + the rest of the path   ("x/y" + "/c")
//      and restart at ctx.root if the target is absolute, else stay in
//      dir. Counting these gives ELOOP after SYMLOOP_MAX.
//   6. the last component: a trailing '/' needs a directory (ENOTDIR);
//      otherwise dir = the result and go to 1.
//
// lookup_parent stops at step 3 without looking the last component up --
// except for open(O_CREAT) (Follow::Yes): there a last component that is a
// symlink is spliced as in step 5 and the walk goes on, so the caller gets
// the directory and name the link points at, existing or not (Linux's
// open_last_lookups; the links count towards the same SYMLOOP_MAX).
//
// References: `dir` is dropped when replaced, and the Walk's destructor
// drops whatever it still holds, so every error return is leak-free. The
// result is handed over (w.dir = nullptr) instead of dropped.
//
// No name cache: every step asks the file system (tmpfs's lookup is a
// list walk in memory; a cache would need invalidating on unlink, rename
// and rmdir -- Linux's dcache, NetBSD's namecache -- and is left as a lab).
// Read more: NetBSD sys/kern/vfs_lookup.c (namei, lookup_once,
// namei_follow), xv6 fs.c (namex, skipelem). docs/vfs.md ("Path lookup").
#include <fs/vfs/mount.h>
#include <fs/vfs/namei.h>
#include <kernel/base/lib/string.h>

namespace fs {

namespace {

// A PATH_MAX byte buffer on the heap (kernel stacks are small).
struct PathBuffer {
    char* bytes = nullptr;
    PathBuffer() = default;
    PathBuffer(const PathBuffer&) = delete;
    PathBuffer& operator=(const PathBuffer&) = delete;
    ~PathBuffer() { delete[] bytes; }
    bool allocate()
    {
        bytes = new (std::nothrow) char[PATH_MAX];
        return bytes != nullptr;
    }
};

struct Walk {
    explicit Walk(const Context& c) : ctx(c) {}
    Walk(const Walk&) = delete;
    Walk& operator=(const Walk&) = delete;
    ~Walk()
    {
        if (dir)
            dir->unref();
    }
    const Context& ctx;
    Vnode* dir = nullptr;  // referenced
    PathBuffer path;       // the rest of the path: path.bytes[pos, length)
    size_t length = 0;
    size_t pos = 0;
    unsigned links = 0;    // symlinks followed
};

// Copy `path` in and pick the starting directory.
// Errors: ENOENT (empty), ENAMETOOLONG, EINVAL (a NUL), ENOMEM.
ErrorOr<void> start(Walk& w, StringView path)
{
    if (path.is_empty())
        return Errno::ENOENT;
    if (path.length() >= PATH_MAX)
        return Errno::ENAMETOOLONG;
    if (path.contains('\0'))
        return Errno::EINVAL;
    if (!w.path.allocate())
        return Errno::ENOMEM;
    memcpy(w.path.bytes, path.characters(), path.length());
    w.length = path.length();
    w.dir = path.starts_with('/') ? w.ctx.root.get() : w.ctx.cwd.get();
    KASSERT(w.dir);
    w.dir->ref();
    return {};
}

struct Component {
    StringView name;
    bool last;      // nothing but '/'s after it
    bool trailing;  // last, and followed by a '/'
};

// The next component; pos stops right after it. Returns false at the end.
bool next_component(Walk& w, Component& c)
{
    const char* p = w.path.bytes;
    while (w.pos < w.length && p[w.pos] == '/')
        ++w.pos;
    if (w.pos == w.length)
        return false;
    size_t begin = w.pos;
    while (w.pos < w.length && p[w.pos] != '/')
        ++w.pos;
    size_t after = w.pos;
    while (after < w.length && p[after] == '/')
        ++after;
    c.name = StringView(p + begin, w.pos - begin);
    c.last = after == w.length;
    c.trailing = c.last && w.pos < w.length;
    return true;
}

// If `v` is a mount point, the root mounted there (v's reference dropped).
Vnode* cross_down(Vnode* v)
{
    Vnode* root = mounted_root(*v);
    if (!root)
        return v;
    v->unref();
    return root;
}

// "..": stay at the lookup root; leave mounted roots for what they cover.
ErrorOr<Vnode*> dotdot(const Context& ctx, Vnode& dir)
{
    Vnode* cur = &dir;
    cur->ref();
    for (;;) {
        if (cur == ctx.root.get())
            return cur;
        Vnode* covered = covered_vnode(*cur);
        if (!covered)
            break;
        cur->unref();
        cur = covered;
    }
    auto parent = cur->lookup("..");
    cur->unref();
    return cross_down(TRY(std::move(parent)));
}

// Replace the symlink just read by its target inside the path buffer.
// Errors: ELOOP, ENOENT (empty target), ENAMETOOLONG, ENOMEM.
ErrorOr<void> splice_symlink(Walk& w, Vnode& link)
{
    if (++w.links > SYMLOOP_MAX)
        return Errno::ELOOP;
    PathBuffer target;
    if (!target.allocate())
        return Errno::ENOMEM;
    size_t n = TRY(link.readlink(IoBuffer::kernel(target.bytes), PATH_MAX));
    if (n == 0)
        return Errno::ENOENT;
    size_t rest = w.length - w.pos;
    if (n + rest >= PATH_MAX)
        return Errno::ENAMETOOLONG;
    memcpy(target.bytes + n, w.path.bytes + w.pos, rest);
    char* old = w.path.bytes;
    w.path.bytes = target.bytes;
    target.bytes = old;  // freed by target's destructor
    w.length = n + rest;
    w.pos = 0;
    if (w.path.bytes[0] == '/') {
        w.dir->unref();
        w.dir = w.ctx.root.get();
        w.dir->ref();
    }
    return {};
}

// lookup_parent with Follow::Yes (open with O_CREAT): if the last
// component `name` exists and is a symlink, replace it by its target, so
// that the walk goes on to the name the link points at -- which need not
// exist (Linux creates a dangling symlink's target). Returns true if
// spliced, false if the name is missing or not a symlink. Errors: ELOOP, ...
ErrorOr<bool> splice_final_symlink(Walk& w, StringView name)
{
    auto next = lookup_component(w.ctx, *w.dir, name);
    if (next.is_error())
        return next.error() == Errno::ENOENT ? ErrorOr<bool>(false) : ErrorOr<bool>(next.error());
    Vnode* v = next.value();
    if (v->type() != VType::Symlink) {
        v->unref();
        return false;
    }
    auto spliced = splice_symlink(w, *v);
    v->unref();
    TRY(spliced);
    return true;
}

void fill_parent(Walk& w, const Component& c, ParentLookup& out)
{
    out.kind = c.name == "." ? LastKind::Dot : c.name == ".." ? LastKind::DotDot : LastKind::Normal;
    out.trailing_slash = c.trailing;
    memcpy(out.name_buffer, c.name.characters(), c.name.length());
    out.name_length = c.name.length();
    out.name_buffer[out.name_length] = '\0';
    out.dir = w.dir;  // the walk's reference goes to the caller
    w.dir = nullptr;
}

// The loop of the essay above. With `parent`, stop before the last
// component and fill *parent (returns nullptr) -- with Follow::Yes only once
// that component is not a symlink; else returns the vnode, referenced.
ErrorOr<Vnode*> walk(Walk& w, Follow follow, ParentLookup* parent)
{
    for (;;) {
        Component c;
        if (!next_component(w, c)) {  // "/" (or a symlink to it): dir itself
            if (parent) {
                parent->kind = LastKind::Root;
                parent->name_length = 0;
                parent->name_buffer[0] = '\0';
                parent->trailing_slash = false;
                parent->dir = w.dir;
                w.dir = nullptr;
                return nullptr;
            }
            return std::exchange(w.dir, nullptr);
        }
        if (c.name.length() > NAME_MAX)
            return Errno::ENAMETOOLONG;
        if (!w.dir->is_directory())
            return Errno::ENOTDIR;
        if (parent && c.last) {
            if (follow == Follow::Yes && !c.trailing) {
                auto spliced = TRY(splice_final_symlink(w, c.name));
                if (spliced)
                    continue;
            }
            fill_parent(w, c, *parent);
            return nullptr;
        }
        Vnode* next = TRY(lookup_component(w.ctx, *w.dir, c.name));
        if (next->type() == VType::Symlink && (!c.last || follow == Follow::Yes || c.trailing)) {
            auto spliced = splice_symlink(w, *next);
            next->unref();
            TRY(spliced);
            continue;
        }
        if (c.last) {
            if (c.trailing && !next->is_directory()) {
                next->unref();
                return Errno::ENOTDIR;
            }
            return next;
        }
        w.dir->unref();
        w.dir = next;
    }
}

} // namespace

ErrorOr<Vnode*> lookup_component(const Context& ctx, Vnode& dir, StringView name)
{
    if (!dir.is_directory())
        return Errno::ENOTDIR;
    if (name.length() > NAME_MAX)
        return Errno::ENAMETOOLONG;
    if (name == ".") {
        dir.ref();
        return &dir;
    }
    if (name == "..")
        return dotdot(ctx, dir);
    return cross_down(TRY(dir.lookup(name)));
}

ErrorOr<Vnode*> lookup(const Context& ctx, StringView path, Follow follow)
{
    Walk w(ctx);
    TRY(start(w, path));
    return walk(w, follow, nullptr);
}

ErrorOr<void> lookup_parent(const Context& ctx, StringView path, ParentLookup& out, Follow follow)
{
    Walk w(ctx);
    TRY(start(w, path));
    TRY(walk(w, follow, &out));
    KASSERT(out.dir);
    return {};
}

} // namespace fs
