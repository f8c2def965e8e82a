#include "schannel_certificates.h"

#include <vector>

#include "schannel_validation_cache.h"
#include "trace.h"
#include "unix_call.h"

namespace secur32 {

SECURITY_STATUS load_peer_certificates(unix_handle session, cert_context_ptr &leaf)
{
    session_peer_certificates_params p{};
    p.session = session;
    if (unix_call(unix_session_peer_certificates, &p)) return SEC_E_INTERNAL_ERROR;
    if (!p.count) return SEC_E_NO_CREDENTIALS;
    std::vector<BYTE> blob(p.size_needed);
    p.buffer = to_pe_ptr(blob.data());
    p.capacity = DWORD(blob.size());
    if (unix_call(unix_session_peer_certificates, &p) || p.result != tls_ok) return SEC_E_INTERNAL_ERROR;

    cert_store_ptr store(CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, CERT_STORE_CREATE_NEW_FLAG, nullptr));
    if (!store) return SEC_E_INSUFFICIENT_MEMORY;
    const BYTE *pos = blob.data(), *end = blob.data() + blob.size();
    for (uint32_t i = 0; i < p.count; i++) {
        uint32_t len;
        if (end - pos < 4) return SEC_E_INTERNAL_ERROR;
        memcpy(&len, pos, 4);
        pos += 4;
        if (uint32_t(end - pos) < len) return SEC_E_INTERNAL_ERROR;
        const CERT_CONTEXT *added = nullptr;
        if (!CertAddEncodedCertificateToStore(store.get(), X509_ASN_ENCODING, pos, len, CERT_STORE_ADD_ALWAYS,
                                              i == 0 ? &added : nullptr)) {
            /* An undecodable leaf is fatal; a bad extra certificate is just
             * not offered to chain building. */
            if (i == 0) return SEC_E_CERT_UNKNOWN;
        }
        if (i == 0) leaf.reset(added);
        pos += len;
    }
    return leaf ? SEC_E_OK : SEC_E_CERT_UNKNOWN;
}

namespace {

SECURITY_STATUS status_from_policy_error(DWORD error)
{
    switch (HRESULT(error)) {
    case 0: return SEC_E_OK;
    case CERT_E_UNTRUSTEDROOT:
    case CERT_E_UNTRUSTEDTESTROOT:
    case CERT_E_CHAINING:
    case TRUST_E_CERT_SIGNATURE:
        return SEC_E_UNTRUSTED_ROOT;
    case CERT_E_EXPIRED:
    case CERT_E_VALIDITYPERIODNESTING:
        return SEC_E_CERT_EXPIRED;
    case CERT_E_CN_NO_MATCH:
        return SEC_E_WRONG_PRINCIPAL;
    case CRYPT_E_REVOKED:
        return CRYPT_E_REVOKED;
    case CERT_E_WRONG_USAGE:
        return SEC_E_CERT_WRONG_USAGE;
    default:
        TRACE_WARN("certificate policy error %#lx\n", (unsigned long)error);
        return SEC_E_CERT_UNKNOWN;
    }
}

/* The chain's own trust status, checked before the SSL policy: Wine 8's
 * CERT_CHAIN_POLICY_SSL reports success for a partial chain (issuer not
 * found anywhere), which would let any self-made certificate in. Order as
 * Windows' policy: signature and chaining, then trust, then time. */
SECURITY_STATUS status_from_chain(const CERT_CHAIN_CONTEXT *chain, DWORD cred_flags)
{
    DWORD errors = chain->TrustStatus.dwErrorStatus;
    if (errors & (CERT_TRUST_IS_NOT_SIGNATURE_VALID | CERT_TRUST_IS_PARTIAL_CHAIN | CERT_TRUST_IS_CYCLIC |
                  CERT_TRUST_IS_UNTRUSTED_ROOT | CERT_TRUST_IS_EXPLICIT_DISTRUST))
        return SEC_E_UNTRUSTED_ROOT;
    if (errors & CERT_TRUST_IS_REVOKED) return CRYPT_E_REVOKED;
    if (errors & CERT_TRUST_IS_NOT_TIME_VALID) return SEC_E_CERT_EXPIRED;
    if (errors & CERT_TRUST_IS_NOT_VALID_FOR_USAGE) return SEC_E_CERT_WRONG_USAGE;
    bool revocation_checked = cred_flags & (SCH_CRED_REVOCATION_CHECK_END_CERT | SCH_CRED_REVOCATION_CHECK_CHAIN |
                                            SCH_CRED_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT);
    if (revocation_checked) {
        if ((errors & CERT_TRUST_IS_OFFLINE_REVOCATION) && !(cred_flags & SCH_CRED_IGNORE_REVOCATION_OFFLINE))
            return CRYPT_E_REVOCATION_OFFLINE;
        if ((errors & CERT_TRUST_REVOCATION_STATUS_UNKNOWN) && !(cred_flags & SCH_CRED_IGNORE_NO_REVOCATION_CHECK))
            return CRYPT_E_NO_REVOCATION_CHECK;
    }
    return SEC_E_OK;
}

} // namespace

namespace {

SECURITY_STATUS build_and_verify_chain(const CERT_CONTEXT *leaf, const wchar_t *host, DWORD cred_flags);

} // namespace

SECURITY_STATUS verify_server_certificate(const CERT_CONTEXT *leaf, const wchar_t *host, DWORD cred_flags)
{
    /* Reconnecting to a server whose identical chain passed for the same
     * host and flags moments ago skips the (slow, under Wine) chain build. */
    std::vector<BYTE> chain = presented_chain_bytes(leaf);
    if (validation_cached(chain, host, cred_flags)) return SEC_E_OK;
    SECURITY_STATUS status = build_and_verify_chain(leaf, host, cred_flags);
    if (status == SEC_E_OK) remember_validation(chain, host, cred_flags, leaf);
    return status;
}

namespace {

SECURITY_STATUS build_and_verify_chain(const CERT_CONTEXT *leaf, const wchar_t *host, DWORD cred_flags)
{
    static const char *server_auth[] = {szOID_PKIX_KP_SERVER_AUTH};
    CERT_CHAIN_PARA chain_para{};
    chain_para.cbSize = sizeof(chain_para);
    chain_para.RequestedUsage.dwType = USAGE_MATCH_TYPE_OR;
    chain_para.RequestedUsage.Usage.cUsageIdentifier = 1;
    chain_para.RequestedUsage.Usage.rgpszUsageIdentifier = const_cast<char **>(server_auth);

    DWORD chain_flags = 0;
    if (cred_flags & SCH_CRED_REVOCATION_CHECK_END_CERT) chain_flags |= CERT_CHAIN_REVOCATION_CHECK_END_CERT;
    if (cred_flags & SCH_CRED_REVOCATION_CHECK_CHAIN) chain_flags |= CERT_CHAIN_REVOCATION_CHECK_CHAIN;
    if (cred_flags & SCH_CRED_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT)
        chain_flags |= CERT_CHAIN_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT;

    const CERT_CHAIN_CONTEXT *raw_chain = nullptr;
    if (!CertGetCertificateChain(nullptr, leaf, nullptr, leaf->hCertStore, &chain_para, chain_flags, nullptr,
                                 &raw_chain))
        return SEC_E_CERT_UNKNOWN;
    cert_chain_ptr chain(raw_chain);
    TRACE("chain trust errors %#lx\n", (unsigned long)chain->TrustStatus.dwErrorStatus);
    SECURITY_STATUS chain_status = status_from_chain(chain.get(), cred_flags);
    if (chain_status != SEC_E_OK) return chain_status;

    SSL_EXTRA_CERT_CHAIN_POLICY_PARA ssl{};
    ssl.cbSize = sizeof(ssl);
    ssl.dwAuthType = AUTHTYPE_SERVER;
    if (cred_flags & SCH_CRED_IGNORE_NO_REVOCATION_CHECK) ssl.fdwChecks |= SECURITY_FLAG_IGNORE_REVOCATION;
    if (cred_flags & SCH_CRED_IGNORE_REVOCATION_OFFLINE) ssl.fdwChecks |= SECURITY_FLAG_IGNORE_REVOCATION;
    bool check_name = host && *host && !(cred_flags & SCH_CRED_NO_SERVERNAME_CHECK);
    ssl.pwszServerName = check_name ? const_cast<wchar_t *>(host) : nullptr;
    if (!check_name) ssl.fdwChecks |= SECURITY_FLAG_IGNORE_CERT_CN_INVALID;

    CERT_CHAIN_POLICY_PARA policy_para{};
    policy_para.cbSize = sizeof(policy_para);
    policy_para.pvExtraPolicyPara = &ssl;
    CERT_CHAIN_POLICY_STATUS policy_status{};
    policy_status.cbSize = sizeof(policy_status);
    if (!CertVerifyCertificateChainPolicy(CERT_CHAIN_POLICY_SSL, chain.get(), &policy_para, &policy_status))
        return SEC_E_CERT_UNKNOWN;

    return status_from_policy_error(policy_status.dwError);
}

} // namespace

} // namespace secur32
