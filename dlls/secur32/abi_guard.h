/* Every export runs its body through abi_guard: no C++ exception may cross
 * into the calling Windows program. Allocation failure becomes
 * SEC_E_INSUFFICIENT_MEMORY, anything else SEC_E_INTERNAL_ERROR. */
#pragma once

#include <windows.h>
#include <sspi.h>
#include <new>

#include "trace.h"

namespace secur32 {

template <typename Fn> SECURITY_STATUS abi_guard(const char *where, Fn &&body) noexcept
{
    try {
        return body();
    } catch (const std::bad_alloc &) {
        return SEC_E_INSUFFICIENT_MEMORY;
    } catch (...) {
        TRACE_ERR("unexpected exception in %s\n", where);
        return SEC_E_INTERNAL_ERROR;
    }
}

/* Same, for exports whose result is not a SECURITY_STATUS. */
template <typename R, typename Fn> R abi_guard_value(R on_error, Fn &&body) noexcept
{
    try {
        return body();
    } catch (...) {
        return on_error;
    }
}

} // namespace secur32
