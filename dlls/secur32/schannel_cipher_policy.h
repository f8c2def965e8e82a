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

} // namespace secur32
