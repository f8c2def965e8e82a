/* Integration server: DTLS 1.2 through Schannel's AcceptSecurityContext
 * over a UDP socket, as Windows programs drive it: input [TOKEN, EMPTY,
 * EXTRA = the client's SOCKADDR] (the HelloVerifyRequest cookie is bound to
 * it; no context until the cookie comes back), output [TOKEN, ALERT], one
 * datagram per call (SEC_I_MESSAGE_FRAGMENT: call again without input), a
 * receive timeout that calls again without input (retransmission), then an
 * echo of every record received (DecryptMessage / EncryptMessage), until
 * the client's close_notify.
 *
 * usage: dtls_server PORT PFXFILE PASSWORD [--count N]
 * Prints "listening on PORT", then per connection "connection K: ok
 * PROTOCOL SUITE", "received: TEXT" per record and "connection K: closed". */
#include <winsock2.h>
#include <ws2tcpip.h>
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

static SOCKET sock;
static struct sockaddr_in peer;
static int peer_len = sizeof(peer);

static PCCERT_CONTEXT load_pfx(const char *path, const char *password)
{
    CRYPT_DATA_BLOB pfx;
    WCHAR password_w[128];
    HANDLE file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    HCERTSTORE store;
    DWORD size;
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
    store = PFXImportCertStore(&pfx, password_w, CRYPT_EXPORTABLE | PKCS12_NO_PERSIST_KEY);
    free(pfx.pbData);
    if (!store) return NULL;
    return CertFindCertificateInStore(store, X509_ASN_ENCODING, 0, CERT_FIND_SUBJECT_STR_W, L"localhost", NULL);
}

/* A datagram from anyone (before a connection) or the peer, within timeout_ms. */
static int receive(BYTE *buf, int size, int timeout_ms)
{
    fd_set set;
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    FD_ZERO(&set);
    FD_SET(sock, &set);
    if (select(0, &set, NULL, NULL, timeout_ms < 0 ? NULL : &tv) <= 0) return 0;
    peer_len = sizeof(peer);
    return recvfrom(sock, (char *)buf, size, 0, (struct sockaddr *)&peer, &peer_len);
}

static void reply(const void *data, ULONG size)
{
    sendto(sock, data, (int)size, 0, (struct sockaddr *)&peer, peer_len);
}

#define ASC_FLAGS (ASC_REQ_DATAGRAM | ASC_REQ_CONFIDENTIALITY | ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_EXTENDED_ERROR | \
                   ASC_REQ_REPLAY_DETECT | ASC_REQ_SEQUENCE_DETECT)

/* One AcceptSecurityContext call; sends what it returns. */
static SECURITY_STATUS accept_step(CredHandle *cred, CtxtHandle *ctx, BOOL *have_ctx, BYTE *in, int in_len)
{
    SecBuffer ib[3], ob[2];
    SecBufferDesc idesc = {SECBUFFER_VERSION, 3, ib}, odesc = {SECBUFFER_VERSION, 2, ob};
    CtxtHandle fresh = {0xdead, 0xbeef};
    ULONG attrs;
    SECURITY_STATUS status;
    ib[0].BufferType = SECBUFFER_TOKEN;
    ib[0].pvBuffer = in;
    ib[0].cbBuffer = in_len > 0 ? (ULONG)in_len : 0;
    ib[1].BufferType = SECBUFFER_EMPTY;
    ib[1].pvBuffer = NULL;
    ib[1].cbBuffer = 0;
    ib[2].BufferType = SECBUFFER_EXTRA;
    ib[2].pvBuffer = &peer;
    ib[2].cbBuffer = sizeof(peer);
    ob[0].BufferType = SECBUFFER_TOKEN;
    ob[0].pvBuffer = NULL;
    ob[0].cbBuffer = 0;
    ob[1].BufferType = SECBUFFER_ALERT;
    ob[1].pvBuffer = NULL;
    ob[1].cbBuffer = 0;
    status = AcceptSecurityContext(cred, *have_ctx ? ctx : NULL, in_len > 0 ? &idesc : NULL, ASC_FLAGS, 0,
                                   *have_ctx ? ctx : &fresh, &odesc, &attrs, NULL);
    if (!*have_ctx && (fresh.dwLower != 0xdead || fresh.dwUpper != 0xbeef)) {
        *ctx = fresh;
        *have_ctx = TRUE;
    }
    if (ob[0].pvBuffer && ob[0].cbBuffer) reply(ob[0].pvBuffer, ob[0].cbBuffer);
    if (ob[0].pvBuffer) FreeContextBuffer(ob[0].pvBuffer);
    if (ob[1].pvBuffer) FreeContextBuffer(ob[1].pvBuffer);
    return status;
}

static SECURITY_STATUS accept_datagram(CredHandle *cred, CtxtHandle *ctx, BOOL *have_ctx, BYTE *in, int in_len)
{
    SECURITY_STATUS status = accept_step(cred, ctx, have_ctx, in, in_len);
    while (status == SEC_I_MESSAGE_FRAGMENT) status = accept_step(cred, ctx, have_ctx, NULL, 0);
    return status;
}

static int serve(CredHandle *cred, int number)
{
    static BYTE buf[65536];
    CtxtHandle ctx;
    BOOL have_ctx = FALSE;
    SECURITY_STATUS status;
    SecPkgContext_ConnectionInfo info;
    SecPkgContext_CipherInfo cipher;
    SecPkgContext_StreamSizes sizes;
    int n, timeouts = 0;

    /* Handshake. */
    for (;;) {
        n = receive(buf, sizeof(buf), have_ctx ? 1000 : -1);
        if (n <= 0) {
            if (++timeouts > 10) {
                printf("connection %d: failed (handshake timed out)\n", number);
                return 0;
            }
            status = accept_datagram(cred, &ctx, &have_ctx, NULL, 0);
        } else {
            status = accept_datagram(cred, &ctx, &have_ctx, buf, n);
        }
        if (status == SEC_E_OK) break;
        if (status != SEC_I_CONTINUE_NEEDED && status != SEC_E_INCOMPLETE_MESSAGE) {
            printf("connection %d: failed (%08lx)\n", number, status);
            if (have_ctx) DeleteSecurityContext(&ctx);
            return 0;
        }
    }
    QueryContextAttributesA(&ctx, SECPKG_ATTR_CONNECTION_INFO, &info);
    memset(&cipher, 0, sizeof(cipher));
    QueryContextAttributesA(&ctx, SECPKG_ATTR_CIPHER_INFO, &cipher);
    QueryContextAttributesA(&ctx, SECPKG_ATTR_STREAM_SIZES, &sizes);
    printf("connection %d: ok %s %ls\n", number, info.dwProtocol == SP_PROT_DTLS1_2_SERVER ? "DTLS1.2" : "other",
           cipher.szCipherSuite);
    fflush(stdout);

    /* Echo until close_notify (or 30 s of silence). */
    for (;;) {
        SecBuffer b[4];
        SecBufferDesc desc = {SECBUFFER_VERSION, 4, b};
        n = receive(buf, sizeof(buf), 30000);
        if (n <= 0) break;
        memset(b, 0, sizeof(b));
        b[0].BufferType = SECBUFFER_DATA;
        b[0].pvBuffer = buf;
        b[0].cbBuffer = (ULONG)n;
        status = DecryptMessage(&ctx, &desc, 0, NULL);
        if (status == SEC_E_UNFINISHED_CONTEXT_DELETED) {
            /* The client repeats its last flight: ours was lost. */
            accept_datagram(cred, &ctx, &have_ctx, buf, n);
            continue;
        }
        if (status == SEC_E_OUT_OF_SEQUENCE || status == SEC_E_INVALID_TOKEN) continue;
        if (status == SEC_I_CONTEXT_EXPIRED) {
            printf("connection %d: closed\n", number);
            break;
        }
        if (status != SEC_E_OK) {
            printf("connection %d: DecryptMessage failed (%08lx)\n", number, status);
            break;
        }
        if (b[1].BufferType == SECBUFFER_DATA && b[1].cbBuffer) {
            static BYTE out[65536];
            ULONG len = b[1].cbBuffer;
            SecBuffer e[4];
            SecBufferDesc edesc = {SECBUFFER_VERSION, 4, e};
            printf("received: %.*s%s", (int)len, (char *)b[1].pvBuffer,
                   ((char *)b[1].pvBuffer)[len - 1] == '\n' ? "" : "\n");
            fflush(stdout);
            memcpy(out + sizes.cbHeader, b[1].pvBuffer, len);
            stream_record_buffers(e, out, &sizes, len);
            if (EncryptMessage(&ctx, 0, &edesc, 0) == SEC_E_OK) reply(out, stream_record_size(e));
        }
    }
    DeleteSecurityContext(&ctx);
    return 1;
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    struct sockaddr_in addr;
    PCCERT_CONTEXT cert;
    SCHANNEL_CRED cred_data;
    CredHandle cred;
    SECURITY_STATUS status;
    int count = 1, i, served = 0, number = 0;

    if (argc < 4) {
        fprintf(stderr, "usage: %s PORT PFXFILE PASSWORD [--count N]\n", argv[0]);
        return 2;
    }
    for (i = 4; i < argc; i++)
        if (!strcmp(argv[i], "--count") && i + 1 < argc) count = atoi(argv[++i]);
    setvbuf(stdout, NULL, _IONBF, 0);
    cert = load_pfx(argv[2], argv[3]);
    if (!cert) {
        fprintf(stderr, "cannot load %s\n", argv[2]);
        return 1;
    }
    memset(&cred_data, 0, sizeof(cred_data));
    cred_data.dwVersion = SCHANNEL_CRED_VERSION;
    cred_data.grbitEnabledProtocols = SP_PROT_DTLS1_2_SERVER;
    cred_data.cCreds = 1;
    cred_data.paCred = &cert;
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, &cred_data, NULL,
                                       NULL, &cred, NULL);
    if (status != SEC_E_OK) {
        fprintf(stderr, "AcquireCredentialsHandle failed: %08lx\n", status);
        return 1;
    }
    WSAStartup(MAKEWORD(2, 2), &wsa);
    sock = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((u_short)atoi(argv[1]));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(sock, (struct sockaddr *)&addr, sizeof(addr))) {
        fprintf(stderr, "bind failed\n");
        return 1;
    }
    printf("listening on %s\n", argv[1]);
    while (served < count) served += serve(&cred, ++number);
    FreeCredentialsHandle(&cred);
    closesocket(sock);
    return 0;
}
