/* Integration client: connects through Schannel to an echo server, sends a
 * known pattern, reads it back, verifies every byte, then closes with
 * close_notify. Prints the negotiated parameters.
 *
 * usage: tls_echo_client HOST PORT TARGET [--manual] [--sch-credentials]
 *                        [--bytes N] [--expect-fail HEXSTATUS] [--alpn P1,P2]
 *                        [--connections N] [--disable-reconnects]
 * With --connections, further connections reuse the credential handle and
 * print whether SESSION_INFO reports a resumed session.
 * Exit status 0 on success (or on the expected failure). */
#include "sspi_tls_client.h"

/* Lines of 100 bytes: gnutls-serv --echo echoes line by line. Each byte
 * depends on its position, so lost, repeated or reordered data shows. */
static void fill_pattern(unsigned char *buf, size_t len, size_t offset)
{
    size_t i;
    for (i = 0; i < len; i++) {
        size_t pos = offset + i;
        buf[i] = pos % 100 == 99 ? '\n' : (unsigned char)('a' + (pos * 7 + pos / 100) % 26);
    }
}

int main(int argc, char **argv)
{
    struct tls_client c;
    SCHANNEL_CRED cred;
    SCH_CREDENTIALS sch;
    void *cred_data;
    SecPkgContext_ConnectionInfo info;
    SecPkgContext_CipherInfo cipher;
    wchar_t target[256];
    size_t total = 100000, sent = 0, received = 0;
    int manual = 0, use_sch = 0, i, connections = 1, disable_reconnects = 0, oob_alert = 0, close_alert = -1;
    const char *alpn = NULL;
    ALG_ID algs[16];
    DWORD alg_count = 0;
    TLS_PARAMETERS tls_params;
    CRYPTO_SETTINGS crypto;
    UNICODE_STRING crypto_name, crypto_mode;
    wchar_t crypto_name_buf[64], crypto_mode_buf[64];
    int disable_cipher = 0;
    SecPkgContext_ApplicationProtocol protocol;
    SecPkgContext_SessionInfo session;
    unsigned long expect_fail = 0;
    unsigned char *buf, *got;

    if (argc < 4) {
        fprintf(stderr, "usage: %s HOST PORT TARGET [--manual] [--sch-credentials] [--bytes N] [--expect-fail HEX]\n",
                argv[0]);
        return 2;
    }
    memset(&cred, 0, sizeof(cred));
    for (i = 4; i < argc; i++) {
        if (!strcmp(argv[i], "--manual")) manual = 1;
        else if (!strcmp(argv[i], "--sch-credentials")) use_sch = 1;
        else if (!strcmp(argv[i], "--bytes") && i + 1 < argc) total = strtoul(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--expect-fail") && i + 1 < argc) expect_fail = strtoul(argv[++i], NULL, 16);
        else if (!strcmp(argv[i], "--alpn") && i + 1 < argc) alpn = argv[++i];
        else if (!strcmp(argv[i], "--connections") && i + 1 < argc) connections = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--disable-reconnects")) disable_reconnects = 1;
        else if (!strcmp(argv[i], "--oob-alert")) oob_alert = 1;
        else if (!strcmp(argv[i], "--close-alert") && i + 1 < argc) close_alert = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--min-strength") && i + 1 < argc) cred.dwMinimumCipherStrength = strtoul(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--max-strength") && i + 1 < argc) cred.dwMaximumCipherStrength = strtoul(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--algs") && i + 1 < argc) {
            char *p = argv[++i];
            while (*p && alg_count < 16) {
                algs[alg_count++] = (ALG_ID)strtoul(p, &p, 16);
                if (*p == ',') p++;
            }
            cred.cSupportedAlgs = alg_count;
            cred.palgSupportedAlgs = algs;
        } else if (!strcmp(argv[i], "--disable-cipher") && i + 1 < argc) {
            /* CNGNAME[:CHAININGMODE], e.g. AES:ChainingModeGCM */
            char name[64], *mode;
            snprintf(name, sizeof(name), "%s", argv[++i]);
            mode = strchr(name, ':');
            if (mode) *mode++ = 0;
            memset(&crypto, 0, sizeof(crypto));
            crypto.eAlgorithmUsage = TlsParametersCngAlgUsageCipher;
            MultiByteToWideChar(CP_ACP, 0, name, -1, crypto_name_buf, 64);
            crypto_name.Buffer = crypto_name_buf;
            crypto_name.Length = crypto_name.MaximumLength = (USHORT)(wcslen(crypto_name_buf) * sizeof(wchar_t));
            crypto.strCngAlgId = crypto_name;
            if (mode) {
                MultiByteToWideChar(CP_ACP, 0, mode, -1, crypto_mode_buf, 64);
                crypto_mode.Buffer = crypto_mode_buf;
                crypto_mode.Length = crypto_mode.MaximumLength = (USHORT)(wcslen(crypto_mode_buf) * sizeof(wchar_t));
                crypto.cChainingModes = 1;
                crypto.rgstrChainingModes = &crypto_mode;
            }
            disable_cipher = 1;
        }
    }
    MultiByteToWideChar(CP_ACP, 0, argv[3], -1, target, 256);

    cred.dwVersion = SCHANNEL_CRED_VERSION;
    cred.dwFlags = SCH_CRED_NO_DEFAULT_CREDS | (manual ? SCH_CRED_MANUAL_CRED_VALIDATION : 0);
    memset(&sch, 0, sizeof(sch));
    sch.dwVersion = SCH_CREDENTIALS_VERSION;
    sch.dwFlags = cred.dwFlags;
    if (disable_cipher) {
        memset(&tls_params, 0, sizeof(tls_params));
        tls_params.cDisabledCrypto = 1;
        tls_params.pDisabledCrypto = &crypto;
        sch.cTlsParameters = 1;
        sch.pTlsParameters = &tls_params;
    }
    cred_data = use_sch ? (void *)&sch : (void *)&cred;

    if (tls_client_connect_alpn(&c, argv[1], atoi(argv[2]), target, cred_data, alpn)) {
        if (expect_fail && (unsigned long)c.last_status == expect_fail) {
            printf("failed as expected: %s\n", c.error);
            tls_client_close(&c);
            return 0;
        }
        printf("FAIL: %s\n", c.error);
        tls_client_close(&c);
        return 1;
    }
    if (expect_fail) {
        printf("FAIL: handshake succeeded, expected 0x%08lx\n", expect_fail);
        tls_client_close(&c);
        return 1;
    }
    if (QueryContextAttributesW(&c.ctx, SECPKG_ATTR_CONNECTION_INFO, &info) == SEC_E_OK &&
        QueryContextAttributesW(&c.ctx, SECPKG_ATTR_CIPHER_INFO, &cipher) == SEC_E_OK)
        printf("protocol %s, cipher suite %ls (0x%04lx), key %lu bits\n", tls_client_protocol_name(info.dwProtocol),
               cipher.szCipherSuite, cipher.dwCipherSuite, info.dwCipherStrength);
    printf("stream sizes: header %lu, trailer %lu, max message %lu, buffers %lu\n", c.sizes.cbHeader,
           c.sizes.cbTrailer, c.sizes.cbMaximumMessage, c.sizes.cBuffers);
    if (QueryContextAttributesW(&c.ctx, SECPKG_ATTR_APPLICATION_PROTOCOL, &protocol) == SEC_E_OK)
        printf("alpn: %.*s\n", protocol.ProtoNegoStatus == SecApplicationProtocolNegotiationStatus_Success ?
               (int)protocol.ProtocolIdSize : 4, protocol.ProtoNegoStatus == SecApplicationProtocolNegotiationStatus_Success ?
               (const char *)protocol.ProtocolId : "none");

    buf = (unsigned char *)malloc(65536);
    got = (unsigned char *)malloc(65536);
    while (received < total) {
        /* Keep at most 64 KB in flight so the echo server never blocks. */
        if (sent < total && sent - received < 32768) {
            size_t n = total - sent < 16384 ? total - sent : 16384;
            fill_pattern(buf, n, sent);
            if (tls_client_write(&c, buf, n)) { printf("FAIL: %s\n", c.error); return 1; }
            sent += n;
            continue;
        }
        {
            int n = tls_client_read(&c, got, 65536), k;
            if (n <= 0) { printf("FAIL: read returned %d after %lu bytes: %s\n", n, (unsigned long)received, c.error); return 1; }
            fill_pattern(buf, (size_t)n, received);
            for (k = 0; k < n; k++)
                if (got[k] != buf[k]) { printf("FAIL: byte %lu differs\n", (unsigned long)(received + k)); return 1; }
            received += (size_t)n;
        }
    }
    printf("echoed and verified %lu bytes\n", (unsigned long)received);
    printf("SEC_I_RENEGOTIATE handled %d times\n", c.renegotiations);
    for (i = 1; i <= connections; i++) {
        /* Connection i (1 = the one above) then i+1 on the same credential. */
        if (QueryContextAttributesW(&c.ctx, SECPKG_ATTR_SESSION_INFO, &session) != SEC_E_OK) {
            printf("FAIL: SESSION_INFO\n");
            return 1;
        }
        printf("connection %d: %s\n", i, session.dwFlags & SSL_SESSION_RECONNECT ? "resumed" : "full handshake");
        if (disable_reconnects) {
            SCHANNEL_SESSION_TOKEN token = {SCHANNEL_SESSION, SSL_SESSION_DISABLE_RECONNECTS};
            SecBuffer b = {sizeof(token), SECBUFFER_TOKEN, &token};
            SecBufferDesc d = {SECBUFFER_VERSION, 1, &b};
            if (ApplyControlToken(&c.ctx, &d) != SEC_E_OK) { printf("FAIL: SCHANNEL_SESSION\n"); return 1; }
        }
        if (i == connections) break;
        /* A TLS 1.3 ticket arrives after the handshake: read one echo so it
         * is processed before reconnecting. */
        if (tls_client_write(&c, "ping\n", 5) || tls_client_read(&c, got, 65536) <= 0) {
            printf("FAIL: ping on connection %d: %s\n", i, c.error);
            return 1;
        }
        if (tls_client_reconnect(&c, argv[1], atoi(argv[2]), target)) {
            printf("FAIL: reconnect %d: %s\n", i + 1, c.error);
            return 1;
        }
    }
    if (oob_alert) {
        /* Alert: level warning (1), user_canceled (90), encrypted in place. */
        unsigned char rec[64 + 2];
        SecBuffer b[4];
        SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
        SECURITY_STATUS st;
        rec[c.sizes.cbHeader] = 1;
        rec[c.sizes.cbHeader + 1] = 90;
        stream_record_buffers(b, rec, &c.sizes, 2);
        st = EncryptMessage(&c.ctx, SECQOP_WRAP_OOB_DATA, &d, 0);
        if (st != SEC_E_OK) { printf("FAIL: EncryptMessage(SECQOP_WRAP_OOB_DATA): %08lx\n", st); return 1; }
        tls_client_send_all(c.sock, rec, stream_record_size(b));
        printf("sent a warning alert with SECQOP_WRAP_OOB_DATA\n");
    }
    if (close_alert >= 0) {
        SCHANNEL_ALERT_TOKEN token = {SCHANNEL_ALERT, TLS1_ALERT_FATAL, (DWORD)close_alert};
        SecBuffer tb = {sizeof(token), SECBUFFER_TOKEN, &token};
        SecBufferDesc td = {SECBUFFER_VERSION, 1, &tb};
        SecBuffer out = {0, SECBUFFER_TOKEN, NULL};
        SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, &out};
        ULONG attrs;
        SECURITY_STATUS st = ApplyControlToken(&c.ctx, &td);
        if (st != SEC_E_OK) { printf("FAIL: ApplyControlToken(SCHANNEL_ALERT): %08lx\n", st); return 1; }
        st = InitializeSecurityContextW(&c.cred, &c.ctx, NULL, TLS_CLIENT_REQUEST_FLAGS, 0, 0, NULL, 0, NULL,
                                        &out_desc, &attrs, NULL);
        if (st != SEC_E_OK || !out.cbBuffer) { printf("FAIL: ISC after SCHANNEL_ALERT: %08lx, %lu bytes\n", st, out.cbBuffer); return 1; }
        tls_client_send_all(c.sock, out.pvBuffer, out.cbBuffer);
        FreeContextBuffer(out.pvBuffer);
        printf("sent fatal alert %d through SCHANNEL_ALERT (%lu bytes)\n", close_alert, out.cbBuffer);
        /* The connection is over: EncryptMessage must refuse now. */
        if (tls_client_write(&c, "x", 1) == 0) { printf("FAIL: EncryptMessage worked after a fatal alert\n"); return 1; }
        printf("EncryptMessage after the fatal alert: %08lx\n", c.last_status);
    }
    tls_client_close(&c);
    free(buf);
    free(got);
    return 0;
}
