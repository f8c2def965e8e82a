/* QueryContextAttributes for Schannel contexts. Values come from the
 * negotiated session (IANA suite ids, real key sizes), never constants. */
#include "schannel_context.h"

#include "schannel_protocols.h"
#include "unix_call.h"

#include <algorithm>
#include <cstring>

namespace secur32 {

namespace {

ALG_ID cipher_alg(uint32_t cipher)
{
    switch (cipher) {
    case tls_cipher_aes_128_gcm:
    case tls_cipher_aes_128_cbc:
    case tls_cipher_aes_128_ccm:
        return CALG_AES_128;
    case tls_cipher_aes_256_gcm:
    case tls_cipher_aes_256_cbc:
    case tls_cipher_aes_256_ccm:
        return CALG_AES_256;
    case tls_cipher_3des_cbc:
        return CALG_3DES;
    default:
        return 0; /* ChaCha20 has no CALG_* value */
    }
}

ALG_ID hash_alg(uint32_t hash)
{
    switch (hash) {
    case tls_hash_sha1: return CALG_SHA1;
    case tls_hash_sha256: return CALG_SHA_256;
    case tls_hash_sha384: return CALG_SHA_384;
    default: return 0; /* AEAD suites have no separate record MAC */
    }
}

ALG_ID exchange_alg(uint32_t exchange)
{
    switch (exchange) {
    case tls_exchange_rsa: return CALG_RSA_KEYX;
    case tls_exchange_dhe: return CALG_DH_EPHEM;
    case tls_exchange_ecdhe: return CALG_ECDH_EPHEM;
    default: return 0;
    }
}

void copy_name(WCHAR (&dst)[SZ_ALG_MAX_SIZE], const char *src)
{
    size_t i = 0;
    for (; src && src[i] && i + 1 < SZ_ALG_MAX_SIZE; i++) dst[i] = WCHAR(static_cast<unsigned char>(src[i]));
    dst[i] = 0;
}

} // namespace

SECURITY_STATUS schannel_context::query_attributes(ULONG attribute, void *buffer, bool)
{
    if (!buffer) return SEC_E_INVALID_PARAMETER;
    state s = state_.load();
    bool established = s == state::established || s == state::shutdown_requested || s == state::closed;

    switch (attribute) {
    case SECPKG_ATTR_STREAM_SIZES: {
        if (!established) return SEC_E_INVALID_HANDLE;
        auto *sizes = static_cast<SecPkgContext_StreamSizes *>(buffer);
        sizes->cbHeader = info_.header_size;
        sizes->cbTrailer = info_.trailer_size;
        sizes->cbMaximumMessage = info_.max_message;
        sizes->cBuffers = 4;
        sizes->cbBlockSize = info_.block_size;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_CONNECTION_INFO: {
        if (!established) return SEC_E_INVALID_HANDLE;
        auto *ci = static_cast<SecPkgContext_ConnectionInfo *>(buffer);
        ci->dwProtocol = sp_prot_from_tls_bit(info_.protocol, false);
        ci->aiCipher = cipher_alg(info_.cipher);
        ci->dwCipherStrength = info_.cipher_key_bits;
        ci->aiHash = hash_alg(info_.hash);
        ci->dwHashStrength = info_.mac_key_bits;
        ci->aiExch = exchange_alg(info_.exchange);
        ci->dwExchStrength = info_.kx_bits;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_CIPHER_INFO: {
        if (!established) return SEC_E_INVALID_HANDLE;
        auto *ci = static_cast<SecPkgContext_CipherInfo *>(buffer);
        *ci = SecPkgContext_CipherInfo{};
        ci->dwVersion = SECPKGCONTEXT_CIPHERINFO_V1;
        ci->dwProtocol = sp_prot_from_tls_bit(info_.protocol, false);
        ci->dwCipherSuite = info_.cipher_suite;
        ci->dwBaseCipherSuite = info_.cipher_suite;
        copy_name(ci->szCipherSuite, info_.cipher_suite_name);
        ci->dwCipherLen = info_.cipher_key_bits;
        ci->dwMinExchangeLen = ci->dwMaxExchangeLen = info_.kx_bits;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_SESSION_INFO: {
        if (!established) return SEC_E_INVALID_HANDLE;
        session_details_params d{};
        d.session = session_;
        if (unix_call(unix_session_details, &d)) return SEC_E_INTERNAL_ERROR;
        auto *si = static_cast<SecPkgContext_SessionInfo *>(buffer);
        *si = SecPkgContext_SessionInfo{};
        si->dwFlags = info_.session_resumed ? SSL_SESSION_RECONNECT : 0;
        si->cbSessionId = std::min<DWORD>(d.session_id_size, sizeof(si->rgbSessionId));
        memcpy(si->rgbSessionId, d.session_id, si->cbSessionId);
        return SEC_E_OK;
    }
    case SECPKG_ATTR_APPLICATION_PROTOCOL: {
        if (!established) return SEC_E_INVALID_HANDLE;
        session_details_params d{};
        d.session = session_;
        if (unix_call(unix_session_details, &d)) return SEC_E_INTERNAL_ERROR;
        auto *ap = static_cast<SecPkgContext_ApplicationProtocol *>(buffer);
        *ap = SecPkgContext_ApplicationProtocol{};
        if (d.alpn_size && d.alpn_size <= MAX_PROTOCOL_ID_SIZE) {
            ap->ProtoNegoStatus = SecApplicationProtocolNegotiationStatus_Success;
            ap->ProtoNegoExt = SecApplicationProtocolNegotiationExt_ALPN;
            ap->ProtocolIdSize = (unsigned char)d.alpn_size;
            memcpy(ap->ProtocolId, d.alpn, d.alpn_size);
        } else {
            ap->ProtoNegoStatus = SecApplicationProtocolNegotiationStatus_None;
        }
        return SEC_E_OK;
    }
    case SECPKG_ATTR_REMOTE_CERT_CONTEXT: {
        if (!established) return SEC_E_INVALID_HANDLE;
        if (!peer_certificate_) return SEC_E_NO_CREDENTIALS;
        /* A new reference per call: callers free each one. */
        *static_cast<const CERT_CONTEXT **>(buffer) = CertDuplicateCertificateContext(peer_certificate_.get());
        return SEC_E_OK;
    }
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

} // namespace secur32
