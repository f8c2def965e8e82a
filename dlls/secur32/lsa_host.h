/* Hosting of LSA authentication packages in the caller's process, as Wine's
 * secur32 does: every subkey of HKLM\System\CurrentControlSet\Control\Lsa
 * names a package dll (Wine ships "Kerberos" and "MSV1_0"). Each one is
 * loaded once, initialised through SpLsaModeInitialize / LsaApInitializePackage
 * / SpInitialize and SpUserModeInitialize / SpInstanceInit, and stays loaded
 * for the life of the process.
 *
 * The package id of a dll is its 1-based position in that key enumeration
 * (what Wine's LsaLookupAuthenticationPackage reports). */
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lsa_api.h"
#include "package.h"

namespace secur32 {

struct lsa_module {
    std::wstring dll_name;                      /* as listed in the registry */
    HMODULE module = nullptr;
    ULONG package_id = 0;
    std::string name;                           /* what LsaApInitializePackage reported */
    SECPKG_FUNCTION_TABLE *lsa_api = nullptr;   /* never null for a loaded module */
    SECPKG_USER_FUNCTION_TABLE *user_api = nullptr; /* null when SpInitialize failed */
    bool has_info = false;                      /* SpGetInfo succeeded: an SSPI package */
    package_info info;
};

class lsa_host {
public:
    static lsa_host &instance();                /* loads the packages on first use */

    const std::vector<lsa_module *> &modules() const { return order_; }
    lsa_module *find_by_id(ULONG package_id) const;
    /* Exact (case-sensitive) match on the LSA package name, as Wine; the
     * Windows name of msv1_0 (MSV1_0_PACKAGE_NAME) finds Wine's "NTLM". */
    lsa_module *find_by_name(const char *name, size_t length) const;
    lsa_module *find_by_name(const wchar_t *name, size_t length) const;

private:
    lsa_host() = default;
    static BOOL CALLBACK create(INIT_ONCE *, void *, void **);
    static lsa_host *instance_;
    void load_all();
    std::unique_ptr<lsa_module> load(const wchar_t *dll_name, ULONG package_id);

    std::vector<std::unique_ptr<lsa_module>> owned_;
    std::vector<lsa_module *> order_;
};

} // namespace secur32
