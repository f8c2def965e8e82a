/* Rarely used internal exports of secur32 that Wine 8 has as spec stubs:
 * GetSecurityUserInfo, SecCacheSspiPackages,
 * SecGetLocaleSpecificEncryptionRules, SecInitUserModeContext and
 * SecDeleteUserModeContext (the last two are exported by ordinal 2 and 1).
 *
 * None of them is in the public SDK headers; the prototypes below are the
 * Windows ones (i686 stdcall argument bytes in brackets). Each either does
 * its real job where that is cheap and true for this module, or fails with
 * the status its return type uses for "not supported". */
#include <windows.h>
#include <sspi.h>
#include <ntsecapi.h>
#include <ntsecpkg.h>

#include "abi_guard.h"
#include "package_registry.h"
#include "trace.h"

using namespace secur32;

namespace {

constexpr NTSTATUS status_success = 0;
constexpr NTSTATUS status_not_implemented = NTSTATUS(0xC0000002L); /* STATUS_NOT_IMPLEMENTED */

} // namespace

/* NTSTATUS GetSecurityUserInfo(PLUID logon_id, ULONG flags, PSecurityUserData *info) [12]
 *
 * Returns user name, logon domain, logon server and SID of a logon session
 * in a buffer whose release contract Windows does not document. Logon
 * sessions belong to the LSA hosting (LsaGetLogonSessionData), and handing
 * out memory the caller cannot know how to free would be worse than
 * failing, so this reports STATUS_NOT_IMPLEMENTED and clears *info. */
extern "C" NTSTATUS WINAPI GetSecurityUserInfo(PLUID logon_id, ULONG flags, PSecurityUserData *info)
{
    TRACE("(%p %#lx %p)\n", logon_id, (unsigned long)flags, info);
    return abi_guard_value<NTSTATUS>(status_not_implemented, [&] {
        if (info) *info = nullptr;
        return status_not_implemented;
    });
}

/* NTSTATUS SecCacheSspiPackages(void) [0]
 *
 * Asks secur32 to load and cache its security packages ahead of first use.
 * That is exactly what building the package registry does (the same list
 * EnumerateSecurityPackages reports), so this does it and succeeds.
 * Loading is guarded per package family inside the registry; a failure to
 * build the registry itself surfaces as STATUS_NO_MEMORY or
 * STATUS_INTERNAL_ERROR. */
extern "C" NTSTATUS WINAPI SecCacheSspiPackages(void)
{
    TRACE("()\n");
    constexpr NTSTATUS status_no_memory = NTSTATUS(0xC0000017L);      /* STATUS_NO_MEMORY */
    constexpr NTSTATUS status_internal_error = NTSTATUS(0xC00000E5L); /* STATUS_INTERNAL_ERROR */
    return abi_guard_value<NTSTATUS>(status_internal_error, [&]() -> NTSTATUS {
        try {
            size_t count = package_registry::instance().packages().size();
            TRACE("%u packages cached\n", unsigned(count));
            return status_success;
        } catch (const std::bad_alloc &) {
            return status_no_memory;
        }
    });
}

/* BOOLEAN SecGetLocaleSpecificEncryptionRules(BOOLEAN *permitted) [4]
 *
 * Tells a package whether the system's locale forbids encryption (a check
 * dating from export-control rules that once applied in some countries).
 * This module applies no locale-dependent restriction to any package: its
 * Schannel encrypts the same way in every locale. So the true answer is
 * "permitted", reported with TRUE (the rules were determined). A null
 * pointer has nowhere to receive the answer: FALSE. */
extern "C" BOOLEAN WINAPI SecGetLocaleSpecificEncryptionRules(BOOLEAN *permitted)
{
    TRACE("(%p)\n", permitted);
    return abi_guard_value<BOOLEAN>(FALSE, [&]() -> BOOLEAN {
        if (!permitted) return FALSE;
        *permitted = TRUE;
        return TRUE;
    });
}

/* SECURITY_STATUS SecInitUserModeContext(PCtxtHandle context, PSecBuffer packed) [8]
 * SECURITY_STATUS SecDeleteUserModeContext(PCtxtHandle context) [4]
 *
 * On Windows the LSA process builds a context in an LSA-mode package and
 * ships it, packed, to the package's user-mode half in the client process
 * through these. Every package of this module runs entirely in the calling
 * process: no context is ever created elsewhere, so there is never a packed
 * context to import or a user-mode copy to delete. */
extern "C" SECURITY_STATUS WINAPI SecInitUserModeContext(PCtxtHandle context, PSecBuffer packed)
{
    TRACE("(%p %p)\n", context, packed);
    return abi_guard(__func__, [] { return SEC_E_UNSUPPORTED_FUNCTION; });
}

extern "C" SECURITY_STATUS WINAPI SecDeleteUserModeContext(PCtxtHandle context)
{
    TRACE("(%p)\n", context);
    return abi_guard(__func__, [] { return SEC_E_UNSUPPORTED_FUNCTION; });
}
