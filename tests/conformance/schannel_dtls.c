/* DTLS 1.2 through Schannel: our InitializeSecurityContext against our
 * AcceptSecurityContext in this process, over a simulated datagram channel
 * (queues of whole datagrams that the test may drop, repeat or corrupt).
 *
 * What the checks follow, Windows' way as its documentation and callers
 * show it: SP_PROT_DTLS1_2_* protocols with ISC_REQ_DATAGRAM /
 * ASC_REQ_DATAGRAM; the server's first ClientHello answered with a
 * HelloVerifyRequest and no context; each handshake call returning one
 * datagram, SEC_I_MESSAGE_FRAGMENT while the flight goes on; a call
 * without input after a (simulated) timeout repeating the flight; the MTU
 * from SECBUFFER_DTLS_MTU and SetContextAttributes(SECPKG_ATTR_DTLS_MTU)
 * bounding every datagram; DecryptMessage one record per datagram, a
 * replay refused with SEC_E_OUT_OF_SEQUENCE and a forgery with
 * SEC_E_INVALID_TOKEN, the context going on; a lost final flight repeated
 * after DecryptMessage returns SEC_E_UNFINISHED_CONTEXT_DELETED. */
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

#ifndef PKCS12_NO_PERSIST_KEY
#define PKCS12_NO_PERSIST_KEY 0x00008000
#endif

static BOOL is_ours;

#define MAX_DATAGRAM 2048
#define QUEUE_SIZE 64

struct datagram {
    BYTE data[MAX_DATAGRAM];
    ULONG size;
};

/* One direction of the simulated network. */
struct channel {
    struct datagram q[QUEUE_SIZE];
    int head, count;
    ULONG mtu;          /* every datagram put here must fit */
    int sent;           /* datagrams put so far */
    int oversized;      /* ... of which larger than mtu */
};

static void channel_put(struct channel *c, const void *data, ULONG size)
{
    struct datagram *d;
    c->sent++;
    if (size > c->mtu) c->oversized++;
    if (c->count == QUEUE_SIZE || size > MAX_DATAGRAM) return;
    d = &c->q[(c->head + c->count++) % QUEUE_SIZE];
    memcpy(d->data, data, size);
    d->size = size;
}

static BOOL channel_get(struct channel *c, struct datagram *out)
{
    if (!c->count) return FALSE;
    *out = c->q[c->head];
    c->head = (c->head + 1) % QUEUE_SIZE;
    c->count--;
    return TRUE;
}

static void channel_clear(struct channel *c)
{
    c->head = c->count = 0;
}

struct peer {
    CredHandle cred;
    CtxtHandle ctx;
    BOOL has_ctx;
    BOOL server;
    BOOL done;
    ULONG mtu_request;  /* SECBUFFER_DTLS_MTU in the first call, or 0 */
    SECURITY_STATUS last;
    int fragments;      /* SEC_I_MESSAGE_FRAGMENT returns */
};

static const BYTE client_address[16] = {2, 0, 0x30, 0x39, 127, 0, 0, 1};

/* One handshake call; output datagrams go to `out`. */
static SECURITY_STATUS peer_call(struct peer *p, const struct datagram *in, struct channel *out)
{
    SecBuffer in_buf[4], out_buf[2];
    SecBufferDesc in_desc, out_desc;
    SEC_DTLS_MTU mtu;
    ULONG attrs = 0, n = 0;
    SECURITY_STATUS status;
    CtxtHandle new_ctx = {0xdead, 0xbeef};

    if (in) {
        in_buf[n].BufferType = SECBUFFER_TOKEN;
        in_buf[n].pvBuffer = (void *)in->data;
        in_buf[n++].cbBuffer = in->size;
        in_buf[n].BufferType = SECBUFFER_EMPTY;
        in_buf[n].pvBuffer = NULL;
        in_buf[n++].cbBuffer = 0;
        if (p->server) {
            in_buf[n].BufferType = SECBUFFER_EXTRA;
            in_buf[n].pvBuffer = (void *)client_address;
            in_buf[n++].cbBuffer = sizeof(client_address);
        }
    }
    if (!p->has_ctx && p->mtu_request) {
        mtu.PathMTU = (unsigned short)p->mtu_request;
        in_buf[n].BufferType = SECBUFFER_DTLS_MTU;
        in_buf[n].pvBuffer = &mtu;
        in_buf[n++].cbBuffer = sizeof(mtu);
    }
    in_desc.ulVersion = SECBUFFER_VERSION;
    in_desc.cBuffers = n;
    in_desc.pBuffers = in_buf;
    out_buf[0].BufferType = SECBUFFER_TOKEN;
    out_buf[0].pvBuffer = NULL;
    out_buf[0].cbBuffer = 0;
    out_buf[1].BufferType = SECBUFFER_ALERT;
    out_buf[1].pvBuffer = NULL;
    out_buf[1].cbBuffer = 0;
    out_desc.ulVersion = SECBUFFER_VERSION;
    out_desc.cBuffers = 2;
    out_desc.pBuffers = out_buf;

    if (p->server)
        status = AcceptSecurityContext(&p->cred, p->has_ctx ? &p->ctx : NULL, n ? &in_desc : NULL,
                                       ASC_REQ_DATAGRAM | ASC_REQ_CONFIDENTIALITY | ASC_REQ_ALLOCATE_MEMORY |
                                           ASC_REQ_EXTENDED_ERROR,
                                       0, p->has_ctx ? &p->ctx : &new_ctx, &out_desc, &attrs, NULL);
    else
        status = InitializeSecurityContextA(&p->cred, p->has_ctx ? &p->ctx : NULL, (SEC_CHAR *)"localhost",
                                            ISC_REQ_DATAGRAM | ISC_REQ_CONFIDENTIALITY | ISC_REQ_ALLOCATE_MEMORY |
                                                ISC_REQ_EXTENDED_ERROR | ISC_REQ_MANUAL_CRED_VALIDATION,
                                            0, 0, n ? &in_desc : NULL, 0, p->has_ctx ? &p->ctx : &new_ctx, &out_desc,
                                            &attrs, NULL);
    if (!p->has_ctx && (new_ctx.dwLower != 0xdead || new_ctx.dwUpper != 0xbeef)) {
        p->ctx = new_ctx;
        p->has_ctx = TRUE;
    }
    if (status == SEC_E_OK || status == SEC_I_CONTINUE_NEEDED || status == SEC_I_MESSAGE_FRAGMENT)
        ok((attrs & (ISC_RET_DATAGRAM | ISC_RET_CONFIDENTIALITY)) == (ISC_RET_DATAGRAM | ISC_RET_CONFIDENTIALITY),
           "%s: attributes %08lx\n", p->server ? "server" : "client", attrs);
    if (out_buf[0].pvBuffer && out_buf[0].cbBuffer) channel_put(out, out_buf[0].pvBuffer, out_buf[0].cbBuffer);
    if (out_buf[0].pvBuffer) FreeContextBuffer(out_buf[0].pvBuffer);
    if (out_buf[1].pvBuffer) FreeContextBuffer(out_buf[1].pvBuffer);
    if (status == SEC_I_MESSAGE_FRAGMENT) p->fragments++;
    if (winetest_debug > 1)
        trace("%s: in %lu -> %08lx, out %lu\n", p->server ? "server" : "client", in ? in->size : 0, status,
              out_buf[0].cbBuffer);
    p->last = status;
    return status;
}

/* A handshake call and, while it says SEC_I_MESSAGE_FRAGMENT, the calls
 * without input that fetch the rest of the flight. */
static SECURITY_STATUS peer_step(struct peer *p, const struct datagram *in, struct channel *out)
{
    SECURITY_STATUS status = peer_call(p, in, out);
    int guard = 0;
    while (status == SEC_I_MESSAGE_FRAGMENT && guard++ < 32) status = peer_call(p, NULL, out);
    if (status == SEC_E_OK) p->done = TRUE;
    return status;
}

static BOOL acceptable(SECURITY_STATUS s)
{
    return s == SEC_E_OK || s == SEC_I_CONTINUE_NEEDED || s == SEC_E_INCOMPLETE_MESSAGE;
}

/* Delivers queued datagrams both ways until both sides are done or stuck;
 * `drop_to_client` datagrams (1-based count of server datagrams) are lost. */
static BOOL run_handshake(struct peer *client, struct peer *server, struct channel *to_server,
                          struct channel *to_client, int drop_to_client, int drop_final_to_client)
{
    struct datagram d;
    int rounds = 0, delivered_to_client = 0;
    SECURITY_STATUS status;

    while (rounds++ < 200 && !(client->done && server->done)) {
        BOOL moved = FALSE;
        while (channel_get(to_server, &d)) {
            moved = TRUE;
            if (server->done) {
                /* A datagram after the server finished: its repeated flight. */
                SecBuffer b[4];
                SecBufferDesc desc;
                memset(b, 0, sizeof(b));
                b[0].BufferType = SECBUFFER_DATA;
                b[0].pvBuffer = d.data;
                b[0].cbBuffer = d.size;
                desc.ulVersion = SECBUFFER_VERSION;
                desc.cBuffers = 4;
                desc.pBuffers = b;
                status = DecryptMessage(&server->ctx, &desc, 0, NULL);
                ok(status == SEC_E_UNFINISHED_CONTEXT_DELETED || status == SEC_E_OUT_OF_SEQUENCE,
                   "DecryptMessage of a repeated flight returned %08lx\n", status);
                if (status == SEC_E_UNFINISHED_CONTEXT_DELETED) {
                    int before = to_client->sent;
                    status = peer_step(server, &d, to_client);
                    ok(status == SEC_E_OK, "server's repeated final flight: %08lx\n", status);
                    ok(to_client->sent > before, "no repeated final flight\n");
                }
                continue;
            }
            status = peer_step(server, &d, to_client);
            ok(acceptable(status), "server step returned %08lx\n", status);
            if (!acceptable(status)) return FALSE;
        }
        while (channel_get(to_client, &d)) {
            moved = TRUE;
            delivered_to_client++;
            if (delivered_to_client == drop_to_client) continue; /* lost */
            if (drop_final_to_client && server->done && !client->done && drop_final_to_client-- == 1) continue;
            if (client->done) continue;
            status = peer_step(client, &d, to_server);
            ok(acceptable(status), "client step returned %08lx\n", status);
            if (!acceptable(status)) return FALSE;
        }
        if (!moved && !(client->done && server->done)) {
            /* Nothing in flight: both retransmission timers fire. */
            if (!client->done) {
                status = peer_step(client, NULL, to_server);
                ok(acceptable(status), "client timer step returned %08lx\n", status);
            }
            if (!server->done && server->has_ctx) {
                status = peer_step(server, NULL, to_client);
                ok(acceptable(status), "server timer step returned %08lx\n", status);
            }
            if (!to_server->count && !to_client->count) return FALSE;
        }
    }
    return client->done && server->done;
}

static SECURITY_STATUS acquire(DWORD protocols, BOOL server, PCCERT_CONTEXT cert, CredHandle *cred)
{
    SCHANNEL_CRED c;
    memset(&c, 0, sizeof(c));
    c.dwVersion = SCHANNEL_CRED_VERSION;
    c.grbitEnabledProtocols = protocols;
    if (cert) {
        c.cCreds = 1;
        c.paCred = &cert;
    }
    if (!server) c.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, server ? SECPKG_CRED_INBOUND : SECPKG_CRED_OUTBOUND,
                                     NULL, &c, NULL, NULL, cred, NULL);
}

static SECURITY_STATUS acquire_default_sch_credentials(CredHandle *cred)
{
    SCH_CREDENTIALS c;
    memset(&c, 0, sizeof(c));
    c.dwVersion = SCH_CREDENTIALS_VERSION;
    c.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION;
    return AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_OUTBOUND, NULL, &c, NULL, NULL,
                                     cred, NULL);
}

/* EncryptMessage on `from`, the datagram it makes, DecryptMessage on `to`. */
static BOOL send_message(CtxtHandle *from, CtxtHandle *to, const char *text, ULONG mtu, struct datagram *wire)
{
    SecPkgContext_StreamSizes sizes;
    SecBuffer b[4];
    SecBufferDesc desc;
    ULONG len = (ULONG)strlen(text);
    SECURITY_STATUS status;
    BYTE buf[MAX_DATAGRAM];

    if (QueryContextAttributesA(from, SECPKG_ATTR_STREAM_SIZES, &sizes) != SEC_E_OK) return FALSE;
    memcpy(buf + sizes.cbHeader, text, len);
    b[0].BufferType = SECBUFFER_STREAM_HEADER;
    b[0].pvBuffer = buf;
    b[0].cbBuffer = sizes.cbHeader;
    b[1].BufferType = SECBUFFER_DATA;
    b[1].pvBuffer = buf + sizes.cbHeader;
    b[1].cbBuffer = len;
    b[2].BufferType = SECBUFFER_STREAM_TRAILER;
    b[2].pvBuffer = buf + sizes.cbHeader + len;
    b[2].cbBuffer = sizes.cbTrailer;
    b[3].BufferType = SECBUFFER_EMPTY;
    b[3].pvBuffer = NULL;
    b[3].cbBuffer = 0;
    desc.ulVersion = SECBUFFER_VERSION;
    desc.cBuffers = 4;
    desc.pBuffers = b;
    status = EncryptMessage(from, 0, &desc, 0);
    ok(status == SEC_E_OK, "EncryptMessage returned %08lx\n", status);
    if (status != SEC_E_OK) return FALSE;
    wire->size = b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer;
    ok(wire->size <= mtu, "record of %lu bytes exceeds the MTU %lu\n", wire->size, mtu);
    ok(b[0].cbBuffer == sizes.cbHeader, "header %lu, expected %lu\n", b[0].cbBuffer, sizes.cbHeader);
    memcpy(wire->data, buf, wire->size);

    memcpy(buf, wire->data, wire->size);
    memset(b, 0, sizeof(b));
    b[0].BufferType = SECBUFFER_DATA;
    b[0].pvBuffer = buf;
    b[0].cbBuffer = wire->size;
    status = DecryptMessage(to, &desc, 0, NULL);
    ok(status == SEC_E_OK, "DecryptMessage returned %08lx\n", status);
    if (status != SEC_E_OK) return FALSE;
    ok(b[1].BufferType == SECBUFFER_DATA && b[1].cbBuffer == len && !memcmp(b[1].pvBuffer, text, len),
       "decrypted %lu bytes (type %lu), expected \"%s\"\n", b[1].cbBuffer, b[1].BufferType, text);
    return TRUE;
}

static SECURITY_STATUS decrypt_datagram(CtxtHandle *ctx, const struct datagram *d)
{
    BYTE buf[MAX_DATAGRAM];
    SecBuffer b[4];
    SecBufferDesc desc;
    memcpy(buf, d->data, d->size);
    memset(b, 0, sizeof(b));
    b[0].BufferType = SECBUFFER_DATA;
    b[0].pvBuffer = buf;
    b[0].cbBuffer = d->size;
    desc.ulVersion = SECBUFFER_VERSION;
    desc.cBuffers = 4;
    desc.pBuffers = b;
    return DecryptMessage(ctx, &desc, 0, NULL);
}

static void free_peer(struct peer *p)
{
    if (p->has_ctx) DeleteSecurityContext(&p->ctx);
    FreeCredentialsHandle(&p->cred);
}

static void test_handshake(PCCERT_CONTEXT cert, ULONG mtu, int drop_to_client, int drop_final, BOOL sch_credentials)
{
    static struct channel to_server, to_client;
    struct peer client, server;
    SecPkgContext_ConnectionInfo info;
    SecPkgContext_StreamSizes sizes;
    SEC_DTLS_MTU path;
    struct datagram wire, first;
    SECURITY_STATUS status;
    ULONG value;

    winetest_push_context("mtu %lu, drop %d/%d%s", mtu, drop_to_client, drop_final,
                          sch_credentials ? ", SCH_CREDENTIALS" : "");
    memset(&client, 0, sizeof(client));
    memset(&server, 0, sizeof(server));
    memset(&to_server, 0, sizeof(to_server));
    memset(&to_client, 0, sizeof(to_client));
    to_server.mtu = to_client.mtu = mtu ? mtu : 1096;
    client.mtu_request = server.mtu_request = mtu;
    server.server = TRUE;

    status = sch_credentials ? acquire_default_sch_credentials(&client.cred)
                             : acquire(SP_PROT_DTLS1_2_CLIENT, FALSE, NULL, &client.cred);
    ok(status == SEC_E_OK, "client credentials: %08lx\n", status);
    if (status != SEC_E_OK) goto done_context;
    status = acquire(SP_PROT_DTLS1_2_SERVER, TRUE, cert, &server.cred);
    ok(status == SEC_E_OK, "server credentials: %08lx\n", status);
    if (status != SEC_E_OK) {
        FreeCredentialsHandle(&client.cred);
        goto done_context;
    }

    /* ClientHello; the server answers with a HelloVerifyRequest and keeps no context. */
    status = peer_step(&client, NULL, &to_server);
    ok(status == SEC_I_CONTINUE_NEEDED, "first ISC returned %08lx\n", status);
    if (status != SEC_I_CONTINUE_NEEDED || !channel_get(&to_server, &first)) goto done;
    ok(to_server.sent == 1, "ClientHello took %d datagrams\n", to_server.sent);
    status = peer_step(&server, &first, &to_client);
    /* Stock Wine 8 has no DTLS server (AcceptSecurityContext unsupported). */
    todo_wine ok(status == SEC_I_CONTINUE_NEEDED, "ASC on the first ClientHello returned %08lx\n", status);
    if (status != SEC_I_CONTINUE_NEEDED) goto done;
    ok(!server.has_ctx, "a context was made before the cookie came back\n");
    ok(to_client.count == 1 && to_client.q[to_client.head].data[0] == 22 &&
           to_client.q[to_client.head].data[13] == 3 /* hello_verify_request */,
       "no HelloVerifyRequest\n");

    ok(run_handshake(&client, &server, &to_server, &to_client, drop_to_client, drop_final), "handshake failed\n");
    ok(client.last == SEC_E_OK && server.last == SEC_E_OK, "last statuses %08lx / %08lx\n", client.last, server.last);
    if (!client.done || !server.done) goto done;
    ok(!to_server.oversized && !to_client.oversized, "%d + %d datagrams exceed the MTU %lu\n", to_server.oversized,
       to_client.oversized, to_client.mtu);
    ok(server.fragments > 0, "the server's flight was never split (SEC_I_MESSAGE_FRAGMENT)\n");
    channel_clear(&to_server);
    channel_clear(&to_client);

    status = QueryContextAttributesA(&client.ctx, SECPKG_ATTR_CONNECTION_INFO, &info);
    ok(status == SEC_E_OK && info.dwProtocol == SP_PROT_DTLS1_2_CLIENT, "client protocol %08lx (%08lx)\n",
       info.dwProtocol, status);
    status = QueryContextAttributesA(&server.ctx, SECPKG_ATTR_CONNECTION_INFO, &info);
    ok(status == SEC_E_OK && info.dwProtocol == SP_PROT_DTLS1_2_SERVER, "server protocol %08lx (%08lx)\n",
       info.dwProtocol, status);
    status = QueryContextAttributesA(&client.ctx, SECPKG_ATTR_DTLS_MTU, &path);
    ok(status == SEC_E_OK && path.PathMTU == to_client.mtu, "DTLS_MTU %u (%08lx)\n", path.PathMTU, status);
    status = QueryContextAttributesA(&client.ctx, SECPKG_ATTR_STREAM_SIZES, &sizes);
    ok(status == SEC_E_OK, "STREAM_SIZES returned %08lx\n", status);
    /* AES-GCM: 13-byte DTLS header + 8-byte explicit nonce, 16-byte tag. */
    if (info.aiCipher == CALG_AES_128 || info.aiCipher == CALG_AES_256)
        ok(sizes.cbHeader == 21 && sizes.cbTrailer == 16, "header %lu, trailer %lu\n", sizes.cbHeader,
           sizes.cbTrailer);
    ok(sizes.cbHeader + sizes.cbMaximumMessage + sizes.cbTrailer <= to_client.mtu && sizes.cbMaximumMessage > 0,
       "cbMaximumMessage %lu does not fit the MTU %lu\n", sizes.cbMaximumMessage, to_client.mtu);

    /* Data both ways, one record per datagram. */
    ok(send_message(&client.ctx, &server.ctx, "ping over DTLS", to_client.mtu, &wire), "client to server\n");
    /* The same datagram again is a replay; the context goes on. */
    status = decrypt_datagram(&server.ctx, &wire);
    ok(status == SEC_E_OUT_OF_SEQUENCE, "replayed record returned %08lx\n", status);
    ok(send_message(&server.ctx, &client.ctx, "pong over DTLS", to_client.mtu, &wire), "server to client\n");
    /* A forged record (last tag byte flipped) is dropped, not fatal. */
    ok(send_message(&server.ctx, &client.ctx, "second pong", to_client.mtu, &wire), "server to client again\n");
    wire.data[wire.size - 1] ^= 0x55;
    wire.data[9] ^= 0x10; /* a sequence number far ahead: not a replay */
    status = decrypt_datagram(&client.ctx, &wire);
    ok(status == SEC_E_INVALID_TOKEN, "forged record returned %08lx\n", status);
    ok(send_message(&server.ctx, &client.ctx, "still alive", to_client.mtu, &wire), "after a forgery\n");

    /* A smaller MTU bounds what EncryptMessage may take. */
    value = 100;
    status = SetContextAttributesA(&client.ctx, SECPKG_ATTR_DTLS_MTU, &value, sizeof(value));
    ok(status == SEC_E_INVALID_PARAMETER, "MTU 100 returned %08lx\n", status);
    path.PathMTU = 300;
    status = SetContextAttributesA(&client.ctx, SECPKG_ATTR_DTLS_MTU, &path, sizeof(path));
    ok(status == SEC_E_OK, "MTU 300 returned %08lx\n", status);
    status = QueryContextAttributesA(&client.ctx, SECPKG_ATTR_STREAM_SIZES, &sizes);
    ok(status == SEC_E_OK && sizes.cbHeader + sizes.cbMaximumMessage + sizes.cbTrailer <= 300,
       "after MTU 300: cbMaximumMessage %lu\n", sizes.cbMaximumMessage);
    ok(send_message(&client.ctx, &server.ctx, "small datagrams", 300, &wire), "after the MTU change\n");

    /* close_notify in one datagram ends the server's side. */
    {
        DWORD type = SCHANNEL_SHUTDOWN;
        SecBuffer b = {sizeof(type), SECBUFFER_TOKEN, &type};
        SecBufferDesc d = {SECBUFFER_VERSION, 1, &b};
        struct datagram alert;
        status = ApplyControlToken(&client.ctx, &d);
        ok(status == SEC_E_OK, "ApplyControlToken returned %08lx\n", status);
        client.done = FALSE;
        status = peer_call(&client, NULL, &to_server);
        ok(status == SEC_E_OK || status == SEC_I_CONTEXT_EXPIRED, "shutdown ISC returned %08lx\n", status);
        ok(channel_get(&to_server, &alert), "no close_notify\n");
        if (to_server.sent) {
            status = decrypt_datagram(&server.ctx, &alert);
            ok(status == SEC_I_CONTEXT_EXPIRED, "close_notify gave %08lx\n", status);
        }
    }

done:
    free_peer(&client);
    free_peer(&server);
done_context:
    winetest_pop_context();
}

static void test_credentials(PCCERT_CONTEXT cert)
{
    CredHandle cred, tls;
    CtxtHandle ctx;
    SecBuffer out = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, &out};
    SecPkgCred_SupportedProtocols protocols;
    ULONG attrs;
    SECURITY_STATUS status;

    status = acquire(SP_PROT_DTLS1_2_CLIENT, FALSE, NULL, &cred);
    ok(status == SEC_E_OK, "DTLS 1.2 client credentials: %08lx\n", status);
    if (status != SEC_E_OK) return;
    status = QueryCredentialsAttributesA(&cred, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &protocols);
    ok(status == SEC_E_OK && protocols.grbitProtocol == SP_PROT_DTLS1_2_CLIENT, "protocols %08lx (%08lx)\n",
       protocols.grbitProtocol, status);
    /* A DTLS-only credential cannot make a TLS context, and a TLS-only one no DTLS context. */
    status = InitializeSecurityContextA(&cred, NULL, (SEC_CHAR *)"localhost",
                                        ISC_REQ_STREAM | ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0, &ctx, &out_desc,
                                        &attrs, NULL);
    todo_wine ok(status == SEC_E_ALGORITHM_MISMATCH, "TLS context from DTLS credentials: %08lx\n", status);
    if (status == SEC_I_CONTINUE_NEEDED) DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred);

    status = acquire(SP_PROT_TLS1_2_CLIENT, FALSE, NULL, &tls);
    ok(status == SEC_E_OK, "TLS credentials: %08lx\n", status);
    if (status != SEC_E_OK) return;
    status = InitializeSecurityContextA(&tls, NULL, (SEC_CHAR *)"localhost",
                                        ISC_REQ_DATAGRAM | ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0, &ctx, &out_desc,
                                        &attrs, NULL);
    todo_wine ok(status == SEC_E_ALGORITHM_MISMATCH, "DTLS context from TLS 1.2 credentials: %08lx\n", status);
    if (status == SEC_I_CONTINUE_NEEDED) DeleteSecurityContext(&ctx);
    /* SECPKG_ATTR_DTLS_MTU exists only for DTLS contexts. */
    status = InitializeSecurityContextA(&tls, NULL, (SEC_CHAR *)"localhost",
                                        ISC_REQ_STREAM | ISC_REQ_ALLOCATE_MEMORY, 0, 0, NULL, 0, &ctx, &out_desc,
                                        &attrs, NULL);
    ok(status == SEC_I_CONTINUE_NEEDED, "TLS ISC returned %08lx\n", status);
    if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
    if (status == SEC_I_CONTINUE_NEEDED) {
        SEC_DTLS_MTU mtu = {500};
        status = SetContextAttributesA(&ctx, SECPKG_ATTR_DTLS_MTU, &mtu, sizeof(mtu));
        ok(status == SEC_E_UNSUPPORTED_FUNCTION, "DTLS_MTU on a TLS context returned %08lx\n", status);
        DeleteSecurityContext(&ctx);
    }
    FreeCredentialsHandle(&tls);

    /* Garbage is not a ClientHello: no context, no answer. */
    status = acquire(SP_PROT_DTLS1_2_SERVER, TRUE, cert, &cred);
    ok(status == SEC_E_OK, "server credentials: %08lx\n", status);
    if (status == SEC_E_OK) {
        BYTE junk[64];
        SecBuffer in = {sizeof(junk), SECBUFFER_TOKEN, junk};
        SecBufferDesc in_desc = {SECBUFFER_VERSION, 1, &in};
        memset(junk, 0x17, sizeof(junk));
        out.pvBuffer = NULL;
        out.cbBuffer = 0;
        status = AcceptSecurityContext(&cred, NULL, &in_desc, ASC_REQ_DATAGRAM | ASC_REQ_ALLOCATE_MEMORY, 0, &ctx,
                                       &out_desc, &attrs, NULL);
        ok(FAILED(status), "ASC on garbage returned %08lx\n", status);
        if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
        FreeCredentialsHandle(&cred);
    }
}

START_TEST(schannel_dtls)
{
    struct test_certificate t;

    (void)make_self_signed;
    is_ours = GetProcAddress(GetModuleHandleA("secur32.dll"), "WineSecur32BuildInfo") != NULL;
    if (!import_test_pfx(&t, test_pfx_rsa_base64, CRYPT_EXPORTABLE | PKCS12_NO_PERSIST_KEY)) {
        skip("cannot import the test certificate\n");
        return;
    }
    test_credentials(t.cert);
    /* Default MTU: the server's flight takes several datagrams. */
    test_handshake(t.cert, 0, 0, 0, FALSE);
    /* A smaller MTU from SECBUFFER_DTLS_MTU, SCH_CREDENTIALS defaults. */
    test_handshake(t.cert, 600, 0, 0, TRUE);
    /* The server's first datagram (its ServerHello) is lost: the client
     * waits, the server's timer repeats the flight. */
    test_handshake(t.cert, 600, 2, 0, FALSE);
    /* The server's final flight is lost: the client's timer repeats its
     * flight, the server's DecryptMessage sees it and sends its own again. */
    test_handshake(t.cert, 0, 0, 1, FALSE);
    free_test_certificate(&t);
}
