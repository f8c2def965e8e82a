/* Packages of third-party SSP dlls (see sspi_provider.h). */
#include "sspi_provider.h"

#include "context_attributes.h"
#include "text.h"

namespace secur32 {

namespace {

/* Version 1 tables end before SetContextAttributes. */
template <typename Table> bool has_set_context_attributes(const Table *t) { return t && t->dwVersion > 1; }

/* A modifiable copy of an optional string, as the SSPI prototypes want. */
class ansi_copy {
public:
    explicit ansi_copy(const wchar_t *w) : null_(!w), s_(to_ansi(w)) {}
    SEC_CHAR *get() { return null_ ? nullptr : &s_[0]; }
private:
    bool null_;
    std::string s_;
};

class wide_copy {
public:
    explicit wide_copy(const wchar_t *w) : null_(!w), s_(w ? w : L"") {}
    SEC_WCHAR *get() { return null_ ? nullptr : &s_[0]; }
private:
    bool null_;
    std::wstring s_;
};

bool is_set(const SecHandle &h) { return h.dwLower || h.dwUpper; }

} // namespace

/* ---- package ------------------------------------------------------------------ */

SECURITY_STATUS sspi_provider_package::acquire_credentials(const acquire_call &call, ref_ptr<credential> &out)
{
    SecurityFunctionTableW *w = provider_->table_w;
    SecurityFunctionTableA *a = provider_->table_a;
    bool have_w = w && w->AcquireCredentialsHandleW, have_a = a && a->AcquireCredentialsHandleA;
    CredHandle handle = {};
    SECURITY_STATUS status;

    if (have_a && (call.ansi || !have_w)) {
        ansi_copy principal(call.principal), name(info_.name.c_str());
        status = a->AcquireCredentialsHandleA(principal.get(), name.get(), call.credential_use, call.logon_id,
                                              call.auth_data, call.get_key, call.get_key_arg, &handle, call.expiry);
    } else if (have_w) {
        wide_copy principal(call.principal), name(info_.name.c_str());
        status = w->AcquireCredentialsHandleW(principal.get(), name.get(), call.credential_use, call.logon_id,
                                              call.auth_data, call.get_key, call.get_key_arg, &handle, call.expiry);
    } else {
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
    if (status != SEC_E_OK) return status;
    out = make_ref<sspi_provider_credential>(*this, handle);
    return SEC_E_OK;
}

SECURITY_STATUS sspi_provider_package::establish(context_call &call, bool initiate)
{
    SecurityFunctionTableW *w = provider_->table_w;
    SecurityFunctionTableA *a = provider_->table_a;
    auto *cred = static_cast<sspi_provider_credential *>(call.cred);
    CredHandle *cred_handle = cred ? cred->handle() : nullptr;

    /* `old` is the provider's handle on a continuation, null on a first
     * call; a continuation gets the (possibly updated) handle back in place. */
    auto run = [&](CtxtHandle *old) -> SECURITY_STATUS {
        CtxtHandle fresh = {};
        CtxtHandle *out = old ? old : &fresh;
        SECURITY_STATUS status;
        if (initiate) {
            bool have_w = w && w->InitializeSecurityContextW, have_a = a && a->InitializeSecurityContextA;
            if (have_a && (call.ansi || !have_w)) {
                ansi_copy target(call.target);
                status = a->InitializeSecurityContextA(cred_handle, old, target.get(), call.flags, 0, call.data_rep,
                                                       call.input, 0, out, call.output, call.attributes,
                                                       call.expiry);
            } else if (have_w) {
                wide_copy target(call.target);
                status = w->InitializeSecurityContextW(cred_handle, old, target.get(), call.flags, 0, call.data_rep,
                                                       call.input, 0, out, call.output, call.attributes,
                                                       call.expiry);
            } else {
                return SEC_E_UNSUPPORTED_FUNCTION;
            }
        } else {
            ACCEPT_SECURITY_CONTEXT_FN accept = w && w->AcceptSecurityContext ? w->AcceptSecurityContext
                                                : a ? a->AcceptSecurityContext : nullptr;
            if (!accept) return SEC_E_UNSUPPORTED_FUNCTION;
            status = accept(cred_handle, old, call.input, call.flags, call.data_rep, out, call.output,
                            call.attributes, call.expiry);
        }
        if (!old && !FAILED(status) && is_set(fresh))
            call.new_context = make_ref<sspi_provider_context>(*this, fresh, ref_ptr<credential>(cred));
        return status;
    };

    if (call.existing)
        return static_cast<sspi_provider_context *>(call.existing)->with_handle(true, run);
    if (!cred) return SEC_E_INVALID_HANDLE;
    return run(nullptr);
}

SECURITY_STATUS sspi_provider_package::initialize_context(context_call &call) { return establish(call, true); }
SECURITY_STATUS sspi_provider_package::accept_context(context_call &call) { return establish(call, false); }

/* ---- credential -------------------------------------------------------------------- */

sspi_provider_credential::~sspi_provider_credential()
{
    FREE_CREDENTIALS_HANDLE_FN free_fn = provider_.table_w && provider_.table_w->FreeCredentialsHandle
                                             ? provider_.table_w->FreeCredentialsHandle
                                         : provider_.table_a ? provider_.table_a->FreeCredentialsHandle
                                                             : nullptr;
    if (free_fn) free_fn(&handle_);
}

SECURITY_STATUS sspi_provider_credential::query_attributes(ULONG attribute, void *buffer, bool ansi)
{
    SecurityFunctionTableW *w = provider_.table_w;
    SecurityFunctionTableA *a = provider_.table_a;
    if (ansi && a && a->QueryCredentialsAttributesA) return a->QueryCredentialsAttributesA(&handle_, attribute, buffer);
    if (w && w->QueryCredentialsAttributesW) {
        auto query_w = [&](ULONG at, void *b) -> SECURITY_STATUS {
            return w->QueryCredentialsAttributesW(&handle_, at, b);
        };
        return ansi ? query_credential_attribute_ansi(attribute, buffer, query_w) : query_w(attribute, buffer);
    }
    if (!ansi && a && a->QueryCredentialsAttributesA && attribute != SECPKG_CRED_ATTR_NAMES &&
        attribute != SECPKG_CRED_ATTR_SSI_PROVIDER)
        return a->QueryCredentialsAttributesA(&handle_, attribute, buffer);
    return SEC_E_UNSUPPORTED_FUNCTION;
}

/* ---- context ------------------------------------------------------------------------- */

sspi_provider_context::~sspi_provider_context() { on_delete(); }

void sspi_provider_context::on_delete()
{
    exclusive_guard guard(lock_);
    if (!live_) return;
    live_ = false;
    DELETE_SECURITY_CONTEXT_FN del = provider_.table_w && provider_.table_w->DeleteSecurityContext
                                         ? provider_.table_w->DeleteSecurityContext
                                     : provider_.table_a ? provider_.table_a->DeleteSecurityContext
                                                         : nullptr;
    if (del) del(&handle_);
}

/* The entry of either table that does not depend on the character set. */
#define PROVIDER_FN(name) \
    (provider_.table_w && provider_.table_w->name ? provider_.table_w->name \
     : provider_.table_a ? provider_.table_a->name : nullptr)

SECURITY_STATUS sspi_provider_context::complete_auth_token(SecBufferDesc *token)
{
    auto fn = PROVIDER_FN(CompleteAuthToken);
    if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
    return with_handle(true, [&](CtxtHandle *h) { return fn(h, token); });
}

SECURITY_STATUS sspi_provider_context::apply_control_token(SecBufferDesc *token)
{
    auto fn = PROVIDER_FN(ApplyControlToken);
    if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
    return with_handle(true, [&](CtxtHandle *h) { return fn(h, token); });
}

SECURITY_STATUS sspi_provider_context::query_attributes(ULONG attribute, void *buffer, bool ansi)
{
    SecurityFunctionTableW *w = provider_.table_w;
    SecurityFunctionTableA *a = provider_.table_a;
    return with_handle(false, [&](CtxtHandle *h) -> SECURITY_STATUS {
        if (ansi && a && a->QueryContextAttributesA) return a->QueryContextAttributesA(h, attribute, buffer);
        if (w && w->QueryContextAttributesW) {
            auto query_w = [&](ULONG at, void *b) -> SECURITY_STATUS { return w->QueryContextAttributesW(h, at, b); };
            return ansi ? query_context_attribute_ansi(attribute, buffer, query_w) : query_w(attribute, buffer);
        }
        if (!ansi && a && a->QueryContextAttributesA && context_attribute_is_string_free(attribute))
            return a->QueryContextAttributesA(h, attribute, buffer);
        return SEC_E_UNSUPPORTED_FUNCTION;
    });
}

SECURITY_STATUS sspi_provider_context::set_attributes(ULONG attribute, void *buffer, ULONG size, bool ansi)
{
    SecurityFunctionTableW *w = has_set_context_attributes(provider_.table_w) ? provider_.table_w : nullptr;
    SecurityFunctionTableA *a = has_set_context_attributes(provider_.table_a) ? provider_.table_a : nullptr;
    return with_handle(true, [&](CtxtHandle *h) -> SECURITY_STATUS {
        if (ansi && a && a->SetContextAttributesA) return a->SetContextAttributesA(h, attribute, buffer, size);
        if (!ansi && w && w->SetContextAttributesW) return w->SetContextAttributesW(h, attribute, buffer, size);
        if (!context_attribute_is_string_free(attribute)) return SEC_E_UNSUPPORTED_FUNCTION;
        if (w && w->SetContextAttributesW) return w->SetContextAttributesW(h, attribute, buffer, size);
        if (a && a->SetContextAttributesA) return a->SetContextAttributesA(h, attribute, buffer, size);
        return SEC_E_UNSUPPORTED_FUNCTION;
    });
}

SECURITY_STATUS sspi_provider_context::impersonate()
{
    auto fn = PROVIDER_FN(ImpersonateSecurityContext);
    if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
    return with_handle(false, [&](CtxtHandle *h) { return fn(h); });
}

SECURITY_STATUS sspi_provider_context::revert()
{
    auto fn = PROVIDER_FN(RevertSecurityContext);
    if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
    return with_handle(false, [&](CtxtHandle *h) { return fn(h); });
}

SECURITY_STATUS sspi_provider_context::make_signature(ULONG qop, SecBufferDesc *message, ULONG sequence)
{
    auto fn = PROVIDER_FN(MakeSignature);
    if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
    return with_handle(false, [&](CtxtHandle *h) { return fn(h, qop, message, sequence); });
}

SECURITY_STATUS sspi_provider_context::verify_signature(SecBufferDesc *message, ULONG sequence, ULONG *qop)
{
    auto fn = PROVIDER_FN(VerifySignature);
    if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
    return with_handle(false, [&](CtxtHandle *h) { return fn(h, message, sequence, qop); });
}

SECURITY_STATUS sspi_provider_context::encrypt(ULONG qop, SecBufferDesc *message, ULONG sequence)
{
    auto fn = PROVIDER_FN(EncryptMessage);
    if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
    return with_handle(false, [&](CtxtHandle *h) { return fn(h, qop, message, sequence); });
}

SECURITY_STATUS sspi_provider_context::decrypt(SecBufferDesc *message, ULONG sequence, ULONG *qop)
{
    auto fn = PROVIDER_FN(DecryptMessage);
    if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
    return with_handle(false, [&](CtxtHandle *h) { return fn(h, message, sequence, qop); });
}

SECURITY_STATUS sspi_provider_context::query_token(HANDLE *token)
{
    auto fn = PROVIDER_FN(QuerySecurityContextToken);
    if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
    return with_handle(false, [&](CtxtHandle *h) { return fn(h, reinterpret_cast<void **>(token)); });
}

SECURITY_STATUS sspi_provider_context::export_context(ULONG flags, SecBuffer *packed, HANDLE *token)
{
    auto fn = PROVIDER_FN(ExportSecurityContext);
    if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
    return with_handle(false, [&](CtxtHandle *h) { return fn(h, flags, packed, reinterpret_cast<void **>(token)); });
}

#undef PROVIDER_FN

} // namespace secur32
