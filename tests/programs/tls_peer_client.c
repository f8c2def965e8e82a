/* Interop client for the peer matrix (tests/integration/openssl_s_server_client.sh,
 * gnutls_serv_matrix.sh): one Schannel connection to a real TLS server,
 * checks of what was negotiated, and one data exchange whose every byte is
 * verified, in the form the server speaks:
 *
 *   --echo N      gnutls-serv --echo: N bytes in 100-byte lines, echoed back
 *   --rev N       openssl s_server -rev: N bytes in lines of varying length
 *                 (1 to 6000 bytes, so both tiny and near-full records come
 *                 back), each returned reversed
 *   --close       with --rev: then send "CLOSE", on which s_server sends its
 *                 close_notify; every reversed byte must arrive before it and
 *                 DecryptMessage must report it as SEC_I_CONTEXT_EXPIRED
 *   --lines-until TEXT
 *                 openssl s_server's interactive mode: sends "hello from our
 *                 client", prints every line the server sends ("received
 *                 line: ...") until one is TEXT, then sends "bye from our
 *                 client". Meanwhile the server may renegotiate (its "R" and
 *                 "c" commands): SEC_I_RENEGOTIATE and what follows are
 *                 handled inside the reads
 *   --get PATH --save FILE
 *                 openssl s_server -WWW: HTTP/1.0 GET of PATH, the body saved
 *                 to FILE (the script compares it with the served file); the
 *                 server ends the response with close_notify, which must come
 *                 back as SEC_I_CONTEXT_EXPIRED
 *
 * Client certificates:
 *   --client-pfx FILE   a PKCS#12 file (password "wine") whose first
 *                 certificate is ours, imported with PFXImportCertStore
 *   --pfx-flags HEX     its import flags (default 8001: CRYPT_EXPORTABLE |
 *                 PKCS12_NO_PERSIST_KEY; 0: a persisted non-exportable key,
 *                 which signs through its CAPI provider)
 *   --cert-when-asked   start without it: the server's request gives
 *                 SEC_I_INCOMPLETE_CREDENTIALS and the certificate comes in
 *                 a new credential (as Microsoft's sample client does it)
 *   --expect-asked N    SEC_I_INCOMPLETE_CREDENTIALS seen N times in the handshake
 *   --expect-asked-in-all N  ... and N times over the whole connection
 *                 (renegotiations included)
 *   --expect-issuer TEXT  one of the issuers the server named
 *                 (SECPKG_ATTR_ISSUER_LIST_EX) contains TEXT
 *   --expect-connection-failure
 *                 the server requires a client certificate and we send
 *                 none: the handshake (or, in TLS 1.3, where the server
 *                 only decides after our Finished, the first exchange) must
 *                 fail without a crash or a hang; prints the status
 *
 * usage: tls_peer_client HOST PORT TARGET [--manual] [--sch-credentials]
 *          [--expect-protocol 1.2|1.3] [--expect-suite HEX] [--expect-suite-name NAME]
 *          [--expect-bits N] [--expect-sizes HEADER/TRAILER] MODE...
 * Exit status 0 when every expectation held. */
#include "sspi_tls_client.h"

/* No peer answers slower than this on loopback; past it we call it a hang. */
#define RECV_TIMEOUT_MS 20000

static const char *status_name(unsigned long status)
{
    switch (status) {
    case 0x00000000: return "SEC_E_OK";
    case 0x00090317: return "SEC_I_CONTEXT_EXPIRED";
    case 0x00090320: return "SEC_I_INCOMPLETE_CREDENTIALS";
    case 0x00090321: return "SEC_I_RENEGOTIATE";
    case 0x80090304: return "SEC_E_INTERNAL_ERROR";
    case 0x80090308: return "SEC_E_INVALID_TOKEN";
    case 0x8009030c: return "SEC_E_LOGON_DENIED";
    case 0x8009030e: return "SEC_E_NO_CREDENTIALS";
    case 0x8009030f: return "SEC_E_MESSAGE_ALTERED";
    case 0x80090317: return "SEC_E_CONTEXT_EXPIRED";
    case 0x8009031f: return "SEC_E_INCOMPLETE_CREDENTIALS";
    case 0x80090322: return "SEC_E_WRONG_PRINCIPAL";
    case 0x80090325: return "SEC_E_UNTRUSTED_ROOT";
    case 0x80090326: return "SEC_E_ILLEGAL_MESSAGE";
    case 0x80090327: return "SEC_E_CERT_UNKNOWN";
    case 0x80090328: return "SEC_E_CERT_EXPIRED";
    case 0x80090330: return "SEC_E_DECRYPT_FAILURE";
    case 0x80090331: return "SEC_E_ALGORITHM_MISMATCH";
    case 0x80090349: return "SEC_E_CERT_WRONG_USAGE";
    case 0x8009035d: return "SEC_E_ISSUING_CA_UNTRUSTED";
    case 10054: return "WSAECONNRESET";
    case 10060: return "WSAETIMEDOUT";
    default: return "?";
    }
}

/* --rev lines: lowercase letters only, so no line is "CLOSE" and none
 * contains the CR/LF that s_server strips. A byte depends on its line and
 * position, so lost, repeated, reordered or unreversed data shows. */
static size_t rev_line_len(size_t line)
{
    return line % 5 == 0 ? 1 + line % 37 : 1 + (line * 7919) % 6000;
}

static unsigned char rev_line_byte(size_t line, size_t pos)
{
    return (unsigned char)('a' + (line * 31 + pos * 7 + pos / 26) % 26);
}

/* --echo lines: 100 bytes, as gnutls-serv --echo answers per line. */
static unsigned char echo_byte(size_t pos)
{
    return pos % 100 == 99 ? '\n' : (unsigned char)('a' + (pos * 11 + pos / 100) % 26);
}

struct stream_pos {
    size_t line, pos; /* pos == rev_line_len(line) is the line's '\n' */
};

static unsigned char rev_next_sent(struct stream_pos *s)
{
    size_t len = rev_line_len(s->line);
    unsigned char b = s->pos < len ? rev_line_byte(s->line, s->pos) : '\n';
    if (++s->pos > len) { s->line++; s->pos = 0; }
    return b;
}

static unsigned char rev_next_expected(struct stream_pos *s)
{
    size_t len = rev_line_len(s->line);
    unsigned char b = s->pos < len ? rev_line_byte(s->line, len - 1 - s->pos) : '\n';
    if (++s->pos > len) { s->line++; s->pos = 0; }
    return b;
}

/* Like tls_client_connect, with a receive timeout so that a peer that
 * stops talking fails the run instead of hanging it. */
static int connect_bounded(struct tls_client *c, const char *host, int port, const wchar_t *target, void *cred,
                           void *answer_cred)
{
    WSADATA wsa;
    DWORD timeout = RECV_TIMEOUT_MS;
    memset(c, 0, sizeof(*c));
    c->sock = INVALID_SOCKET;
    c->answer_cred_data = answer_cred;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    if (tls_client_acquire(c, cred)) return -1;
    c->sock = tls_client_tcp_connect(host, port);
    if (c->sock == INVALID_SOCKET) {
        snprintf(c->error, sizeof(c->error), "cannot connect to %s:%d", host, port);
        return -1;
    }
    setsockopt(c->sock, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof(timeout));
    return tls_client_handshake(c, target);
}

static void print_read_failure(struct tls_client *c, int n, size_t received)
{
    int wsa = WSAGetLastError();
    if (n < 0 && !c->error[0])
        printf("FAIL: recv failed after %lu bytes: %d (%s)%s\n", (unsigned long)received, wsa, status_name(wsa),
               wsa == WSAETIMEDOUT ? ", the connection hangs" : "");
    else if (n < 0)
        printf("FAIL: after %lu bytes: %s (%s)\n", (unsigned long)received, c->error, status_name(c->last_status));
    else
        printf("FAIL: connection ended after %lu bytes, %s\n", (unsigned long)received,
               c->peer_closed ? "by close_notify (SEC_I_CONTEXT_EXPIRED)" : "without close_notify");
}

/* Sends `total` bytes from next_sent() and checks what comes back against
 * next_expected(), keeping at most 32 KB in flight so neither side blocks
 * on a full socket. */
static int exchange_rev(struct tls_client *c, size_t total, int close_after)
{
    struct stream_pos send_pos = {0, 0}, recv_pos = {0, 0};
    unsigned char *buf = (unsigned char *)malloc(65536);
    size_t sent = 0, received = 0, k;
    int ok = 0;

    while (sent < total || received < sent) {
        if (sent < total && sent - received < 32768) {
            size_t n = total - sent < 16384 ? total - sent : 16384;
            for (k = 0; k < n; k++) buf[k] = rev_next_sent(&send_pos);
            /* End on a line boundary: a partial last line is never answered. */
            while (sent + n == total && send_pos.pos != 0 && n < 65536) {
                buf[n++] = rev_next_sent(&send_pos);
                total++;
            }
            if (sent + n == total && close_after) {
                /* In the same write as the last data, so the replies and the
                 * close_notify tend to arrive in one recv and the EXTRA
                 * handling in front of the close_notify is exercised. */
                memcpy(buf + n, "CLOSE\n", 6);
                if (tls_client_write(c, buf, n + 6)) { printf("FAIL: %s\n", c->error); goto done; }
            } else if (tls_client_write(c, buf, n)) {
                printf("FAIL: %s\n", c->error);
                goto done;
            }
            sent += n;
            continue;
        }
        {
            int n = tls_client_read(c, buf, 65536);
            if (n <= 0) { print_read_failure(c, n, received); goto done; }
            for (k = 0; k < (size_t)n; k++) {
                unsigned char want = rev_next_expected(&recv_pos);
                if (buf[k] != want) {
                    printf("FAIL: received byte %lu is 0x%02x, expected 0x%02x\n", (unsigned long)(received + k),
                           buf[k], want);
                    goto done;
                }
            }
            received += (size_t)n;
            if (received > sent) { printf("FAIL: received more than sent\n"); goto done; }
        }
    }
    printf("sent %lu bytes in %lu lines, received all of them reversed and verified\n", (unsigned long)sent,
           (unsigned long)recv_pos.line);
    if (close_after) {
        int n = tls_client_read(c, buf, 65536);
        if (n != 0 || !c->peer_closed) {
            if (n > 0) printf("FAIL: %d unexpected bytes after the last reply\n", n);
            else print_read_failure(c, n, received);
            goto done;
        }
        printf("server close_notify: DecryptMessage returned SEC_I_CONTEXT_EXPIRED after all data\n");
    }
    ok = 1;
done:
    free(buf);
    return ok ? 0 : -1;
}

static int exchange_echo(struct tls_client *c, size_t total)
{
    unsigned char *buf = (unsigned char *)malloc(65536);
    size_t sent = 0, received = 0, k;
    int ok = 0;
    total = (total + 99) / 100 * 100;
    while (received < total) {
        if (sent < total && sent - received < 32768) {
            size_t n = total - sent < 16384 ? total - sent : 16384;
            for (k = 0; k < n; k++) buf[k] = echo_byte(sent + k);
            if (tls_client_write(c, buf, n)) { printf("FAIL: %s\n", c->error); goto done; }
            sent += n;
            continue;
        }
        {
            int n = tls_client_read(c, buf, 65536);
            if (n <= 0) { print_read_failure(c, n, received); goto done; }
            if (received + (size_t)n > sent) { printf("FAIL: received more than sent\n"); goto done; }
            for (k = 0; k < (size_t)n; k++)
                if (buf[k] != echo_byte(received + k)) {
                    printf("FAIL: received byte %lu differs\n", (unsigned long)(received + k));
                    goto done;
                }
            received += (size_t)n;
        }
    }
    printf("echoed and verified %lu bytes\n", (unsigned long)received);
    ok = 1;
done:
    free(buf);
    return ok ? 0 : -1;
}

static int exchange_get(struct tls_client *c, const char *path, const char *save)
{
    char request[512];
    unsigned char *all = NULL, *buf = (unsigned char *)malloc(65536);
    size_t len = 0, cap = 0, body;
    int ok = 0, n;
    FILE *f;

    snprintf(request, sizeof(request), "GET /%s HTTP/1.0\r\n\r\n", path);
    if (tls_client_write(c, request, strlen(request))) { printf("FAIL: %s\n", c->error); goto done; }
    while ((n = tls_client_read(c, buf, 65536)) > 0) {
        if (len + (size_t)n > cap) {
            unsigned char *bigger;
            cap = (len + (size_t)n) * 2;
            if (!(bigger = (unsigned char *)realloc(all, cap))) { printf("FAIL: out of memory\n"); goto done; }
            all = bigger;
        }
        memcpy(all + len, buf, (size_t)n);
        len += (size_t)n;
    }
    if (n < 0 || !c->peer_closed) { print_read_failure(c, n, len); goto done; }
    printf("response of %lu bytes ended by close_notify (SEC_I_CONTEXT_EXPIRED)\n", (unsigned long)len);
    for (body = 0; body + 4 <= len && memcmp(all + body, "\r\n\r\n", 4); body++) {}
    if (body + 4 > len || len < 12 || memcmp(all, "HTTP/1.0 200", 12)) {
        printf("FAIL: not an HTTP 200 response: %.*s\n", (int)(len < 80 ? len : 80), all ? (char *)all : "");
        goto done;
    }
    body += 4;
    if (!(f = fopen(save, "wb")) || fwrite(all + body, 1, len - body, f) != len - body || fclose(f)) {
        printf("FAIL: cannot write %s\n", save);
        goto done;
    }
    printf("saved a body of %lu bytes to %s\n", (unsigned long)(len - body), save);
    ok = 1;
done:
    free(all);
    free(buf);
    return ok ? 0 : -1;
}

static int exchange_lines(struct tls_client *c, const char *until)
{
    static const char hello[] = "hello from our client\n", bye[] = "bye from our client\n";
    unsigned char buf[4096];
    char line[4096];
    size_t len = 0, received = 0;
    int n, k;

    if (tls_client_write(c, hello, sizeof(hello) - 1)) { printf("FAIL: %s\n", c->error); return -1; }
    for (;;) {
        n = tls_client_read(c, buf, sizeof(buf));
        if (n <= 0) { print_read_failure(c, n, received); return -1; }
        received += (size_t)n;
        for (k = 0; k < n; k++) {
            if (buf[k] != '\n') {
                if (len < sizeof(line) - 1) line[len++] = (char)buf[k];
                continue;
            }
            if (len && line[len - 1] == '\r') len--;
            line[len] = 0;
            printf("received line: %s\n", line);
            len = 0;
            if (!strcmp(line, until)) {
                if (tls_client_write(c, bye, sizeof(bye) - 1)) { printf("FAIL: %s\n", c->error); return -1; }
                return 0;
            }
        }
    }
}

/* The server demands a certificate we cannot send. Anything but a working
 * exchange is the expected outcome; what matters is that it ends, and how. */
static int expect_connection_failure(struct tls_client *c, int handshake_result)
{
    unsigned char buf[256];
    int n;
    if (handshake_result) {
        printf("handshake failed: %s (%s)\n", c->error, status_name(c->last_status));
        return 0;
    }
    printf("handshake completed on our side (the server decides after our Finished)\n");
    if (tls_client_write(c, "ping\n", 5)) {
        printf("first EncryptMessage failed: %s (%s)\n", c->error, status_name(c->last_status));
        return 0;
    }
    n = tls_client_read(c, buf, sizeof(buf));
    if (n > 0) {
        printf("FAIL: the server answered %d bytes although it requires a client certificate\n", n);
        return -1;
    }
    if (n < 0 && !c->error[0]) {
        int wsa = WSAGetLastError();
        printf("%sfirst read: recv error %d (%s)\n", wsa == WSAETIMEDOUT ? "FAIL: hang, " : "", wsa, status_name(wsa));
        return wsa == WSAETIMEDOUT ? -1 : 0;
    }
    if (n < 0)
        printf("first read failed: %s (%s)\n", c->error, status_name(c->last_status));
    else
        printf("first read: connection ended %s\n",
               c->peer_closed ? "with SEC_I_CONTEXT_EXPIRED (as if by close_notify)" : "without close_notify (EOF)");
    return 0;
}

/* The first certificate of a PKCS#12 file, imported with `flags`. */
static PCCERT_CONTEXT load_pfx(const char *path, DWORD flags)
{
    static BYTE data[65536];
    CRYPT_DATA_BLOB blob;
    HCERTSTORE store;
    PCCERT_CONTEXT cert;
    FILE *f = fopen(path, "rb");
    size_t n;
    if (!f) return NULL;
    n = fread(data, 1, sizeof(data), f);
    fclose(f);
    blob.pbData = data;
    blob.cbData = (DWORD)n;
    store = PFXImportCertStore(&blob, L"wine", flags);
    if (!store) {
        printf("PFXImportCertStore failed: %lu\n", GetLastError());
        return NULL;
    }
    cert = CertEnumCertificatesInStore(store, NULL);
    cert = cert ? CertDuplicateCertificateContext(cert) : NULL;
    CertCloseStore(store, 0);
    return cert;
}

int main(int argc, char **argv)
{
    struct tls_client c;
    SCHANNEL_CRED cred;
    SCH_CREDENTIALS sch;
    SecPkgContext_ConnectionInfo info;
    SecPkgContext_CipherInfo cipher;
    wchar_t target[256];
    const char *expect_protocol = NULL, *expect_suite_name = NULL, *get_path = NULL, *save = NULL;
    unsigned long expect_suite = 0, expect_bits = 0, expect_header = 0, expect_trailer = 0;
    size_t echo_bytes = 0, rev_bytes = 0;
    int manual = 0, use_sch = 0, close_after = 0, expect_failure = 0, i, result, failed = 0;
    const char *client_pfx = NULL, *expect_issuer = NULL;
    DWORD pfx_flags = CRYPT_EXPORTABLE | 0x8000 /* PKCS12_NO_PERSIST_KEY */;
    int cert_when_asked = 0, expect_asked = -1, expect_asked_in_all = -1;
    const char *lines_until = NULL;
    PCCERT_CONTEXT client_cert = NULL;
    SCHANNEL_CRED answer_cred;
    SCH_CREDENTIALS answer_sch;
    char protocol[16];

    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 4) {
        fprintf(stderr, "usage: %s HOST PORT TARGET [options] (see the source)\n", argv[0]);
        return 2;
    }
    for (i = 4; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--manual")) manual = 1;
        else if (!strcmp(a, "--sch-credentials")) use_sch = 1;
        else if (!strcmp(a, "--close")) close_after = 1;
        else if (!strcmp(a, "--expect-connection-failure")) expect_failure = 1;
        else if (v && !strcmp(a, "--expect-protocol")) expect_protocol = argv[++i];
        else if (v && !strcmp(a, "--expect-suite")) expect_suite = strtoul(argv[++i], NULL, 16);
        else if (v && !strcmp(a, "--expect-suite-name")) expect_suite_name = argv[++i];
        else if (v && !strcmp(a, "--expect-bits")) expect_bits = strtoul(argv[++i], NULL, 0);
        else if (v && !strcmp(a, "--expect-sizes")) {
            if (sscanf(argv[++i], "%lu/%lu", &expect_header, &expect_trailer) != 2) return 2;
        }
        else if (v && !strcmp(a, "--echo")) echo_bytes = strtoul(argv[++i], NULL, 0);
        else if (v && !strcmp(a, "--rev")) rev_bytes = strtoul(argv[++i], NULL, 0);
        else if (v && !strcmp(a, "--get")) get_path = argv[++i];
        else if (v && !strcmp(a, "--save")) save = argv[++i];
        else if (v && !strcmp(a, "--client-pfx")) client_pfx = argv[++i];
        else if (v && !strcmp(a, "--pfx-flags")) pfx_flags = strtoul(argv[++i], NULL, 16);
        else if (!strcmp(a, "--cert-when-asked")) cert_when_asked = 1;
        else if (v && !strcmp(a, "--expect-asked")) expect_asked = atoi(argv[++i]);
        else if (v && !strcmp(a, "--expect-asked-in-all")) expect_asked_in_all = atoi(argv[++i]);
        else if (v && !strcmp(a, "--lines-until")) lines_until = argv[++i];
        else if (v && !strcmp(a, "--expect-issuer")) expect_issuer = argv[++i];
        else { fprintf(stderr, "unknown option %s\n", a); return 2; }
    }
    if (get_path && !save) { fprintf(stderr, "--get needs --save\n"); return 2; }
    MultiByteToWideChar(CP_ACP, 0, argv[3], -1, target, 256);

    memset(&cred, 0, sizeof(cred));
    cred.dwVersion = SCHANNEL_CRED_VERSION;
    cred.dwFlags = SCH_CRED_NO_DEFAULT_CREDS | (manual ? SCH_CRED_MANUAL_CRED_VALIDATION : 0);
    memset(&sch, 0, sizeof(sch));
    sch.dwVersion = SCH_CREDENTIALS_VERSION;
    sch.dwFlags = cred.dwFlags;

    answer_cred = cred;
    answer_sch = sch;
    if (client_pfx) {
        if (!(client_cert = load_pfx(client_pfx, pfx_flags))) {
            printf("FAIL: cannot load a certificate from %s\n", client_pfx);
            return 1;
        }
        answer_cred.cCreds = answer_sch.cCreds = 1;
        answer_cred.paCred = answer_sch.paCred = &client_cert;
        if (!cert_when_asked) {
            cred = answer_cred;
            sch = answer_sch;
        }
    }

    result = connect_bounded(&c, argv[1], atoi(argv[2]), target, use_sch ? (void *)&sch : (void *)&cred,
                             cert_when_asked ? (use_sch ? (void *)&answer_sch : (void *)&answer_cred) : NULL);
    if (c.incomplete_credentials)
        printf("SEC_I_INCOMPLETE_CREDENTIALS %d time(s); the server named %lu issuer(s)%s%s\n",
               c.incomplete_credentials, c.issuer_count, c.issuer_count ? ": " : "", c.issuers);
    if (expect_asked >= 0 && c.incomplete_credentials != expect_asked) {
        printf("FAIL: SEC_I_INCOMPLETE_CREDENTIALS seen %d times, expected %d\n", c.incomplete_credentials,
               expect_asked);
        failed = 1;
    }
    if (expect_issuer && !strstr(c.issuers, expect_issuer)) {
        printf("FAIL: no issuer named \"%s\"\n", expect_issuer);
        failed = 1;
    }
    if (expect_failure) {
        int r = expect_connection_failure(&c, result);
        tls_client_close(&c);
        printf("we sent no client certificate: the server refused, as it must\n");
        return (r || failed) ? 1 : 0;
    }
    if (result) {
        printf("FAIL: %s (%s)\n", c.error, status_name(c.last_status));
        tls_client_close(&c);
        return 1;
    }
    /* With --lines-until the server asks later, if at all: checked at the end. */
    if (client_cert && !lines_until) {
        PCCERT_CONTEXT local = NULL;
        char subject[256] = "";
        if (QueryContextAttributesW(&c.ctx, SECPKG_ATTR_LOCAL_CERT_CONTEXT, (void *)&local) != SEC_E_OK || !local ||
            !CertCompareCertificate(X509_ASN_ENCODING, local->pCertInfo, client_cert->pCertInfo)) {
            printf("FAIL: LOCAL_CERT_CONTEXT is not our client certificate\n");
            failed = 1;
        } else {
            CertNameToStrA(X509_ASN_ENCODING, &local->pCertInfo->Subject, CERT_X500_NAME_STR, subject,
                           sizeof(subject));
            printf("client certificate sent: %s\n", subject);
        }
        if (local) CertFreeCertificateContext(local);
    }

    if (QueryContextAttributesW(&c.ctx, SECPKG_ATTR_CONNECTION_INFO, &info) != SEC_E_OK ||
        QueryContextAttributesW(&c.ctx, SECPKG_ATTR_CIPHER_INFO, &cipher) != SEC_E_OK) {
        printf("FAIL: QueryContextAttributes(CONNECTION_INFO / CIPHER_INFO)\n");
        tls_client_close(&c);
        return 1;
    }
    snprintf(protocol, sizeof(protocol), "%s", tls_client_protocol_name(info.dwProtocol));
    printf("negotiated: %s, %ls (0x%04lx), cipher %ls %lu bits, exchange %ls, certificate %ls\n", protocol,
           cipher.szCipherSuite, cipher.dwCipherSuite, cipher.szCipher, info.dwCipherStrength, cipher.szExchange,
           cipher.szCertificate);
    printf("CONNECTION_INFO protocol 0x%lx, CIPHER_INFO protocol 0x%lx\n", info.dwProtocol, cipher.dwProtocol);
    printf("stream sizes: header %lu, trailer %lu, max message %lu, buffers %lu\n", c.sizes.cbHeader,
           c.sizes.cbTrailer, c.sizes.cbMaximumMessage, c.sizes.cBuffers);
    if (expect_protocol && strcmp(protocol + 4, expect_protocol)) {
        printf("FAIL: CONNECTION_INFO protocol is %s, expected TLS %s\n", protocol, expect_protocol);
        failed = 1;
    }
    if (expect_suite && cipher.dwCipherSuite != expect_suite) {
        printf("FAIL: CIPHER_INFO suite 0x%04lx, expected 0x%04lx\n", cipher.dwCipherSuite, expect_suite);
        failed = 1;
    }
    if (expect_suite_name) {
        wchar_t want[64];
        MultiByteToWideChar(CP_ACP, 0, expect_suite_name, -1, want, 64);
        if (wcscmp(cipher.szCipherSuite, want)) {
            printf("FAIL: CIPHER_INFO suite name %ls, expected %s\n", cipher.szCipherSuite, expect_suite_name);
            failed = 1;
        }
    }
    if (expect_bits && info.dwCipherStrength != expect_bits) {
        printf("FAIL: cipher strength %lu bits, expected %lu\n", info.dwCipherStrength, expect_bits);
        failed = 1;
    }
    if (expect_header && (c.sizes.cbHeader != expect_header || c.sizes.cbTrailer != expect_trailer)) {
        printf("FAIL: STREAM_SIZES header/trailer %lu/%lu, expected %lu/%lu\n", c.sizes.cbHeader, c.sizes.cbTrailer,
               expect_header, expect_trailer);
        failed = 1;
    }
    if (c.sizes.cbMaximumMessage != 16384 || c.sizes.cBuffers != 4) {
        printf("FAIL: STREAM_SIZES max message %lu, buffers %lu, expected 16384, 4\n", c.sizes.cbMaximumMessage,
               c.sizes.cBuffers);
        failed = 1;
    }

    if (echo_bytes && exchange_echo(&c, echo_bytes)) failed = 1;
    else if (rev_bytes && exchange_rev(&c, rev_bytes, close_after)) failed = 1;
    else if (get_path && exchange_get(&c, get_path, save)) failed = 1;
    else if (lines_until && exchange_lines(&c, lines_until)) failed = 1;
    printf("SEC_I_RENEGOTIATE handled %d times\n", c.renegotiations);
    printf("SEC_I_INCOMPLETE_CREDENTIALS in all: %d\n", c.incomplete_credentials);
    if (expect_asked_in_all >= 0 && c.incomplete_credentials != expect_asked_in_all) {
        printf("FAIL: SEC_I_INCOMPLETE_CREDENTIALS seen %d times in all, expected %d\n", c.incomplete_credentials,
               expect_asked_in_all);
        failed = 1;
    }
    if (client_cert) {
        PCCERT_CONTEXT local = NULL;
        char subject[256] = "none";
        if (QueryContextAttributesW(&c.ctx, SECPKG_ATTR_LOCAL_CERT_CONTEXT, (void *)&local) == SEC_E_OK && local)
            CertNameToStrA(X509_ASN_ENCODING, &local->pCertInfo->Subject, CERT_X500_NAME_STR, subject,
                           sizeof(subject));
        printf("local certificate at the end: %s\n", subject);
        if (lines_until && (!local || !CertCompareCertificate(X509_ASN_ENCODING, local->pCertInfo,
                                                              client_cert->pCertInfo))) {
            printf("FAIL: LOCAL_CERT_CONTEXT is not our client certificate after the renegotiation\n");
            failed = 1;
        }
        if (local) CertFreeCertificateContext(local);
    }
    tls_client_close(&c);
    return failed;
}
