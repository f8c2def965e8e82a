/* A credential's own certificate chain and private key, as the PE side
 * sends them (unixlib_calls.h: [uint32 length][DER]... and a tls_key_header
 * with the key's numbers), loaded into GnuTLS certificate credentials. */
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <gnutls/abstract.h>

#include "gnutls_handles.h"

namespace secur32::unix_side {

/* Parses both blobs (every length is checked against the buffer) and adds
 * the pair to `certificates`. Returns 0 or a GnuTLS error:
 * GNUTLS_E_BASE64_DECODING_ERROR-style parse errors for malformed blobs,
 * GNUTLS_E_CERTIFICATE_KEY_MISMATCH when the key is not the leaf's. */
/* The key blob names a key the PE side signs with (tls_key_external_rsa). */
bool is_external_key(const uint8_t *key, size_t key_size);

int load_certificate_key(gnutls_certificate_credentials_t certificates, const uint8_t *chain, size_t chain_size,
                         const uint8_t *key, size_t key_size);

/* The same pair as GnuTLS pcerts and an abstract key, owned here: what a
 * client's certificate retrieve callback hands GnuTLS (which neither
 * copies nor frees them). */
class certificate_key_pair {
public:
    certificate_key_pair() = default;
    ~certificate_key_pair();
    certificate_key_pair(const certificate_key_pair &) = delete;
    certificate_key_pair &operator=(const certificate_key_pair &) = delete;
    std::vector<gnutls_pcert_st> pcerts; /* leaf first */
    gnutls_privkey_t key = nullptr;
};

/* Fills `out` from the blobs (the key checked against the leaf by the
 * caller's load_certificate_key). Returns 0 or a GnuTLS error. */
int import_certificate_key(const uint8_t *chain, size_t chain_size, const uint8_t *key, size_t key_size,
                           certificate_key_pair &out);

} // namespace secur32::unix_side
