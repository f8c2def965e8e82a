/* One credential handle, many threads, many connections at once (as
 * WinINet does with its process-wide credential): each thread connects,
 * echoes a little data, verifies it, closes; repeated. Resumption through
 * the shared session cache happens along the way.
 * usage: tls_shared_credential HOST PORT TARGET THREADS CONNECTIONS_PER_THREAD */
#include "sspi_tls_client.h"

static CredHandle shared_cred;
static const char *host;
static int port, per_thread;
static wchar_t target[256];
static volatile LONG failures, completed, resumed;

static DWORD WINAPI worker(void *arg)
{
    int i;
    for (i = 0; i < per_thread; i++) {
        struct tls_client c;
        char line[64], got[64];
        int n, len;
        SecPkgContext_SessionInfo si;
        memset(&c, 0, sizeof(c));
        c.sock = INVALID_SOCKET;
        c.cred = shared_cred; /* borrowed: not freed by this connection */
        c.sock = tls_client_tcp_connect(host, port);
        if (c.sock == INVALID_SOCKET || tls_client_handshake(&c, target)) {
            printf("FAIL: thread %d connection %d: %s\n", (int)(INT_PTR)arg, i, c.error);
            InterlockedIncrement(&failures);
            tls_client_disconnect(&c);
            continue;
        }
        if (QueryContextAttributesW(&c.ctx, SECPKG_ATTR_SESSION_INFO, &si) == SEC_E_OK &&
            (si.dwFlags & SSL_SESSION_RECONNECT))
            InterlockedIncrement(&resumed);
        len = snprintf(line, sizeof(line), "thread %d connection %d\n", (int)(INT_PTR)arg, i);
        if (tls_client_write(&c, line, (size_t)len)) { InterlockedIncrement(&failures); tls_client_disconnect(&c); continue; }
        for (n = 0; n < len;) {
            int r = tls_client_read(&c, got + n, sizeof(got) - (size_t)n);
            if (r <= 0) break;
            n += r;
        }
        if (n != len || memcmp(got, line, (size_t)len)) {
            printf("FAIL: thread %d connection %d: echo mismatch\n", (int)(INT_PTR)arg, i);
            InterlockedIncrement(&failures);
        } else {
            InterlockedIncrement(&completed);
        }
        tls_client_disconnect(&c);
        free(c.in);
        free(c.plain);
    }
    return 0;
}

int main(int argc, char **argv)
{
    SCH_CREDENTIALS sch;
    WSADATA wsa;
    HANDLE threads[64];
    int count, i;
    if (argc < 6) return 2;
    host = argv[1];
    port = atoi(argv[2]);
    MultiByteToWideChar(CP_ACP, 0, argv[3], -1, target, 256);
    count = atoi(argv[4]);
    per_thread = atoi(argv[5]);
    if (count < 1 || count > 64) return 2;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    memset(&sch, 0, sizeof(sch));
    sch.dwVersion = SCH_CREDENTIALS_VERSION;
    sch.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    if (AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_OUTBOUND, NULL, &sch, NULL, NULL,
                                  &shared_cred, NULL) != SEC_E_OK)
        return 1;
    for (i = 0; i < count; i++) threads[i] = CreateThread(NULL, 0, worker, (void *)(INT_PTR)i, 0, NULL);
    WaitForMultipleObjects((DWORD)count, threads, TRUE, INFINITE);
    FreeCredentialsHandle(&shared_cred);
    printf("%ld of %d connections verified on one credential, %ld resumed, %ld failures\n", completed,
           count * per_thread, resumed, failures);
    return failures || completed != count * per_thread ? 1 : 0;
}
