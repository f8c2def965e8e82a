/*
 * Conformance tests for the rarely used secur32 exports that Wine 8 has as
 * spec stubs: GetSecurityUserInfo, the Sasl* family, SecCacheSspiPackages,
 * SecGetLocaleSpecificEncryptionRules, SecpFreeMemory, SecpTranslateName,
 * SecpTranslateNameEx, SecInitUserModeContext and SecDeleteUserModeContext.
 *
 * Everything is reached through GetProcAddress, so the test builds whatever
 * an import library holds. Under stock Wine calling a spec stub raises an
 * exception, so only the export table is checked there and the calls run
 * against our module alone (recognised by WineSecur32BuildInfo).
 */
#include <windows.h>
#include <sspi.h>
#include <secext.h>
#include <ntsecapi.h>
#include <lmcons.h>

#include "wine/test.h"

#ifndef STATUS_NOT_IMPLEMENTED
#define STATUS_NOT_IMPLEMENTED ((NTSTATUS)0xC0000002L)
#endif

static HMODULE secur32;

static NTSTATUS (WINAPI *pGetSecurityUserInfo)(PLUID, ULONG, void **);
static SECURITY_STATUS (WINAPI *pSaslEnumerateProfilesA)(LPSTR *, ULONG *);
static SECURITY_STATUS (WINAPI *pSaslEnumerateProfilesW)(LPWSTR *, ULONG *);
static SECURITY_STATUS (WINAPI *pSaslGetProfilePackageA)(LPSTR, PSecPkgInfoA *);
static SECURITY_STATUS (WINAPI *pSaslGetProfilePackageW)(LPWSTR, PSecPkgInfoW *);
static SECURITY_STATUS (WINAPI *pSaslIdentifyPackageA)(PSecBufferDesc, PSecPkgInfoA *);
static SECURITY_STATUS (WINAPI *pSaslIdentifyPackageW)(PSecBufferDesc, PSecPkgInfoW *);
static SECURITY_STATUS (WINAPI *pSaslInitializeSecurityContextA)(PCredHandle, PCtxtHandle, LPSTR, ULONG, ULONG, ULONG,
                                                                 PSecBufferDesc, ULONG, PCtxtHandle, PSecBufferDesc,
                                                                 ULONG *, PTimeStamp);
static SECURITY_STATUS (WINAPI *pSaslInitializeSecurityContextW)(PCredHandle, PCtxtHandle, LPWSTR, ULONG, ULONG, ULONG,
                                                                 PSecBufferDesc, ULONG, PCtxtHandle, PSecBufferDesc,
                                                                 ULONG *, PTimeStamp);
static SECURITY_STATUS (WINAPI *pSaslAcceptSecurityContext)(PCredHandle, PCtxtHandle, PSecBufferDesc, ULONG, ULONG,
                                                            PCtxtHandle, PSecBufferDesc, ULONG *, PTimeStamp);
static NTSTATUS (WINAPI *pSecCacheSspiPackages)(void);
static BOOLEAN (WINAPI *pSecGetLocaleSpecificEncryptionRules)(BOOLEAN *);
static void (WINAPI *pSecpFreeMemory)(void *);
static BOOLEAN (WINAPI *pSecpTranslateName)(PWSTR, LPCWSTR, EXTENDED_NAME_FORMAT, EXTENDED_NAME_FORMAT, PWSTR, PULONG);
static BOOLEAN (WINAPI *pSecpTranslateNameEx)(PWSTR, LPCWSTR, EXTENDED_NAME_FORMAT, EXTENDED_NAME_FORMAT *, ULONG,
                                              PWSTR **);
static SECURITY_STATUS (WINAPI *pSecInitUserModeContext)(PCtxtHandle, PSecBuffer);
static SECURITY_STATUS (WINAPI *pSecDeleteUserModeContext)(PCtxtHandle);

#define LOAD(name) (p##name = (void *)GetProcAddress(secur32, #name), \
                    ok(p##name != NULL, #name " not exported\n"), p##name != NULL)

static BOOL load_exports(void)
{
    BOOL all = TRUE;

    all &= LOAD(GetSecurityUserInfo);
    all &= LOAD(SaslEnumerateProfilesA);
    all &= LOAD(SaslEnumerateProfilesW);
    all &= LOAD(SaslGetProfilePackageA);
    all &= LOAD(SaslGetProfilePackageW);
    all &= LOAD(SaslIdentifyPackageA);
    all &= LOAD(SaslIdentifyPackageW);
    all &= LOAD(SaslInitializeSecurityContextA);
    all &= LOAD(SaslInitializeSecurityContextW);
    all &= LOAD(SaslAcceptSecurityContext);
    all &= LOAD(SecCacheSspiPackages);
    all &= LOAD(SecGetLocaleSpecificEncryptionRules);
    all &= LOAD(SecpFreeMemory);
    all &= LOAD(SecpTranslateName);
    all &= LOAD(SecpTranslateNameEx);
    all &= LOAD(SecInitUserModeContext);
    all &= LOAD(SecDeleteUserModeContext);

    /* the two numbered exports keep Windows' ordinals */
    ok((void *)GetProcAddress(secur32, (const char *)1) == (void *)pSecDeleteUserModeContext,
       "ordinal 1 is not SecDeleteUserModeContext\n");
    ok((void *)GetProcAddress(secur32, (const char *)2) == (void *)pSecInitUserModeContext,
       "ordinal 2 is not SecInitUserModeContext\n");
    return all;
}

static void test_GetSecurityUserInfo(void)
{
    void *info = (void *)0xdeadbeef;
    LUID luid = { 0x3e7, 0 }; /* SYSTEM_LUID */
    NTSTATUS status;

    status = pGetSecurityUserInfo(NULL, 0, &info);
    ok(status == STATUS_NOT_IMPLEMENTED, "got %#lx\n", status);
    ok(info == NULL, "info %p\n", info);

    info = (void *)0xdeadbeef;
    status = pGetSecurityUserInfo(&luid, 0, &info);
    ok(status == STATUS_NOT_IMPLEMENTED, "got %#lx\n", status);
    ok(info == NULL, "info %p\n", info);

    status = pGetSecurityUserInfo(&luid, 0, NULL);
    ok(status == STATUS_NOT_IMPLEMENTED, "null output: got %#lx\n", status);
}

static void test_sasl(void)
{
    static char profileA[] = "GSSAPI";
    static WCHAR profileW[] = L"GSSAPI";
    static char targetA[] = "ldap/host.example";
    static WCHAR targetW[] = L"ldap/host.example";
    BYTE token[16] = { 0x60, 0x0e };
    BYTE out_token[64];
    SecBuffer in_buf = { sizeof(token), SECBUFFER_TOKEN, token };
    SecBuffer out_buf = { sizeof(out_token), SECBUFFER_TOKEN, out_token };
    SecBufferDesc in_desc = { SECBUFFER_VERSION, 1, &in_buf };
    SecBufferDesc out_desc = { SECBUFFER_VERSION, 1, &out_buf };
    CredHandle cred = { 0x1234, 0x5678 };
    CtxtHandle ctx = { 0xdead, 0xbeef };
    ULONG attrs = 0xdeadbeef, count;
    TimeStamp expiry;
    SECURITY_STATUS status;
    LPSTR listA;
    LPWSTR listW;
    PSecPkgInfoA infoA;
    PSecPkgInfoW infoW;

    listA = (LPSTR)0xdeadbeef;
    count = 77;
    status = pSaslEnumerateProfilesA(&listA, &count);
    ok(status == SEC_E_UNSUPPORTED_FUNCTION, "SaslEnumerateProfilesA: %#lx\n", status);
    ok(listA == NULL && count == 0, "SaslEnumerateProfilesA: list %p, count %lu\n", listA, count);
    listW = (LPWSTR)0xdeadbeef;
    count = 77;
    status = pSaslEnumerateProfilesW(&listW, &count);
    ok(status == SEC_E_UNSUPPORTED_FUNCTION, "SaslEnumerateProfilesW: %#lx\n", status);
    ok(listW == NULL && count == 0, "SaslEnumerateProfilesW: list %p, count %lu\n", listW, count);
    status = pSaslEnumerateProfilesW(NULL, NULL);
    ok(status == SEC_E_UNSUPPORTED_FUNCTION, "SaslEnumerateProfilesW(NULL, NULL): %#lx\n", status);

    infoA = (PSecPkgInfoA)0xdeadbeef;
    status = pSaslGetProfilePackageA(profileA, &infoA);
    ok(status == SEC_E_UNSUPPORTED_FUNCTION, "SaslGetProfilePackageA: %#lx\n", status);
    ok(infoA == NULL, "SaslGetProfilePackageA: info %p\n", infoA);
    infoW = (PSecPkgInfoW)0xdeadbeef;
    status = pSaslGetProfilePackageW(profileW, &infoW);
    ok(status == SEC_E_UNSUPPORTED_FUNCTION, "SaslGetProfilePackageW: %#lx\n", status);
    ok(infoW == NULL, "SaslGetProfilePackageW: info %p\n", infoW);
    status = pSaslGetProfilePackageW(NULL, NULL);
    ok(status == SEC_E_UNSUPPORTED_FUNCTION, "SaslGetProfilePackageW(NULL, NULL): %#lx\n", status);

    infoA = (PSecPkgInfoA)0xdeadbeef;
    status = pSaslIdentifyPackageA(&in_desc, &infoA);
    ok(status == SEC_E_UNSUPPORTED_FUNCTION, "SaslIdentifyPackageA: %#lx\n", status);
    ok(infoA == NULL, "SaslIdentifyPackageA: info %p\n", infoA);
    infoW = (PSecPkgInfoW)0xdeadbeef;
    status = pSaslIdentifyPackageW(&in_desc, &infoW);
    ok(status == SEC_E_UNSUPPORTED_FUNCTION, "SaslIdentifyPackageW: %#lx\n", status);
    ok(infoW == NULL, "SaslIdentifyPackageW: info %p\n", infoW);

    status = pSaslInitializeSecurityContextA(&cred, NULL, targetA, ISC_REQ_MUTUAL_AUTH, 0, SECURITY_NATIVE_DREP,
                                             NULL, 0, &ctx, &out_desc, &attrs, &expiry);
    ok(status == SEC_E_UNSUPPORTED_FUNCTION, "SaslInitializeSecurityContextA: %#lx\n", status);
    status = pSaslInitializeSecurityContextW(&cred, NULL, targetW, ISC_REQ_MUTUAL_AUTH, 0, SECURITY_NATIVE_DREP,
                                             NULL, 0, &ctx, &out_desc, &attrs, &expiry);
    ok(status == SEC_E_UNSUPPORTED_FUNCTION, "SaslInitializeSecurityContextW: %#lx\n", status);
    status = pSaslAcceptSecurityContext(&cred, NULL, &in_desc, 0, SECURITY_NATIVE_DREP, &ctx, &out_desc, &attrs,
                                        &expiry);
    ok(status == SEC_E_UNSUPPORTED_FUNCTION, "SaslAcceptSecurityContext: %#lx\n", status);
    ok(ctx.dwLower == 0xdead && ctx.dwUpper == 0xbeef, "context handle written\n");
    ok(attrs == 0xdeadbeef, "attributes written\n");
    ok(out_buf.cbBuffer == sizeof(out_token) && out_buf.BufferType == SECBUFFER_TOKEN, "output buffer changed\n");
}

static void test_SecCacheSspiPackages(void)
{
    NTSTATUS status = pSecCacheSspiPackages();
    ok(status == 0, "got %#lx\n", status);
    status = pSecCacheSspiPackages();
    ok(status == 0, "second call: got %#lx\n", status);
}

static void test_SecGetLocaleSpecificEncryptionRules(void)
{
    BOOLEAN permitted = 0xcc, ret;

    ret = pSecGetLocaleSpecificEncryptionRules(&permitted);
    ok(ret == TRUE, "got %u\n", ret);
    ok(permitted == TRUE, "permitted %u\n", permitted);
    ret = pSecGetLocaleSpecificEncryptionRules(NULL);
    ok(ret == FALSE, "null pointer: got %u\n", ret);
}

static void test_Secp_translation(void)
{
    WCHAR computer[MAX_COMPUTERNAME_LENGTH + 1], user[UNLEN + 1], sam[MAX_COMPUTERNAME_LENGTH + UNLEN + 2];
    WCHAR name[64];
    DWORD csize = ARRAY_SIZE(computer), usize = ARRAY_SIZE(user);
    EXTENDED_NAME_FORMAT desired[2] = { NameSamCompatible, NameFullyQualifiedDN };
    EXTENDED_NAME_FORMAT bad_desired = NameUnknown;
    PWSTR *names;
    ULONG size;
    BOOLEAN ret;

    if (!GetComputerNameW(computer, &csize) || !GetUserNameW(user, &usize))
    {
        skip("no computer or user name\n");
        return;
    }
    lstrcpyW(sam, computer);
    lstrcatW(sam, L"\\");
    lstrcatW(sam, user);

    memset(name, 0xcc, sizeof(name));
    size = ARRAY_SIZE(name);
    SetLastError(0xdeadbeef);
    ret = pSecpTranslateName(computer, sam, NameSamCompatible, NameSamCompatible, name, &size);
    ok(!ret && GetLastError() == ERROR_NO_SUCH_DOMAIN, "SecpTranslateName: got %u, error %lu\n", ret, GetLastError());
    ok(size == ARRAY_SIZE(name) && name[0] == 0xcccc, "SecpTranslateName: output touched\n");

    SetLastError(0xdeadbeef);
    ret = pSecpTranslateName(NULL, NULL, NameSamCompatible, NameSamCompatible, name, &size);
    ok(!ret && GetLastError() == ERROR_INVALID_PARAMETER, "SecpTranslateName(NULL name): got %u, error %lu\n", ret,
       GetLastError());

    names = (PWSTR *)0xdeadbeef;
    SetLastError(0xdeadbeef);
    ret = pSecpTranslateNameEx(computer, sam, NameSamCompatible, desired, ARRAY_SIZE(desired), &names);
    ok(!ret && GetLastError() == ERROR_NO_SUCH_DOMAIN, "SecpTranslateNameEx: got %u, error %lu\n", ret,
       GetLastError());
    ok(names == NULL, "SecpTranslateNameEx: names %p\n", names);

    names = (PWSTR *)0xdeadbeef;
    SetLastError(0xdeadbeef);
    ret = pSecpTranslateNameEx(NULL, sam, NameSamCompatible, &bad_desired, 1, &names);
    ok(!ret && GetLastError() == ERROR_INVALID_PARAMETER, "SecpTranslateNameEx(NameUnknown): got %u, error %lu\n",
       ret, GetLastError());
    ok(names == NULL, "SecpTranslateNameEx(NameUnknown): names %p\n", names);

    /* nothing was handed out; freeing nothing (or NULL) is harmless */
    pSecpFreeMemory(NULL);
}

static void test_user_mode_context(void)
{
    CtxtHandle ctx = { 0x1234, 0x5678 };
    BYTE packed[32] = { 0 };
    SecBuffer buffer = { sizeof(packed), SECBUFFER_TOKEN, packed };
    SECURITY_STATUS status;

    status = pSecInitUserModeContext(&ctx, &buffer);
    ok(status == SEC_E_UNSUPPORTED_FUNCTION, "SecInitUserModeContext: %#lx\n", status);
    status = pSecInitUserModeContext(NULL, NULL);
    ok(status == SEC_E_UNSUPPORTED_FUNCTION, "SecInitUserModeContext(NULL, NULL): %#lx\n", status);
    status = pSecDeleteUserModeContext(&ctx);
    ok(status == SEC_E_UNSUPPORTED_FUNCTION, "SecDeleteUserModeContext: %#lx\n", status);
    status = pSecDeleteUserModeContext(NULL);
    ok(status == SEC_E_UNSUPPORTED_FUNCTION, "SecDeleteUserModeContext(NULL): %#lx\n", status);
    ok(ctx.dwLower == 0x1234 && ctx.dwUpper == 0x5678, "context handle written\n");
}

START_TEST(misc_exports)
{
    secur32 = LoadLibraryA("secur32.dll");
    if (!secur32)
    {
        skip("secur32.dll not loadable (error %lu)\n", GetLastError());
        return;
    }

    if (!load_exports())
    {
        FreeLibrary(secur32);
        return;
    }

    if (!GetProcAddress(secur32, "WineSecur32BuildInfo"))
    {
        skip("stock Wine: these exports are spec stubs that raise an exception when called\n");
        FreeLibrary(secur32);
        return;
    }

    test_GetSecurityUserInfo();
    test_sasl();
    test_SecCacheSspiPackages();
    test_SecGetLocaleSpecificEncryptionRules();
    test_Secp_translation();
    test_user_mode_context();

    FreeLibrary(secur32);
}
