/* The list of security packages this module offers, in the order
 * EnumerateSecurityPackages reports them, built once on first use.
 *
 * Order (as stock Wine 8): Schannel under its two names, the LSA packages
 * from Wine's msv1_0.dll (NTLM) and kerberos.dll, Negotiate last, then any
 * providers listed in HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders. */
#pragma once

#include <memory>
#include <vector>

#include "package.h"

namespace secur32 {

class package_registry {
public:
    static package_registry &instance();

    /* Packages in enumeration order; the registry owns them for the
     * process lifetime. */
    const std::vector<security_package *> &packages();
    security_package *find(const wchar_t *name);   /* case-insensitive */

    /* Called by the loaders below during initialisation. */
    void add(std::unique_ptr<security_package> package);

    /* Builds the list; called once by instance(). */
    void initialize();

private:
    bool initialized_ = false;
    std::vector<std::unique_ptr<security_package>> owned_;
    std::vector<security_package *> order_;
};

/* Each family of packages registers itself through one of these; they are
 * called in the order above. Each may add zero or more packages. */
void register_schannel_packages(package_registry &registry);
void register_lsa_packages(package_registry &registry);      /* msv1_0, kerberos */
void register_negotiate_package(package_registry &registry);
void register_registry_providers(package_registry &registry);

} // namespace secur32
