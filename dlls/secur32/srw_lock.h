/* RAII around Windows slim reader/writer locks. MinGW's win32 thread model
 * has no std::mutex in GCC 12, and SRW locks need no initialisation call. */
#pragma once

#include <windows.h>

namespace secur32 {

class srw_lock {
public:
    srw_lock() noexcept { InitializeSRWLock(&lock_); }
    srw_lock(const srw_lock &) = delete;
    srw_lock &operator=(const srw_lock &) = delete;

    void lock() noexcept { AcquireSRWLockExclusive(&lock_); }
    void unlock() noexcept { ReleaseSRWLockExclusive(&lock_); }
    void lock_shared() noexcept { AcquireSRWLockShared(&lock_); }
    void unlock_shared() noexcept { ReleaseSRWLockShared(&lock_); }

private:
    SRWLOCK lock_;
};

class exclusive_guard {
public:
    explicit exclusive_guard(srw_lock &l) noexcept : l_(l) { l_.lock(); }
    ~exclusive_guard() { l_.unlock(); }
    exclusive_guard(const exclusive_guard &) = delete;
    exclusive_guard &operator=(const exclusive_guard &) = delete;
private:
    srw_lock &l_;
};

class shared_guard {
public:
    explicit shared_guard(srw_lock &l) noexcept : l_(l) { l_.lock_shared(); }
    ~shared_guard() { l_.unlock_shared(); }
    shared_guard(const shared_guard &) = delete;
    shared_guard &operator=(const shared_guard &) = delete;
private:
    srw_lock &l_;
};

} // namespace secur32
