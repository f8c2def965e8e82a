#include "certificate_private_key.h"

#include <ncrypt.h>
#include <bcrypt.h>
#include <cstring>

#include "crypt32_handles.h"
#include "trace.h"
#include "unixlib_calls.h"

namespace secur32 {

namespace {

/* Writes [uint32 length][bytes] to `out`; `little_endian` numbers (CAPI
 * blobs) are reversed to the big-endian order GnuTLS reads. */
void append_field(std::vector<BYTE> &out, const BYTE *data, DWORD size, bool little_endian)
{
    uint32_t len = size;
    const BYTE *p = reinterpret_cast<const BYTE *>(&len);
    out.insert(out.end(), p, p + sizeof(len));
    size_t at = out.size();
    out.insert(out.end(), data, data + size);
    if (little_endian)
        for (size_t i = 0; i < size / 2; i++) std::swap(out[at + i], out[at + size - 1 - i]);
}

void append_header(std::vector<BYTE> &out, uint32_t type, uint32_t curve)
{
    tls_key_header header{type, curve};
    const BYTE *p = reinterpret_cast<const BYTE *>(&header);
    out.insert(out.end(), p, p + sizeof(header));
}

/* CAPI PRIVATEKEYBLOB (RSA): BLOBHEADER, RSAPUBKEY, then modulus, prime1,
 * prime2, exponent1, exponent2, coefficient (bitlen/16 bytes each but the
 * modulus) and the private exponent, all little-endian. */
SECURITY_STATUS convert_capi_rsa(const std::vector<BYTE> &blob, std::vector<BYTE> &out)
{
    if (blob.size() < sizeof(BLOBHEADER) + sizeof(RSAPUBKEY)) return SEC_E_UNKNOWN_CREDENTIALS;
    BLOBHEADER header;
    RSAPUBKEY rsa;
    memcpy(&header, blob.data(), sizeof(header));
    memcpy(&rsa, blob.data() + sizeof(header), sizeof(rsa));
    if (header.bType != PRIVATEKEYBLOB || (header.aiKeyAlg != CALG_RSA_KEYX && header.aiKeyAlg != CALG_RSA_SIGN) ||
        rsa.magic != 0x32415352 /* "RSA2" */ || !rsa.bitlen || rsa.bitlen % 16)
        return SEC_E_UNKNOWN_CREDENTIALS;
    DWORD full = rsa.bitlen / 8, half = rsa.bitlen / 16;
    if (blob.size() < sizeof(header) + sizeof(rsa) + 2 * full + 5 * half) return SEC_E_UNKNOWN_CREDENTIALS;
    const BYTE *n = blob.data() + sizeof(header) + sizeof(rsa);
    const BYTE *p = n + full, *q = p + half, *e1 = q + half, *e2 = e1 + half, *u = e2 + half, *d = u + half;
    BYTE e[4];
    for (int i = 0; i < 4; i++) e[i] = BYTE(rsa.pubexp >> (8 * (3 - i)));

    append_header(out, tls_key_rsa, tls_curve_none);
    append_field(out, n, full, true);
    append_field(out, e, sizeof(e), false);
    append_field(out, d, full, true);
    append_field(out, p, half, true);
    append_field(out, q, half, true);
    append_field(out, e1, half, true);
    append_field(out, e2, half, true);
    append_field(out, u, half, true);
    return SEC_E_OK;
}

/* BCRYPT_RSAFULLPRIVATE_BLOB: BCRYPT_RSAKEY_BLOB, then public exponent,
 * modulus, prime1, prime2, exponent1, exponent2, coefficient, private
 * exponent, all big-endian. */
SECURITY_STATUS convert_bcrypt_rsa(const std::vector<BYTE> &blob, std::vector<BYTE> &out)
{
    BCRYPT_RSAKEY_BLOB h;
    if (blob.size() < sizeof(h)) return SEC_E_UNKNOWN_CREDENTIALS;
    memcpy(&h, blob.data(), sizeof(h));
    if (h.Magic != BCRYPT_RSAFULLPRIVATE_MAGIC) return SEC_E_UNKNOWN_CREDENTIALS;
    size_t need = sizeof(h) + size_t(h.cbPublicExp) + 2 * size_t(h.cbModulus) + 3 * size_t(h.cbPrime1) +
                  2 * size_t(h.cbPrime2);
    if (blob.size() < need) return SEC_E_UNKNOWN_CREDENTIALS;
    const BYTE *e = blob.data() + sizeof(h), *n = e + h.cbPublicExp, *p = n + h.cbModulus, *q = p + h.cbPrime1;
    const BYTE *e1 = q + h.cbPrime2, *e2 = e1 + h.cbPrime1, *u = e2 + h.cbPrime2, *d = u + h.cbPrime1;
    append_header(out, tls_key_rsa, tls_curve_none);
    append_field(out, n, h.cbModulus, false);
    append_field(out, e, h.cbPublicExp, false);
    append_field(out, d, h.cbModulus, false);
    append_field(out, p, h.cbPrime1, false);
    append_field(out, q, h.cbPrime2, false);
    append_field(out, e1, h.cbPrime1, false);
    append_field(out, e2, h.cbPrime2, false);
    append_field(out, u, h.cbPrime1, false);
    return SEC_E_OK;
}

/* BCRYPT_ECCPRIVATE_BLOB: BCRYPT_ECCKEY_BLOB, then X, Y, d (cbKey bytes each). */
SECURITY_STATUS convert_bcrypt_ecc(const std::vector<BYTE> &blob, std::vector<BYTE> &out)
{
    BCRYPT_ECCKEY_BLOB h;
    if (blob.size() < sizeof(h)) return SEC_E_UNKNOWN_CREDENTIALS;
    memcpy(&h, blob.data(), sizeof(h));
    uint32_t curve;
    switch (h.dwMagic) {
    case BCRYPT_ECDSA_PRIVATE_P256_MAGIC: case BCRYPT_ECDH_PRIVATE_P256_MAGIC: curve = tls_curve_p256; break;
    case BCRYPT_ECDSA_PRIVATE_P384_MAGIC: case BCRYPT_ECDH_PRIVATE_P384_MAGIC: curve = tls_curve_p384; break;
    case BCRYPT_ECDSA_PRIVATE_P521_MAGIC: case BCRYPT_ECDH_PRIVATE_P521_MAGIC: curve = tls_curve_p521; break;
    default: return SEC_E_UNKNOWN_CREDENTIALS;
    }
    if (blob.size() < sizeof(h) + 3 * size_t(h.cbKey)) return SEC_E_UNKNOWN_CREDENTIALS;
    const BYTE *x = blob.data() + sizeof(h), *y = x + h.cbKey, *d = y + h.cbKey;
    append_header(out, tls_key_ecdsa, curve);
    append_field(out, x, h.cbKey, false);
    append_field(out, y, h.cbKey, false);
    append_field(out, d, h.cbKey, false);
    return SEC_E_OK;
}

SECURITY_STATUS export_capi_key(HCRYPTPROV prov, DWORD key_spec, certificate_with_key &result, bool allow_signer)
{
    secret_bytes &out = result.key;
    HCRYPTKEY key;
    BOOL found = CryptGetUserKey(prov, key_spec, &key);
    /* Wine 8's PFXImportCertStore records the provider's PP_KEYSPEC
     * (AT_KEYEXCHANGE | AT_SIGNATURE) as the key spec; the key it imported
     * is an exchange key. */
    if (!found && key_spec == (AT_KEYEXCHANGE | AT_SIGNATURE)) {
        if ((found = CryptGetUserKey(prov, AT_KEYEXCHANGE, &key)))
            key_spec = AT_KEYEXCHANGE;
        else if ((found = CryptGetUserKey(prov, AT_SIGNATURE, &key)))
            key_spec = AT_SIGNATURE;
    }
    if (!found) {
        TRACE_WARN("no key %lu in the certificate's container: %#lx\n", key_spec, GetLastError());
        return SEC_E_NO_CREDENTIALS;
    }
    secret_bytes blob;
    DWORD size = 0;
    BOOL ok = CryptExportKey(key, 0, PRIVATEKEYBLOB, 0, nullptr, &size);
    if (ok) {
        blob.bytes().resize(size);
        ok = CryptExportKey(key, 0, PRIVATEKEYBLOB, 0, blob.bytes().data(), &size);
        blob.bytes().resize(ok ? size : 0);
    }
    DWORD error = GetLastError();
    CryptDestroyKey(key);
    if (!ok) {
        /* NTE_BAD_KEY_STATE: created without CRYPT_EXPORTABLE. The
         * provider can still sign for us. */
        if (allow_signer && (result.signer = provider_signer::open(prov, key_spec))) {
            TRACE("the certificate's key is not exportable: signing through its provider (TLS 1.2 at most)\n");
            append_header(out.bytes(), tls_key_external_rsa, tls_curve_none);
            return SEC_E_OK;
        }
        TRACE_WARN("the certificate's private key is not exportable: %#lx\n", error);
        return SEC_E_UNKNOWN_CREDENTIALS;
    }
    return convert_capi_rsa(blob.bytes(), out.bytes());
}

/* ncrypt.dll is loaded on demand: Wine 8's crypt32 never hands out NCrypt
 * keys, and the module should not depend on it being present. */
SECURITY_STATUS export_ncrypt_key(NCRYPT_KEY_HANDLE key, secret_bytes &out)
{
    using export_fn = SECURITY_STATUS(WINAPI *)(NCRYPT_KEY_HANDLE, NCRYPT_KEY_HANDLE, LPCWSTR, NCryptBufferDesc *,
                                                 PBYTE, DWORD, DWORD *, DWORD);
    HMODULE ncrypt = GetModuleHandleW(L"ncrypt.dll");
    if (!ncrypt) ncrypt = LoadLibraryW(L"ncrypt.dll");
    auto export_key = ncrypt ? reinterpret_cast<export_fn>(GetProcAddress(ncrypt, "NCryptExportKey")) : nullptr;
    if (!export_key) return SEC_E_UNKNOWN_CREDENTIALS;

    const struct {
        const wchar_t *type;
        SECURITY_STATUS (*convert)(const std::vector<BYTE> &, std::vector<BYTE> &);
    } formats[] = {{BCRYPT_RSAFULLPRIVATE_BLOB, convert_bcrypt_rsa}, {BCRYPT_ECCPRIVATE_BLOB, convert_bcrypt_ecc}};
    for (const auto &format : formats) {
        secret_bytes blob;
        DWORD size = 0;
        if (export_key(key, 0, format.type, nullptr, nullptr, 0, &size, NCRYPT_SILENT_FLAG) != ERROR_SUCCESS || !size)
            continue;
        blob.bytes().resize(size);
        if (export_key(key, 0, format.type, nullptr, blob.bytes().data(), size, &size, NCRYPT_SILENT_FLAG) !=
            ERROR_SUCCESS)
            continue;
        blob.bytes().resize(size);
        return format.convert(blob.bytes(), out.bytes());
    }
    TRACE_WARN("the certificate's NCrypt key cannot be exported\n");
    return SEC_E_UNKNOWN_CREDENTIALS;
}

SECURITY_STATUS export_private_key(const CERT_CONTEXT *cert, certificate_with_key &result, bool allow_signer)
{
    secret_bytes &out = result.key;
    HCRYPTPROV_OR_NCRYPT_KEY_HANDLE handle = 0;
    DWORD key_spec = 0;
    BOOL caller_frees = FALSE;
    /* CACHE_FLAG: also finds the in-memory key of a PFX imported with
     * PKCS12_NO_PERSIST_KEY (CERT_KEY_CONTEXT_PROP_ID). */
    DWORD flags = CRYPT_ACQUIRE_CACHE_FLAG | CRYPT_ACQUIRE_SILENT_FLAG | CRYPT_ACQUIRE_ALLOW_NCRYPT_KEY_FLAG;
    if (!CryptAcquireCertificatePrivateKey(cert, flags, nullptr, &handle, &key_spec, &caller_frees)) {
        TRACE_WARN("the certificate has no usable private key: %#lx\n", GetLastError());
        /* A certificate that names a key container we cannot open is a
         * bad credential; one that names no key at all has none (the
         * two codes Windows gives, per Wine's tests run on Windows). */
        DWORD size = 0;
        bool names_a_key = CertGetCertificateContextProperty(cert, CERT_KEY_PROV_INFO_PROP_ID, nullptr, &size) ||
                           CertGetCertificateContextProperty(cert, CERT_KEY_CONTEXT_PROP_ID, nullptr, &size);
        return names_a_key ? SEC_E_UNKNOWN_CREDENTIALS : SEC_E_NO_CREDENTIALS;
    }
    SECURITY_STATUS status;
    if (key_spec == CERT_NCRYPT_KEY_SPEC) {
        status = export_ncrypt_key(handle, out);
        if (caller_frees) {
            using free_fn = SECURITY_STATUS(WINAPI *)(NCRYPT_HANDLE);
            HMODULE ncrypt = GetModuleHandleW(L"ncrypt.dll");
            if (auto free_object = ncrypt ? reinterpret_cast<free_fn>(GetProcAddress(ncrypt, "NCryptFreeObject")) : nullptr)
                free_object(handle);
        }
    } else {
        status = export_capi_key(handle, key_spec, result, allow_signer);
        if (caller_frees) CryptReleaseContext(handle, 0);
    }
    return status;
}

void append_certificate(std::vector<BYTE> &chain, const CERT_CONTEXT *cert)
{
    append_field(chain, cert->pbCertEncoded, cert->cbCertEncoded, false);
}

/* The leaf and, where crypt32 can build them, its issuers. */
void export_chain(const CERT_CONTEXT *cert, bool send_root, certificate_with_key &out)
{
    CERT_CHAIN_PARA para{};
    para.cbSize = sizeof(para);
    PCCERT_CHAIN_CONTEXT raw = nullptr;
    if (!CertGetCertificateChain(nullptr, cert, nullptr, cert->hCertStore, &para, 0, nullptr, &raw) || !raw ||
        !raw->cChain || !raw->rgpChain[0]->cElement) {
        if (raw) CertFreeCertificateChain(raw);
        append_certificate(out.chain, cert);
        out.chain_length = 1;
        return;
    }
    cert_chain_ptr chain(raw);
    const CERT_SIMPLE_CHAIN *simple = chain->rgpChain[0];
    DWORD count = simple->cElement;
    const CERT_CHAIN_ELEMENT *top = simple->rgpElement[count - 1];
    if (count > 1 && !send_root && (top->TrustStatus.dwInfoStatus & CERT_TRUST_IS_SELF_SIGNED)) count--;
    /* The first element is the caller's certificate itself. */
    append_certificate(out.chain, cert);
    for (DWORD i = 1; i < count; i++) append_certificate(out.chain, simple->rgpElement[i]->pCertContext);
    out.chain_length = count;
}

} // namespace

std::shared_ptr<provider_signer> provider_signer::open(HCRYPTPROV prov, DWORD key_spec)
{
    char container[MAX_PATH];
    DWORD size = sizeof(container);
    if (!CryptGetProvParam(prov, PP_CONTAINER, reinterpret_cast<BYTE *>(container), &size, 0)) return nullptr;
    DWORD keyset = 0;
    size = sizeof(keyset);
    DWORD flags = CRYPT_SILENT;
    if (CryptGetProvParam(prov, PP_KEYSET_TYPE, reinterpret_cast<BYTE *>(&keyset), &size, 0) &&
        (keyset & CRYPT_MACHINE_KEYSET))
        flags |= CRYPT_MACHINE_KEYSET;
    /* The same container through the provider type that has SHA-2 hashes
     * (Wine keeps one container per name for every RSA provider). */
    HCRYPTPROV aes = 0;
    if (!CryptAcquireContextA(&aes, container, MS_ENH_RSA_AES_PROV_A, PROV_RSA_AES, flags)) return nullptr;
    HCRYPTKEY key;
    if (!CryptGetUserKey(aes, key_spec, &key)) {
        CryptReleaseContext(aes, 0);
        return nullptr;
    }
    CryptDestroyKey(key);
    return std::shared_ptr<provider_signer>(new provider_signer(aes, key_spec));
}

provider_signer::~provider_signer()
{
    CryptReleaseContext(prov_, 0);
}

std::vector<BYTE> provider_signer::sign(uint32_t hash, const BYTE *digest, size_t size) const
{
    ALG_ID alg;
    size_t expected;
    switch (hash) {
    case tls_signature_md5_sha1: alg = CALG_SSL3_SHAMD5; expected = 36; break;
    case tls_signature_sha1: alg = CALG_SHA1; expected = 20; break;
    case tls_signature_sha256: alg = CALG_SHA_256; expected = 32; break;
    case tls_signature_sha384: alg = CALG_SHA_384; expected = 48; break;
    case tls_signature_sha512: alg = CALG_SHA_512; expected = 64; break;
    default: return {};
    }
    if (size != expected) return {};
    HCRYPTHASH h;
    if (!CryptCreateHash(prov_, alg, 0, 0, &h)) return {};
    std::vector<BYTE> signature;
    DWORD len = 0;
    if (CryptSetHashParam(h, HP_HASHVAL, digest, 0) && CryptSignHashW(h, key_spec_, nullptr, 0, nullptr, &len)) {
        signature.resize(len);
        if (CryptSignHashW(h, key_spec_, nullptr, 0, signature.data(), &len))
            signature.resize(len);
        else
            signature.clear();
    }
    if (signature.empty()) TRACE_WARN("the key's provider did not sign: %#lx\n", GetLastError());
    CryptDestroyHash(h);
    /* CAPI writes signatures little-endian. */
    for (size_t i = 0; i < signature.size() / 2; i++) std::swap(signature[i], signature[signature.size() - 1 - i]);
    return signature;
}

SECURITY_STATUS export_certificate_with_key(const CERT_CONTEXT *cert, bool send_root, certificate_with_key &out,
                                            bool allow_provider_signing)
{
    if (!cert) return SEC_E_INVALID_PARAMETER;
    out.chain.clear();
    out.chain_length = 0;
    out.key.wipe();
    out.signer.reset();
    SECURITY_STATUS status = export_private_key(cert, out, allow_provider_signing);
    if (status != SEC_E_OK) {
        out.key.wipe();
        out.signer.reset();
        return status;
    }
    export_chain(cert, send_root, out);
    return SEC_E_OK;
}

} // namespace secur32
