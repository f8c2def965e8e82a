/* Server-side handshake rate for `make bench`: our AcceptSecurityContext
 * against our InitializeSecurityContext in one process (no sockets), a
 * CA-signed RSA-2048 certificate from a PFX (as run-bench makes it).
 * Handshakes/s counts only the time spent inside AcceptSecurityContext (the
 * server's work); the client's calls are timed apart and not counted.
 * Full: one server credential (as servers run), a new client credential
 * per connection so nothing resumes.
 * Resumed: one client credential for all connections.
 *
 * usage: server_bench PFXFILE PASSWORD
 * Output: `result win.server.tlsXX.hs_full N /s` lines for table.awk. */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef SECURITY_WIN32
#define SECURITY_WIN32
#endif
#define SCHANNEL_USE_BLACKLISTS
#include <sspi.h>
#include <schannel.h>

#include "bench_shared.h"

#ifndef PKCS12_NO_PERSIST_KEY
#define PKCS12_NO_PERSIST_KEY 0x00008000
#endif
#define ASC_FLAGS (ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT | ASC_REQ_CONFIDENTIALITY | \
                   ASC_REQ_EXTENDED_ERROR | ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_STREAM)
#define ISC_FLAGS (ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY | \
                   ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM | ISC_REQ_MANUAL_CRED_VALIDATION)
#define PIPE_SIZE 32768

static LARGE_INTEGER qpc_frequency;
static double now_seconds(void)
{
    LARGE_INTEGER t;
    QueryPerformanceCounter(&t);
    return (double)t.QuadPart / (double)qpc_frequency.QuadPart;
}

struct pipe {
    BYTE data[PIPE_SIZE];
    ULONG size;
};

static void keep_extra(struct pipe *p, const SecBuffer *extra)
{
    if (extra->BufferType == SECBUFFER_EXTRA && extra->cbBuffer <= p->size) {
        memmove(p->data, p->data + p->size - extra->cbBuffer, extra->cbBuffer);
        p->size = extra->cbBuffer;
    } else {
        p->size = 0;
    }
}

static int put(struct pipe *p, SecBuffer *token)
{
    if (token->pvBuffer && token->cbBuffer) {
        if (p->size + token->cbBuffer > PIPE_SIZE) return 0;
        memcpy(p->data + p->size, token->pvBuffer, token->cbBuffer);
        p->size += token->cbBuffer;
    }
    if (token->pvBuffer) FreeContextBuffer(token->pvBuffer);
    return 1;
}

static struct pipe to_server, to_client;

/* One connection; adds the seconds spent in AcceptSecurityContext to
 * *server_time. Returns 1 when both sides finished (and, for `resumed`,
 * the server resumed). */
static int connect_once(CredHandle *client_cred, CredHandle *server_cred, double *server_time, int *was_resumed)
{
    CtxtHandle client, server;
    int have_client = 0, have_server = 0, client_done = 0, server_done = 0, round, ok = 0;
    SECURITY_STATUS status;
    ULONG attrs;

    to_server.size = to_client.size = 0;
    for (round = 0; round < 16 && !(client_done && server_done); round++) {
        if (!client_done && (!have_client || to_client.size)) {
            SecBuffer in[2] = {{to_client.size, SECBUFFER_TOKEN, to_client.data}, {0, SECBUFFER_EMPTY, NULL}};
            SecBuffer out = {0, SECBUFFER_TOKEN, NULL};
            SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, in}, out_desc = {SECBUFFER_VERSION, 1, &out};
            status = InitializeSecurityContextA(client_cred, have_client ? &client : NULL, (SEC_CHAR *)"localhost",
                                                ISC_FLAGS, 0, 0, have_client ? &in_desc : NULL, 0, &client,
                                                &out_desc, &attrs, NULL);
            if (FAILED(status) && status != SEC_E_INCOMPLETE_MESSAGE) goto done;
            if (!have_client) have_client = 1;
            else if (status != SEC_E_INCOMPLETE_MESSAGE) keep_extra(&to_client, &in[1]);
            if (!put(&to_server, &out)) goto done;
            client_done = status == SEC_E_OK;
        }
        if (!server_done && to_server.size) {
            SecBuffer in[2] = {{to_server.size, SECBUFFER_TOKEN, to_server.data}, {0, SECBUFFER_EMPTY, NULL}};
            SecBuffer out = {0, SECBUFFER_TOKEN, NULL};
            SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, in}, out_desc = {SECBUFFER_VERSION, 1, &out};
            double start = now_seconds();
            status = AcceptSecurityContext(server_cred, have_server ? &server : NULL, &in_desc, ASC_FLAGS, 0, &server,
                                           &out_desc, &attrs, NULL);
            *server_time += now_seconds() - start;
            if (FAILED(status) && status != SEC_E_INCOMPLETE_MESSAGE) goto done;
            if (!FAILED(status)) have_server = 1;
            if (status != SEC_E_INCOMPLETE_MESSAGE) keep_extra(&to_server, &in[1]);
            if (!put(&to_client, &out)) goto done;
            server_done = status == SEC_E_OK;
        }
    }
    ok = client_done && server_done;
    if (ok) {
        SecPkgContext_SessionInfo info;
        memset(&info, 0, sizeof(info));
        QueryContextAttributesA(&server, SECPKG_ATTR_SESSION_INFO, &info);
        *was_resumed = (info.dwFlags & SSL_SESSION_RECONNECT) != 0;
        /* TLS 1.3 tickets from the server's last token: the client takes
         * them (DecryptMessage says SEC_I_RENEGOTIATE, then ISC). */
        while (to_client.size) {
            SecBuffer b[4] = {{to_client.size, SECBUFFER_DATA, to_client.data}, {0, SECBUFFER_EMPTY, NULL},
                              {0, SECBUFFER_EMPTY, NULL}, {0, SECBUFFER_EMPTY, NULL}};
            SecBufferDesc desc = {SECBUFFER_VERSION, 4, b};
            SecBuffer out = {0, SECBUFFER_TOKEN, NULL};
            SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, &out};
            if (DecryptMessage(&client, &desc, 0, NULL) != SEC_I_RENEGOTIATE) break;
            keep_extra(&to_client, &b[3]);
            InitializeSecurityContextA(client_cred, &client, (SEC_CHAR *)"localhost", ISC_FLAGS, 0, 0, NULL, 0, NULL,
                                       &out_desc, &attrs, NULL);
            if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
        }
    }
done:
    if (have_client) DeleteSecurityContext(&client);
    if (have_server) DeleteSecurityContext(&server);
    return ok;
}

static SECURITY_STATUS acquire_client(int tls13, CredHandle *cred)
{
    SCH_CREDENTIALS sch;
    TLS_PARAMETERS params;
    memset(&sch, 0, sizeof(sch));
    memset(&params, 0, sizeof(params));
    sch.dwVersion = SCH_CREDENTIALS_VERSION;
    sch.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    params.grbitDisabledProtocols = tls13 ? SP_PROT_TLS1_2_CLIENT : SP_PROT_TLS1_3_CLIENT;
    sch.cTlsParameters = 1;
    sch.pTlsParameters = &params;
    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &sch, NULL, NULL,
                                     cred, NULL);
}

static void bench(CredHandle *server_cred, int tls13, int resumed)
{
    const char *proto = tls13 ? "tls13" : "tls12", *kind = resumed ? "hs_resumed" : "hs_full";
    CredHandle client_cred;
    double best = 0;
    int round, all_resumed = 1, was_resumed = 0;

    if (resumed) {
        double ignored = 0;
        if (acquire_client(tls13, &client_cred) != SEC_E_OK ||
            !connect_once(&client_cred, server_cred, &ignored, &was_resumed)) {
            printf("na win.server.%s.%s first handshake failed\n", proto, kind);
            return;
        }
    }
    for (round = 0; round < BENCH_ROUNDS; round++) {
        double start = now_seconds(), server_time = 0;
        int n = 0;
        do {
            if (!resumed && acquire_client(tls13, &client_cred) != SEC_E_OK) goto failed;
            if (!connect_once(&client_cred, server_cred, &server_time, &was_resumed)) goto failed;
            if (was_resumed != resumed) all_resumed = 0;
            if (!resumed) FreeCredentialsHandle(&client_cred);
            n++;
        } while (now_seconds() - start < BENCH_HANDSHAKE_WINDOW_MS / 1000.0);
        if (server_time > 0 && n / server_time > best) best = n / server_time;
    }
    if (resumed) FreeCredentialsHandle(&client_cred);
    if (!all_resumed)
        printf("na win.server.%s.%s the server %s\n", proto, kind, resumed ? "did not resume" : "resumed");
    else
        printf("result win.server.%s.%s %.1f /s\n", proto, kind, best);
    return;
failed:
    printf("na win.server.%s.%s handshake failed\n", proto, kind);
}

int main(int argc, char **argv)
{
    WCHAR password[128];
    CRYPT_DATA_BLOB pfx;
    HANDLE file;
    HCERTSTORE store;
    PCCERT_CONTEXT cert;
    SCH_CREDENTIALS sch;
    CredHandle server_cred;
    DWORD size;
    int tls13;

    if (argc < 3) {
        fprintf(stderr, "usage: server_bench PFXFILE PASSWORD\n");
        return 2;
    }
    QueryPerformanceFrequency(&qpc_frequency);
    file = CreateFileA(argv[1], GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (file == INVALID_HANDLE_VALUE) return 1;
    size = GetFileSize(file, NULL);
    pfx.pbData = malloc(size);
    pfx.cbData = size;
    if (!pfx.pbData || !ReadFile(file, pfx.pbData, size, &size, NULL)) return 1;
    CloseHandle(file);
    MultiByteToWideChar(CP_ACP, 0, argv[2], -1, password, 128);
    store = PFXImportCertStore(&pfx, password, CRYPT_EXPORTABLE | PKCS12_NO_PERSIST_KEY);
    cert = store ? CertFindCertificateInStore(store, X509_ASN_ENCODING, 0, CERT_FIND_SUBJECT_STR_W, L"localhost", NULL)
                 : NULL;
    memset(&sch, 0, sizeof(sch));
    sch.dwVersion = SCH_CREDENTIALS_VERSION;
    sch.cCreds = 1;
    sch.paCred = &cert;
    if (!cert || AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, &sch, NULL, NULL,
                                           &server_cred, NULL) != SEC_E_OK) {
        printf("na win.server no server credential (PFX import or AcquireCredentialsHandle failed)\n");
        return 1;
    }
    for (tls13 = 0; tls13 < 2; tls13++) {
        bench(&server_cred, tls13, 0);
        bench(&server_cred, tls13, 1);
    }
    FreeCredentialsHandle(&server_cred);
    CertFreeCertificateContext(cert);
    CertCloseStore(store, 0);
    return 0;
}
