/* The algorithms a caller's credential settings rule out, as
 * tls_algorithm_bits: SCHANNEL_CRED's dwMinimum/MaximumCipherStrength,
 * palgSupportedAlgs and SCH_USE_STRONG_CRYPTO, SCH_CREDENTIALS'
 * TLS_PARAMETERS.pDisabledCrypto. */
#pragma once

#include <cstdint>

#include "schannel_headers.h"

namespace secur32 {

SECURITY_STATUS disabled_by_schannel_cred(const SCHANNEL_CRED &cred, uint32_t &disabled);
SECURITY_STATUS disabled_by_crypto_settings(const TLS_PARAMETERS &params, uint32_t &disabled);

/* QueryCredentialsAttributes answers from the algorithms a credential can
 * negotiate (tls_algorithm_bits): the CryptoAPI ids of its ciphers, MACs
 * and key exchanges, plus the handshake's hashes and signature
 * algorithms (Windows lists those whatever the certificate), each once, into `out` (capacity `count`;
 * returns how many there are); and its cipher key sizes' range in bits
 * (0/0 when no cipher is left). */
DWORD supported_alg_ids(uint32_t enabled, ALG_ID *out, DWORD count);
void cipher_strength_range(uint32_t enabled, DWORD &min_bits, DWORD &max_bits);

} // namespace secur32
