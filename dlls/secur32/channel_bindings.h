/* RFC 5929 channel bindings as SSPI returns them: one FreeContextBuffer-able
 * block holding SEC_CHANNEL_BINDINGS followed by its application data
 * ("tls-unique:" or "tls-server-end-point:" and the binding bytes). */
#pragma once

#include "schannel_headers.h"

namespace secur32 {

SECURITY_STATUS make_channel_bindings(const char *prefix, const BYTE *data, DWORD size,
                                      SecPkgContext_Bindings *out);

/* tls-server-end-point: the hash of the server's certificate, with the
 * certificate signature's hash, but SHA-256 for MD5 and SHA-1 (RFC 5929 §4.1). */
SECURITY_STATUS make_endpoint_bindings(const CERT_CONTEXT *server_cert, SecPkgContext_Bindings *out);

} // namespace secur32
