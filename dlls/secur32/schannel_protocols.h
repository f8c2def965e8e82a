/* Which TLS versions a credential may negotiate, from what the caller
 * passed (SCHANNEL_CRED grbitEnabledProtocols or SCH_CREDENTIALS
 * TLS_PARAMETERS.grbitDisabledProtocols), with Windows 11's defaults. */
#pragma once

#include "schannel_headers.h"
#include "unixlib_calls.h"

namespace secur32 {

/* SP_PROT_* bits of one direction (client or server) to tls_protocol_bits.
 * SSL 2/3 have no bit: they are never negotiated. */
uint32_t tls_bits_from_sp_prot(DWORD sp_prot, bool is_server);

/* One tls_protocol_bits bit back to the SP_PROT_* value of that direction. */
DWORD sp_prot_from_tls_bit(uint32_t tls_bit, bool is_server);

/* Windows 11 defaults: TLS 1.2 with SCHANNEL_CRED; TLS 1.2 and 1.3 with
 * SCH_CREDENTIALS. TLS 1.0/1.1 only when asked for. Datagram contexts
 * (ISC_REQ_DATAGRAM) get DTLS 1.2 by default; DTLS 1.0 only when asked for. */
uint32_t default_tls_bits(bool sch_credentials);

} // namespace secur32
