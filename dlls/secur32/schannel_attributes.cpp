/* QueryContextAttributes for Schannel contexts. Values come from the
 * negotiated session (IANA suite ids, real key sizes), never constants. */
#include "schannel_context.h"

#include "schannel_protocols.h"
#include "unix_call.h"

namespace secur32 {

namespace {

/* GnuTLS enum values we translate (gnutls/gnutls.h; checked against the
 * header by tests/unit/tls_error_codes_test.cpp). */
enum : uint32_t {
    gnutls_cipher_aes_128_cbc = 4,
    gnutls_cipher_aes_256_cbc = 5,
    gnutls_cipher_aes_128_gcm = 11,
    gnutls_cipher_aes_256_gcm = 12,
    gnutls_cipher_chacha20_poly1305 = 23,
    gnutls_mac_sha1 = 3,
    gnutls_mac_sha256 = 6,
    gnutls_mac_sha384 = 7,
    gnutls_kx_rsa = 1,
    gnutls_kx_dhe_rsa = 3,
    gnutls_kx_ecdhe_rsa = 10,
    gnutls_kx_ecdhe_ecdsa = 11,
};

ALG_ID cipher_alg(uint32_t cipher)
{
    switch (cipher) {
    case gnutls_cipher_aes_128_cbc:
    case gnutls_cipher_aes_128_gcm:
        return CALG_AES_128;
    case gnutls_cipher_aes_256_cbc:
    case gnutls_cipher_aes_256_gcm:
        return CALG_AES_256;
    default:
        return 0;
    }
}

ALG_ID hash_alg(uint32_t mac)
{
    switch (mac) {
    case gnutls_mac_sha1: return CALG_SHA1;
    case gnutls_mac_sha256: return CALG_SHA_256;
    case gnutls_mac_sha384: return CALG_SHA_384;
    default: return 0;
    }
}

ALG_ID exchange_alg(uint32_t kx, uint32_t protocol)
{
    if (protocol == tls_proto_tls1_3) return CALG_ECDH_EPHEM;
    switch (kx) {
    case gnutls_kx_rsa: return CALG_RSA_KEYX;
    case gnutls_kx_dhe_rsa: return CALG_DH_EPHEM;
    case gnutls_kx_ecdhe_rsa:
    case gnutls_kx_ecdhe_ecdsa: return CALG_ECDH_EPHEM;
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
        sizes->cbBlockSize = (info_.gnutls_cipher == gnutls_cipher_aes_128_cbc ||
                              info_.gnutls_cipher == gnutls_cipher_aes_256_cbc ||
                              info_.gnutls_cipher == gnutls_cipher_aes_128_gcm ||
                              info_.gnutls_cipher == gnutls_cipher_aes_256_gcm)
                                 ? 16
                                 : 1;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_CONNECTION_INFO: {
        if (!established) return SEC_E_INVALID_HANDLE;
        auto *ci = static_cast<SecPkgContext_ConnectionInfo *>(buffer);
        ci->dwProtocol = sp_prot_from_tls_bit(info_.protocol, false);
        ci->aiCipher = cipher_alg(info_.gnutls_cipher);
        ci->dwCipherStrength = info_.cipher_key_bits;
        ci->aiHash = hash_alg(info_.gnutls_mac);
        ci->dwHashStrength = info_.mac_key_bits;
        ci->aiExch = exchange_alg(info_.gnutls_kx, info_.protocol);
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
