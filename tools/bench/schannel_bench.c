/* Columns "ours" and "stock": the Windows side of `make bench`, run once
 * under tools/wine-secur32 and once under tools/wine-stock against the same
 * bench_server.
 *
 * Record throughput: only EncryptMessage / DecryptMessage are timed, never
 * socket I/O; the figure is the best batch (see bench_shared.h). Decrypt: the server sends a batch of records, we receive them
 * all into one buffer, then time DecryptMessage walking through it record by
 * record (DATA and EXTRA as curl uses them); afterwards every DATA buffer is
 * checked to lie inside our input buffer and to hold the expected bytes.
 * Encrypt: we fill a batch of [header|data|trailer] slots with the expected
 * bytes, time EncryptMessage over them, then send the records and the server
 * decrypts and verifies every byte.
 *
 * usage: schannel_bench PORT PLAIN_PORT [PARTS]
 * PARTS: letters choosing what runs (default all): r records, h handshakes,
 * m memory; 2 / 3 restrict to TLS 1.2 / TLS 1.3; v skips certificate
 * validation (SCH_CRED_MANUAL_CRED_VALIDATION), to see what it costs.
 * Prints `result win.KEY VALUE UNIT` and `na win.KEY REASON` lines. */
#include "sspi_tls_client.h"

#include <psapi.h>

#include "bench_shared.h"

static int port, plain_port;
static DWORD extra_cred_flags; /* PARTS 'v': manual validation (profiling) */
static LARGE_INTEGER qpc_frequency;

static double now_seconds(void)
{
    LARGE_INTEGER t;
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart / (double)qpc_frequency.QuadPart;
}

static const char *proto_key(int tls13) { return tls13 ? "tls13" : "tls12"; }

/* Credentials for exactly one protocol version (TLS 1.3 needs
 * SCH_CREDENTIALS, as on Windows). Certificates are validated by default. */
struct cred_choice {
    SCHANNEL_CRED cred;
    SCH_CREDENTIALS sch;
    TLS_PARAMETERS params;
};

static void *cred_data(struct cred_choice *c, int tls13)
{
    memset(c, 0, sizeof(*c));
    if (!tls13) {
        c->cred.dwVersion = SCHANNEL_CRED_VERSION;
        c->cred.grbitEnabledProtocols = SP_PROT_TLS1_2_CLIENT;
        c->cred.dwFlags = extra_cred_flags;
        return &c->cred;
    }
    c->sch.dwVersion = SCH_CREDENTIALS_VERSION;
    c->sch.dwFlags = extra_cred_flags;
    c->params.grbitDisabledProtocols = ~(DWORD)SP_PROT_TLS1_3_CLIENT;
    c->sch.cTlsParameters = 1;
    c->sch.pTlsParameters = &c->params;
    return &c->sch;
}

static int send_command(struct tls_client *c, char letter, uint32_t size, uint32_t count, uint32_t first)
{
    unsigned char cmd[BENCH_CMD_SIZE];
    bench_command(cmd, letter, size, count, first);
    return tls_client_write(c, cmd, sizeof(cmd));
}

static int read_byte(struct tls_client *c, char *answer)
{
    unsigned char b = 0;
    if (tls_client_read(c, &b, 1) != 1) return -1;
    *answer = (char)b;
    return 0;
}

/* Handshake on a new socket with the credential in `c`, then a ping (so
 * TLS 1.3 tickets arrive); `answer` is 'R' when the server resumed. */
static int open_connection(struct tls_client *c, char *answer)
{
    c->in_len = c->plain_len = 0;
    c->peer_closed = 0;
    c->sock = tls_client_tcp_connect("127.0.0.1", port);
    if (c->sock == INVALID_SOCKET) {
        snprintf(c->error, sizeof(c->error), "cannot connect");
        return -1;
    }
    {
        BOOL one = TRUE;
        setsockopt(c->sock, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof(one));
    }
    if (tls_client_handshake(c, L"localhost")) return -1;
    if (answer && (send_command(c, BENCH_CMD_PING, 0, 0, 0) || read_byte(c, answer))) return -1;
    return 0;
}

/* Drops the connection without close_notify (as the native column does). */
static void drop_connection(struct tls_client *c)
{
    if (c->have_ctx) DeleteSecurityContext(&c->ctx);
    c->have_ctx = 0;
    if (c->sock != INVALID_SOCKET) closesocket(c->sock);
    c->sock = INVALID_SOCKET;
}

static int recv_records(struct tls_client *c, unsigned char *buf, size_t cap, size_t count, size_t *len)
{
    size_t pos = 0, records = 0;
    *len = 0;
    while (records < count) {
        int n;
        if (*len == cap) return -1;
        n = recv(c->sock, (char *)buf + *len, (int)(cap - *len > 1 << 20 ? 1 << 20 : cap - *len), 0);
        if (n <= 0) return -1;
        *len += (size_t)n;
        records += bench_count_records(buf, *len, &pos);
    }
    return records == count && pos == *len ? 0 : -1;
}

static int bench_decrypt(struct tls_client *c, int tls13, unsigned size)
{
    uint32_t count = bench_batch_records(size), message = 0, i;
    size_t cap = (size_t)count * (size + 64) + 65536, len;
    unsigned char *wire = (unsigned char *)malloc(cap);
    unsigned char **data = (unsigned char **)malloc(count * sizeof(*data));
    ULONG *data_len = (ULONG *)malloc(count * sizeof(*data_len));
    double best = 1e30;
    int round, batch, ok = 1;
    const char *why = "";
    for (round = 0; ok && round < BENCH_ROUNDS; round++) {
        double total;
        for (batch = 0; ok && batch < BENCH_BATCHES; batch++, message += count) {
            unsigned char *p;
            size_t left;
            double start;
            if (send_command(c, BENCH_CMD_SEND, size, count, message) || recv_records(c, wire, cap, count, &len)) {
                ok = 0;
                why = "transfer failed";
                break;
            }
            p = wire;
            left = len;
            start = now_seconds();
            for (i = 0; i < count; i++) {
                SecBuffer b[4];
                SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
                SECURITY_STATUS st;
                b[0].BufferType = SECBUFFER_DATA; b[0].pvBuffer = p; b[0].cbBuffer = (ULONG)left;
                b[1].BufferType = SECBUFFER_EMPTY; b[1].pvBuffer = NULL; b[1].cbBuffer = 0;
                b[2].BufferType = SECBUFFER_EMPTY; b[2].pvBuffer = NULL; b[2].cbBuffer = 0;
                b[3].BufferType = SECBUFFER_EMPTY; b[3].pvBuffer = NULL; b[3].cbBuffer = 0;
                st = DecryptMessage(&c->ctx, &d, 0, NULL);
                if (st != SEC_E_OK || b[1].BufferType != SECBUFFER_DATA) break;
                data[i] = (unsigned char *)b[1].pvBuffer;
                data_len[i] = b[1].cbBuffer;
                /* EXTRA as curl reads it: the last cbBuffer bytes of the input. */
                if (b[3].BufferType == SECBUFFER_EXTRA) {
                    p += left - b[3].cbBuffer;
                    left = b[3].cbBuffer;
                } else {
                    left = 0;
                }
            }
            total = now_seconds() - start;
            if (total < best) best = total;
            if (i < count) { ok = 0; why = "DecryptMessage failed"; break; }
            for (i = 0; ok && i < count; i++) {
                if (data[i] < wire || data[i] + data_len[i] > wire + len) { ok = 0; why = "DATA not inside the input buffer"; }
                else if (data_len[i] != size || !bench_check(data[i], message + i, size)) { ok = 0; why = "wrong plaintext"; }
            }
        }
    }
    if (ok) {
        double calls = (double)count;
        printf("result win.%s.dec.%u %.1f MB/s\n", proto_key(tls13), size, calls * size / best / 1e6);
        printf("result win.%s.dec_us.%u %.3f us\n", proto_key(tls13), size, best / calls * 1e6);
    } else {
        printf("na win.%s.dec.%u %s\n", proto_key(tls13), size, why);
    }
    free(wire);
    free(data);
    free(data_len);
    return ok ? 0 : -1;
}

static int bench_encrypt(struct tls_client *c, int tls13, unsigned size)
{
    uint32_t count = bench_batch_records(size), message = 0, i;
    size_t slot = c->sizes.cbHeader + size + c->sizes.cbTrailer;
    unsigned char *batch_buf = (unsigned char *)malloc(count * slot);
    ULONG *record_len = (ULONG *)malloc(count * sizeof(*record_len));
    double best = 1e30;
    int round, batch, ok = 1;
    const char *why = "";
    for (round = 0; ok && round < BENCH_ROUNDS; round++) {
        double total;
        for (batch = 0; ok && batch < BENCH_BATCHES; batch++, message += count) {
            double start;
            size_t out = 0;
            char answer = 0;
            for (i = 0; i < count; i++) bench_fill(batch_buf + i * slot + c->sizes.cbHeader, message + i, size);
            if (send_command(c, BENCH_CMD_RECV, size, count, message)) { ok = 0; why = "transfer failed"; break; }
            start = now_seconds();
            for (i = 0; i < count; i++) {
                unsigned char *s = batch_buf + i * slot;
                SecBuffer b[4];
                SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
                stream_record_buffers(b, s, &c->sizes, size);
                if (EncryptMessage(&c->ctx, 0, &d, 0) != SEC_E_OK) break;
                record_len[i] = stream_record_size(b);
            }
            total = now_seconds() - start;
            if (total < best) best = total;
            if (i < count) { ok = 0; why = "EncryptMessage failed"; break; }
            /* Pack the records (a no-op when the trailer is always full). */
            for (i = 0; i < count; i++) {
                memmove(batch_buf + out, batch_buf + i * slot, record_len[i]);
                out += record_len[i];
            }
            if (tls_client_send_all(c->sock, batch_buf, out) || read_byte(c, &answer)) { ok = 0; why = "transfer failed"; }
            else if (answer != 'Y') { ok = 0; why = "server could not verify the data"; }
        }
    }
    if (ok) {
        double calls = (double)count;
        printf("result win.%s.enc.%u %.1f MB/s\n", proto_key(tls13), size, calls * size / best / 1e6);
        printf("result win.%s.enc_us.%u %.3f us\n", proto_key(tls13), size, best / calls * 1e6);
    } else {
        printf("na win.%s.enc.%u %s\n", proto_key(tls13), size, why);
    }
    free(batch_buf);
    free(record_len);
    return ok ? 0 : -1;
}

/* Handshakes per second, best window; each is connect + handshake + ping +
 * close, on one credential handle (as the native column shares its
 * certificate credentials). Full: after each connection
 * ApplyControlToken(SCHANNEL_SESSION, SSL_SESSION_DISABLE_RECONNECTS) keeps
 * the session out of the cache, the documented way to avoid resumption.
 * Resumed: after a first full handshake. bench_server says which it was. */
static int bench_handshakes(int tls13, int resumed)
{
    struct cred_choice choice;
    struct tls_client c;
    double best = 0;
    int round, all_as_asked = 1;
    const char *kind = resumed ? "hs_resumed" : "hs_full";
    memset(&c, 0, sizeof(c));
    c.sock = INVALID_SOCKET;
    if (tls_client_acquire(&c, cred_data(&choice, tls13))) goto failed;
    if (resumed) {
        char answer;
        if (open_connection(&c, &answer)) goto failed;
        drop_connection(&c);
    }
    for (round = 0; round < BENCH_ROUNDS; round++) {
        double start = now_seconds(), elapsed;
        int n = 0;
        do {
            char answer = 0;
            if (open_connection(&c, &answer)) goto failed;
            if (answer != (resumed ? 'R' : 'Y')) all_as_asked = 0;
            if (!resumed) {
                SCHANNEL_SESSION_TOKEN token = {SCHANNEL_SESSION, SSL_SESSION_DISABLE_RECONNECTS};
                SecBuffer b = {sizeof(token), SECBUFFER_TOKEN, &token};
                SecBufferDesc d = {SECBUFFER_VERSION, 1, &b};
                ApplyControlToken(&c.ctx, &d); /* stock Wine: unsupported, and it never resumes anyway */
            }
            drop_connection(&c);
            n++;
        } while ((elapsed = now_seconds() - start) < BENCH_HANDSHAKE_WINDOW_MS / 1000.0);
        if (n / elapsed > best) best = n / elapsed;
    }
    if (!all_as_asked)
        printf("na win.%s.%s %s\n", proto_key(tls13), kind,
               resumed ? "not resumed (the server saw full handshakes)" : "resumed although reconnects were disabled");
    else
        printf("result win.%s.%s %.1f /s\n", proto_key(tls13), kind, best);
    tls_client_close(&c);
    return 0;
failed:
    printf("na win.%s.%s %s\n", proto_key(tls13), kind, c.error);
    drop_connection(&c);
    tls_client_close(&c);
    return -1;
}

/* The transport alone: connect + 16 bytes out + 1 byte back + close on
 * bench_server's plain TCP port, per second (best window). */
static void bench_tcp(void)
{
    double best = 0;
    int round;
    for (round = 0; round < BENCH_ROUNDS; round++) {
        double start = now_seconds(), elapsed;
        int n = 0;
        do {
            unsigned char cmd[BENCH_CMD_SIZE] = {BENCH_CMD_PING};
            char answer = 0;
            BOOL one = TRUE;
            SOCKET s = tls_client_tcp_connect("127.0.0.1", plain_port);
            if (s == INVALID_SOCKET) { printf("na win.tcp_ping cannot connect\n"); return; }
            setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof(one));
            if (tls_client_send_all(s, cmd, sizeof(cmd)) || recv(s, &answer, 1, 0) != 1) {
                printf("na win.tcp_ping transfer failed\n");
                closesocket(s);
                return;
            }
            closesocket(s);
            n++;
        } while ((elapsed = now_seconds() - start) < BENCH_HANDSHAKE_WINDOW_MS / 1000.0);
        if (n / elapsed > best) best = n / elapsed;
    }
    printf("result win.tcp_ping %.1f /s\n", best);
}

/* The working set (Wine: the process's resident set, so it includes what
 * the Unix side allocates; Wine 8 reports no PrivateUsage). */
static SIZE_T working_set(void)
{
    PROCESS_MEMORY_COUNTERS m;
    memset(&m, 0, sizeof(m));
    m.cb = sizeof(m);
    GetProcessMemoryInfo(GetCurrentProcess(), &m, sizeof(m));
    return m.WorkingSetSize;
}

/* Memory per established, idle context (TLS 1.2, one shared credential as
 * WinINet uses, sockets closed), then BENCH_MANY_CONTEXTS alive at once. */
static int bench_memory(void)
{
    struct cred_choice choice;
    struct tls_client c;
    CtxtHandle *contexts = (CtxtHandle *)calloc(BENCH_MANY_CONTEXTS, sizeof(CtxtHandle));
    SIZE_T before, after;
    int n = 0, failed = 0, i;
    double start;
    memset(&c, 0, sizeof(c));
    c.sock = INVALID_SOCKET;
    if (tls_client_acquire(&c, cred_data(&choice, 0)) || open_connection(&c, NULL)) {
        printf("na win.mem %s\n", c.error);
        return -1;
    }
    drop_connection(&c); /* warms the process up: first handshake allocates caches */
    before = working_set();
    start = now_seconds();
    for (; n < BENCH_MANY_CONTEXTS; n++) {
        if (n == BENCH_MEMORY_CONTEXTS) {
            after = working_set();
            printf("result win.mem.rss_per_context %.1f KB\n", (double)(after - before) / BENCH_MEMORY_CONTEXTS / 1024);
            fflush(stdout);
        }
        if ((now_seconds() - start) * 1000 > BENCH_MANY_TIME_LIMIT_MS) break;
        if (open_connection(&c, NULL)) { failed = 1; break; }
        contexts[n] = c.ctx;
        c.have_ctx = 0; /* kept alive */
        closesocket(c.sock);
        c.sock = INVALID_SOCKET;
    }
    if (failed)
        printf("na win.mem.contexts failed after %d contexts: %s\n", n, c.error);
    else if (n < BENCH_MANY_CONTEXTS)
        printf("na win.mem.contexts only %d contexts within %d s\n", n, BENCH_MANY_TIME_LIMIT_MS / 1000);
    else {
        /* All still usable: ask one of the oldest for its sizes. */
        SecPkgContext_StreamSizes sizes;
        if (QueryContextAttributesW(&contexts[0], SECPKG_ATTR_STREAM_SIZES, &sizes) != SEC_E_OK) {
            printf("na win.mem.contexts context 0 unusable after %d\n", n);
            failed = 1;
        } else {
            printf("result win.mem.contexts %d (%.1f s to establish)\n", n, now_seconds() - start);
        }
    }
    for (i = 0; i < n; i++) DeleteSecurityContext(&contexts[i]);
    free(contexts);
    tls_client_close(&c);
    return failed ? -1 : 0;
}

int main(int argc, char **argv)
{
    int tls13, failures = 0;
    unsigned s;
    WSADATA wsa;
    const char *parts = argc > 3 ? argv[3] : "rhm23";
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: schannel_bench PORT PLAIN_PORT [PARTS]\n");
        return 2;
    }
    port = atoi(argv[1]);
    plain_port = atoi(argv[2]);
    if (strchr(parts, 'v')) extra_cred_flags = SCH_CRED_MANUAL_CRED_VALIDATION;
    QueryPerformanceFrequency(&qpc_frequency);
    WSAStartup(MAKEWORD(2, 2), &wsa);
    setvbuf(stdout, NULL, _IONBF, 0);
    if (strchr(parts, 'h')) bench_tcp();
    for (tls13 = 0; tls13 <= 1; tls13++) {
        struct cred_choice choice;
        if (!strchr(parts, tls13 ? '3' : '2')) continue;
        struct tls_client c;
        SecPkgContext_ConnectionInfo info;
        char answer;
        memset(&c, 0, sizeof(c));
        c.sock = INVALID_SOCKET;
        if (tls_client_acquire(&c, cred_data(&choice, tls13)) || open_connection(&c, &answer)) {
            printf("na win.%s %s\n", proto_key(tls13), c.error);
            tls_client_close(&c);
            if (!tls13) failures++;
            continue;
        }
        if (QueryContextAttributesW(&c.ctx, SECPKG_ATTR_CONNECTION_INFO, &info) != SEC_E_OK ||
            info.dwProtocol != (DWORD)(tls13 ? SP_PROT_TLS1_3_CLIENT : SP_PROT_TLS1_2_CLIENT)) {
            printf("na win.%s protocol not negotiated\n", proto_key(tls13));
            tls_client_close(&c);
            continue;
        }
        for (s = 0; strchr(parts, 'r') && s < BENCH_SIZE_COUNT; s++) {
            if (bench_decrypt(&c, tls13, bench_message_sizes[s])) failures++;
            if (bench_encrypt(&c, tls13, bench_message_sizes[s])) failures++;
        }
        drop_connection(&c);
        tls_client_close(&c);
        if (strchr(parts, 'h') && bench_handshakes(tls13, 0)) failures++;
        if (strchr(parts, 'h') && bench_handshakes(tls13, 1)) failures++;
    }
    if (strchr(parts, 'm') && bench_memory()) failures++;
    return failures ? 1 : 0;
}
