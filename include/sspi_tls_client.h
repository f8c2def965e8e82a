/* A small TLS client over SSPI/Schannel for our Windows test programs and
 * the demo. It drives Schannel the way curl's lib/vtls/schannel.c does:
 * ISC_REQ_ALLOCATE_MEMORY tokens, [TOKEN, EMPTY] input with
 * SECBUFFER_EXTRA carried over, returned flags compared bit for bit,
 * DecryptMessage with four buffers reading DATA from slot 1 and EXTRA from
 * slot 3, EncryptMessage with [STREAM_HEADER, DATA, STREAM_TRAILER, EMPTY].
 *
 * Header-only (static functions) so each program is one file. C, MinGW. */
#ifndef SSPI_TLS_CLIENT_H
#define SSPI_TLS_CLIENT_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <winternl.h>
#ifndef SECURITY_WIN32
#define SECURITY_WIN32
#endif
#define SCHANNEL_USE_BLACKLISTS
#include <sspi.h>
#include <schannel.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream_record.h"

#ifndef SP_PROT_TLS1_3_CLIENT
#define SP_PROT_TLS1_3_CLIENT 0x00002000
#endif

#define TLS_CLIENT_REQUEST_FLAGS                                                              \
    (ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY |            \
     ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM)
#define TLS_CLIENT_RETURNED_FLAGS                                                             \
    (ISC_RET_SEQUENCE_DETECT | ISC_RET_REPLAY_DETECT | ISC_RET_CONFIDENTIALITY |            \
     ISC_RET_ALLOCATED_MEMORY | ISC_RET_STREAM)

struct tls_client {
    SOCKET sock;
    CredHandle cred;
    CtxtHandle ctx;
    int have_cred, have_ctx, peer_closed;
    SecPkgContext_StreamSizes sizes;
    /* Received bytes not yet decrypted. */
    unsigned char *in;
    size_t in_len, in_cap;
    /* Decrypted bytes not yet returned to the caller (point into `in`'s old
     * contents, so they are copied out before `in` is compacted). */
    unsigned char *plain;
    size_t plain_len, plain_cap;
    SECURITY_STATUS last_status;
    int renegotiations; /* SEC_I_RENEGOTIATE seen (TLS 1.3 tickets, KeyUpdate) */
    const char *alpn;   /* comma-separated ALPN protocols to offer, or NULL */
    /* SEC_I_INCOMPLETE_CREDENTIALS (the server asked for a certificate and
     * the credential has none) is answered as Microsoft's sample client
     * does: the same input again, with a new credential acquired from
     * `answer_cred_data` (a SCHANNEL_CRED / SCH_CREDENTIALS with the
     * certificate), or with the same credential (no certificate). */
    void *answer_cred_data;
    int incomplete_credentials;  /* times seen */
    DWORD issuer_count;          /* SECPKG_ATTR_ISSUER_LIST_EX then */
    char issuers[512];           /* their names, "; "-separated */
    char error[256];
};

/* SP_PROT_*_CLIENT value as a name for printing. */
static inline const char *tls_client_protocol_name(DWORD protocol)
{
    switch (protocol) {
    case SP_PROT_TLS1_0_CLIENT: return "TLS 1.0";
    case SP_PROT_TLS1_1_CLIENT: return "TLS 1.1";
    case SP_PROT_TLS1_2_CLIENT: return "TLS 1.2";
    case SP_PROT_TLS1_3_CLIENT: return "TLS 1.3";
    default: return "unknown";
    }
}

static inline void tls_client_fail(struct tls_client *c, const char *what, SECURITY_STATUS status)
{
    c->last_status = status;
    snprintf(c->error, sizeof(c->error), "%s failed: 0x%08lx", what, (unsigned long)status);
}

static inline int tls_client_send_all(SOCKET s, const void *data, size_t len)
{
    const char *p = (const char *)data;
    while (len) {
        int n = send(s, p, (int)(len > 65536 ? 65536 : len), 0);
        if (n <= 0) return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads more bytes from the socket into c->in; returns bytes read, 0 on
 * EOF, -1 on error. */
static inline int tls_client_read_more(struct tls_client *c)
{
    int n;
    if (c->in_cap - c->in_len < 16384) {
        size_t cap = c->in_cap ? c->in_cap * 2 : 65536;
        unsigned char *bigger = (unsigned char *)realloc(c->in, cap);
        if (!bigger) return -1;
        c->in = bigger;
        c->in_cap = cap;
    }
    n = recv(c->sock, (char *)c->in + c->in_len, (int)(c->in_cap - c->in_len), 0);
    if (n > 0) c->in_len += (size_t)n;
    return n;
}

static inline SOCKET tls_client_tcp_connect(const char *host, int port)
{
    struct addrinfo hints, *res = NULL, *ai;
    char port_str[16];
    SOCKET s = INVALID_SOCKET;
    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    snprintf(port_str, sizeof(port_str), "%d", port);
    if (getaddrinfo(host, port_str, &hints, &res)) return INVALID_SOCKET;
    for (ai = res; ai; ai = ai->ai_next) {
        s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (s == INVALID_SOCKET) continue;
        if (!connect(s, ai->ai_addr, (int)ai->ai_addrlen)) break;
        closesocket(s);
        s = INVALID_SOCKET;
    }
    freeaddrinfo(res);
    return s;
}

/* Acquires credentials. `cred_data` is a SCHANNEL_CRED or SCH_CREDENTIALS
 * (or NULL for defaults). */
static inline int tls_client_acquire(struct tls_client *c, void *cred_data)
{
    SECURITY_STATUS status = AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_OUTBOUND,
                                                       NULL, cred_data, NULL, NULL, &c->cred, NULL);
    if (status != SEC_E_OK) {
        tls_client_fail(c, "AcquireCredentialsHandle", status);
        return -1;
    }
    c->have_cred = 1;
    return 0;
}

/* The server asked for a client certificate: note what it named, and
 * switch to the answering credential if there is one. */
static inline int tls_client_answer_certificate_request(struct tls_client *c)
{
    SecPkgContext_IssuerListInfoEx list;
    SECURITY_STATUS status;
    DWORD i;
    size_t used = 0;

    c->incomplete_credentials++;
    memset(&list, 0, sizeof(list));
    status = QueryContextAttributesW(&c->ctx, SECPKG_ATTR_ISSUER_LIST_EX, &list);
    if (status != SEC_E_OK) {
        tls_client_fail(c, "QueryContextAttributes(ISSUER_LIST_EX)", status);
        return -1;
    }
    c->issuer_count = list.cIssuers;
    c->issuers[0] = 0;
    for (i = 0; i < list.cIssuers && used + 4 < sizeof(c->issuers); i++) {
        char name[256];
        DWORD n = CertNameToStrA(X509_ASN_ENCODING, &list.aIssuers[i], CERT_X500_NAME_STR, name, sizeof(name));
        if (!n) continue;
        used += (size_t)snprintf(c->issuers + used, sizeof(c->issuers) - used, "%s%s", used ? "; " : "", name);
        if (used >= sizeof(c->issuers)) used = sizeof(c->issuers) - 1;
    }
    if (list.aIssuers) FreeContextBuffer(list.aIssuers);
    if (c->answer_cred_data) {
        CredHandle fresh;
        status = AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_OUTBOUND, NULL,
                                           c->answer_cred_data, NULL, NULL, &fresh, NULL);
        if (status != SEC_E_OK) {
            tls_client_fail(c, "AcquireCredentialsHandle (client certificate)", status);
            return -1;
        }
        FreeCredentialsHandle(&c->cred);
        c->cred = fresh;
    }
    return 0;
}

/* Runs the handshake on a connected socket. */
static inline int tls_client_handshake(struct tls_client *c, const wchar_t *target)
{
    SecBuffer out_buf, in_bufs[2];
    SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, &out_buf}, in_desc = {SECBUFFER_VERSION, 2, in_bufs};
    ULONG attrs = 0;
    SECURITY_STATUS status;

    out_buf.BufferType = SECBUFFER_TOKEN;
    out_buf.cbBuffer = 0;
    out_buf.pvBuffer = NULL;
    {
        /* ALPN goes in as SEC_APPLICATION_PROTOCOLS, as curl does it. */
        unsigned char alpn_buf[256];
        SecBuffer alpn_sec = {0, SECBUFFER_APPLICATION_PROTOCOLS, alpn_buf};
        SecBufferDesc alpn_desc = {SECBUFFER_VERSION, 1, &alpn_sec};
        if (c->alpn) {
            SEC_APPLICATION_PROTOCOLS *protocols = (SEC_APPLICATION_PROTOCOLS *)alpn_buf;
            SEC_APPLICATION_PROTOCOL_LIST *list = protocols->ProtocolLists;
            const char *p = c->alpn;
            unsigned short used = 0;
            list->ProtoNegoExt = SecApplicationProtocolNegotiationExt_ALPN;
            while (*p) {
                size_t n = strcspn(p, ",");
                list->ProtocolList[used] = (unsigned char)n;
                memcpy(list->ProtocolList + used + 1, p, n);
                used += (unsigned short)(n + 1);
                p += n + (p[n] == ',');
            }
            list->ProtocolListSize = used;
            protocols->ProtocolListsSize = (ULONG)(offsetof(SEC_APPLICATION_PROTOCOL_LIST, ProtocolList) + used);
            alpn_sec.cbBuffer = (ULONG)(offsetof(SEC_APPLICATION_PROTOCOLS, ProtocolLists) + protocols->ProtocolListsSize);
        }
        status = InitializeSecurityContextW(&c->cred, NULL, (SEC_WCHAR *)target, TLS_CLIENT_REQUEST_FLAGS, 0, 0,
                                            c->alpn ? &alpn_desc : NULL, 0, &c->ctx, &out_desc, &attrs, NULL);
    }
    if (status != SEC_I_CONTINUE_NEEDED) {
        tls_client_fail(c, "InitializeSecurityContext (first)", status);
        return -1;
    }
    c->have_ctx = 1;
    int asked_this_handshake = 0;
    for (;;) {
        if (out_buf.cbBuffer && out_buf.pvBuffer) {
            int err = tls_client_send_all(c->sock, out_buf.pvBuffer, out_buf.cbBuffer);
            FreeContextBuffer(out_buf.pvBuffer);
            out_buf.pvBuffer = NULL;
            out_buf.cbBuffer = 0;
            if (err) {
                tls_client_fail(c, "send", (SECURITY_STATUS)WSAGetLastError());
                return -1;
            }
        }
        if (status == SEC_E_OK) break;
        if (status == SEC_E_INCOMPLETE_MESSAGE || c->in_len == 0) {
            int n = tls_client_read_more(c);
            if (n <= 0) {
                tls_client_fail(c, "recv during handshake", n < 0 ? (SECURITY_STATUS)WSAGetLastError() : 0);
                return -1;
            }
        }
        in_bufs[0].BufferType = SECBUFFER_TOKEN;
        in_bufs[0].pvBuffer = c->in;
        in_bufs[0].cbBuffer = (ULONG)c->in_len;
        in_bufs[1].BufferType = SECBUFFER_EMPTY;
        in_bufs[1].pvBuffer = NULL;
        in_bufs[1].cbBuffer = 0;
        out_buf.BufferType = SECBUFFER_TOKEN;
        out_buf.cbBuffer = 0;
        out_buf.pvBuffer = NULL;
        status = InitializeSecurityContextW(&c->cred, &c->ctx, (SEC_WCHAR *)target, TLS_CLIENT_REQUEST_FLAGS, 0, 0,
                                            &in_desc, 0, NULL, &out_desc, &attrs, NULL);
        if (status == SEC_E_INCOMPLETE_MESSAGE) continue;
        /* A server asks once per handshake; a second question in the same
         * handshake is an error, whatever earlier connections saw. */
        if (status == SEC_I_INCOMPLETE_CREDENTIALS && !asked_this_handshake++) {
            /* The same input goes in again (it stays in c->in). */
            if (out_buf.pvBuffer) FreeContextBuffer(out_buf.pvBuffer);
            out_buf.pvBuffer = NULL;
            out_buf.cbBuffer = 0;
            if (tls_client_answer_certificate_request(c)) return -1;
            status = SEC_I_CONTINUE_NEEDED;
            continue;
        }
        if (status != SEC_E_OK && status != SEC_I_CONTINUE_NEEDED) {
            if (out_buf.pvBuffer) FreeContextBuffer(out_buf.pvBuffer);
            tls_client_fail(c, "InitializeSecurityContext", status);
            return -1;
        }
        /* Keep what Schannel did not consume (SECBUFFER_EXTRA). */
        if (in_bufs[1].BufferType == SECBUFFER_EXTRA && in_bufs[1].cbBuffer) {
            memmove(c->in, c->in + c->in_len - in_bufs[1].cbBuffer, in_bufs[1].cbBuffer);
            c->in_len = in_bufs[1].cbBuffer;
        } else {
            c->in_len = 0;
        }
    }
    if (attrs != TLS_CLIENT_RETURNED_FLAGS) {
        snprintf(c->error, sizeof(c->error), "returned flags 0x%lx != requested 0x%lx", attrs,
                 (unsigned long)TLS_CLIENT_RETURNED_FLAGS);
        return -1;
    }
    status = QueryContextAttributesW(&c->ctx, SECPKG_ATTR_STREAM_SIZES, &c->sizes);
    if (status != SEC_E_OK) {
        tls_client_fail(c, "QueryContextAttributes(STREAM_SIZES)", status);
        return -1;
    }
    return 0;
}

/* Connects and handshakes, offering `alpn` (comma-separated, or NULL). */
static inline int tls_client_connect_alpn(struct tls_client *c, const char *host, int port, const wchar_t *target,
                                   void *cred_data, const char *alpn)
{
    WSADATA wsa;
    memset(c, 0, sizeof(*c));
    c->sock = INVALID_SOCKET;
    c->alpn = alpn;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    if (tls_client_acquire(c, cred_data)) return -1;
    c->sock = tls_client_tcp_connect(host, port);
    if (c->sock == INVALID_SOCKET) {
        snprintf(c->error, sizeof(c->error), "cannot connect to %s:%d", host, port);
        return -1;
    }
    return tls_client_handshake(c, target);
}

static inline int tls_client_connect(struct tls_client *c, const char *host, int port, const wchar_t *target,
                              void *cred_data)
{
    return tls_client_connect_alpn(c, host, port, target, cred_data, NULL);
}

/* Encrypts and sends `len` bytes (split into records of at most
 * cbMaximumMessage). */
static inline int tls_client_write(struct tls_client *c, const void *data, size_t len)
{
    const unsigned char *p = (const unsigned char *)data;
    size_t cap = c->sizes.cbHeader + c->sizes.cbMaximumMessage + c->sizes.cbTrailer;
    unsigned char *buf = (unsigned char *)malloc(cap);
    if (!buf) return -1;
    do {
        size_t n = len < c->sizes.cbMaximumMessage ? len : c->sizes.cbMaximumMessage;
        SecBuffer b[4];
        SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
        SECURITY_STATUS status;
        memcpy(buf + c->sizes.cbHeader, p, n);
        stream_record_buffers(b, buf, &c->sizes, (ULONG)n);
        status = EncryptMessage(&c->ctx, 0, &d, 0);
        if (status != SEC_E_OK) {
            free(buf);
            tls_client_fail(c, "EncryptMessage", status);
            return -1;
        }
        /* Header, data and trailer are contiguous here: send them at once. */
        if (tls_client_send_all(c->sock, buf, b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer)) {
            free(buf);
            tls_client_fail(c, "send", (SECURITY_STATUS)WSAGetLastError());
            return -1;
        }
        p += n;
        len -= n;
    } while (len);
    free(buf);
    return 0;
}

/* After SEC_I_RENEGOTIATE, as "Renegotiating an Schannel Connection" says:
 * InitializeSecurityContext with the bytes not yet decrypted (or an empty
 * token), then on as for a new connection. A TLS 1.3 ticket or KeyUpdate
 * needs just that one call (SEC_E_OK, perhaps a token to send, the bytes
 * handed back as SECBUFFER_EXTRA); a server's HelloRequest (TLS 1.2) or
 * CertificateRequest (TLS 1.3) brings SEC_I_CONTINUE_NEEDED until SEC_E_OK,
 * and SEC_I_INCOMPLETE_CREDENTIALS when the server asks for a certificate
 * the credential lacks. SEC_E_OK with EXTRA may also mean application data
 * came first: the read loop decrypts it and gets SEC_I_RENEGOTIATE again
 * for the handshake records behind it. */
static inline int tls_client_after_renegotiate(struct tls_client *c)
{
    SecBuffer in_bufs[2], out_buf;
    SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, in_bufs}, out_desc = {SECBUFFER_VERSION, 1, &out_buf};
    ULONG attrs = 0;
    SECURITY_STATUS status;
    int calls, asked = 0, sent = 0;

    for (calls = 0; calls < 1000; calls++) {
        in_bufs[0].BufferType = SECBUFFER_TOKEN;
        in_bufs[0].pvBuffer = c->in_len ? c->in : NULL;
        in_bufs[0].cbBuffer = (ULONG)c->in_len;
        in_bufs[1].BufferType = SECBUFFER_EMPTY;
        in_bufs[1].pvBuffer = NULL;
        in_bufs[1].cbBuffer = 0;
        out_buf.BufferType = SECBUFFER_TOKEN;
        out_buf.pvBuffer = NULL;
        out_buf.cbBuffer = 0;
        status = InitializeSecurityContextW(&c->cred, &c->ctx, NULL, TLS_CLIENT_REQUEST_FLAGS, 0, 0, &in_desc, 0,
                                            NULL, &out_desc, &attrs, NULL);
        if (status == SEC_E_INCOMPLETE_MESSAGE) {
            int n = tls_client_read_more(c);
            if (n <= 0) {
                tls_client_fail(c, "recv during renegotiation", n < 0 ? (SECURITY_STATUS)WSAGetLastError() : 0);
                return -1;
            }
            continue;
        }
        if (status == SEC_I_INCOMPLETE_CREDENTIALS && !asked++) {
            /* The same input goes in again (it stays in c->in). */
            if (out_buf.pvBuffer) FreeContextBuffer(out_buf.pvBuffer);
            if (tls_client_answer_certificate_request(c)) return -1;
            continue;
        }
        if (status != SEC_E_OK && status != SEC_I_CONTINUE_NEEDED) {
            if (out_buf.pvBuffer) FreeContextBuffer(out_buf.pvBuffer);
            tls_client_fail(c, "InitializeSecurityContext after SEC_I_RENEGOTIATE", status);
            return -1;
        }
        if (out_buf.pvBuffer && out_buf.cbBuffer) {
            sent++;
            tls_client_send_all(c->sock, out_buf.pvBuffer, out_buf.cbBuffer);
        }
        if (out_buf.pvBuffer) FreeContextBuffer(out_buf.pvBuffer);
        if (in_bufs[1].BufferType == SECBUFFER_EXTRA && in_bufs[1].cbBuffer) {
            memmove(c->in, c->in + c->in_len - in_bufs[1].cbBuffer, in_bufs[1].cbBuffer);
            c->in_len = in_bufs[1].cbBuffer;
        } else if (status == SEC_E_OK && !calls && !sent && c->in_len) {
            /* A ticket or KeyUpdate is no handshake: the bytes after it
             * are records for DecryptMessage and must come back. */
            tls_client_fail(c, "ISC after SEC_I_RENEGOTIATE dropped unprocessed bytes", 0);
            return -1;
        } else {
            c->in_len = 0;
        }
        if (status == SEC_E_OK) break;
        if (!c->in_len) {
            int n = tls_client_read_more(c);
            if (n <= 0) {
                tls_client_fail(c, "recv during renegotiation", n < 0 ? (SECURITY_STATUS)WSAGetLastError() : 0);
                return -1;
            }
        }
    }
    if (status != SEC_E_OK) {
        tls_client_fail(c, "renegotiation without end", status);
        return -1;
    }
    c->renegotiations++;
    /* A renegotiated TLS 1.2 session may use other record sizes. */
    status = QueryContextAttributesW(&c->ctx, SECPKG_ATTR_STREAM_SIZES, &c->sizes);
    if (status != SEC_E_OK) {
        tls_client_fail(c, "QueryContextAttributes(STREAM_SIZES) after renegotiation", status);
        return -1;
    }
    return 0;
}

/* Returns up to `len` decrypted bytes; 0 when the peer closed (close_notify
 * or EOF), -1 on error. */
static inline int tls_client_read(struct tls_client *c, void *out, size_t len)
{
    while (!c->plain_len) {
        SecBuffer b[4];
        SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
        SECURITY_STATUS status;
        if (c->peer_closed) return 0;
        if (!c->in_len) {
            int n = tls_client_read_more(c);
            if (n == 0) return 0;
            if (n < 0) return -1;
        }
        b[0].BufferType = SECBUFFER_DATA; b[0].pvBuffer = c->in; b[0].cbBuffer = (ULONG)c->in_len;
        b[1].BufferType = SECBUFFER_EMPTY; b[1].pvBuffer = NULL; b[1].cbBuffer = 0;
        b[2].BufferType = SECBUFFER_EMPTY; b[2].pvBuffer = NULL; b[2].cbBuffer = 0;
        b[3].BufferType = SECBUFFER_EMPTY; b[3].pvBuffer = NULL; b[3].cbBuffer = 0;
        status = DecryptMessage(&c->ctx, &d, 0, NULL);
        if (status == SEC_E_INCOMPLETE_MESSAGE) {
            int n = tls_client_read_more(c);
            if (n <= 0) return n;
            continue;
        }
        if (status != SEC_E_OK && status != SEC_I_CONTEXT_EXPIRED && status != SEC_I_RENEGOTIATE) {
            tls_client_fail(c, "DecryptMessage", status);
            return -1;
        }
        /* Schannel decrypts in place: DATA must point into our buffer. */
        if (b[1].BufferType == SECBUFFER_DATA && b[1].cbBuffer &&
            ((unsigned char *)b[1].pvBuffer < c->in ||
             (unsigned char *)b[1].pvBuffer + b[1].cbBuffer > c->in + c->in_len)) {
            snprintf(c->error, sizeof(c->error), "DecryptMessage DATA is not inside the input buffer");
            return -1;
        }
        if (b[1].BufferType == SECBUFFER_DATA && b[1].cbBuffer) {
            if (c->plain_cap < b[1].cbBuffer) {
                unsigned char *bigger = (unsigned char *)realloc(c->plain, b[1].cbBuffer);
                if (!bigger) return -1;
                c->plain = bigger;
                c->plain_cap = b[1].cbBuffer;
            }
            memcpy(c->plain, b[1].pvBuffer, b[1].cbBuffer);
            c->plain_len = b[1].cbBuffer;
        }
        if (b[3].BufferType == SECBUFFER_EXTRA && b[3].cbBuffer) {
            memmove(c->in, c->in + c->in_len - b[3].cbBuffer, b[3].cbBuffer);
            c->in_len = b[3].cbBuffer;
        } else {
            c->in_len = 0;
        }
        if (status == SEC_I_CONTEXT_EXPIRED) c->peer_closed = 1;
        if (status == SEC_I_RENEGOTIATE && tls_client_after_renegotiate(c)) return -1;
    }
    {
        size_t n = len < c->plain_len ? len : c->plain_len;
        memcpy(out, c->plain, n);
        memmove(c->plain, c->plain + n, c->plain_len - n);
        c->plain_len -= n;
        return (int)n;
    }
}

/* Sends close_notify (ApplyControlToken + ISC) and ends the connection,
 * keeping the credential handle (and so its session cache). */
static inline void tls_client_disconnect(struct tls_client *c);

/* A new connection with the same credential handle. */
static inline int tls_client_reconnect(struct tls_client *c, const char *host, int port, const wchar_t *target)
{
    tls_client_disconnect(c);
    c->in_len = c->plain_len = 0;
    c->peer_closed = 0;
    c->sock = tls_client_tcp_connect(host, port);
    if (c->sock == INVALID_SOCKET) {
        snprintf(c->error, sizeof(c->error), "cannot connect to %s:%d", host, port);
        return -1;
    }
    return tls_client_handshake(c, target);
}

/* Sends close_notify (ApplyControlToken + ISC) and frees everything. */
static inline void tls_client_close(struct tls_client *c)
{
    tls_client_disconnect(c);
    if (c->have_cred) FreeCredentialsHandle(&c->cred);
    c->have_cred = 0;
    free(c->in);
    free(c->plain);
    c->in = c->plain = NULL;
}

static inline void tls_client_disconnect(struct tls_client *c)
{
    if (c->have_ctx) {
        DWORD type = SCHANNEL_SHUTDOWN;
        SecBuffer b = {sizeof(type), SECBUFFER_TOKEN, &type};
        SecBufferDesc d = {SECBUFFER_VERSION, 1, &b};
        if (ApplyControlToken(&c->ctx, &d) == SEC_E_OK && c->sock != INVALID_SOCKET) {
            SecBuffer out = {0, SECBUFFER_TOKEN, NULL};
            SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, &out};
            ULONG attrs;
            SECURITY_STATUS status = InitializeSecurityContextW(&c->cred, &c->ctx, NULL, TLS_CLIENT_REQUEST_FLAGS, 0,
                                                                0, NULL, 0, NULL, &out_desc, &attrs, NULL);
            if ((status == SEC_E_OK || status == SEC_I_CONTEXT_EXPIRED) && out.pvBuffer && out.cbBuffer)
                tls_client_send_all(c->sock, out.pvBuffer, out.cbBuffer);
            if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
        }
        DeleteSecurityContext(&c->ctx);
        c->have_ctx = 0;
    }
    if (c->sock != INVALID_SOCKET) closesocket(c->sock);
    c->sock = INVALID_SOCKET;
}

#endif
