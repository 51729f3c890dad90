// kernel/base/sync/mutex.h -- Mutex: a lock whose waiters sleep.
//
// Use a Mutex for long critical sections in thread context (a file system
// operation, a VM map change); a thread that finds it held blocks on a
// WaitQueue instead of spinning. Never take one in an interrupt handler or
// while holding a SpinLock. Not recursive: locking it twice is a bug
// (KASSERT). Functions named `*_locked` assert is_locked_by_me().
//
//   MutexGuard guard(m_lock);
#pragma once

#include <kernel/base/sched/wait_queue.h>
#include <kernel/base/sync/spinlock.h>

namespace kern {

class Thread;

class Mutex {
public:
    Mutex() = default;
    Mutex(const Mutex&) = delete;
    Mutex& operator=(const Mutex&) = delete;

    void lock();
    // Returns true if taken without waiting.
    bool try_lock();
    // => held by the current thread.
    void unlock();
    bool is_locked() const { return m_owner != nullptr; }
    bool is_locked_by_me() const;

private:
    SpinLock m_spin;           // guards m_owner and the hand-off
    Thread* m_owner = nullptr;
    WaitQueue m_waiters;
};

class MutexGuard {
public:
    explicit MutexGuard(Mutex& m) : m_mutex(m) { m_mutex.lock(); }
    ~MutexGuard() { m_mutex.unlock(); }
    MutexGuard(const MutexGuard&) = delete;
    MutexGuard& operator=(const MutexGuard&) = delete;

private:
    Mutex& m_mutex;
};

} // namespace kern
