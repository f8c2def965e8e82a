/* The LSA package interface (ntsecpkg.h) as the LSA-hosting files use it.
 * MinGW's headers provide the tables; this header only fixes the include
 * order (NTSTATUS codes next to the Win32 ones) and names the few values
 * they lack. */
#pragma once

#include <windows.h>
#include <ntstatus.h>
#include <sspi.h>
#include <ntsecapi.h>
#include <ntsecpkg.h>

namespace secur32 {

/* Added by Wine's Negotiate to the credential use it hands to NTLM when the
 * caller supplied no identity: msv1_0 then does not fall back to cached
 * (winbind) credentials. msv1_0 reads exactly this bit. */
constexpr ULONG lsa_no_cached_credentials = 0x10000000;

/* SEC_WINNT_AUTH_IDENTITY_EX2 (a version MinGW 10 does not describe). */
constexpr ULONG auth_identity_version_2 = 0x201;

} // namespace secur32
