/* The SEC_WINNT_AUTH_IDENTITY family a caller may pass as the auth data of
 * AcquireCredentialsHandle, normalised to what Wine's LSA packages read: a
 * UTF-16 SEC_WINNT_AUTH_IDENTITY_W.
 *
 * - SEC_WINNT_AUTH_IDENTITY_A/W: an ANSI one (Flags has
 *   SEC_WINNT_AUTH_IDENTITY_ANSI) is converted with CP_ACP, as Wine does;
 *   a UTF-16 one is passed on untouched.
 * - SEC_WINNT_AUTH_IDENTITY_EXA/EXW (Version SEC_WINNT_AUTH_IDENTITY_VERSION):
 *   converted to the plain UTF-16 form; its PackageList is kept for
 *   Negotiate. Wine's packages would misread the EX layout.
 * - anything else (EX2, package-specific data) is passed on untouched.
 * Copies of secrets are wiped when the object goes away. */
#pragma once

#include <windows.h>
#include <sspi.h>
#include <string>

namespace secur32 {

class auth_identity {
public:
    explicit auth_identity(void *auth_data);
    ~auth_identity();
    auth_identity(const auth_identity &) = delete;
    auth_identity &operator=(const auth_identity &) = delete;

    /* What to hand to the package: null, our UTF-16 copy or the original. */
    void *data() { return converted_ ? static_cast<void *>(&identity_) : original_; }
    /* The EX PackageList ("Kerberos,!NTLM" …), if the caller gave one. */
    bool has_package_list() const { return has_package_list_; }
    const std::wstring &package_list() const { return package_list_; }

private:
    void convert(const void *user, ULONG user_len, const void *domain, ULONG domain_len, const void *password,
                 ULONG password_len, ULONG flags);

    void *original_;
    bool converted_ = false;
    bool has_package_list_ = false;
    SEC_WINNT_AUTH_IDENTITY_W identity_ = {};
    std::wstring user_, domain_, password_, package_list_;
};

/* Whether `name` is allowed by an EX PackageList: a comma-separated list of
 * package names, each optionally prefixed with '!' to exclude it. Names
 * listed without '!' restrict the choice to themselves. */
bool package_list_allows(const std::wstring &list, const wchar_t *name);

} // namespace secur32
