/* GnuTLS outcomes to the SECURITY_STATUS codes Windows' Schannel returns,
 * in one place. Unknown codes are logged with their raw value. */
#pragma once

#include <windows.h>
#include <sspi.h>
#include <cstdint>

namespace secur32 {

/* `error` is a GnuTLS error code; `alert` the TLS alert received (with
 * GNUTLS_E_*_ALERT_RECEIVED) or 0. */
SECURITY_STATUS status_from_tls_error(int32_t error, uint32_t alert);

} // namespace secur32
