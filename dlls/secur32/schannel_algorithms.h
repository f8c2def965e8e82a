/* Negotiated algorithms (unixlib tls_*_id values) as Windows names them:
 * CryptoAPI ALG_IDs for the old attributes, CNG algorithm names for the
 * newer ones (CONNECTION_INFO_EX, CIPHER_INFO). */
#pragma once

#include <cstdint>

#include "schannel_headers.h"

namespace secur32 {

ALG_ID cipher_alg(uint32_t cipher);       /* 0 where CryptoAPI has none (ChaCha20) */
ALG_ID hash_alg(uint32_t hash);           /* 0 for AEAD suites */
ALG_ID exchange_alg(uint32_t exchange);
const wchar_t *cipher_name(uint32_t cipher);
const wchar_t *hash_name(uint32_t hash);
const wchar_t *exchange_name(uint32_t exchange);
DWORD hash_bits(uint32_t hash);

} // namespace secur32
