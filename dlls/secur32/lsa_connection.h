/* Handles returned by LsaConnectUntrusted / LsaRegisterLogonProcess. There
 * is no LSA server to talk to, so a connection carries no state; the
 * registry only lets LsaDeregisterLogonProcess tell live handles from stale
 * or foreign ones without dereferencing them. */
#pragma once

#include <windows.h>

namespace secur32 {

HANDLE lsa_connection_open();               /* null when out of memory */
bool lsa_connection_close(HANDLE handle);   /* false: not a live connection */

} // namespace secur32
