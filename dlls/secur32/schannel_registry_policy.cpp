#include "schannel_registry_policy.h"

#include <windows.h>
#include <string>

#include "unixlib_calls.h"

namespace secur32 {

namespace {

struct protocol_key {
    uint32_t bit;
    const wchar_t *name;
};

constexpr protocol_key protocol_keys[] = {
    {tls_proto_tls1_0, L"TLS 1.0"},
    {tls_proto_tls1_1, L"TLS 1.1"},
    {tls_proto_tls1_2, L"TLS 1.2"},
    {tls_proto_tls1_3, L"TLS 1.3"},
    {tls_proto_dtls1_0, L"DTLS 1.0"},
    {tls_proto_dtls1_2, L"DTLS 1.2"},
};

/* Reads a DWORD value; false when absent or of another type. */
bool read_dword(HKEY key, const wchar_t *name, DWORD &value)
{
    DWORD type, size = sizeof(value);
    return RegQueryValueExW(key, name, nullptr, &type, reinterpret_cast<BYTE *>(&value), &size) == ERROR_SUCCESS &&
           type == REG_DWORD && size == sizeof(value);
}

} // namespace

uint32_t apply_protocol_registry(uint32_t protocols, bool explicit_request, bool is_server)
{
    for (const auto &p : protocol_keys) {
        std::wstring path = L"SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\";
        path += p.name;
        path += is_server ? L"\\Server" : L"\\Client";
        HKEY key;
        if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path.c_str(), 0, KEY_READ, &key) != ERROR_SUCCESS) continue;
        DWORD enabled, disabled_by_default;
        bool has_enabled = read_dword(key, L"Enabled", enabled);
        bool has_default = read_dword(key, L"DisabledByDefault", disabled_by_default);
        RegCloseKey(key);

        if (has_enabled && !enabled) {
            protocols &= ~p.bit;
            continue;
        }
        if (explicit_request) continue;
        if (has_default ? !disabled_by_default : (has_enabled && enabled)) protocols |= p.bit;
        else if (has_default && disabled_by_default) protocols &= ~p.bit;
    }
    return protocols;
}

} // namespace secur32
