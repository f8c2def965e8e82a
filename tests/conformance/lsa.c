/*
 * Unit "lsa": the LSA client API exported by secur32 (ntsecapi.h).
 *
 * LsaConnectUntrusted, LsaLookupAuthenticationPackage (Kerberos, MSV1_0,
 * Negotiate, unknown names), LsaCallAuthenticationPackage with
 * KerbQueryTicketCacheMessage (harmless: lists the caller's tickets),
 * LsaFreeReturnBuffer, LsaEnumerateLogonSessions, LsaGetLogonSessionData
 * and LsaDeregisterLogonProcess. Expected values are Windows'; stock Wine 8
 * differences are todo_stock. Calls that crash stock Wine (policy change
 * notifications are unimplemented stubs there, a second deregistration
 * reads freed memory) run only against our module.
 */
#include <stddef.h>
#include <windows.h>
#include <ntstatus.h>
#include <ntsecapi.h>
#include <sspi.h>

#include "wine/test.h"

#define todo_stock todo_wine_if(!is_ours)

static BOOL is_ours;

static void init_string(LSA_STRING *s, const char *text)
{
    s->Buffer = (char *)text;
    s->Length = (USHORT)strlen(text);
    s->MaximumLength = s->Length + 1;
}

static BOOL have_package(const char *name)
{
    SecPkgInfoA *info;
    if (QuerySecurityPackageInfoA((SEC_CHAR *)name, &info) != SEC_E_OK) return FALSE;
    FreeContextBuffer(info);
    return TRUE;
}

static void test_kerberos_ticket_cache(HANDLE lsa, ULONG package)
{
    KERB_QUERY_TKT_CACHE_REQUEST request;
    KERB_QUERY_TKT_CACHE_RESPONSE *response = (void *)0xdeadbeef;
    ULONG length = 0xdeadbeef;
    NTSTATUS status, sub_status = 0xdeadbeef;

    memset(&request, 0, sizeof(request));
    request.MessageType = KerbQueryTicketCacheMessage;
    status = LsaCallAuthenticationPackage(lsa, package, &request, sizeof(request), (void **)&response, &length,
                                          &sub_status);
    ok(status == STATUS_SUCCESS, "LsaCallAuthenticationPackage returned %#lx\n", status);
    if (status != STATUS_SUCCESS) return;
    if (sub_status != STATUS_SUCCESS)
    {
        /* No Kerberos library (Wine) or no ticket cache. */
        skip("KerbQueryTicketCacheMessage: protocol status %#lx\n", sub_status);
        return;
    }
    ok(response != NULL && response != (void *)0xdeadbeef, "no response\n");
    ok(length >= offsetof(KERB_QUERY_TKT_CACHE_RESPONSE, Tickets), "response is %lu bytes\n", length);
    if (!response || response == (void *)0xdeadbeef) return;
    ok(response->MessageType == KerbQueryTicketCacheMessage, "MessageType %d\n", response->MessageType);
    ok(length >= offsetof(KERB_QUERY_TKT_CACHE_RESPONSE, Tickets) +
                 response->CountOfTickets * sizeof(KERB_TICKET_CACHE_INFO),
       "%lu tickets in %lu bytes\n", response->CountOfTickets, length);
    status = LsaFreeReturnBuffer(response);
    ok(status == STATUS_SUCCESS, "LsaFreeReturnBuffer returned %#lx\n", status);

    /* Another logon session's tickets need privileges we do not have. */
    request.LogonId.LowPart = 0x3e7; /* SYSTEM */
    response = NULL;
    status = LsaCallAuthenticationPackage(lsa, package, &request, sizeof(request), (void **)&response, &length,
                                          &sub_status);
    ok(status != STATUS_SUCCESS || sub_status != STATUS_SUCCESS, "SYSTEM's tickets listed: %#lx, %#lx\n",
       status, sub_status);
    if (status == STATUS_SUCCESS && response) LsaFreeReturnBuffer(response);
}

static void test_lookup_and_call(void)
{
    HANDLE lsa = NULL;
    LSA_STRING name;
    ULONG kerberos = 0xdeadbeef, msv = 0xdeadbeef, negotiate = 0xdeadbeef, bogus = 0xdeadbeef;
    NTSTATUS status, sub_status;
    void *out;
    ULONG out_length;

    status = LsaConnectUntrusted(&lsa);
    ok(status == STATUS_SUCCESS, "LsaConnectUntrusted returned %#lx\n", status);
    ok(lsa != NULL, "no handle\n");
    if (status != STATUS_SUCCESS) return;

    init_string(&name, MICROSOFT_KERBEROS_NAME_A);
    status = LsaLookupAuthenticationPackage(lsa, &name, &kerberos);
    ok(status == STATUS_SUCCESS, "lookup Kerberos returned %#lx\n", status);
    ok(kerberos != 0xdeadbeef, "no Kerberos id\n");

    init_string(&name, MSV1_0_PACKAGE_NAME);
    status = LsaLookupAuthenticationPackage(lsa, &name, &msv);
    if (have_package("NTLM"))
    {
        todo_stock ok(status == STATUS_SUCCESS, "lookup %s returned %#lx\n", MSV1_0_PACKAGE_NAME, status);
        if (status == STATUS_SUCCESS) ok(msv != kerberos, "MSV1_0 and Kerberos share id %lu\n", msv);
    }
    else skip("no NTLM package (under Wine it needs Samba's ntlm_auth): %s not looked up\n", MSV1_0_PACKAGE_NAME);

    init_string(&name, "Negotiate"); /* NEGOSSP_NAME_A */
    status = LsaLookupAuthenticationPackage(lsa, &name, &negotiate);
    todo_stock ok(status == STATUS_SUCCESS, "lookup Negotiate returned %#lx\n", status);
    if (status == STATUS_SUCCESS) ok(negotiate != kerberos && negotiate != msv, "Negotiate id %lu\n", negotiate);

    init_string(&name, "No Such Package");
    status = LsaLookupAuthenticationPackage(lsa, &name, &bogus);
    todo_stock ok(status == STATUS_NO_SUCH_PACKAGE, "lookup of an unknown package returned %#lx\n", status);
    ok(bogus == 0xdeadbeef, "id set to %lu\n", bogus);

    if (kerberos != 0xdeadbeef) test_kerberos_ticket_cache(lsa, kerberos);

    /* A package id nobody has. */
    {
        KERB_QUERY_TKT_CACHE_REQUEST request;
        ULONG unused_id = 0x7fff;
        memset(&request, 0, sizeof(request));
        request.MessageType = KerbQueryTicketCacheMessage;
        out = NULL;
        status = LsaCallAuthenticationPackage(lsa, unused_id, &request, sizeof(request), &out, &out_length,
                                              &sub_status);
        ok(status != STATUS_SUCCESS, "call to package %lu succeeded\n", unused_id);
        todo_stock ok(status == STATUS_NO_SUCH_PACKAGE, "call to package %lu returned %#lx\n", unused_id, status);
    }

    status = LsaDeregisterLogonProcess(lsa);
    ok(status == STATUS_SUCCESS, "LsaDeregisterLogonProcess returned %#lx\n", status);
    if (is_ours)
    {
        status = LsaDeregisterLogonProcess(lsa);
        ok(status == STATUS_INVALID_HANDLE, "second LsaDeregisterLogonProcess returned %#lx\n", status);
    }
}

static void test_logon_sessions(void)
{
    SECURITY_LOGON_SESSION_DATA *data = NULL;
    TOKEN_STATISTICS stats;
    HANDLE token;
    LUID *sessions = NULL;
    ULONG count = 0xdeadbeef, i;
    DWORD size;
    NTSTATUS status;

    status = LsaEnumerateLogonSessions(&count, &sessions);
    ok(status == STATUS_SUCCESS, "LsaEnumerateLogonSessions returned %#lx\n", status);
    if (status == STATUS_SUCCESS)
    {
        ok(count != 0xdeadbeef, "count not set\n");
        ok(!count == !sessions, "%lu sessions at %p\n", count, sessions);
        for (i = 0; i < count && sessions; i++)
            if (winetest_debug > 1) trace("session %lx:%lx\n", sessions[i].HighPart, sessions[i].LowPart);
        if (sessions) ok(LsaFreeReturnBuffer(sessions) == STATUS_SUCCESS, "LsaFreeReturnBuffer failed\n");
    }

    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token))
    {
        skip("no process token\n");
        return;
    }
    ok(GetTokenInformation(token, TokenStatistics, &stats, sizeof(stats), &size), "GetTokenInformation failed\n");
    CloseHandle(token);

    status = LsaGetLogonSessionData(&stats.AuthenticationId, &data);
    ok(status == STATUS_SUCCESS, "LsaGetLogonSessionData returned %#lx\n", status);
    if (status != STATUS_SUCCESS || !data) return;
    ok(data->Size >= FIELD_OFFSET(SECURITY_LOGON_SESSION_DATA, AuthenticationPackage) + sizeof(LSA_UNICODE_STRING),
       "Size %lu\n", data->Size);
    ok(data->LogonId.LowPart == stats.AuthenticationId.LowPart &&
       data->LogonId.HighPart == stats.AuthenticationId.HighPart, "LogonId %lx:%lx\n", data->LogonId.HighPart,
       data->LogonId.LowPart);
    if (data->AuthenticationPackage.Buffer && winetest_debug > 1)
        trace("package %s\n", wine_dbgstr_wn(data->AuthenticationPackage.Buffer,
                                             data->AuthenticationPackage.Length / sizeof(WCHAR)));
    ok(LsaFreeReturnBuffer(data) == STATUS_SUCCESS, "LsaFreeReturnBuffer failed\n");
}

/* Stubs in stock Wine (they crash there); ours must not claim success. */
static void test_policy_notifications(void)
{
    HANDLE event;
    NTSTATUS status;

    if (!is_ours)
    {
        skip("not our secur32: policy change notifications not tested\n");
        return;
    }
    event = CreateEventW(NULL, FALSE, FALSE, NULL);
    status = LsaRegisterPolicyChangeNotification(PolicyNotifyAuditEventsInformation, event);
    ok(status == STATUS_NOT_IMPLEMENTED, "LsaRegisterPolicyChangeNotification returned %#lx\n", status);
    status = LsaUnregisterPolicyChangeNotification(PolicyNotifyAuditEventsInformation, event);
    ok(status == STATUS_NOT_IMPLEMENTED, "LsaUnregisterPolicyChangeNotification returned %#lx\n", status);
    CloseHandle(event);
}

START_TEST(lsa)
{
    HMODULE secur32 = GetModuleHandleA("secur32.dll");
    NTSTATUS status;

    is_ours = secur32 && GetProcAddress(secur32, "WineSecur32BuildInfo") != NULL;

    test_lookup_and_call();
    test_logon_sessions();
    test_policy_notifications();

    status = LsaFreeReturnBuffer(NULL);
    ok(status == STATUS_SUCCESS, "LsaFreeReturnBuffer(NULL) returned %#lx\n", status);
}
