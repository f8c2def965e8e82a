/* The administrator's protocol settings, as Windows reads them from
 * HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\
 * <"TLS 1.0" | "TLS 1.1" | "TLS 1.2" | "TLS 1.3">\<Client | Server>:
 * - Enabled = 0: the version is never used, even when a caller asks;
 * - DisabledByDefault = 1: used only when a caller asks for it explicitly;
 * - DisabledByDefault = 0 (or Enabled = 1 alone): part of the default set. */
#pragma once

#include <cstdint>

namespace secur32 {

/* `protocols` (tls_protocol_bits) after the registry settings. With
 * `explicit_request` the caller named the versions it wants (SCHANNEL_CRED
 * grbitEnabledProtocols); otherwise `protocols` is the default set. */
uint32_t apply_protocol_registry(uint32_t protocols, bool explicit_request, bool is_server);

} // namespace secur32
