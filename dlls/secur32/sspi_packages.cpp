/* SSPI exports about packages themselves: enumeration, lookup by name,
 * FreeContextBuffer, and the (unsupported, as in Wine) run-time package
 * add/remove. */
#include <windows.h>
#include <sspi.h>
#include <string.h>
#include <string>
#include <vector>

#include "abi_guard.h"
#include "context_buffer.h"
#include "package_info_buffer.h"
#include "package_registry.h"
#include "text.h"

using namespace secur32;

namespace {

std::vector<const package_info *> all_infos()
{
    std::vector<const package_info *> infos;
    for (security_package *p : package_registry::instance().packages()) infos.push_back(&p->info());
    return infos;
}

} // namespace

extern "C" {

/* Windows crashes on NULL out-pointers here; we refuse them instead. */
SECURITY_STATUS WINAPI EnumerateSecurityPackagesW(ULONG *count, SecPkgInfoW **infos)
{
    return abi_guard(__func__, [&] {
        if (!count || !infos) return SEC_E_INVALID_PARAMETER;
        auto list = all_infos();
        SECURITY_STATUS status = allocate_package_infos_w(list, infos);
        *count = status == SEC_E_OK ? ULONG(list.size()) : 0;
        return status;
    });
}

SECURITY_STATUS WINAPI EnumerateSecurityPackagesA(ULONG *count, SecPkgInfoA **infos)
{
    return abi_guard(__func__, [&] {
        if (!count || !infos) return SEC_E_INVALID_PARAMETER;
        auto list = all_infos();
        SECURITY_STATUS status = allocate_package_infos_a(list, infos);
        *count = status == SEC_E_OK ? ULONG(list.size()) : 0;
        return status;
    });
}

SECURITY_STATUS WINAPI QuerySecurityPackageInfoW(SEC_WCHAR *name, SecPkgInfoW **info)
{
    return abi_guard(__func__, [&] {
        if (!info) return SEC_E_INVALID_PARAMETER;
        security_package *p = package_registry::instance().find(name);
        if (!p) return SEC_E_SECPKG_NOT_FOUND;
        return allocate_package_infos_w({&p->info()}, info);
    });
}

SECURITY_STATUS WINAPI QuerySecurityPackageInfoA(SEC_CHAR *name, SecPkgInfoA **info)
{
    return abi_guard(__func__, [&] {
        if (!info) return SEC_E_INVALID_PARAMETER;
        wide_arg name_w(name);
        security_package *p = package_registry::instance().find(name_w.c_str());
        if (!p) return SEC_E_SECPKG_NOT_FOUND;
        return allocate_package_infos_a({&p->info()}, info);
    });
}

SECURITY_STATUS WINAPI FreeContextBuffer(void *buffer)
{
    context_buffer_free(buffer);
    return SEC_E_OK;
}

/* Installing packages at run time is not supported (nor by Wine): the
 * registry's SecurityProviders list is the supported way. */
SECURITY_STATUS WINAPI AddSecurityPackageW(SEC_WCHAR *, SECURITY_PACKAGE_OPTIONS *) { return E_NOTIMPL; }
SECURITY_STATUS WINAPI AddSecurityPackageA(SEC_CHAR *, SECURITY_PACKAGE_OPTIONS *) { return E_NOTIMPL; }
SECURITY_STATUS WINAPI DeleteSecurityPackageW(SEC_WCHAR *) { return E_NOTIMPL; }
SECURITY_STATUS WINAPI DeleteSecurityPackageA(SEC_CHAR *) { return E_NOTIMPL; }

} // extern "C"
