/* The Schannel package, registered under both names Windows uses:
 * "Microsoft Unified Security Protocol Provider" (UNISP_NAME) and
 * "Schannel". Both names reach the same implementation. */
#include "package_registry.h"
#include "schannel_context.h"
#include "schannel_credential.h"

namespace secur32 {

namespace {

class schannel_package : public security_package {
public:
    schannel_package(const wchar_t *name, const wchar_t *comment)
    {
        info_.capabilities = SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_CONNECTION |
                             SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_EXTENDED_ERROR | SECPKG_FLAG_IMPERSONATION |
                             SECPKG_FLAG_ACCEPT_WIN32_NAME | SECPKG_FLAG_STREAM;
        info_.version = 1;
        info_.rpc_id = UNISP_RPC_ID;
        info_.max_token = 16384;
        info_.name = name;
        info_.comment = comment;
    }

    const package_info &info() const override { return info_; }

    SECURITY_STATUS acquire_credentials(const acquire_call &call, ref_ptr<credential> &out) override
    {
        return schannel_credential::create(*this, call, out);
    }

    SECURITY_STATUS initialize_context(context_call &call) override
    {
        return schannel_context::establish(*this, call, false);
    }

    SECURITY_STATUS accept_context(context_call &call) override
    {
        return schannel_context::establish(*this, call, true);
    }

private:
    package_info info_;
};

} // namespace

void register_schannel_packages(package_registry &registry)
{
    registry.add(std::make_unique<schannel_package>(UNISP_NAME_W, UNISP_NAME_W));
    registry.add(std::make_unique<schannel_package>(SCHANNEL_NAME_W, L"Schannel Security Package"));
}

} // namespace secur32
