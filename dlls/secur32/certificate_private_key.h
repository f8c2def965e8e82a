/* A caller's certificate (PCCERT_CONTEXT with a private key) turned into
 * what the Unix side loads into GnuTLS: the DER chain and the key's
 * numbers (layouts in unixlib_calls.h). Used for server credentials and
 * client certificates alike.
 *
 * Where the key comes from: CryptAcquireCertificatePrivateKey, which
 * finds a CAPI key container (CertCreateSelfSignCertificate, PFX imports,
 * PKCS12_NO_PERSIST_KEY's in-memory key) or, on Windows and newer Wine, a
 * CNG/NCrypt key. An exportable key goes to GnuTLS as numbers; a
 * non-exportable CAPI RSA key can stay in its provider, which then signs
 * for the handshake (provider_signer). Wine 8.0's key providers hold RSA
 * keys only (rsaenh, and ncrypt without persisted keys); ECDSA keys are
 * handled here for NCrypt providers that have them. */
#pragma once

#include <windows.h>
#include <wincrypt.h>
#include <sspi.h>
#include <memory>
#include <vector>

namespace secur32 {

/* Plaintext key material: wiped when it goes. */
class secret_bytes {
public:
    secret_bytes() = default;
    secret_bytes(const secret_bytes &) = delete;
    secret_bytes &operator=(const secret_bytes &) = delete;
    ~secret_bytes() { wipe(); }
    std::vector<BYTE> &bytes() { return bytes_; }
    const std::vector<BYTE> &bytes() const { return bytes_; }
    void wipe()
    {
        if (!bytes_.empty()) SecureZeroMemory(bytes_.data(), bytes_.size());
        bytes_.clear();
    }

private:
    std::vector<BYTE> bytes_;
};

/* Signs TLS handshake digests with an RSA key that stays in its CAPI
 * provider (a non-exportable key). PKCS#1 v1.5 only: CAPI has no PSS, so a
 * credential using one negotiates TLS 1.2 at most. */
class provider_signer {
public:
    /* Opens the key container of `prov` again, through the AES provider
     * (which has SHA-2); null if it cannot. */
    static std::shared_ptr<provider_signer> open(HCRYPTPROV prov, DWORD key_spec);
    ~provider_signer();
    provider_signer(const provider_signer &) = delete;
    provider_signer &operator=(const provider_signer &) = delete;

    /* `hash` is a tls_signature_hash; returns the signature big-endian, or
     * nothing if the provider refused. */
    std::vector<BYTE> sign(uint32_t hash, const BYTE *digest, size_t size) const;

private:
    provider_signer(HCRYPTPROV prov, DWORD key_spec) : prov_(prov), key_spec_(key_spec) {}
    HCRYPTPROV prov_;
    DWORD key_spec_;
};

struct certificate_with_key {
    std::vector<BYTE> chain;   /* [uint32 length][DER]..., leaf first */
    unsigned int chain_length = 0;
    secret_bytes key;          /* tls_key_header + numbers (just the header for tls_key_external_rsa) */
    /* Set when the key is not exportable and the caller allowed signing
     * through the provider; `key` then names tls_key_external_rsa. */
    std::shared_ptr<provider_signer> signer;
};

/* Fills `out` from `cert`. The chain is the leaf and the intermediates
 * CertGetCertificateChain finds (in the certificate's own store and the
 * system stores); the self-signed root is left out unless `send_root`
 * (SCH_SEND_ROOT_CERT) or the leaf is itself self-signed. Returns:
 *   SEC_E_OK
 *   SEC_E_NO_CREDENTIALS       the certificate names no private key
 *   SEC_E_UNKNOWN_CREDENTIALS  its key container cannot be opened, or the
 *                              key exists but cannot be used here: not
 *                              exportable (unless allow_provider_signing and
 *                              it is a CAPI RSA key), or not an RSA/ECDSA key
 *   SEC_E_INSUFFICIENT_MEMORY
 *   SEC_E_INVALID_PARAMETER    no certificate */
SECURITY_STATUS export_certificate_with_key(const CERT_CONTEXT *cert, bool send_root, certificate_with_key &out,
                                            bool allow_provider_signing = false);

} // namespace secur32
