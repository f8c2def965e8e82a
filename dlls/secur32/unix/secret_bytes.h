/* Bytes that hold secrets (session resumption data carries the master
 * secret): every buffer is zeroed before it goes back to the heap, on
 * destruction and on reallocation alike, so freed memory keeps no keys. */
#pragma once

#include <gnutls/gnutls.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace secur32::unix_side {

/* An allocator that wipes with gnutls_memset (which the compiler may not
 * optimise away) before `Base` frees. */
template <typename T, typename Base = std::allocator<T>> struct wiping_allocator : Base {
    using value_type = T;
    template <typename U> struct rebind {
        using other = wiping_allocator<U, typename std::allocator_traits<Base>::template rebind_alloc<U>>;
    };
    wiping_allocator() = default;
    template <typename U, typename B> wiping_allocator(const wiping_allocator<U, B> &) {}
    void deallocate(T *p, std::size_t n)
    {
        gnutls_memset(p, 0, n * sizeof(T));
        Base::deallocate(p, n);
    }
    template <typename U, typename B> bool operator==(const wiping_allocator<U, B> &) const { return true; }
    template <typename U, typename B> bool operator!=(const wiping_allocator<U, B> &) const { return false; }
};

using secret_bytes = std::vector<uint8_t, wiping_allocator<uint8_t>>;

} // namespace secur32::unix_side
