/* Negotiate: package description, credentials and context establishment
 * (see negotiate.h). */
#include "negotiate.h"

#include <vector>

#include "auth_identity.h"
#include "lsa_api.h"
#include "package_registry.h"
#include "trace.h"

namespace secur32 {

namespace {

/* What Wine 8 reports for its Negotiate package. */
constexpr ULONG negotiate_caps = SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_CONNECTION |
                                 SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_EXTENDED_ERROR |
                                 SECPKG_FLAG_IMPERSONATION | SECPKG_FLAG_ACCEPT_WIN32_NAME |
                                 SECPKG_FLAG_NEGOTIABLE | SECPKG_FLAG_GSS_COMPATIBLE | SECPKG_FLAG_LOGON |
                                 SECPKG_FLAG_RESTRICTED_TOKENS;
constexpr ULONG negotiate_max_token = 12000;
constexpr USHORT rpc_authn_gss_negotiate = 9; /* RPC_C_AUTHN_GSS_NEGOTIATE */

/* A failed attempt of one sub-package must not leave the output buffers
 * changed for the next one. */
class output_snapshot {
public:
    explicit output_snapshot(SecBufferDesc *desc) : desc_(desc)
    {
        if (desc_ && desc_->pBuffers) saved_.assign(desc_->pBuffers, desc_->pBuffers + desc_->cBuffers);
    }
    void restore() const
    {
        if (desc_ && desc_->pBuffers && desc_->cBuffers == saved_.size())
            for (size_t i = 0; i < saved_.size(); i++) desc_->pBuffers[i] = saved_[i];
    }
private:
    SecBufferDesc *desc_;
    std::vector<SecBuffer> saved_;
};

} // namespace

negotiate_package::negotiate_package(security_package *kerberos, security_package *ntlm)
    : kerberos_(kerberos), ntlm_(ntlm)
{
    info_.capabilities = negotiate_caps;
    info_.version = 1;
    info_.rpc_id = rpc_authn_gss_negotiate;
    info_.max_token = negotiate_max_token;
    info_.name = L"Negotiate";
    info_.comment = L"Microsoft Package Negotiator";
}

SECURITY_STATUS negotiate_package::acquire_credentials(const acquire_call &call, ref_ptr<credential> &out)
{
    auth_identity identity(call.auth_data);
    auto allowed = [&](const wchar_t *name) {
        return !identity.has_package_list() || package_list_allows(identity.package_list(), name);
    };

    SECURITY_STATUS status = SEC_E_NO_CREDENTIALS;
    ref_ptr<credential> kerberos, ntlm;
    if (kerberos_ && allowed(L"Kerberos")) status = kerberos_->acquire_credentials(call, kerberos);
    if (ntlm_ && allowed(L"NTLM")) {
        /* Without explicit credentials Wine's Negotiate keeps NTLM from
         * falling back to winbind's cached ones. */
        acquire_call ntlm_call = call;
        if (!call.auth_data) ntlm_call.credential_use |= lsa_no_cached_credentials;
        status = ntlm_->acquire_credentials(ntlm_call, ntlm);
    }
    if (!kerberos && !ntlm) return status;

    out = make_ref<negotiate_credential>(*this, std::move(kerberos), std::move(ntlm));
    return SEC_E_OK;
}

SECURITY_STATUS negotiate_package::establish(context_call &call, step_fn step)
{
    if (call.existing) {
        auto *ctx = static_cast<negotiate_context *>(call.existing);
        ref_ptr<context> chosen = ctx->chosen();
        if (!chosen) return SEC_E_INVALID_HANDLE;
        context_call sub = call;
        sub.cred = nullptr;
        sub.existing = chosen.get();
        sub.new_context = nullptr;
        SECURITY_STATUS status = (chosen->package().*step)(sub);
        if (!FAILED(status) && sub.new_context && sub.new_context.get() != chosen.get())
            ctx->replace(std::move(sub.new_context));
        return status;
    }

    auto *cred = static_cast<negotiate_credential *>(call.cred);
    if (!cred) return SEC_E_INVALID_HANDLE;

    output_snapshot snapshot(call.output);
    SECURITY_STATUS status = SEC_E_INVALID_HANDLE;
    bool tried = false;
    for (credential *sub_cred : {cred->kerberos.get(), cred->ntlm.get()}) {
        if (!sub_cred) continue;
        if (tried) snapshot.restore();
        tried = true;
        context_call sub = call;
        sub.cred = sub_cred;
        sub.existing = nullptr;
        sub.new_context = nullptr;
        status = (sub_cred->package().*step)(sub);
        if (status != SEC_E_OK && status != SEC_I_CONTINUE_NEEDED) continue;
        if (sub.new_context)
            call.new_context = make_ref<negotiate_context>(*this, std::move(sub.new_context));
        return status;
    }
    return status;
}

SECURITY_STATUS negotiate_package::initialize_context(context_call &call)
{
    return establish(call, &security_package::initialize_context);
}

SECURITY_STATUS negotiate_package::accept_context(context_call &call)
{
    return establish(call, &security_package::accept_context);
}

void register_negotiate_package(package_registry &registry)
{
    /* Registered even without sub-packages, as in Wine: acquiring
     * credentials then fails with SEC_E_NO_CREDENTIALS. */
    registry.add(std::make_unique<negotiate_package>(registry.find(L"Kerberos"), registry.find(L"NTLM")));
}

} // namespace secur32
