/*
 * Conformance tests for the name exports of secur32: GetUserNameExA/W,
 * GetComputerObjectNameA/W and TranslateNameA/W.
 *
 * They pass against stock Wine 8's secur32 and against ours. Where Wine 8
 * crashes (null size pointers, a null buffer with a large size) the calls
 * run only against our module, recognised by its WineSecur32BuildInfo
 * export. Where our module deliberately reports something more precise
 * than Wine (an error code Wine leaves unset, an exact size Wine
 * overstates) the stricter check applies to ours only, and the comment says
 * what stock Wine does.
 */
#include <windows.h>
#include <sspi.h>
#include <secext.h>
#include <ntsecapi.h>
#include <lmcons.h>

#include "wine/test.h"

static BOOLEAN (SEC_ENTRY *pGetUserNameExA)(EXTENDED_NAME_FORMAT, LPSTR, PULONG);
static BOOLEAN (SEC_ENTRY *pGetUserNameExW)(EXTENDED_NAME_FORMAT, LPWSTR, PULONG);
static BOOLEAN (SEC_ENTRY *pGetComputerObjectNameA)(EXTENDED_NAME_FORMAT, LPSTR, PULONG);
static BOOLEAN (SEC_ENTRY *pGetComputerObjectNameW)(EXTENDED_NAME_FORMAT, LPWSTR, PULONG);
static BOOLEAN (SEC_ENTRY *pTranslateNameA)(LPCSTR, EXTENDED_NAME_FORMAT, EXTENDED_NAME_FORMAT, LPSTR, PULONG);
static BOOLEAN (SEC_ENTRY *pTranslateNameW)(LPCWSTR, EXTENDED_NAME_FORMAT, EXTENDED_NAME_FORMAT, LPWSTR, PULONG);

static BOOL is_ours;

/* Every format value up to a little past the last defined one. */
#define LAST_FORMAT_TESTED 20

/* Formats GetUserNameEx knows but cannot map for a local account. */
static BOOL user_format_unmapped(int format)
{
    switch (format)
    {
    case NameUnknown: case NameFullyQualifiedDN: case NameDisplay: case NameUniqueId:
    case NameCanonical: case NameUserPrincipal: case NameCanonicalEx:
    case NameServicePrincipal: case NameDnsDomain:
        return TRUE;
    }
    return FALSE;
}

/* Formats GetComputerObjectName needs a directory service for. */
static BOOL computer_format_needs_directory(int format)
{
    switch (format)
    {
    case NameDisplay: case NameUniqueId: case NameCanonical: case NameUserPrincipal:
    case NameCanonicalEx: case NameServicePrincipal: case NameDnsDomain:
        return TRUE;
    }
    return FALSE;
}

/* "COMPUTER\user" from the system's own calls, as Wine builds it. */
static BOOL expected_sam_name(WCHAR *name, DWORD count)
{
    WCHAR computer[MAX_COMPUTERNAME_LENGTH + 1], user[UNLEN + 1];
    DWORD size = ARRAY_SIZE(computer);

    if (!GetComputerNameW(computer, &size)) return FALSE;
    size = ARRAY_SIZE(user);
    if (!GetUserNameW(user, &size)) return FALSE;
    if (lstrlenW(computer) + 1 + lstrlenW(user) + 1 > (int)count) return FALSE;
    lstrcpyW(name, computer);
    lstrcatW(name, L"\\");
    lstrcatW(name, user);
    return TRUE;
}

static void test_GetUserNameExW(void)
{
    WCHAR expected[MAX_COMPUTERNAME_LENGTH + UNLEN + 2], name[256];
    ULONG size, len;
    BOOLEAN rc;
    int format, i;

    if (!expected_sam_name(expected, ARRAY_SIZE(expected)))
    {
        skip("cannot build the expected SAM name (error %lu)\n", GetLastError());
        return;
    }
    len = lstrlenW(expected);
    trace("user: %s\n", wine_dbgstr_w(expected));

    for (format = 0; format <= LAST_FORMAT_TESTED; format++)
    {
        winetest_push_context("format %d", format);
        memset(name, 0xcc, sizeof(name));
        size = ARRAY_SIZE(name);
        SetLastError(0xdeadbeef);
        rc = pGetUserNameExW(format, name, &size);
        if (format == NameSamCompatible)
        {
            ok(rc, "failed, error %lu\n", GetLastError());
            ok(!lstrcmpW(name, expected), "got %s, expected %s\n", wine_dbgstr_w(name), wine_dbgstr_w(expected));
            ok(size == len, "size %lu, expected %lu (terminator excluded)\n", size, len);
        }
        else
        {
            DWORD error = user_format_unmapped(format) ? ERROR_NONE_MAPPED : ERROR_INVALID_PARAMETER;
            ok(!rc, "succeeded\n");
            ok(GetLastError() == error, "error %lu, expected %lu\n", GetLastError(), error);
            ok(size == ARRAY_SIZE(name), "size changed to %lu\n", size);
            ok(name[0] == 0xcccc, "buffer written\n");

            /* the size pointer is not looked at for these */
            SetLastError(0xdeadbeef);
            rc = pGetUserNameExW(format, name, NULL);
            ok(!rc && GetLastError() == error, "null size: got %d, error %lu\n", rc, GetLastError());
        }
        winetest_pop_context();
    }

    /* size queries: no buffer, or one too small; all report length + 1 */
    size = 0;
    SetLastError(0xdeadbeef);
    rc = pGetUserNameExW(NameSamCompatible, NULL, &size);
    ok(!rc && GetLastError() == ERROR_MORE_DATA, "got %d, error %lu\n", rc, GetLastError());
    ok(size == len + 1, "size %lu, expected %lu\n", size, len + 1);

    for (i = 0; i < 3; i++)
    {
        ULONG small = i == 0 ? 0 : i == 1 ? 1 : len; /* len leaves no room for the terminator */
        memset(name, 0xcc, sizeof(name));
        size = small;
        SetLastError(0xdeadbeef);
        rc = pGetUserNameExW(NameSamCompatible, name, &size);
        ok(!rc && GetLastError() == ERROR_MORE_DATA, "size %lu: got %d, error %lu\n", small, rc, GetLastError());
        ok(size == len + 1, "size %lu: reported %lu, expected %lu\n", small, size, len + 1);
        ok(name[0] == 0xcccc, "size %lu: buffer written\n", small);
    }

    /* exactly enough: nothing written past the terminator */
    memset(name, 0xcc, sizeof(name));
    size = len + 1;
    rc = pGetUserNameExW(NameSamCompatible, name, &size);
    ok(rc, "exact size failed, error %lu\n", GetLastError());
    ok(size == len, "size %lu, expected %lu\n", size, len);
    ok(!lstrcmpW(name, expected), "got %s\n", wine_dbgstr_w(name));
    ok(name[len + 1] == 0xcccc, "wrote past the terminator\n");

    if (!is_ours)
    {
        skip("stock Wine crashes on a null size pointer or a null buffer with a large size\n");
        return;
    }
    SetLastError(0xdeadbeef);
    rc = pGetUserNameExW(NameSamCompatible, name, NULL);
    ok(!rc && GetLastError() == ERROR_INVALID_PARAMETER, "null size: got %d, error %lu\n", rc, GetLastError());
    size = 1000;
    SetLastError(0xdeadbeef);
    rc = pGetUserNameExW(NameSamCompatible, NULL, &size);
    ok(!rc && GetLastError() == ERROR_MORE_DATA, "null buffer: got %d, error %lu\n", rc, GetLastError());
    ok(size == len + 1, "null buffer: size %lu, expected %lu\n", size, len + 1);
}

static void test_GetUserNameExA(void)
{
    WCHAR expectedW[MAX_COMPUTERNAME_LENGTH + UNLEN + 2];
    char expected[4 * ARRAY_SIZE(expectedW)], name[256];
    ULONG size, len;
    BOOLEAN rc;
    int format, i;

    if (!expected_sam_name(expectedW, ARRAY_SIZE(expectedW)) ||
        !WideCharToMultiByte(CP_ACP, 0, expectedW, -1, expected, sizeof(expected), NULL, NULL))
    {
        skip("cannot build the expected SAM name (error %lu)\n", GetLastError());
        return;
    }
    len = strlen(expected);

    for (format = 0; format <= LAST_FORMAT_TESTED; format++)
    {
        winetest_push_context("format %d", format);
        memset(name, 0xcc, sizeof(name));
        size = sizeof(name);
        SetLastError(0xdeadbeef);
        rc = pGetUserNameExA(format, name, &size);
        if (format == NameSamCompatible)
        {
            ok(rc, "failed, error %lu\n", GetLastError());
            ok(!strcmp(name, expected), "got %s, expected %s\n", name, expected);
            ok(size == len, "size %lu, expected %lu (terminator excluded)\n", size, len);
        }
        else
        {
            DWORD error = user_format_unmapped(format) ? ERROR_NONE_MAPPED : ERROR_INVALID_PARAMETER;
            ok(!rc, "succeeded\n");
            ok(GetLastError() == error, "error %lu, expected %lu\n", GetLastError(), error);
            ok(size == sizeof(name), "size changed to %lu\n", size);
            ok(name[0] == (char)0xcc, "buffer written\n");
        }
        winetest_pop_context();
    }

    /* Sizes count bytes of the ANSI form. (Stock Wine reports the UTF-16
     * length + 1 on these failures; the two agree for ASCII names.) */
    size = 0;
    SetLastError(0xdeadbeef);
    rc = pGetUserNameExA(NameSamCompatible, NULL, &size);
    ok(!rc && GetLastError() == ERROR_MORE_DATA, "got %d, error %lu\n", rc, GetLastError());
    ok(size == len + 1, "size %lu, expected %lu\n", size, len + 1);

    for (i = 0; i < 3; i++)
    {
        ULONG small = i == 0 ? 0 : i == 1 ? 1 : len;
        memset(name, 0xcc, sizeof(name));
        size = small;
        SetLastError(0xdeadbeef);
        rc = pGetUserNameExA(NameSamCompatible, name, &size);
        ok(!rc && GetLastError() == ERROR_MORE_DATA, "size %lu: got %d, error %lu\n", small, rc, GetLastError());
        ok(size == len + 1, "size %lu: reported %lu, expected %lu\n", small, size, len + 1);
        ok(name[0] == (char)0xcc, "size %lu: buffer written\n", small);
    }

    memset(name, 0xcc, sizeof(name));
    size = len + 1;
    rc = pGetUserNameExA(NameSamCompatible, name, &size);
    ok(rc, "exact size failed, error %lu\n", GetLastError());
    ok(size == len, "size %lu, expected %lu\n", size, len);
    ok(!strcmp(name, expected), "got %s\n", name);
    ok(name[len + 1] == (char)0xcc, "wrote past the terminator\n");

    if (!is_ours)
    {
        skip("stock Wine crashes on a null size pointer or a null buffer with a large size\n");
        return;
    }
    for (format = 0; format <= LAST_FORMAT_TESTED; format++)
    {
        DWORD error = format == NameSamCompatible ? ERROR_INVALID_PARAMETER :
                      user_format_unmapped(format) ? ERROR_NONE_MAPPED : ERROR_INVALID_PARAMETER;
        SetLastError(0xdeadbeef);
        rc = pGetUserNameExA(format, name, NULL);
        ok(!rc && GetLastError() == error, "format %d, null size: got %d, error %lu\n", format, rc, GetLastError());
    }
    size = 1000;
    SetLastError(0xdeadbeef);
    rc = pGetUserNameExA(NameSamCompatible, NULL, &size);
    ok(!rc && GetLastError() == ERROR_MORE_DATA, "null buffer: got %d, error %lu\n", rc, GetLastError());
    ok(size == len + 1, "null buffer: size %lu, expected %lu\n", size, len + 1);
}

/* Checks the shape of a computer name: "[DOMAIN\]COMPUTER$" or
 * "CN=COMPUTER,CN=Computers{,DC=label}". */
static void check_computer_name(int format, const WCHAR *name, const WCHAR *computer)
{
    int len = lstrlenW(name), clen = lstrlenW(computer);

    if (format == NameSamCompatible)
    {
        const WCHAR *slash = wcsrchr(name, '\\');
        const WCHAR *account = slash ? slash + 1 : name;
        ok(lstrlenW(account) == clen + 1 && !wcsncmp(account, computer, clen) && account[clen] == '$',
           "unexpected SAM name %s\n", wine_dbgstr_w(name));
    }
    else
    {
        WCHAR prefix[MAX_COMPUTERNAME_LENGTH + 32];
        const WCHAR *rest;

        lstrcpyW(prefix, L"CN=");
        lstrcatW(prefix, computer);
        lstrcatW(prefix, L",CN=Computers");
        ok(len >= lstrlenW(prefix) && !wcsncmp(name, prefix, lstrlenW(prefix)), "unexpected DN %s\n", wine_dbgstr_w(name));
        if (len < lstrlenW(prefix)) return;
        for (rest = name + lstrlenW(prefix); *rest; )
        {
            ok(!wcsncmp(rest, L",DC=", 4), "unexpected DN component in %s\n", wine_dbgstr_w(name));
            if (wcsncmp(rest, L",DC=", 4)) break;
            rest += 4;
            while (*rest && *rest != ',') rest++;
        }
    }
}

static void test_GetComputerObjectNameW(void)
{
    WCHAR computer[MAX_COMPUTERNAME_LENGTH + 1], name[256];
    DWORD csize = ARRAY_SIZE(computer);
    ULONG size, required;
    BOOLEAN rc;
    int format;

    if (!GetComputerNameW(computer, &csize))
    {
        skip("GetComputerNameW failed, error %lu\n", GetLastError());
        return;
    }

    for (format = 0; format <= LAST_FORMAT_TESTED; format++)
    {
        winetest_push_context("format %d", format);

        size = 0;
        SetLastError(0xdeadbeef);
        rc = pGetComputerObjectNameW(format, NULL, &size);
        ok(!rc, "size query succeeded\n");
        if (format == NameSamCompatible || format == NameFullyQualifiedDN)
        {
            ULONG len;

            if (GetLastError() == ERROR_CANT_ACCESS_DOMAIN_INFO)
            {
                skip("the LSA policy has no domain SID\n");
                winetest_pop_context();
                continue;
            }
            ok(GetLastError() == ERROR_INSUFFICIENT_BUFFER, "error %lu\n", GetLastError());
            required = size;
            ok(required > 1 && required < ARRAY_SIZE(name), "required size %lu\n", required);
            if (required <= 1 || required >= ARRAY_SIZE(name)) { winetest_pop_context(); continue; }

            /* a null buffer is a size query whatever the size says */
            size = ARRAY_SIZE(name);
            SetLastError(0xdeadbeef);
            rc = pGetComputerObjectNameW(format, NULL, &size);
            ok(!rc && GetLastError() == ERROR_INSUFFICIENT_BUFFER, "null buffer: got %d, error %lu\n", rc, GetLastError());
            ok(size == required, "null buffer: size %lu, expected %lu\n", size, required);

            /* one too small: nothing written */
            memset(name, 0xcc, sizeof(name));
            size = required - 1;
            SetLastError(0xdeadbeef);
            rc = pGetComputerObjectNameW(format, name, &size);
            ok(!rc && GetLastError() == ERROR_INSUFFICIENT_BUFFER, "too small: got %d, error %lu\n", rc, GetLastError());
            ok(size == required, "too small: size %lu, expected %lu\n", size, required);
            ok(name[0] == 0xcccc, "too small: buffer written\n");

            /* exactly the reported size */
            memset(name, 0xcc, sizeof(name));
            size = required;
            rc = pGetComputerObjectNameW(format, name, &size);
            ok(rc, "exact size failed, error %lu\n", GetLastError());
            len = lstrlenW(name);
            ok(size == required, "size %lu, expected %lu\n", size, required);
            ok(name[required] == 0xcccc, "wrote past the buffer\n");
            /* Stock Wine overstates the SAM size by the domain's length when
             * the host has a DNS domain (it adds bytes, not characters). */
            if (is_ours || format == NameFullyQualifiedDN)
                ok(required == len + 1, "required %lu for %s\n", required, wine_dbgstr_w(name));
            else
                ok(required >= len + 1, "required %lu for %s\n", required, wine_dbgstr_w(name));
            check_computer_name(format, name, computer);
            trace("%s\n", wine_dbgstr_w(name));

            /* a large buffer: success reports the size including the
             * terminator (stock Wine leaves it alone for NameSamCompatible) */
            memset(name, 0xcc, sizeof(name));
            size = ARRAY_SIZE(name);
            rc = pGetComputerObjectNameW(format, name, &size);
            ok(rc, "large buffer failed, error %lu\n", GetLastError());
            ok(size == len + 1 || (!is_ours && format == NameSamCompatible && size == ARRAY_SIZE(name)),
               "large buffer: size %lu, expected %lu\n", size, len + 1);
            ok(name[len + 1] == 0xcccc, "wrote past the terminator\n");

            if (is_ours)
            {
                SetLastError(0xdeadbeef);
                rc = pGetComputerObjectNameW(format, name, NULL);
                ok(!rc && GetLastError() == ERROR_INVALID_PARAMETER, "null size: got %d, error %lu\n", rc, GetLastError());
            }
        }
        else
        {
            DWORD error = computer_format_needs_directory(format) ? ERROR_CANT_ACCESS_DOMAIN_INFO : ERROR_INVALID_PARAMETER;
            ok(GetLastError() == error, "error %lu, expected %lu\n", GetLastError(), error);
            ok(size == 0, "size changed to %lu\n", size);

            memset(name, 0xcc, sizeof(name));
            size = ARRAY_SIZE(name);
            SetLastError(0xdeadbeef);
            rc = pGetComputerObjectNameW(format, name, &size);
            ok(!rc && GetLastError() == error, "got %d, error %lu\n", rc, GetLastError());
            ok(size == ARRAY_SIZE(name), "size changed to %lu\n", size);
            ok(name[0] == 0xcccc, "buffer written\n");

            /* the size pointer is not looked at for these */
            SetLastError(0xdeadbeef);
            rc = pGetComputerObjectNameW(format, name, NULL);
            ok(!rc && GetLastError() == error, "null size: got %d, error %lu\n", rc, GetLastError());
        }
        winetest_pop_context();
    }
}

static void test_GetComputerObjectNameA(void)
{
    static const int formats[] = { NameFullyQualifiedDN, NameSamCompatible };
    char name[256];
    WCHAR nameW[256];
    ULONG size, sizeW, required;
    BOOLEAN rc;
    int format, i;

    for (format = 0; format <= LAST_FORMAT_TESTED; format++)
    {
        DWORD error;
        if (format == NameSamCompatible || format == NameFullyQualifiedDN) continue;
        error = computer_format_needs_directory(format) ? ERROR_CANT_ACCESS_DOMAIN_INFO : ERROR_INVALID_PARAMETER;
        memset(name, 0xcc, sizeof(name));
        size = sizeof(name);
        SetLastError(0xdeadbeef);
        rc = pGetComputerObjectNameA(format, name, &size);
        ok(!rc && GetLastError() == error, "format %d: got %d, error %lu, expected %lu\n", format, rc, GetLastError(), error);
        ok(size == sizeof(name), "format %d: size changed to %lu\n", format, size);
        ok(name[0] == (char)0xcc, "format %d: buffer written\n", format);
    }

    for (i = 0; i < (int)ARRAY_SIZE(formats); i++)
    {
        char expected[4 * ARRAY_SIZE(nameW)];
        ULONG len;

        format = formats[i];
        winetest_push_context("format %d", format);

        sizeW = ARRAY_SIZE(nameW);
        if (!pGetComputerObjectNameW(format, nameW, &sizeW))
        {
            skip("no W name (error %lu)\n", GetLastError());
            winetest_pop_context();
            continue;
        }
        WideCharToMultiByte(CP_ACP, 0, nameW, -1, expected, sizeof(expected), NULL, NULL);
        len = strlen(expected);

        size = 0;
        SetLastError(0xdeadbeef);
        rc = pGetComputerObjectNameA(format, NULL, &size);
        ok(!rc && GetLastError() == ERROR_INSUFFICIENT_BUFFER, "size query: got %d, error %lu\n", rc, GetLastError());
        required = size;
        if (is_ours || format == NameFullyQualifiedDN)
            ok(required == len + 1, "required %lu, expected %lu\n", required, len + 1);
        else
            ok(required >= len + 1, "required %lu, expected at least %lu\n", required, len + 1);
        if (required <= 1 || required >= sizeof(name)) { winetest_pop_context(); continue; }

        memset(name, 0xcc, sizeof(name));
        size = required - 1;
        SetLastError(0xdeadbeef);
        rc = pGetComputerObjectNameA(format, name, &size);
        ok(!rc && GetLastError() == ERROR_INSUFFICIENT_BUFFER, "too small: got %d, error %lu\n", rc, GetLastError());
        ok(size == required, "too small: size %lu, expected %lu\n", size, required);
        ok(name[0] == (char)0xcc, "too small: buffer written\n");

        memset(name, 0xcc, sizeof(name));
        size = sizeof(name);
        rc = pGetComputerObjectNameA(format, name, &size);
        ok(rc, "failed, error %lu\n", GetLastError());
        ok(!strcmp(name, expected), "got %s, expected %s\n", name, expected);
        ok(size == len + 1, "size %lu, expected %lu (terminator included)\n", size, len + 1);
        ok(name[len + 1] == (char)0xcc, "wrote past the terminator\n");

        if (is_ours)
        {
            SetLastError(0xdeadbeef);
            rc = pGetComputerObjectNameA(format, name, NULL);
            ok(!rc && GetLastError() == ERROR_INVALID_PARAMETER, "null size: got %d, error %lu\n", rc, GetLastError());
        }
        winetest_pop_context();
    }

    size = sizeof(name);
    SetLastError(0xdeadbeef);
    rc = pGetComputerObjectNameA(NameUnknown, name, &size);
    ok(!rc && GetLastError() == ERROR_INVALID_PARAMETER, "NameUnknown: got %d, error %lu\n", rc, GetLastError());
}

/* TranslateName needs an Active Directory domain controller. A Wine prefix
 * has none, so every translation fails, including the round trip of the
 * user's own SAM name. Stock Wine returns FALSE without setting an error;
 * ours says ERROR_NO_SUCH_DOMAIN (ERROR_INVALID_PARAMETER for bad
 * arguments). Neither touches the buffer or the size. */
static void test_TranslateNameW(void)
{
    WCHAR sam[MAX_COMPUTERNAME_LENGTH + UNLEN + 2], name[256];
    static const struct
    {
        const WCHAR *account;
        int from, to;
        BOOL null_size;
        DWORD error;
    } bad[] =
    {
        { NULL, NameSamCompatible, NameSamCompatible, FALSE, ERROR_INVALID_PARAMETER },
        { L"X\\y", NameSamCompatible, NameSamCompatible, TRUE, ERROR_INVALID_PARAMETER },
        { L"X\\y", NameSamCompatible, NameUnknown, FALSE, ERROR_INVALID_PARAMETER },
        { L"X\\y", NameSamCompatible, 5, FALSE, ERROR_INVALID_PARAMETER },
        { L"X\\y", 11, NameSamCompatible, FALSE, ERROR_INVALID_PARAMETER },
        { L"X\\y", NameUnknown, NameFullyQualifiedDN, FALSE, ERROR_NO_SUCH_DOMAIN },
        { L"CN=y,CN=Users,DC=x", NameFullyQualifiedDN, NameSamCompatible, FALSE, ERROR_NO_SUCH_DOMAIN },
        { L"y@x.example", NameUserPrincipal, NameDisplay, FALSE, ERROR_NO_SUCH_DOMAIN },
    };
    ULONG size, len;
    BOOLEAN rc;
    int i;

    if (!expected_sam_name(sam, ARRAY_SIZE(sam)))
    {
        skip("cannot build the user's SAM name\n");
        return;
    }
    len = lstrlenW(sam);

    /* round trip: NameSamCompatible -> NameSamCompatible */
    memset(name, 0xcc, sizeof(name));
    size = ARRAY_SIZE(name);
    SetLastError(0xdeadbeef);
    rc = pTranslateNameW(sam, NameSamCompatible, NameSamCompatible, name, &size);
    if (rc)
    {
        /* only where a directory answers (a domain-joined Windows) */
        ok(!is_ours, "our module has no directory service and must not translate\n");
        ok(!lstrcmpiW(name, sam), "round trip gave %s for %s\n", wine_dbgstr_w(name), wine_dbgstr_w(sam));
        ok(size == len + 1, "size %lu, expected %lu\n", size, len + 1);
    }
    else
    {
        trace("round trip of %s failed, error %lu\n", wine_dbgstr_w(sam), GetLastError());
        if (is_ours) ok(GetLastError() == ERROR_NO_SUCH_DOMAIN, "error %lu\n", GetLastError());
        ok(size == ARRAY_SIZE(name), "size changed to %lu\n", size);
        ok(name[0] == 0xcccc, "buffer written\n");
    }

    /* the documented size query: a null buffer and a zero size */
    size = 0;
    SetLastError(0xdeadbeef);
    rc = pTranslateNameW(sam, NameSamCompatible, NameSamCompatible, NULL, &size);
    if (rc) ok(size == len + 1, "size query: size %lu, expected %lu\n", size, len + 1);
    else
    {
        if (is_ours) ok(GetLastError() == ERROR_NO_SUCH_DOMAIN, "size query: error %lu\n", GetLastError());
        ok(size == 0, "size query: size changed to %lu\n", size);
    }

    for (i = 0; i < (int)ARRAY_SIZE(bad); i++)
    {
        memset(name, 0xcc, sizeof(name));
        size = ARRAY_SIZE(name);
        SetLastError(0xdeadbeef);
        rc = pTranslateNameW(bad[i].account, bad[i].from, bad[i].to, name, bad[i].null_size ? NULL : &size);
        ok(!rc, "%d: succeeded\n", i);
        if (is_ours) ok(GetLastError() == bad[i].error, "%d: error %lu, expected %lu\n", i, GetLastError(), bad[i].error);
        ok(size == ARRAY_SIZE(name), "%d: size changed to %lu\n", i, size);
        ok(name[0] == 0xcccc, "%d: buffer written\n", i);
    }
}

static void test_TranslateNameA(void)
{
    WCHAR samW[MAX_COMPUTERNAME_LENGTH + UNLEN + 2];
    char sam[4 * ARRAY_SIZE(samW)], name[256];
    ULONG size;
    BOOLEAN rc;

    if (!expected_sam_name(samW, ARRAY_SIZE(samW)) ||
        !WideCharToMultiByte(CP_ACP, 0, samW, -1, sam, sizeof(sam), NULL, NULL))
    {
        skip("cannot build the user's SAM name\n");
        return;
    }

    memset(name, 0xcc, sizeof(name));
    size = sizeof(name);
    SetLastError(0xdeadbeef);
    rc = pTranslateNameA(sam, NameSamCompatible, NameSamCompatible, name, &size);
    if (rc)
    {
        ok(!is_ours, "our module has no directory service and must not translate\n");
        ok(!lstrcmpiA(name, sam), "round trip gave %s for %s\n", name, sam);
    }
    else
    {
        if (is_ours) ok(GetLastError() == ERROR_NO_SUCH_DOMAIN, "error %lu\n", GetLastError());
        ok(size == sizeof(name), "size changed to %lu\n", size);
        ok(name[0] == (char)0xcc, "buffer written\n");
    }

    SetLastError(0xdeadbeef);
    rc = pTranslateNameA(NULL, NameSamCompatible, NameSamCompatible, name, &size);
    ok(!rc, "null name succeeded\n");
    if (is_ours) ok(GetLastError() == ERROR_INVALID_PARAMETER, "null name: error %lu\n", GetLastError());

    SetLastError(0xdeadbeef);
    rc = pTranslateNameA(sam, NameSamCompatible, NameUnknown, name, &size);
    ok(!rc, "NameUnknown target succeeded\n");
    if (is_ours) ok(GetLastError() == ERROR_INVALID_PARAMETER, "NameUnknown target: error %lu\n", GetLastError());

    SetLastError(0xdeadbeef);
    rc = pTranslateNameA(sam, NameSamCompatible, NameSamCompatible, name, NULL);
    ok(!rc, "null size succeeded\n");
    if (is_ours) ok(GetLastError() == ERROR_INVALID_PARAMETER, "null size: error %lu\n", GetLastError());
}

START_TEST(names)
{
    HMODULE secur32 = LoadLibraryA("secur32.dll");

    if (!secur32)
    {
        skip("secur32.dll not loadable (error %lu)\n", GetLastError());
        return;
    }
    is_ours = GetProcAddress(secur32, "WineSecur32BuildInfo") != NULL;
    trace("testing %s secur32\n", is_ours ? "wine-secur32's" : "stock Wine's (or Windows')");

    pGetUserNameExA = (void *)GetProcAddress(secur32, "GetUserNameExA");
    pGetUserNameExW = (void *)GetProcAddress(secur32, "GetUserNameExW");
    pGetComputerObjectNameA = (void *)GetProcAddress(secur32, "GetComputerObjectNameA");
    pGetComputerObjectNameW = (void *)GetProcAddress(secur32, "GetComputerObjectNameW");
    pTranslateNameA = (void *)GetProcAddress(secur32, "TranslateNameA");
    pTranslateNameW = (void *)GetProcAddress(secur32, "TranslateNameW");

    if (pGetUserNameExA && pGetUserNameExW)
    {
        test_GetUserNameExW();
        test_GetUserNameExA();
    }
    else win_skip("GetUserNameExA/W not exported\n");

    if (pGetComputerObjectNameA && pGetComputerObjectNameW)
    {
        test_GetComputerObjectNameW();
        test_GetComputerObjectNameA();
    }
    else win_skip("GetComputerObjectNameA/W not exported\n");

    if (pTranslateNameA && pTranslateNameW && pGetUserNameExW)
    {
        test_TranslateNameW();
        test_TranslateNameA();
    }
    else win_skip("TranslateNameA/W not exported\n");

    FreeLibrary(secur32);
}
