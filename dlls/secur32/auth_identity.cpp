/* Normalising SEC_WINNT_AUTH_IDENTITY auth data (see auth_identity.h). */
#include "auth_identity.h"

#include <wchar.h>

namespace secur32 {

namespace {

/* Both EX layouts have the same size; only the string types differ. */
static_assert(sizeof(SEC_WINNT_AUTH_IDENTITY_EXA) == sizeof(SEC_WINNT_AUTH_IDENTITY_EXW), "EX layouts");

/* `length` counts characters without the terminator; null stays null when
 * empty, which is how Wine's packages expect "not given". */
std::wstring widen(const void *text, ULONG length, bool ansi)
{
    if (!text || !length) return {};
    if (!ansi) return std::wstring(static_cast<const wchar_t *>(text), length);
    const char *a = static_cast<const char *>(text);
    int n = MultiByteToWideChar(CP_ACP, 0, a, int(length), nullptr, 0);
    if (n <= 0) return {};
    std::wstring out(size_t(n), L'\0');
    MultiByteToWideChar(CP_ACP, 0, a, int(length), &out[0], n);
    return out;
}

void wipe(std::wstring &s)
{
    if (!s.empty()) SecureZeroMemory(&s[0], s.size() * sizeof(wchar_t));
}

} // namespace

auth_identity::auth_identity(void *auth_data) : original_(auth_data)
{
    if (!auth_data) return;

    const auto *ex = static_cast<const SEC_WINNT_AUTH_IDENTITY_EXW *>(auth_data);
    if (ex->Version == SEC_WINNT_AUTH_IDENTITY_VERSION && ex->Length >= sizeof(*ex)) {
        bool ansi = ex->Flags & SEC_WINNT_AUTH_IDENTITY_ANSI;
        convert(ex->User, ex->UserLength, ex->Domain, ex->DomainLength, ex->Password, ex->PasswordLength, ex->Flags);
        if (ex->PackageList) {
            package_list_ = widen(ex->PackageList, ex->PackageListLength, ansi);
            has_package_list_ = true;
        }
        return;
    }

    const auto *plain = static_cast<const SEC_WINNT_AUTH_IDENTITY_W *>(auth_data);
    if (plain->Flags & SEC_WINNT_AUTH_IDENTITY_ANSI)
        convert(plain->User, plain->UserLength, plain->Domain, plain->DomainLength, plain->Password,
                plain->PasswordLength, plain->Flags);
}

auth_identity::~auth_identity()
{
    wipe(password_);
    wipe(user_);
    wipe(domain_);
}

void auth_identity::convert(const void *user, ULONG user_len, const void *domain, ULONG domain_len,
                            const void *password, ULONG password_len, ULONG flags)
{
    bool ansi = flags & SEC_WINNT_AUTH_IDENTITY_ANSI;
    user_ = widen(user, user_len, ansi);
    domain_ = widen(domain, domain_len, ansi);
    password_ = widen(password, password_len, ansi);

    auto put = [](std::wstring &s, unsigned short *&ptr, ULONG &len) {
        ptr = s.empty() ? nullptr : reinterpret_cast<unsigned short *>(&s[0]);
        len = ULONG(s.size());
    };
    put(user_, identity_.User, identity_.UserLength);
    put(domain_, identity_.Domain, identity_.DomainLength);
    put(password_, identity_.Password, identity_.PasswordLength);
    identity_.Flags = (flags & ~SEC_WINNT_AUTH_IDENTITY_ANSI) | SEC_WINNT_AUTH_IDENTITY_UNICODE;
    converted_ = true;
}

bool package_list_allows(const std::wstring &list, const wchar_t *name)
{
    bool any_positive = false, listed = false;
    size_t start = 0;
    while (start <= list.size()) {
        size_t end = list.find(L',', start);
        if (end == std::wstring::npos) end = list.size();
        std::wstring item = list.substr(start, end - start);
        size_t first = item.find_first_not_of(L" \t");
        size_t last = item.find_last_not_of(L" \t");
        item = first == std::wstring::npos ? std::wstring() : item.substr(first, last - first + 1);
        if (!item.empty()) {
            bool exclude = item[0] == L'!';
            if (exclude) item.erase(0, 1);
            bool match = !_wcsicmp(item.c_str(), name);
            if (exclude && match) return false;
            if (!exclude) {
                any_positive = true;
                if (match) listed = true;
            }
        }
        start = end + 1;
    }
    return !any_positive || listed;
}

} // namespace secur32
