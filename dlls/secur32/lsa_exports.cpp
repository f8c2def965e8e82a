/* The LSA client API secur32 exports (ntsecapi.h), over the packages
 * hosted in-process (lsa_host.h). Behaviour follows Wine 8's secur32; where
 * Wine pretends to succeed without doing anything (LsaLogonUser) or would
 * crash on bad arguments, these fail honestly instead. Unknown package names
 * and ids give Windows' STATUS_NO_SUCH_PACKAGE. Buffers handed to callers
 * are released with LsaFreeReturnBuffer. */
#include <string.h>
#include <wchar.h>
#include <new>

#include "abi_guard.h"
#include "context_buffer.h"
#include "lsa_api.h"
#include "lsa_connection.h"
#include "lsa_host.h"
#include "trace.h"

using namespace secur32;

namespace {

/* The guard of every export: no exception crosses the ABI. */
template <typename Fn> NTSTATUS lsa_guard(Fn &&body) noexcept
{
    return abi_guard_value<NTSTATUS>(STATUS_INTERNAL_ERROR, [&]() -> NTSTATUS {
        try {
            return body();
        } catch (const std::bad_alloc &) {
            return STATUS_NO_MEMORY;
        }
    });
}

/* The package Wine reports for every logon session. */
constexpr wchar_t default_authentication_package[] = L"Negotiate";

/* Negotiate lives in secur32 itself, not in an LSA dll, yet Windows lists it
 * among the authentication packages; it gets Windows' usual id 0, which
 * Wine's 1-based numbering of the LSA dlls never uses. It accepts no
 * LsaCallAuthenticationPackage messages and no logons. */
constexpr ULONG negotiate_package_id = 0;
constexpr char negotiate_name[] = "Negotiate"; /* NEGOSSP_NAME_A */

bool is_negotiate(const LSA_STRING &name)
{
    return name.Length == sizeof(negotiate_name) - 1 && !memcmp(name.Buffer, negotiate_name, name.Length);
}

} // namespace

extern "C" {

NTSTATUS WINAPI LsaConnectUntrusted(HANDLE *lsa_handle)
{
    return lsa_guard([&]() -> NTSTATUS {
        if (!lsa_handle) return STATUS_INVALID_PARAMETER;
        HANDLE h = lsa_connection_open();
        if (!h) return STATUS_NO_MEMORY;
        *lsa_handle = h;
        return STATUS_SUCCESS;
    });
}

/* Registering needs SeTcbPrivilege on Windows; like Wine we hand out a
 * connection that serves lookups and calls as an untrusted one does. */
NTSTATUS WINAPI LsaRegisterLogonProcess(PLSA_STRING name, HANDLE *lsa_handle, PLSA_OPERATIONAL_MODE mode)
{
    return lsa_guard([&]() -> NTSTATUS {
        if (!lsa_handle) return STATUS_INVALID_PARAMETER;
        TRACE("%.*s\n", name && name->Buffer ? int(name->Length) : 0, name && name->Buffer ? name->Buffer : "");
        HANDLE h = lsa_connection_open();
        if (!h) return STATUS_NO_MEMORY;
        *lsa_handle = h;
        if (mode) *mode = 0;
        return STATUS_SUCCESS;
    });
}

NTSTATUS WINAPI LsaDeregisterLogonProcess(HANDLE lsa_handle)
{
    return lsa_guard([&]() -> NTSTATUS {
        return lsa_connection_close(lsa_handle) ? STATUS_SUCCESS : STATUS_INVALID_HANDLE;
    });
}

NTSTATUS WINAPI LsaLookupAuthenticationPackage(HANDLE lsa_handle, PLSA_STRING name, PULONG package_id)
{
    return lsa_guard([&]() -> NTSTATUS {
        if (!name || !package_id || (!name->Buffer && name->Length)) return STATUS_INVALID_PARAMETER;
        if (is_negotiate(*name)) {
            *package_id = negotiate_package_id;
            return STATUS_SUCCESS;
        }
        lsa_module *module = lsa_host::instance().find_by_name(name->Buffer, name->Length);
        if (!module) return STATUS_NO_SUCH_PACKAGE;
        *package_id = module->package_id;
        return STATUS_SUCCESS;
    });
}

NTSTATUS WINAPI LsaCallAuthenticationPackage(HANDLE lsa_handle, ULONG package_id, PVOID submit, ULONG submit_length,
                                             PVOID *out, PULONG out_length, PNTSTATUS protocol_status)
{
    return lsa_guard([&]() -> NTSTATUS {
        if (package_id == negotiate_package_id) {
            if (out) *out = nullptr;
            if (out_length) *out_length = 0;
            if (protocol_status) *protocol_status = STATUS_NOT_IMPLEMENTED;
            return STATUS_NOT_IMPLEMENTED;
        }
        lsa_module *module = lsa_host::instance().find_by_id(package_id);
        if (!module) return STATUS_NO_SUCH_PACKAGE;
        /* The caller is an untrusted client: only the untrusted entry. */
        auto *call = module->lsa_api->CallPackageUntrusted;
        if (!call) return SEC_E_UNSUPPORTED_FUNCTION;

        void *result = nullptr;
        ULONG result_length = 0;
        NTSTATUS sub_status = STATUS_SUCCESS;
        NTSTATUS status = call(nullptr, submit, submit, submit_length, out ? &result : nullptr,
                               out_length ? &result_length : nullptr, &sub_status);
        if (out) *out = result;
        else context_buffer_free(result);
        if (out_length) *out_length = result_length;
        if (protocol_status) *protocol_status = sub_status;
        return status;
    });
}

NTSTATUS WINAPI LsaFreeReturnBuffer(PVOID buffer)
{
    return lsa_guard([&]() -> NTSTATUS {
        context_buffer_free(buffer);
        return STATUS_SUCCESS;
    });
}

/* As Wine: no logon sessions are known. */
NTSTATUS WINAPI LsaEnumerateLogonSessions(PULONG count, PLUID *list)
{
    return lsa_guard([&]() -> NTSTATUS {
        if (!count || !list) return STATUS_INVALID_PARAMETER;
        *count = 0;
        *list = nullptr;
        return STATUS_SUCCESS;
    });
}

/* As Wine: the session's id and authentication package, nothing else. */
NTSTATUS WINAPI LsaGetLogonSessionData(PLUID logon_id, PSECURITY_LOGON_SESSION_DATA *data)
{
    return lsa_guard([&]() -> NTSTATUS {
        if (!logon_id || !data) return STATUS_INVALID_PARAMETER;
        size_t package_bytes = wcslen(default_authentication_package) * sizeof(wchar_t);
        auto *out = static_cast<SECURITY_LOGON_SESSION_DATA *>(
            context_buffer_alloc(sizeof(SECURITY_LOGON_SESSION_DATA) + package_bytes + sizeof(wchar_t)));
        if (!out) return STATUS_NO_MEMORY;
        out->Size = sizeof(*out);
        out->LogonId = *logon_id;
        auto *package = reinterpret_cast<wchar_t *>(out + 1);
        memcpy(package, default_authentication_package, package_bytes + sizeof(wchar_t));
        out->AuthenticationPackage.Buffer = package;
        out->AuthenticationPackage.Length = USHORT(package_bytes);
        out->AuthenticationPackage.MaximumLength = USHORT(package_bytes + sizeof(wchar_t));
        *data = out;
        return STATUS_SUCCESS;
    });
}

/* Creating a logon session and token needs an LSA process. Wine's stub
 * returns success with nothing filled in; this says so instead. */
NTSTATUS WINAPI LsaLogonUser(HANDLE lsa_handle, PLSA_STRING origin, SECURITY_LOGON_TYPE logon_type, ULONG package_id,
                             PVOID auth_info, ULONG auth_info_length, PTOKEN_GROUPS local_groups,
                             PTOKEN_SOURCE source, PVOID *profile, PULONG profile_length, PLUID logon_id,
                             PHANDLE token, PQUOTA_LIMITS quotas, PNTSTATUS sub_status)
{
    return lsa_guard([&]() -> NTSTATUS {
        if (profile) *profile = nullptr;
        if (profile_length) *profile_length = 0;
        if (logon_id) memset(logon_id, 0, sizeof(*logon_id));
        if (token) *token = nullptr;
        if (quotas) memset(quotas, 0, sizeof(*quotas));
        if (sub_status) *sub_status = STATUS_SUCCESS;
        if (package_id != negotiate_package_id && !lsa_host::instance().find_by_id(package_id))
            return STATUS_NO_SUCH_PACKAGE;
        TRACE("logon type %d, package %lu: not supported\n", int(logon_type), package_id);
        return STATUS_NOT_IMPLEMENTED;
    });
}

/* Stubs in Wine's secur32 too. */
NTSTATUS WINAPI LsaRegisterPolicyChangeNotification(POLICY_NOTIFICATION_INFORMATION_CLASS info_class, HANDLE event)
{
    return lsa_guard([&]() -> NTSTATUS { return STATUS_NOT_IMPLEMENTED; });
}

NTSTATUS WINAPI LsaUnregisterPolicyChangeNotification(POLICY_NOTIFICATION_INFORMATION_CLASS info_class, HANDLE event)
{
    return lsa_guard([&]() -> NTSTATUS { return STATUS_NOT_IMPLEMENTED; });
}

} // extern "C"
