/* Bad input to the Schannel entry points: NULL pointers, empty and garbage
 * buffer descriptors, wrong buffer types and counts, lengths beyond the
 * buffer, calls in the wrong state. Each must fail with an error (never
 * crash) and never write outside the caller's buffers: every buffer here
 * sits between guard bytes that are checked after each call.
 * Stock Wine crashes on several of these, so the unit runs against our
 * module only. */
#include <windows.h>
#include <winternl.h>
#ifndef SECURITY_WIN32
#define SECURITY_WIN32
#endif
#define SCHANNEL_USE_BLACKLISTS /* SCH_CREDENTIALS */
#include <sspi.h>
#include <schannel.h>
#include <string.h>

#include "wine/test.h"
#pragma GCC diagnostic ignored "-Wunused-function" /* the header's PFX helpers */
#include "server_certificates.h"

#define GUARD 64
#define GUARD_BYTE 0xA5

/* A buffer with GUARD bytes before and after it. */
struct guarded {
    BYTE raw[GUARD + 4096 + GUARD];
    ULONG size;
};

static BYTE *guarded_init(struct guarded *g, ULONG size, BYTE fill)
{
    memset(g->raw, GUARD_BYTE, sizeof(g->raw));
    memset(g->raw + GUARD, fill, size);
    g->size = size;
    return g->raw + GUARD;
}

static BOOL guards_intact(const struct guarded *g)
{
    ULONG i;
    for (i = 0; i < GUARD; i++)
        if (g->raw[i] != GUARD_BYTE || g->raw[GUARD + g->size + i] != GUARD_BYTE) return FALSE;
    return TRUE;
}

static BOOL running_ours(void)
{
    return GetProcAddress(GetModuleHandleA("secur32.dll"), "WineSecur32BuildInfo") != NULL;
}

static SECURITY_STATUS acquire(CredHandle *cred)
{
    SCHANNEL_CRED sc;
    memset(&sc, 0, sizeof(sc));
    sc.dwVersion = SCHANNEL_CRED_VERSION;
    sc.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &sc, NULL, NULL,
                                     cred, NULL);
}

/* A context part-way through its handshake (ClientHello sent). */
static BOOL start_handshake(CredHandle *cred, CtxtHandle *ctx)
{
    SecBuffer out = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, &out};
    ULONG attrs;
    SECURITY_STATUS status = InitializeSecurityContextA(cred, NULL, (SEC_CHAR *)"localhost",
        ISC_REQ_CONFIDENTIALITY | ISC_REQ_STREAM | ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0, ctx, &out_desc, &attrs, NULL);
    if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
    return status == SEC_I_CONTINUE_NEEDED;
}

static void test_acquire(void)
{
    SCHANNEL_CRED sc;
    CredHandle cred;
    ALG_ID algs[1] = {CALG_AES_128};

    ok(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, NULL,
                                 NULL) == SEC_E_INVALID_HANDLE, "NULL credential pointer accepted\n");
    ok(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, 0, NULL, NULL, NULL, NULL, &cred, NULL) ==
           SEC_E_NO_CREDENTIALS, "credential use 0 accepted\n");
    ok(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, 0x1234, NULL, NULL, NULL, NULL, &cred, NULL) ==
           SEC_E_NO_CREDENTIALS, "garbage credential use accepted\n");

    memset(&sc, 0, sizeof(sc));
    sc.dwVersion = 0xdeadbeef;
    ok(FAILED(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &sc, NULL, NULL,
                                        &cred, NULL)), "garbage version accepted\n");
    sc.dwVersion = SCHANNEL_CRED_VERSION;
    sc.cSupportedAlgs = 1;
    sc.palgSupportedAlgs = NULL;
    ok(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &sc, NULL, NULL, &cred,
                                 NULL) == SEC_E_INVALID_PARAMETER, "algorithm count without a list accepted\n");
    sc.palgSupportedAlgs = algs;
    sc.grbitEnabledProtocols = SP_PROT_SSL3_CLIENT; /* only SSL 3: never offered */
    ok(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &sc, NULL, NULL, &cred,
                                 NULL) == SEC_E_ALGORITHM_MISMATCH, "SSL 3 only accepted\n");
}

/* AcquireCredentialsHandle: package names and authentication data that are
 * wrong, and garbage between guard bytes. */
static void test_acquire_more(void)
{
    SCHANNEL_CRED sc;
    SCH_CREDENTIALS sch;
    CredHandle cred;
    struct guarded g;
    SECURITY_STATUS status;
    BYTE *junk;

    status = AcquireCredentialsHandleA(NULL, NULL, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &cred, NULL);
    ok(status == SEC_E_SECPKG_NOT_FOUND, "NULL package name returned %08lx\n", status);
    status = AcquireCredentialsHandleW(NULL, NULL, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &cred, NULL);
    ok(status == SEC_E_SECPKG_NOT_FOUND, "NULL package name (W) returned %08lx\n", status);
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"No Such Package", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL,
                                       NULL, &cred, NULL);
    ok(status == SEC_E_SECPKG_NOT_FOUND, "unknown package returned %08lx\n", status);
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &cred, NULL);
    ok(status == SEC_E_SECPKG_NOT_FOUND, "empty package name returned %08lx\n", status);

    /* Garbage authentication data: a version no one defined, read from
     * between guards. */
    junk = guarded_init(&g, sizeof(SCH_CREDENTIALS), 0x5a);
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, junk, NULL, NULL,
                                       &cred, NULL);
    ok(FAILED(status), "garbage authentication data returned %08lx\n", status);
    ok(guards_intact(&g), "authentication data guard bytes overwritten\n");

    /* A server credential without a certificate, or with a count and no
     * list. */
    memset(&sc, 0, sizeof(sc));
    sc.dwVersion = SCHANNEL_CRED_VERSION;
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, &sc, NULL, NULL,
                                       &cred, NULL);
    ok(status == SEC_E_NO_CREDENTIALS, "server credential without a certificate returned %08lx\n", status);
    sc.cCreds = 1;
    sc.paCred = NULL;
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, &sc, NULL, NULL,
                                       &cred, NULL);
    ok(status == SEC_E_UNKNOWN_CREDENTIALS, "certificate count without a list returned %08lx\n", status);

    /* SCH_CREDENTIALS with a TLS_PARAMETERS count and no array, or too many. */
    memset(&sch, 0, sizeof(sch));
    sch.dwVersion = SCH_CREDENTIALS_VERSION;
    sch.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    sch.cTlsParameters = 1;
    sch.pTlsParameters = NULL;
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &sch, NULL, NULL,
                                       &cred, NULL);
    ok(status == SEC_E_INVALID_PARAMETER, "TLS parameter count without an array returned %08lx\n", status);
    sch.cTlsParameters = 0x10000;
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &sch, NULL, NULL,
                                       &cred, NULL);
    ok(status == SEC_E_INVALID_PARAMETER, "absurd TLS parameter count returned %08lx\n", status);
}

static void test_initialize(void)
{
    CredHandle cred;
    CtxtHandle ctx, new_ctx;
    struct guarded g_in, g_out;
    SecBuffer in_bufs[2], out_buf;
    SecBufferDesc in_desc, out_desc;
    ULONG attrs;
    SECURITY_STATUS status;
    BYTE *in;

    if (acquire(&cred) != SEC_E_OK) { skip("no credentials\n"); return; }

    /* Descriptors that lie about their contents. */
    out_buf.BufferType = SECBUFFER_TOKEN;
    out_buf.cbBuffer = 0;
    out_buf.pvBuffer = NULL;
    out_desc.ulVersion = SECBUFFER_VERSION;
    out_desc.cBuffers = 0;
    out_desc.pBuffers = &out_buf;
    status = InitializeSecurityContextA(&cred, NULL, NULL, ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0, &ctx, &out_desc,
                                        &attrs, NULL);
    ok(status == SEC_E_INVALID_TOKEN, "empty output descriptor returned %08lx\n", status);
    out_desc.cBuffers = 1;
    out_desc.pBuffers = NULL;
    status = InitializeSecurityContextA(&cred, NULL, NULL, ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0, &ctx, &out_desc,
                                        &attrs, NULL);
    ok(status == SEC_E_INVALID_TOKEN, "output descriptor without buffers returned %08lx\n", status);
    status = InitializeSecurityContextA(&cred, NULL, NULL, ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0, NULL, &out_desc,
                                        &attrs, NULL);
    ok(status == SEC_E_INVALID_HANDLE, "no new context pointer returned %08lx\n", status);

    /* Caller-supplied output between guards, too small. */
    out_buf.pvBuffer = guarded_init(&g_out, 16, 0);
    out_buf.cbBuffer = 16;
    out_desc.pBuffers = &out_buf;
    status = InitializeSecurityContextA(&cred, NULL, NULL, 0, 0, 0, NULL, 0, &ctx, &out_desc, &attrs, NULL);
    ok(status == SEC_E_INSUFFICIENT_MEMORY, "small output buffer returned %08lx\n", status);
    ok(guards_intact(&g_out), "output guard bytes overwritten\n");

    if (!start_handshake(&cred, &ctx)) { skip("handshake did not start\n"); FreeCredentialsHandle(&cred); return; }

    /* Input with garbage, between guards; each failure ends that context,
     * so each case gets its own. */
    {
        static const BYTE garbage[][8] = {
            {0x16, 0x03, 0x03, 0xff, 0xff}, /* a length beyond any record */
            {0x99, 0x03, 0x03, 0x00, 0x01}, /* no such content type */
            {0x16, 0x07, 0x03, 0x00, 0x01}, /* no such version */
        };
        int i;
        for (i = 0; i < 3; i++) {
            CtxtHandle c2;
            if (i && !start_handshake(&cred, &c2)) continue;
            if (!i) c2 = ctx;
            in = guarded_init(&g_in, 64, 0);
            memcpy(in, garbage[i], 5);
            in_bufs[0].BufferType = SECBUFFER_TOKEN; in_bufs[0].pvBuffer = in; in_bufs[0].cbBuffer = 64;
            in_bufs[1].BufferType = SECBUFFER_EMPTY; in_bufs[1].pvBuffer = NULL; in_bufs[1].cbBuffer = 0;
            in_desc.ulVersion = SECBUFFER_VERSION; in_desc.cBuffers = 2; in_desc.pBuffers = in_bufs;
            out_buf.BufferType = SECBUFFER_TOKEN; out_buf.pvBuffer = NULL; out_buf.cbBuffer = 0;
            out_desc.cBuffers = 1; out_desc.pBuffers = &out_buf;
            status = InitializeSecurityContextA(&cred, &c2, NULL, ISC_REQ_ALLOCATE_MEMORY, 0, 0, &in_desc, 0, &new_ctx,
                                                &out_desc, &attrs, NULL);
            ok(FAILED(status) && status != SEC_E_INCOMPLETE_MESSAGE, "garbage %d returned %08lx\n", i, status);
            ok(guards_intact(&g_in), "garbage %d: input guard bytes overwritten\n", i);
            if (out_buf.pvBuffer) FreeContextBuffer(out_buf.pvBuffer);
            DeleteSecurityContext(&c2);
        }
    }

    /* A token that claims bytes it has no pointer for. */
    if (start_handshake(&cred, &ctx)) {
        in_bufs[0].BufferType = SECBUFFER_TOKEN; in_bufs[0].pvBuffer = NULL; in_bufs[0].cbBuffer = 100;
        in_bufs[1].BufferType = SECBUFFER_EMPTY; in_bufs[1].pvBuffer = NULL; in_bufs[1].cbBuffer = 0;
        in_desc.cBuffers = 2; in_desc.pBuffers = in_bufs;
        status = InitializeSecurityContextA(&cred, &ctx, NULL, ISC_REQ_ALLOCATE_MEMORY, 0, 0, &in_desc, 0, NULL,
                                            &out_desc, &attrs, NULL);
        ok(status == SEC_E_INVALID_TOKEN, "NULL token with a length returned %08lx\n", status);
        /* No TOKEN buffer at all. */
        in_bufs[0].BufferType = SECBUFFER_DATA; in_bufs[0].pvBuffer = in; in_bufs[0].cbBuffer = 5;
        status = InitializeSecurityContextA(&cred, &ctx, NULL, ISC_REQ_ALLOCATE_MEMORY, 0, 0, &in_desc, 0, NULL,
                                            &out_desc, &attrs, NULL);
        ok(status == SEC_E_INVALID_TOKEN, "input without a token returned %08lx\n", status);
        /* A descriptor with an absurd buffer count. */
        in_desc.cBuffers = 0x10000000;
        status = InitializeSecurityContextA(&cred, &ctx, NULL, ISC_REQ_ALLOCATE_MEMORY, 0, 0, &in_desc, 0, NULL,
                                            &out_desc, &attrs, NULL);
        ok(status == SEC_E_INVALID_TOKEN, "absurd buffer count returned %08lx\n", status);
        DeleteSecurityContext(&ctx);
    }
    FreeCredentialsHandle(&cred);
}

static void test_messages_in_wrong_state(void)
{
    CredHandle cred;
    CtxtHandle ctx;
    struct guarded g;
    SecBuffer bufs[4];
    SecBufferDesc desc = {SECBUFFER_VERSION, 4, bufs};
    SecPkgContext_StreamSizes sizes;
    DWORD shutdown = SCHANNEL_SHUTDOWN, unknown = 0x77;
    SecBuffer token = {sizeof(DWORD), SECBUFFER_TOKEN, &unknown};
    SecBufferDesc token_desc = {SECBUFFER_VERSION, 1, &token};
    BYTE *data;
    int i;

    if (acquire(&cred) != SEC_E_OK) { skip("no credentials\n"); return; }
    if (!start_handshake(&cred, &ctx)) { skip("handshake did not start\n"); FreeCredentialsHandle(&cred); return; }

    data = guarded_init(&g, 64, 'x');
    for (i = 0; i < 4; i++) { bufs[i].BufferType = SECBUFFER_EMPTY; bufs[i].pvBuffer = NULL; bufs[i].cbBuffer = 0; }
    bufs[0].BufferType = SECBUFFER_STREAM_HEADER; bufs[0].pvBuffer = data; bufs[0].cbBuffer = 16;
    bufs[1].BufferType = SECBUFFER_DATA; bufs[1].pvBuffer = data + 16; bufs[1].cbBuffer = 16;
    bufs[2].BufferType = SECBUFFER_STREAM_TRAILER; bufs[2].pvBuffer = data + 32; bufs[2].cbBuffer = 32;
    ok(FAILED(EncryptMessage(&ctx, 0, &desc, 0)), "EncryptMessage before the handshake ended worked\n");
    ok(FAILED(DecryptMessage(&ctx, &desc, 0, NULL)), "DecryptMessage before the handshake ended worked\n");
    ok(QueryContextAttributesA(&ctx, SECPKG_ATTR_STREAM_SIZES, &sizes) != SEC_E_OK, "sizes before the end\n");
    ok(QueryContextAttributesA(&ctx, SECPKG_ATTR_STREAM_SIZES, NULL) != SEC_E_OK, "NULL attribute buffer\n");
    ok(EncryptMessage(&ctx, 0, NULL, 0) != SEC_E_OK, "NULL message\n");
    ok(DecryptMessage(&ctx, NULL, 0, NULL) != SEC_E_OK, "NULL message\n");
    ok(guards_intact(&g), "message guard bytes overwritten\n");

    /* Windows' codes (Wine's schannel tests, run on Windows). */
    ok(ApplyControlToken(&ctx, NULL) == SEC_E_INTERNAL_ERROR, "NULL control token\n");
    ok(ApplyControlToken(&ctx, &token_desc) == SEC_E_UNSUPPORTED_FUNCTION, "unknown control token type\n");
    token.cbBuffer = 2;
    ok(ApplyControlToken(&ctx, &token_desc) == SEC_E_UNSUPPORTED_FUNCTION, "short control token\n");
    token.pvBuffer = &shutdown;
    token.cbBuffer = sizeof(shutdown);
    ok(ApplyControlToken(&ctx, &token_desc) == SEC_E_OK, "shutdown during the handshake refused\n");
    ok(FAILED(EncryptMessage(&ctx, 0, &desc, 0)), "EncryptMessage after shutdown worked\n");
    DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);
}

static void test_handles_of_the_wrong_kind(void)
{
    CredHandle cred;
    CtxtHandle ctx;
    SecPkgCred_SupportedProtocols protocols;
    if (acquire(&cred) != SEC_E_OK) { skip("no credentials\n"); return; }
    if (!start_handshake(&cred, &ctx)) { FreeCredentialsHandle(&cred); return; }
    ok(FreeCredentialsHandle((CredHandle *)&ctx) == SEC_E_INVALID_HANDLE, "context freed as a credential\n");
    ok(QueryCredentialsAttributesA((CredHandle *)&ctx, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &protocols) ==
           SEC_E_INVALID_HANDLE, "context queried as a credential\n");
    /* Windows says SEC_E_INTERNAL_ERROR here (Wine's schannel tests). */
    ok(QueryCredentialsAttributesA(&cred, SECPKG_ATTR_SUPPORTED_PROTOCOLS, NULL) == SEC_E_INTERNAL_ERROR,
       "NULL credential attribute buffer\n");
    /* The credential outlives the context that uses it, and vice versa. */
    ok(FreeCredentialsHandle(&cred) == SEC_E_OK, "credential in use could not be freed\n");
    {
        SecPkgContext_PackageInfoA info = {NULL};
        ok(QueryContextAttributesA(&ctx, SECPKG_ATTR_PACKAGE_INFO, &info) == SEC_E_OK,
           "the context died with its credential\n");
        if (info.PackageInfo) FreeContextBuffer(info.PackageInfo);
    }
    ok(DeleteSecurityContext(&ctx) == SEC_E_OK, "context after its credential could not be deleted\n");
}

static void test_stale_and_null_handles(void)
{
    CredHandle cred, stale_cred;
    CtxtHandle ctx, stale_ctx;
    SecPkgCred_SupportedProtocols protocols;
    SecPkgContext_StreamSizes sizes;
    DWORD shutdown = SCHANNEL_SHUTDOWN;
    SecBuffer token = {sizeof(shutdown), SECBUFFER_TOKEN, &shutdown};
    SecBufferDesc token_desc = {SECBUFFER_VERSION, 1, &token};
    ULONG value = 0;

    if (acquire(&cred) != SEC_E_OK) { skip("no credentials\n"); return; }
    if (!start_handshake(&cred, &ctx)) { skip("handshake did not start\n"); FreeCredentialsHandle(&cred); return; }
    stale_ctx = ctx;
    ok(DeleteSecurityContext(&ctx) == SEC_E_OK, "DeleteSecurityContext failed\n");
    ok(DeleteSecurityContext(&stale_ctx) == SEC_E_INVALID_HANDLE, "context deleted twice\n");
    ok(DeleteSecurityContext(NULL) == SEC_E_INVALID_HANDLE, "NULL context deleted\n");
    ok(ApplyControlToken(&stale_ctx, &token_desc) == SEC_E_INVALID_HANDLE, "control token on a deleted context\n");
    ok(ApplyControlToken(NULL, &token_desc) == SEC_E_INVALID_HANDLE, "control token on a NULL context\n");
    ok(QueryContextAttributesA(&stale_ctx, SECPKG_ATTR_STREAM_SIZES, &sizes) == SEC_E_INVALID_HANDLE,
       "query on a deleted context\n");
    ok(SetContextAttributesA(&stale_ctx, SECPKG_ATTR_STREAM_SIZES, &value, sizeof(value)) == SEC_E_INVALID_HANDLE,
       "SetContextAttributes on a deleted context\n");
    ok(SetContextAttributesW(NULL, SECPKG_ATTR_STREAM_SIZES, &value, sizeof(value)) == SEC_E_INVALID_HANDLE,
       "SetContextAttributes on a NULL context\n");
    ok(EncryptMessage(&stale_ctx, 0, &token_desc, 0) == SEC_E_INVALID_HANDLE, "EncryptMessage on a deleted context\n");
    ok(DecryptMessage(&stale_ctx, &token_desc, 0, NULL) == SEC_E_INVALID_HANDLE,
       "DecryptMessage on a deleted context\n");

    /* Credentials: unknown attributes, freed and NULL handles. */
    ok(QueryCredentialsAttributesA(&cred, 0x7fff1234, &protocols) == SEC_E_UNSUPPORTED_FUNCTION,
       "unknown credential attribute accepted\n");
    ok(QueryCredentialsAttributesW(NULL, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &protocols) == SEC_E_INVALID_HANDLE,
       "NULL credential queried\n");
    stale_cred = cred;
    ok(FreeCredentialsHandle(&cred) == SEC_E_OK, "FreeCredentialsHandle failed\n");
    ok(FreeCredentialsHandle(&stale_cred) == SEC_E_INVALID_HANDLE, "credential freed twice\n");
    ok(FreeCredentialsHandle(NULL) == SEC_E_INVALID_HANDLE, "NULL credential freed\n");
    ok(QueryCredentialsAttributesA(&stale_cred, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &protocols) == SEC_E_INVALID_HANDLE,
       "freed credential queried\n");
    ok(!start_handshake(&stale_cred, &ctx), "handshake on a freed credential started\n");

    /* FreeContextBuffer of NULL is harmless, as on Windows. */
    ok(FreeContextBuffer(NULL) == SEC_E_OK, "FreeContextBuffer(NULL) failed\n");
}

/* ---- An established pair in this process (our ISC <-> our ASC) --------- */

#define PAIR_PIPE 32768
struct pair_pipe {
    BYTE data[PAIR_PIPE];
    ULONG size;
};

static SECURITY_STATUS pair_step(BOOL server, CredHandle *cred, CtxtHandle *ctx, BOOL *have, struct pair_pipe *in,
                                 struct pair_pipe *out)
{
    SecBuffer ib[2], ob[1];
    SecBufferDesc id = {SECBUFFER_VERSION, 2, ib}, od = {SECBUFFER_VERSION, 1, ob};
    ULONG attrs;
    SECURITY_STATUS status;
    ib[0].BufferType = SECBUFFER_TOKEN; ib[0].pvBuffer = in->data; ib[0].cbBuffer = in->size;
    ib[1].BufferType = SECBUFFER_EMPTY; ib[1].pvBuffer = NULL; ib[1].cbBuffer = 0;
    ob[0].BufferType = SECBUFFER_TOKEN; ob[0].pvBuffer = NULL; ob[0].cbBuffer = 0;
    if (server)
        status = AcceptSecurityContext(cred, *have ? ctx : NULL, &id,
                                       ASC_REQ_CONFIDENTIALITY | ASC_REQ_STREAM | ASC_REQ_ALLOCATE_MEMORY, 0, ctx, &od,
                                       &attrs, NULL);
    else
        status = InitializeSecurityContextA(cred, *have ? ctx : NULL, (SEC_CHAR *)"localhost",
                                            ISC_REQ_CONFIDENTIALITY | ISC_REQ_STREAM | ISC_REQ_ALLOCATE_MEMORY, 0, 0,
                                            *have ? &id : NULL, 0, ctx, &od, &attrs, NULL);
    if (!FAILED(status)) *have = TRUE;
    if (status != SEC_E_INCOMPLETE_MESSAGE) {
        if (ib[1].BufferType == SECBUFFER_EXTRA && ib[1].cbBuffer <= in->size) {
            memmove(in->data, in->data + in->size - ib[1].cbBuffer, ib[1].cbBuffer);
            in->size = ib[1].cbBuffer;
        } else {
            in->size = 0;
        }
    }
    if (ob[0].pvBuffer && ob[0].cbBuffer && out->size + ob[0].cbBuffer <= PAIR_PIPE) {
        memcpy(out->data + out->size, ob[0].pvBuffer, ob[0].cbBuffer);
        out->size += ob[0].cbBuffer;
    }
    if (ob[0].pvBuffer) FreeContextBuffer(ob[0].pvBuffer);
    return status;
}

/* Connects a client and a server context; FALSE if that cannot be done here. */
static BOOL connect_pair(CredHandle *client_cred, CredHandle *server_cred, CtxtHandle *client, CtxtHandle *server)
{
    static struct pair_pipe to_server, to_client;
    BOOL have_client = FALSE, have_server = FALSE;
    SECURITY_STATUS cs, ss = SEC_I_CONTINUE_NEEDED;
    int round;
    to_server.size = to_client.size = 0;
    cs = pair_step(FALSE, client_cred, client, &have_client, &to_client, &to_server);
    for (round = 0; round < 16 && (cs != SEC_E_OK || ss != SEC_E_OK); round++) {
        if (ss != SEC_E_OK && to_server.size) ss = pair_step(TRUE, server_cred, server, &have_server, &to_server, &to_client);
        if (cs != SEC_E_OK && to_client.size) cs = pair_step(FALSE, client_cred, client, &have_client, &to_client, &to_server);
        if ((FAILED(cs) && cs != SEC_E_INCOMPLETE_MESSAGE) || (FAILED(ss) && ss != SEC_E_INCOMPLETE_MESSAGE)) break;
    }
    if (cs == SEC_E_OK && ss == SEC_E_OK) return TRUE;
    if (have_client) DeleteSecurityContext(client);
    if (have_server) DeleteSecurityContext(server);
    return FALSE;
}

static SECURITY_STATUS acquire_server(PCCERT_CONTEXT cert, CredHandle *cred)
{
    SCH_CREDENTIALS sch;
    memset(&sch, 0, sizeof(sch));
    sch.dwVersion = SCH_CREDENTIALS_VERSION;
    sch.cCreds = 1;
    sch.paCred = &cert;
    return AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_INBOUND, NULL, &sch, NULL, NULL,
                                     cred, NULL);
}

static void set_message(SecBuffer *b, BYTE *base, ULONG header, ULONG data, ULONG trailer)
{
    int i;
    for (i = 0; i < 4; i++) { b[i].BufferType = SECBUFFER_EMPTY; b[i].pvBuffer = NULL; b[i].cbBuffer = 0; }
    b[0].BufferType = SECBUFFER_STREAM_HEADER; b[0].pvBuffer = base; b[0].cbBuffer = header;
    b[1].BufferType = SECBUFFER_DATA; b[1].pvBuffer = base + header; b[1].cbBuffer = data;
    b[2].BufferType = SECBUFFER_STREAM_TRAILER; b[2].pvBuffer = base + header + data; b[2].cbBuffer = trailer;
}

/* The InitializeSecurityContext call that follows ApplyControlToken
 * (curl's and .NET's): no input, the token allocated for us. */
static SECURITY_STATUS shutdown_call(CredHandle *cred, CtxtHandle *ctx, SecBuffer *out)
{
    SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, out};
    ULONG attrs;
    out->BufferType = SECBUFFER_TOKEN;
    out->pvBuffer = NULL;
    out->cbBuffer = 0;
    return InitializeSecurityContextA(cred, ctx, NULL, ISC_REQ_CONFIDENTIALITY | ISC_REQ_STREAM | ISC_REQ_ALLOCATE_MEMORY,
                                      0, 0, NULL, 0, NULL, &out_desc, &attrs, NULL);
}

static void test_wrong_credential_use_and_established_state(void)
{
    struct test_certificate t;
    CredHandle client_cred, server_cred;
    CtxtHandle client, server, ctx;
    SecPkgContext_StreamSizes sizes;
    struct guarded g;
    SecBuffer b[4], out;
    SecBufferDesc desc = {SECBUFFER_VERSION, 4, b}, out_desc = {SECBUFFER_VERSION, 1, &out};
    DWORD shutdown = SCHANNEL_SHUTDOWN;
    BYTE close_notify[64];
    ULONG close_notify_size = 0;
    SecBuffer token = {sizeof(shutdown), SECBUFFER_TOKEN, &shutdown};
    SecBufferDesc token_desc = {SECBUFFER_VERSION, 1, &token};
    SecBuffer in_bufs[2];
    SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, in_bufs};
    ULONG attrs, value = 0, i;
    SECURITY_STATUS status;
    BYTE *m, hello[8] = {0x16, 0x03, 0x01, 0x00, 0x01, 0x01};

    if (!make_self_signed(&t, AT_KEYEXCHANGE, CRYPT_EXPORTABLE, FALSE)) {
        skip("CertCreateSelfSignCertificate failed: %08lx\n", GetLastError());
        return;
    }
    if (acquire_server(t.cert, &server_cred) != SEC_E_OK) { skip("no server credential\n"); free_test_certificate(&t); return; }
    if (acquire(&client_cred) != SEC_E_OK) { skip("no client credential\n"); goto done_server; }

    /* A credential used the wrong way round. */
    out.BufferType = SECBUFFER_TOKEN; out.pvBuffer = NULL; out.cbBuffer = 0;
    status = InitializeSecurityContextA(&server_cred, NULL, (SEC_CHAR *)"localhost", ISC_REQ_ALLOCATE_MEMORY, 0, 0,
                                        NULL, 0, &ctx, &out_desc, &attrs, NULL);
    ok(status == SEC_E_NO_CREDENTIALS, "ISC with an inbound credential returned %08lx\n", status);
    if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
    in_bufs[0].BufferType = SECBUFFER_TOKEN; in_bufs[0].pvBuffer = hello; in_bufs[0].cbBuffer = sizeof(hello);
    in_bufs[1].BufferType = SECBUFFER_EMPTY; in_bufs[1].pvBuffer = NULL; in_bufs[1].cbBuffer = 0;
    out.pvBuffer = NULL; out.cbBuffer = 0;
    status = AcceptSecurityContext(&client_cred, NULL, &in_desc, ASC_REQ_ALLOCATE_MEMORY, 0, &ctx, &out_desc, &attrs,
                                   NULL);
    ok(status == SEC_E_NO_CREDENTIALS, "ASC with an outbound credential returned %08lx\n", status);
    if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);

    if (!connect_pair(&client_cred, &server_cred, &client, &server)) {
        skip("no in-process connection\n");
        goto done_client;
    }
    ok(QueryContextAttributesA(&client, SECPKG_ATTR_STREAM_SIZES, &sizes) == SEC_E_OK, "no stream sizes\n");
    ok(QueryContextAttributesA(&client, 0x7fff1234, &value) == SEC_E_UNSUPPORTED_FUNCTION,
       "unknown context attribute accepted\n");
    status = SetContextAttributesA(&client, 0x7fff1234, &value, sizeof(value));
    ok(status == SEC_E_UNSUPPORTED_FUNCTION, "SetContextAttributes(unknown) returned %08lx\n", status);
    ok(SetContextAttributesA(&client, SECPKG_ATTR_STREAM_SIZES, NULL, 0) != SEC_E_OK,
       "SetContextAttributes with no buffer worked\n");

    /* EncryptMessage with lying buffers, between guards. */
    m = guarded_init(&g, 256, 'm');
    set_message(b, m, sizes.cbHeader - 1, 16, sizes.cbTrailer);
    ok(EncryptMessage(&client, 0, &desc, 0) == SEC_E_BUFFER_TOO_SMALL, "short header accepted\n");
    set_message(b, m, sizes.cbHeader, 16, sizes.cbTrailer - 1);
    ok(EncryptMessage(&client, 0, &desc, 0) == SEC_E_BUFFER_TOO_SMALL, "short trailer accepted\n");
    set_message(b, m, sizes.cbHeader, 16, sizes.cbTrailer);
    b[1].BufferType = SECBUFFER_EMPTY;
    ok(EncryptMessage(&client, 0, &desc, 0) == SEC_E_INVALID_TOKEN, "no DATA buffer accepted\n");
    set_message(b, m, sizes.cbHeader, 16, sizes.cbTrailer);
    b[1].pvBuffer = NULL;
    ok(EncryptMessage(&client, 0, &desc, 0) == SEC_E_INVALID_TOKEN, "DATA without a pointer accepted\n");
    set_message(b, m, sizes.cbHeader, 16, sizes.cbTrailer);
    ok(EncryptMessage(&client, 0x1234, &desc, 0) == SEC_E_QOP_NOT_SUPPORTED, "garbage QOP accepted\n");
    b[1].cbBuffer = sizes.cbMaximumMessage + 1;
    ok(EncryptMessage(&client, 0, &desc, 0) == SEC_E_BUFFER_TOO_SMALL, "DATA beyond cbMaximumMessage accepted\n");
    ok(guards_intact(&g), "EncryptMessage wrote outside the buffers\n");

    /* DecryptMessage with lying buffers. */
    m = guarded_init(&g, 64, 0);
    memcpy(m, "\x17\x03\x03\x00\x20", 5);
    set_message(b, m, 0, 0, 0);
    b[0].BufferType = SECBUFFER_DATA; b[0].pvBuffer = m; b[0].cbBuffer = 3;
    b[1].BufferType = SECBUFFER_EMPTY; b[1].pvBuffer = NULL; b[1].cbBuffer = 0;
    b[2].BufferType = SECBUFFER_EMPTY; b[2].pvBuffer = NULL; b[2].cbBuffer = 0;
    desc.cBuffers = 3;
    ok(DecryptMessage(&client, &desc, 0, NULL) == SEC_E_INVALID_TOKEN, "three buffers accepted\n");
    desc.cBuffers = 4;
    b[1].BufferType = SECBUFFER_DATA; b[1].pvBuffer = m; b[1].cbBuffer = 3;
    ok(DecryptMessage(&client, &desc, 0, NULL) == SEC_E_INVALID_TOKEN, "two DATA buffers accepted\n");
    b[1].BufferType = SECBUFFER_EMPTY; b[1].pvBuffer = NULL; b[1].cbBuffer = 0;
    status = DecryptMessage(&client, &desc, 0, NULL);
    ok(status == SEC_E_INCOMPLETE_MESSAGE, "partial header returned %08lx\n", status);
    ok(b[0].BufferType == SECBUFFER_MISSING && b[0].cbBuffer == 2, "MISSING %lu/%lu, expected 2\n",
       b[0].BufferType, b[0].cbBuffer);
    b[0].BufferType = SECBUFFER_DATA; b[0].pvBuffer = m; b[0].cbBuffer = 10;
    status = DecryptMessage(&client, &desc, 0, NULL);
    ok(status == SEC_E_INCOMPLETE_MESSAGE, "partial record returned %08lx\n", status);
    ok(b[0].BufferType == SECBUFFER_MISSING && b[0].cbBuffer == 27, "MISSING %lu/%lu, expected 27\n",
       b[0].BufferType, b[0].cbBuffer);
    ok(guards_intact(&g), "DecryptMessage wrote outside the buffers\n");

    /* Descriptors that lie, on an established context. */
    ok(EncryptMessage(&client, 0, NULL, 0) == SEC_E_INVALID_TOKEN, "EncryptMessage(NULL message)\n");
    ok(DecryptMessage(&client, NULL, 0, NULL) == SEC_E_INVALID_TOKEN, "DecryptMessage(NULL message)\n");
    m = guarded_init(&g, 256, 'm');
    set_message(b, m, sizes.cbHeader, 16, sizes.cbTrailer);
    desc.cBuffers = 0;
    ok(EncryptMessage(&client, 0, &desc, 0) == SEC_E_INVALID_TOKEN, "EncryptMessage with no buffers\n");
    ok(DecryptMessage(&client, &desc, 0, NULL) == SEC_E_INVALID_TOKEN, "DecryptMessage with no buffers\n");
    desc.cBuffers = 0x10000000;
    ok(EncryptMessage(&client, 0, &desc, 0) == SEC_E_INVALID_TOKEN, "EncryptMessage with an absurd count\n");
    ok(DecryptMessage(&client, &desc, 0, NULL) == SEC_E_INVALID_TOKEN, "DecryptMessage with an absurd count\n");
    desc.cBuffers = 4;
    desc.pBuffers = NULL;
    ok(EncryptMessage(&client, 0, &desc, 0) == SEC_E_INVALID_TOKEN, "EncryptMessage without buffers\n");
    ok(DecryptMessage(&client, &desc, 0, NULL) == SEC_E_INVALID_TOKEN, "DecryptMessage without buffers\n");
    desc.pBuffers = b;
    b[0].pvBuffer = NULL;
    ok(EncryptMessage(&client, 0, &desc, 0) == SEC_E_INVALID_TOKEN, "a header with no pointer accepted\n");
    set_message(b, m, sizes.cbHeader, 16, sizes.cbTrailer);
    b[2].BufferType = SECBUFFER_EMPTY;
    ok(EncryptMessage(&client, 0, &desc, 0) == SEC_E_INVALID_TOKEN, "no trailer buffer accepted\n");
    set_message(b, m, sizes.cbHeader, 16, sizes.cbTrailer);
    b[0].BufferType = 0x1234;
    ok(EncryptMessage(&client, 0, &desc, 0) == SEC_E_INVALID_TOKEN, "a garbage buffer type for the header\n");
    ok(guards_intact(&g), "writes outside the buffers with lying descriptors\n");
    ok(QueryContextAttributesA(&client, SECPKG_ATTR_STREAM_SIZES, NULL) == SEC_E_INVALID_PARAMETER,
       "NULL attribute buffer on an established context\n");

    /* Records from the peer that are damaged. A real record from the
     * server, then the same with one bit flipped in each part. */
    {
        BYTE record[256];
        ULONG record_size, at;
        static const ULONG flips[] = {0, 1, 3, 5, 12, 20, 40};
        for (at = 0; at < ARRAY_SIZE(flips) + 3; at++) {
            m = guarded_init(&g, 256, 'r');
            set_message(b, m, sizes.cbHeader, 32, sizes.cbTrailer);
            status = EncryptMessage(&server, 0, &desc, 0);
            ok(status == SEC_E_OK, "server EncryptMessage returned %08lx\n", status);
            if (status != SEC_E_OK) break;
            record_size = b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer;
            memmove(record, m, b[0].cbBuffer);
            memmove(record + b[0].cbBuffer, b[1].pvBuffer, b[1].cbBuffer);
            memmove(record + b[0].cbBuffer + b[1].cbBuffer, b[2].pvBuffer, b[2].cbBuffer);
            if (at == ARRAY_SIZE(flips)) {
                /* A length beyond the largest record TLS allows. */
                record[3] = 0x48; record[4] = 0x01;
            } else if (at == ARRAY_SIZE(flips) + 1) {
                record[0] = 0x99; /* no such content type */
            } else if (at == ARRAY_SIZE(flips) + 2) {
                record[3] = 0; record[4] = 0; /* an empty encrypted record */
                record_size = 5;
            } else if (flips[at] < record_size) {
                record[flips[at] == 0 || flips[at] >= 5 ? flips[at] : record_size - 1] ^= 0x01;
            }
            m = guarded_init(&g, record_size, 0);
            memcpy(m, record, record_size);
            for (i = 0; i < 4; i++) { b[i].BufferType = SECBUFFER_EMPTY; b[i].pvBuffer = NULL; b[i].cbBuffer = 0; }
            b[0].BufferType = SECBUFFER_DATA; b[0].pvBuffer = m; b[0].cbBuffer = record_size;
            status = DecryptMessage(&client, &desc, 0, NULL);
            ok(FAILED(status) && status != SEC_E_INCOMPLETE_MESSAGE && status != SEC_E_INTERNAL_ERROR,
               "damaged record %lu returned %08lx\n", at, status);
            if (at > 0 && at < ARRAY_SIZE(flips))
                ok(status == SEC_E_DECRYPT_FAILURE, "record with byte %lu flipped returned %08lx\n", flips[at],
                   status);
            ok(guards_intact(&g), "DecryptMessage wrote outside a damaged record\n");
            /* A damaged record ends the connection: make a new one. */
            DeleteSecurityContext(&client);
            DeleteSecurityContext(&server);
            if (!connect_pair(&client_cred, &server_cred, &client, &server)) {
                ok(0, "could not reconnect\n");
                goto done_client;
            }
        }
    }

    /* After shutdown: no more application data. */
    ok(ApplyControlToken(&client, &token_desc) == SEC_E_OK, "SCHANNEL_SHUTDOWN refused\n");
    m = guarded_init(&g, 256, 'm');
    set_message(b, m, sizes.cbHeader, 16, sizes.cbTrailer);
    status = EncryptMessage(&client, 0, &desc, 0);
    ok(status == SEC_E_CONTEXT_EXPIRED, "EncryptMessage after shutdown returned %08lx\n", status);
    status = shutdown_call(&client_cred, &client, &out);
    ok(status == SEC_E_OK || status == SEC_I_CONTEXT_EXPIRED, "close_notify ISC returned %08lx\n", status);
    ok(out.pvBuffer && out.cbBuffer, "no close_notify\n");
    close_notify_size = out.pvBuffer && out.cbBuffer <= sizeof(close_notify) ? out.cbBuffer : 0;
    if (close_notify_size) memcpy(close_notify, out.pvBuffer, close_notify_size);
    if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
    set_message(b, m, sizes.cbHeader, 16, sizes.cbTrailer);
    status = EncryptMessage(&client, 0, &desc, 0);
    ok(status == SEC_E_CONTEXT_EXPIRED, "EncryptMessage after close_notify returned %08lx\n", status);
    /* Windows answers a second shutdown with the close_notify again; the
     * context stays closed to records meanwhile. */
    ok(ApplyControlToken(&client, &token_desc) == SEC_E_OK, "second shutdown refused\n");
    set_message(b, m, sizes.cbHeader, 16, sizes.cbTrailer);
    status = EncryptMessage(&client, 0, &desc, 0);
    ok(status == SEC_E_CONTEXT_EXPIRED, "EncryptMessage after a second shutdown returned %08lx\n", status);
    status = shutdown_call(&client_cred, &client, &out);
    ok(status == SEC_E_OK, "second close_notify ISC returned %08lx\n", status);
    ok(close_notify_size && out.cbBuffer == close_notify_size && out.pvBuffer &&
           !memcmp(out.pvBuffer, close_notify, close_notify_size),
       "second close_notify (%lu bytes) differs from the first (%lu)\n", out.cbBuffer, close_notify_size);
    if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
    status = shutdown_call(&client_cred, &client, &out);
    if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
    ok(status == SEC_E_INCOMPLETE_MESSAGE, "ISC without input on a closed context returned %08lx\n", status);
    m = guarded_init(&g, 64, 0);
    memcpy(m, "\x17\x03\x03\x00\x20", 5);
    for (i = 0; i < 4; i++) { b[i].BufferType = SECBUFFER_EMPTY; b[i].pvBuffer = NULL; b[i].cbBuffer = 0; }
    b[0].BufferType = SECBUFFER_DATA; b[0].pvBuffer = m; b[0].cbBuffer = 37;
    status = DecryptMessage(&client, &desc, 0, NULL);
    ok(status == SEC_E_CONTEXT_EXPIRED, "DecryptMessage after close_notify returned %08lx\n", status);
    ok(guards_intact(&g), "writes outside the buffers after shutdown\n");

    DeleteSecurityContext(&client);
    DeleteSecurityContext(&server);
done_client:
    FreeCredentialsHandle(&client_cred);
done_server:
    FreeCredentialsHandle(&server_cred);
    free_test_certificate(&t);
}

/* A real ClientHello from our client, for the server-side cases. */
static ULONG client_hello(CredHandle *client_cred, BYTE *buf, ULONG size)
{
    CtxtHandle ctx;
    SecBuffer out = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, &out};
    ULONG attrs, got = 0;
    SECURITY_STATUS status = InitializeSecurityContextA(client_cred, NULL, (SEC_CHAR *)"localhost",
        ISC_REQ_CONFIDENTIALITY | ISC_REQ_STREAM | ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0, &ctx, &out_desc, &attrs,
        NULL);
    if (status == SEC_I_CONTINUE_NEEDED && out.pvBuffer && out.cbBuffer <= size) {
        memcpy(buf, out.pvBuffer, out.cbBuffer);
        got = out.cbBuffer;
    }
    if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
    if (!FAILED(status)) DeleteSecurityContext(&ctx);
    return got;
}

/* One AcceptSecurityContext first call on `input` (TOKEN + EMPTY, the
 * token between guards); the new context, if any, is deleted. */
static SECURITY_STATUS accept_once(CredHandle *server_cred, const BYTE *input, ULONG size, ULONG flags,
                                   SecBufferDesc *out_desc, SecBuffer *extra)
{
    struct guarded g;
    SecBuffer in[2];
    SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, in};
    CtxtHandle ctx = {0x1234, 0x5678};
    ULONG attrs;
    SECURITY_STATUS status;
    BYTE *token = guarded_init(&g, size, 0);
    memcpy(token, input, size);
    in[0].BufferType = SECBUFFER_TOKEN; in[0].pvBuffer = token; in[0].cbBuffer = size;
    in[1].BufferType = SECBUFFER_EMPTY; in[1].pvBuffer = NULL; in[1].cbBuffer = 0;
    status = AcceptSecurityContext(server_cred, NULL, &in_desc, flags, 0, &ctx, out_desc, &attrs, NULL);
    ok(guards_intact(&g), "ASC wrote around its input token\n");
    ok(!memcmp(token, input, size), "ASC changed its input token\n");
    if (extra) *extra = in[1];
    if (FAILED(status) || status == SEC_E_INCOMPLETE_MESSAGE)
        ok(ctx.dwLower == 0x1234 && ctx.dwUpper == 0x5678, "a failed first call returned a context handle\n");
    else
        DeleteSecurityContext(&ctx);
    return status;
}

/* A ClientHello record whose handshake message claims 16 MB: TLS lets a
 * message span records, so the server may wait for more, but it must give
 * up within a bound instead of buffering whatever a client sends. */
static void test_accept_endless_message(CredHandle *server_cred)
{
    static BYTE record[5 + 16384];
    SecBuffer in[2], out;
    SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, in}, out_desc = {SECBUFFER_VERSION, 1, &out};
    CtxtHandle ctx;
    BOOL have = FALSE;
    ULONG attrs, sent = 0;
    SECURITY_STATUS status;
    int n;

    memset(record, 0xff, sizeof(record));
    record[0] = 0x16; record[1] = 0x03; record[2] = 0x01; record[3] = 0x40; record[4] = 0x00;
    record[5] = 0x01; /* ClientHello, length 0xffffff */
    for (n = 0; n < 256; n++) {
        in[0].BufferType = SECBUFFER_TOKEN; in[0].pvBuffer = record; in[0].cbBuffer = sizeof(record);
        in[1].BufferType = SECBUFFER_EMPTY; in[1].pvBuffer = NULL; in[1].cbBuffer = 0;
        out.BufferType = SECBUFFER_TOKEN; out.pvBuffer = NULL; out.cbBuffer = 0;
        status = AcceptSecurityContext(server_cred, have ? &ctx : NULL, &in_desc, ASC_REQ_ALLOCATE_MEMORY, 0, &ctx,
                                       &out_desc, &attrs, NULL);
        if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
        if (status != SEC_I_CONTINUE_NEEDED) break;
        ok(!out.cbBuffer, "output while the ClientHello is incomplete\n");
        ok(in[1].BufferType != SECBUFFER_EXTRA, "bytes of a whole record left over\n");
        have = TRUE;
        record[5] = 0xff; /* later records: more of the same message */
        sent += sizeof(record) - 5;
        record[5] = 0xff;
    }
    ok(FAILED(status) && status != SEC_E_INCOMPLETE_MESSAGE, "a 16 MB ClientHello returned %08lx after %lu bytes\n",
       status, sent);
    ok(sent <= 1024 * 1024, "%lu bytes of one ClientHello buffered\n", sent);
    trace("a 16 MB ClientHello: %08lx after %lu bytes\n", status, sent);
    if (have) ok(DeleteSecurityContext(&ctx) == SEC_E_OK, "the waiting context could not be deleted\n");
}

static void test_accept(void)
{
    struct test_certificate t;
    CredHandle client_cred, server_cred, garbage_cred = {0xdeadbeef, 0xdeadbeef};
    CtxtHandle ctx;
    SecBuffer in[2], out, extra;
    SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, in}, out_desc = {SECBUFFER_VERSION, 1, &out};
    struct guarded g_out;
    BYTE hello[2048], bad[2048];
    ULONG hello_size, attrs, i;
    SECURITY_STATUS status;
    static const BYTE http[] = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
    static const BYTE sslv2[] = {0x80, 0x2e, 0x01, 0x00, 0x02, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10};

    if (!make_self_signed(&t, AT_KEYEXCHANGE, CRYPT_EXPORTABLE, FALSE)) {
        skip("CertCreateSelfSignCertificate failed: %08lx\n", GetLastError());
        return;
    }
    if (acquire_server(t.cert, &server_cred) != SEC_E_OK) { skip("no server credential\n"); free_test_certificate(&t); return; }
    if (acquire(&client_cred) != SEC_E_OK) { skip("no client credential\n"); goto done_server; }
    hello_size = client_hello(&client_cred, hello, sizeof(hello));
    ok(hello_size > 5, "no ClientHello\n");
    if (hello_size <= 5) goto done_client;

    /* Handles and pointers. */
    in[0].BufferType = SECBUFFER_TOKEN; in[0].pvBuffer = hello; in[0].cbBuffer = hello_size;
    in[1].BufferType = SECBUFFER_EMPTY; in[1].pvBuffer = NULL; in[1].cbBuffer = 0;
    out.BufferType = SECBUFFER_TOKEN; out.pvBuffer = NULL; out.cbBuffer = 0;
    status = AcceptSecurityContext(NULL, NULL, &in_desc, ASC_REQ_ALLOCATE_MEMORY, 0, &ctx, &out_desc, &attrs, NULL);
    ok(status == SEC_E_INVALID_HANDLE, "ASC without a credential returned %08lx\n", status);
    status = AcceptSecurityContext(&garbage_cred, NULL, &in_desc, ASC_REQ_ALLOCATE_MEMORY, 0, &ctx, &out_desc, &attrs,
                                   NULL);
    ok(status == SEC_E_INVALID_HANDLE, "ASC with a garbage credential returned %08lx\n", status);
    status = AcceptSecurityContext(&server_cred, NULL, &in_desc, ASC_REQ_ALLOCATE_MEMORY, 0, NULL, &out_desc, &attrs,
                                   NULL);
    ok(status == SEC_E_INVALID_HANDLE, "ASC without a new context pointer returned %08lx\n", status);
    ctx.dwLower = ctx.dwUpper = 0xdeadbeef;
    status = AcceptSecurityContext(&server_cred, &ctx, &in_desc, ASC_REQ_ALLOCATE_MEMORY, 0, &ctx, &out_desc, &attrs,
                                   NULL);
    ok(status == SEC_E_INVALID_HANDLE, "ASC continuing a garbage context returned %08lx\n", status);
    ok(!out.pvBuffer, "output allocated on a failed call\n");

    /* Input descriptors that lie. */
    status = AcceptSecurityContext(&server_cred, NULL, NULL, ASC_REQ_ALLOCATE_MEMORY, 0, &ctx, &out_desc, &attrs, NULL);
    ok(status == SEC_E_INVALID_TOKEN, "ASC without input returned %08lx\n", status);
    in_desc.cBuffers = 0;
    status = AcceptSecurityContext(&server_cred, NULL, &in_desc, ASC_REQ_ALLOCATE_MEMORY, 0, &ctx, &out_desc, &attrs,
                                   NULL);
    ok(status == SEC_E_INVALID_TOKEN, "empty input descriptor returned %08lx\n", status);
    in_desc.cBuffers = 0x10000000;
    status = AcceptSecurityContext(&server_cred, NULL, &in_desc, ASC_REQ_ALLOCATE_MEMORY, 0, &ctx, &out_desc, &attrs,
                                   NULL);
    ok(status == SEC_E_INVALID_TOKEN, "absurd input buffer count returned %08lx\n", status);
    in_desc.cBuffers = 2;
    in_desc.pBuffers = NULL;
    status = AcceptSecurityContext(&server_cred, NULL, &in_desc, ASC_REQ_ALLOCATE_MEMORY, 0, &ctx, &out_desc, &attrs,
                                   NULL);
    ok(status == SEC_E_INVALID_TOKEN, "input descriptor without buffers returned %08lx\n", status);
    in_desc.pBuffers = in;
    in[0].pvBuffer = NULL;
    status = AcceptSecurityContext(&server_cred, NULL, &in_desc, ASC_REQ_ALLOCATE_MEMORY, 0, &ctx, &out_desc, &attrs,
                                   NULL);
    ok(status == SEC_E_INVALID_TOKEN, "NULL token with a length returned %08lx\n", status);
    in[0].pvBuffer = hello;
    in[0].BufferType = SECBUFFER_DATA;
    status = AcceptSecurityContext(&server_cred, NULL, &in_desc, ASC_REQ_ALLOCATE_MEMORY, 0, &ctx, &out_desc, &attrs,
                                   NULL);
    ok(status == SEC_E_INVALID_TOKEN, "input without a token returned %08lx\n", status);
    ok(!out.pvBuffer, "output allocated on a failed call\n");

    /* Short input: nothing, a partial header, a partial record. */
    status = accept_once(&server_cred, hello, 0, ASC_REQ_ALLOCATE_MEMORY, &out_desc, &extra);
    ok(status == SEC_E_INCOMPLETE_MESSAGE, "empty token returned %08lx\n", status);
    status = accept_once(&server_cred, hello, 3, ASC_REQ_ALLOCATE_MEMORY, &out_desc, &extra);
    ok(status == SEC_E_INCOMPLETE_MESSAGE, "partial header returned %08lx\n", status);
    status = accept_once(&server_cred, hello, hello_size - 1, ASC_REQ_ALLOCATE_MEMORY, &out_desc, &extra);
    ok(status == SEC_E_INCOMPLETE_MESSAGE, "partial ClientHello returned %08lx\n", status);
    ok(extra.BufferType == SECBUFFER_MISSING && extra.cbBuffer == 1, "MISSING %lu/%lu, expected 1\n",
       extra.BufferType, extra.cbBuffer);
    ok(!out.pvBuffer, "output allocated for an incomplete message\n");

    /* Not TLS, or TLS with garbage: a failure, never a crash, never
     * "incomplete" (a caller would wait for more forever). */
    status = accept_once(&server_cred, http, sizeof(http) - 1, ASC_REQ_ALLOCATE_MEMORY, &out_desc, NULL);
    ok(FAILED(status) && status != SEC_E_INCOMPLETE_MESSAGE, "an HTTP request returned %08lx\n", status);
    status = accept_once(&server_cred, sslv2, sizeof(sslv2), ASC_REQ_ALLOCATE_MEMORY, &out_desc, NULL);
    ok(FAILED(status) && status != SEC_E_INCOMPLETE_MESSAGE, "an SSL 2 hello returned %08lx\n", status);
    memcpy(bad, hello, hello_size);
    bad[5] = 0x63; /* no such handshake message type */
    status = accept_once(&server_cred, bad, hello_size, ASC_REQ_ALLOCATE_MEMORY, &out_desc, NULL);
    ok(FAILED(status) && status != SEC_E_INCOMPLETE_MESSAGE, "an unknown handshake type returned %08lx\n", status);
    test_accept_endless_message(&server_cred);
    memcpy(bad, hello, hello_size);
    bad[0] = 0x17; /* application data before any handshake */
    status = accept_once(&server_cred, bad, hello_size, ASC_REQ_ALLOCATE_MEMORY, &out_desc, NULL);
    ok(FAILED(status) && status != SEC_E_INCOMPLETE_MESSAGE, "application data as a hello returned %08lx\n", status);
    for (i = 0; i < 16; i++) {
        /* Truncated by its own length fields: each length byte set to 0. */
        memcpy(bad, hello, hello_size);
        bad[5 + 1 + (i % 3)] = 0;
        bad[43 + (i % 4)] ^= 0xff;
        status = accept_once(&server_cred, bad, hello_size, ASC_REQ_ALLOCATE_MEMORY, &out_desc, NULL);
        ok(status != SEC_E_INTERNAL_ERROR, "mutated hello %lu returned %08lx\n", i, status);
        if (out.pvBuffer) { FreeContextBuffer(out.pvBuffer); out.pvBuffer = NULL; out.cbBuffer = 0; }
    }
    ok(!out.pvBuffer, "output left allocated on failures\n");

    /* A caller-supplied output buffer too small for the server's flight,
     * between guards. */
    out.pvBuffer = guarded_init(&g_out, 16, 0);
    out.cbBuffer = 16;
    out.BufferType = SECBUFFER_TOKEN;
    status = accept_once(&server_cred, hello, hello_size, 0, &out_desc, NULL);
    ok(status == SEC_E_INSUFFICIENT_MEMORY || status == SEC_E_BUFFER_TOO_SMALL,
       "a 16-byte output buffer returned %08lx\n", status);
    ok(guards_intact(&g_out), "ASC wrote outside the output buffer\n");
    /* No output descriptor at all, or one without a token buffer. */
    status = accept_once(&server_cred, hello, hello_size, ASC_REQ_ALLOCATE_MEMORY, NULL, NULL);
    ok(status == SEC_E_INVALID_TOKEN, "no output descriptor returned %08lx\n", status);
    out.BufferType = SECBUFFER_DATA; out.pvBuffer = NULL; out.cbBuffer = 0;
    status = accept_once(&server_cred, hello, hello_size, ASC_REQ_ALLOCATE_MEMORY, &out_desc, NULL);
    ok(status == SEC_E_INVALID_TOKEN, "an output descriptor without a token returned %08lx\n", status);
    ok(!out.pvBuffer, "output allocated into a DATA buffer\n");

    /* Sanity: the same hello, well presented, is accepted. */
    out.BufferType = SECBUFFER_TOKEN; out.pvBuffer = NULL; out.cbBuffer = 0;
    status = accept_once(&server_cred, hello, hello_size, ASC_REQ_ALLOCATE_MEMORY, &out_desc, NULL);
    ok(status == SEC_I_CONTINUE_NEEDED, "the real ClientHello returned %08lx\n", status);
    ok(out.pvBuffer && out.cbBuffer, "no server flight\n");
    if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);

done_client:
    FreeCredentialsHandle(&client_cred);
done_server:
    FreeCredentialsHandle(&server_cred);
    free_test_certificate(&t);
}

/* Handles that were never issued, of the wrong kind, or another package's,
 * for every entry point that takes one. */
static void test_garbage_handles(void)
{
    static const ULONG_PTR values[][2] = {
        {0, 0}, {0xdeadbeef, 0xdeadbeef}, {~(ULONG_PTR)0, ~(ULONG_PTR)0}, {1, 1}, {0x10000, 0},
    };
    CredHandle cred, neg_cred;
    CtxtHandle ctx, real_ctx;
    SecBuffer b[4], out = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc desc = {SECBUFFER_VERSION, 4, b}, out_desc = {SECBUFFER_VERSION, 1, &out};
    SecPkgContext_StreamSizes sizes;
    SecPkgCred_SupportedProtocols protocols;
    DWORD shutdown = SCHANNEL_SHUTDOWN;
    SecBuffer token = {sizeof(shutdown), SECBUFFER_TOKEN, &shutdown};
    SecBufferDesc token_desc = {SECBUFFER_VERSION, 1, &token};
    BYTE data[64];
    ULONG attrs, value = 0, i;
    SECURITY_STATUS status;

    set_message(b, data, 16, 16, 32);
    for (i = 0; i < ARRAY_SIZE(values); i++) {
        ctx.dwLower = values[i][0]; ctx.dwUpper = values[i][1];
        cred.dwLower = values[i][0]; cred.dwUpper = values[i][1];
        ok(EncryptMessage(&ctx, 0, &desc, 0) == SEC_E_INVALID_HANDLE, "%lu: EncryptMessage\n", i);
        ok(DecryptMessage(&ctx, &desc, 0, NULL) == SEC_E_INVALID_HANDLE, "%lu: DecryptMessage\n", i);
        ok(QueryContextAttributesA(&ctx, SECPKG_ATTR_STREAM_SIZES, &sizes) == SEC_E_INVALID_HANDLE,
           "%lu: QueryContextAttributesA\n", i);
        ok(QueryContextAttributesW(&ctx, SECPKG_ATTR_STREAM_SIZES, &sizes) == SEC_E_INVALID_HANDLE,
           "%lu: QueryContextAttributesW\n", i);
        ok(SetContextAttributesA(&ctx, SECPKG_ATTR_STREAM_SIZES, &value, sizeof(value)) == SEC_E_INVALID_HANDLE,
           "%lu: SetContextAttributesA\n", i);
        ok(ApplyControlToken(&ctx, &token_desc) == SEC_E_INVALID_HANDLE, "%lu: ApplyControlToken\n", i);
        ok(DeleteSecurityContext(&ctx) == SEC_E_INVALID_HANDLE, "%lu: DeleteSecurityContext\n", i);
        ok(QueryCredentialsAttributesA(&cred, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &protocols) == SEC_E_INVALID_HANDLE,
           "%lu: QueryCredentialsAttributesA\n", i);
        ok(QueryCredentialsAttributesW(&cred, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &protocols) == SEC_E_INVALID_HANDLE,
           "%lu: QueryCredentialsAttributesW\n", i);
        ok(FreeCredentialsHandle(&cred) == SEC_E_INVALID_HANDLE, "%lu: FreeCredentialsHandle\n", i);
        status = InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)"localhost", ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL,
                                            0, &real_ctx, &out_desc, &attrs, NULL);
        ok(status == SEC_E_INVALID_HANDLE, "%lu: ISC with a garbage credential returned %08lx\n", i, status);
        status = InitializeSecurityContextA(NULL, &ctx, (SEC_CHAR *)"localhost", ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL,
                                            0, &real_ctx, &out_desc, &attrs, NULL);
        ok(status == SEC_E_INVALID_HANDLE, "%lu: ISC with a garbage context returned %08lx\n", i, status);
        ok(!out.pvBuffer, "%lu: output allocated on a failed call\n", i);
    }
    ok(InitializeSecurityContextA(NULL, NULL, (SEC_CHAR *)"localhost", ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0,
                                  &real_ctx, &out_desc, &attrs, NULL) == SEC_E_INVALID_HANDLE,
       "ISC with neither credential nor context\n");
    ok(QueryContextAttributesA(NULL, SECPKG_ATTR_STREAM_SIZES, &sizes) == SEC_E_INVALID_HANDLE, "NULL context query\n");
    ok(EncryptMessage(NULL, 0, &desc, 0) == SEC_E_INVALID_HANDLE, "EncryptMessage on a NULL context\n");
    ok(DecryptMessage(NULL, &desc, 0, NULL) == SEC_E_INVALID_HANDLE, "DecryptMessage on a NULL context\n");

    /* A credential handle where a context belongs, and another package's
     * handles with Schannel's. */
    if (acquire(&cred) != SEC_E_OK) { skip("no credentials\n"); return; }
    ok(EncryptMessage((CtxtHandle *)&cred, 0, &desc, 0) == SEC_E_INVALID_HANDLE, "credential used as a context\n");
    ok(DeleteSecurityContext((CtxtHandle *)&cred) == SEC_E_INVALID_HANDLE, "credential deleted as a context\n");
    ok(QueryContextAttributesA((CtxtHandle *)&cred, SECPKG_ATTR_STREAM_SIZES, &sizes) == SEC_E_INVALID_HANDLE,
       "credential queried as a context\n");
    if (start_handshake(&cred, &real_ctx)) {
        status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Negotiate", SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL,
                                           &neg_cred, NULL);
        if (status == SEC_E_OK) {
            status = InitializeSecurityContextA(&neg_cred, &real_ctx, (SEC_CHAR *)"localhost", ISC_REQ_ALLOCATE_MEMORY,
                                                0, 0, NULL, 0, &ctx, &out_desc, &attrs, NULL);
            ok(status == SEC_E_INVALID_HANDLE, "a Negotiate credential with a Schannel context returned %08lx\n",
               status);
            status = QueryCredentialsAttributesA(&neg_cred, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &protocols);
            ok(status != SEC_E_OK, "Schannel's attribute from a Negotiate credential returned %08lx\n", status);
            FreeCredentialsHandle(&neg_cred);
        } else {
            skip("no Negotiate credential (%08lx)\n", status);
        }
        /* The context still works after all that. */
        ok(ApplyControlToken(&real_ctx, &token_desc) == SEC_E_OK, "the context was damaged\n");
        ok(DeleteSecurityContext(&real_ctx) == SEC_E_OK, "the context could not be deleted\n");
    }
    FreeCredentialsHandle(&cred);
}

START_TEST(bad_input)
{
    if (!running_ours()) {
        skip("stock Wine crashes on parts of this matrix\n");
        return;
    }
    test_acquire();
    test_acquire_more();
    test_initialize();
    test_messages_in_wrong_state();
    test_handles_of_the_wrong_kind();
    test_stale_and_null_handles();
    test_wrong_credential_use_and_established_state();
    test_accept();
    test_garbage_handles();
}
