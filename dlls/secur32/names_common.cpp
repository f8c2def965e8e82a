/* Helpers shared by the name exports; see names_common.h. */
#include "names_common.h"

#include <lmcons.h>

#include "text.h"

namespace secur32 {
namespace names {

bool is_defined_format(EXTENDED_NAME_FORMAT format)
{
    switch (format) {
    case NameUnknown:
    case NameFullyQualifiedDN:
    case NameSamCompatible:
    case NameDisplay:
    case NameUniqueId:
    case NameCanonical:
    case NameUserPrincipal:
    case NameCanonicalEx:
    case NameServicePrincipal:
    case NameDnsDomain:
    case NameGivenName:
    case NameSurname:
        return true;
    }
    return false;
}

namespace {

/* Calls a GetXxxNameW-style function (size in/out in characters, the
 * terminator included when it reports a required size) until the buffer is
 * large enough. `overflow` is the error the function uses for "too small". */
template <typename Query>
bool query_name(std::wstring &name, DWORD initial, DWORD overflow, Query &&query)
{
    DWORD capacity = initial;
    for (int attempt = 0; attempt < 4; ++attempt) {
        std::wstring buffer(capacity, L'\0');
        DWORD size = capacity;
        if (query(&buffer[0], &size)) {
            buffer.resize(wcsnlen(buffer.c_str(), capacity));
            name = std::move(buffer);
            return true;
        }
        if (GetLastError() != overflow || size <= capacity) return false;
        capacity = size;
    }
    return false;
}

} // namespace

bool local_computer_name(std::wstring &name)
{
    return query_name(name, MAX_COMPUTERNAME_LENGTH + 1, ERROR_BUFFER_OVERFLOW,
                      [](WCHAR *buffer, DWORD *size) { return GetComputerNameW(buffer, size) != FALSE; });
}

bool local_user_name(std::wstring &name)
{
    return query_name(name, UNLEN + 1, ERROR_INSUFFICIENT_BUFFER,
                      [](WCHAR *buffer, DWORD *size) { return GetUserNameW(buffer, size) != FALSE; });
}

namespace {

template <typename Char>
BOOLEAN store_chars(const std::basic_string<Char> &value, Char *buffer, ULONG *size, const size_rules &rules)
{
    /* Names come from the system and are short; refuse anything a ULONG
     * size cannot describe rather than wrap. */
    if (value.size() >= ULONG(-1)) return fail(ERROR_INTERNAL_ERROR);
    ULONG needed = ULONG(value.size()) + 1;

    if (!buffer || *size < needed) {
        *size = needed;
        return fail(rules.too_small_error);
    }
    value.copy(buffer, value.size());
    buffer[value.size()] = 0;
    *size = rules.success_counts_terminator ? needed : needed - 1;
    return TRUE;
}

} // namespace

BOOLEAN store_name(const std::wstring &value, WCHAR *buffer, ULONG *size, const size_rules &rules)
{
    return store_chars(value, buffer, size, rules);
}

BOOLEAN store_name(const std::wstring &value, char *buffer, ULONG *size, const size_rules &rules)
{
    return store_chars(to_ansi(value.c_str()), buffer, size, rules);
}

} // namespace names
} // namespace secur32
