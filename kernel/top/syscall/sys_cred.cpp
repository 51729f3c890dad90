// kernel/top/syscall/sys_cred.cpp -- identities: getuid, setresuid, getgroups, ... for a system of one user.
//
// There is one user, root: the ids come from the process's credentials
// (fs::Cred in its fs::Context, always 0 today). A set*id call that keeps
// them -- each id -1 ("leave it") or the id it already has -- is accepted,
// one that would change them is EPERM; setuid(-1) is EINVAL, as Linux.
// There are no supplementary groups: getgroups returns none, setgroups
// accepts only root's own group.
//
// Sources: the Linux man pages getuid(2), setuid(2), setreuid(2),
// setresuid(2), setfsuid(2), getgroups(2); Linux kernel/sys.c (the set*id
// calls), kernel/groups.c.
#include <kernel/base/abi/linux/limits.h>
#include <kernel/top/proc/process.h>
#include <kernel/top/syscall/syscall.h>

namespace kern {

namespace {

fs::Cred& cred() { return Process::current()->fs_context().cred; }

// A set*id argument: -1 ("leave it") or the id it already has.
// Errors: EPERM (any other id: there is no other user to become).
ErrorOr<void> keep_id(u32 wanted, u32 current)
{
    if (wanted == u32(-1) || wanted == current)
        return {};
    return Errno::EPERM;
}

// setuid/setgid. Returns 0. Errors: EINVAL (-1), EPERM.
ErrorOr<u64> set_one_id(u32 wanted, u32 current)
{
    if (wanted == u32(-1))
        return Errno::EINVAL;  // setuid(-1): Linux's answer
    TRY(keep_id(wanted, current));
    return 0;
}

// getresuid/getresgid: the real, effective and saved ids (all the same
// here). Returns 0. Errors: EFAULT.
ErrorOr<u64> get_three_ids(u32 id, UserPtr<u32> user_real, UserPtr<u32> user_effective, UserPtr<u32> user_saved)
{
    TRY(copy_to_user(user_real, &id));
    TRY(copy_to_user(user_effective, &id));
    TRY(copy_to_user(user_saved, &id));
    return 0;
}

} // namespace

static ErrorOr<u64> sys_getuid() { return cred().uid; }
SYSCALL(102, getuid);
static ErrorOr<u64> sys_geteuid() { return cred().uid; }
SYSCALL(107, geteuid);
static ErrorOr<u64> sys_getgid() { return cred().gid; }
SYSCALL(104, getgid);
static ErrorOr<u64> sys_getegid() { return cred().gid; }
SYSCALL(108, getegid);

// getresuid(ruid, euid, suid) / getresgid(rgid, egid, sgid). Errors: EFAULT.
static ErrorOr<u64> sys_getresuid(UserPtr<uid_t> ruid, UserPtr<uid_t> euid, UserPtr<uid_t> suid)
{
    return get_three_ids(cred().uid, ruid, euid, suid);
}
SYSCALL(118, getresuid);

static ErrorOr<u64> sys_getresgid(UserPtr<gid_t> rgid, UserPtr<gid_t> egid, UserPtr<gid_t> sgid)
{
    return get_three_ids(cred().gid, rgid, egid, sgid);
}
SYSCALL(120, getresgid);

// setuid(uid) / setgid(gid). Errors: EINVAL (-1), EPERM (not the current id).
static ErrorOr<u64> sys_setuid(uid_t uid) { return set_one_id(uid, cred().uid); }
SYSCALL(105, setuid);
static ErrorOr<u64> sys_setgid(gid_t gid) { return set_one_id(gid, cred().gid); }
SYSCALL(106, setgid);

// setreuid(ruid, euid) / setregid; setresuid(ruid, euid, suid) / setresgid:
// each id -1 or the current one. Errors: EPERM.
static ErrorOr<u64> sys_setreuid(uid_t ruid, uid_t euid)
{
    TRY(keep_id(ruid, cred().uid));
    TRY(keep_id(euid, cred().uid));
    return 0;
}
SYSCALL(113, setreuid);

static ErrorOr<u64> sys_setregid(gid_t rgid, gid_t egid)
{
    TRY(keep_id(rgid, cred().gid));
    TRY(keep_id(egid, cred().gid));
    return 0;
}
SYSCALL(114, setregid);

static ErrorOr<u64> sys_setresuid(uid_t ruid, uid_t euid, uid_t suid)
{
    TRY(keep_id(ruid, cred().uid));
    TRY(keep_id(euid, cred().uid));
    TRY(keep_id(suid, cred().uid));
    return 0;
}
SYSCALL(117, setresuid);

static ErrorOr<u64> sys_setresgid(gid_t rgid, gid_t egid, gid_t sgid)
{
    TRY(keep_id(rgid, cred().gid));
    TRY(keep_id(egid, cred().gid));
    TRY(keep_id(sgid, cred().gid));
    return 0;
}
SYSCALL(119, setresgid);

// setfsuid(uid) / setfsgid(gid): Returns the previous id, never an error (Linux).
static ErrorOr<u64> sys_setfsuid() { return cred().uid; }
SYSCALL(122, setfsuid);
static ErrorOr<u64> sys_setfsgid() { return cred().gid; }
SYSCALL(123, setfsgid);

// getgroups(size, list): no supplementary groups. Returns 0. Errors: EINVAL (size < 0).
static ErrorOr<u64> sys_getgroups(int size)
{
    if (size < 0)
        return Errno::EINVAL;
    return 0;
}
SYSCALL(115, getgroups);

// setgroups(size, list): only root's own group (0) may be listed.
// Errors: EINVAL (size above NGROUPS_MAX, a negative size too: Linux
// compares it unsigned), EFAULT, EPERM (another group).
static ErrorOr<u64> sys_setgroups(int size, UserPtr<const gid_t> list)
{
    if (unsigned(size) > uapi::NGROUPS_MAX)
        return Errno::EINVAL;
    for (unsigned i = 0; i < unsigned(size); ++i) {
        gid_t gid;
        TRY(copy_from_user(&gid, list.element(i)));
        if (gid != cred().gid)
            return Errno::EPERM;
    }
    return 0;
}
SYSCALL(116, setgroups);

} // namespace kern
