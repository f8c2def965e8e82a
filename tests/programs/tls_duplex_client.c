/* One Schannel context, two threads: one only encrypts and sends, the
 * other only receives and decrypts (what Microsoft's EncryptMessage page
 * allows), against an echo server, with every byte verified.
 * usage: tls_duplex_client HOST PORT TARGET MEGABYTES [--sch-credentials] */
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
    tls_client_close(&client);
    return 0;
}
