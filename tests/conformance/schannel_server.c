/* Schannel server side: inbound credentials from certificates whose keys
 * come from CAPI containers and PFX imports, then AcceptSecurityContext
 * against our own InitializeSecurityContext in this process.
 *
 * Expected values are Windows'. One documented difference: the private key
 * must be exportable (GnuTLS signs with it in the Unix process), so where
 * Windows would use a non-exportable key through its provider, our module
 * returns SEC_E_UNKNOWN_CREDENTIALS; those checks say so. */
#include <windows.h>
#include <wincrypt.h>
#ifndef SECURITY_WIN32
#define SECURITY_WIN32
#endif
#define SCHANNEL_USE_BLACKLISTS
#include <sspi.h>
#include <schannel.h>
#include <stdio.h>
#include <string.h>

#include "wine/test.h"
#include "server_certificates.h"

#ifndef SP_PROT_TLS1_3_SERVER
#define SP_PROT_TLS1_3_SERVER 0x00001000
#endif
#ifndef PKCS12_NO_PERSIST_KEY
#define PKCS12_NO_PERSIST_KEY 0x00008000
#endif

static BOOL is_ours;

static SECURITY_STATUS acquire_server_schannel_cred(PCCERT_CONTEXT cert, DWORD flags, CredHandle *handle)
{
    SCHANNEL_CRED cred;
    memset(&cred, 0, sizeof(cred));
    cred.dwVersion = SCHANNEL_CRED_VERSION;
    cred.cCreds = cert ? 1 : 0;
    cred.paCred = &cert;
    cred.dwFlags = flags;
    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, &cred, NULL, NULL,
                                     handle, NULL);
}

static SECURITY_STATUS acquire_server_sch_credentials(PCCERT_CONTEXT cert, DWORD flags, DWORD disabled,
                                                      CredHandle *handle)
{
    SCH_CREDENTIALS cred;
    TLS_PARAMETERS params;
    memset(&cred, 0, sizeof(cred));
    memset(&params, 0, sizeof(params));
    cred.dwVersion = SCH_CREDENTIALS_VERSION;
    cred.cCreds = cert ? 1 : 0;
    cred.paCred = &cert;
    cred.dwFlags = flags;
    if (disabled) {
        params.grbitDisabledProtocols = disabled;
        cred.cTlsParameters = 1;
        cred.pTlsParameters = &params;
    }
    return AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_INBOUND, NULL, &cred, NULL, NULL,
                                     handle, NULL);
}

static DWORD server_protocols(CredHandle *handle)
{
    SecPkgCred_SupportedProtocols protocols;
    memset(&protocols, 0, sizeof(protocols));
    if (QueryCredentialsAttributesA(handle, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &protocols) != SEC_E_OK) return 0;
    return protocols.grbitProtocol;
}

/* One inbound credential from `t`, expecting `expected`. */
static void check_inbound(struct test_certificate *t, SECURITY_STATUS expected, const char *what)
{
    CredHandle handle;
    SECURITY_STATUS status = acquire_server_schannel_cred(t->cert, 0, &handle);
    ok(status == expected, "%s: SCHANNEL_CRED inbound returned %08lx, expected %08lx\n", what, status, expected);
    if (status == SEC_E_OK) FreeCredentialsHandle(&handle);
    status = acquire_server_sch_credentials(t->cert, 0, 0, &handle);
    ok(status == expected, "%s: SCH_CREDENTIALS inbound returned %08lx, expected %08lx\n", what, status, expected);
    if (status == SEC_E_OK) FreeCredentialsHandle(&handle);
}

static void test_inbound_credentials(void)
{
    struct test_certificate t;
    CredHandle handle;
    SECURITY_STATUS status;
    PCCERT_CONTEXT none = NULL;
    SCHANNEL_CRED cred;
    DWORD protocols;

    /* No certificate: a server has nothing to authenticate with. */
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                       &handle, NULL);
    ok(status == SEC_E_NO_CREDENTIALS, "inbound without auth data returned %08lx\n", status);
    status = acquire_server_sch_credentials(NULL, 0, 0, &handle);
    ok(status == SEC_E_NO_CREDENTIALS, "SCH_CREDENTIALS without certificate returned %08lx\n", status);
    memset(&cred, 0, sizeof(cred));
    cred.dwVersion = SCHANNEL_CRED_VERSION;
    cred.cCreds = 1;
    cred.paCred = &none;
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, &cred, NULL, NULL,
                                       &handle, NULL);
    ok(status == SEC_E_UNKNOWN_CREDENTIALS || broken(status == SEC_E_NO_CREDENTIALS),
       "a null certificate returned %08lx\n", status);
    if (status == SEC_E_OK) FreeCredentialsHandle(&handle);

    /* CAPI container keys, both key specs. */
    if (!make_self_signed(&t, AT_KEYEXCHANGE, CRYPT_EXPORTABLE, FALSE)) {
        skip("CertCreateSelfSignCertificate failed: %08lx\n", GetLastError());
        return;
    }
    check_inbound(&t, SEC_E_OK, "exportable AT_KEYEXCHANGE key");
    /* Windows 11 server defaults: TLS 1.2 with SCHANNEL_CRED, 1.2 and 1.3 with SCH_CREDENTIALS. */
    if (acquire_server_schannel_cred(t.cert, 0, &handle) == SEC_E_OK) {
        protocols = server_protocols(&handle);
        ok(protocols == SP_PROT_TLS1_2_SERVER, "SCHANNEL_CRED server protocols %08lx\n", protocols);
        FreeCredentialsHandle(&handle);
    }
    if (acquire_server_sch_credentials(t.cert, 0, 0, &handle) == SEC_E_OK) {
        protocols = server_protocols(&handle);
        ok(protocols == (SP_PROT_TLS1_2_SERVER | SP_PROT_TLS1_3_SERVER), "SCH_CREDENTIALS server protocols %08lx\n",
           protocols);
        FreeCredentialsHandle(&handle);
    }
    if (acquire_server_sch_credentials(t.cert, 0, SP_PROT_TLS1_3_SERVER, &handle) == SEC_E_OK) {
        protocols = server_protocols(&handle);
        ok(protocols == SP_PROT_TLS1_2_SERVER, "without TLS 1.3: server protocols %08lx\n", protocols);
        FreeCredentialsHandle(&handle);
    }
    /* An outbound credential ignores nothing here: the same certificate
     * for a client is client authentication (not this unit's subject). */
    free_test_certificate(&t);

    if (make_self_signed(&t, AT_SIGNATURE, CRYPT_EXPORTABLE, FALSE))
        check_inbound(&t, SEC_E_OK, "exportable AT_SIGNATURE key");
    free_test_certificate(&t);

    /* Our documented limit: a key that cannot leave its container. */
    if (make_self_signed(&t, AT_KEYEXCHANGE, 0, FALSE))
        check_inbound(&t, is_ours ? SEC_E_UNKNOWN_CREDENTIALS : SEC_E_OK, "non-exportable key");
    free_test_certificate(&t);

    /* A certificate that names no key at all. */
    if (make_self_signed(&t, AT_KEYEXCHANGE, CRYPT_EXPORTABLE, TRUE))
        check_inbound(&t, SEC_E_NO_CREDENTIALS, "certificate without key information");
    free_test_certificate(&t);

    /* PFX imports: persisted key, in-memory key (PKCS12_NO_PERSIST_KEY),
     * and the default non-exportable import. */
    if (import_test_pfx(&t, test_pfx_rsa_base64, CRYPT_EXPORTABLE))
        check_inbound(&t, SEC_E_OK, "PFX, CRYPT_EXPORTABLE");
    else
        ok(0, "RSA PFX import failed: %08lx\n", GetLastError());
    free_test_certificate(&t);
    if (import_test_pfx(&t, test_pfx_rsa_base64, CRYPT_EXPORTABLE | PKCS12_NO_PERSIST_KEY))
        check_inbound(&t, SEC_E_OK, "PFX, CRYPT_EXPORTABLE | PKCS12_NO_PERSIST_KEY");
    else
        ok(0, "RSA PFX import (no persist) failed: %08lx\n", GetLastError());
    free_test_certificate(&t);
    if (import_test_pfx(&t, test_pfx_rsa_base64, 0))
        check_inbound(&t, is_ours ? SEC_E_UNKNOWN_CREDENTIALS : SEC_E_OK, "PFX, default flags");
    free_test_certificate(&t);

    /* ECDSA: Wine 8.0's PFXImportCertStore takes RSA keys only; where the
     * import works (Windows, newer Wine) the key must be usable. */
    if (import_test_pfx(&t, test_pfx_ecdsa_base64, CRYPT_EXPORTABLE))
        check_inbound(&t, SEC_E_OK, "ECDSA PFX, CRYPT_EXPORTABLE");
    else
        skip("this crypt32 cannot import an ECDSA PFX (%08lx)\n", GetLastError());
    free_test_certificate(&t);
}

START_TEST(schannel_server)
{
    is_ours = GetProcAddress(GetModuleHandleA("secur32.dll"), "WineSecur32BuildInfo") != NULL;
    test_inbound_credentials();
}
