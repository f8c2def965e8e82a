/* SSPI exports that establish and use security contexts. Handle rules
 * (shared by every package):
 * - a context handle, when given, decides the package; a credential given
 *   with it must belong to the same package;
 * - a context object created by a package is registered only when the call
 *   did not fail, so a failed first call leaves the caller nothing to free;
 * - continuing calls hand the same handle back in phNewContext. */
#include <windows.h>
#include <sspi.h>

#include "abi_guard.h"
#include "handle_table.h"
#include "package_registry.h"
#include "text.h"

using namespace secur32;

namespace {

using establish_fn = SECURITY_STATUS (security_package::*)(context_call &);

SECURITY_STATUS establish(establish_fn step, CredHandle *cred_handle, CtxtHandle *ctx_handle,
                          const wchar_t *target, ULONG flags, ULONG data_rep, SecBufferDesc *input,
                          CtxtHandle *new_handle, SecBufferDesc *output, ULONG *attributes, TimeStamp *expiry,
                          bool ansi, const void *return_address)
{
    handle_table &table = handle_table::instance();
    ref_ptr<context> existing;
    ref_ptr<credential> cred;

    if (ctx_handle) {
        existing = table.find_context(ctx_handle);
        if (!existing) return SEC_E_INVALID_HANDLE;
    }
    /* On a continuation the context decides; callers differ in what they
     * pass as the credential then, so only a first call requires one. */
    if (cred_handle) cred = table.find_credential(cred_handle);
    if (!existing && !cred) return SEC_E_INVALID_HANDLE;
    if (existing && cred && &existing->package() != &cred->package()) return SEC_E_INVALID_HANDLE;
    if (!existing && !new_handle) return SEC_E_INVALID_HANDLE;

    security_package &package = existing ? existing->package() : cred->package();
    context_call call{cred.get(), existing.get(), target, flags, data_rep, input, output, attributes, expiry, ansi,
                      return_address, {}};
    SECURITY_STATUS status = (package.*step)(call);

    if (FAILED(status)) return status;
    if (!existing) {
        if (!call.new_context) return status == SEC_E_OK ? SEC_E_INTERNAL_ERROR : status;
        ref_ptr<context> created = call.new_context;
        if (!table.insert_context(std::move(call.new_context), new_handle)) {
            created->on_delete();
            return SEC_E_INSUFFICIENT_MEMORY;
        }
        return status;
    }
    if (call.new_context && call.new_context.get() != existing.get())
        table.replace_context(ctx_handle, std::move(call.new_context));
    if (new_handle && new_handle != ctx_handle) *new_handle = *ctx_handle;
    return status;
}

template <typename Fn> SECURITY_STATUS with_context(CtxtHandle *handle, Fn &&fn)
{
    ref_ptr<context> ctx = handle_table::instance().find_context(handle);
    if (!ctx) return SEC_E_INVALID_HANDLE;
    return fn(*ctx);
}

} // namespace

extern "C" {

SECURITY_STATUS WINAPI InitializeSecurityContextW(CredHandle *credential, CtxtHandle *context, SEC_WCHAR *target,
                                                  ULONG flags, ULONG reserved1, ULONG data_rep,
                                                  SecBufferDesc *input, ULONG reserved2, CtxtHandle *new_context,
                                                  SecBufferDesc *output, ULONG *attributes, TimeStamp *expiry)
{
    const void *caller = __builtin_return_address(0);
    return abi_guard(__func__, [&] {
        return establish(&security_package::initialize_context, credential, context, target, flags, data_rep,
                         input, new_context, output, attributes, expiry, false, caller);
    });
}

SECURITY_STATUS WINAPI InitializeSecurityContextA(CredHandle *credential, CtxtHandle *context, SEC_CHAR *target,
                                                  ULONG flags, ULONG reserved1, ULONG data_rep,
                                                  SecBufferDesc *input, ULONG reserved2, CtxtHandle *new_context,
                                                  SecBufferDesc *output, ULONG *attributes, TimeStamp *expiry)
{
    const void *caller = __builtin_return_address(0);
    return abi_guard(__func__, [&] {
        wide_arg target_w(target);
        return establish(&security_package::initialize_context, credential, context, target_w.c_str(), flags,
                         data_rep, input, new_context, output, attributes, expiry, true, caller);
    });
}

SECURITY_STATUS WINAPI AcceptSecurityContext(CredHandle *credential, CtxtHandle *context, SecBufferDesc *input,
                                             ULONG flags, ULONG data_rep, CtxtHandle *new_context,
                                             SecBufferDesc *output, ULONG *attributes, TimeStamp *expiry)
{
    const void *caller = __builtin_return_address(0);
    return abi_guard(__func__, [&] {
        return establish(&security_package::accept_context, credential, context, nullptr, flags, data_rep, input,
                         new_context, output, attributes, expiry, false, caller);
    });
}

SECURITY_STATUS WINAPI DeleteSecurityContext(CtxtHandle *context)
{
    return abi_guard(__func__, [&] {
        ref_ptr<secur32::context> ctx = handle_table::instance().remove_context(context);
        if (!ctx) return SEC_E_INVALID_HANDLE;
        ctx->on_delete();
        return SEC_E_OK;
    });
}

SECURITY_STATUS WINAPI CompleteAuthToken(CtxtHandle *context, SecBufferDesc *token)
{
    return abi_guard(__func__, [&] {
        return with_context(context, [&](secur32::context &c) { return c.complete_auth_token(token); });
    });
}

SECURITY_STATUS WINAPI ApplyControlToken(CtxtHandle *context, SecBufferDesc *input)
{
    return abi_guard(__func__, [&] {
        return with_context(context, [&](secur32::context &c) { return c.apply_control_token(input); });
    });
}

SECURITY_STATUS WINAPI QueryContextAttributesW(CtxtHandle *context, ULONG attribute, void *buffer)
{
    return abi_guard(__func__, [&] {
        return with_context(context, [&](secur32::context &c) { return c.query_attributes(attribute, buffer, false); });
    });
}

SECURITY_STATUS WINAPI QueryContextAttributesA(CtxtHandle *context, ULONG attribute, void *buffer)
{
    return abi_guard(__func__, [&] {
        return with_context(context, [&](secur32::context &c) { return c.query_attributes(attribute, buffer, true); });
    });
}

SECURITY_STATUS WINAPI SetContextAttributesW(CtxtHandle *context, ULONG attribute, void *buffer, ULONG size)
{
    return abi_guard(__func__, [&] {
        return with_context(context,
                            [&](secur32::context &c) { return c.set_attributes(attribute, buffer, size, false); });
    });
}

SECURITY_STATUS WINAPI SetContextAttributesA(CtxtHandle *context, ULONG attribute, void *buffer, ULONG size)
{
    return abi_guard(__func__, [&] {
        return with_context(context,
                            [&](secur32::context &c) { return c.set_attributes(attribute, buffer, size, true); });
    });
}

SECURITY_STATUS WINAPI ImpersonateSecurityContext(CtxtHandle *context)
{
    return abi_guard(__func__, [&] {
        return with_context(context, [&](secur32::context &c) { return c.impersonate(); });
    });
}

SECURITY_STATUS WINAPI RevertSecurityContext(CtxtHandle *context)
{
    return abi_guard(__func__, [&] {
        return with_context(context, [&](secur32::context &c) { return c.revert(); });
    });
}

SECURITY_STATUS WINAPI MakeSignature(CtxtHandle *context, ULONG qop, SecBufferDesc *message, ULONG sequence)
{
    return abi_guard(__func__, [&] {
        return with_context(context, [&](secur32::context &c) { return c.make_signature(qop, message, sequence); });
    });
}

SECURITY_STATUS WINAPI VerifySignature(CtxtHandle *context, SecBufferDesc *message, ULONG sequence, ULONG *qop)
{
    return abi_guard(__func__, [&] {
        return with_context(context, [&](secur32::context &c) { return c.verify_signature(message, sequence, qop); });
    });
}

SECURITY_STATUS WINAPI EncryptMessage(CtxtHandle *context, ULONG qop, SecBufferDesc *message, ULONG sequence)
{
    return abi_guard(__func__, [&] {
        return with_context(context, [&](secur32::context &c) { return c.encrypt(qop, message, sequence); });
    });
}

SECURITY_STATUS WINAPI DecryptMessage(CtxtHandle *context, SecBufferDesc *message, ULONG sequence, ULONG *qop)
{
    return abi_guard(__func__, [&] {
        return with_context(context, [&](secur32::context &c) { return c.decrypt(message, sequence, qop); });
    });
}

SECURITY_STATUS WINAPI QuerySecurityContextToken(CtxtHandle *context, HANDLE *token)
{
    return abi_guard(__func__, [&] {
        return with_context(context, [&](secur32::context &c) { return c.query_token(token); });
    });
}

SECURITY_STATUS WINAPI ExportSecurityContext(CtxtHandle *context, ULONG flags, SecBuffer *packed, void **token)
{
    return abi_guard(__func__, [&] {
        return with_context(context,
                            [&](secur32::context &c) { return c.export_context(flags, packed, (HANDLE *)token); });
    });
}

} // extern "C"

namespace {

SECURITY_STATUS import(const wchar_t *package_name, SecBuffer *packed, void *token, CtxtHandle *out)
{
    if (!package_name) return SEC_E_SECPKG_NOT_FOUND;
    security_package *package = package_registry::instance().find(package_name);
    if (!package) return SEC_E_SECPKG_NOT_FOUND;
    if (!out) return SEC_E_INVALID_HANDLE;
    ref_ptr<context> ctx;
    SECURITY_STATUS status = package->import_context(packed, token, ctx);
    if (status != SEC_E_OK) return status;
    if (!ctx) return SEC_E_INTERNAL_ERROR;
    ref_ptr<context> keep = ctx;
    if (!handle_table::instance().insert_context(std::move(ctx), out)) {
        keep->on_delete();
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    return SEC_E_OK;
}

} // namespace

extern "C" {

SECURITY_STATUS WINAPI ImportSecurityContextW(SEC_WCHAR *package, SecBuffer *packed, void *token, CtxtHandle *context)
{
    return abi_guard(__func__, [&] { return import(package, packed, token, context); });
}

SECURITY_STATUS WINAPI ImportSecurityContextA(SEC_CHAR *package, SecBuffer *packed, void *token, CtxtHandle *context)
{
    return abi_guard(__func__, [&] {
        wide_arg package_w(package);
        return import(package_w.c_str(), packed, token, context);
    });
}

} // extern "C"
