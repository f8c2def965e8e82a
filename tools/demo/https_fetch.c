/* The demo: fetches https://HOST:PORT/PATH through Schannel (our secur32
 * when run under tools/wine-secur32) with Windows' default certificate
 * validation, and prints what was negotiated.
 *
 * usage: https_fetch HOST PORT [PATH] [--tls13] */
#include "sspi_tls_client.h"

typedef const char *(WINAPI *build_info_fn)(void);

int main(int argc, char **argv)
{
    struct tls_client c;
    SCH_CREDENTIALS sch;
    SCHANNEL_CRED cred;
    SecPkgContext_ConnectionInfo info;
    SecPkgContext_CipherInfo cipher;
    const CERT_CONTEXT *peer = NULL;
    build_info_fn build_info;
    wchar_t target[256], subject[256];
    char request[512], page[8192];
    const char *path = "/";
    int use_tls13 = 0, i, total = 0, n;

    if (argc < 3) {
        fprintf(stderr, "usage: %s HOST PORT [PATH] [--tls13]\n", argv[0]);
        return 2;
    }
    for (i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--tls13")) use_tls13 = 1;
        else path = argv[i];
    }
    MultiByteToWideChar(CP_ACP, 0, argv[1], -1, target, 256);

    build_info = (build_info_fn)GetProcAddress(LoadLibraryA("secur32.dll"), "WineSecur32BuildInfo");
    printf("secur32:     %s\n", build_info ? build_info() : "not wine-secur32 (stock or Windows)");

    /* Windows 11 style: SCH_CREDENTIALS negotiates TLS 1.3 and 1.2;
     * SCHANNEL_CRED stays at TLS 1.2. Validation is the default (no
     * SCH_CRED_MANUAL_CRED_VALIDATION). */
    memset(&sch, 0, sizeof(sch));
    sch.dwVersion = SCH_CREDENTIALS_VERSION;
    sch.dwFlags = SCH_CRED_NO_DEFAULT_CREDS;
    memset(&cred, 0, sizeof(cred));
    cred.dwVersion = SCHANNEL_CRED_VERSION;
    cred.dwFlags = SCH_CRED_NO_DEFAULT_CREDS;

    printf("fetching:    https://%s:%s%s\n", argv[1], argv[2], path);
    if (tls_client_connect(&c, argv[1], atoi(argv[2]), target, use_tls13 ? (void *)&sch : (void *)&cred)) {
        printf("error:       %s\n", c.error);
        tls_client_close(&c);
        return 1;
    }
    if (QueryContextAttributesW(&c.ctx, SECPKG_ATTR_CONNECTION_INFO, &info) == SEC_E_OK)
        printf("protocol:    %s\n", tls_client_protocol_name(info.dwProtocol));
    if (QueryContextAttributesW(&c.ctx, SECPKG_ATTR_CIPHER_INFO, &cipher) == SEC_E_OK)
        printf("cipher:      %ls (0x%04lx)\n", cipher.szCipherSuite, cipher.dwCipherSuite);
    printf("stream sizes: header %lu, trailer %lu, max message %lu, buffers %lu\n", c.sizes.cbHeader,
           c.sizes.cbTrailer, c.sizes.cbMaximumMessage, c.sizes.cBuffers);
    if (QueryContextAttributesW(&c.ctx, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &peer) == SEC_E_OK && peer) {
        CertGetNameStringW(peer, CERT_NAME_SIMPLE_DISPLAY_TYPE, 0, NULL, subject, 256);
        printf("certificate: %ls (chain and host name verified by the default validation)\n", subject);
        CertFreeCertificateContext(peer);
    }

    snprintf(request, sizeof(request), "GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n", path, argv[1]);
    if (tls_client_write(&c, request, strlen(request))) {
        printf("error:       %s\n", c.error);
        tls_client_close(&c);
        return 1;
    }
    while (total < (int)sizeof(page) - 1 && (n = tls_client_read(&c, page + total, sizeof(page) - 1 - total)) > 0)
        total += n;
    page[total] = 0;
    if (total <= 0) {
        printf("error:       no response (%s)\n", c.error);
        tls_client_close(&c);
        return 1;
    }
    {
        char *eol = strstr(page, "\r\n");
        if (eol) *eol = 0;
        printf("response:    %s (%d bytes received)\n", page, total);
    }
    tls_client_close(&c);
    return strncmp(page, "HTTP/1.", 7) ? 1 : 0;
}
