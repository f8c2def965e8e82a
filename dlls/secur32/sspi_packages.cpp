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
#include "package_registry.h"
#include "text.h"

using namespace secur32;

namespace {

/* SecPkgInfoA/W arrays are returned as one block (array, then strings) so
 * a single FreeContextBuffer releases them, as on Windows. */
template <typename Info, typename Str>
Info *pack_infos(const std::vector<const package_info *> &infos, const std::vector<Str> &names,
                 const std::vector<Str> &comments)
{
    using Char = typename Str::value_type;
    size_t bytes = infos.size() * sizeof(Info);
    for (size_t i = 0; i < infos.size(); i++)
        bytes += (names[i].size() + 1 + comments[i].size() + 1) * sizeof(Char);
    auto *out = static_cast<Info *>(context_buffer_alloc(bytes));
    if (!out) return nullptr;
    Char *strings = reinterpret_cast<Char *>(out + infos.size());
    auto put = [&strings](const Str &s) {
        Char *start = strings;
        memcpy(strings, s.c_str(), (s.size() + 1) * sizeof(Char));
        strings += s.size() + 1;
        return start;
    };
    for (size_t i = 0; i < infos.size(); i++) {
        out[i].fCapabilities = infos[i]->capabilities;
        out[i].wVersion = infos[i]->version;
        out[i].wRPCID = infos[i]->rpc_id;
        out[i].cbMaxToken = infos[i]->max_token;
        out[i].Name = put(names[i]);
        out[i].Comment = put(comments[i]);
    }
    return out;
}

SECURITY_STATUS pack_w(const std::vector<const package_info *> &infos, SecPkgInfoW **out)
{
    std::vector<std::wstring> names, comments;
    for (auto *i : infos) { names.push_back(i->name); comments.push_back(i->comment); }
    *out = pack_infos<SecPkgInfoW>(infos, names, comments);
    return *out ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}

SECURITY_STATUS pack_a(const std::vector<const package_info *> &infos, SecPkgInfoA **out)
{
    std::vector<std::string> names, comments;
    for (auto *i : infos) { names.push_back(to_ansi(i->name.c_str())); comments.push_back(to_ansi(i->comment.c_str())); }
    *out = pack_infos<SecPkgInfoA>(infos, names, comments);
    return *out ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}

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
        SECURITY_STATUS status = pack_w(list, infos);
        *count = status == SEC_E_OK ? ULONG(list.size()) : 0;
        return status;
    });
}

SECURITY_STATUS WINAPI EnumerateSecurityPackagesA(ULONG *count, SecPkgInfoA **infos)
{
    return abi_guard(__func__, [&] {
        if (!count || !infos) return SEC_E_INVALID_PARAMETER;
        auto list = all_infos();
        SECURITY_STATUS status = pack_a(list, infos);
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
        return pack_w({&p->info()}, info);
    });
}

SECURITY_STATUS WINAPI QuerySecurityPackageInfoA(SEC_CHAR *name, SecPkgInfoA **info)
{
    return abi_guard(__func__, [&] {
        if (!info) return SEC_E_INVALID_PARAMETER;
        wide_arg name_w(name);
        security_package *p = package_registry::instance().find(name_w.c_str());
        if (!p) return SEC_E_SECPKG_NOT_FOUND;
        return pack_a({&p->info()}, info);
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
