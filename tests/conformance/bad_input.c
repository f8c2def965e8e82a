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
#include <sspi.h>
#include <schannel.h>
#include <string.h>

#include "wine/test.h"

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

    ok(ApplyControlToken(&ctx, NULL) == SEC_E_INVALID_TOKEN, "NULL control token\n");
    ok(ApplyControlToken(&ctx, &token_desc) == SEC_E_UNSUPPORTED_FUNCTION, "unknown control token type\n");
    token.cbBuffer = 2;
    ok(ApplyControlToken(&ctx, &token_desc) == SEC_E_INVALID_TOKEN, "short control token\n");
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
    ok(QueryCredentialsAttributesA(&cred, SECPKG_ATTR_SUPPORTED_PROTOCOLS, NULL) == SEC_E_INVALID_PARAMETER,
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

START_TEST(bad_input)
{
    if (!running_ours()) {
        skip("stock Wine crashes on parts of this matrix\n");
        return;
    }
    test_acquire();
    test_initialize();
    test_messages_in_wrong_state();
    test_handles_of_the_wrong_kind();
}
