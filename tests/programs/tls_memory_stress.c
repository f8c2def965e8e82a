/* Many connections in one process, memory measured: handshakes (TLS 1.2
 * and 1.3, mostly resumed through two shared credentials, every 50th
 * with a credential of its own, i.e. a full handshake), an echoed and
 * verified transfer, attribute queries, close_notify, context deletion.
 *
 * Private memory is read after WARMUP connections and at the end; growth
 * beyond BOUND_KB fails the run. Wine 8's GetProcessMemoryInfo reports
 * PrivateUsage 0 and a stale working set, so we measure what it would
 * mean: the process's anonymous resident memory (RssAnon in
 * /proc/self/status, through Wine's Z: drive), which holds the PE heaps
 * and the Unix side's GnuTLS heap alike; and, as a second number, the
 * committed private pages of the Windows address space (VirtualQuery).
 * usage: tls_memory_stress HOST PORT TARGET CONNECTIONS WARMUP BOUND_KB */
#include "sspi_tls_client.h"

static char status_path[64];

/* Reads a /proc file through Wine's Z: drive into `text`. */
static int read_proc(const char *path, char *text, DWORD size)
{
    DWORD got = 0;
    HANDLE f = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    if (f == INVALID_HANDLE_VALUE) return -1;
    ReadFile(f, text, size - 1, &got, NULL);
    CloseHandle(f);
    text[got] = 0;
    return 0;
}

/* Finds our Unix process: wineserver opens files for us, so /proc/self
 * would be the server; Wine names our process after the exe (first 15
 * characters, as Linux keeps them), so look for that name. */
static int find_own_status(void)
{
    char exe[MAX_PATH], *base, want[32], path[64], text[4096];
    WIN32_FIND_DATAA fd;
    HANDLE h;
    int found = 0;
    GetModuleFileNameA(NULL, exe, sizeof(exe));
    base = strrchr(exe, '\\') ? strrchr(exe, '\\') + 1 : exe;
    snprintf(want, sizeof(want), "Name:\t%.15s\n", base);
    h = FindFirstFileA("Z:\\proc\\*", &fd);
    if (h == INVALID_HANDLE_VALUE) return -1;
    do {
        if (fd.cFileName[0] < '1' || fd.cFileName[0] > '9') continue;
        snprintf(path, sizeof(path), "Z:\\proc\\%s\\status", fd.cFileName);
        if (read_proc(path, text, sizeof(text)) || strncmp(text, want, strlen(want))) continue;
        strcpy(status_path, path);
        found++;
    } while (FindNextFileA(h, &fd));
    FindClose(h);
    return found == 1 ? 0 : -1;
}

/* RssAnon of this process in bytes, 0 if unknown. */
static unsigned long long anonymous_resident(void)
{
    char text[4096], *line;
    if (!status_path[0] || read_proc(status_path, text, sizeof(text))) return 0;
    line = strstr(text, "RssAnon:");
    return line ? strtoull(line + 8, NULL, 10) * 1024 : 0;
}

/* Committed private memory of the Windows address space, in bytes. */
static unsigned long long committed_private(void)
{
    MEMORY_BASIC_INFORMATION mbi;
    unsigned long long total = 0;
    char *p = NULL;
    while (VirtualQuery(p, &mbi, sizeof(mbi)) == sizeof(mbi)) {
        if (mbi.State == MEM_COMMIT && mbi.Type == MEM_PRIVATE) total += mbi.RegionSize;
        p = (char *)mbi.BaseAddress + mbi.RegionSize;
        if ((ULONG_PTR)p < (ULONG_PTR)mbi.BaseAddress) break; /* wrapped */
    }
    return total;
}

static int one_connection(struct tls_client *c, const char *host, int port, const wchar_t *target, int index)
{
    unsigned char out[1024], in[1024];
    SecPkgContext_ConnectionInfo info;
    PCCERT_CONTEXT cert = NULL;
    int i, n;
    c->sock = tls_client_tcp_connect(host, port);
    if (c->sock == INVALID_SOCKET) { snprintf(c->error, sizeof(c->error), "cannot connect"); return -1; }
    {
        DWORD ms = 20000; /* a stuck peer fails the run instead of hanging it */
        setsockopt(c->sock, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof(ms));
    }
    if (tls_client_handshake(c, target)) return -1;
    if (QueryContextAttributesW(&c->ctx, SECPKG_ATTR_CONNECTION_INFO, &info) != SEC_E_OK) {
        snprintf(c->error, sizeof(c->error), "CONNECTION_INFO failed");
        return -1;
    }
    if (QueryContextAttributesW(&c->ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &cert) != SEC_E_OK || !cert) {
        snprintf(c->error, sizeof(c->error), "REMOTE_CERT_CONTEXT failed");
        return -1;
    }
    CertFreeCertificateContext(cert);
    /* Text lines: gnutls-serv --echo treats what it gets as strings. */
    for (i = 0; i < (int)sizeof(out); i++)
        out[i] = i % 100 == 99 || i == (int)sizeof(out) - 1 ? '\n' : (unsigned char)('a' + (i * 7 + index) % 26);
    if (tls_client_write(c, out, sizeof(out))) return -1;
    for (n = 0; n < (int)sizeof(in);) {
        int r = tls_client_read(c, in + n, sizeof(in) - (size_t)n);
        if (r <= 0) { snprintf(c->error, sizeof(c->error), "read returned %d", r); return -1; }
        n += r;
    }
    if (memcmp(in, out, sizeof(out))) { snprintf(c->error, sizeof(c->error), "echo mismatch"); return -1; }
    return 0;
}

int main(int argc, char **argv)
{
    SCHANNEL_CRED cred12;
    SCH_CREDENTIALS cred13;
    struct tls_client shared[2];
    WSADATA wsa;
    wchar_t target[256];
    const char *host;
    int port, total, warmup, i, failures = 0, resumed = 0;
    long bound_kb;
    unsigned long long start = 0, end, start_pe = 0, end_pe;
    if (argc < 7) return 2;
    host = argv[1];
    port = atoi(argv[2]);
    MultiByteToWideChar(CP_ACP, 0, argv[3], -1, target, 256);
    total = atoi(argv[4]);
    warmup = atoi(argv[5]);
    bound_kb = atol(argv[6]);
    if (warmup >= total) return 2;
    WSAStartup(MAKEWORD(2, 2), &wsa);
    if (find_own_status()) {
        printf("FAIL: cannot find this process under /proc (one process named after the exe)\n");
        return 1;
    }

    memset(&cred12, 0, sizeof(cred12));
    cred12.dwVersion = SCHANNEL_CRED_VERSION;
    cred12.grbitEnabledProtocols = SP_PROT_TLS1_2_CLIENT;
    cred12.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    memset(&cred13, 0, sizeof(cred13));
    cred13.dwVersion = SCH_CREDENTIALS_VERSION;
    cred13.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    memset(shared, 0, sizeof(shared));
    if (tls_client_acquire(&shared[0], &cred12) || tls_client_acquire(&shared[1], &cred13)) {
        printf("FAIL: AcquireCredentialsHandle\n");
        return 1;
    }

    for (i = 0; i < total; i++) {
        struct tls_client c;
        SecPkgContext_SessionInfo si;
        int own = i % 50 == 49;
        if (i == warmup) {
            start = anonymous_resident();
            start_pe = committed_private();
        }
        memset(&c, 0, sizeof(c));
        c.sock = INVALID_SOCKET;
        if (own) {
            if (tls_client_acquire(&c, i % 2 ? (void *)&cred13 : (void *)&cred12)) { failures++; continue; }
        } else {
            c.cred = shared[i % 2].cred; /* borrowed */
        }
        if (one_connection(&c, host, port, target, i)) {
            printf("FAIL: connection %d: %s\n", i, c.error);
            failures++;
        } else if (QueryContextAttributesW(&c.ctx, SECPKG_ATTR_SESSION_INFO, &si) == SEC_E_OK &&
                   (si.dwFlags & SSL_SESSION_RECONNECT)) {
            resumed++;
        }
        tls_client_disconnect(&c);
        if (own) FreeCredentialsHandle(&c.cred);
        free(c.in);
        free(c.plain);
        if (failures > 10) break;
    }
    end = anonymous_resident();
    end_pe = committed_private();
    FreeCredentialsHandle(&shared[0].cred);
    FreeCredentialsHandle(&shared[1].cred);
    printf("%d connections (%d resumed, %d failures); anonymous resident memory after %d: %llu KB, at the end: "
           "%llu KB, growth %lld KB (bound %ld KB); committed private (Windows view): %llu KB -> %llu KB\n",
           total, resumed, failures, warmup, start / 1024, end / 1024, ((long long)end - (long long)start) / 1024,
           bound_kb, start_pe / 1024, end_pe / 1024);
    if (failures) return 1;
    if (!start || !end) { printf("FAIL: /proc/self/status gave no RssAnon\n"); return 1; }
    if ((long long)end - (long long)start > (long long)bound_kb * 1024) {
        printf("FAIL: memory grew beyond the bound\n");
        return 1;
    }
    return 0;
}
