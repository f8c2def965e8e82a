/* GetUserNameExA/W: the calling user's name in an EXTENDED_NAME_FORMAT.
 *
 * Behaviour follows Wine 8 (measured on stock Wine 8.0):
 *  - NameSamCompatible is the only format with a value: "COMPUTER\user",
 *    the current user treated as a local account of this computer (a Wine
 *    prefix has no domain membership).
 *  - NameUnknown and every other defined directory format
 *    (FullyQualifiedDN, Display, UniqueId, Canonical, UserPrincipal,
 *    CanonicalEx, ServicePrincipal, DnsDomain) fail with ERROR_NONE_MAPPED:
 *    the account has no such name without a directory service.
 *  - Any other value (4, 5, 11, NameGivenName, NameSurname, ...) fails with
 *    ERROR_INVALID_PARAMETER.
 *  - Size rules: a buffer that cannot hold name + terminator (or no buffer)
 *    fails with ERROR_MORE_DATA and *nSize = length + 1; success stores the
 *    name and sets *nSize = length, terminator excluded. The A form counts
 *    bytes of the CP_ACP string. Failures other than ERROR_MORE_DATA leave
 *    *nSize alone.
 *
 * Where Wine 8 crashes we fail instead: a null nSize is
 * ERROR_INVALID_PARAMETER, and a null buffer is a size query whatever
 * *nSize says. */
#include "names_common.h"

namespace secur32 {
namespace names {
namespace {

const size_rules user_name_rules = {ERROR_MORE_DATA, false};

/* The user's name in `format`, or the error GetUserNameEx reports. */
DWORD user_name(EXTENDED_NAME_FORMAT format, std::wstring &name)
{
    switch (format) {
    case NameSamCompatible: {
        std::wstring computer, user;
        if (!local_computer_name(computer) || !local_user_name(user)) {
            DWORD error = GetLastError();
            return error ? error : ERROR_INTERNAL_ERROR;
        }
        name = computer + L'\\' + user;
        return ERROR_SUCCESS;
    }
    case NameUnknown:
    case NameFullyQualifiedDN:
    case NameDisplay:
    case NameUniqueId:
    case NameCanonical:
    case NameUserPrincipal:
    case NameCanonicalEx:
    case NameServicePrincipal:
    case NameDnsDomain:
        return ERROR_NONE_MAPPED;
    default:
        return ERROR_INVALID_PARAMETER;
    }
}

template <typename Char> BOOLEAN get_user_name_ex(EXTENDED_NAME_FORMAT format, Char *buffer, ULONG *size)
{
    std::wstring name;
    DWORD error = user_name(format, name);
    return report_name(error, name, buffer, size, user_name_rules);
}

} // namespace
} // namespace names
} // namespace secur32

using namespace secur32;

extern "C" BOOLEAN SEC_ENTRY GetUserNameExW(EXTENDED_NAME_FORMAT format, LPWSTR buffer, PULONG size)
{
    TRACE("(%d %p %p)\n", int(format), buffer, size);
    return names::guarded_boolean(__func__, [&] { return names::get_user_name_ex(format, buffer, size); });
}

extern "C" BOOLEAN SEC_ENTRY GetUserNameExA(EXTENDED_NAME_FORMAT format, LPSTR buffer, PULONG size)
{
    TRACE("(%d %p %p)\n", int(format), buffer, size);
    return names::guarded_boolean(__func__, [&] { return names::get_user_name_ex(format, buffer, size); });
}
