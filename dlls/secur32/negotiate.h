/* Negotiate, as Wine 8 implements it inside secur32: not SPNEGO on the
 * wire, but a chooser between the Kerberos and NTLM packages. A credential
 * holds one credential of each sub-package that could be acquired; a
 * context tries Kerberos first and falls back to NTLM on the first call,
 * then sticks to the sub-context that started and forwards everything to
 * it (tokens, attributes, messages). */
#pragma once

#include "package.h"
#include "srw_lock.h"

namespace secur32 {

class negotiate_package : public security_package {
public:
    negotiate_package(security_package *kerberos, security_package *ntlm);
    const package_info &info() const override { return info_; }

    SECURITY_STATUS acquire_credentials(const acquire_call &call, ref_ptr<credential> &out) override;
    SECURITY_STATUS initialize_context(context_call &call) override;
    SECURITY_STATUS accept_context(context_call &call) override;

private:
    using step_fn = SECURITY_STATUS (security_package::*)(context_call &);
    SECURITY_STATUS establish(context_call &call, step_fn step);

    package_info info_;
    security_package *kerberos_;   /* either may be null */
    security_package *ntlm_;
};

class negotiate_credential : public credential {
public:
    negotiate_credential(negotiate_package &package, ref_ptr<credential> kerberos, ref_ptr<credential> ntlm)
        : credential(package), kerberos(std::move(kerberos)), ntlm(std::move(ntlm)) {}
    const ref_ptr<credential> kerberos;
    const ref_ptr<credential> ntlm;
};

class negotiate_context : public context {
public:
    negotiate_context(negotiate_package &package, ref_ptr<context> chosen)
        : context(package), chosen_(std::move(chosen)) {}

    ref_ptr<context> chosen();
    void replace(ref_ptr<context> chosen);

    SECURITY_STATUS complete_auth_token(SecBufferDesc *token) override;
    SECURITY_STATUS apply_control_token(SecBufferDesc *token) override;
    SECURITY_STATUS query_attributes(ULONG attribute, void *buffer, bool ansi) override;
    SECURITY_STATUS impersonate() override;
    SECURITY_STATUS revert() override;
    SECURITY_STATUS make_signature(ULONG qop, SecBufferDesc *message, ULONG sequence) override;
    SECURITY_STATUS verify_signature(SecBufferDesc *message, ULONG sequence, ULONG *qop) override;
    SECURITY_STATUS encrypt(ULONG qop, SecBufferDesc *message, ULONG sequence) override;
    SECURITY_STATUS decrypt(SecBufferDesc *message, ULONG sequence, ULONG *qop) override;
    void on_delete() override;

private:
    srw_lock lock_;
    ref_ptr<context> chosen_;
};

} // namespace secur32
