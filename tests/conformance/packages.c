/*
 * Unit "packages": EnumerateSecurityPackagesA/W and QuerySecurityPackageInfoA/W.
 *
 * Schannel (under both of its names), Kerberos, Negotiate and - when Samba's
 * ntlm_auth is there - NTLM are listed once each, with the fields stock
 * Wine 8 reports (Windows' values accepted where they differ, e.g. larger
 * maximum token sizes); the A and W forms and both functions agree. Under
 * Wine the order is Wine's: Schannel, Kerberos, NTLM, Negotiate.
 */
#include <windows.h>
#include <sspi.h>
#include <rpc.h>

#include "wine/test.h"

struct expected_package
{
    const char *name;
    const char *comment;          /* NULL: any non-empty comment */
    USHORT rpc_id;
    ULONG required_caps;
    ULONG max_tokens[4];          /* accepted cbMaxToken values; 0 ends; all 0: >= 16384 */
    BOOL optional;                /* NTLM: present only with ntlm_auth under Wine */
};

#define SCHANNEL_CAPS (SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_CONNECTION | \
                       SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_EXTENDED_ERROR | SECPKG_FLAG_IMPERSONATION | \
                       SECPKG_FLAG_ACCEPT_WIN32_NAME | SECPKG_FLAG_STREAM)
#define KERBEROS_CAPS (SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_TOKEN_ONLY | SECPKG_FLAG_DATAGRAM | \
                       SECPKG_FLAG_CONNECTION | SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_EXTENDED_ERROR | \
                       SECPKG_FLAG_IMPERSONATION | SECPKG_FLAG_ACCEPT_WIN32_NAME | SECPKG_FLAG_NEGOTIABLE | \
                       SECPKG_FLAG_GSS_COMPATIBLE | SECPKG_FLAG_LOGON | SECPKG_FLAG_MUTUAL_AUTH | \
                       SECPKG_FLAG_DELEGATION)
#define NTLM_CAPS     (SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_TOKEN_ONLY | SECPKG_FLAG_CONNECTION | \
                       SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_IMPERSONATION | SECPKG_FLAG_ACCEPT_WIN32_NAME | \
                       SECPKG_FLAG_NEGOTIABLE | SECPKG_FLAG_LOGON)
#define NEGOTIATE_CAPS (SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_CONNECTION | \
                        SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_EXTENDED_ERROR | SECPKG_FLAG_IMPERSONATION | \
                        SECPKG_FLAG_ACCEPT_WIN32_NAME | SECPKG_FLAG_NEGOTIABLE | SECPKG_FLAG_GSS_COMPATIBLE | \
                        SECPKG_FLAG_LOGON)

static const struct expected_package expected[] =
{
    { "Microsoft Unified Security Protocol Provider", NULL, RPC_C_AUTHN_GSS_SCHANNEL, SCHANNEL_CAPS, { 0 } },
    { "Schannel", NULL, RPC_C_AUTHN_GSS_SCHANNEL, SCHANNEL_CAPS, { 0 } },
    { "Kerberos", "Microsoft Kerberos V1.0", RPC_C_AUTHN_GSS_KERBEROS, KERBEROS_CAPS, { 12000, 48000, 65535 } },
    { "NTLM", "NTLM Security Package", RPC_C_AUTHN_WINNT, NTLM_CAPS, { 1904, 2888 }, TRUE },
    { "Negotiate", "Microsoft Package Negotiator", RPC_C_AUTHN_GSS_NEGOTIATE, NEGOTIATE_CAPS,
      { 12000, 12256, 48256 } },
};

static BOOL running_on_wine(void)
{
    return GetProcAddress(GetModuleHandleA("ntdll.dll"), "wine_get_version") != NULL;
}

static const SecPkgInfoW *find_w(const SecPkgInfoW *infos, ULONG count, const char *name, int *index, int *copies)
{
    WCHAR name_w[128];
    const SecPkgInfoW *found = NULL;
    ULONG i;

    MultiByteToWideChar(CP_ACP, 0, name, -1, name_w, ARRAY_SIZE(name_w));
    *copies = 0;
    *index = -1;
    for (i = 0; i < count; i++)
    {
        if (!infos[i].Name || lstrcmpW(infos[i].Name, name_w)) continue;
        if (!found) { found = &infos[i]; *index = i; }
        (*copies)++;
    }
    return found;
}

static const SecPkgInfoA *find_a(const SecPkgInfoA *infos, ULONG count, const char *name)
{
    ULONG i;
    for (i = 0; i < count; i++)
        if (infos[i].Name && !strcmp(infos[i].Name, name)) return &infos[i];
    return NULL;
}

static void check_fields(const struct expected_package *e, const SecPkgInfoW *w)
{
    char comment[256];
    int i;
    BOOL token_ok = FALSE;

    ok((w->fCapabilities & e->required_caps) == e->required_caps, "fCapabilities %#lx lack %#lx\n",
       w->fCapabilities, e->required_caps & ~w->fCapabilities);
    ok(w->wVersion == 1, "wVersion %u\n", w->wVersion);
    ok(w->wRPCID == e->rpc_id, "wRPCID %u, expected %u\n", w->wRPCID, e->rpc_id);
    if (!e->max_tokens[0]) token_ok = w->cbMaxToken >= 16384;
    for (i = 0; i < ARRAY_SIZE(e->max_tokens) && e->max_tokens[i]; i++)
        if (w->cbMaxToken == e->max_tokens[i]) token_ok = TRUE;
    ok(token_ok, "cbMaxToken %lu\n", w->cbMaxToken);
    ok(w->Comment != NULL, "no Comment\n");
    if (!w->Comment) return;
    WideCharToMultiByte(CP_ACP, 0, w->Comment, -1, comment, sizeof(comment), NULL, NULL);
    if (e->comment) ok(!strcmp(comment, e->comment), "Comment %s\n", comment);
    else ok(comment[0] != 0, "empty Comment\n");
}

/* The A structure says the same as the W one. */
static void check_same_a(const SecPkgInfoA *a, const SecPkgInfoW *w)
{
    char name[256], comment[256];

    ok(a->fCapabilities == w->fCapabilities, "A fCapabilities %#lx, W %#lx\n", a->fCapabilities, w->fCapabilities);
    ok(a->wVersion == w->wVersion, "A wVersion %u, W %u\n", a->wVersion, w->wVersion);
    ok(a->wRPCID == w->wRPCID, "A wRPCID %u, W %u\n", a->wRPCID, w->wRPCID);
    ok(a->cbMaxToken == w->cbMaxToken, "A cbMaxToken %lu, W %lu\n", a->cbMaxToken, w->cbMaxToken);
    WideCharToMultiByte(CP_ACP, 0, w->Name, -1, name, sizeof(name), NULL, NULL);
    ok(a->Name && !strcmp(a->Name, name), "A Name %s, W %s\n", wine_dbgstr_a(a->Name), name);
    WideCharToMultiByte(CP_ACP, 0, w->Comment ? w->Comment : L"", -1, comment, sizeof(comment), NULL, NULL);
    ok(a->Comment && !strcmp(a->Comment, comment), "A Comment %s, W %s\n", wine_dbgstr_a(a->Comment), comment);
}

static void test_enumerate(void)
{
    SecPkgInfoW *infos_w = NULL, *query_w;
    SecPkgInfoA *infos_a = NULL, *query_a;
    ULONG count_w = 0, count_a = 0;
    int index[ARRAY_SIZE(expected)], copies, i;
    SECURITY_STATUS status;

    status = EnumerateSecurityPackagesW(&count_w, &infos_w);
    ok(status == SEC_E_OK, "EnumerateSecurityPackagesW returned %#lx\n", status);
    if (status != SEC_E_OK) return;
    status = EnumerateSecurityPackagesA(&count_a, &infos_a);
    ok(status == SEC_E_OK, "EnumerateSecurityPackagesA returned %#lx\n", status);
    ok(count_a == count_w, "A lists %lu packages, W %lu\n", count_a, count_w);
    ok(count_w >= 4, "only %lu packages\n", count_w);

    for (i = 0; i < ARRAY_SIZE(expected); i++)
    {
        const struct expected_package *e = &expected[i];
        const SecPkgInfoW *w = find_w(infos_w, count_w, e->name, &index[i], &copies);
        const SecPkgInfoA *a;

        winetest_push_context("%s", e->name);
        if (!w)
        {
            if (e->optional) skip("not listed (under Wine it needs Samba's ntlm_auth)\n");
            else ok(0, "not listed\n");
            winetest_pop_context();
            continue;
        }
        ok(copies == 1, "listed %d times\n", copies);
        check_fields(e, w);

        a = infos_a ? find_a(infos_a, count_a, e->name) : NULL;
        ok(a != NULL, "not listed by EnumerateSecurityPackagesA\n");
        if (a) check_same_a(a, w);

        status = QuerySecurityPackageInfoW(w->Name, &query_w);
        ok(status == SEC_E_OK, "QuerySecurityPackageInfoW returned %#lx\n", status);
        if (status == SEC_E_OK)
        {
            ok(query_w->fCapabilities == w->fCapabilities && query_w->wVersion == w->wVersion &&
               query_w->wRPCID == w->wRPCID && query_w->cbMaxToken == w->cbMaxToken &&
               !lstrcmpW(query_w->Name, w->Name) && !lstrcmpW(query_w->Comment, w->Comment),
               "QuerySecurityPackageInfoW differs from the enumeration\n");
            FreeContextBuffer(query_w);
        }
        status = QuerySecurityPackageInfoA((SEC_CHAR *)e->name, &query_a);
        ok(status == SEC_E_OK, "QuerySecurityPackageInfoA returned %#lx\n", status);
        if (status == SEC_E_OK)
        {
            check_same_a(query_a, w);
            FreeContextBuffer(query_a);
        }
        winetest_pop_context();
    }

    /* Wine lists Schannel, then its LSA packages, then Negotiate. */
    if (running_on_wine())
    {
        ok(index[0] == 0 && index[1] == 1, "Schannel at %d and %d, expected first\n", index[0], index[1]);
        ok(index[2] > index[1], "Kerberos at %d, Schannel at %d\n", index[2], index[1]);
        if (index[3] >= 0) ok(index[3] > index[2], "NTLM at %d, Kerberos at %d\n", index[3], index[2]);
        ok(index[4] > index[2] && index[4] > index[3], "Negotiate at %d, before Kerberos/NTLM (%d, %d)\n",
           index[4], index[2], index[3]);
    }

    ok(FreeContextBuffer(infos_w) == SEC_E_OK, "FreeContextBuffer failed\n");
    if (infos_a) ok(FreeContextBuffer(infos_a) == SEC_E_OK, "FreeContextBuffer failed\n");
}

static void test_query_errors(void)
{
    SecPkgInfoA *info_a = (SecPkgInfoA *)0xdeadbeef;
    SecPkgInfoW *info_w;
    CredHandle cred;
    TimeStamp expiry;
    SECURITY_STATUS status;

    status = QuerySecurityPackageInfoA((SEC_CHAR *)"No Such Package", &info_a);
    ok(status == SEC_E_SECPKG_NOT_FOUND, "QuerySecurityPackageInfoA returned %#lx\n", status);
    status = QuerySecurityPackageInfoW((SEC_WCHAR *)L"No Such Package", &info_w);
    ok(status == SEC_E_SECPKG_NOT_FOUND, "QuerySecurityPackageInfoW returned %#lx\n", status);

    status = QuerySecurityPackageInfoA((SEC_CHAR *)"kerberos", &info_a);
    ok(status == SEC_E_OK, "lower-case kerberos: %#lx\n", status);
    if (status == SEC_E_OK)
    {
        ok(!strcmp(info_a->Name, "Kerberos"), "Name %s\n", wine_dbgstr_a(info_a->Name));
        FreeContextBuffer(info_a);
    }

    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"No Such Package", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
                                      NULL, &cred, &expiry);
    ok(status == SEC_E_SECPKG_NOT_FOUND, "AcquireCredentialsHandleA returned %#lx\n", status);
}

/* The function table callers may use instead of the exports. */
static void test_function_table(void)
{
    SecurityFunctionTableW *table_w = InitSecurityInterfaceW();
    SecurityFunctionTableA *table_a = InitSecurityInterfaceA();
    SecPkgInfoW *infos_w;
    SecPkgInfoA *infos_a;
    ULONG count_exports = 0, count_table = 0;
    SECURITY_STATUS status;

    ok(table_w != NULL, "no W table\n");
    ok(table_a != NULL, "no A table\n");
    if (!table_w || !table_a) return;
    ok(table_w->EnumerateSecurityPackagesW != NULL, "no EnumerateSecurityPackagesW\n");
    ok(table_a->EnumerateSecurityPackagesA != NULL, "no EnumerateSecurityPackagesA\n");
    ok(table_w->QuerySecurityPackageInfoW != NULL, "no QuerySecurityPackageInfoW\n");
    if (!table_w->EnumerateSecurityPackagesW || !table_a->EnumerateSecurityPackagesA) return;

    status = EnumerateSecurityPackagesW(&count_exports, &infos_w);
    ok(status == SEC_E_OK, "EnumerateSecurityPackagesW returned %#lx\n", status);
    if (status == SEC_E_OK) FreeContextBuffer(infos_w);
    status = table_w->EnumerateSecurityPackagesW(&count_table, &infos_w);
    ok(status == SEC_E_OK, "table EnumerateSecurityPackagesW returned %#lx\n", status);
    if (status == SEC_E_OK) table_w->FreeContextBuffer(infos_w);
    ok(count_table == count_exports, "table lists %lu packages, export %lu\n", count_table, count_exports);

    status = table_a->EnumerateSecurityPackagesA(&count_table, &infos_a);
    ok(status == SEC_E_OK, "table EnumerateSecurityPackagesA returned %#lx\n", status);
    if (status == SEC_E_OK) table_a->FreeContextBuffer(infos_a);
    ok(count_table == count_exports, "A table lists %lu packages, export %lu\n", count_table, count_exports);
}

START_TEST(packages)
{
    test_enumerate();
    test_query_errors();
    test_function_table();
}
