/* A mutation fuzzer for Schannel under Wine: our client (ISC) and server
 * (ASC) talk in this process; their real flights and records are captured
 * once per protocol version, then replayed with random mutations (bit
 * flips, byte changes, truncation, insertion, duplication, length-field
 * edits) into
 *   ISC            a fresh client gets a mutated server flight,
 *   ASC            a fresh server gets a mutated ClientHello,
 *   DecryptMessage a freshly connected client gets a mutated record.
 * Every return must be a documented SEC_E_/SEC_I_ code of the call
 * (SEC_E_INTERNAL_ERROR counts as a failure: it means an error we did not
 * map); a crash fails the run. Deterministic: the seed is an argument.
 * usage: tls_mutation_fuzz ITERATIONS SEED */
#include "sspi_tls_client.h"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wunused-function" /* the header's PFX helpers */
#endif
#include "../conformance/server_certificates.h"

#define ISC_FLAGS (ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY | \
                   ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM | ISC_REQ_MANUAL_CRED_VALIDATION)
#define ASC_FLAGS (ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT | ASC_REQ_CONFIDENTIALITY | \
                   ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_STREAM)
#define MAX_BYTES 65536

struct bytes {
    BYTE data[MAX_BYTES];
    ULONG size;
};

static unsigned long long rng_state;
static ULONG rnd(ULONG n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return n ? (ULONG)(rng_state % n) : 0;
}

static CredHandle server_cred, client_cred[2];
static long failures, calls;
static long by_status[8][2]; /* small histogram of what came back: [kind][ok/error] */

/* One handshake step of a side: `in` is consumed (EXTRA kept), output appended to `out`. */
static SECURITY_STATUS step(BOOL server, CredHandle *cred, CtxtHandle *ctx, BOOL *have, struct bytes *in,
                            struct bytes *out)
{
    SecBuffer ib[2], ob[2];
    SecBufferDesc id = {SECBUFFER_VERSION, 2, ib}, od = {SECBUFFER_VERSION, 2, ob};
    ULONG attrs;
    SECURITY_STATUS status;
    ib[0].BufferType = SECBUFFER_TOKEN; ib[0].pvBuffer = in->data; ib[0].cbBuffer = in->size;
    ib[1].BufferType = SECBUFFER_EMPTY; ib[1].pvBuffer = NULL; ib[1].cbBuffer = 0;
    ob[0].BufferType = SECBUFFER_TOKEN; ob[0].pvBuffer = NULL; ob[0].cbBuffer = 0;
    ob[1].BufferType = SECBUFFER_ALERT; ob[1].pvBuffer = NULL; ob[1].cbBuffer = 0;
    if (server)
        status = AcceptSecurityContext(cred, *have ? ctx : NULL, &id, ASC_FLAGS, 0, ctx, &od, &attrs, NULL);
    else
        status = InitializeSecurityContextA(cred, *have ? ctx : NULL, (SEC_CHAR *)"localhost", ISC_FLAGS, 0, 0,
                                            *have ? &id : NULL, 0, ctx, &od, &attrs, NULL);
    if (!*have && (status == SEC_I_CONTINUE_NEEDED || status == SEC_E_OK || status == SEC_E_INCOMPLETE_MESSAGE))
        *have = TRUE;
    if (status != SEC_E_INCOMPLETE_MESSAGE) {
        if (ib[1].BufferType == SECBUFFER_EXTRA && ib[1].cbBuffer <= in->size) {
            memmove(in->data, in->data + in->size - ib[1].cbBuffer, ib[1].cbBuffer);
            in->size = ib[1].cbBuffer;
        } else {
            in->size = 0;
        }
    }
    if (ob[0].pvBuffer && ob[0].cbBuffer && out && out->size + ob[0].cbBuffer <= MAX_BYTES) {
        memcpy(out->data + out->size, ob[0].pvBuffer, ob[0].cbBuffer);
        out->size += ob[0].cbBuffer;
    }
    if (ob[0].pvBuffer) FreeContextBuffer(ob[0].pvBuffer);
    if (ob[1].pvBuffer) FreeContextBuffer(ob[1].pvBuffer);
    return status;
}

struct pair {
    CtxtHandle client, server;
    BOOL have_client, have_server;
};

static void drop(struct pair *p)
{
    if (p->have_client) DeleteSecurityContext(&p->client);
    if (p->have_server) DeleteSecurityContext(&p->server);
    p->have_client = p->have_server = FALSE;
}

/* A clean handshake; captures the ClientHello and the server's first flight. */
static BOOL connect_pair(struct pair *p, int config, struct bytes *client_hello, struct bytes *server_flight)
{
    static struct bytes to_server, to_client;
    SECURITY_STATUS cs, ss = SEC_I_CONTINUE_NEEDED;
    int round;
    memset(p, 0, sizeof(*p));
    to_server.size = to_client.size = 0;
    cs = step(FALSE, &client_cred[config], &p->client, &p->have_client, &to_client, &to_server);
    if (client_hello) *client_hello = to_server;
    for (round = 0; round < 16 && (cs != SEC_E_OK || ss != SEC_E_OK); round++) {
        if (ss != SEC_E_OK && to_server.size) {
            ULONG before = to_client.size;
            ss = step(TRUE, &server_cred, &p->server, &p->have_server, &to_server, &to_client);
            if (server_flight && round == 0) {
                memcpy(server_flight->data, to_client.data + before, to_client.size - before);
                server_flight->size = to_client.size - before;
            }
            if (FAILED(ss) && ss != SEC_E_INCOMPLETE_MESSAGE) return FALSE;
        }
        if (cs != SEC_E_OK && to_client.size) {
            cs = step(FALSE, &client_cred[config], &p->client, &p->have_client, &to_client, &to_server);
            if (FAILED(cs) && cs != SEC_E_INCOMPLETE_MESSAGE) return FALSE;
        }
    }
    return cs == SEC_E_OK && ss == SEC_E_OK;
}

static void mutate(struct bytes *b)
{
    int ops = 1 + (int)rnd(4), i;
    for (i = 0; i < ops && b->size; i++) {
        ULONG at = rnd(b->size);
        switch (rnd(7)) {
        case 0: b->data[at] ^= (BYTE)(1u << rnd(8)); break;
        case 1: b->data[at] = (BYTE)rnd(256); break;
        case 2: b->size = at; break;
        case 3: { /* insert up to 16 random bytes */
            ULONG n = 1 + rnd(16), k;
            if (b->size + n > MAX_BYTES) break;
            memmove(b->data + at + n, b->data + at, b->size - at);
            for (k = 0; k < n; k++) b->data[at + k] = (BYTE)rnd(256);
            b->size += n;
            break;
        }
        case 4: { /* duplicate a chunk */
            ULONG n = 1 + rnd(b->size - at);
            if (b->size + n > MAX_BYTES) break;
            memmove(b->data + at + n, b->data + at, b->size - at);
            b->size += n;
            break;
        }
        case 5: /* the first record's length field */
            if (b->size >= 5) { b->data[3] = (BYTE)rnd(256); b->data[4] = (BYTE)rnd(256); }
            break;
        case 6: { /* a handshake message length inside the first record */
            ULONG k = 5 + 1 + rnd(3);
            if (k < b->size) b->data[k] = (BYTE)rnd(256);
            break;
        }
        }
    }
}

/* Documented outcomes of each call (Microsoft's ISC/ASC/DecryptMessage
 * (Schannel) pages); anything else is a failure. */
static BOOL documented(SECURITY_STATUS s, int kind)
{
    switch (s) {
    case SEC_E_OK: case SEC_I_CONTINUE_NEEDED: case SEC_E_INCOMPLETE_MESSAGE: case SEC_I_CONTEXT_EXPIRED:
    case SEC_E_ILLEGAL_MESSAGE: case SEC_E_DECRYPT_FAILURE: case SEC_E_MESSAGE_ALTERED:
    case SEC_E_ALGORITHM_MISMATCH: case SEC_E_CERT_UNKNOWN: case SEC_E_UNTRUSTED_ROOT: case SEC_E_CERT_EXPIRED:
    case SEC_E_WRONG_PRINCIPAL: case SEC_E_INVALID_TOKEN: case SEC_E_UNSUPPORTED_FUNCTION:
    case SEC_E_CONTEXT_EXPIRED: case SEC_E_BUFFER_TOO_SMALL: case CRYPT_E_REVOKED:
        return TRUE;
    case SEC_I_RENEGOTIATE: return kind == 2;
    case SEC_I_INCOMPLETE_CREDENTIALS: return kind == 0;
    default: return FALSE;
    }
}

static void check(SECURITY_STATUS s, int kind, long iteration)
{
    static const char *names[] = {"InitializeSecurityContext", "AcceptSecurityContext", "DecryptMessage"};
    calls++;
    by_status[kind][FAILED(s) ? 1 : 0]++;
    if (!documented(s, kind)) {
        failures++;
        if (failures <= 20) printf("FAIL: iteration %ld: %s returned %08lx\n", iteration, names[kind], (unsigned long)s);
    }
}

int main(int argc, char **argv)
{
    static struct bytes hello[2], flight[2], record[2], work;
    struct test_certificate cert;
    SCH_CREDENTIALS sch;
    SCHANNEL_CRED cred12;
    long iterations, i;
    int config;
    if (argc < 3) return 2;
    iterations = atol(argv[1]);
    rng_state = strtoull(argv[2], NULL, 10) * 2654435761u + 1;

    if (!make_self_signed(&cert, AT_KEYEXCHANGE, CRYPT_EXPORTABLE, FALSE)) { printf("FAIL: certificate\n"); return 1; }
    memset(&sch, 0, sizeof(sch));
    sch.dwVersion = SCH_CREDENTIALS_VERSION;
    sch.cCreds = 1;
    sch.paCred = &cert.cert;
    if (AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_INBOUND, NULL, &sch, NULL, NULL,
                                  &server_cred, NULL) != SEC_E_OK) { printf("FAIL: server credential\n"); return 1; }
    memset(&cred12, 0, sizeof(cred12));
    cred12.dwVersion = SCHANNEL_CRED_VERSION;
    cred12.grbitEnabledProtocols = SP_PROT_TLS1_2_CLIENT;
    cred12.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    memset(&sch, 0, sizeof(sch));
    sch.dwVersion = SCH_CREDENTIALS_VERSION;
    sch.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    if (AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_OUTBOUND, NULL, &cred12, NULL, NULL,
                                  &client_cred[0], NULL) != SEC_E_OK ||
        AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_OUTBOUND, NULL, &sch, NULL, NULL,
                                  &client_cred[1], NULL) != SEC_E_OK) { printf("FAIL: client credentials\n"); return 1; }

    /* Capture: config 0 = TLS 1.2, 1 = TLS 1.3. */
    for (config = 0; config < 2; config++) {
        struct pair p;
        if (!connect_pair(&p, config, &hello[config], &flight[config])) {
            printf("FAIL: clean handshake (config %d)\n", config);
            return 1;
        }
        drop(&p);
        printf("captured: config %d: ClientHello %lu bytes, server flight %lu bytes\n", config,
               (unsigned long)hello[config].size, (unsigned long)flight[config].size);
    }

    for (i = 0; i < iterations; i++) {
        struct pair p;
        int kind = (int)rnd(3);
        config = (int)rnd(2);
        memset(&p, 0, sizeof(p));
        if (kind == 0) { /* a fresh client, a mutated server flight */
            static struct bytes sink, none;
            SECURITY_STATUS s;
            int n;
            sink.size = none.size = 0;
            work = flight[config];
            mutate(&work);
            s = step(FALSE, &client_cred[config], &p.client, &p.have_client, &none, &sink); /* ClientHello */
            for (n = 0; n < 8 && s == SEC_I_CONTINUE_NEEDED; n++) {
                ULONG before = work.size;
                sink.size = 0;
                s = step(FALSE, &client_cred[config], &p.client, &p.have_client, &work, &sink);
                check(s, 0, i);
                if (!work.size || work.size == before) break;
            }
        } else if (kind == 1) { /* a fresh server, a mutated ClientHello */
            static struct bytes sink;
            sink.size = 0;
            work = hello[config];
            mutate(&work);
            check(step(TRUE, &server_cred, &p.server, &p.have_server, &work, &sink), 1, i);
        } else { /* a connected pair, a mutated record */
            SecBuffer b[4];
            SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
            SecPkgContext_StreamSizes sizes;
            char message[64];
            int k, len;
            if (!connect_pair(&p, config, NULL, NULL)) {
                printf("FAIL: iteration %ld: clean handshake failed\n", i);
                failures++;
                drop(&p);
                continue;
            }
            QueryContextAttributesW(&p.server, SECPKG_ATTR_STREAM_SIZES, &sizes);
            len = snprintf(message, sizeof(message), "record %ld", i);
            record[config].size = sizes.cbHeader + (ULONG)len + sizes.cbTrailer;
            stream_record_buffers(b, record[config].data, &sizes, (ULONG)len);
            memcpy(b[1].pvBuffer, message, (size_t)len);
            if (EncryptMessage(&p.server, 0, &d, 0) != SEC_E_OK) { failures++; drop(&p); continue; }
            record[config].size = stream_record_size(b);
            work = record[config];
            mutate(&work);
            for (k = 0; k < 4; k++) { b[k].BufferType = SECBUFFER_EMPTY; b[k].pvBuffer = NULL; b[k].cbBuffer = 0; }
            b[0].BufferType = SECBUFFER_DATA; b[0].pvBuffer = work.data; b[0].cbBuffer = work.size;
            check(DecryptMessage(&p.client, &d, 0, NULL), 2, i);
        }
        drop(&p);
    }
    FreeCredentialsHandle(&server_cred);
    FreeCredentialsHandle(&client_cred[0]);
    FreeCredentialsHandle(&client_cred[1]);
    free_test_certificate(&cert);
    printf("%ld mutated inputs, %ld calls checked (ISC %ld ok/%ld errors, ASC %ld/%ld, DecryptMessage %ld/%ld), "
           "%ld undocumented results\n",
           iterations, calls, by_status[0][0], by_status[0][1], by_status[1][0], by_status[1][1], by_status[2][0],
           by_status[2][1], failures);
    return failures ? 1 : 0;
}
