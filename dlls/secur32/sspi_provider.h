/* A security package offered by a third-party SSP dll through its
 * InitSecurityInterface function table (the providers listed in the
 * registry, see registry_providers.cpp). Credentials and contexts own the
 * provider's handles and free them through the provider's table.
 *
 * Calls go to the table matching the caller's character set when the
 * provider has it, else to the other one with names converted; attribute
 * results of a W-only provider are converted for ANSI callers. */
#pragma once

#include <memory>

#include "package.h"
#include "srw_lock.h"

namespace secur32 {

/* One loaded provider dll, shared by the packages it offers. */
struct sspi_provider {
    HMODULE module = nullptr;
    SecurityFunctionTableW *table_w = nullptr;  /* either may be null */
    SecurityFunctionTableA *table_a = nullptr;
};

class sspi_provider_package : public security_package {
public:
    sspi_provider_package(std::shared_ptr<sspi_provider> provider, package_info info)
        : provider_(std::move(provider)), info_(std::move(info)) {}
    const package_info &info() const override { return info_; }
    const sspi_provider &provider() const { return *provider_; }

    SECURITY_STATUS acquire_credentials(const acquire_call &call, ref_ptr<credential> &out) override;
    SECURITY_STATUS initialize_context(context_call &call) override;
    SECURITY_STATUS accept_context(context_call &call) override;

private:
    SECURITY_STATUS establish(context_call &call, bool initiate);

    std::shared_ptr<sspi_provider> provider_;
    package_info info_;
};

class sspi_provider_credential : public credential {
public:
    sspi_provider_credential(sspi_provider_package &package, const CredHandle &handle)
        : credential(package), provider_(package.provider()), handle_(handle) {}
    CredHandle *handle() { return &handle_; }

    SECURITY_STATUS query_attributes(ULONG attribute, void *buffer, bool ansi) override;

protected:
    ~sspi_provider_credential() override;

private:
    const sspi_provider &provider_;
    CredHandle handle_;
};

class sspi_provider_context : public context {
public:
    sspi_provider_context(sspi_provider_package &package, const CtxtHandle &handle, ref_ptr<credential> cred)
        : context(package), provider_(package.provider()), handle_(handle), cred_(std::move(cred)) {}

    /* Runs `fn` on the provider's handle unless the context was deleted;
     * `exclusive` for calls that may change the handle. */
    template <typename Fn> SECURITY_STATUS with_handle(bool exclusive, Fn &&fn);

    SECURITY_STATUS complete_auth_token(SecBufferDesc *token) override;
    SECURITY_STATUS apply_control_token(SecBufferDesc *token) override;
    SECURITY_STATUS query_attributes(ULONG attribute, void *buffer, bool ansi) override;
    SECURITY_STATUS set_attributes(ULONG attribute, void *buffer, ULONG size, bool ansi) override;
    SECURITY_STATUS impersonate() override;
    SECURITY_STATUS revert() override;
    SECURITY_STATUS make_signature(ULONG qop, SecBufferDesc *message, ULONG sequence) override;
    SECURITY_STATUS verify_signature(SecBufferDesc *message, ULONG sequence, ULONG *qop) override;
    SECURITY_STATUS encrypt(ULONG qop, SecBufferDesc *message, ULONG sequence) override;
    SECURITY_STATUS decrypt(SecBufferDesc *message, ULONG sequence, ULONG *qop) override;
    SECURITY_STATUS query_token(HANDLE *token) override;
    SECURITY_STATUS export_context(ULONG flags, SecBuffer *packed, HANDLE *token) override;
    void on_delete() override;

protected:
    ~sspi_provider_context() override;

private:
    const sspi_provider &provider_;
    srw_lock lock_;
    CtxtHandle handle_;
    bool live_ = true;
    ref_ptr<credential> cred_;
};

template <typename Fn> SECURITY_STATUS sspi_provider_context::with_handle(bool exclusive, Fn &&fn)
{
    if (exclusive) {
        exclusive_guard guard(lock_);
        return live_ ? fn(&handle_) : SEC_E_INVALID_HANDLE;
    }
    shared_guard guard(lock_);
    return live_ ? fn(&handle_) : SEC_E_INVALID_HANDLE;
}

} // namespace secur32
