/* Remembers recent successful server certificate validations, so that
 * reconnecting to the same server does not rebuild the same chain.
 *
 * Why: Wine's CertGetCertificateChain takes 1.3-3.7 ms per call on the
 * benchmark machine (README, Performance) — longer than a whole resumed
 * handshake of a native client — and a program talking to one server
 * validates the same chain on every connection. Windows' chain engine
 * caches end certificates too; browsers cache verification results.
 *
 * Only successes are kept, keyed by the exact bytes of every certificate
 * the server presented, the host name checked and the credential's
 * validation flags; an entry lives CACHE_SECONDS at most and is used only
 * while the leaf is inside its validity period. Validations that check
 * revocation are never cached (revocation status changes). */
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "schannel_headers.h"

namespace secur32 {

/* The cache key's certificate part: every certificate of the leaf's store,
 * in order, length-prefixed. */
std::vector<BYTE> presented_chain_bytes(const CERT_CONTEXT *leaf);

/* True when this chain was validated successfully for `host` with these
 * flags recently (and the leaf is still time-valid). */
bool validation_cached(const std::vector<BYTE> &chain, const wchar_t *host, DWORD cred_flags);

/* Records a successful validation. */
void remember_validation(const std::vector<BYTE> &chain, const wchar_t *host, DWORD cred_flags,
                         const CERT_CONTEXT *leaf);

/* Flags with which a result may be cached: no revocation checking. */
bool validation_cacheable(DWORD cred_flags);

} // namespace secur32
