/* Renegotiation and post-handshake client authentication between our
 * InitializeSecurityContext and AcceptSecurityContext in this process.
 *
 * The server asks for a client certificate after a handshake that did not
 * ask for one, as .NET's SslStream.NegotiateClientCertificateAsync does:
 * AcceptSecurityContext on the established context with
 * ASC_REQ_MUTUAL_AUTH and an empty TOKEN returns SEC_E_OK with the request
 * (TLS 1.2: HelloRequest, then a new handshake with a CertificateRequest;
 * TLS 1.3: a post-handshake CertificateRequest). Both sides then run
 * "Renegotiating an Schannel Connection": DecryptMessage returns
 * SEC_I_RENEGOTIATE, the SECBUFFER_EXTRA bytes go to the handshake call
 * as its TOKEN, and handshake calls go on until SEC_E_OK. The client's
 * certificate is in its credential, or given after
 * SEC_I_INCOMPLETE_CREDENTIALS, or not given at all. Application data
 * crosses in both directions before, during (sent right after the request,
 * and before the client has seen it) and after: every byte must arrive,
 * in order, and the server must see the certificate afterwards.
 *
 * Each side's loop accepts every status Schannel documents for these
 * calls, so the checks are about outcomes: what arrived and what the
 * server sees. */
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
/* Up to 40 KB of data a side, as records, may be queued behind a
 * handshake flight: more than schannel_server ever has in flight. */
#define PIPE_SIZE 262144
#include "schannel_loopback.h"

#ifndef SEC_I_NO_RENEGOTIATION
#define SEC_I_NO_RENEGOTIATION ((HRESULT)0x00090360)
#endif

#define RECEIVED_SIZE 262144

static BOOL is_ours;

/* One end of a connection. */
struct endpoint {
    const char *name;
    BOOL is_server;
    CredHandle *cred;           /* the credential its handshake calls pass */
    CredHandle *answer_cred;    /* client: given after SEC_I_INCOMPLETE_CREDENTIALS (NULL: the same one) */
    CtxtHandle ctx;
    BOOL has_ctx;
    struct pipe *in, *out;      /* bytes to it, bytes from it */
    BOOL in_handshake;          /* its input goes to ISC/ASC, not DecryptMessage */
    BOOL must_call;             /* a handshake call is due even without input */
    BOOL failed;
    SECURITY_STATUS last;       /* last handshake status */
    int renegotiates;           /* SEC_I_RENEGOTIATE from DecryptMessage */
    int incomplete_credentials;
    BYTE received[RECEIVED_SIZE];
    ULONG received_size;
};

static SECURITY_STATUS handshake_call(struct endpoint *e, ULONG flags, SecBuffer *extra)
{
    SecBuffer in[2], out = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, in}, out_desc = {SECBUFFER_VERSION, 1, &out};
    ULONG attrs = 0;
    SECURITY_STATUS status;

    in[0].BufferType = SECBUFFER_TOKEN; in[0].pvBuffer = e->in->data; in[0].cbBuffer = e->in->size;
    in[1].BufferType = SECBUFFER_EMPTY; in[1].pvBuffer = NULL; in[1].cbBuffer = 0;
    if (e->is_server)
        status = AcceptSecurityContext(e->cred, e->has_ctx ? &e->ctx : NULL, &in_desc, flags, 0, &e->ctx, &out_desc,
                                       &attrs, NULL);
    else
        status = InitializeSecurityContextA(e->cred, e->has_ctx ? &e->ctx : NULL, (SEC_CHAR *)"localhost", flags, 0,
                                            0, e->has_ctx ? &in_desc : NULL, 0, &e->ctx, &out_desc, &attrs, NULL);
    if (!FAILED(status)) e->has_ctx = TRUE;
    if (out.pvBuffer && out.cbBuffer) pipe_put(e->out, out.pvBuffer, out.cbBuffer);
    if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
    *extra = in[1];
    return status;
}

static ULONG endpoint_flags(const struct endpoint *e)
{
    return e->is_server ? ASC_FLAGS | ASC_REQ_MUTUAL_AUTH : ISC_FLAGS;
}

/* Handles what is in e->in until it needs the other side; returns TRUE
 * when anything happened. */
static BOOL pump(struct endpoint *e)
{
    BOOL progress = FALSE;
    int loops;

    for (loops = 0; loops < 256 && !e->failed; loops++) {
        SecBuffer extra;
        SECURITY_STATUS status;

        if (e->in_handshake) {
            if (!e->in->size && !e->must_call) break;
            e->must_call = FALSE;
            status = handshake_call(e, endpoint_flags(e), &extra);
            e->last = status;
            progress = TRUE;
            if (status == SEC_E_INCOMPLETE_MESSAGE) break;
            if (status == SEC_I_INCOMPLETE_CREDENTIALS && !e->is_server && e->incomplete_credentials++ < 2) {
                /* What the call took stays taken; the answer is the next call. */
                pipe_keep_extra(e->in, &extra);
                if (e->answer_cred) e->cred = e->answer_cred;
                e->must_call = TRUE;
                continue;
            }
            if (status != SEC_E_OK && status != SEC_I_CONTINUE_NEEDED && status != SEC_I_NO_RENEGOTIATION) {
                ok(0, "%s: handshake call returned %08lx\n", e->name, status);
                e->failed = TRUE;
                break;
            }
            pipe_keep_extra(e->in, &extra);
            /* Done (or application data first): DecryptMessage takes over. */
            if (status != SEC_I_CONTINUE_NEEDED) e->in_handshake = FALSE;
            else if (!e->in->size) break;
        } else {
            SecBuffer b[4];
            SecBufferDesc desc = {SECBUFFER_VERSION, 4, b};
            int i;
            if (!e->in->size) break;
            b[0].BufferType = SECBUFFER_DATA; b[0].pvBuffer = e->in->data; b[0].cbBuffer = e->in->size;
            for (i = 1; i < 4; i++) { b[i].BufferType = SECBUFFER_EMPTY; b[i].pvBuffer = NULL; b[i].cbBuffer = 0; }
            status = DecryptMessage(&e->ctx, &desc, 0, NULL);
            if (status == SEC_E_INCOMPLETE_MESSAGE) break;
            progress = TRUE;
            if (status != SEC_E_OK && status != SEC_I_RENEGOTIATE) {
                ok(0, "%s: DecryptMessage returned %08lx\n", e->name, status);
                e->failed = TRUE;
                break;
            }
            if (b[1].BufferType == SECBUFFER_DATA && b[1].cbBuffer) {
                ok((BYTE *)b[1].pvBuffer >= e->in->data && (BYTE *)b[1].pvBuffer + b[1].cbBuffer <= e->in->data + e->in->size,
                   "%s: DATA is not inside the input\n", e->name);
                if (e->received_size + b[1].cbBuffer <= RECEIVED_SIZE) {
                    memcpy(e->received + e->received_size, b[1].pvBuffer, b[1].cbBuffer);
                    e->received_size += b[1].cbBuffer;
                }
            }
            pipe_keep_extra(e->in, &b[3]);
            if (status == SEC_I_RENEGOTIATE) {
                /* "pass the contents of SECBUFFER_EXTRA ... in the SECBUFFER_TOKEN" */
                e->renegotiates++;
                e->in_handshake = TRUE;
                e->must_call = TRUE;
            }
        }
    }
    ok(loops < 256, "%s: no end of its input\n", e->name);
    return progress;
}

/* Lets both sides work until neither has anything left to do. */
static void run_both(struct endpoint *client, struct endpoint *server)
{
    int rounds;
    for (rounds = 0; rounds < 64; rounds++) {
        BOOL a = pump(server), b = pump(client);
        if (client->failed || server->failed) return;
        if (!a && !b && !client->in->size && !server->in->size) return;
    }
    ok(0, "the connection did not settle\n");
}

/* Encrypts `size` bytes of `data` from `e` into its output, record by record. */
static BOOL send_data(struct endpoint *e, const BYTE *data, ULONG size)
{
    SecPkgContext_StreamSizes sizes;
    static BYTE record[20000];
    SECURITY_STATUS status = QueryContextAttributesA(&e->ctx, SECPKG_ATTR_STREAM_SIZES, &sizes);
    ok(status == SEC_E_OK, "%s: STREAM_SIZES returned %08lx\n", e->name, status);
    if (status != SEC_E_OK || sizes.cbHeader + sizes.cbMaximumMessage + sizes.cbTrailer > sizeof(record)) return FALSE;
    while (size) {
        ULONG n = min(size, sizes.cbMaximumMessage);
        SecBuffer b[4];
        SecBufferDesc desc = {SECBUFFER_VERSION, 4, b};
        b[0].BufferType = SECBUFFER_STREAM_HEADER; b[0].pvBuffer = record; b[0].cbBuffer = sizes.cbHeader;
        b[1].BufferType = SECBUFFER_DATA; b[1].pvBuffer = record + sizes.cbHeader; b[1].cbBuffer = n;
        b[2].BufferType = SECBUFFER_STREAM_TRAILER; b[2].pvBuffer = record + sizes.cbHeader + n;
        b[2].cbBuffer = sizes.cbTrailer;
        b[3].BufferType = SECBUFFER_EMPTY; b[3].pvBuffer = NULL; b[3].cbBuffer = 0;
        memcpy(b[1].pvBuffer, data, n);
        status = EncryptMessage(&e->ctx, 0, &desc, 0);
        ok(status == SEC_E_OK, "%s: EncryptMessage returned %08lx\n", e->name, status);
        if (status != SEC_E_OK) return FALSE;
        pipe_put(e->out, record, b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer);
        data += n;
        size -= n;
    }
    return TRUE;
}

/* The initial handshake, asking for no certificate. */
static BOOL connect_endpoints(struct endpoint *client, struct endpoint *server)
{
    SecBuffer extra;
    int rounds;

    client->in_handshake = server->in_handshake = TRUE;
    client->last = handshake_call(client, ISC_FLAGS, &extra);
    if (client->last != SEC_I_CONTINUE_NEEDED) return FALSE;
    for (rounds = 0; rounds < 16; rounds++) {
        if (server->in->size && server->in_handshake) {
            server->last = handshake_call(server, ASC_FLAGS, &extra);
            if (FAILED(server->last)) return FALSE;
            if (server->last != SEC_E_INCOMPLETE_MESSAGE) pipe_keep_extra(server->in, &extra);
            if (server->last == SEC_E_OK) server->in_handshake = FALSE;
        }
        if (client->in->size && client->in_handshake) {
            client->last = handshake_call(client, ISC_FLAGS, &extra);
            if (FAILED(client->last)) return FALSE;
            if (client->last != SEC_E_INCOMPLETE_MESSAGE) pipe_keep_extra(client->in, &extra);
            if (client->last == SEC_E_OK) client->in_handshake = FALSE;
        }
        if (!client->in_handshake && !server->in_handshake) break;
    }
    if (client->in_handshake || server->in_handshake) return FALSE;
    /* TLS 1.3 tickets and anything else queued. */
    run_both(client, server);
    return !client->failed && !server->failed;
}

static void fill(BYTE *data, ULONG size, BYTE seed)
{
    ULONG i;
    for (i = 0; i < size; i++) data[i] = (BYTE)(seed + i * 13 + i / 97);
}

/* e received exactly `data` since `from`. */
static void check_received(struct endpoint *e, ULONG from, const BYTE *data, ULONG size, const char *what)
{
    ok(e->received_size - from == size, "%s: %s got %lu bytes, expected %lu\n", what, e->name,
       e->received_size - from, size);
    ok(e->received_size - from == size && !memcmp(e->received + from, data, size), "%s: %s got other bytes\n", what,
       e->name);
}

/* `up` from the client and `down` from the server, sent at once; each
 * side must receive exactly the other's bytes. */
static void exchange(struct endpoint *client, struct endpoint *server, const BYTE *up, ULONG up_size,
                     const BYTE *down, ULONG down_size, const char *what)
{
    ULONG mark_client = client->received_size, mark_server = server->received_size;
    send_data(client, up, up_size);
    send_data(server, down, down_size);
    run_both(client, server);
    check_received(server, mark_server, up, up_size, what);
    check_received(client, mark_client, down, down_size, what);
}

static void set_unicode(UNICODE_STRING *s, const WCHAR *text)
{
    s->Buffer = (WCHAR *)text;
    s->Length = s->MaximumLength = (USHORT)(wcslen(text) * sizeof(WCHAR));
}

/* With `cbc`, a client that offers no AEAD suite (AES-GCM, AES-CCM and
 * ChaCha20-Poly1305 disabled): AES-CBC records, another record path. */
static SECURITY_STATUS acquire(BOOL inbound, PCCERT_CONTEXT cert, DWORD disabled, BOOL cbc, CredHandle *handle)
{
    SCH_CREDENTIALS cred;
    TLS_PARAMETERS params;
    CRYPTO_SETTINGS crypto[2];
    UNICODE_STRING modes[2];
    memset(&cred, 0, sizeof(cred));
    memset(&params, 0, sizeof(params));
    memset(crypto, 0, sizeof(crypto));
    cred.dwVersion = SCH_CREDENTIALS_VERSION;
    if (!inbound) cred.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    cred.cCreds = cert ? 1 : 0;
    cred.paCred = cert ? &cert : NULL;
    if (disabled || cbc) {
        params.grbitDisabledProtocols = disabled;
        cred.cTlsParameters = 1;
        cred.pTlsParameters = &params;
    }
    if (cbc) {
        crypto[0].eAlgorithmUsage = TlsParametersCngAlgUsageCipher;
        set_unicode(&crypto[0].strCngAlgId, L"AES");
        set_unicode(&modes[0], L"ChainingModeGCM");
        set_unicode(&modes[1], L"ChainingModeCCM");
        crypto[0].cChainingModes = 2;
        crypto[0].rgstrChainingModes = modes;
        crypto[1].eAlgorithmUsage = TlsParametersCngAlgUsageCipher;
        set_unicode(&crypto[1].strCngAlgId, L"CHACHA20_POLY1305");
        params.cDisabledCrypto = 2;
        params.pDisabledCrypto = crypto;
    }
    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, inbound ? SECPKG_CRED_INBOUND : SECPKG_CRED_OUTBOUND,
                                     NULL, &cred, NULL, NULL, handle, NULL);
}

enum client_mode { certificate_in_credential, certificate_when_asked, no_certificate };
static const char *const mode_names[] = {"certificate in the credential", "certificate when asked",
                                         "no certificate"};

/* The server asks (AcceptSecurityContext, MUTUAL_AUTH, empty TOKEN):
 * SEC_E_OK and a token. Its later input goes to DecryptMessage, as the
 * documentation has it, or straight to AcceptSecurityContext
 * (`server_reads_handshake`, as .NET's renegotiation loop does). */
static BOOL request_certificate(struct endpoint *server, BOOL server_reads_handshake, const char *what)
{
    ULONG before = server->out->size;
    SECURITY_STATUS status;
    SecBuffer in[2], out = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, in}, out_desc = {SECBUFFER_VERSION, 1, &out};
    ULONG attrs = 0;

    in[0].BufferType = SECBUFFER_TOKEN; in[0].pvBuffer = NULL; in[0].cbBuffer = 0;
    in[1].BufferType = SECBUFFER_EMPTY; in[1].pvBuffer = NULL; in[1].cbBuffer = 0;
    status = AcceptSecurityContext(server->cred, &server->ctx, &in_desc, ASC_FLAGS | ASC_REQ_MUTUAL_AUTH, 0, NULL,
                                   &out_desc, &attrs, NULL);
    ok(status == SEC_E_OK, "%s: the request returned %08lx\n", what, status);
    ok(out.cbBuffer > 0, "%s: the request gave no token\n", what);
    ok(attrs & ASC_RET_MUTUAL_AUTH, "%s: the request's attributes %08lx\n", what, attrs);
    if (out.pvBuffer && out.cbBuffer) pipe_put(server->out, out.pvBuffer, out.cbBuffer);
    if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
    server->in_handshake = server_reads_handshake;
    return status == SEC_E_OK && server->out->size > before;
}

static void test_renegotiation(PCCERT_CONTEXT server_cert, PCCERT_CONTEXT client_cert, BOOL tls13, BOOL cbc,
                               enum client_mode mode, BOOL server_reads_handshake)
{
    static struct pipe to_client, to_server;
    static struct endpoint client, server;
    static BYTE before_up[3000], before_down[5000], during_up[7000], during_down[9000], after_up[40000],
        after_down[40000];
    CredHandle server_cred, client_cred, answer_cred;
    DWORD disabled = tls13 ? SP_PROT_TLS1_2_CLIENT : SP_PROT_TLS1_3_CLIENT;
    ULONG mark_client, mark_server;
    PCCERT_CONTEXT expected = mode == no_certificate ? NULL : client_cert;
    char what[160];
    int request, requests = mode == certificate_in_credential ? 2 : 1;

    sprintf(what, "%s%s, %s, server %s", tls13 ? "TLS 1.3" : "TLS 1.2", cbc ? " AES-CBC" : "", mode_names[mode],
            server_reads_handshake ? "reads the handshake itself" : "decrypts first");
    fill(before_up, sizeof(before_up), 1);
    fill(before_down, sizeof(before_down), 2);
    fill(during_up, sizeof(during_up), 3);
    fill(during_down, sizeof(during_down), 4);
    fill(after_up, sizeof(after_up), 5);
    fill(after_down, sizeof(after_down), 6);

    if (acquire(TRUE, server_cert, 0, FALSE, &server_cred) != SEC_E_OK) {
        ok(0, "%s: no server credential\n", what);
        return;
    }
    if (acquire(FALSE, mode == certificate_in_credential ? client_cert : NULL, disabled, cbc, &client_cred) !=
        SEC_E_OK) {
        ok(0, "%s: no client credential\n", what);
        FreeCredentialsHandle(&server_cred);
        return;
    }
    if (mode == certificate_when_asked && acquire(FALSE, client_cert, disabled, cbc, &answer_cred) != SEC_E_OK) {
        ok(0, "%s: no answering credential\n", what);
        FreeCredentialsHandle(&client_cred);
        FreeCredentialsHandle(&server_cred);
        return;
    }

    memset(&to_client, 0, sizeof(to_client));
    memset(&to_server, 0, sizeof(to_server));
    memset(&client, 0, sizeof(client));
    memset(&server, 0, sizeof(server));
    client.name = "client";
    client.cred = &client_cred;
    client.answer_cred = mode == certificate_when_asked ? &answer_cred : NULL;
    client.in = &to_client;
    client.out = &to_server;
    server.name = "server";
    server.is_server = TRUE;
    server.cred = &server_cred;
    server.in = &to_server;
    server.out = &to_client;

    if (!connect_endpoints(&client, &server)) {
        if (is_ours) ok(0, "%s: handshake failed: client %08lx, server %08lx\n", what, client.last, server.last);
        else skip("%s: no Schannel server here (client %08lx, server %08lx)\n", what, client.last, server.last);
        goto done;
    }
    check_server_saw_certificate(&server.ctx, NULL, what);
    if (cbc) {
        SecPkgContext_CipherInfo cipher;
        memset(&cipher, 0, sizeof(cipher));
        ok(QueryContextAttributesW(&server.ctx, SECPKG_ATTR_CIPHER_INFO, &cipher) == SEC_E_OK &&
           wcsstr(cipher.szCipherSuite, L"_CBC_"), "%s: negotiated %s\n", what, wine_dbgstr_w(cipher.szCipherSuite));
    }

    /* Data before. */
    exchange(&client, &server, before_up, sizeof(before_up), before_down, sizeof(before_down), what);

    for (request = 0; request < requests; request++) {
        /* The request, with data from both sides right behind it: the
         * server's after its request, the client's before it has seen it. */
        mark_client = client.received_size;
        mark_server = server.received_size;
        if (!request_certificate(&server, server_reads_handshake, what)) goto done;
        send_data(&server, during_down, sizeof(during_down));
        send_data(&client, during_up, sizeof(during_up));
        run_both(&client, &server);
        ok(!client.failed && !server.failed, "%s: the renegotiation failed\n", what);
        if (client.failed || server.failed) goto done;
        ok(!client.in_handshake && !server.in_handshake, "%s: a handshake is still open (client %08lx, server %08lx)\n",
           what, client.last, server.last);
        ok(client.renegotiates >= 1, "%s: the client saw no SEC_I_RENEGOTIATE\n", what);
        ok(client.incomplete_credentials == (mode == certificate_in_credential ? 0 : 1),
           "%s: SEC_I_INCOMPLETE_CREDENTIALS seen %d times\n", what, client.incomplete_credentials);
        check_received(&server, mark_server, during_up, sizeof(during_up), what);
        check_received(&client, mark_client, during_down, sizeof(during_down), what);
        check_server_saw_certificate(&server.ctx, expected, what);
        client.renegotiates = server.renegotiates = 0;
    }

    /* Data after, in full records both ways. */
    exchange(&client, &server, after_up, sizeof(after_up), after_down, sizeof(after_down), what);

done:
    if (client.has_ctx) DeleteSecurityContext(&client.ctx);
    if (server.has_ctx) DeleteSecurityContext(&server.ctx);
    if (mode == certificate_when_asked) FreeCredentialsHandle(&answer_cred);
    FreeCredentialsHandle(&client_cred);
    FreeCredentialsHandle(&server_cred);
}

START_TEST(schannel_renegotiation)
{
    struct test_certificate server, client;
    int tls13, mode;

    is_ours = GetProcAddress(GetModuleHandleA("secur32.dll"), "WineSecur32BuildInfo") != NULL;
    if (!import_test_pfx(&server, test_pfx_rsa_base64, CRYPT_EXPORTABLE | PKCS12_NO_PERSIST_KEY)) {
        ok(0, "server PFX import failed: %08lx\n", GetLastError());
        return;
    }
    if (!make_self_signed(&client, AT_KEYEXCHANGE, CRYPT_EXPORTABLE, FALSE)) {
        ok(0, "no client certificate: %08lx\n", GetLastError());
        free_test_certificate(&server);
        return;
    }
    for (tls13 = 0; tls13 < 2; tls13++)
        for (mode = certificate_in_credential; mode <= no_certificate; mode++) {
            test_renegotiation(server.cert, client.cert, tls13, FALSE, mode, FALSE);
            if (mode != no_certificate) test_renegotiation(server.cert, client.cert, tls13, FALSE, mode, TRUE);
        }
    /* TLS 1.2 CBC records go through GnuTLS's record layer, not ours. */
    test_renegotiation(server.cert, client.cert, FALSE, TRUE, certificate_in_credential, FALSE);
    test_renegotiation(server.cert, client.cert, FALSE, TRUE, certificate_when_asked, TRUE);
    free_test_certificate(&client);
    free_test_certificate(&server);
}
