/* Windows headers for the Schannel code, plus the few constants MinGW 10's
 * schannel.h lacks (values from Microsoft's schannel.h documentation). */
#pragma once

#include <windows.h>
#include <winternl.h>
#include <wincrypt.h>
#define SCHANNEL_USE_BLACKLISTS
#include <sspi.h>
#include <schannel.h>

#ifndef SP_PROT_TLS1_3_SERVER
#define SP_PROT_TLS1_3_SERVER 0x00001000
#endif
#ifndef SP_PROT_TLS1_3_CLIENT
#define SP_PROT_TLS1_3_CLIENT 0x00002000
#endif
#ifndef SP_PROT_TLS1_3
#define SP_PROT_TLS1_3 (SP_PROT_TLS1_3_SERVER | SP_PROT_TLS1_3_CLIENT)
#endif
#ifndef SECBUFFER_ALERT
#define SECBUFFER_ALERT 17
#endif

/* fdwChecks of SSL_EXTRA_CERT_CHAIN_POLICY_PARA (wininet.h values, which
 * Schannel code should not have to include). */
#ifndef SECURITY_FLAG_IGNORE_REVOCATION
#define SECURITY_FLAG_IGNORE_REVOCATION 0x00000080
#endif
#ifndef SECURITY_FLAG_IGNORE_CERT_CN_INVALID
#define SECURITY_FLAG_IGNORE_CERT_CN_INVALID 0x00001000
#endif
