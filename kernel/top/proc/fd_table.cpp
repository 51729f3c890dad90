// kernel/top/proc/fd_table.cpp -- file descriptors (see fd_table.h).
//
// The limit checks follow Linux's fs/file.c: alloc_fd refuses a descriptor
// at or above RLIMIT_NOFILE with EMFILE, ksys_dup3 a target at or above it
// with EBADF (fcntl's F_DUPFD answers EINVAL itself: sys_file.cpp).
#include <kernel/base/heap/heap.h>
#include <kernel/base/lib/string.h>
#include <kernel/top/proc/fd_table.h>

namespace kern {

ErrorOr<void> FdTable::grow_locked(int fd)
{
    KASSERT(m_lock.is_locked_by_me() && fd < NR_OPEN);
    if (fd < m_capacity)
        return {};
    int capacity = m_capacity ? m_capacity : 16;
    while (capacity <= fd)
        capacity *= 2;
    if (capacity > NR_OPEN)
        capacity = NR_OPEN;
    auto* slots = static_cast<Slot*>(kzalloc(size_t(capacity) * sizeof(Slot)));
    if (!slots)
        return Errno::ENOMEM;
    if (m_slots)
        memcpy(slots, m_slots, size_t(m_capacity) * sizeof(Slot));
    kfree(m_slots);
    m_slots = slots;
    m_capacity = capacity;
    return {};
}

ErrorOr<int> FdTable::install(fs::File& file, bool cloexec, int min_fd)
{
    if (min_fd < 0)
        return Errno::EINVAL;
    MutexGuard guard(m_lock);
    int fd = min_fd;
    while (fd < m_capacity && m_slots[fd].file)
        ++fd;
    if (fd >= limit())
        return Errno::EMFILE;
    TRY(grow_locked(fd));
    file.ref();
    m_slots[fd] = {&file, cloexec};
    return fd;
}

ErrorOr<fs::File*> FdTable::get(int fd)
{
    MutexGuard guard(m_lock);
    if (fd < 0 || fd >= m_capacity || !m_slots[fd].file)
        return Errno::EBADF;
    m_slots[fd].file->ref();
    return m_slots[fd].file;
}

ErrorOr<void> FdTable::close(int fd)
{
    fs::File* file;
    {
        MutexGuard guard(m_lock);
        if (fd < 0 || fd >= m_capacity || !m_slots[fd].file)
            return Errno::EBADF;
        file = m_slots[fd].file;
        m_slots[fd] = {nullptr, false};
    }
    file->unref();
    return {};
}

ErrorOr<int> FdTable::duplicate_to(int old_fd, int new_fd, bool cloexec)
{
    fs::File* replaced = nullptr;
    {
        MutexGuard guard(m_lock);
        if (old_fd < 0 || old_fd >= m_capacity || !m_slots[old_fd].file)
            return Errno::EBADF;
        if (old_fd == new_fd)
            return new_fd;
        if (new_fd < 0 || new_fd >= limit())
            return Errno::EBADF;  // Linux's ksys_dup3: at or above RLIMIT_NOFILE
        TRY(grow_locked(new_fd));
        replaced = m_slots[new_fd].file;
        m_slots[old_fd].file->ref();
        m_slots[new_fd] = {m_slots[old_fd].file, cloexec};
    }
    if (replaced)
        replaced->unref();
    return new_fd;
}

ErrorOr<bool> FdTable::cloexec(int fd)
{
    MutexGuard guard(m_lock);
    if (fd < 0 || fd >= m_capacity || !m_slots[fd].file)
        return Errno::EBADF;
    return m_slots[fd].cloexec;
}

ErrorOr<void> FdTable::set_cloexec(int fd, bool on)
{
    MutexGuard guard(m_lock);
    if (fd < 0 || fd >= m_capacity || !m_slots[fd].file)
        return Errno::EBADF;
    m_slots[fd].cloexec = on;
    return {};
}

void FdTable::set_limit(int limit)
{
    KASSERT(limit >= 0 && limit <= NR_OPEN);
    __atomic_store_n(&m_limit, limit, __ATOMIC_RELAXED);
}

ErrorOr<void> FdTable::copy_from(FdTable& other)
{
    KASSERT(m_capacity == 0);
    set_limit(other.limit());
    MutexGuard theirs(other.m_lock);
    if (other.m_capacity == 0)
        return {};
    auto* slots = static_cast<Slot*>(kzalloc(size_t(other.m_capacity) * sizeof(Slot)));
    if (!slots)
        return Errno::ENOMEM;
    for (int fd = 0; fd < other.m_capacity; ++fd) {
        slots[fd] = other.m_slots[fd];
        if (slots[fd].file)
            slots[fd].file->ref();
    }
    MutexGuard mine(m_lock);
    m_slots = slots;
    m_capacity = other.m_capacity;
    return {};
}

void FdTable::close_on_exec()
{
    for (int fd = 0;; ++fd) {
        fs::File* file = nullptr;
        {
            MutexGuard guard(m_lock);
            if (fd >= m_capacity)
                return;
            if (m_slots[fd].file && m_slots[fd].cloexec) {
                file = m_slots[fd].file;
                m_slots[fd] = {nullptr, false};
            }
        }
        if (file)
            file->unref();
    }
}

void FdTable::close_all()
{
    Slot* slots;
    int capacity;
    {
        MutexGuard guard(m_lock);
        slots = m_slots;
        capacity = m_capacity;
        m_slots = nullptr;
        m_capacity = 0;
    }
    for (int fd = 0; fd < capacity; ++fd)
        if (slots[fd].file)
            slots[fd].file->unref();
    kfree(slots);
}

bool FdTable::has_room()
{
    MutexGuard guard(m_lock);
    int limit = this->limit();
    for (int fd = 0; fd < limit; ++fd)
        if (fd >= m_capacity || !m_slots[fd].file)
            return true;
    return false;
}

int FdTable::count()
{
    MutexGuard guard(m_lock);
    int n = 0;
    for (int fd = 0; fd < m_capacity; ++fd)
        n += m_slots[fd].file != nullptr;
    return n;
}

} // namespace kern
