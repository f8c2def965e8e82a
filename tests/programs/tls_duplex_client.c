/* One Schannel context, two threads: one only encrypts and sends, the
 * other only receives and decrypts (what Microsoft's EncryptMessage page
 * allows), against an echo server, with every byte verified.
 * usage: tls_duplex_client HOST PORT TARGET MEGABYTES [--sch-credentials] [--delete-race]
 * --delete-race: after the transfer, two threads keep encrypting and
 * decrypting on the context while the main thread deletes it; both must
 * then get SEC_E_INVALID_HANDLE (handles are reference counted: no crash,
 * no use of freed memory). */
#include "sspi_tls_client.h"

static struct tls_client client;
static size_t total_bytes;
static volatile LONG sender_failed;

/* The same newline-terminated pattern as tls_echo_client (gnutls-serv
 * echoes line by line). */
static unsigned char pattern_byte(size_t pos)
{
    return pos % 100 == 99 ? '\n' : (unsigned char)('a' + (pos * 7 + pos / 100) % 26);
}

static volatile LONG race_stop;
static SECURITY_STATUS race_status[2];

/* Encrypts (which = 0) or decrypts (1) in a loop until the context goes. */
static DWORD WINAPI racer(void *arg)
{
    int which = (int)(INT_PTR)arg;
    unsigned char buf[256];
    int i;
    while (!race_stop) {
        SecBuffer b[4];
        SecBufferDesc d = {SECBUFFER_VERSION, 4, b};
        SECURITY_STATUS st;
        for (i = 0; i < 4; i++) { b[i].BufferType = SECBUFFER_EMPTY; b[i].pvBuffer = NULL; b[i].cbBuffer = 0; }
        if (which == 0) {
            b[0].BufferType = SECBUFFER_STREAM_HEADER; b[0].pvBuffer = buf; b[0].cbBuffer = client.sizes.cbHeader;
            b[1].BufferType = SECBUFFER_DATA; b[1].pvBuffer = buf + 32; b[1].cbBuffer = 16;
            b[2].BufferType = SECBUFFER_STREAM_TRAILER; b[2].pvBuffer = buf + 64; b[2].cbBuffer = client.sizes.cbTrailer;
            st = EncryptMessage(&client.ctx, 0, &d, 0);
        } else {
            /* Too short to be a record: INCOMPLETE until the handle dies. */
            buf[0] = 0x17; /* application_data, TLS 1.2 record version: a valid partial header */
            buf[1] = 0x03;
            buf[2] = 0x03;
            b[0].BufferType = SECBUFFER_DATA; b[0].pvBuffer = buf; b[0].cbBuffer = 3;
            st = DecryptMessage(&client.ctx, &d, 0, NULL);
        }
        if (st == SEC_E_INVALID_HANDLE) { race_status[which] = st; return 0; }
        if (st != SEC_E_OK && st != SEC_E_INCOMPLETE_MESSAGE) { race_status[which] = st; return 1; }
    }
    race_status[which] = SEC_E_OK;
    return 0;
}

static DWORD WINAPI sender(void *arg)
{
    unsigned char buf[16384];
    size_t sent = 0, i;
    while (sent < total_bytes) {
        size_t n = total_bytes - sent < sizeof(buf) ? total_bytes - sent : sizeof(buf);
        for (i = 0; i < n; i++) buf[i] = pattern_byte(sent + i);
        if (tls_client_write(&client, buf, n)) {
            printf("FAIL: sender: %s\n", client.error);
            InterlockedExchange(&sender_failed, 1);
            return 1;
        }
        sent += n;
    }
    return 0;
}

int main(int argc, char **argv)
{
    SCHANNEL_CRED cred;
    SCH_CREDENTIALS sch;
    wchar_t target[256];
    unsigned char buf[65536];
    size_t received = 0;
    HANDLE thread;
    int k;

    if (argc < 5) return 2;
    MultiByteToWideChar(CP_ACP, 0, argv[3], -1, target, 256);
    total_bytes = (size_t)atoi(argv[4]) << 20;
    memset(&cred, 0, sizeof(cred));
    cred.dwVersion = SCHANNEL_CRED_VERSION;
    cred.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    memset(&sch, 0, sizeof(sch));
    sch.dwVersion = SCH_CREDENTIALS_VERSION;
    sch.dwFlags = cred.dwFlags;
    if (tls_client_connect(&client, argv[1], atoi(argv[2]), target,
                           argc > 5 && !strcmp(argv[5], "--sch-credentials") ? (void *)&sch : (void *)&cred)) {
        printf("FAIL: %s\n", client.error);
        return 1;
    }
    thread = CreateThread(NULL, 0, sender, NULL, 0, NULL);
    while (received < total_bytes && !sender_failed) {
        int n = tls_client_read(&client, buf, sizeof(buf));
        if (n <= 0) {
            printf("FAIL: receiver: read returned %d after %lu bytes: %s\n", n, (unsigned long)received, client.error);
            return 1;
        }
        for (k = 0; k < n; k++)
            if (buf[k] != pattern_byte(received + k)) {
                printf("FAIL: byte %lu differs\n", (unsigned long)(received + k));
                return 1;
            }
        received += (size_t)n;
    }
    WaitForSingleObject(thread, INFINITE);
    if (sender_failed) return 1;
    printf("%lu bytes sent and received concurrently on one context, all verified\n", (unsigned long)received);
    if (argc > 5 && !strcmp(argv[argc - 1], "--delete-race")) {
        HANDLE racers[2];
        racers[0] = CreateThread(NULL, 0, racer, (void *)0, 0, NULL);
        racers[1] = CreateThread(NULL, 0, racer, (void *)1, 0, NULL);
        Sleep(200);
        if (DeleteSecurityContext(&client.ctx) != SEC_E_OK) { printf("FAIL: DeleteSecurityContext\n"); return 1; }
        client.have_ctx = 0;
        if (WaitForMultipleObjects(2, racers, TRUE, 10000) != WAIT_OBJECT_0) {
            race_stop = 1;
            printf("FAIL: the racing threads did not see the deletion\n");
            return 1;
        }
        if (race_status[0] != SEC_E_INVALID_HANDLE || race_status[1] != SEC_E_INVALID_HANDLE) {
            printf("FAIL: after deletion: encrypt %08lx, decrypt %08lx\n", race_status[0], race_status[1]);
            return 1;
        }
        printf("DeleteSecurityContext during EncryptMessage/DecryptMessage: both got SEC_E_INVALID_HANDLE\n");
    }
    tls_client_close(&client);
    return 0;
}
