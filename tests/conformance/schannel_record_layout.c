/*
 * Where DecryptMessage's output buffers point (Microsoft's DecryptMessage
 * (Schannel) page; curl, schannel-rs and .NET rely on it): decryption
 * happens in place, so STREAM_HEADER, DATA, STREAM_TRAILER and EXTRA all
 * lie inside the caller's input buffer, in that order, DATA starting right
 * after the header, EXTRA right after the record. A module that decrypts
 * into memory of its own (stock Wine 8 copies every record through a heap
 * buffer) fails here. Records of 0, 1, 1000 and 16384 bytes, several per
 * input buffer, TLS 1.2 and TLS 1.3, client and server side, EncryptMessage
 * with contiguous and with separate header/data/trailer buffers.
 *
 * Needs AcceptSecurityContext for an in-process peer: skipped where the
 * module has none.
 */
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

#ifndef SP_PROT_TLS1_3_CLIENT
#define SP_PROT_TLS1_3_CLIENT 0x00002000
#endif
#ifndef PKCS12_NO_PERSIST_KEY
#define PKCS12_NO_PERSIST_KEY 0x00008000
#endif

#define RL_ISC_FLAGS (ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY | \
                      ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM | ISC_REQ_MANUAL_CRED_VALIDATION)
#define RL_ASC_FLAGS (ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT | ASC_REQ_CONFIDENTIALITY | \
                      ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_STREAM)
#define RL_WIRE 70000

struct rl_pipe { BYTE data[RL_WIRE]; ULONG size; };

struct rl_peers {
    CredHandle client_cred, server_cred;
    CtxtHandle client, server;
    BOOL has_client, has_server;
    struct rl_pipe to_server, to_client;
};

static void rl_put(struct rl_pipe *p, SecBuffer *token)
{
    if (token->pvBuffer && token->cbBuffer && p->size + token->cbBuffer <= RL_WIRE) {
        memcpy(p->data + p->size, token->pvBuffer, token->cbBuffer);
        p->size += token->cbBuffer;
    }
    if (token->pvBuffer) FreeContextBuffer(token->pvBuffer);
}

static void rl_keep_extra(struct rl_pipe *p, SecBuffer *extra)
{
    if (extra->BufferType == SECBUFFER_EXTRA && extra->cbBuffer <= p->size) {
        memmove(p->data, p->data + p->size - extra->cbBuffer, extra->cbBuffer);
        p->size = extra->cbBuffer;
    } else {
        p->size = 0;
    }
}

/* One handshake call on one side, with what the other side sent. */
static SECURITY_STATUS rl_step(struct rl_peers *c, BOOL server)
{
    struct rl_pipe *in_pipe = server ? &c->to_server : &c->to_client;
    SecBuffer in[2] = {{in_pipe->size, SECBUFFER_TOKEN, in_pipe->data}, {0, SECBUFFER_EMPTY, NULL}};
    SecBuffer out = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, in}, out_desc = {SECBUFFER_VERSION, 1, &out};
    SECURITY_STATUS status;
    ULONG attrs;
    if (server) {
        status = AcceptSecurityContext(&c->server_cred, c->has_server ? &c->server : NULL, &in_desc, RL_ASC_FLAGS, 0,
                                       &c->server, &out_desc, &attrs, NULL);
        if (!FAILED(status)) c->has_server = TRUE;
    } else {
        status = InitializeSecurityContextA(&c->client_cred, c->has_client ? &c->client : NULL, (SEC_CHAR *)"localhost",
                                            RL_ISC_FLAGS, 0, 0, c->has_client ? &in_desc : NULL, 0, &c->client,
                                            &out_desc, &attrs, NULL);
        if (!FAILED(status)) c->has_client = TRUE;
    }
    if (status != SEC_E_INCOMPLETE_MESSAGE && (server || c->has_client)) rl_keep_extra(in_pipe, &in[1]);
    rl_put(server ? &c->to_client : &c->to_server, &out);
    return status;
}

static BOOL rl_connect(struct rl_peers *c, PCCERT_CONTEXT cert, BOOL tls13)
{
    SCH_CREDENTIALS client, server;
    TLS_PARAMETERS client_params, server_params;
    BOOL client_done = FALSE, server_done = FALSE;
    int round;
    memset(c, 0, sizeof(*c));
    memset(&client, 0, sizeof(client));
    memset(&server, 0, sizeof(server));
    memset(&client_params, 0, sizeof(client_params));
    memset(&server_params, 0, sizeof(server_params));
    client.dwVersion = server.dwVersion = SCH_CREDENTIALS_VERSION;
    client.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    client_params.grbitDisabledProtocols = tls13 ? ~(DWORD)SP_PROT_TLS1_3_CLIENT : ~(DWORD)SP_PROT_TLS1_2_CLIENT;
    client.cTlsParameters = 1;
    client.pTlsParameters = &client_params;
    server.cCreds = 1;
    server.paCred = &cert;
    if (AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &client, NULL, NULL,
                                  &c->client_cred, NULL) != SEC_E_OK)
        return FALSE;
    if (AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, &server, NULL, NULL,
                                  &c->server_cred, NULL) != SEC_E_OK) {
        FreeCredentialsHandle(&c->client_cred);
        return FALSE;
    }
    if (rl_step(c, FALSE) != SEC_I_CONTINUE_NEEDED) return FALSE;
    for (round = 0; round < 16 && !(client_done && server_done); round++) {
        SECURITY_STATUS status;
        if (!server_done && c->to_server.size) {
            status = rl_step(c, TRUE);
            if (status == SEC_E_OK) server_done = TRUE;
            else if (status != SEC_I_CONTINUE_NEEDED && status != SEC_E_INCOMPLETE_MESSAGE) return FALSE;
        }
        if (!client_done && c->to_client.size) {
            status = rl_step(c, FALSE);
            if (status == SEC_E_OK) client_done = TRUE;
            else if (status != SEC_I_CONTINUE_NEEDED && status != SEC_E_INCOMPLETE_MESSAGE) return FALSE;
        }
    }
    return client_done && server_done;
}

static void rl_disconnect(struct rl_peers *c)
{
    if (c->has_client) DeleteSecurityContext(&c->client);
    if (c->has_server) DeleteSecurityContext(&c->server);
    FreeCredentialsHandle(&c->client_cred);
    FreeCredentialsHandle(&c->server_cred);
}

static BYTE rl_pattern(ULONG message, ULONG i) { return (BYTE)(message * 37 + i * 11 + (i >> 9)); }

/* Encrypts messages of `sizes` on `from` into one wire buffer; `split`
 * puts header, data and trailer in separate buffers. */
static ULONG rl_encrypt(CtxtHandle *from, const ULONG *sizes, int count, BOOL split, BYTE *wire)
{
    static BYTE header[64], data[16384], trailer[512];
    SecPkgContext_StreamSizes ss;
    ULONG used = 0;
    int m;
    ok(QueryContextAttributesA(from, SECPKG_ATTR_STREAM_SIZES, &ss) == SEC_E_OK, "STREAM_SIZES failed\n");
    for (m = 0; m < count; m++) {
        BYTE *h = split ? header : wire + used, *d = split ? data : wire + used + ss.cbHeader;
        BYTE *t = split ? trailer : wire + used + ss.cbHeader + sizes[m];
        SecBuffer b[4] = {{ss.cbHeader, SECBUFFER_STREAM_HEADER, h}, {sizes[m], SECBUFFER_DATA, d},
                          {ss.cbTrailer, SECBUFFER_STREAM_TRAILER, t}, {0, SECBUFFER_EMPTY, NULL}};
        SecBufferDesc desc = {SECBUFFER_VERSION, 4, b};
        SECURITY_STATUS status;
        ULONG i;
        for (i = 0; i < sizes[m]; i++) d[i] = rl_pattern(m, i);
        status = EncryptMessage(from, 0, &desc, 0);
        ok(status == SEC_E_OK, "EncryptMessage(%lu bytes) returned %08lx\n", sizes[m], status);
        if (status != SEC_E_OK) return used;
        if (split) {
            memcpy(wire + used, h, b[0].cbBuffer);
            memcpy(wire + used + b[0].cbBuffer, d, b[1].cbBuffer);
            memcpy(wire + used + b[0].cbBuffer + b[1].cbBuffer, t, b[2].cbBuffer);
        } else {
            ok(b[2].pvBuffer == t, "trailer moved\n");
        }
        used += b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer;
    }
    return used;
}

/* Decrypts the wire buffer record by record on `to`, checking where every
 * output buffer points. TLS 1.3 tickets on the way are handed to ISC. */
static void rl_decrypt(struct rl_peers *c, BOOL to_server, BYTE *wire, ULONG size, const ULONG *sizes, int count,
                       const char *what)
{
    CtxtHandle *to = to_server ? &c->server : &c->client;
    BYTE *p = wire;
    ULONG left = size;
    int m = 0, loops = 0;
    while (left && loops++ < 64) {
        SecBuffer b[4] = {{left, SECBUFFER_DATA, p}, {0, SECBUFFER_EMPTY, NULL}, {0, SECBUFFER_EMPTY, NULL},
                          {0, SECBUFFER_EMPTY, NULL}};
        SecBufferDesc desc = {SECBUFFER_VERSION, 4, b};
        SECURITY_STATUS status = DecryptMessage(to, &desc, 0, NULL);
        ULONG consumed;
        ok(status == SEC_E_OK || status == SEC_I_RENEGOTIATE, "%s: DecryptMessage returned %08lx\n", what, status);
        if (status != SEC_E_OK && status != SEC_I_RENEGOTIATE) return;
        ok(b[0].BufferType == SECBUFFER_STREAM_HEADER && b[1].BufferType == SECBUFFER_DATA &&
               b[2].BufferType == SECBUFFER_STREAM_TRAILER,
           "%s: buffer types %lu %lu %lu\n", what, b[0].BufferType, b[1].BufferType, b[2].BufferType);
        /* The heart of it: every output lies in the caller's input. */
        ok(b[0].pvBuffer == p, "%s: STREAM_HEADER %p is not the start of the input %p\n", what, b[0].pvBuffer, p);
        ok((BYTE *)b[1].pvBuffer == p + b[0].cbBuffer,
           "%s: DATA %p does not follow the header inside the input buffer [%p, %p)\n", what, b[1].pvBuffer, p,
           p + left);
        ok((BYTE *)b[2].pvBuffer == (BYTE *)b[1].pvBuffer + b[1].cbBuffer, "%s: STREAM_TRAILER does not follow DATA\n",
           what);
        consumed = b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer;
        ok(consumed <= left, "%s: record of %lu bytes in %lu\n", what, consumed, left);
        if (consumed > left) return;
        if (b[3].BufferType == SECBUFFER_EXTRA) {
            ok(b[3].cbBuffer == left - consumed, "%s: EXTRA %lu, expected %lu\n", what, b[3].cbBuffer, left - consumed);
            ok(!b[3].pvBuffer || b[3].pvBuffer == p + consumed, "%s: EXTRA does not follow the record\n", what);
        } else {
            ok(consumed == left && b[3].BufferType == SECBUFFER_EMPTY, "%s: %lu bytes left but no EXTRA\n", what,
               left - consumed);
        }
        if (status == SEC_I_RENEGOTIATE) {
            SecBuffer out = {0, SECBUFFER_TOKEN, NULL};
            SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, &out};
            ULONG attrs;
            InitializeSecurityContextA(&c->client_cred, &c->client, (SEC_CHAR *)"localhost", RL_ISC_FLAGS, 0, 0, NULL,
                                       0, NULL, &out_desc, &attrs, NULL);
            if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
        } else if (m < count) {
            BOOL same = b[1].cbBuffer == sizes[m];
            ULONG i;
            for (i = 0; same && i < sizes[m]; i++) same = ((BYTE *)b[1].pvBuffer)[i] == rl_pattern(m, i);
            ok(same, "%s: message %d (%lu bytes) came back as %lu different bytes\n", what, m, sizes[m], b[1].cbBuffer);
            m++;
        }
        p += consumed;
        left -= consumed;
    }
    ok(m == count, "%s: %d of %d messages\n", what, m, count);
}

static void test_record_layout(PCCERT_CONTEXT cert, BOOL tls13)
{
    static const ULONG sizes[] = {1000, 0, 16384, 1, 64};
    static BYTE wire[RL_WIRE];
    const int count = (int)(sizeof(sizes) / sizeof(sizes[0]));
    struct rl_peers c;
    ULONG size;
    int split;
    if (!rl_connect(&c, cert, tls13)) {
        ok(0, "%s: in-process handshake failed\n", tls13 ? "TLS 1.3" : "TLS 1.2");
        rl_disconnect(&c);
        return;
    }
    for (split = 0; split < 2; split++) {
        /* Server to client; the first round also carries TLS 1.3 tickets. */
        memcpy(wire, c.to_client.data, c.to_client.size);
        size = c.to_client.size;
        c.to_client.size = 0;
        size += rl_encrypt(&c.server, sizes, count, split, wire + size);
        rl_decrypt(&c, FALSE, wire, size, sizes, count, split ? "to client, split" : "to client");
        size = rl_encrypt(&c.client, sizes, count, split, wire);
        rl_decrypt(&c, TRUE, wire, size, sizes, count, split ? "to server, split" : "to server");
    }
    rl_disconnect(&c);
}

START_TEST(schannel_record_layout)
{
    struct test_certificate t;
    CredHandle probe;
    SCHANNEL_CRED cred;
    (void)make_self_signed; /* server_certificates.h offers more than this unit needs */
    if (!GetProcAddress(GetModuleHandleA("secur32.dll"), "WineSecur32BuildInfo")) {
        /* Stock Wine 8 has no AcceptSecurityContext for Schannel. */
        skip("needs an in-process Schannel server (our module)\n");
        return;
    }
    if (!import_test_pfx(&t, test_pfx_rsa_base64, CRYPT_EXPORTABLE | PKCS12_NO_PERSIST_KEY)) {
        skip("cannot import the test certificate (%08lx)\n", GetLastError());
        return;
    }
    memset(&cred, 0, sizeof(cred));
    cred.dwVersion = SCHANNEL_CRED_VERSION;
    cred.cCreds = 1;
    cred.paCred = &t.cert;
    if (AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, &cred, NULL, NULL, &probe,
                                  NULL) != SEC_E_OK) {
        skip("no Schannel server credentials here\n");
        free_test_certificate(&t);
        return;
    }
    FreeCredentialsHandle(&probe);
    test_record_layout(t.cert, FALSE);
    test_record_layout(t.cert, TRUE);
    free_test_certificate(&t);
}
