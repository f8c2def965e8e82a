/* Shared pieces of the name exports (GetUserNameEx, GetComputerObjectName,
 * TranslateName and the private Secp* translation entry points).
 *
 * These exports report errors through SetLastError and a BOOLEAN result,
 * and hand strings back in caller buffers whose size is counted in
 * characters (W) or bytes (A). The helpers here keep the A and W forms of
 * each export on one code path: the real work produces a UTF-16 string,
 * and store_name() copies it out with the size rules of the export. */
#pragma once

#include <windows.h>
#include <sspi.h>
#include <secext.h>
#include <new>
#include <string>

#include "abi_guard.h"

namespace secur32 {
namespace names {

/* Every EXTENDED_NAME_FORMAT value the SDK defines. */
bool is_defined_format(EXTENDED_NAME_FORMAT format);

/* GetComputerNameW / GetUserNameW without a fixed-size buffer. On failure
 * they return false and leave the system's error in GetLastError. */
bool local_computer_name(std::wstring &name);
bool local_user_name(std::wstring &name);

/* How an export reports sizes in *size (in characters for W, bytes for A).
 * Both exports always report the size including the terminator when the
 * buffer is too small; they differ in the error and in what a success
 * leaves in *size. */
struct size_rules {
    DWORD too_small_error;         /* ERROR_MORE_DATA or ERROR_INSUFFICIENT_BUFFER */
    bool success_counts_terminator; /* on success: length + 1 (true) or length */
};

/* Copies `value` to the caller's buffer when it fits (terminator included)
 * and sets *size by `rules`. A null buffer is a size query whatever *size
 * says. Never writes to the buffer unless the whole string fits. The caller
 * has checked that `size` is not null. */
BOOLEAN store_name(const std::wstring &value, WCHAR *buffer, ULONG *size, const size_rules &rules);
/* Same for the ANSI exports: the string is converted to CP_ACP first and
 * sizes count bytes of that form. */
BOOLEAN store_name(const std::wstring &value, char *buffer, ULONG *size, const size_rules &rules);

/* Runs an export body that returns BOOLEAN and reports errors through
 * SetLastError: no exception crosses the ABI, allocation failure becomes
 * ERROR_NOT_ENOUGH_MEMORY and anything else ERROR_INTERNAL_ERROR. */
template <typename Fn> BOOLEAN guarded_boolean(const char *where, Fn &&body) noexcept
{
    return abi_guard_value<BOOLEAN>(FALSE, [&]() -> BOOLEAN {
        try {
            return body();
        } catch (const std::bad_alloc &) {
            SetLastError(ERROR_NOT_ENOUGH_MEMORY);
            return FALSE;
        } catch (...) {
            TRACE_ERR("unexpected exception in %s\n", where);
            SetLastError(ERROR_INTERNAL_ERROR);
            return FALSE;
        }
    });
}

/* Fails the calling export with `error`. */
inline BOOLEAN fail(DWORD error)
{
    SetLastError(error);
    return FALSE;
}

/* The common tail of GetUserNameEx and GetComputerObjectName: a failed
 * lookup is reported before a missing size pointer, as Windows does. */
template <typename Char>
BOOLEAN report_name(DWORD lookup_error, const std::wstring &name, Char *buffer, ULONG *size, const size_rules &rules)
{
    if (lookup_error != ERROR_SUCCESS) return fail(lookup_error);
    if (!size) return fail(ERROR_INVALID_PARAMETER);
    return store_name(name, buffer, size, rules);
}

} // namespace names
} // namespace secur32
