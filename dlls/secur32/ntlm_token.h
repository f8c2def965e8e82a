/* Reading the user name out of an NTLM AUTHENTICATE message (MS-NLMP
 * 2.2.1.3) passing through the LSA host. Wine's msv1_0 does not answer
 * SECPKG_ATTR_NAMES; Windows reports "DOMAIN\user" for an NTLM context, which
 * is exactly the pair that message carries, on both the client (its output)
 * and the server (its input). */
#pragma once

#include <windows.h>
#include <sspi.h>
#include <string>

namespace secur32 {

/* "DOMAIN\user" (or "user") from the first token buffer of `desc` that is
 * an NTLMSSP AUTHENTICATE message; empty when there is none. */
std::wstring ntlm_authenticate_name(const SecBufferDesc *desc);

} // namespace secur32
