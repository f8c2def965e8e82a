/*
 * Shared by the ntlm and negotiate units: a client and a server context of
 * one package in this process, the token exchange between them, message
 * protection checks and context attribute checks.
 *
 * The including unit defines `static BOOL is_ours;` (our secur32 is loaded)
 * before including this. Expected values are Windows'; where stock Wine 8
 * is known to differ, the check is marked todo_stock (todo under stock Wine,
 * a plain check under our module and on Windows).
 */
#ifndef SSPI_LOOPBACK_H
#define SSPI_LOOPBACK_H

#include <windows.h>
#include <sspi.h>
#include <rpc.h>
#include <string.h>
#include <wchar.h>

#include "wine/test.h"
#include "ntlm_peer.h"

#define todo_stock todo_wine_if(!is_ours)

#define LB_USER_A     "testuser"
#define LB_DOMAIN_A   "WORKGROUP"
#define LB_PASSWORD_A "testpass"
#define LB_USER_W     L"testuser"
#define LB_DOMAIN_W   L"WORKGROUP"
#define LB_PASSWORD_W L"testpass"
#define LB_TOKEN_MAX  12288

#define LB_ISC_FLAGS (ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_CONNECTION)
#define LB_ASC_FLAGS (ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_CONNECTION)

struct lb_side
{
    CredHandle cred;
    CtxtHandle ctx;
    BOOL has_cred, has_ctx;
    unsigned char token[LB_TOKEN_MAX];
    ULONG token_len;
};

/* The test user in any identity structure: the plain and the _EX layouts
 * name these fields alike, so one macro per character set serves both. */
#define LB_SET_TEST_IDENTITY_A(id) do { \
        (id).User = (unsigned char *)LB_USER_A; (id).UserLength = strlen(LB_USER_A); \
        (id).Domain = (unsigned char *)LB_DOMAIN_A; (id).DomainLength = strlen(LB_DOMAIN_A); \
        (id).Password = (unsigned char *)LB_PASSWORD_A; (id).PasswordLength = strlen(LB_PASSWORD_A); \
        (id).Flags = SEC_WINNT_AUTH_IDENTITY_ANSI; } while (0)
#define LB_SET_TEST_IDENTITY_W(id) do { \
        (id).User = (unsigned short *)LB_USER_W; (id).UserLength = wcslen(LB_USER_W); \
        (id).Domain = (unsigned short *)LB_DOMAIN_W; (id).DomainLength = wcslen(LB_DOMAIN_W); \
        (id).Password = (unsigned short *)LB_PASSWORD_W; (id).PasswordLength = wcslen(LB_PASSWORD_W); \
        (id).Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE; } while (0)

static inline BOOL lb_our_secur32(void)
{
    HMODULE mod = GetModuleHandleA("secur32.dll");
    return mod && GetProcAddress(mod, "WineSecur32BuildInfo") != NULL;
}

/* Credentials for `package`; a client (outbound) one carries the test
 * identity, in the A or W layout. */
static inline SECURITY_STATUS lb_acquire(struct lb_side *side, const char *package, BOOL ansi, BOOL client)
{
    SEC_WINNT_AUTH_IDENTITY_A id_a;
    SEC_WINNT_AUTH_IDENTITY_W id_w;
    ULONG use = client ? SECPKG_CRED_OUTBOUND : SECPKG_CRED_INBOUND;
    WCHAR package_w[64];
    TimeStamp expiry;
    SECURITY_STATUS status;

    memset(side, 0, sizeof(*side));
    LB_SET_TEST_IDENTITY_A(id_a);
    LB_SET_TEST_IDENTITY_W(id_w);

    if (ansi)
        status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)package, use, NULL, client ? &id_a : NULL, NULL, NULL,
                                           &side->cred, &expiry);
    else
    {
        MultiByteToWideChar(CP_ACP, 0, package, -1, package_w, 64);
        status = AcquireCredentialsHandleW(NULL, package_w, use, NULL, client ? &id_w : NULL, NULL, NULL,
                                           &side->cred, &expiry);
    }
    side->has_cred = status == SEC_E_OK;
    return status;
}

/* One InitializeSecurityContext step: `in` (may be null) in, side->token out. */
static inline SECURITY_STATUS lb_initialize(struct lb_side *side, BOOL ansi, const void *in, ULONG in_len)
{
    SecBuffer in_buf = { in_len, SECBUFFER_TOKEN, (void *)in };
    SecBuffer out_buf = { sizeof(side->token), SECBUFFER_TOKEN, side->token };
    SecBufferDesc in_desc = { SECBUFFER_VERSION, 1, &in_buf }, out_desc = { SECBUFFER_VERSION, 1, &out_buf };
    CtxtHandle new_ctx = { 0, 0 };
    ULONG attrs = 0;
    TimeStamp expiry;
    SECURITY_STATUS status;

    if (ansi)
        status = InitializeSecurityContextA(&side->cred, side->has_ctx ? &side->ctx : NULL, (SEC_CHAR *)"localhost",
                                            LB_ISC_FLAGS, 0, SECURITY_NATIVE_DREP, in ? &in_desc : NULL, 0,
                                            &new_ctx, &out_desc, &attrs, &expiry);
    else
        status = InitializeSecurityContextW(&side->cred, side->has_ctx ? &side->ctx : NULL, (SEC_WCHAR *)L"localhost",
                                            LB_ISC_FLAGS, 0, SECURITY_NATIVE_DREP, in ? &in_desc : NULL, 0,
                                            &new_ctx, &out_desc, &attrs, &expiry);
    side->token_len = status == SEC_E_OK || status == SEC_I_CONTINUE_NEEDED ? out_buf.cbBuffer : 0;
    if (status == SEC_E_OK || status == SEC_I_CONTINUE_NEEDED)
    {
        side->ctx = new_ctx;
        side->has_ctx = TRUE;
    }
    return status;
}

static inline SECURITY_STATUS lb_accept(struct lb_side *side, const void *in, ULONG in_len)
{
    SecBuffer in_buf = { in_len, SECBUFFER_TOKEN, (void *)in };
    SecBuffer out_buf = { sizeof(side->token), SECBUFFER_TOKEN, side->token };
    SecBufferDesc in_desc = { SECBUFFER_VERSION, 1, &in_buf }, out_desc = { SECBUFFER_VERSION, 1, &out_buf };
    CtxtHandle new_ctx = { 0, 0 };
    ULONG attrs = 0;
    TimeStamp expiry;
    SECURITY_STATUS status;

    status = AcceptSecurityContext(&side->cred, side->has_ctx ? &side->ctx : NULL, &in_desc, LB_ASC_FLAGS,
                                   SECURITY_NATIVE_DREP, &new_ctx, &out_desc, &attrs, &expiry);
    side->token_len = status == SEC_E_OK || status == SEC_I_CONTINUE_NEEDED ? out_buf.cbBuffer : 0;
    if (status == SEC_E_OK || status == SEC_I_CONTINUE_NEEDED)
    {
        side->ctx = new_ctx;
        side->has_ctx = TRUE;
    }
    return status;
}

static inline void lb_release(struct lb_side *side, const char *what)
{
    SECURITY_STATUS status;
    if (side->has_ctx)
    {
        status = DeleteSecurityContext(&side->ctx);
        ok(status == SEC_E_OK, "%s: DeleteSecurityContext returned %#lx\n", what, status);
    }
    if (side->has_cred)
    {
        status = FreeCredentialsHandle(&side->cred);
        ok(status == SEC_E_OK, "%s: FreeCredentialsHandle returned %#lx\n", what, status);
    }
    side->has_ctx = side->has_cred = FALSE;
}

/* ---- message protection ------------------------------------------------------ */

static inline void lb_message(SecBufferDesc *desc, SecBuffer bufs[2], unsigned char *data, ULONG len,
                              unsigned char *sig, ULONG sig_len)
{
    bufs[0].BufferType = SECBUFFER_DATA;
    bufs[0].cbBuffer = len;
    bufs[0].pvBuffer = data;
    bufs[1].BufferType = SECBUFFER_TOKEN;
    bufs[1].cbBuffer = sig_len;
    bufs[1].pvBuffer = sig;
    desc->ulVersion = SECBUFFER_VERSION;
    desc->cBuffers = 2;
    desc->pBuffers = bufs;
}

/* Signs and encrypts from `from`, verifies and decrypts at `to`. */
static inline void lb_one_way(CtxtHandle *from, CtxtHandle *to, const char *what)
{
    static const char text[] = "The quick brown fox jumps over the lazy dog";
    unsigned char data[sizeof(text)], sig[64];
    SecBuffer bufs[2];
    SecBufferDesc desc;
    SECURITY_STATUS status;
    ULONG qop = 0xdeadbeef;

    memcpy(data, text, sizeof(text));
    lb_message(&desc, bufs, data, sizeof(data), sig, 16);
    status = MakeSignature(from, 0, &desc, 0);
    ok(status == SEC_E_OK, "%s: MakeSignature returned %#lx\n", what, status);
    ok(bufs[1].cbBuffer == 16, "%s: signature is %lu bytes\n", what, bufs[1].cbBuffer);
    status = VerifySignature(to, &desc, 0, &qop);
    ok(status == SEC_E_OK, "%s: VerifySignature returned %#lx\n", what, status);

    lb_message(&desc, bufs, data, sizeof(data), sig, 16);
    status = EncryptMessage(from, 0, &desc, 0);
    ok(status == SEC_E_OK, "%s: EncryptMessage returned %#lx\n", what, status);
    ok(memcmp(data, text, sizeof(text)), "%s: EncryptMessage left the data in clear\n", what);
    status = DecryptMessage(to, &desc, 0, &qop);
    ok(status == SEC_E_OK, "%s: DecryptMessage returned %#lx\n", what, status);
    ok(!memcmp(data, text, sizeof(text)), "%s: DecryptMessage gave %s\n", what,
       wine_dbgstr_an((const char *)data, sizeof(data)));
}

/* Both directions between two established contexts, then a forgery. */
static inline void lb_test_messages(CtxtHandle *client, CtxtHandle *server)
{
    unsigned char data[] = "signed data", sig[16];
    SecBuffer bufs[2];
    SecBufferDesc desc;
    SECURITY_STATUS status;
    ULONG qop;
    int round;

    for (round = 0; round < 2; round++)
    {
        lb_one_way(client, server, "client to server");
        lb_one_way(server, client, "server to client");
    }

    lb_message(&desc, bufs, data, sizeof(data), sig, sizeof(sig));
    status = MakeSignature(client, 0, &desc, 0);
    ok(status == SEC_E_OK, "MakeSignature returned %#lx\n", status);
    data[0] ^= 1;
    status = VerifySignature(server, &desc, 0, &qop);
    ok(status == SEC_E_MESSAGE_ALTERED, "forged message: VerifySignature returned %#lx\n", status);
}

/* The same against the local NTLM peer playing the server. */
static inline void lb_test_messages_peer(CtxtHandle *client, struct ntlm_peer *peer)
{
    static const char text[] = "Pack my box with five dozen liquor jugs";
    unsigned char data[sizeof(text)], sig[16];
    SecBuffer bufs[2];
    SecBufferDesc desc;
    SECURITY_STATUS status;
    ULONG qop;
    int round;

    for (round = 0; round < 2; round++)
    {
        winetest_push_context("round %d", round);

        memcpy(data, text, sizeof(text));
        lb_message(&desc, bufs, data, sizeof(data), sig, sizeof(sig));
        status = MakeSignature(client, 0, &desc, 0);
        ok(status == SEC_E_OK, "MakeSignature returned %#lx\n", status);
        ok(ntlm_peer_verify(peer, data, sizeof(data), sig), "the server rejects the client's signature\n");

        ntlm_peer_sign(peer, data, sizeof(data), sig);
        lb_message(&desc, bufs, data, sizeof(data), sig, sizeof(sig));
        status = VerifySignature(client, &desc, 0, &qop);
        ok(status == SEC_E_OK, "VerifySignature of the server's signature returned %#lx\n", status);

        lb_message(&desc, bufs, data, sizeof(data), sig, sizeof(sig));
        status = EncryptMessage(client, 0, &desc, 0);
        ok(status == SEC_E_OK, "EncryptMessage returned %#lx\n", status);
        ok(memcmp(data, text, sizeof(text)), "EncryptMessage left the data in clear\n");
        ok(ntlm_peer_unseal(peer, data, sizeof(data), sig), "the server rejects the client's sealed message\n");
        ok(!memcmp(data, text, sizeof(text)), "the server decrypted %s\n",
           wine_dbgstr_an((const char *)data, sizeof(data)));

        ntlm_peer_seal(peer, data, sizeof(data), sig);
        lb_message(&desc, bufs, data, sizeof(data), sig, sizeof(sig));
        status = DecryptMessage(client, &desc, 0, &qop);
        ok(status == SEC_E_OK, "DecryptMessage of the server's message returned %#lx\n", status);
        ok(!memcmp(data, text, sizeof(text)), "DecryptMessage gave %s\n",
           wine_dbgstr_an((const char *)data, sizeof(data)));

        winetest_pop_context();
    }

    memcpy(data, text, sizeof(text));
    ntlm_peer_sign(peer, data, sizeof(data), sig);
    data[3] ^= 0x20;
    lb_message(&desc, bufs, data, sizeof(data), sig, sizeof(sig));
    status = VerifySignature(client, &desc, 0, &qop);
    ok(status == SEC_E_MESSAGE_ALTERED, "forged message: VerifySignature returned %#lx\n", status);
}

/* ---- context attributes -------------------------------------------------------- */

static inline BOOL lb_contains_user_w(const WCHAR *name)
{
    WCHAR lower[256];
    if (!name) return FALSE;
    lstrcpynW(lower, name, 256);
    CharLowerW(lower);
    return wcsstr(lower, LB_USER_W) != NULL;
}

static inline BOOL lb_contains_user_a(const char *name)
{
    char lower[256];
    if (!name) return FALSE;
    lstrcpynA(lower, name, 256);
    CharLowerA(lower);
    return strstr(lower, LB_USER_A) != NULL;
}

/* `names`: the package names PACKAGE_INFO may report (one, or two separated
 * by '|'). */
static inline BOOL lb_name_in(const char *name, const char *names)
{
    char list[64], *p, *next;
    lstrcpynA(list, names, sizeof(list));
    for (p = list; p; p = next)
    {
        if ((next = strchr(p, '|'))) *next++ = 0;
        if (name && !strcmp(name, p)) return TRUE;
    }
    return FALSE;
}

/* A SecPkgInfoA returned as one heap block: the structure, then its strings. */
static inline void lb_check_info_block_a(SecPkgInfoA *pi)
{
    SIZE_T expected = sizeof(*pi) + lstrlenA(pi->Name) + 1 + lstrlenA(pi->Comment) + 1;
    SIZE_T got = HeapSize(GetProcessHeap(), 0, pi);
    ok(got == expected, "package info block is %Iu bytes, expected %Iu\n", got, expected);
}

static inline void lb_test_attributes(CtxtHandle *ctx, BOOL ansi, const char *package_names, USHORT rpc_id)
{
    SecPkgContext_Sizes sizes;
    SecPkgContext_Flags flags_w, flags_a;
    SECURITY_STATUS status;

    memset(&sizes, 0xcc, sizeof(sizes));
    status = ansi ? QueryContextAttributesA(ctx, SECPKG_ATTR_SIZES, &sizes)
                  : QueryContextAttributesW(ctx, SECPKG_ATTR_SIZES, &sizes);
    ok(status == SEC_E_OK, "SIZES: %#lx\n", status);
    if (status == SEC_E_OK)
    {
        ok(sizes.cbMaxToken == 1904 || sizes.cbMaxToken == 2888, "cbMaxToken %lu\n", sizes.cbMaxToken);
        ok(sizes.cbMaxSignature == 16, "cbMaxSignature %lu\n", sizes.cbMaxSignature);
        ok(sizes.cbSecurityTrailer == 16, "cbSecurityTrailer %lu\n", sizes.cbSecurityTrailer);
        ok(sizes.cbBlockSize == 0, "cbBlockSize %lu\n", sizes.cbBlockSize);
    }

    if (ansi)
    {
        SecPkgContext_NamesA names = { NULL };
        SecPkgContext_PackageInfoA info = { NULL };
        SecPkgContext_NegotiationInfoA nego;

        status = QueryContextAttributesA(ctx, SECPKG_ATTR_NAMES, &names);
        todo_stock ok(status == SEC_E_OK, "NAMES (A): %#lx\n", status);
        if (status == SEC_E_OK)
        {
            ok(lb_contains_user_a(names.sUserName), "NAMES (A): %s\n", wine_dbgstr_a(names.sUserName));
            ok(FreeContextBuffer(names.sUserName) == SEC_E_OK, "FreeContextBuffer failed\n");
        }

        status = QueryContextAttributesA(ctx, SECPKG_ATTR_PACKAGE_INFO, &info);
        todo_stock ok(status == SEC_E_OK, "PACKAGE_INFO (A): %#lx\n", status);
        if (status == SEC_E_OK && info.PackageInfo)
        {
            ok(lb_name_in(info.PackageInfo->Name, package_names), "PACKAGE_INFO (A): %s\n",
               wine_dbgstr_a(info.PackageInfo->Name));
            ok(info.PackageInfo->wVersion == 1, "wVersion %u\n", info.PackageInfo->wVersion);
            ok(info.PackageInfo->wRPCID == rpc_id || info.PackageInfo->wRPCID == RPC_C_AUTHN_WINNT,
               "wRPCID %u\n", info.PackageInfo->wRPCID);
            ok(FreeContextBuffer(info.PackageInfo) == SEC_E_OK, "FreeContextBuffer failed\n");
        }
        else if (status == SEC_E_OK) ok(0, "PACKAGE_INFO (A): no PackageInfo\n");

        memset(&nego, 0, sizeof(nego));
        status = QueryContextAttributesA(ctx, SECPKG_ATTR_NEGOTIATION_INFO, &nego);
        ok(status == SEC_E_OK, "NEGOTIATION_INFO (A): %#lx\n", status);
        if (status == SEC_E_OK && nego.PackageInfo)
        {
            ok(nego.NegotiationState == SECPKG_NEGOTIATION_COMPLETE, "state %lu\n", nego.NegotiationState);
            ok(!strcmp(nego.PackageInfo->Name, "NTLM"), "negotiated %s\n", wine_dbgstr_a(nego.PackageInfo->Name));
            ok(nego.PackageInfo->wRPCID == RPC_C_AUTHN_WINNT, "wRPCID %u\n", nego.PackageInfo->wRPCID);
            lb_check_info_block_a(nego.PackageInfo);
            ok(FreeContextBuffer(nego.PackageInfo) == SEC_E_OK, "FreeContextBuffer failed\n");
        }
        else if (status == SEC_E_OK) ok(0, "NEGOTIATION_INFO (A): no PackageInfo\n");

        /* No strings in FLAGS: the A call answers like the W one. */
        status = QueryContextAttributesW(ctx, SECPKG_ATTR_FLAGS, &flags_w);
        ok(status == SEC_E_OK, "FLAGS (W): %#lx\n", status);
        status = QueryContextAttributesA(ctx, SECPKG_ATTR_FLAGS, &flags_a);
        todo_stock ok(status == SEC_E_OK, "FLAGS (A): %#lx\n", status);
        if (status == SEC_E_OK) ok(flags_a.Flags == flags_w.Flags, "FLAGS: A %#lx, W %#lx\n", flags_a.Flags, flags_w.Flags);
    }
    else
    {
        SecPkgContext_NamesW names = { NULL };
        SecPkgContext_PackageInfoW info = { NULL };
        SecPkgContext_NegotiationInfoW nego;
        char name_a[64];

        status = QueryContextAttributesW(ctx, SECPKG_ATTR_NAMES, &names);
        todo_stock ok(status == SEC_E_OK, "NAMES (W): %#lx\n", status);
        if (status == SEC_E_OK)
        {
            ok(lb_contains_user_w(names.sUserName), "NAMES (W): %s\n", wine_dbgstr_w(names.sUserName));
            ok(FreeContextBuffer(names.sUserName) == SEC_E_OK, "FreeContextBuffer failed\n");
        }

        status = QueryContextAttributesW(ctx, SECPKG_ATTR_PACKAGE_INFO, &info);
        todo_stock ok(status == SEC_E_OK, "PACKAGE_INFO (W): %#lx\n", status);
        if (status == SEC_E_OK && info.PackageInfo)
        {
            WideCharToMultiByte(CP_ACP, 0, info.PackageInfo->Name, -1, name_a, sizeof(name_a), NULL, NULL);
            ok(lb_name_in(name_a, package_names), "PACKAGE_INFO (W): %s\n", name_a);
            ok(info.PackageInfo->wVersion == 1, "wVersion %u\n", info.PackageInfo->wVersion);
            ok(info.PackageInfo->wRPCID == rpc_id || info.PackageInfo->wRPCID == RPC_C_AUTHN_WINNT,
               "wRPCID %u\n", info.PackageInfo->wRPCID);
            ok(FreeContextBuffer(info.PackageInfo) == SEC_E_OK, "FreeContextBuffer failed\n");
        }
        else if (status == SEC_E_OK) ok(0, "PACKAGE_INFO (W): no PackageInfo\n");

        memset(&nego, 0, sizeof(nego));
        status = QueryContextAttributesW(ctx, SECPKG_ATTR_NEGOTIATION_INFO, &nego);
        ok(status == SEC_E_OK, "NEGOTIATION_INFO (W): %#lx\n", status);
        if (status == SEC_E_OK && nego.PackageInfo)
        {
            ok(nego.NegotiationState == SECPKG_NEGOTIATION_COMPLETE, "state %lu\n", nego.NegotiationState);
            ok(!lstrcmpW(nego.PackageInfo->Name, L"NTLM"), "negotiated %s\n", wine_dbgstr_w(nego.PackageInfo->Name));
            ok(FreeContextBuffer(nego.PackageInfo) == SEC_E_OK, "FreeContextBuffer failed\n");
        }
        else if (status == SEC_E_OK) ok(0, "NEGOTIATION_INFO (W): no PackageInfo\n");
    }
}

/* ---- the two exchanges ----------------------------------------------------------- */

/* Client and server contexts of `package` talk to each other. */
static inline void lb_test_loopback(const char *package, BOOL ansi, const char *package_names, USHORT rpc_id)
{
    struct lb_side client, server;
    SECURITY_STATUS status;

    winetest_push_context("%s loopback %s", package, ansi ? "A" : "W");

    status = lb_acquire(&client, package, ansi, TRUE);
    ok(status == SEC_E_OK, "client AcquireCredentialsHandle returned %#lx\n", status);
    status = lb_acquire(&server, package, ansi, FALSE);
    ok(status == SEC_E_OK, "server AcquireCredentialsHandle returned %#lx\n", status);
    if (!client.has_cred || !server.has_cred) goto done;

    status = lb_initialize(&client, ansi, NULL, 0);
    ok(status == SEC_I_CONTINUE_NEEDED, "first ISC returned %#lx\n", status);
    ok(client.token_len > 0, "first ISC gave no token\n");
    if (status != SEC_I_CONTINUE_NEEDED) goto done;

    status = lb_accept(&server, client.token, client.token_len);
    ok(status == SEC_I_CONTINUE_NEEDED, "first ASC returned %#lx\n", status);
    ok(server.token_len > 0, "first ASC gave no token\n");
    if (status != SEC_I_CONTINUE_NEEDED) goto done;

    status = lb_initialize(&client, ansi, server.token, server.token_len);
    ok(status == SEC_E_OK, "second ISC returned %#lx\n", status);
    ok(client.token_len > 0, "second ISC gave no token\n");
    if (status != SEC_E_OK) goto done;

    /* The server can only finish if it can check the password: with a
     * domain controller on Windows, with winbindd under Wine. */
    status = lb_accept(&server, client.token, client.token_len);
    ok(status == SEC_E_OK || status == SEC_E_LOGON_DENIED, "second ASC returned %#lx\n", status);

    lb_test_attributes(&client.ctx, ansi, package_names, rpc_id);

    if (status == SEC_E_OK) lb_test_messages(&client.ctx, &server.ctx);
    else skip("the server could not verify the test user (%#lx); message tests run against a local NTLM peer\n",
              status);

done:
    lb_release(&client, "client");
    lb_release(&server, "server");
    winetest_pop_context();
}

/* The client (credentials already acquired) talks to the local NTLM peer
 * (ntlm_peer.h). Skipped when the client does not speak raw NTLM (Windows'
 * Negotiate wraps it in SPNEGO). */
static inline void lb_peer_exchange(struct lb_side *client, BOOL ansi)
{
    struct ntlm_peer peer;
    unsigned char challenge[512];
    ULONG challenge_len;
    SECURITY_STATUS status;

    status = lb_initialize(client, ansi, NULL, 0);
    ok(status == SEC_I_CONTINUE_NEEDED, "first ISC returned %#lx\n", status);
    if (status != SEC_I_CONTINUE_NEEDED) return;
    if (!ntlm_is_message(client->token, client->token_len, 1))
    {
        skip("the first token is not a raw NTLM NEGOTIATE message\n");
        return;
    }

    challenge_len = ntlm_peer_challenge(&peer, client->token, client->token_len, challenge);
    ok(challenge_len > 0, "NEGOTIATE message not understood\n");
    status = lb_initialize(client, ansi, challenge, challenge_len);
    ok(status == SEC_E_OK, "second ISC returned %#lx\n", status);
    if (status != SEC_E_OK) return;
    ok(ntlm_is_message(client->token, client->token_len, 3), "second token is no AUTHENTICATE message\n");

    if (!ntlm_peer_authenticate(&peer, client->token, client->token_len, LB_PASSWORD_W))
    {
        skip("AUTHENTICATE without extended session security (flags %#lx): not supported by the peer\n",
             peer.flags);
        return;
    }
    ok(peer.proof_ok, "the client's response does not match the password\n");
    ok(!lstrcmpiW(peer.user, LB_USER_W), "user %s\n", wine_dbgstr_w(peer.user));
    ok(!lstrcmpiW(peer.domain, LB_DOMAIN_W), "domain %s\n", wine_dbgstr_w(peer.domain));
    ok(peer.flags & NTLMSSP_NEGOTIATE_SIGN, "signing not negotiated: %#lx\n", peer.flags);
    ok(peer.flags & NTLMSSP_NEGOTIATE_SEAL, "sealing not negotiated: %#lx\n", peer.flags);
    if (winetest_debug > 1) trace("NTLMv%d, flags %#lx\n", peer.ntlmv2 ? 2 : 1, peer.flags);

    lb_test_messages_peer(&client->ctx, &peer);
}

static inline void lb_test_peer(const char *package, BOOL ansi)
{
    struct lb_side client;
    SECURITY_STATUS status;

    winetest_push_context("%s peer %s", package, ansi ? "A" : "W");
    status = lb_acquire(&client, package, ansi, TRUE);
    ok(status == SEC_E_OK, "AcquireCredentialsHandle returned %#lx\n", status);
    if (client.has_cred) lb_peer_exchange(&client, ansi);
    lb_release(&client, "client");
    winetest_pop_context();
}

/* Wine's own secur32 (not ours), detected by ntdll's Wine export. */
static inline BOOL lb_stock_wine(void)
{
    return !is_ours && GetProcAddress(GetModuleHandleA("ntdll.dll"), "wine_get_version") != NULL;
}

#endif /* SSPI_LOOPBACK_H */
