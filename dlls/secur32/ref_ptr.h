/* Intrusive reference counting for objects reached through SSPI handles.
 *
 * A handle lookup hands out a ref_ptr, so an object stays alive while any
 * thread is inside a call on it even if DeleteSecurityContext or
 * FreeCredentialsHandle runs concurrently. */
#pragma once

#include <atomic>
#include <utility>

namespace secur32 {

class ref_counted {
public:
    ref_counted() = default;
    ref_counted(const ref_counted &) = delete;
    ref_counted &operator=(const ref_counted &) = delete;

    void add_ref() const noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
    void release() const noexcept
    {
        if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
    }

protected:
    virtual ~ref_counted() = default;

private:
    mutable std::atomic<long> refs_{1};
};

/* Owning pointer to a ref_counted object. `adopt` takes over the initial
 * reference of a freshly created object. */
template <typename T> class ref_ptr {
public:
    ref_ptr() noexcept = default;
    ref_ptr(std::nullptr_t) noexcept {}
    explicit ref_ptr(T *p) noexcept : p_(p) { if (p_) p_->add_ref(); }
    ref_ptr(const ref_ptr &o) noexcept : p_(o.p_) { if (p_) p_->add_ref(); }
    ref_ptr(ref_ptr &&o) noexcept : p_(std::exchange(o.p_, nullptr)) {}
    template <typename U> ref_ptr(const ref_ptr<U> &o) noexcept : p_(o.get()) { if (p_) p_->add_ref(); }
    template <typename U> ref_ptr(ref_ptr<U> &&o) noexcept : p_(o.detach()) {}
    ~ref_ptr() { if (p_) p_->release(); }

    ref_ptr &operator=(ref_ptr o) noexcept { std::swap(p_, o.p_); return *this; }

    static ref_ptr adopt(T *p) noexcept { ref_ptr r; r.p_ = p; return r; }
    T *detach() noexcept { return std::exchange(p_, nullptr); }

    T *get() const noexcept { return p_; }
    T *operator->() const noexcept { return p_; }
    T &operator*() const noexcept { return *p_; }
    explicit operator bool() const noexcept { return p_ != nullptr; }

private:
    T *p_ = nullptr;
};

template <typename T, typename... Args> ref_ptr<T> make_ref(Args &&...args)
{
    return ref_ptr<T>::adopt(new T(std::forward<Args>(args)...));
}

} // namespace secur32
