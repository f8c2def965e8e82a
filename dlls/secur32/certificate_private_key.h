/* A caller's certificate (PCCERT_CONTEXT with a private key) turned into
 * what the Unix side loads into GnuTLS: the DER chain and the key's
 * numbers (layouts in unixlib_calls.h). Used for server credentials and
 * client certificates alike.
 *
 * Where the key comes from: CryptAcquireCertificatePrivateKey, which
 * finds a CAPI key container (CertCreateSelfSignCertificate, PFX imports,
 * PKCS12_NO_PERSIST_KEY's in-memory key) or, on Windows and newer Wine, a
 * CNG/NCrypt key. The key must be exportable in plaintext: GnuTLS signs
 * with it in the Unix process. Wine 8.0's key providers hold RSA keys only
 * (rsaenh, and ncrypt without persisted keys); ECDSA keys are handled
 * here for NCrypt providers that have them. */
#pragma once

#include <windows.h>
#include <wincrypt.h>
#include <sspi.h>
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

struct certificate_with_key {
    std::vector<BYTE> chain;   /* [uint32 length][DER]..., leaf first */
    unsigned int chain_length = 0;
    secret_bytes key;          /* tls_key_header + numbers */
};

/* Fills `out` from `cert`. The chain is the leaf and the intermediates
 * CertGetCertificateChain finds (in the certificate's own store and the
 * system stores); the self-signed root is left out unless `send_root`
 * (SCH_SEND_ROOT_CERT) or the leaf is itself self-signed. Returns:
 *   SEC_E_OK
 *   SEC_E_NO_CREDENTIALS       the certificate has no private key
 *   SEC_E_UNKNOWN_CREDENTIALS  the key exists but cannot be used here: not
 *                              exportable, or not an RSA/ECDSA key
 *   SEC_E_INSUFFICIENT_MEMORY
 *   SEC_E_INVALID_PARAMETER    no certificate */
SECURITY_STATUS export_certificate_with_key(const CERT_CONTEXT *cert, bool send_root, certificate_with_key &out);

} // namespace secur32
