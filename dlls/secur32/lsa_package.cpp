/* LSA packages as SSPI packages: registration, credentials and the first
 * context-establishing call (see lsa_package.h). */
#include "lsa_package.h"

#include <wchar.h>

#include "auth_identity.h"
#include "context_attributes.h"
#include "package_registry.h"
#include "trace.h"

namespace secur32 {

namespace {

/* A counted view of a NUL-terminated UTF-16 string (no copy). */
UNICODE_STRING counted(const wchar_t *s)
{
    UNICODE_STRING u = {};
    if (!s) return u;
    size_t bytes = wcslen(s) * sizeof(wchar_t);
    if (bytes > 0xfffc) bytes = 0xfffc;
    u.Length = USHORT(bytes);
    u.MaximumLength = USHORT(bytes + sizeof(wchar_t));
    u.Buffer = const_cast<wchar_t *>(s);
    return u;
}

} // namespace

/* ---- package ----------------------------------------------------------------- */

SECURITY_STATUS lsa_security_package::acquire_credentials(const acquire_call &call, ref_ptr<credential> &out)
{
    auto *acquire = module_.lsa_api->AcquireCredentialsHandle;
    if (!acquire) return SEC_E_UNSUPPORTED_FUNCTION;

    auth_identity identity(call.auth_data);
    UNICODE_STRING principal = counted(call.principal);
    TimeStamp expiry = {};
    if (call.expiry) expiry = *call.expiry;
    LSA_SEC_HANDLE handle = 0;

    SECURITY_STATUS status = acquire(call.principal ? &principal : nullptr, call.credential_use,
                                     static_cast<LUID *>(call.logon_id), identity.data(),
                                     reinterpret_cast<void *>(call.get_key), call.get_key_arg, &handle, &expiry);
    if (call.expiry) *call.expiry = expiry;
    if (status != SEC_E_OK) return status;

    try {
        out = make_ref<lsa_credential>(*this, handle);
    } catch (...) {
        if (module_.lsa_api->FreeCredentialsHandle) module_.lsa_api->FreeCredentialsHandle(handle);
        throw;
    }
    return SEC_E_OK;
}

SECURITY_STATUS lsa_establish(lsa_module &module, bool initiate, LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx,
                              context_call &call, LSA_SEC_HANDLE *new_handle)
{
    /* Outputs go through locals: the packages write some of them
     * unconditionally, callers may pass null. */
    ULONG attributes = call.attributes ? *call.attributes : 0;
    TimeStamp expiry = {};
    if (call.expiry) expiry = *call.expiry;
    BOOLEAN mapped = FALSE;
    SECURITY_STATUS status;

    if (initiate) {
        auto *fn = module.lsa_api->InitLsaModeContext;
        if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
        UNICODE_STRING target = counted(call.target);
        status = fn(cred, ctx, call.target ? &target : nullptr, call.flags, call.data_rep, call.input, new_handle,
                    call.output, &attributes, &expiry, &mapped, nullptr);
    } else {
        auto *fn = module.lsa_api->AcceptLsaModeContext;
        if (!fn) return SEC_E_UNSUPPORTED_FUNCTION;
        status = fn(cred, ctx, call.input, call.flags, call.data_rep, new_handle, call.output, &attributes, &expiry,
                    &mapped, nullptr);
    }
    if (call.attributes) *call.attributes = attributes;
    if (call.expiry) *call.expiry = expiry;
    return status;
}

namespace {

SECURITY_STATUS first_step(lsa_security_package &package, context_call &call, bool initiate)
{
    if (call.existing) return static_cast<lsa_context *>(call.existing)->step(call, initiate);

    auto *cred = static_cast<lsa_credential *>(call.cred);
    if (!cred) return SEC_E_INVALID_HANDLE;
    LSA_SEC_HANDLE new_handle = 0;
    SECURITY_STATUS status = lsa_establish(package.module(), initiate, cred->handle(), 0, call, &new_handle);
    if (!lsa_context_created(status)) return status;

    try {
        auto created = make_ref<lsa_context>(package, new_handle, ref_ptr<credential>(cred));
        created->note_names(call, initiate, status);
        call.new_context = std::move(created);
    } catch (...) {
        if (package.module().lsa_api->DeleteContext) package.module().lsa_api->DeleteContext(new_handle);
        throw;
    }
    return status;
}

} // namespace

SECURITY_STATUS lsa_security_package::initialize_context(context_call &call) { return first_step(*this, call, true); }
SECURITY_STATUS lsa_security_package::accept_context(context_call &call) { return first_step(*this, call, false); }

/* ---- credential ---------------------------------------------------------------- */

lsa_credential::~lsa_credential()
{
    if (module_.lsa_api->FreeCredentialsHandle) module_.lsa_api->FreeCredentialsHandle(handle_);
}

SECURITY_STATUS lsa_credential::query_attributes(ULONG attribute, void *buffer, bool ansi)
{
    auto *query = module_.lsa_api->QueryCredentialsAttributes;
    if (!query) return SEC_E_UNSUPPORTED_FUNCTION;
    auto query_w = [&](ULONG a, void *b) -> SECURITY_STATUS { return query(handle_, a, b); };
    return ansi ? query_credential_attribute_ansi(attribute, buffer, query_w) : query_w(attribute, buffer);
}

/* ---- registration ---------------------------------------------------------------- */

void register_lsa_packages(package_registry &registry)
{
    for (lsa_module *module : lsa_host::instance().modules()) {
        if (!module->has_info) continue;
        registry.add(std::make_unique<lsa_security_package>(*module));
    }
}

} // namespace secur32
