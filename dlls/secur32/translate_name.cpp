/* TranslateNameA/W and the private translation entry points behind them
 * (SecpTranslateName, SecpTranslateNameEx, SecpFreeMemory).
 *
 * TranslateName converts a directory object's name between formats by
 * asking Active Directory; the documentation says it fails when it cannot
 * bind to a domain controller. A Wine prefix is never joined to an Active
 * Directory domain and this module has no directory client, so no
 * translation can be made, not even NameSamCompatible to itself (Windows
 * resolves that through the DC too).
 *
 * Wine 8 returns FALSE for every call without setting an error. We also
 * always fail, but say why:
 *  - a null name or size pointer, an unknown format, or NameUnknown as the
 *    desired format (the documentation forbids it): ERROR_INVALID_PARAMETER;
 *  - otherwise ERROR_NO_SUCH_DOMAIN, the error Windows uses when no domain
 *    controller can be found for a domain.
 * The caller's buffer and *nSize are never touched. */
#include "names_common.h"

#include "text.h"

namespace secur32 {
namespace names {
namespace {

DWORD translation_error(const WCHAR *account, EXTENDED_NAME_FORMAT from, EXTENDED_NAME_FORMAT to, const ULONG *size)
{
    if (!account || !size) return ERROR_INVALID_PARAMETER;
    if (!is_defined_format(from) || !is_defined_format(to) || to == NameUnknown) return ERROR_INVALID_PARAMETER;
    return ERROR_NO_SUCH_DOMAIN;
}

} // namespace
} // namespace names
} // namespace secur32

using namespace secur32;

extern "C" BOOLEAN SEC_ENTRY TranslateNameW(LPCWSTR account, EXTENDED_NAME_FORMAT from, EXTENDED_NAME_FORMAT to,
                                            LPWSTR translated, PULONG size)
{
    TRACE("(%p %d %d %p %p)\n", account, int(from), int(to), translated, size);
    return names::guarded_boolean(__func__, [&] { return names::fail(names::translation_error(account, from, to, size)); });
}

extern "C" BOOLEAN SEC_ENTRY TranslateNameA(LPCSTR account, EXTENDED_NAME_FORMAT from, EXTENDED_NAME_FORMAT to,
                                            LPSTR translated, PULONG size)
{
    TRACE("(%p %d %d %p %p)\n", account, int(from), int(to), translated, size);
    return names::guarded_boolean(__func__, [&] {
        wide_arg account_w(account);
        return names::fail(names::translation_error(account_w.c_str(), from, to, size));
    });
}

/* Private forms used by the LSA on Windows: TranslateName with an explicit
 * domain, and a batch form that returns an array of names to be released
 * with SecpFreeMemory. They need the same domain controller, so they fail
 * the same way. Prototypes (i686 stdcall: 24, 24 and 4 argument bytes):
 *   BOOLEAN SecpTranslateName(PWSTR domain, LPCWSTR name, EXTENDED_NAME_FORMAT supplied,
 *                             EXTENDED_NAME_FORMAT desired, PWSTR translated, PULONG size);
 *   BOOLEAN SecpTranslateNameEx(PWSTR domain, LPCWSTR name, EXTENDED_NAME_FORMAT supplied,
 *                               EXTENDED_NAME_FORMAT *desired, ULONG count, PWSTR **translated);
 *   VOID SecpFreeMemory(PVOID memory); */
extern "C" BOOLEAN WINAPI SecpTranslateName(PWSTR domain, LPCWSTR name, EXTENDED_NAME_FORMAT supplied,
                                            EXTENDED_NAME_FORMAT desired, PWSTR translated, PULONG size)
{
    TRACE("(%p %p %d %d %p %p)\n", domain, name, int(supplied), int(desired), translated, size);
    return names::guarded_boolean(__func__, [&] { return names::fail(names::translation_error(name, supplied, desired, size)); });
}

extern "C" BOOLEAN WINAPI SecpTranslateNameEx(PWSTR domain, LPCWSTR name, EXTENDED_NAME_FORMAT supplied,
                                              EXTENDED_NAME_FORMAT *desired, ULONG count, PWSTR **translated)
{
    TRACE("(%p %p %d %p %lu %p)\n", domain, name, int(supplied), desired, (unsigned long)count, translated);
    return names::guarded_boolean(__func__, [&]() -> BOOLEAN {
        if (translated) *translated = nullptr;
        if (!name || !translated || !desired || !count) return names::fail(ERROR_INVALID_PARAMETER);
        if (!names::is_defined_format(supplied)) return names::fail(ERROR_INVALID_PARAMETER);
        for (ULONG i = 0; i < count; ++i)
            if (!names::is_defined_format(desired[i]) || desired[i] == NameUnknown)
                return names::fail(ERROR_INVALID_PARAMETER);
        return names::fail(ERROR_NO_SUCH_DOMAIN);
    });
}

/* SecpTranslateNameEx never hands out memory, so there is nothing this
 * module allocated that could be passed here; a pointer from anywhere else
 * is not ours to free. Ignoring it is the only safe answer. */
extern "C" VOID WINAPI SecpFreeMemory(PVOID memory)
{
    abi_guard_value<int>(0, [&] {
        if (memory) TRACE_WARN("ignoring %p: this module never allocates translation results\n", memory);
        return 0;
    });
}
