/* The peer's certificates as crypt32 objects, and their validation the way
 * Windows' Schannel does it: CertGetCertificateChain followed by
 * CertVerifyCertificateChainPolicy(CERT_CHAIN_POLICY_SSL). */
#pragma once

#include "crypt32_handles.h"
#include "schannel_headers.h"
#include "unixlib_calls.h"

namespace secur32 {

/* Fetches the peer chain from the Unix side. The leaf's hCertStore is a
 * memory store holding every certificate the peer sent (intermediates
 * included), as REMOTE_CERT_CONTEXT callers expect. */
SECURITY_STATUS load_peer_certificates(unix_handle session, cert_context_ptr &leaf);

/* Validates a server's chain for `host` (null/empty: no name check).
 * `cred_flags` are the SCH_CRED_* flags of the credential. */
SECURITY_STATUS verify_server_certificate(const CERT_CONTEXT *leaf, const wchar_t *host, DWORD cred_flags);

} // namespace secur32
