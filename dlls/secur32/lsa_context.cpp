/* Contexts of LSA packages (see lsa_package.h): continuation calls,
 * attributes and per-message calls, each serialised per context and
 * refused once DeleteSecurityContext has run. */
#include "lsa_package.h"

#include <string.h>

#include "context_attributes.h"
#include "context_buffer.h"
#include "ntlm_token.h"

namespace secur32 {

lsa_context::~lsa_context() { on_delete(); }

void lsa_context::on_delete()
{
    exclusive_guard guard(lock_);
    if (!live_) return;
    live_ = false;
    if (module_.lsa_api->DeleteContext) module_.lsa_api->DeleteContext(handle_);
}

template <typename Fn> SECURITY_STATUS lsa_context::with_handle(Fn &&fn)
{
    exclusive_guard guard(lock_);
    if (!live_) return SEC_E_INVALID_HANDLE;
    return fn(handle_);
}

SECURITY_STATUS lsa_context::step(context_call &call, bool initiate)
{
    return with_handle([&](LSA_SEC_HANDLE handle) -> SECURITY_STATUS {
        /* As in Wine, a continuation passes the context and no credential. */
        LSA_SEC_HANDLE new_handle = handle;
        SECURITY_STATUS status = lsa_establish(module_, initiate, 0, handle, call, &new_handle);
        if (lsa_context_created(status)) handle_ = new_handle;
        note_names(call, initiate, status);
        return status;
    });
}

void lsa_context::note_names(const context_call &call, bool initiate, SECURITY_STATUS status)
{
    if (status != SEC_E_OK) return;
    std::wstring name = ntlm_authenticate_name(initiate ? call.output : call.input);
    if (!name.empty()) names_ = std::move(name);
}

SECURITY_STATUS lsa_context::complete_auth_token(SecBufferDesc *token)
{
    auto *fn = module_.user_api ? module_.user_api->CompleteAuthToken : nullptr;
    if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
    return with_handle([&](LSA_SEC_HANDLE h) { return fn(h, token); });
}

SECURITY_STATUS lsa_context::apply_control_token(SecBufferDesc *token)
{
    auto *fn = module_.lsa_api->ApplyControlToken;
    if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
    return with_handle([&](LSA_SEC_HANDLE h) { return fn(h, token); });
}

SECURITY_STATUS lsa_context::query_w(ULONG attribute, void *buffer)
{
    auto *fn = module_.lsa_api->QueryContextAttributes;
    if (!fn && module_.user_api) fn = module_.user_api->QueryContextAttributes;
    SECURITY_STATUS status = fn ? fn(handle_, attribute, buffer) : SEC_E_UNSUPPORTED_FUNCTION;

    if (status != SEC_E_UNSUPPORTED_FUNCTION || !buffer) return status;

    /* Windows answers these for NTLM and Kerberos; Wine's packages leave
     * them unimplemented, and the host knows the answers. */
    if (attribute == SECPKG_ATTR_PACKAGE_INFO && module_.has_info) {
        auto *out = static_cast<SecPkgContext_PackageInfoW *>(buffer);
        out->PackageInfo = package_info_block_w(module_.info);
        return out->PackageInfo ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
    }
    if (attribute == SECPKG_ATTR_NAMES && !names_.empty()) {
        auto *out = static_cast<SecPkgContext_NamesW *>(buffer);
        size_t bytes = (names_.size() + 1) * sizeof(wchar_t);
        out->sUserName = static_cast<SEC_WCHAR *>(context_buffer_alloc(bytes));
        if (!out->sUserName) return SEC_E_INSUFFICIENT_MEMORY;
        memcpy(out->sUserName, names_.c_str(), bytes);
        return SEC_E_OK;
    }
    return status;
}

SECURITY_STATUS lsa_context::query_attributes(ULONG attribute, void *buffer, bool ansi)
{
    return with_handle([&](LSA_SEC_HANDLE) -> SECURITY_STATUS {
        if (!ansi) return query_w(attribute, buffer);
        return query_context_attribute_ansi(attribute, buffer,
                                            [this](ULONG a, void *b) { return query_w(a, b); });
    });
}

SECURITY_STATUS lsa_context::make_signature(ULONG qop, SecBufferDesc *message, ULONG sequence)
{
    auto *fn = module_.user_api ? module_.user_api->MakeSignature : nullptr;
    if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
    return with_handle([&](LSA_SEC_HANDLE h) { return fn(h, qop, message, sequence); });
}

SECURITY_STATUS lsa_context::verify_signature(SecBufferDesc *message, ULONG sequence, ULONG *qop)
{
    auto *fn = module_.user_api ? module_.user_api->VerifySignature : nullptr;
    if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
    return with_handle([&](LSA_SEC_HANDLE h) { return fn(h, message, sequence, qop); });
}

SECURITY_STATUS lsa_context::encrypt(ULONG qop, SecBufferDesc *message, ULONG sequence)
{
    auto *fn = module_.user_api ? module_.user_api->SealMessage : nullptr;
    if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
    return with_handle([&](LSA_SEC_HANDLE h) { return fn(h, qop, message, sequence); });
}

SECURITY_STATUS lsa_context::decrypt(SecBufferDesc *message, ULONG sequence, ULONG *qop)
{
    auto *fn = module_.user_api ? module_.user_api->UnsealMessage : nullptr;
    if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
    return with_handle([&](LSA_SEC_HANDLE h) { return fn(h, message, sequence, qop); });
}

SECURITY_STATUS lsa_context::query_token(HANDLE *token)
{
    auto *fn = module_.user_api ? module_.user_api->GetContextToken : nullptr;
    if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
    return with_handle([&](LSA_SEC_HANDLE h) { return fn(h, token); });
}

SECURITY_STATUS lsa_context::export_context(ULONG flags, SecBuffer *packed, HANDLE *token)
{
    auto *fn = module_.user_api ? module_.user_api->ExportContext : nullptr;
    if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
    return with_handle([&](LSA_SEC_HANDLE h) { return fn(h, flags, packed, token); });
}

} // namespace secur32
