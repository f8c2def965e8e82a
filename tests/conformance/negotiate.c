/*
 * Unit "negotiate": the Negotiate package. Under Wine 8 it lives in secur32
 * and picks Kerberos or NTLM; without a KDC that is NTLM, so the same
 * checks as in the ntlm unit apply through Negotiate (sspi_loopback.h):
 * package information, a loopback exchange with A and W calls, context
 * attributes (NEGOTIATION_INFO names the package chosen), message
 * protection both ways, and an EX identity restricted to NTLM by its
 * PackageList. Exchanges need NTLM (Samba's ntlm_auth under Wine).
 */
#include <windows.h>
#include <sspi.h>
#include <rpc.h>

#include "wine/test.h"

static BOOL is_ours;

#include "sspi_loopback.h"

#define NEGOTIATE_REQUIRED_CAPS (SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_CONNECTION | \
                                 SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_EXTENDED_ERROR | \
                                 SECPKG_FLAG_IMPERSONATION | SECPKG_FLAG_ACCEPT_WIN32_NAME | \
                                 SECPKG_FLAG_NEGOTIABLE | SECPKG_FLAG_GSS_COMPATIBLE | SECPKG_FLAG_LOGON)

static void test_package_info(void)
{
    SecPkgInfoA *info_a;
    SecPkgInfoW *info_w;
    SECURITY_STATUS status;

    status = QuerySecurityPackageInfoA((SEC_CHAR *)"Negotiate", &info_a);
    ok(status == SEC_E_OK, "QuerySecurityPackageInfoA returned %#lx\n", status);
    if (status == SEC_E_OK)
    {
        ok(!strcmp(info_a->Name, "Negotiate"), "Name %s\n", wine_dbgstr_a(info_a->Name));
        ok((info_a->fCapabilities & NEGOTIATE_REQUIRED_CAPS) == NEGOTIATE_REQUIRED_CAPS, "fCapabilities %#lx\n",
           info_a->fCapabilities);
        ok(info_a->wVersion == 1, "wVersion %u\n", info_a->wVersion);
        ok(info_a->wRPCID == RPC_C_AUTHN_GSS_NEGOTIATE, "wRPCID %u\n", info_a->wRPCID);
        ok(info_a->cbMaxToken == 12000 || info_a->cbMaxToken == 12256 || info_a->cbMaxToken == 48256,
           "cbMaxToken %lu\n", info_a->cbMaxToken);
        ok(!strcmp(info_a->Comment, "Microsoft Package Negotiator"), "Comment %s\n", wine_dbgstr_a(info_a->Comment));
        FreeContextBuffer(info_a);
    }

    status = QuerySecurityPackageInfoW((SEC_WCHAR *)L"NEGOTIATE", &info_w);
    ok(status == SEC_E_OK, "QuerySecurityPackageInfoW (upper case) returned %#lx\n", status);
    if (status == SEC_E_OK)
    {
        ok(!lstrcmpW(info_w->Name, L"Negotiate"), "Name %s\n", wine_dbgstr_w(info_w->Name));
        ok(info_w->wRPCID == RPC_C_AUTHN_GSS_NEGOTIATE, "wRPCID %u\n", info_w->wRPCID);
        FreeContextBuffer(info_w);
    }
}

/* Credentials of the server side need no identity (under Wine without a
 * Kerberos keytab, Negotiate gets them from NTLM). */
static void test_server_credentials(void)
{
    CredHandle cred;
    TimeStamp expiry;
    SECURITY_STATUS status;

    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Negotiate", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                      &cred, &expiry);
    ok(status == SEC_E_OK, "AcquireCredentialsHandleA returned %#lx\n", status);
    if (status == SEC_E_OK)
    {
        status = FreeCredentialsHandle(&cred);
        ok(status == SEC_E_OK, "FreeCredentialsHandle returned %#lx\n", status);
    }
}

/* An EX identity whose PackageList names NTLM only. */
static void test_package_list(void)
{
    SEC_WINNT_AUTH_IDENTITY_EXW id;
    struct lb_side client;
    TimeStamp expiry;
    SECURITY_STATUS status;

    if (lb_stock_wine())
    {
        skip("stock Wine reads SEC_WINNT_AUTH_IDENTITY_EX as the plain structure\n");
        return;
    }

    memset(&id, 0, sizeof(id));
    id.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
    id.Length = sizeof(id);
    LB_SET_TEST_IDENTITY_W(id);
    id.PackageList = (unsigned short *)L"NTLM";
    id.PackageListLength = 4;

    winetest_push_context("PackageList");
    memset(&client, 0, sizeof(client));
    status = AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)L"Negotiate", SECPKG_CRED_OUTBOUND, NULL, &id, NULL,
                                      NULL, &client.cred, &expiry);
    ok(status == SEC_E_OK, "AcquireCredentialsHandleW returned %#lx\n", status);
    client.has_cred = status == SEC_E_OK;
    if (client.has_cred) lb_peer_exchange(&client, FALSE);
    lb_release(&client, "client");
    winetest_pop_context();
}

START_TEST(negotiate)
{
    SecPkgInfoA *info;

    is_ours = lb_our_secur32();
    if (QuerySecurityPackageInfoA((SEC_CHAR *)"Negotiate", &info) != SEC_E_OK)
    {
        ok(0, "Negotiate is not available\n");
        return;
    }
    FreeContextBuffer(info);
    test_package_info();

    if (QuerySecurityPackageInfoA((SEC_CHAR *)"NTLM", &info) != SEC_E_OK)
    {
        skip("NTLM is not available (under Wine it needs Samba's ntlm_auth, Debian package winbind)\n");
        return;
    }
    FreeContextBuffer(info);

    test_server_credentials();
    lb_test_loopback("Negotiate", TRUE, "NTLM|Negotiate", RPC_C_AUTHN_GSS_NEGOTIATE);
    lb_test_loopback("Negotiate", FALSE, "NTLM|Negotiate", RPC_C_AUTHN_GSS_NEGOTIATE);
    lb_test_peer("Negotiate", TRUE);
    lb_test_peer("Negotiate", FALSE);
    test_package_list();
}
