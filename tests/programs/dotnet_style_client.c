/* A TLS client that drives Schannel the way .NET's SslStream does on
 * Windows (System.Net.Security, SslStreamPal.Windows.cs), as opposed to
 * the curl-style client of include/sspi_tls_client.h (whose socket and
 * buffer helpers it shares):
 *   - the package is looked up and used by its long name, "Microsoft
 *     Unified Security Protocol Provider";
 *   - SCH_CREDENTIALS with SCH_CRED_MANUAL_CRED_VALIDATION |
 *     SCH_CRED_NO_DEFAULT_CREDS | SCH_SEND_AUX_RECORD | SCH_USE_STRONG_CRYPTO,
 *     dwSessionLifespan -1 (no resumption), always one TLS_PARAMETERS whose
 *     grbitDisabledProtocols is the complement of the versions asked for
 *     and whose pDisabledCrypto points at an empty array;
 *   - InitializeSecurityContext WITHOUT ISC_REQ_STREAM (REPLAY_DETECT |
 *     SEQUENCE_DETECT | CONFIDENTIALITY | ALLOCATE_MEMORY |
 *     MANUAL_CRED_VALIDATION), input always [TOKEN, EMPTY] (the first call
 *     with a 0-byte TOKEN) plus SECBUFFER_APPLICATION_PROTOCOLS on the
 *     first call; the returned attributes are not checked;
 *   - ApplyControlToken(SCHANNEL_SESSION, SSL_SESSION_DISABLE_RECONNECTS)
 *     right after the first InitializeSecurityContext;
 *   - the queries SslStream makes once connected: STREAM_SIZES,
 *     CONNECTION_INFO, CIPHER_INFO, SESSION_INFO, APPLICATION_PROTOCOL,
 *     REMOTE_CERT_CONTEXT, REMOTE_CERT_CHAIN, ENDPOINT_BINDINGS,
 *     UNIQUE_BINDINGS (none under TLS 1.3);
 *   - EncryptMessage [STREAM_HEADER, DATA, STREAM_TRAILER, EMPTY], also of
 *     0 bytes; DecryptMessage of exactly one TLS record (SslStream frames
 *     records itself) in [DATA, EMPTY, EMPTY, EMPTY], the DATA (or, on
 *     SEC_I_RENEGOTIATE, the EXTRA) buffer found by scanning all four;
 *   - SEC_I_RENEGOTIATE answered with InitializeSecurityContext on the
 *     EXTRA bytes (or a 0-byte token);
 *   - shutdown: ApplyControlToken(SCHANNEL_SHUTDOWN), then
 *     InitializeSecurityContext with a 0-byte TOKEN, and the close_notify it
 *     returns is sent.
 * Optionally exports RFC 5705 keying material (SetContextAttributesW
 * KEYING_MATERIAL_INFO + QueryContextAttributesW KEYING_MATERIAL).
 *
 * usage: dotnet_style_client HOST PORT TARGET [--tls12|--tls13]
 *            [--echo N | --rev N] [--alpn] [--keymat LABEL SIZE]
 *            [--empty | --empty-then N]
 *   --echo N   send N bytes as lines, expect them back unchanged
 *              (gnutls-serv --echo)
 *   --rev N    send N bytes as lines, expect each line back reversed
 *              (openssl s_server -rev)
 *   --empty    then encrypt and send a 0-byte message (SslStream does)
 *   --empty-then N   and then exchange N more bytes the same way
 * Prints "name: value" lines and exits non-zero after any "FAIL:" line. */
#include "sspi_tls_client.h"

#define DOTNET_PACKAGE L"Microsoft Unified Security Protocol Provider"
#define DOTNET_ISC_FLAGS (ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONFIDENTIALITY | \
                          ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_MANUAL_CRED_VALIDATION)
#ifndef SCH_SEND_AUX_RECORD
#define SCH_SEND_AUX_RECORD 0x00200000
#endif

static int failures;
static const wchar_t *target_name;
static int want_alpn;

#define FAILF(...) do { printf("FAIL: " __VA_ARGS__); printf("\n"); failures++; } while (0)

static void print_hex(const char *label, const BYTE *data, DWORD size)
{
    DWORD i;
    printf("%s: ", label);
    for (i = 0; i < size; i++) printf("%02x", data[i]);
    printf("\n");
}

/* SslStream's VerifyPackageInfo: the package must be there by this name. */
static int check_package(void)
{
    SecPkgInfoW *info = NULL;
    SECURITY_STATUS st = QuerySecurityPackageInfoW((SEC_WCHAR *)DOTNET_PACKAGE, &info);
    if (st != SEC_E_OK || !info) {
        FAILF("QuerySecurityPackageInfoW(%ls) returned %08lx", DOTNET_PACKAGE, st);
        return -1;
    }
    printf("package max token: %lu\n", info->cbMaxToken);
    FreeContextBuffer(info);
    return 0;
}

static int acquire(struct tls_client *c, DWORD enabled)
{
    SCH_CREDENTIALS sch;
    TLS_PARAMETERS params;
    CRYPTO_SETTINGS none[2];
    SECURITY_STATUS st;

    memset(&sch, 0, sizeof(sch));
    memset(&params, 0, sizeof(params));
    memset(none, 0, sizeof(none));
    sch.dwVersion = SCH_CREDENTIALS_VERSION;
    sch.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS | SCH_SEND_AUX_RECORD |
                  SCH_USE_STRONG_CRYPTO;
    sch.dwSessionLifespan = (DWORD)-1;
    sch.cTlsParameters = 1;
    sch.pTlsParameters = &params;
    if (enabled) params.grbitDisabledProtocols = enabled ^ 0xFFFFFFFFu;
    params.pDisabledCrypto = none;
    params.cDisabledCrypto = 0;
    st = AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)DOTNET_PACKAGE, SECPKG_CRED_OUTBOUND, NULL, &sch, NULL, NULL,
                                   &c->cred, NULL);
    if (st != SEC_E_OK) {
        FAILF("AcquireCredentialsHandleW returned %08lx", st);
        return -1;
    }
    c->have_cred = 1;
    return 0;
}

/* One InitializeSecurityContext step as SslStreamPal does it: input
 * [TOKEN(input), EMPTY(, APPLICATION_PROTOCOLS)], one TOKEN output sent
 * to the peer; `consumed` = input bytes not handed back as EXTRA. */
static SECURITY_STATUS isc_step(struct tls_client *c, const BYTE *input, ULONG input_size, ULONG *consumed)
{
    static const char alpn_list[] = "\x02h2\x08http/1.1";
    BYTE alpn[64];
    SecBuffer in[3], out[1];
    SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, in}, out_desc = {SECBUFFER_VERSION, 1, out};
    ULONG attrs = 0;
    int first = !c->have_ctx;
    SECURITY_STATUS st;

    in[0].BufferType = SECBUFFER_TOKEN;
    in[0].cbBuffer = input_size;
    in[0].pvBuffer = (void *)input;
    in[1].BufferType = SECBUFFER_EMPTY;
    in[1].cbBuffer = 0;
    in[1].pvBuffer = NULL;
    if (first && want_alpn) {
        SEC_APPLICATION_PROTOCOLS *p = (SEC_APPLICATION_PROTOCOLS *)alpn;
        p->ProtocolListsSize = FIELD_OFFSET(SEC_APPLICATION_PROTOCOL_LIST, ProtocolList) + sizeof(alpn_list) - 1;
        p->ProtocolLists[0].ProtoNegoExt = SecApplicationProtocolNegotiationExt_ALPN;
        p->ProtocolLists[0].ProtocolListSize = sizeof(alpn_list) - 1;
        memcpy(p->ProtocolLists[0].ProtocolList, alpn_list, sizeof(alpn_list) - 1);
        in[2].BufferType = SECBUFFER_APPLICATION_PROTOCOLS;
        in[2].cbBuffer = FIELD_OFFSET(SEC_APPLICATION_PROTOCOLS, ProtocolLists) + p->ProtocolListsSize;
        in[2].pvBuffer = alpn;
        in_desc.cBuffers = 3;
    }
    out[0].BufferType = SECBUFFER_TOKEN;
    out[0].cbBuffer = 0;
    out[0].pvBuffer = NULL;
    st = InitializeSecurityContextW(&c->cred, first ? NULL : &c->ctx, (SEC_WCHAR *)target_name, DOTNET_ISC_FLAGS, 0,
                                    SECURITY_NATIVE_DREP, &in_desc, 0, &c->ctx, &out_desc, &attrs, NULL);
    if (first && (st == SEC_I_CONTINUE_NEEDED || st == SEC_E_OK)) {
        c->have_ctx = 1;
        printf("first ISC attributes: %08lx\n", attrs);
        /* No resumption for this connection (SslStream without AllowTlsResume). */
        {
            SCHANNEL_SESSION_TOKEN session = {SCHANNEL_SESSION, SSL_SESSION_DISABLE_RECONNECTS};
            SecBuffer token = {sizeof(session), SECBUFFER_TOKEN, &session};
            SecBufferDesc desc = {SECBUFFER_VERSION, 1, &token};
            SECURITY_STATUS ct = ApplyControlToken(&c->ctx, &desc);
            if (ct != SEC_E_OK) FAILF("ApplyControlToken(SCHANNEL_SESSION) returned %08lx", ct);
        }
    }
    *consumed = input_size;
    if (in[1].BufferType == SECBUFFER_EXTRA && in[1].cbBuffer <= input_size) *consumed = input_size - in[1].cbBuffer;
    if (st == SEC_E_INCOMPLETE_MESSAGE) *consumed = 0;
    if (out[0].pvBuffer && out[0].cbBuffer && (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED || FAILED(st))) {
        if (tls_client_send_all(c->sock, out[0].pvBuffer, out[0].cbBuffer)) FAILF("send failed");
    }
    if (out[0].pvBuffer) FreeContextBuffer(out[0].pvBuffer);
    return st;
}

static void drop_input(struct tls_client *c, size_t n)
{
    memmove(c->in, c->in + n, c->in_len - n);
    c->in_len -= n;
}

static int handshake(struct tls_client *c)
{
    SECURITY_STATUS st;
    ULONG consumed;
    int rounds = 0;

    st = isc_step(c, NULL, 0, &consumed);
    while (st == SEC_I_CONTINUE_NEEDED || st == SEC_E_INCOMPLETE_MESSAGE) {
        if (rounds++ > 64) break;
        if (st == SEC_E_INCOMPLETE_MESSAGE || !c->in_len) {
            if (tls_client_read_more(c) <= 0) {
                FAILF("the server closed the connection during the handshake");
                return -1;
            }
        }
        st = isc_step(c, c->in, (ULONG)c->in_len, &consumed);
        drop_input(c, consumed);
        if (st == SEC_I_INCOMPLETE_CREDENTIALS) {
            /* gnutls-serv asks for a client certificate by default. SslStream
             * (CredentialsNeeded) selects one, finds none to offer here, and
             * calls ISC again at once with no input. */
            printf("SEC_I_INCOMPLETE_CREDENTIALS: going on without a client certificate\n");
            st = isc_step(c, NULL, 0, &consumed);
        }
    }
    if (st != SEC_E_OK) {
        FAILF("handshake: InitializeSecurityContextW returned %08lx", st);
        return -1;
    }
    return 0;
}

static void query_attributes(struct tls_client *c, int tls13)
{
    SecPkgContext_ConnectionInfo ci;
    SecPkgContext_CipherInfo cipher;
    SecPkgContext_SessionInfo si;
    SecPkgContext_ApplicationProtocol ap;
    SecPkgContext_Bindings b;
    const CERT_CONTEXT *remote = NULL, *chain = NULL;
    SECURITY_STATUS st;

    st = QueryContextAttributesW(&c->ctx, SECPKG_ATTR_STREAM_SIZES, &c->sizes);
    if (st != SEC_E_OK) FAILF("STREAM_SIZES: %08lx", st);
    printf("stream sizes: %lu %lu %lu %lu\n", c->sizes.cbHeader, c->sizes.cbTrailer, c->sizes.cbMaximumMessage,
           c->sizes.cBuffers);
    st = QueryContextAttributesW(&c->ctx, SECPKG_ATTR_CONNECTION_INFO, &ci);
    if (st != SEC_E_OK) FAILF("CONNECTION_INFO: %08lx", st);
    else {
        printf("protocol: %s\n", tls_client_protocol_name(ci.dwProtocol));
        if (ci.dwProtocol != (tls13 ? SP_PROT_TLS1_3_CLIENT : SP_PROT_TLS1_2_CLIENT))
            FAILF("negotiated %08lx", ci.dwProtocol);
        printf("cipher strength: %lu\n", ci.dwCipherStrength);
    }
    memset(&cipher, 0, sizeof(cipher));
    cipher.dwVersion = SECPKGCONTEXT_CIPHERINFO_V1;
    st = QueryContextAttributesW(&c->ctx, SECPKG_ATTR_CIPHER_INFO, &cipher);
    if (st != SEC_E_OK || !cipher.dwCipherSuite) FAILF("CIPHER_INFO: %08lx", st);
    else printf("suite: %ls 0x%04lx\n", cipher.szCipherSuite, cipher.dwCipherSuite);
    memset(&si, 0, sizeof(si));
    st = QueryContextAttributesW(&c->ctx, SECPKG_ATTR_SESSION_INFO, &si);
    if (st != SEC_E_OK) FAILF("SESSION_INFO: %08lx", st);
    else printf("reconnect: %s\n", (si.dwFlags & SSL_SESSION_RECONNECT) ? "yes" : "no");
    memset(&ap, 0, sizeof(ap));
    st = QueryContextAttributesW(&c->ctx, SECPKG_ATTR_APPLICATION_PROTOCOL, &ap);
    if (st != SEC_E_OK) FAILF("APPLICATION_PROTOCOL: %08lx", st);
    else if (ap.ProtoNegoStatus == SecApplicationProtocolNegotiationStatus_Success)
        printf("alpn: %.*s\n", (int)ap.ProtocolIdSize, (const char *)ap.ProtocolId);
    else
        printf("alpn: none\n");
    st = QueryContextAttributesW(&c->ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &remote);
    if (st != SEC_E_OK || !remote) FAILF("REMOTE_CERT_CONTEXT: %08lx", st);
    st = QueryContextAttributesW(&c->ctx, SECPKG_ATTR_REMOTE_CERT_CHAIN, &chain);
    if (st != SEC_E_OK || !chain) FAILF("REMOTE_CERT_CHAIN: %08lx", st);
    if (remote && chain) {
        char name[256];
        CertGetNameStringA(remote, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, name, sizeof(name));
        printf("server certificate: %s\n", name);
        if (!CertCompareCertificate(X509_ASN_ENCODING, remote->pCertInfo, chain->pCertInfo))
            FAILF("REMOTE_CERT_CHAIN and REMOTE_CERT_CONTEXT name different certificates");
    }
    if (remote) CertFreeCertificateContext(remote);
    if (chain) CertFreeCertificateContext(chain);
    memset(&b, 0, sizeof(b));
    st = QueryContextAttributesW(&c->ctx, SECPKG_ATTR_ENDPOINT_BINDINGS, &b);
    if (st != SEC_E_OK || !b.Bindings) FAILF("ENDPOINT_BINDINGS: %08lx", st);
    else {
        printf("endpoint bindings: %lu bytes\n", b.BindingsLength);
        FreeContextBuffer(b.Bindings);
    }
    memset(&b, 0, sizeof(b));
    st = QueryContextAttributesW(&c->ctx, SECPKG_ATTR_UNIQUE_BINDINGS, &b);
    if (tls13) {
        if (st == SEC_E_OK) FAILF("UNIQUE_BINDINGS under TLS 1.3 succeeded");
        printf("unique bindings: none (%08lx)\n", st);
    } else if (st != SEC_E_OK || !b.Bindings) {
        FAILF("UNIQUE_BINDINGS: %08lx", st);
    } else {
        printf("unique bindings: %lu bytes\n", b.BindingsLength);
    }
    if (b.Bindings) FreeContextBuffer(b.Bindings);
}

static void export_keying_material(struct tls_client *c, const char *label, DWORD size)
{
    SecPkgContext_KeyingMaterialInfo info;
    SecPkgContext_KeyingMaterial km;
    SECURITY_STATUS st;

    memset(&info, 0, sizeof(info));
    info.cbLabel = (WORD)(strlen(label) + 1);
    info.pszLabel = (LPSTR)label;
    info.cbKeyingMaterial = size;
    st = SetContextAttributesW(&c->ctx, SECPKG_ATTR_KEYING_MATERIAL_INFO, &info, sizeof(info));
    if (st != SEC_E_OK) {
        FAILF("SetContextAttributesW(KEYING_MATERIAL_INFO): %08lx", st);
        return;
    }
    memset(&km, 0, sizeof(km));
    st = QueryContextAttributesW(&c->ctx, SECPKG_ATTR_KEYING_MATERIAL, &km);
    if (st != SEC_E_OK || km.cbKeyingMaterial != size || !km.pbKeyingMaterial) {
        FAILF("KEYING_MATERIAL: %08lx, %lu bytes", st, km.cbKeyingMaterial);
    } else {
        print_hex("keying material", km.pbKeyingMaterial, km.cbKeyingMaterial);
    }
    if (km.pbKeyingMaterial) FreeContextBuffer(km.pbKeyingMaterial);
}

/* EncryptMessage as SslStreamPal.EncryptMessage: one buffer holding
 * header | data | trailer, then sent. */
static int encrypt_and_send(struct tls_client *c, const BYTE *data, ULONG size)
{
    static BYTE record[16384 + 1024];
    SecBuffer b[4];
    SecBufferDesc desc = {SECBUFFER_VERSION, 4, b};
    SECURITY_STATUS st;

    if (size > c->sizes.cbMaximumMessage || c->sizes.cbHeader + size + c->sizes.cbTrailer > sizeof(record)) return -1;
    memcpy(record + c->sizes.cbHeader, data, size);
    stream_record_buffers(b, record, &c->sizes, size);
    st = EncryptMessage(&c->ctx, 0, &desc, 0);
    if (st != SEC_E_OK) {
        FAILF("EncryptMessage(%lu bytes) returned %08lx", size, st);
        return -1;
    }
    return tls_client_send_all(c->sock, record, stream_record_size(b));
}

/* Reads one whole record (SslStream frames records itself) and decrypts it
 * in [DATA, EMPTY, EMPTY, EMPTY]. Plaintext goes to `out` (capacity
 * `cap`), its size to *got. Returns the status; -1 on a local failure. */
static long receive_record(struct tls_client *c, BYTE *out, size_t cap, size_t *got)
{
    SecBuffer b[4];
    SecBufferDesc desc = {SECBUFFER_VERSION, 4, b};
    SECURITY_STATUS st;
    size_t frame;
    int i;

    *got = 0;
    for (;;) {
        if (c->in_len >= 5) {
            frame = 5 + ((size_t)c->in[3] << 8 | c->in[4]);
            if (c->in_len >= frame) break;
        }
        if (tls_client_read_more(c) <= 0) return -1;
    }
    b[0].BufferType = SECBUFFER_DATA; b[0].pvBuffer = c->in; b[0].cbBuffer = (ULONG)frame;
    for (i = 1; i < 4; i++) { b[i].BufferType = SECBUFFER_EMPTY; b[i].pvBuffer = NULL; b[i].cbBuffer = 0; }
    st = DecryptMessage(&c->ctx, &desc, 0, NULL);
    for (i = 0; i < 4; i++) {
        BYTE *p = (BYTE *)b[i].pvBuffer;
        if ((st == SEC_E_OK && b[i].BufferType == SECBUFFER_DATA) ||
            (st != SEC_E_OK && b[i].BufferType == SECBUFFER_EXTRA)) {
            if (p < c->in || p + b[i].cbBuffer > c->in + frame) {
                FAILF("DecryptMessage buffer %d lies outside the record", i);
                return -1;
            }
            if (st == SEC_E_OK) {
                if (*got + b[i].cbBuffer > cap) return -1;
                memcpy(out, p, b[i].cbBuffer);
                *got = b[i].cbBuffer;
            } else if (st == SEC_I_RENEGOTIATE) {
                /* SslStream hands the EXTRA bytes to InitializeSecurityContext. */
                ULONG consumed;
                SECURITY_STATUS r = isc_step(c, p, b[i].cbBuffer, &consumed);
                if (r != SEC_E_OK) FAILF("ISC after SEC_I_RENEGOTIATE (EXTRA) returned %08lx", r);
                st = SEC_E_OK;
                c->renegotiations++;
            }
            break;
        }
    }
    if (st == SEC_I_RENEGOTIATE) {
        ULONG consumed;
        SECURITY_STATUS r = isc_step(c, NULL, 0, &consumed);
        if (r != SEC_E_OK) FAILF("ISC after SEC_I_RENEGOTIATE returned %08lx", r);
        st = SEC_E_OK;
        c->renegotiations++;
    }
    drop_input(c, frame);
    return st;
}

/* One record; its plaintext must be the next bytes of `want`. */
static int receive_checked(struct tls_client *c, const BYTE *want, size_t total, size_t *got_total)
{
    static BYTE plain[16384 + 64];
    size_t got;
    long st = receive_record(c, plain, sizeof(plain), &got);
    if (st != SEC_E_OK) {
        FAILF("DecryptMessage returned %08lx after %lu of %lu bytes", (unsigned long)st, (unsigned long)*got_total,
              (unsigned long)total);
        return -1;
    }
    if (*got_total + got > total || memcmp(plain, want + *got_total, got)) {
        FAILF("received bytes differ at offset %lu", (unsigned long)*got_total);
        return -1;
    }
    *got_total += got;
    return 0;
}

static BYTE pattern_byte(size_t i) { return (BYTE)('a' + (i * 7 + i / 61) % 26); }

/* Sends `total` bytes in lines and checks what comes back: the same bytes
 * (echo) or each line reversed. */
static int exchange(struct tls_client *c, size_t total, int rev)
{
    BYTE *sent, *want;
    size_t i, n, got_total = 0, sent_total = 0, line_start = 0;

    sent = malloc(total + 1);
    want = malloc(total + 1);
    if (!sent || !want) return -1;
    /* Lines of 1 to 79 letters: gnutls-serv --echo answers line by line,
     * openssl s_server -rev with each line reversed. */
    {
        size_t pos = 0, len = 1, k;
        while (pos < total) {
            for (k = 0; k < len && pos + 1 < total; k++, pos++) sent[pos] = pattern_byte(pos);
            sent[pos++] = '\n';
            len = 1 + (len * 13 + 5) % 79;
        }
    }
    if (rev) {
        size_t k;
        for (i = 0; i < total; i++) {
            if (sent[i] == '\n') {
                for (k = line_start; k < i; k++) want[k] = sent[i - 1 - (k - line_start)];
                want[i] = '\n';
                line_start = i + 1;
            }
        }
    } else {
        memcpy(want, sent, total);
    }
    while (sent_total < total) {
        n = total - sent_total;
        if (n > c->sizes.cbMaximumMessage) n = c->sizes.cbMaximumMessage;
        if (n > 3000) n = 3000 + sent_total % 5000; /* records of several sizes */
        if (n > total - sent_total) n = total - sent_total;
        if (encrypt_and_send(c, sent + sent_total, (ULONG)n)) return -1;
        sent_total += n;
        /* Read back while sending, so neither side's socket buffer fills. */
        while (sent_total - got_total > 32768 && receive_checked(c, want, total, &got_total) == 0) {}
        if (failures) return -1;
    }
    while (got_total < total) {
        if (receive_checked(c, want, total, &got_total)) return -1;
    }
    printf("data: %lu bytes sent, %lu received and verified (%s)\n", (unsigned long)total,
           (unsigned long)got_total, rev ? "reversed lines" : "echo");
    free(sent);
    free(want);
    return 0;
}

static void shutdown_connection(struct tls_client *c)
{
    DWORD type = SCHANNEL_SHUTDOWN;
    SecBuffer token = {sizeof(type), SECBUFFER_TOKEN, &type};
    SecBufferDesc desc = {SECBUFFER_VERSION, 1, &token};
    SECURITY_STATUS st = ApplyControlToken(&c->ctx, &desc);
    ULONG consumed;
    if (st != SEC_E_OK) {
        FAILF("ApplyControlToken(SCHANNEL_SHUTDOWN) returned %08lx", st);
        return;
    }
    /* SslStream then asks for the token with an empty input. */
    st = isc_step(c, NULL, 0, &consumed);
    if (st != SEC_E_OK && st != SEC_I_CONTEXT_EXPIRED) FAILF("ISC for close_notify returned %08lx", st);
    else printf("close_notify sent (%08lx)\n", st);
}

int main(int argc, char **argv)
{
    struct tls_client c;
    WSADATA wsa;
    wchar_t target[256];
    DWORD enabled = 0;
    size_t echo = 0, rev = 0;
    const char *keymat_label = NULL;
    DWORD keymat_size = 0;
    int tls13 = 0, i, empty_record = 0;
    size_t after_empty = 0;

    if (argc < 4) {
        fprintf(stderr, "usage: %s HOST PORT TARGET [--tls12|--tls13] [--echo N|--rev N] [--alpn] "
                        "[--keymat LABEL SIZE] [--empty|--empty-then N]\n", argv[0]);
        return 2;
    }
    for (i = 4; i < argc; i++) {
        if (!strcmp(argv[i], "--tls12")) enabled = SP_PROT_TLS1_2_CLIENT;
        else if (!strcmp(argv[i], "--tls13")) { enabled = SP_PROT_TLS1_3_CLIENT; tls13 = 1; }
        else if (!strcmp(argv[i], "--echo") && i + 1 < argc) echo = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--rev") && i + 1 < argc) rev = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--alpn")) want_alpn = 1;
        else if (!strcmp(argv[i], "--empty")) empty_record = 1;
        else if (!strcmp(argv[i], "--empty-then") && i + 1 < argc) {
            empty_record = 1;
            after_empty = strtoul(argv[++i], NULL, 10);
        }
        else if (!strcmp(argv[i], "--keymat") && i + 2 < argc) {
            keymat_label = argv[++i];
            keymat_size = strtoul(argv[++i], NULL, 10);
        } else {
            fprintf(stderr, "unknown argument %s\n", argv[i]);
            return 2;
        }
    }
    MultiByteToWideChar(CP_ACP, 0, argv[3], -1, target, 256);
    target_name = target;
    setvbuf(stdout, NULL, _IONBF, 0);
    WSAStartup(MAKEWORD(2, 2), &wsa);
    memset(&c, 0, sizeof(c));

    if (check_package() || acquire(&c, enabled)) return 1;
    c.sock = tls_client_tcp_connect(argv[1], atoi(argv[2]));
    if (c.sock == INVALID_SOCKET) {
        FAILF("cannot connect to %s:%s", argv[1], argv[2]);
        return 1;
    }
    if (handshake(&c) == 0) {
        query_attributes(&c, tls13);
        if (keymat_label) export_keying_material(&c, keymat_label, keymat_size);
        if (echo) exchange(&c, echo, 0);
        if (rev) exchange(&c, rev, 1);
        /* SslStream encrypts 0-byte writes: a valid empty record, after
         * which the connection goes on (checked with --empty-then N). */
        if (empty_record) {
            if (encrypt_and_send(&c, (const BYTE *)"", 0)) FAILF("0-byte EncryptMessage");
            else printf("0-byte record sent\n");
            if (after_empty && !failures) exchange(&c, after_empty, rev != 0);
        }
        printf("renegotiations: %d\n", c.renegotiations);
        shutdown_connection(&c);
    }
    closesocket(c.sock);
    if (c.have_ctx) DeleteSecurityContext(&c.ctx);
    if (c.have_cred) FreeCredentialsHandle(&c.cred);
    free(c.in);
    free(c.plain);
    printf("%s\n", failures ? "FAILED" : "OK");
    return failures ? 1 : 0;
}
