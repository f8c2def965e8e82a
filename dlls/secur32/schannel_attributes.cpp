/* QueryContextAttributes for Schannel contexts. Values come from the
 * negotiated session (IANA suite ids, real key sizes), never constants.
 * Buffers we allocate for the caller are released with FreeContextBuffer. */
#include "schannel_context.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "channel_bindings.h"
#include "context_buffer.h"
#include "package_info_buffer.h"
#include "schannel_algorithms.h"
#include "schannel_protocols.h"
#include "text.h"
#include "unix_call.h"

namespace secur32 {

namespace {

template <size_t N> void copy_name(WCHAR (&dst)[N], const wchar_t *src)
{
    size_t i = 0;
    for (; src && src[i] && i + 1 < N; i++) dst[i] = src[i];
    dst[i] = 0;
}

template <size_t N> void copy_name(WCHAR (&dst)[N], const char *src)
{
    size_t i = 0;
    for (; src && src[i] && i + 1 < N; i++) dst[i] = WCHAR(static_cast<unsigned char>(src[i]));
    dst[i] = 0;
}

/* A caller-freed copy of a string, in the A or W form the caller used. */
void *allocate_string(const wchar_t *s, bool ansi)
{
    if (ansi) {
        std::string a = to_ansi(s);
        void *out = context_buffer_alloc(a.size() + 1);
        if (out) memcpy(out, a.c_str(), a.size() + 1);
        return out;
    }
    size_t bytes = (wcslen(s) + 1) * sizeof(wchar_t);
    void *out = context_buffer_alloc(bytes);
    if (out) memcpy(out, s, bytes);
    return out;
}

/* Signature algorithm of the peer's certificate key, for KEY_INFO. */
void signature_of(const CERT_CONTEXT *cert, const wchar_t *&name, ULONG &alg)
{
    const char *oid = cert ? cert->pCertInfo->SubjectPublicKeyInfo.Algorithm.pszObjId : nullptr;
    if (oid && !strcmp(oid, szOID_ECC_PUBLIC_KEY)) {
        name = L"ECDSA";
        alg = CALG_ECDSA;
    } else if (oid && !strcmp(oid, szOID_RSA_RSA)) {
        name = L"RSA";
        alg = CALG_RSA_SIGN;
    } else {
        name = L"";
        alg = 0;
    }
}

} // namespace

SECURITY_STATUS schannel_context::query_attributes(ULONG attribute, void *buffer, bool ansi)
{
    if (!buffer) return SEC_E_INVALID_PARAMETER;
    state s = state_.load();
    bool established = s == state::established || s == state::alert_requested || s == state::closed;

    /* Attributes that exist before the handshake ends. */
    switch (attribute) {
    case SECPKG_ATTR_PACKAGE_INFO: {
        auto *pi = static_cast<SecPkgContext_PackageInfoW *>(buffer);
        return ansi ? allocate_package_infos_a({&package().info()}, reinterpret_cast<SecPkgInfoA **>(&pi->PackageInfo))
                    : allocate_package_infos_w({&package().info()}, &pi->PackageInfo);
    }
    case SECPKG_ATTR_DTLS_MTU:
        /* "Sets and retrieves the MTU ... not supported" without DTLS. */
        if (!datagram_) return SEC_E_UNSUPPORTED_FUNCTION;
        static_cast<SEC_DTLS_MTU *>(buffer)->PathMTU = (unsigned short)std::min<ULONG>(mtu_, 0xFFFF);
        return SEC_E_OK;
    case SECPKG_ATTR_NEGOTIATION_INFO: {
        auto *ni = static_cast<SecPkgContext_NegotiationInfoW *>(buffer);
        ni->NegotiationState = established ? SECPKG_NEGOTIATION_COMPLETE : SECPKG_NEGOTIATION_IN_PROGRESS;
        return ansi ? allocate_package_infos_a({&package().info()}, reinterpret_cast<SecPkgInfoA **>(&ni->PackageInfo))
                    : allocate_package_infos_w({&package().info()}, &ni->PackageInfo);
    }
    case SECPKG_ATTR_ISSUER_LIST_EX:
    case SECPKG_ATTR_SUPPORTED_SIGNATURES:
        /* A client asks for the issuers after SEC_I_INCOMPLETE_CREDENTIALS,
         * in the middle of the handshake. */
        if (s == state::deleted || s == state::failed) return SEC_E_INVALID_HANDLE;
        return query_certificate_request(attribute, buffer);
    default:
        break;
    }

    if (!established) return SEC_E_INVALID_HANDLE;
    switch (attribute) {
    case SECPKG_ATTR_STREAM_SIZES: {
        auto *sizes = static_cast<SecPkgContext_StreamSizes *>(buffer);
        sizes->cbHeader = info_.header_size;
        sizes->cbTrailer = info_.trailer_size;
        sizes->cbMaximumMessage = info_.max_message;
        sizes->cBuffers = 4;
        sizes->cbBlockSize = info_.block_size;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_SIZES: {
        auto *sizes = static_cast<SecPkgContext_Sizes *>(buffer);
        sizes->cbMaxToken = package().info().max_token;
        sizes->cbMaxSignature = 0; /* Schannel signs nothing through MakeSignature */
        sizes->cbBlockSize = info_.block_size;
        sizes->cbSecurityTrailer = info_.trailer_size;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_CONNECTION_INFO: {
        auto *ci = static_cast<SecPkgContext_ConnectionInfo *>(buffer);
        ci->dwProtocol = sp_prot_from_tls_bit(info_.protocol, is_server_);
        ci->aiCipher = cipher_alg(info_.cipher);
        ci->dwCipherStrength = info_.cipher_key_bits;
        ci->aiHash = hash_alg(info_.hash);
        ci->dwHashStrength = info_.mac_key_bits;
        ci->aiExch = exchange_alg(info_.exchange);
        ci->dwExchStrength = info_.kx_bits;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_CONNECTION_INFO_EX: {
        auto *ci = static_cast<SecPkgContext_ConnectionInfoEx *>(buffer);
        *ci = SecPkgContext_ConnectionInfoEx{};
        ci->dwVersion = SECPKGCONTEXT_CONNECTION_INFO_EX_V1;
        ci->dwProtocol = sp_prot_from_tls_bit(info_.protocol, is_server_);
        copy_name(ci->szCipher, cipher_name(info_.cipher));
        ci->dwCipherStrength = info_.cipher_key_bits;
        copy_name(ci->szHash, hash_name(info_.hash));
        ci->dwHashStrength = hash_bits(info_.hash);
        copy_name(ci->szExchange, exchange_name(info_.exchange));
        ci->dwExchStrength = info_.kx_bits;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_CIPHER_INFO: {
        auto *ci = static_cast<SecPkgContext_CipherInfo *>(buffer);
        *ci = SecPkgContext_CipherInfo{};
        ci->dwVersion = SECPKGCONTEXT_CIPHERINFO_V1;
        ci->dwProtocol = sp_prot_from_tls_bit(info_.protocol, is_server_);
        ci->dwCipherSuite = info_.cipher_suite;
        ci->dwBaseCipherSuite = info_.cipher_suite;
        copy_name(ci->szCipherSuite, info_.cipher_suite_name);
        copy_name(ci->szCipher, cipher_name(info_.cipher));
        ci->dwCipherLen = info_.cipher_key_bits;
        ci->dwCipherBlockLen = info_.block_size;
        copy_name(ci->szHash, hash_name(info_.hash));
        ci->dwHashLen = hash_bits(info_.hash);
        copy_name(ci->szExchange, exchange_name(info_.exchange));
        ci->dwMinExchangeLen = ci->dwMaxExchangeLen = info_.kx_bits;
        const wchar_t *sig_name;
        ULONG sig_alg;
        signature_of(server_certificate(), sig_name, sig_alg);
        copy_name(ci->szCertificate, sig_name);
        return SEC_E_OK;
    }
    case SECPKG_ATTR_KEY_INFO: {
        auto *ki = static_cast<SecPkgContext_KeyInfoW *>(buffer);
        const wchar_t *sig_name;
        ULONG sig_alg;
        signature_of(server_certificate(), sig_name, sig_alg);
        void *sig = allocate_string(sig_name, ansi);
        void *enc = allocate_string(cipher_name(info_.cipher), ansi);
        if (!sig || !enc) {
            context_buffer_free(sig);
            context_buffer_free(enc);
            return SEC_E_INSUFFICIENT_MEMORY;
        }
        ki->sSignatureAlgorithmName = static_cast<SEC_WCHAR *>(sig);
        ki->sEncryptAlgorithmName = static_cast<SEC_WCHAR *>(enc);
        ki->KeySize = info_.cipher_key_bits;
        ki->SignatureAlgorithm = sig_alg;
        ki->EncryptAlgorithm = cipher_alg(info_.cipher);
        return SEC_E_OK;
    }
    case SECPKG_ATTR_SESSION_INFO: {
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
    case SECPKG_ATTR_UNIQUE_BINDINGS: {
        session_details_params d{};
        d.session = session_;
        if (unix_call(unix_session_details, &d)) return SEC_E_INTERNAL_ERROR;
        /* RFC 5929 tls-unique does not exist for TLS 1.3. */
        if (!d.tls_unique_size) return SEC_E_UNSUPPORTED_FUNCTION;
        return make_channel_bindings("tls-unique:", d.tls_unique, d.tls_unique_size,
                                     static_cast<SecPkgContext_Bindings *>(buffer));
    }
    case SECPKG_ATTR_ENDPOINT_BINDINGS:
        /* tls-server-end-point: the server's certificate, on both sides. */
        if (!server_certificate()) return SEC_E_NO_CREDENTIALS;
        return make_endpoint_bindings(server_certificate(), static_cast<SecPkgContext_Bindings *>(buffer));
    case SECPKG_ATTR_LOCAL_CERT_CONTEXT:
        if (!own_credential().certificate()) return SEC_E_NO_CREDENTIALS;
        *static_cast<const CERT_CONTEXT **>(buffer) = CertDuplicateCertificateContext(own_credential().certificate());
        return SEC_E_OK;
    case SECPKG_ATTR_KEYING_MATERIAL:
        return export_keying_material(static_cast<SecPkgContext_KeyingMaterial *>(buffer));
    case SECPKG_ATTR_REMOTE_CERT_CONTEXT:
    case SECPKG_ATTR_REMOTE_CERT_CHAIN: {
        if (!peer_certificate_) return SEC_E_NO_CREDENTIALS;
        /* A new reference per call (callers free each one); its store holds
         * every certificate the peer sent. */
        *static_cast<const CERT_CONTEXT **>(buffer) = CertDuplicateCertificateContext(peer_certificate_.get());
        return SEC_E_OK;
    }
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}

/* RFC 5705 exporters, as Windows 10 and later offer them: the caller sets
 * SECPKG_ATTR_KEYING_MATERIAL_INFO (label, optional context, size) at any
 * time during or after the handshake, then queries
 * SECPKG_ATTR_KEYING_MATERIAL once the handshake is done. Labels are not
 * restricted: Microsoft's documentation says registered labels *should*
 * begin with "EXPORTER" and private ones with "EXPERIMENTAL". */
SECURITY_STATUS schannel_context::set_attributes(ULONG attribute, void *buffer, ULONG size, bool)
{
    if (state_.load() == state::deleted) return SEC_E_INVALID_HANDLE;
    if (attribute == SECPKG_ATTR_DTLS_MTU) return set_dtls_mtu(buffer, size);
    if (attribute != SECPKG_ATTR_KEYING_MATERIAL_INFO) return SEC_E_UNSUPPORTED_FUNCTION;
    if (!buffer || size < sizeof(SecPkgContext_KeyingMaterialInfo)) return SEC_E_INVALID_PARAMETER;
    const auto *info = static_cast<const SecPkgContext_KeyingMaterialInfo *>(buffer);
    /* cbLabel counts the label's NUL, which is not mixed in. */
    if (!info->pszLabel || info->cbLabel < 2 || info->pszLabel[info->cbLabel - 1] != '\0')
        return SEC_E_INVALID_PARAMETER;
    if (memchr(info->pszLabel, 0, info->cbLabel - 1)) return SEC_E_INVALID_PARAMETER;
    /* "Must be NULL if cbContextValue is zero"; a size needs bytes. */
    if (!info->cbContextValue != !info->pbContextValue) return SEC_E_INVALID_PARAMETER;
    if (!info->cbKeyingMaterial) return SEC_E_INVALID_PARAMETER;

    std::string label(info->pszLabel, info->cbLabel - 1);
    std::string context_value;
    if (info->cbContextValue)
        context_value.assign(reinterpret_cast<const char *>(info->pbContextValue), info->cbContextValue);
    exclusive_guard guard(keying_lock_);
    keying_label_.swap(label);
    keying_context_.swap(context_value);
    keying_has_context_ = info->cbContextValue != 0;
    keying_size_ = info->cbKeyingMaterial;
    keying_info_set_ = true;
    return SEC_E_OK;
}

SECURITY_STATUS schannel_context::export_keying_material(SecPkgContext_KeyingMaterial *out)
{
    std::string label, context_value;
    bool has_context;
    DWORD size;
    {
        shared_guard guard(keying_lock_);
        /* Microsoft: querying before the info was set is an error. */
        if (!keying_info_set_) return SEC_E_INVALID_PARAMETER;
        label = keying_label_;
        context_value = keying_context_;
        has_context = keying_has_context_;
        size = keying_size_;
    }
    void *material = context_buffer_alloc(size);
    if (!material) return SEC_E_INSUFFICIENT_MEMORY;
    session_export_keying_material_params p{};
    p.session = session_;
    p.label = to_pe_ptr(label.data());
    p.label_size = uint32_t(label.size());
    if (has_context) {
        p.context = to_pe_ptr(context_value.data());
        p.context_size = uint32_t(context_value.size());
    }
    p.output = to_pe_ptr(material);
    p.output_size = size;
    if (unix_call(unix_session_export_keying_material, &p) || p.result != tls_ok) {
        SecureZeroMemory(material, size);
        context_buffer_free(material);
        /* GnuTLS refuses, e.g., more than 255 hash lengths under TLS 1.3. */
        return SEC_E_INVALID_PARAMETER;
    }
    out->cbKeyingMaterial = size;
    out->pbKeyingMaterial = static_cast<PBYTE>(material);
    return SEC_E_OK;
}

/* SetContextAttributes: Schannel's SECPKG_ATTR_DTLS_MTU (200 bytes to
 * 64 KB, a SEC_DTLS_MTU or a 32-bit value), before or after the handshake;
 * the next datagrams we send and STREAM_SIZES follow it. */
SECURITY_STATUS schannel_context::set_dtls_mtu(void *buffer, ULONG size)
{
    if (!datagram_) return SEC_E_UNSUPPORTED_FUNCTION;
    if (!buffer || size < sizeof(SEC_DTLS_MTU)) return SEC_E_INVALID_PARAMETER;
    ULONG mtu;
    if (size >= sizeof(ULONG)) memcpy(&mtu, buffer, sizeof(ULONG));
    else mtu = static_cast<const SEC_DTLS_MTU *>(buffer)->PathMTU;
    if (mtu < 200 || mtu > 64 * 1024) return SEC_E_INVALID_PARAMETER;
    state s = state_.load();
    if (s == state::deleted || s == state::failed) return SEC_E_INVALID_HANDLE;
    exclusive_guard guard(handshake_lock_);
    session_set_mtu_params p{};
    p.session = session_;
    p.mtu = mtu;
    if (unix_call(unix_session_set_mtu, &p)) return SEC_E_INTERNAL_ERROR;
    mtu_ = mtu;
    if (p.data_mtu) info_.max_message = p.data_mtu;
    return SEC_E_OK;
}

SECURITY_STATUS schannel_context::query_certificate_request(ULONG attribute, void *buffer)
{
    session_certificate_request_params p{};
    p.session = session_;
    std::vector<BYTE> names;
    for (int attempt = 0; attempt < 2; attempt++) {
        p.buffer = to_pe_ptr(names.data());
        p.capacity = ULONG(names.size());
        if (unix_call(unix_session_certificate_request, &p)) return SEC_E_INTERNAL_ERROR;
        if (p.result != tls_buffer_too_small) break;
        names.resize(p.size_needed);
    }
    if (p.result != tls_ok) return SEC_E_INTERNAL_ERROR;

    if (attribute == SECPKG_ATTR_SUPPORTED_SIGNATURES) {
        auto *ss = static_cast<SecPkgContext_SupportedSignatures *>(buffer);
        ss->cSignatureAndHashAlgorithms = 0;
        ss->pSignatureAndHashAlgorithms = nullptr;
        if (!p.signature_count) return SEC_E_OK;
        auto *list = static_cast<WORD *>(context_buffer_alloc(p.signature_count * sizeof(WORD)));
        if (!list) return SEC_E_INSUFFICIENT_MEMORY;
        for (uint32_t i = 0; i < p.signature_count; i++) list[i] = p.signatures[i];
        ss->cSignatureAndHashAlgorithms = WORD(p.signature_count);
        ss->pSignatureAndHashAlgorithms = list;
        return SEC_E_OK;
    }

    /* The distinguished names of the server's CertificateRequest, in one
     * block the caller frees with FreeContextBuffer(aIssuers): the blobs,
     * then the names they point to. */
    auto *il = static_cast<SecPkgContext_IssuerListInfoEx *>(buffer);
    il->aIssuers = nullptr;
    il->cIssuers = 0;
    if (!p.issuer_count) return SEC_E_OK;
    size_t header = p.issuer_count * sizeof(CERT_NAME_BLOB);
    size_t data = names.size() - p.issuer_count * sizeof(uint32_t);
    auto *block = static_cast<BYTE *>(context_buffer_alloc(header + data));
    if (!block) return SEC_E_INSUFFICIENT_MEMORY;
    auto *blobs = reinterpret_cast<CERT_NAME_BLOB *>(block);
    BYTE *out = block + header;
    size_t pos = 0;
    for (uint32_t i = 0; i < p.issuer_count; i++) {
        uint32_t len;
        memcpy(&len, names.data() + pos, sizeof(len));
        pos += sizeof(len);
        memcpy(out, names.data() + pos, len);
        blobs[i].cbData = len;
        blobs[i].pbData = out;
        out += len;
        pos += len;
    }
    il->aIssuers = blobs;
    il->cIssuers = p.issuer_count;
    return SEC_E_OK;
}

} // namespace secur32
