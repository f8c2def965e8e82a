/* ALPN (RFC 7301) as SSPI carries it: a SECBUFFER_APPLICATION_PROTOCOLS
 * input buffer holding SEC_APPLICATION_PROTOCOLS. */
#pragma once

#include <string>

#include "schannel_headers.h"

namespace secur32 {

/* Extracts the ALPN protocol list from an ISC/ASC input descriptor, in
 * TLS wire format (each name preceded by its length). Returns SEC_E_OK
 * with an empty list when there is none, SEC_E_INVALID_TOKEN when the
 * buffer is malformed. */
SECURITY_STATUS alpn_list_from_input(SecBufferDesc *input, std::string &wire_list);

} // namespace secur32
