#include "schannel_credential.h"

#include <cstring>

#include "certificate_private_key.h"
#include "context_buffer.h"
#include "schannel_cipher_policy.h"
#include "schannel_protocols.h"
#include "schannel_registry_policy.h"
#include "tls_error_codes.h"
#include "trace.h"
#include "unix_call.h"

namespace secur32 {

namespace {

/* The fields both credential layouts share, read from whichever the
 * caller passed. */
struct credential_settings {
    DWORD flags = 0;
    DWORD certificate_count = 0;
    PCCERT_CONTEXT *certificates = nullptr; /* paCred */
    DWORD credential_format = 0;            /* dwCredFormat: 0 = CERT_CONTEXT pointers */
    uint32_t protocols = 0;
    bool explicit_protocols = false;    /* the caller named versions (SCHANNEL_CRED) */
    bool explicit_dtls = false;         /* ... and DTLS versions among them */
    uint32_t disabled_algorithms = 0;   /* tls_algorithm_bits */
};

SECURITY_STATUS parse_schannel_cred(const SCHANNEL_CRED *cred, bool is_server, credential_settings &out)
{
    out.flags = cred->dwFlags;
    out.certificate_count = cred->cCreds;
    out.certificates = cred->paCred;
    out.credential_format = cred->dwCredFormat;
    out.protocols = tls_bits_from_sp_prot(cred->grbitEnabledProtocols, is_server);
    /* As on Windows, SCHANNEL_CRED cannot negotiate TLS 1.3. */
    out.protocols &= ~uint32_t(tls_proto_tls1_3);
    out.explicit_protocols = cred->grbitEnabledProtocols != 0;
    out.explicit_dtls = (out.protocols & TLS_PROTO_DATAGRAM_MASK) != 0;
    if (!out.explicit_protocols) out.protocols = default_tls_bits(false);
    return disabled_by_schannel_cred(*cred, out.disabled_algorithms);
}

SECURITY_STATUS parse_sch_credentials(const SCH_CREDENTIALS *cred, bool is_server, credential_settings &out)
{
    out.flags = cred->dwFlags;
    out.certificate_count = cred->cCreds;
    out.certificates = cred->paCred;
    out.credential_format = cred->dwCredFormat;
    out.protocols = default_tls_bits(true);
    if (cred->cTlsParameters > SCH_CRED_MAX_SUPPORTED_PARAMETERS) return SEC_E_INVALID_PARAMETER;
    if (cred->cTlsParameters && !cred->pTlsParameters) return SEC_E_INVALID_PARAMETER;
    for (DWORD i = 0; i < cred->cTlsParameters; i++) {
        const TLS_PARAMETERS &params = cred->pTlsParameters[i];
        /* Parameters restricted to some ALPN ids do not apply to the
         * connection as a whole. */
        if (params.cAlpnIds) continue;
        DWORD disabled = params.grbitDisabledProtocols;
        /* Callers disable "everything but X" with all bits set; only the
         * bits of our direction count. */
        out.protocols &= ~tls_bits_from_sp_prot(disabled, is_server);
        SECURITY_STATUS status = disabled_by_crypto_settings(params, out.disabled_algorithms);
        if (status != SEC_E_OK) return status;
    }
    if (cred->dwFlags & SCH_USE_STRONG_CRYPTO) out.disabled_algorithms |= tls_alg_3des_cbc;
    return SEC_E_OK;
}

/* The credential's own certificate and key (paCred): a server's, or the
 * client certificate a client sends when asked. Windows takes one
 * certificate per key exchange method and refuses the credential when any
 * of them is unusable (Wine's schannel tests, verified on Windows: a
 * certificate without a key beside a good one fails either way round).
 * Of several usable ones we use the first and say so. */
SECURITY_STATUS load_own_certificate(const credential_settings &settings, bool is_server, certificate_with_key &own,
                                cert_context_ptr &chosen)
{
    if (!settings.certificate_count) return SEC_E_NO_CREDENTIALS;
    /* Certificate hashes (SCH_CRED_FORMAT_CERT_HASH*) are for kernel-mode
     * Schannel, and a missing array holds no certificate. */
    if (settings.credential_format || !settings.certificates) return SEC_E_UNKNOWN_CREDENTIALS;
    bool send_root = (settings.flags & SCH_SEND_ROOT_CERT) != 0;
    for (DWORD i = 0; i < settings.certificate_count; i++) {
        if (!settings.certificates[i]) return SEC_E_UNKNOWN_CREDENTIALS;
        /* The others are only checked: their keys are wiped on return. */
        certificate_with_key checked;
        certificate_with_key &loaded = i == 0 ? own : checked;
        SECURITY_STATUS status = export_certificate_with_key(settings.certificates[i], send_root, loaded, true);
        if (status != SEC_E_OK) return status == SEC_E_INVALID_PARAMETER ? SEC_E_UNKNOWN_CREDENTIALS : status;
        if (i == 0) chosen.reset(CertDuplicateCertificateContext(settings.certificates[i]));
    }
    if (settings.certificate_count > 1)
        TRACE_WARN("%lu %s certificates given; using the first only\n", (unsigned long)settings.certificate_count,
                   is_server ? "server" : "client");
    return SEC_E_OK;
}

} // namespace

SECURITY_STATUS schannel_credential::create(security_package &package, const acquire_call &call,
                                            ref_ptr<credential> &out)
{
    bool is_server;
    if (call.credential_use == SECPKG_CRED_OUTBOUND) is_server = false;
    else if (call.credential_use == SECPKG_CRED_INBOUND) is_server = true;
    else return SEC_E_NO_CREDENTIALS;

    credential_settings settings;
    settings.protocols = default_tls_bits(false);
    if (call.auth_data) {
        DWORD version = *static_cast<const DWORD *>(call.auth_data);
        SECURITY_STATUS status;
        if (version == SCH_CREDENTIALS_VERSION)
            status = parse_sch_credentials(static_cast<const SCH_CREDENTIALS *>(call.auth_data), is_server, settings);
        else if (version >= SCH_CRED_V1 && version <= SCHANNEL_CRED_VERSION)
            status = parse_schannel_cred(static_cast<const SCHANNEL_CRED *>(call.auth_data), is_server, settings);
        else
            status = SEC_E_INTERNAL_ERROR; /* what Windows returns for an unknown version */
        if (status != SEC_E_OK) return status;
    }

    certificate_with_key own;
    cert_context_ptr own_certificate;
    if (is_server || settings.certificate_count) {
        SECURITY_STATUS status = load_own_certificate(settings, is_server, own, own_certificate);
        if (status != SEC_E_OK) return status;
        if (own.signer) {
            /* A key signing through its CAPI provider: no RSA-PSS (so no
             * TLS 1.3, whose CertificateVerify needs it) and, for a server,
             * no RSA decryption (so no RSA key exchange). */
            settings.protocols &= ~uint32_t(tls_proto_tls1_3);
            if (is_server) settings.disabled_algorithms |= tls_alg_kx_rsa;
        }
    }
    settings.protocols = apply_protocol_registry(settings.protocols, settings.explicit_protocols, is_server);
    if (!settings.protocols) return SEC_E_ALGORITHM_MISMATCH;
    if (!unix_side_available()) return SEC_E_INTERNAL_ERROR;

    ref_ptr<schannel_credential> cred = ref_ptr<schannel_credential>::adopt(new schannel_credential(package));
    cred->is_server_ = is_server;
    cred->flags_ = settings.flags;
    cred->protocols_ = settings.protocols;
    cred->explicit_dtls_ = settings.explicit_dtls;
    cred->certificate_ = std::move(own_certificate);
    cred->signer_ = own.signer;

    credentials_create_params p{};
    p.protocols = settings.protocols;
    p.is_server = is_server;
    p.disabled_algorithms = settings.disabled_algorithms;
    if (own.chain_length) {
        p.certificate_chain = to_pe_ptr(own.chain.data());
        p.certificate_chain_size = ULONG(own.chain.size());
        p.private_key = to_pe_ptr(own.key.bytes().data());
        p.private_key_size = ULONG(own.key.bytes().size());
    }
    if (is_server && (settings.flags & SCH_CRED_DISABLE_RECONNECTS)) p.flags |= credentials_flag_no_reconnects;
    NTSTATUS status = unix_call(unix_credentials_create, &p);
    if (status == NTSTATUS(0xC0000017)) return SEC_E_INSUFFICIENT_MEMORY;
    if (status) return SEC_E_INTERNAL_ERROR;
    /* The settings leave no usable suite for the enabled versions, or
     * GnuTLS refused the certificate or key. */
    if (!p.credentials) {
        if (p.error == e_no_priorities_were_set) return SEC_E_ALGORITHM_MISMATCH;
        if (own.chain_length) {
            TRACE_WARN("GnuTLS refused the certificate or its key: %d\n", int(p.error));
            return SEC_E_UNKNOWN_CREDENTIALS;
        }
        return SEC_E_INTERNAL_ERROR;
    }
    cred->unix_credentials_ = p.credentials;

    if (call.expiry) {
        call.expiry->LowPart = 0xFFFFFFFF;
        call.expiry->HighPart = 0x7FFFFFFF;
    }
    out = cred;
    return SEC_E_OK;
}

schannel_credential::~schannel_credential()
{
    if (unix_credentials_) {
        credentials_free_params p{unix_credentials_};
        unix_call(unix_credentials_free, &p);
    }
}

SECURITY_STATUS schannel_credential::query_attributes(ULONG attribute, void *buffer, bool)
{
    /* Windows' answer to a null buffer (Wine's schannel tests). */
    if (!buffer) return SEC_E_INTERNAL_ERROR;
    switch (attribute) {
    case SECPKG_ATTR_SUPPORTED_PROTOCOLS: {
        DWORD bits = 0;
        uint32_t listed = protocols_ & (explicit_dtls_ ? ~0u : uint32_t(TLS_PROTO_STREAM_MASK));
        for (uint32_t b = tls_proto_tls1_0; b <= tls_proto_dtls1_2; b <<= 1)
            if (listed & b) bits |= sp_prot_from_tls_bit(b, is_server_);
        static_cast<SecPkgCred_SupportedProtocols *>(buffer)->grbitProtocol = bits;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_SUPPORTED_ALGS: {
        credentials_algorithms_params p{unix_credentials_, 0, 0};
        if (unix_call(unix_credentials_algorithms, &p)) return SEC_E_INTERNAL_ERROR;
        ALG_ID ids[32];
        DWORD count = supported_alg_ids(p.enabled, ids, ARRAYSIZE(ids));
        if (count > ARRAYSIZE(ids)) return SEC_E_INTERNAL_ERROR;
        auto *algs = static_cast<ALG_ID *>(context_buffer_alloc(count * sizeof(ALG_ID)));
        if (!algs) return SEC_E_INSUFFICIENT_MEMORY;
        memcpy(algs, ids, count * sizeof(ALG_ID));
        auto *out = static_cast<SecPkgCred_SupportedAlgs *>(buffer);
        out->cSupportedAlgs = count;
        out->palgSupportedAlgs = algs;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_CIPHER_STRENGTHS: {
        credentials_algorithms_params p{unix_credentials_, 0, 0};
        if (unix_call(unix_credentials_algorithms, &p)) return SEC_E_INTERNAL_ERROR;
        auto *out = static_cast<SecPkgCred_CipherStrengths *>(buffer);
        cipher_strength_range(p.enabled, out->dwMinimumCipherStrength, out->dwMaximumCipherStrength);
        return SEC_E_OK;
    }
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

} // namespace secur32
