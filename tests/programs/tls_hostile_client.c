/* Client side of the hostile-peer test (peer: tests/hostile/hostile_peer.cpp).
 * For each scenario the peer misbehaves on one connection; we check the
 * exact outcome (handshake status, then what DecryptMessage says) and
 * then make a good connection (handshake, echo, close_notify) in the same
 * process to show nothing was damaged. Outcomes:
 *   ok                 the handshake succeeded
 *   eof                the peer closed during the handshake
 *   eof-incomplete     the peer closed with SEC_E_INCOMPLETE_MESSAGE pending
 *   data:LINE          DecryptMessage delivered LINE
 *   XXXXXXXX           the SECURITY_STATUS a call failed with
 * usage: tls_hostile_client HOST PORT SCENARIO... */
#include "sspi_tls_client.h"

struct expectation {
    const char *scenario;
    int credential;          /* 0: TLS 1.2/1.3 manual validation, 1: TLS 1.2 only, 2: validating */
    const char *handshake;   /* "ok", "eof" or a status */
    const char *read;        /* after "ok": the read outcome */
};

static const struct expectation expectations[] = {
    {"truncated_record", 0, "ok", "eof-incomplete"},
    {"oversized_record", 0, "ok", "80090326"},           /* SEC_E_ILLEGAL_MESSAGE */
    {"oversized_record_tls13", 0, "ok", "80090326"},
    {"bad_mac", 0, "ok", "80090330"},                    /* SEC_E_DECRYPT_FAILURE */
    {"unexpected_alert", 0, "ok", "80090326"},
    {"alert_in_handshake", 0, "80090331", NULL},         /* SEC_E_ALGORITHM_MISMATCH */
    {"renegotiate", 0, "ok", "data:after renegotiation"},
    {"downgrade_tls10", 1, "80090331", NULL},
    {"downgrade_sentinel", 0, "80090326", NULL},
    {"invalid_certificate", 2, "80090325", NULL},        /* SEC_E_UNTRUSTED_ROOT */
    {"empty_records", 0, "ok", "data:after empty records"},
    {"close_mid_handshake", 0, "eof", NULL},
    {"garbage_handshake", 0, "80090326", NULL},
    {"oversized_handshake_record", 0, "80090326", NULL},
};

static const char *host;
static int port;

static void acquire(struct tls_client *c, int kind)
{
    SCHANNEL_CRED cred;
    SCH_CREDENTIALS sch;
    memset(&cred, 0, sizeof(cred));
    memset(&sch, 0, sizeof(sch));
    cred.dwVersion = SCHANNEL_CRED_VERSION;
    cred.grbitEnabledProtocols = SP_PROT_TLS1_2_CLIENT;
    cred.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    sch.dwVersion = SCH_CREDENTIALS_VERSION;
    sch.dwFlags = kind == 2 ? SCH_CRED_NO_DEFAULT_CREDS : SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    tls_client_acquire(c, kind == 1 ? (void *)&cred : (void *)&sch);
}

/* Reads one line (or the failure) from an established connection. */
static void read_outcome(struct tls_client *c, char *out, size_t size)
{
    char line[256];
    size_t got = 0;
    SECURITY_STATUS last = SEC_E_OK;
    int calls;
    for (calls = 0; calls < 100000; calls++) {
        SecBuffer b[4];
        SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
        SECURITY_STATUS status;
        int i;
        if (!c->in_len || last == SEC_E_INCOMPLETE_MESSAGE) {
            int n = tls_client_read_more(c);
            if (n <= 0) {
                snprintf(out, size, last == SEC_E_INCOMPLETE_MESSAGE ? "eof-incomplete" : "eof");
                return;
            }
        }
        for (i = 0; i < 4; i++) { b[i].BufferType = SECBUFFER_EMPTY; b[i].pvBuffer = NULL; b[i].cbBuffer = 0; }
        b[0].BufferType = SECBUFFER_DATA; b[0].pvBuffer = c->in; b[0].cbBuffer = (ULONG)c->in_len;
        last = status = DecryptMessage(&c->ctx, &d, 0, NULL);
        if (status == SEC_E_INCOMPLETE_MESSAGE) continue;
        if (status != SEC_E_OK && status != SEC_I_RENEGOTIATE && status != SEC_I_CONTEXT_EXPIRED) {
            snprintf(out, size, "%08lx", (unsigned long)status);
            return;
        }
        if (b[1].BufferType == SECBUFFER_DATA && b[1].cbBuffer) {
            size_t n = b[1].cbBuffer < sizeof(line) - 1 - got ? b[1].cbBuffer : sizeof(line) - 1 - got;
            memcpy(line + got, b[1].pvBuffer, n);
            got += n;
        }
        if (b[3].BufferType == SECBUFFER_EXTRA && b[3].cbBuffer) {
            memmove(c->in, c->in + c->in_len - b[3].cbBuffer, b[3].cbBuffer);
            c->in_len = b[3].cbBuffer;
        } else {
            c->in_len = 0;
        }
        if (got && line[got - 1] == '\n') {
            line[got - 1] = 0;
            snprintf(out, size, "data:%s", line);
            return;
        }
        if (status == SEC_I_CONTEXT_EXPIRED) { snprintf(out, size, "expired"); return; }
        if (status == SEC_I_RENEGOTIATE && tls_client_after_renegotiate(c)) {
            snprintf(out, size, "renegotiate-failed:%08lx", (unsigned long)c->last_status);
            return;
        }
    }
    snprintf(out, size, "no end after %d DecryptMessage calls", calls);
}

/* One connection; fills `handshake` and (after "ok") `read`. */
static void bad_connection(const struct expectation *e, char *handshake, char *read, size_t size)
{
    struct tls_client c;
    memset(&c, 0, sizeof(c));
    c.sock = INVALID_SOCKET;
    read[0] = 0;
    acquire(&c, e->credential);
    c.sock = tls_client_tcp_connect(host, port);
    if (c.sock == INVALID_SOCKET) { snprintf(handshake, size, "cannot connect"); return; }
    {
        DWORD ms = 15000; /* a peer that stops talking fails the test instead of hanging it */
        setsockopt(c.sock, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof(ms));
    }
    if (tls_client_handshake(&c, L"localhost")) {
        if (!strncmp(c.error, "recv during handshake", 21) && !c.last_status)
            snprintf(handshake, size, "eof");
        else
            snprintf(handshake, size, "%08lx", (unsigned long)c.last_status);
    } else {
        snprintf(handshake, size, "ok");
        read_outcome(&c, read, size);
    }
    tls_client_close(&c);
}

static int good_connection(int index)
{
    struct tls_client c;
    char line[64], got[64];
    int len, n = 0;
    memset(&c, 0, sizeof(c));
    c.sock = INVALID_SOCKET;
    acquire(&c, 0);
    c.sock = tls_client_tcp_connect(host, port);
    if (c.sock == INVALID_SOCKET || tls_client_handshake(&c, L"localhost")) {
        printf("FAIL: good connection %d: %s\n", index, c.error);
        tls_client_close(&c);
        return -1;
    }
    len = snprintf(line, sizeof(line), "good connection %d\n", index);
    if (tls_client_write(&c, line, (size_t)len)) n = -1;
    while (n >= 0 && n < len) {
        int r = tls_client_read(&c, got + n, sizeof(got) - (size_t)n);
        if (r <= 0) { n = -1; break; }
        n += r;
    }
    tls_client_close(&c);
    if (n != len || memcmp(got, line, (size_t)len)) {
        printf("FAIL: good connection %d: echo failed\n", index);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    int i, failures = 0;
    if (argc < 4) return 2;
    host = argv[1];
    port = atoi(argv[2]);
    WSAStartup(MAKEWORD(2, 2), &wsa);
    for (i = 3; i < argc; i++) {
        const struct expectation *e = NULL;
        char handshake[128], read[160];
        size_t k;
        for (k = 0; k < sizeof(expectations) / sizeof(expectations[0]); k++)
            if (!strcmp(expectations[k].scenario, argv[i])) e = &expectations[k];
        if (!e) { printf("FAIL: unknown scenario %s\n", argv[i]); return 2; }
        bad_connection(e, handshake, read, sizeof(handshake));
        if (strcmp(handshake, e->handshake) || (e->read && strcmp(read, e->read))) {
            printf("FAIL: %s: handshake %s, read %s; expected %s, %s\n", e->scenario, handshake, read[0] ? read : "-",
                   e->handshake, e->read ? e->read : "-");
            failures++;
        } else {
            printf("ok: %s: handshake %s%s%s\n", e->scenario, handshake, read[0] ? ", read " : "", read);
        }
        if (good_connection(i - 2)) failures++;
    }
    printf("%d hostile scenarios, %d failures, a good connection after each\n", argc - 3, failures);
    return failures ? 1 : 0;
}
