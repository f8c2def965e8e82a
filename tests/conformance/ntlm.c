/*
 * Unit "ntlm": the NTLM package (Wine's msv1_0.dll hosted by secur32).
 *
 * - package information;
 * - a loopback exchange ISC -> ASC -> ISC -> ASC between a client and a
 *   server context in this process, with A and W calls, then the client's
 *   context attributes (SIZES, NAMES, PACKAGE_INFO, NEGOTIATION_INFO, FLAGS);
 * - MakeSignature/VerifySignature and EncryptMessage/DecryptMessage in both
 *   directions: between the two contexts when the server could verify the
 *   user, and always against a local NTLM peer that knows the password
 *   (ntlm_peer.h);
 * - ISC_REQ_ALLOCATE_MEMORY and SEC_WINNT_AUTH_IDENTITY_EX identities.
 *
 * Under Wine NTLM needs Samba's ntlm_auth: without it the package is absent
 * and the unit skips, as Wine's own tests do.
 */
#include <windows.h>
#include <sspi.h>
#include <rpc.h>

#include "wine/test.h"

static BOOL is_ours;

#include "sspi_loopback.h"

#define NTLM_REQUIRED_CAPS (SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_TOKEN_ONLY | \
                            SECPKG_FLAG_CONNECTION | SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_IMPERSONATION | \
                            SECPKG_FLAG_ACCEPT_WIN32_NAME | SECPKG_FLAG_NEGOTIABLE | SECPKG_FLAG_LOGON)

static void test_package_info(void)
{
    SecPkgInfoA *info_a;
    SecPkgInfoW *info_w;
    SECURITY_STATUS status;

    status = QuerySecurityPackageInfoA((SEC_CHAR *)"NTLM", &info_a);
    ok(status == SEC_E_OK, "QuerySecurityPackageInfoA returned %#lx\n", status);
    if (status == SEC_E_OK)
    {
        ok(!strcmp(info_a->Name, "NTLM"), "Name %s\n", wine_dbgstr_a(info_a->Name));
        ok((info_a->fCapabilities & NTLM_REQUIRED_CAPS) == NTLM_REQUIRED_CAPS, "fCapabilities %#lx\n",
           info_a->fCapabilities);
        ok(info_a->wVersion == 1, "wVersion %u\n", info_a->wVersion);
        ok(info_a->wRPCID == RPC_C_AUTHN_WINNT, "wRPCID %u\n", info_a->wRPCID);
        ok(info_a->cbMaxToken == 1904 || info_a->cbMaxToken == 2888, "cbMaxToken %lu\n", info_a->cbMaxToken);
        ok(info_a->Comment && info_a->Comment[0], "no Comment\n");
        FreeContextBuffer(info_a);
    }

    status = QuerySecurityPackageInfoW((SEC_WCHAR *)L"ntlm", &info_w);
    ok(status == SEC_E_OK, "QuerySecurityPackageInfoW (lower case) returned %#lx\n", status);
    if (status == SEC_E_OK)
    {
        ok(!lstrcmpW(info_w->Name, L"NTLM"), "Name %s\n", wine_dbgstr_w(info_w->Name));
        ok(info_w->wRPCID == RPC_C_AUTHN_WINNT, "wRPCID %u\n", info_w->wRPCID);
        FreeContextBuffer(info_w);
    }
}

/* The package allocates the output token; FreeContextBuffer releases it. */
static void test_allocate_memory(void)
{
    struct lb_side client;
    SecBuffer out_buf = { 0, SECBUFFER_TOKEN, NULL };
    SecBufferDesc out_desc = { SECBUFFER_VERSION, 1, &out_buf };
    CtxtHandle ctx;
    ULONG attrs = 0;
    TimeStamp expiry;
    SECURITY_STATUS status;

    status = lb_acquire(&client, "NTLM", FALSE, TRUE);
    ok(status == SEC_E_OK, "AcquireCredentialsHandle returned %#lx\n", status);
    if (status != SEC_E_OK) return;

    status = InitializeSecurityContextW(&client.cred, NULL, (SEC_WCHAR *)L"localhost",
                                        LB_ISC_FLAGS | ISC_REQ_ALLOCATE_MEMORY, 0, SECURITY_NATIVE_DREP, NULL, 0,
                                        &ctx, &out_desc, &attrs, &expiry);
    ok(status == SEC_I_CONTINUE_NEEDED, "ISC returned %#lx\n", status);
    if (status == SEC_I_CONTINUE_NEEDED)
    {
        client.ctx = ctx;
        client.has_ctx = TRUE;
        ok(out_buf.pvBuffer != NULL, "no token allocated\n");
        ok(out_buf.cbBuffer > 0, "empty token\n");
        ok(ntlm_is_message(out_buf.pvBuffer, out_buf.cbBuffer, 1), "not an NTLM NEGOTIATE message\n");
        status = FreeContextBuffer(out_buf.pvBuffer);
        ok(status == SEC_E_OK, "FreeContextBuffer returned %#lx\n", status);
    }
    lb_release(&client, "client");
}

/* SEC_WINNT_AUTH_IDENTITY_EXW / EXA carry the same identity. */
static void test_identity_ex(void)
{
    SEC_WINNT_AUTH_IDENTITY_EXW id_w;
    SEC_WINNT_AUTH_IDENTITY_EXA id_a;
    struct lb_side client;
    TimeStamp expiry;
    SECURITY_STATUS status;

    if (lb_stock_wine())
    {
        skip("stock Wine reads SEC_WINNT_AUTH_IDENTITY_EX as the plain structure\n");
        return;
    }

    memset(&id_w, 0, sizeof(id_w));
    id_w.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
    id_w.Length = sizeof(id_w);
    LB_SET_TEST_IDENTITY_W(id_w);

    winetest_push_context("EXW");
    memset(&client, 0, sizeof(client));
    status = AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)L"NTLM", SECPKG_CRED_OUTBOUND, NULL, &id_w, NULL, NULL,
                                      &client.cred, &expiry);
    ok(status == SEC_E_OK, "AcquireCredentialsHandleW returned %#lx\n", status);
    client.has_cred = status == SEC_E_OK;
    if (client.has_cred) lb_peer_exchange(&client, FALSE);
    lb_release(&client, "client");
    winetest_pop_context();

    memset(&id_a, 0, sizeof(id_a));
    id_a.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
    id_a.Length = sizeof(id_a);
    LB_SET_TEST_IDENTITY_A(id_a);

    winetest_push_context("EXA");
    memset(&client, 0, sizeof(client));
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"NTLM", SECPKG_CRED_OUTBOUND, NULL, &id_a, NULL, NULL,
                                      &client.cred, &expiry);
    ok(status == SEC_E_OK, "AcquireCredentialsHandleA returned %#lx\n", status);
    client.has_cred = status == SEC_E_OK;
    if (client.has_cred) lb_peer_exchange(&client, TRUE);
    lb_release(&client, "client");
    winetest_pop_context();
}

START_TEST(ntlm)
{
    SecPkgInfoA *info;

    is_ours = lb_our_secur32();
    if (QuerySecurityPackageInfoA((SEC_CHAR *)"NTLM", &info) != SEC_E_OK)
    {
        skip("NTLM is not available (under Wine it needs Samba's ntlm_auth, Debian package winbind)\n");
        return;
    }
    FreeContextBuffer(info);

    test_package_info();
    lb_test_loopback("NTLM", TRUE, "NTLM", RPC_C_AUTHN_WINNT);
    lb_test_loopback("NTLM", FALSE, "NTLM", RPC_C_AUTHN_WINNT);
    lb_test_peer("NTLM", TRUE);
    lb_test_peer("NTLM", FALSE);
    test_allocate_memory();
    test_identity_ex();
}
