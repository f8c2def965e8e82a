/* A credential's own certificate chain and private key, as the PE side
 * sends them (unixlib_calls.h: [uint32 length][DER]... and a tls_key_header
 * with the key's numbers), loaded into GnuTLS certificate credentials. */
#pragma once

#include <cstddef>
#include <cstdint>

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

} // namespace secur32::unix_side
