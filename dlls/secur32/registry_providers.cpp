/* Providers listed in HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders,
 * value "SecurityProviders" (REG_SZ, comma separated dll names), loaded as
 * Wine does: each dll's InitSecurityInterfaceW (or A) table enumerates its
 * packages, which join the package list after the built-in ones. A dll whose
 * table is ours (secur32 itself, or schannel.dll forwarding to it) adds
 * nothing. Loaded providers stay loaded for the life of the process. */
#include <windows.h>
#include <sspi.h>
#include <string>
#include <vector>

#include "package_registry.h"
#include "sspi_provider.h"
#include "text.h"
#include "trace.h"

namespace secur32 {

namespace {

constexpr wchar_t providers_key[] = L"SYSTEM\\CurrentControlSet\\Control\\SecurityProviders";
constexpr wchar_t providers_value[] = L"SecurityProviders";

std::vector<std::wstring> provider_names()
{
    std::vector<std::wstring> names;
    HKEY key;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, providers_key, 0, KEY_READ, &key) != ERROR_SUCCESS) return names;

    DWORD type = 0, size = 0;
    std::wstring value;
    if (RegQueryValueExW(key, providers_value, nullptr, &type, nullptr, &size) == ERROR_SUCCESS &&
        (type == REG_SZ || type == REG_EXPAND_SZ) && size) {
        value.resize(size / sizeof(wchar_t) + 1);
        if (RegQueryValueExW(key, providers_value, nullptr, &type, reinterpret_cast<BYTE *>(&value[0]), &size) !=
            ERROR_SUCCESS)
            value.clear();
        value.resize(wcsnlen(value.c_str(), value.size()));
    }
    RegCloseKey(key);

    size_t start = 0;
    while (start < value.size()) {
        size_t end = value.find(L',', start);
        if (end == std::wstring::npos) end = value.size();
        std::wstring name = value.substr(start, end - start);
        size_t first = name.find_first_not_of(L" \t\r\n");
        size_t last = name.find_last_not_of(L" \t\r\n");
        if (first != std::wstring::npos) names.push_back(name.substr(first, last - first + 1));
        start = end + 1;
    }
    return names;
}

HMODULE own_module()
{
    HMODULE self = nullptr;
    GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                       reinterpret_cast<LPCWSTR>(&provider_names), &self);
    return self;
}

/* The package descriptions the provider reports, in its own order. */
std::vector<package_info> provider_packages(const sspi_provider &provider)
{
    std::vector<package_info> out;
    ULONG count = 0;
    SecurityFunctionTableW *w = provider.table_w;
    SecurityFunctionTableA *a = provider.table_a;

    if (w && w->EnumerateSecurityPackagesW) {
        SecPkgInfoW *infos = nullptr;
        if (w->EnumerateSecurityPackagesW(&count, &infos) != SEC_E_OK || !infos) return out;
        for (ULONG i = 0; i < count; i++) {
            package_info info;
            info.capabilities = infos[i].fCapabilities;
            info.version = infos[i].wVersion;
            info.rpc_id = infos[i].wRPCID;
            info.max_token = infos[i].cbMaxToken;
            info.name = infos[i].Name ? infos[i].Name : L"";
            info.comment = infos[i].Comment ? infos[i].Comment : L"";
            out.push_back(std::move(info));
        }
        if (w->FreeContextBuffer) w->FreeContextBuffer(infos);
    } else if (a && a->EnumerateSecurityPackagesA) {
        SecPkgInfoA *infos = nullptr;
        if (a->EnumerateSecurityPackagesA(&count, &infos) != SEC_E_OK || !infos) return out;
        for (ULONG i = 0; i < count; i++) {
            package_info info;
            info.capabilities = infos[i].fCapabilities;
            info.version = infos[i].wVersion;
            info.rpc_id = infos[i].wRPCID;
            info.max_token = infos[i].cbMaxToken;
            info.name = to_wide(infos[i].Name);
            info.comment = to_wide(infos[i].Comment);
            out.push_back(std::move(info));
        }
        if (a->FreeContextBuffer) a->FreeContextBuffer(infos);
    }
    return out;
}

void load_provider(package_registry &registry, const std::wstring &dll_name, HMODULE self)
{
    HMODULE module = LoadLibraryW(dll_name.c_str());
    if (!module) {
        TRACE_WARN("cannot load %ls\n", dll_name.c_str());
        return;
    }
    auto init_w = reinterpret_cast<INIT_SECURITY_INTERFACE_W>(GetProcAddress(module, "InitSecurityInterfaceW"));
    auto init_a = reinterpret_cast<INIT_SECURITY_INTERFACE_A>(GetProcAddress(module, "InitSecurityInterfaceA"));

    auto provider = std::make_shared<sspi_provider>();
    provider->module = module;
    provider->table_w = init_w ? init_w() : nullptr;
    provider->table_a = init_a ? init_a() : nullptr;

    /* Our own tables (secur32 itself, schannel.dll forwarding to us). */
    bool ours = module == self || (provider->table_w && provider->table_w == InitSecurityInterfaceW()) ||
                (provider->table_a && provider->table_a == InitSecurityInterfaceA());
    std::vector<package_info> packages;
    if (!ours) packages = provider_packages(*provider);
    if (packages.empty()) {
        TRACE("%ls adds no packages\n", dll_name.c_str());
        FreeLibrary(module);
        return;
    }
    for (package_info &info : packages) {
        TRACE("%ls: package %ls\n", dll_name.c_str(), info.name.c_str());
        registry.add(std::make_unique<sspi_provider_package>(provider, std::move(info)));
    }
}

} // namespace

void register_registry_providers(package_registry &registry)
{
    HMODULE self = own_module();
    for (const std::wstring &name : provider_names()) {
        try {
            load_provider(registry, name, self);
        } catch (const std::bad_alloc &) {
            throw;
        } catch (...) {
            TRACE_ERR("loading provider %ls failed\n", name.c_str());
        }
    }
}

} // namespace secur32
