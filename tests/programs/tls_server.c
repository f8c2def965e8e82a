/* A small HTTPS server over Schannel's AcceptSecurityContext, driven the
 * way .NET's SslStream and schannel-rs drive it: input [TOKEN, EMPTY]
 * with SECBUFFER_EXTRA / SEC_E_INCOMPLETE_MESSAGE handling, output
 * [TOKEN, ALERT] with ASC_REQ_ALLOCATE_MEMORY, EncryptMessage with
 * STREAM_SIZES, DecryptMessage with [DATA, EMPTY, EMPTY, EMPTY], and
 * ApplyControlToken(SCHANNEL_SHUTDOWN) + close_notify at the end.
 *
 * usage: tls_server PORT PFXFILE PASSWORD [--count N] [--schannel-cred]
 *                   [--alpn P1,P2] [--mutual] [--subject CN] [--not-exportable]
 *                   [--keymat LABEL SIZE] [--renegotiate]
 * Serves connections one after another on 127.0.0.1:PORT (forever, or N
 * successful ones with --count). Each request gets "HTTP/1.1 200 OK" and a
 * body naming the negotiated protocol, suite and ALPN. One line per
 * connection on stdout: "connection K: ok PROTOCOL SUITE alpn=X resumed=R
 * client_cert=C sni=NAME" or "connection K: failed ...". The certificate is the
 * PFX's certificate with subject CN (default localhost), imported with
 * CRYPT_EXPORTABLE | PKCS12_NO_PERSIST_KEY (with --not-exportable: default
 * flags, so the key signs through its provider). With --keymat, each
 * connection first prints "connection K: keying material HEX", the RFC 5705
 * export for LABEL (SetContextAttributes KEYING_MATERIAL_INFO, then
 * QueryContextAttributes KEYING_MATERIAL). With --renegotiate, after the
 * request the server asks for a client certificate on the established
 * connection (AcceptSecurityContext with ASC_REQ_MUTUAL_AUTH and an empty
 * TOKEN: TLS 1.2 renegotiation, TLS 1.3 post-handshake authentication),
 * reads the client's answer through DecryptMessage / SEC_I_RENEGOTIATE as
 * "Renegotiating an Schannel Connection" describes, prints
 * "connection K: renegotiated client_cert=SUBJECT" (or "connection K:
 * renegotiation refused" for SEC_I_NO_RENEGOTIATION) and names the
 * certificate in the response body. */
#include <winsock2.h>
#include <windows.h>
#include <wincrypt.h>
#ifndef SECURITY_WIN32
#define SECURITY_WIN32
#endif
#define SCHANNEL_USE_BLACKLISTS
#include <sspi.h>
#include <schannel.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream_record.h"

#ifndef PKCS12_NO_PERSIST_KEY
#define PKCS12_NO_PERSIST_KEY 0x00008000
#endif
#ifndef SECBUFFER_ALERT
#define SECBUFFER_ALERT 17
#endif

#define ASC_FLAGS (ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT | ASC_REQ_CONFIDENTIALITY | \
                   ASC_REQ_EXTENDED_ERROR | ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_STREAM)
#define IO_SIZE 65536

static ULONG asc_flags = ASC_FLAGS;
static int renegotiate;
static BYTE alpn_buf[256];
static ULONG alpn_size;
static DWORD pfx_flags = CRYPT_EXPORTABLE | PKCS12_NO_PERSIST_KEY;

static int send_all(SOCKET s, const void *data, ULONG size)
{
    const char *p = data;
    while (size) {
        int n = send(s, p, (int)size, 0);
        if (n <= 0) return 0;
        p += n;
        size -= (ULONG)n;
    }
    return 1;
}

static void free_output(SecBuffer *out, ULONG count)
{
    ULONG i;
    for (i = 0; i < count; i++)
        if (out[i].pvBuffer) FreeContextBuffer(out[i].pvBuffer);
}

/* The handshake: reads from the socket into `io` until ASC says SEC_E_OK;
 * bytes after the handshake (application data) stay in io[0..*io_size). */
/* The SNI host name of the ClientHello, as a Windows server learns it
 * (SslGetServerIdentity: schannel.dll on Windows, secur32.dll here). */
static char server_name[256] = "none";
static const char *keymat_label;
static DWORD keymat_size;

static void print_keying_material(CtxtHandle *ctx, int number)
{
    SecPkgContext_KeyingMaterialInfo info;
    SecPkgContext_KeyingMaterial km;
    SECURITY_STATUS status;
    DWORD i;

    memset(&info, 0, sizeof(info));
    info.cbLabel = (WORD)(strlen(keymat_label) + 1);
    info.pszLabel = (LPSTR)keymat_label;
    info.cbKeyingMaterial = keymat_size;
    memset(&km, 0, sizeof(km));
    status = SetContextAttributesA(ctx, SECPKG_ATTR_KEYING_MATERIAL_INFO, &info, sizeof(info));
    if (status == SEC_E_OK) status = QueryContextAttributesA(ctx, SECPKG_ATTR_KEYING_MATERIAL, &km);
    if (status != SEC_E_OK || !km.pbKeyingMaterial) {
        printf("connection %d: keying material failed %08lx\n", number, status);
        return;
    }
    printf("connection %d: keying material ", number);
    for (i = 0; i < km.cbKeyingMaterial; i++) printf("%02x", km.pbKeyingMaterial[i]);
    printf("\n");
    fflush(stdout);
    FreeContextBuffer(km.pbKeyingMaterial);
}
static void note_server_name(BYTE *hello, ULONG size)
{
    typedef SECURITY_STATUS(WINAPI * get_identity_fn)(BYTE *, DWORD, BYTE **, DWORD *, DWORD);
    get_identity_fn get_identity = (get_identity_fn)GetProcAddress(GetModuleHandleA("secur32.dll"), "SslGetServerIdentity");
    BYTE *name = NULL;
    DWORD name_size = 0;
    strcpy(server_name, "none");
    if (!get_identity) get_identity = (get_identity_fn)GetProcAddress(LoadLibraryA("schannel.dll"), "SslGetServerIdentity");
    if (get_identity && get_identity(hello, size, &name, &name_size, 0) == SEC_E_OK && name && name_size < sizeof(server_name)) {
        memcpy(server_name, name, name_size);
        server_name[name_size] = 0;
    }
}

static SECURITY_STATUS handshake(SOCKET s, CredHandle *cred, CtxtHandle *ctx, BYTE *io, ULONG *io_size)
{
    BOOL have_ctx = FALSE;
    SECURITY_STATUS status = SEC_E_INCOMPLETE_MESSAGE;
    int rounds = 0;

    *io_size = 0;
    while (rounds++ < 64) {
        SecBuffer in[3], out[2];
        SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, in}, out_desc = {SECBUFFER_VERSION, 2, out};
        ULONG attrs;

        if (status == SEC_E_INCOMPLETE_MESSAGE || !*io_size) {
            int n = recv(s, (char *)io + *io_size, IO_SIZE - *io_size, 0);
            if (n <= 0) return SEC_E_INCOMPLETE_MESSAGE;
            *io_size += (ULONG)n;
        }
        in[0].BufferType = SECBUFFER_TOKEN; in[0].pvBuffer = io; in[0].cbBuffer = *io_size;
        in[1].BufferType = SECBUFFER_EMPTY; in[1].pvBuffer = NULL; in[1].cbBuffer = 0;
        if (!have_ctx) note_server_name(io, *io_size);
        if (!have_ctx && alpn_size) {
            in[2].BufferType = SECBUFFER_APPLICATION_PROTOCOLS; in[2].pvBuffer = alpn_buf; in[2].cbBuffer = alpn_size;
            in_desc.cBuffers = 3;
        }
        out[0].BufferType = SECBUFFER_TOKEN; out[0].pvBuffer = NULL; out[0].cbBuffer = 0;
        out[1].BufferType = SECBUFFER_ALERT; out[1].pvBuffer = NULL; out[1].cbBuffer = 0;
        status = AcceptSecurityContext(cred, have_ctx ? ctx : NULL, &in_desc, asc_flags, 0, ctx, &out_desc, &attrs,
                                       NULL);
        if (status == SEC_E_INCOMPLETE_MESSAGE) {
            free_output(out, 2);
            continue;
        }
        if (!FAILED(status)) have_ctx = TRUE;
        if (out[0].pvBuffer && out[0].cbBuffer && !send_all(s, out[0].pvBuffer, out[0].cbBuffer)) {
            free_output(out, 2);
            return SEC_E_INTERNAL_ERROR;
        }
        free_output(out, 2);
        if (FAILED(status)) {
            if (have_ctx) DeleteSecurityContext(ctx);
            return status;
        }
        if (in[1].BufferType == SECBUFFER_EXTRA && in[1].cbBuffer <= *io_size) {
            memmove(io, io + *io_size - in[1].cbBuffer, in[1].cbBuffer);
            *io_size = in[1].cbBuffer;
        } else {
            *io_size = 0;
        }
        if (status == SEC_E_OK) return SEC_E_OK;
    }
    if (have_ctx) DeleteSecurityContext(ctx);
    return SEC_E_INTERNAL_ERROR;
}

/* Reads and decrypts until the HTTP request's blank line (or the end). */
static int read_request(SOCKET s, CtxtHandle *ctx, CredHandle *cred, BYTE *io, ULONG *io_size)
{
    char request[8192];
    ULONG request_size = 0;
    int loops = 0;

    while (loops++ < 1024) {
        SecBuffer b[4];
        SecBufferDesc desc = {SECBUFFER_VERSION, 4, b};
        SECURITY_STATUS status;
        int i;

        if (*io_size) {
            b[0].BufferType = SECBUFFER_DATA; b[0].pvBuffer = io; b[0].cbBuffer = *io_size;
            for (i = 1; i < 4; i++) { b[i].BufferType = SECBUFFER_EMPTY; b[i].pvBuffer = NULL; b[i].cbBuffer = 0; }
            status = DecryptMessage(ctx, &desc, 0, NULL);
        } else {
            status = SEC_E_INCOMPLETE_MESSAGE;
        }
        if (status == SEC_E_INCOMPLETE_MESSAGE) {
            int n = recv(s, (char *)io + *io_size, IO_SIZE - *io_size, 0);
            if (n <= 0) return 0;
            *io_size += (ULONG)n;
            continue;
        }
        if (status == SEC_I_CONTEXT_EXPIRED) return 0;
        if (status != SEC_E_OK && status != SEC_I_RENEGOTIATE) {
            printf("DecryptMessage failed: %08lx\n", status);
            return 0;
        }
        for (i = 1; i < 4; i++)
            if (b[i].BufferType == SECBUFFER_DATA && b[i].cbBuffer && request_size + b[i].cbBuffer < sizeof(request)) {
                memcpy(request + request_size, b[i].pvBuffer, b[i].cbBuffer);
                request_size += b[i].cbBuffer;
            }
        {
            ULONG extra = 0;
            for (i = 1; i < 4; i++)
                if (b[i].BufferType == SECBUFFER_EXTRA) extra = b[i].cbBuffer;
            memmove(io, io + *io_size - extra, extra);
            *io_size = extra;
        }
        if (status == SEC_I_RENEGOTIATE) {
            /* A post-handshake message (TLS 1.3 KeyUpdate): the handshake call takes it. */
            SecBuffer out = {0, SECBUFFER_TOKEN, NULL};
            SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, &out};
            ULONG attrs;
            status = AcceptSecurityContext(cred, ctx, NULL, asc_flags, 0, NULL, &out_desc, &attrs, NULL);
            if (out.pvBuffer && out.cbBuffer) send_all(s, out.pvBuffer, out.cbBuffer);
            if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
            if (FAILED(status)) return 0;
        }
        request[request_size] = 0;
        if (strstr(request, "\r\n\r\n") || strstr(request, "\n\n")) return 1;
    }
    return 0;
}

/* Handshake calls on the established context after SEC_I_RENEGOTIATE:
 * the bytes in io go in, tokens go out, until SEC_E_OK (or an error).
 * What is left (application data first, or after the end) stays in io. */
static SECURITY_STATUS renegotiation_handshake(SOCKET s, CredHandle *cred, CtxtHandle *ctx, BYTE *io, ULONG *io_size)
{
    SECURITY_STATUS status = SEC_E_OK;
    int rounds;
    for (rounds = 0; rounds < 64; rounds++) {
        SecBuffer in[2], out[2];
        SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, in}, out_desc = {SECBUFFER_VERSION, 2, out};
        ULONG attrs;
        in[0].BufferType = SECBUFFER_TOKEN; in[0].pvBuffer = io; in[0].cbBuffer = *io_size;
        in[1].BufferType = SECBUFFER_EMPTY; in[1].pvBuffer = NULL; in[1].cbBuffer = 0;
        out[0].BufferType = SECBUFFER_TOKEN; out[0].pvBuffer = NULL; out[0].cbBuffer = 0;
        out[1].BufferType = SECBUFFER_ALERT; out[1].pvBuffer = NULL; out[1].cbBuffer = 0;
        status = AcceptSecurityContext(cred, ctx, &in_desc, asc_flags | ASC_REQ_MUTUAL_AUTH, 0, NULL, &out_desc,
                                       &attrs, NULL);
        if (out[0].pvBuffer && out[0].cbBuffer) send_all(s, out[0].pvBuffer, out[0].cbBuffer);
        free_output(out, 2);
        if (status == SEC_E_INCOMPLETE_MESSAGE) {
            int n = recv(s, (char *)io + *io_size, IO_SIZE - *io_size, 0);
            if (n <= 0) return status;
            *io_size += (ULONG)n;
            continue;
        }
        if (FAILED(status)) return status;
        if (in[1].BufferType == SECBUFFER_EXTRA && in[1].cbBuffer <= *io_size) {
            memmove(io, io + *io_size - in[1].cbBuffer, in[1].cbBuffer);
            *io_size = in[1].cbBuffer;
        } else {
            *io_size = 0;
        }
        if (status != SEC_I_CONTINUE_NEEDED) return status;
        if (!*io_size) {
            int n = recv(s, (char *)io, IO_SIZE, 0);
            if (n <= 0) return SEC_E_INCOMPLETE_MESSAGE;
            *io_size = (ULONG)n;
        }
    }
    return SEC_E_INTERNAL_ERROR;
}

/* --renegotiate: asks the client for a certificate now, and reads until it
 * has come (or the client cannot be asked). Application data the client
 * sends meanwhile is counted in *early. 1: the connection goes on. */
static int ask_for_certificate(SOCKET s, CredHandle *cred, CtxtHandle *ctx, BYTE *io, ULONG *io_size, int number,
                               ULONG *early)
{
    SecBuffer in[2], out = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, in}, out_desc = {SECBUFFER_VERSION, 1, &out};
    PCCERT_CONTEXT remote = NULL;
    SECURITY_STATUS status;
    DWORD timeout = 15000; /* a client that never answers fails the run instead of hanging it */
    ULONG attrs;
    int loops;

    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof(timeout));
    in[0].BufferType = SECBUFFER_TOKEN; in[0].pvBuffer = NULL; in[0].cbBuffer = 0;
    in[1].BufferType = SECBUFFER_EMPTY; in[1].pvBuffer = NULL; in[1].cbBuffer = 0;
    status = AcceptSecurityContext(cred, ctx, &in_desc, asc_flags | ASC_REQ_MUTUAL_AUTH, 0, NULL, &out_desc, &attrs,
                                   NULL);
    if (status == SEC_I_NO_RENEGOTIATION) {
        printf("connection %d: renegotiation refused (SEC_I_NO_RENEGOTIATION)\n", number);
        return 1;
    }
    if (status != SEC_E_OK || !out.cbBuffer) {
        printf("connection %d: renegotiation request failed %08lx\n", number, status);
        if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
        return 0;
    }
    send_all(s, out.pvBuffer, out.cbBuffer);
    FreeContextBuffer(out.pvBuffer);

    for (loops = 0; loops < 1024; loops++) {
        SecBuffer b[4];
        SecBufferDesc desc = {SECBUFFER_VERSION, 4, b};
        ULONG extra = 0;
        int i;
        if (!*io_size || status == SEC_E_INCOMPLETE_MESSAGE) {
            int n = recv(s, (char *)io + *io_size, IO_SIZE - *io_size, 0);
            if (n <= 0) {
                printf("connection %d: no answer to the certificate request\n", number);
                return 0;
            }
            *io_size += (ULONG)n;
        }
        b[0].BufferType = SECBUFFER_DATA; b[0].pvBuffer = io; b[0].cbBuffer = *io_size;
        for (i = 1; i < 4; i++) { b[i].BufferType = SECBUFFER_EMPTY; b[i].pvBuffer = NULL; b[i].cbBuffer = 0; }
        status = DecryptMessage(ctx, &desc, 0, NULL);
        if (status == SEC_E_INCOMPLETE_MESSAGE) continue;
        if (status != SEC_E_OK && status != SEC_I_RENEGOTIATE) {
            printf("connection %d: DecryptMessage during renegotiation failed %08lx\n", number, status);
            return 0;
        }
        if (b[1].BufferType == SECBUFFER_DATA) *early += b[1].cbBuffer;
        for (i = 1; i < 4; i++)
            if (b[i].BufferType == SECBUFFER_EXTRA) extra = b[i].cbBuffer;
        memmove(io, io + *io_size - extra, extra);
        *io_size = extra;
        if (status != SEC_I_RENEGOTIATE) continue;
        status = renegotiation_handshake(s, cred, ctx, io, io_size);
        if (status == SEC_I_NO_RENEGOTIATION) {
            printf("connection %d: renegotiation refused by the client (SEC_I_NO_RENEGOTIATION)\n", number);
            return 1;
        }
        if (status != SEC_E_OK) {
            printf("connection %d: renegotiation failed %08lx\n", number, status);
            return 0;
        }
        if (QueryContextAttributesA(ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &remote) == SEC_E_OK && remote) {
            char subject[256] = "";
            CertNameToStrA(X509_ASN_ENCODING, &remote->pCertInfo->Subject, CERT_X500_NAME_STR, subject,
                           sizeof(subject));
            printf("connection %d: renegotiated client_cert=%s early_data=%lu\n", number, subject, *early);
            CertFreeCertificateContext(remote);
            return 1;
        }
        /* SEC_E_OK before the end: application data came first. */
    }
    printf("connection %d: the renegotiation did not end\n", number);
    return 0;
}

static int send_encrypted(SOCKET s, CtxtHandle *ctx, const char *data, ULONG size)
{
    SecPkgContext_StreamSizes sizes;
    static BYTE record[IO_SIZE];
    if (QueryContextAttributesA(ctx, SECPKG_ATTR_STREAM_SIZES, &sizes) != SEC_E_OK) return 0;
    while (size) {
        ULONG n = size < sizes.cbMaximumMessage ? size : sizes.cbMaximumMessage;
        SecBuffer b[4];
        SecBufferDesc desc = {SECBUFFER_VERSION, 4, b};
        stream_record_buffers(b, record, &sizes, n);
        memcpy(b[1].pvBuffer, data, n);
        if (EncryptMessage(ctx, 0, &desc, 0) != SEC_E_OK) return 0;
        if (!send_all(s, record, stream_record_size(b))) return 0;
        data += n;
        size -= n;
    }
    return 1;
}

static void shutdown_tls(SOCKET s, CredHandle *cred, CtxtHandle *ctx)
{
    DWORD type = SCHANNEL_SHUTDOWN;
    SecBuffer token = {sizeof(type), SECBUFFER_TOKEN, &type}, out = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc desc = {SECBUFFER_VERSION, 1, &token}, out_desc = {SECBUFFER_VERSION, 1, &out};
    ULONG attrs;
    if (ApplyControlToken(ctx, &desc) != SEC_E_OK) return;
    AcceptSecurityContext(cred, ctx, NULL, asc_flags, 0, NULL, &out_desc, &attrs, NULL);
    if (out.pvBuffer && out.cbBuffer) send_all(s, out.pvBuffer, out.cbBuffer);
    if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
}

static const char *protocol_name(DWORD protocol)
{
    if (protocol & SP_PROT_TLS1_3_SERVER) return "TLS1.3";
    if (protocol & SP_PROT_TLS1_2_SERVER) return "TLS1.2";
    if (protocol & SP_PROT_TLS1_1_SERVER) return "TLS1.1";
    if (protocol & SP_PROT_TLS1_0_SERVER) return "TLS1.0";
    return "unknown";
}

/* One connection: handshake, one request, one response, close_notify. */
static int serve(SOCKET s, CredHandle *cred, int number)
{
    static BYTE io[IO_SIZE];
    ULONG io_size;
    CtxtHandle ctx;
    SecPkgContext_ConnectionInfo info;
    SecPkgContext_CipherInfo cipher;
    SecPkgContext_ApplicationProtocol protocol;
    SecPkgContext_SessionInfo session;
    PCCERT_CONTEXT client_cert = NULL;
    char alpn[64] = "none", body[512], response[1024];
    SECURITY_STATUS status = handshake(s, cred, &ctx, io, &io_size);
    int ok_request, len;

    if (status != SEC_E_OK) {
        printf("connection %d: failed handshake %08lx\n", number, status);
        return 0;
    }
    memset(&info, 0, sizeof(info));
    memset(&cipher, 0, sizeof(cipher));
    memset(&protocol, 0, sizeof(protocol));
    memset(&session, 0, sizeof(session));
    QueryContextAttributesA(&ctx, SECPKG_ATTR_CONNECTION_INFO, &info);
    QueryContextAttributesA(&ctx, SECPKG_ATTR_CIPHER_INFO, &cipher);
    QueryContextAttributesA(&ctx, SECPKG_ATTR_SESSION_INFO, &session);
    if (QueryContextAttributesA(&ctx, SECPKG_ATTR_APPLICATION_PROTOCOL, &protocol) == SEC_E_OK &&
        protocol.ProtoNegoStatus == SecApplicationProtocolNegotiationStatus_Success &&
        protocol.ProtocolIdSize < sizeof(alpn)) {
        memcpy(alpn, protocol.ProtocolId, protocol.ProtocolIdSize);
        alpn[protocol.ProtocolIdSize] = 0;
    }
    QueryContextAttributesA(&ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &client_cert);
    if (keymat_label) print_keying_material(&ctx, number);

    ok_request = read_request(s, &ctx, cred, io, &io_size);
    if (ok_request && renegotiate) {
        ULONG early = 0;
        ok_request = ask_for_certificate(s, cred, &ctx, io, &io_size, number, &early);
        if (client_cert) CertFreeCertificateContext(client_cert);
        client_cert = NULL;
        QueryContextAttributesA(&ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &client_cert);
    }
    if (ok_request) {
        char subject[256] = "none";
        if (client_cert)
            CertNameToStrA(X509_ASN_ENCODING, &client_cert->pCertInfo->Subject, CERT_X500_NAME_STR, subject,
                           sizeof(subject));
        len = snprintf(body, sizeof(body), "hello from wine-secur32 server: %s %ls alpn=%s client certificate: %s\n",
                       protocol_name(info.dwProtocol), cipher.szCipherSuite, alpn, subject);
        len = snprintf(response, sizeof(response),
                       "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
                       len, body);
        ok_request = send_encrypted(s, &ctx, response, (ULONG)len);
        shutdown_tls(s, cred, &ctx);
    }
    printf("connection %d: %s %s %ls alpn=%s resumed=%d client_cert=%d sni=%s\n", number,
           ok_request ? "ok" : "failed request", protocol_name(info.dwProtocol), cipher.szCipherSuite, alpn,
           (session.dwFlags & SSL_SESSION_RECONNECT) ? 1 : 0, client_cert ? 1 : 0, server_name);
    if (client_cert) CertFreeCertificateContext(client_cert);
    DeleteSecurityContext(&ctx);
    return ok_request;
}

static PCCERT_CONTEXT load_certificate(const char *path, const char *password, const char *subject)
{
    WCHAR password_w[128], subject_w[128];
    CRYPT_DATA_BLOB pfx;
    HANDLE file;
    HCERTSTORE store;
    PCCERT_CONTEXT cert;
    DWORD size;

    file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (file == INVALID_HANDLE_VALUE) return NULL;
    size = GetFileSize(file, NULL);
    pfx.pbData = malloc(size);
    pfx.cbData = size;
    if (!pfx.pbData || !ReadFile(file, pfx.pbData, size, &size, NULL)) {
        CloseHandle(file);
        return NULL;
    }
    CloseHandle(file);
    MultiByteToWideChar(CP_ACP, 0, password, -1, password_w, 128);
    MultiByteToWideChar(CP_ACP, 0, subject, -1, subject_w, 128);
    store = PFXImportCertStore(&pfx, password_w, pfx_flags);
    free(pfx.pbData);
    if (!store) return NULL;
    /* The store keeps the other certificates of the PFX (the CA), where
     * Schannel finds the chain it sends. */
    cert = CertFindCertificateInStore(store, X509_ASN_ENCODING, 0, CERT_FIND_SUBJECT_STR_W, subject_w, NULL);
    return cert;
}

int main(int argc, char **argv)
{
    int count = 0, served = 0, number = 0, use_schannel_cred = 0, i;
    const char *subject = "localhost";
    PCCERT_CONTEXT cert;
    SCHANNEL_CRED schannel_cred;
    SCH_CREDENTIALS sch;
    CredHandle cred;
    SECURITY_STATUS status;
    struct sockaddr_in addr;
    WSADATA wsa;
    SOCKET listener;

    if (argc < 4) {
        fprintf(stderr, "usage: %s PORT PFXFILE PASSWORD [--count N] [--schannel-cred] [--alpn P1,P2] [--mutual]\n",
                argv[0]);
        return 2;
    }
    for (i = 4; i < argc; i++) {
        if (!strcmp(argv[i], "--count") && i + 1 < argc) count = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--schannel-cred")) use_schannel_cred = 1;
        else if (!strcmp(argv[i], "--mutual")) asc_flags |= ASC_REQ_MUTUAL_AUTH;
        else if (!strcmp(argv[i], "--renegotiate")) renegotiate = 1;
        else if (!strcmp(argv[i], "--not-exportable")) pfx_flags = 0;
        else if (!strcmp(argv[i], "--subject") && i + 1 < argc) subject = argv[++i];
        else if (!strcmp(argv[i], "--keymat") && i + 2 < argc) {
            keymat_label = argv[++i];
            keymat_size = (DWORD)atoi(argv[++i]);
        }
        else if (!strcmp(argv[i], "--alpn") && i + 1 < argc) {
            /* SEC_APPLICATION_PROTOCOLS with one ALPN list. */
            SEC_APPLICATION_PROTOCOLS *p = (SEC_APPLICATION_PROTOCOLS *)alpn_buf;
            BYTE *list = p->ProtocolLists[0].ProtocolList;
            unsigned short n = 0;
            char names[200], *name, *next;
            snprintf(names, sizeof(names), "%s", argv[++i]);
            for (name = names; name && *name; name = next) {
                next = strchr(name, ',');
                if (next) *next++ = 0;
                list[n++] = (BYTE)strlen(name);
                memcpy(list + n, name, strlen(name));
                n += (unsigned short)strlen(name);
            }
            p->ProtocolLists[0].ProtoNegoExt = SecApplicationProtocolNegotiationExt_ALPN;
            p->ProtocolLists[0].ProtocolListSize = n;
            p->ProtocolListsSize = FIELD_OFFSET(SEC_APPLICATION_PROTOCOL_LIST, ProtocolList) + n;
            alpn_size = FIELD_OFFSET(SEC_APPLICATION_PROTOCOLS, ProtocolLists) + p->ProtocolListsSize;
        }
    }

    cert = load_certificate(argv[2], argv[3], subject);
    if (!cert) {
        printf("FAIL: no certificate for %s in %s (error %08lx)\n", subject, argv[2], GetLastError());
        return 1;
    }
    if (use_schannel_cred) {
        memset(&schannel_cred, 0, sizeof(schannel_cred));
        schannel_cred.dwVersion = SCHANNEL_CRED_VERSION;
        schannel_cred.cCreds = 1;
        schannel_cred.paCred = &cert;
        status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, &schannel_cred,
                                           NULL, NULL, &cred, NULL);
    } else {
        memset(&sch, 0, sizeof(sch));
        sch.dwVersion = SCH_CREDENTIALS_VERSION;
        sch.cCreds = 1;
        sch.paCred = &cert;
        status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, &sch, NULL,
                                           NULL, &cred, NULL);
    }
    if (status != SEC_E_OK) {
        printf("FAIL: AcquireCredentialsHandle(INBOUND) returned %08lx\n", status);
        return 1;
    }

    WSAStartup(MAKEWORD(2, 2), &wsa);
    listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((u_short)atoi(argv[1]));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&addr, sizeof(addr)) || listen(listener, 16)) {
        printf("FAIL: cannot listen on 127.0.0.1:%s\n", argv[1]);
        return 1;
    }
    printf("listening on 127.0.0.1:%s\n", argv[1]);
    fflush(stdout);
    while (!count || served < count) {
        SOCKET s = accept(listener, NULL, NULL);
        if (s == INVALID_SOCKET) break;
        served += serve(s, &cred, ++number);
        fflush(stdout);
        closesocket(s);
    }
    closesocket(listener);
    FreeCredentialsHandle(&cred);
    CertFreeCertificateContext(cert);
    return 0;
}
