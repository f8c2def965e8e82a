/* SSPI exports that create, query and free credential handles. They find
 * the package (by name) or the credential (by handle) and forward; the
 * package never sees a raw handle. */
#include <windows.h>
#include <sspi.h>

#include "abi_guard.h"
#include "handle_table.h"
#include "package_registry.h"
#include "text.h"

using namespace secur32;

namespace {

SECURITY_STATUS acquire(const wchar_t *principal, const wchar_t *package_name, ULONG use, void *logon_id,
                        void *auth_data, SEC_GET_KEY_FN get_key, void *get_key_arg, CredHandle *out,
                        TimeStamp *expiry, bool ansi)
{
    if (!package_name) return SEC_E_SECPKG_NOT_FOUND;
    security_package *package = package_registry::instance().find(package_name);
    if (!package) return SEC_E_SECPKG_NOT_FOUND;

    /* The package judges the credential before the handle pointer is
     * looked at: Windows reports a bad SCHANNEL_CRED even when phCredential
     * is null (Wine's schannel tests, verified on Windows, rely on it). */
    acquire_call call{principal, use, logon_id, auth_data, ansi, get_key, get_key_arg, expiry};
    ref_ptr<credential> cred;
    SECURITY_STATUS status = package->acquire_credentials(call, cred);
    if (status != SEC_E_OK) return status;
    if (!cred) return SEC_E_INTERNAL_ERROR;
    if (!out) return SEC_E_INVALID_HANDLE;
    if (!handle_table::instance().insert_credential(std::move(cred), out)) return SEC_E_INSUFFICIENT_MEMORY;
    return SEC_E_OK;
}

SECURITY_STATUS add(CredHandle *handle, const wchar_t *principal, const wchar_t *package_name, ULONG use,
                    void *auth_data, SEC_GET_KEY_FN get_key, void *get_key_arg, TimeStamp *expiry, bool ansi)
{
    ref_ptr<credential> cred = handle_table::instance().find_credential(handle);
    if (!cred) return SEC_E_INVALID_HANDLE;
    if (!package_name) return SEC_E_SECPKG_NOT_FOUND;
    security_package *package = package_registry::instance().find(package_name);
    if (!package) return SEC_E_SECPKG_NOT_FOUND;
    if (package != &cred->package()) return SEC_E_INVALID_HANDLE;
    acquire_call call{principal, use, nullptr, auth_data, ansi, get_key, get_key_arg, expiry};
    return cred->add_credentials(call);
}

SECURITY_STATUS query(CredHandle *handle, ULONG attribute, void *buffer, bool ansi)
{
    ref_ptr<credential> cred = handle_table::instance().find_credential(handle);
    if (!cred) return SEC_E_INVALID_HANDLE;
    return cred->query_attributes(attribute, buffer, ansi);
}

} // namespace

extern "C" {

SECURITY_STATUS WINAPI AcquireCredentialsHandleW(SEC_WCHAR *principal, SEC_WCHAR *package, ULONG use,
                                                 void *logon_id, void *auth_data, SEC_GET_KEY_FN get_key,
                                                 void *get_key_arg, CredHandle *credential, TimeStamp *expiry)
{
    return abi_guard(__func__, [&] {
        return acquire(principal, package, use, logon_id, auth_data, get_key, get_key_arg, credential, expiry,
                       false);
    });
}

SECURITY_STATUS WINAPI AcquireCredentialsHandleA(SEC_CHAR *principal, SEC_CHAR *package, ULONG use,
                                                 void *logon_id, void *auth_data, SEC_GET_KEY_FN get_key,
                                                 void *get_key_arg, CredHandle *credential, TimeStamp *expiry)
{
    return abi_guard(__func__, [&] {
        wide_arg principal_w(principal), package_w(package);
        return acquire(principal_w.c_str(), package_w.c_str(), use, logon_id, auth_data, get_key, get_key_arg,
                       credential, expiry, true);
    });
}

SECURITY_STATUS WINAPI FreeCredentialsHandle(CredHandle *credential)
{
    return abi_guard(__func__, [&] {
        ref_ptr<secur32::credential> cred = handle_table::instance().remove_credential(credential);
        return cred ? SEC_E_OK : SEC_E_INVALID_HANDLE;
    });
}

SECURITY_STATUS WINAPI AddCredentialsW(CredHandle *credential, SEC_WCHAR *principal, SEC_WCHAR *package,
                                       ULONG use, void *auth_data, SEC_GET_KEY_FN get_key, void *get_key_arg,
                                       TimeStamp *expiry)
{
    return abi_guard(__func__, [&] {
        return add(credential, principal, package, use, auth_data, get_key, get_key_arg, expiry, false);
    });
}

SECURITY_STATUS WINAPI AddCredentialsA(CredHandle *credential, SEC_CHAR *principal, SEC_CHAR *package,
                                       ULONG use, void *auth_data, SEC_GET_KEY_FN get_key, void *get_key_arg,
                                       TimeStamp *expiry)
{
    return abi_guard(__func__, [&] {
        wide_arg principal_w(principal), package_w(package);
        return add(credential, principal_w.c_str(), package_w.c_str(), use, auth_data, get_key, get_key_arg,
                   expiry, true);
    });
}

SECURITY_STATUS WINAPI QueryCredentialsAttributesW(CredHandle *credential, ULONG attribute, void *buffer)
{
    return abi_guard(__func__, [&] { return query(credential, attribute, buffer, false); });
}

SECURITY_STATUS WINAPI QueryCredentialsAttributesA(CredHandle *credential, ULONG attribute, void *buffer)
{
    return abi_guard(__func__, [&] { return query(credential, attribute, buffer, true); });
}

} // extern "C"
