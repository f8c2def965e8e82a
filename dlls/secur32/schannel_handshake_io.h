/* The pieces of a handshake call that the initial handshake
 * (schannel_handshake.cpp) and renegotiation (schannel_renegotiation.cpp)
 * share: one Unix-side handshake step with its output, and the output
 * TOKEN conventions. */
#pragma once

#include <vector>

#include "schannel_credential.h"
#include "schannel_headers.h"
#include "unixlib_calls.h"

namespace secur32 {

/* Runs one handshake call and collects all output it queues. A handshake
 * whose key stays in its provider pauses for each signature; `signer`
 * signs and it continues on the same input. A DTLS call returns at most
 * one datagram (`one_datagram`); the rest of its flight stays queued. */
NTSTATUS run_handshake(unix_handle session, const BYTE *in, ULONG in_size, std::vector<BYTE> &out,
                       session_handshake_params &p, const provider_signer *signer = nullptr,
                       bool one_datagram = false);

/* Hands `bytes` to the caller in the output TOKEN buffer (allocated with
 * ISC/ASC_REQ_ALLOCATE_MEMORY or when the buffer has no memory, else
 * copied into the caller's buffer). */
SECURITY_STATUS deliver_token(SecBufferDesc *output, ULONG request_flags, const std::vector<BYTE> &bytes);

/* An output TOKEN that carries nothing. */
void clear_token(SecBufferDesc *output, ULONG request_flags);

} // namespace secur32
