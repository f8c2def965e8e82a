/* The SASL wrapper exports (Sasl*). Wine 8 has them as spec stubs.
 *
 * On Windows these wrap a security package in the SASL security layer
 * (RFC 4422 / RFC 4752) for LDAP servers; the profiles come from
 * HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SaslProfiles and
 * Microsoft documents the API for server editions only. This module wires
 * no package to a SASL layer, so it has no profile to list or name and no
 * way to run a SASL exchange. Listing an empty profile set would be true
 * but would invite callers to go on to the context calls, which cannot
 * work; so every entry point says SEC_E_UNSUPPORTED_FUNCTION. Pointer
 * outputs that the caller would free are cleared first, so a caller that
 * releases them after a failure releases nothing. */
#include <windows.h>
#include <sspi.h>

#include "abi_guard.h"
#include "trace.h"

using namespace secur32;

namespace {

/* Clears the caller's pointer outputs, then refuses. */
template <typename... Out> SECURITY_STATUS unsupported(const char *where, Out *...outputs)
{
    return abi_guard(where, [&] {
        ((outputs ? void(*outputs = Out()) : void()), ...);
        return SEC_E_UNSUPPORTED_FUNCTION;
    });
}

} // namespace

extern "C" SECURITY_STATUS WINAPI SaslEnumerateProfilesW(LPWSTR *profiles, ULONG *count)
{
    TRACE("(%p %p)\n", profiles, count);
    return unsupported(__func__, profiles, count);
}

extern "C" SECURITY_STATUS WINAPI SaslEnumerateProfilesA(LPSTR *profiles, ULONG *count)
{
    TRACE("(%p %p)\n", profiles, count);
    return unsupported(__func__, profiles, count);
}

extern "C" SECURITY_STATUS WINAPI SaslGetProfilePackageW(LPWSTR profile, PSecPkgInfoW *info)
{
    TRACE("(%p %p)\n", profile, info);
    return unsupported(__func__, info);
}

extern "C" SECURITY_STATUS WINAPI SaslGetProfilePackageA(LPSTR profile, PSecPkgInfoA *info)
{
    TRACE("(%p %p)\n", profile, info);
    return unsupported(__func__, info);
}

extern "C" SECURITY_STATUS WINAPI SaslIdentifyPackageW(PSecBufferDesc input, PSecPkgInfoW *info)
{
    TRACE("(%p %p)\n", input, info);
    return unsupported(__func__, info);
}

extern "C" SECURITY_STATUS WINAPI SaslIdentifyPackageA(PSecBufferDesc input, PSecPkgInfoA *info)
{
    TRACE("(%p %p)\n", input, info);
    return unsupported(__func__, info);
}

/* The context calls leave every argument alone, as the SSPI calls do when
 * they fail before producing a context. */
extern "C" SECURITY_STATUS WINAPI SaslInitializeSecurityContextW(PCredHandle credential, PCtxtHandle context,
                                                                 LPWSTR target, ULONG context_req, ULONG reserved1,
                                                                 ULONG data_rep, PSecBufferDesc input, ULONG reserved2,
                                                                 PCtxtHandle new_context, PSecBufferDesc output,
                                                                 ULONG *context_attr, PTimeStamp expiry)
{
    TRACE("(%p %p %p %#lx)\n", credential, context, target, (unsigned long)context_req);
    return abi_guard(__func__, [] { return SEC_E_UNSUPPORTED_FUNCTION; });
}

extern "C" SECURITY_STATUS WINAPI SaslInitializeSecurityContextA(PCredHandle credential, PCtxtHandle context,
                                                                 LPSTR target, ULONG context_req, ULONG reserved1,
                                                                 ULONG data_rep, PSecBufferDesc input, ULONG reserved2,
                                                                 PCtxtHandle new_context, PSecBufferDesc output,
                                                                 ULONG *context_attr, PTimeStamp expiry)
{
    TRACE("(%p %p %p %#lx)\n", credential, context, target, (unsigned long)context_req);
    return abi_guard(__func__, [] { return SEC_E_UNSUPPORTED_FUNCTION; });
}

extern "C" SECURITY_STATUS WINAPI SaslAcceptSecurityContext(PCredHandle credential, PCtxtHandle context,
                                                            PSecBufferDesc input, ULONG context_req, ULONG data_rep,
                                                            PCtxtHandle new_context, PSecBufferDesc output,
                                                            ULONG *context_attr, PTimeStamp expiry)
{
    TRACE("(%p %p %p %#lx)\n", credential, context, input, (unsigned long)context_req);
    return abi_guard(__func__, [] { return SEC_E_UNSUPPORTED_FUNCTION; });
}
