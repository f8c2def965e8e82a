/* Certificate validation results are remembered per process (a chain build
 * takes milliseconds under Wine): reusing one must never let through what
 * a fresh validation rejects. In one process, one credential:
 *   localhost on the good server          accepted
 *   wrong.example on the same server      SEC_E_WRONG_PRINCIPAL (same chain)
 *   localhost on the good server again    accepted
 *   localhost on the expired server       SEC_E_CERT_EXPIRED (same key, other chain)
 * usage: validation_reuse_client HOST GOOD_PORT EXPIRED_PORT */
#include "sspi_tls_client.h"

static int step(struct tls_client *c, const char *host, int port, const wchar_t *target, SECURITY_STATUS expected,
                const char *what)
{
    SECURITY_STATUS got;
    c->last_status = SEC_E_OK;
    if (tls_client_reconnect(c, host, port, target) == 0) got = SEC_E_OK;
    else got = c->last_status;
    printf("%s: %08lx (expected %08lx)%s\n", what, (unsigned long)got, (unsigned long)expected,
           got == expected ? "" : " FAIL");
    if (got == SEC_E_OK) {
        /* Use the connection, so a wrongly accepted one is really up. */
        unsigned char line[] = "ping\n", back[5];
        if (tls_client_write(c, line, 5) || tls_client_read(c, back, 5) != 5) printf("%s: echo failed\n", what);
    }
    return got == expected ? 0 : 1;
}

int main(int argc, char **argv)
{
    SCHANNEL_CRED cred;
    struct tls_client c;
    int failures = 0, good, expired;
    WSADATA wsa;
    if (argc != 4) {
        fprintf(stderr, "usage: validation_reuse_client HOST GOOD_PORT EXPIRED_PORT\n");
        return 2;
    }
    good = atoi(argv[2]);
    expired = atoi(argv[3]);
    WSAStartup(MAKEWORD(2, 2), &wsa);
    memset(&c, 0, sizeof(c));
    c.sock = INVALID_SOCKET;
    memset(&cred, 0, sizeof(cred));
    cred.dwVersion = SCHANNEL_CRED_VERSION;
    cred.grbitEnabledProtocols = SP_PROT_TLS1_2_CLIENT;
    if (tls_client_acquire(&c, &cred)) {
        printf("FAIL: %s\n", c.error);
        return 1;
    }
    failures += step(&c, argv[1], good, L"localhost", SEC_E_OK, "good server, localhost");
    failures += step(&c, argv[1], good, L"wrong.example", SEC_E_WRONG_PRINCIPAL, "good server, wrong.example");
    failures += step(&c, argv[1], good, L"localhost", SEC_E_OK, "good server, localhost again");
    failures += step(&c, argv[1], expired, L"localhost", SEC_E_CERT_EXPIRED, "expired server, localhost");
    failures += step(&c, argv[1], good, L"wrong.example", SEC_E_WRONG_PRINCIPAL, "good server, wrong.example again");
    tls_client_close(&c);
    printf("%s\n", failures ? "FAIL" : "ok");
    return failures ? 1 : 0;
}
