/* An LSA package dll (lsa_host.h) seen as an SSPI security package: the
 * equivalent of the SSPI provider Wine's secur32 builds over its LSA
 * packages (NTLM from msv1_0.dll, Kerberos from kerberos.dll).
 *
 * Credentials and contexts own their LSA handles: a credential frees its
 * handle when the last reference goes; a context deletes its handle on
 * DeleteSecurityContext (on_delete) or, failing that, when destroyed.
 * Calls on one context are serialised (the packages keep per-context
 * state such as sequence numbers and RC4 streams without locking). */
#pragma once

#include "lsa_host.h"
#include "package.h"
#include "srw_lock.h"

namespace secur32 {

class lsa_security_package : public security_package {
public:
    explicit lsa_security_package(lsa_module &module) : module_(module) {}
    const package_info &info() const override { return module_.info; }
    lsa_module &module() const { return module_; }

    SECURITY_STATUS acquire_credentials(const acquire_call &call, ref_ptr<credential> &out) override;
    SECURITY_STATUS initialize_context(context_call &call) override;
    SECURITY_STATUS accept_context(context_call &call) override;

private:
    lsa_module &module_;
};

class lsa_credential : public credential {
public:
    lsa_credential(lsa_security_package &package, LSA_SEC_HANDLE handle)
        : credential(package), module_(package.module()), handle_(handle) {}
    LSA_SEC_HANDLE handle() const { return handle_; }

    SECURITY_STATUS query_attributes(ULONG attribute, void *buffer, bool ansi) override;

protected:
    ~lsa_credential() override;

private:
    lsa_module &module_;
    LSA_SEC_HANDLE handle_;
};

class lsa_context : public context {
public:
    lsa_context(lsa_security_package &package, LSA_SEC_HANDLE handle, ref_ptr<credential> cred)
        : context(package), module_(package.module()), handle_(handle), cred_(std::move(cred)) {}

    /* Continuation of InitializeSecurityContext / AcceptSecurityContext. */
    SECURITY_STATUS step(context_call &call, bool initiate);
    /* Remembers the user name an establishing call completed with (the
     * NTLM AUTHENTICATE message it sent or received), for SECPKG_ATTR_NAMES. */
    void note_names(const context_call &call, bool initiate, SECURITY_STATUS status);

    SECURITY_STATUS complete_auth_token(SecBufferDesc *token) override;
    SECURITY_STATUS apply_control_token(SecBufferDesc *token) override;
    SECURITY_STATUS query_attributes(ULONG attribute, void *buffer, bool ansi) override;
    SECURITY_STATUS make_signature(ULONG qop, SecBufferDesc *message, ULONG sequence) override;
    SECURITY_STATUS verify_signature(SecBufferDesc *message, ULONG sequence, ULONG *qop) override;
    SECURITY_STATUS encrypt(ULONG qop, SecBufferDesc *message, ULONG sequence) override;
    SECURITY_STATUS decrypt(SecBufferDesc *message, ULONG sequence, ULONG *qop) override;
    SECURITY_STATUS query_token(HANDLE *token) override;
    SECURITY_STATUS export_context(ULONG flags, SecBuffer *packed, HANDLE *token) override;
    void on_delete() override;

protected:
    ~lsa_context() override;

private:
    SECURITY_STATUS query_w(ULONG attribute, void *buffer);  /* lock held */
    template <typename Fn> SECURITY_STATUS with_handle(Fn &&fn);

    lsa_module &module_;
    srw_lock lock_;
    LSA_SEC_HANDLE handle_;
    bool live_ = true;
    ref_ptr<credential> cred_;   /* keeps the LSA credential alive for the context */
    std::wstring names_;         /* see note_names */
};

/* The context-establishing call into the package, shared by first and
 * continuation calls; returns the LSA status and the package's new handle. */
SECURITY_STATUS lsa_establish(lsa_module &module, bool initiate, LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx,
                              context_call &call, LSA_SEC_HANDLE *new_handle);

/* What Wine's LSA provider treats as "a context exists now". */
inline bool lsa_context_created(SECURITY_STATUS status)
{
    return status == SEC_E_OK || status == SEC_I_CONTINUE_NEEDED;
}

} // namespace secur32
