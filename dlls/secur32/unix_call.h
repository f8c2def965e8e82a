/* Calling our Unix side (secur32.so) through Wine's unixlib mechanism.
 * Everything Wine-version specific about it lives in unix_call.cpp. */
#pragma once

#include <windows.h>
#include <winternl.h>

#include "unixlib_calls.h"

namespace secur32 {

/* Binds to secur32.so once; false when not running as a Wine builtin
 * (e.g. loaded as a native dll), in which case Schannel is unavailable. */
bool unix_side_available();

/* Runs one Unix-side call; returns its NTSTATUS (STATUS_DLL_NOT_FOUND when
 * the Unix side is unavailable). */
NTSTATUS unix_call(unix_call_id id, void *params);

template <typename T> pe_ptr to_pe_ptr(T *p) { return pe_ptr(reinterpret_cast<ULONG_PTR>(p)); }

} // namespace secur32
