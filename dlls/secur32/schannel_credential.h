/* An Schannel credential handle: the caller's settings, parsed once, and
 * the Unix-side GnuTLS credentials every context made from it shares. */
#pragma once

#include <memory>

#include "certificate_private_key.h"
#include "crypt32_handles.h"
#include "package.h"
#include "schannel_headers.h"
#include "unixlib_calls.h"

namespace secur32 {

class schannel_credential : public credential {
public:
    /* Parses SCHANNEL_CRED / SCH_CREDENTIALS (or null for defaults) and
     * creates the Unix-side credentials. */
    static SECURITY_STATUS create(security_package &package, const acquire_call &call,
                                  ref_ptr<credential> &out);
    ~schannel_credential() override;

    SECURITY_STATUS query_attributes(ULONG attribute, void *buffer, bool ansi) override;

    unix_handle unix_credentials() const { return unix_credentials_; }
    bool is_server() const { return is_server_; }
    DWORD flags() const { return flags_; }          /* SCH_CRED_* */
    uint32_t protocols() const { return protocols_; } /* tls_protocol_bits */
    /* The caller named DTLS versions itself (SCHANNEL_CRED): only then does
     * SUPPORTED_PROTOCOLS list them. */
    bool explicit_dtls() const { return explicit_dtls_; }
    /* The credential's own certificate (a server's, or a client's paCred), or null. */
    const CERT_CONTEXT *certificate() const { return certificate_.get(); }
    /* Signs for the handshake when the key stays in its provider, or null. */
    const provider_signer *signer() const { return signer_.get(); }

private:
    explicit schannel_credential(security_package &package) : credential(package) {}

    unix_handle unix_credentials_ = 0;
    bool is_server_ = false;
    DWORD flags_ = 0;
    uint32_t protocols_ = 0;
    bool explicit_dtls_ = false;
    cert_context_ptr certificate_;
    std::shared_ptr<provider_signer> signer_;
};

} // namespace secur32
