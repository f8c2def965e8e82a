/* Connects through Schannel and prints every context attribute we
 * support, one "name: value" per line, so a test script can compare them
 * with what the server saw. Exits non-zero when a query that must work
 * fails or a result is malformed.
 * usage: tls_attributes_client HOST PORT TARGET [--sch-credentials] */
#include "sspi_tls_client.h"

static int failures;

#define CHECK_OK(call, what)                                                         \
    do {                                                                             \
        SECURITY_STATUS st_ = (call);                                                \
        if (st_ != SEC_E_OK) { printf("FAIL: %s: %08lx\n", what, st_); failures++; } \
    } while (0)

static void print_hex(const char *label, const BYTE *data, DWORD size)
{
    DWORD i;
    printf("%s: ", label);
    for (i = 0; i < size; i++) printf("%02x", data[i]);
    printf("\n");
}

static void print_bindings(const char *label, SecPkgContext_Bindings *b, const char *prefix)
{
    const BYTE *app = (const BYTE *)b->Bindings + b->Bindings->dwApplicationDataOffset;
    size_t n = strlen(prefix);
    if (b->BindingsLength != sizeof(SEC_CHANNEL_BINDINGS) + b->Bindings->cbApplicationDataLength ||
        b->Bindings->cbApplicationDataLength <= n || memcmp(app, prefix, n)) {
        printf("FAIL: %s malformed\n", label);
        failures++;
        return;
    }
    print_hex(label, app + n, b->Bindings->cbApplicationDataLength - (DWORD)n);
}

int main(int argc, char **argv)
{
    struct tls_client c;
    SCHANNEL_CRED cred;
    SCH_CREDENTIALS sch;
    wchar_t target[256];
    SecPkgContext_ConnectionInfo ci;
    SecPkgContext_ConnectionInfoEx cix;
    SecPkgContext_CipherInfo cipher;
    SecPkgContext_KeyInfoW kw;
    SecPkgContext_KeyInfoA ka;
    SecPkgContext_Sizes sizes;
    SecPkgContext_PackageInfoW pi;
    SecPkgContext_NegotiationInfoW ni;
    SecPkgContext_Bindings bindings;
    SecPkgContext_SessionInfo si;
    const CERT_CONTEXT *cert = NULL;
    SECURITY_STATUS st;

    if (argc < 4) return 2;
    MultiByteToWideChar(CP_ACP, 0, argv[3], -1, target, 256);
    memset(&cred, 0, sizeof(cred));
    cred.dwVersion = SCHANNEL_CRED_VERSION;
    cred.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    memset(&sch, 0, sizeof(sch));
    sch.dwVersion = SCH_CREDENTIALS_VERSION;
    sch.dwFlags = cred.dwFlags;
    if (tls_client_connect(&c, argv[1], atoi(argv[2]), target,
                           argc > 4 && !strcmp(argv[4], "--sch-credentials") ? (void *)&sch : (void *)&cred)) {
        printf("FAIL: %s\n", c.error);
        return 1;
    }

    CHECK_OK(QueryContextAttributesW(&c.ctx, SECPKG_ATTR_CONNECTION_INFO, &ci), "CONNECTION_INFO");
    printf("protocol: %s\ncalg cipher: %04x\ncipher strength: %lu\ncalg exchange: %04x\nexchange strength: %lu\n",
           tls_client_protocol_name(ci.dwProtocol), ci.aiCipher, ci.dwCipherStrength, ci.aiExch, ci.dwExchStrength);
    CHECK_OK(QueryContextAttributesW(&c.ctx, SECPKG_ATTR_CONNECTION_INFO_EX, &cix), "CONNECTION_INFO_EX");
    printf("cipher: %ls\nhash: %ls\nexchange: %ls\n", cix.szCipher, cix.szHash, cix.szExchange);
    CHECK_OK(QueryContextAttributesW(&c.ctx, SECPKG_ATTR_CIPHER_INFO, &cipher), "CIPHER_INFO");
    printf("suite: %ls 0x%04lx\ncertificate key: %ls\n", cipher.szCipherSuite, cipher.dwCipherSuite, cipher.szCertificate);

    CHECK_OK(QueryContextAttributesW(&c.ctx, SECPKG_ATTR_KEY_INFO, &kw), "KEY_INFO W");
    printf("key info: %ls %ls %lu\n", kw.sSignatureAlgorithmName, kw.sEncryptAlgorithmName, kw.KeySize);
    FreeContextBuffer(kw.sSignatureAlgorithmName);
    FreeContextBuffer(kw.sEncryptAlgorithmName);
    CHECK_OK(QueryContextAttributesA(&c.ctx, SECPKG_ATTR_KEY_INFO, &ka), "KEY_INFO A");
    printf("key info A: %s %s\n", ka.sSignatureAlgorithmName, ka.sEncryptAlgorithmName);
    FreeContextBuffer(ka.sSignatureAlgorithmName);
    FreeContextBuffer(ka.sEncryptAlgorithmName);

    CHECK_OK(QueryContextAttributesW(&c.ctx, SECPKG_ATTR_SIZES, &sizes), "SIZES");
    if (sizes.cbSecurityTrailer != c.sizes.cbTrailer) { printf("FAIL: SIZES trailer differs from STREAM_SIZES\n"); failures++; }
    CHECK_OK(QueryContextAttributesW(&c.ctx, SECPKG_ATTR_PACKAGE_INFO, &pi), "PACKAGE_INFO");
    printf("package: %ls\n", pi.PackageInfo->Name);
    FreeContextBuffer(pi.PackageInfo);
    CHECK_OK(QueryContextAttributesW(&c.ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni), "NEGOTIATION_INFO");
    printf("negotiation: %s\n", ni.NegotiationState == SECPKG_NEGOTIATION_COMPLETE ? "complete" : "other");
    FreeContextBuffer(ni.PackageInfo);
    CHECK_OK(QueryContextAttributesW(&c.ctx, SECPKG_ATTR_SESSION_INFO, &si), "SESSION_INFO");
    print_hex("session id", si.rgbSessionId, si.cbSessionId);

    CHECK_OK(QueryContextAttributesW(&c.ctx, SECPKG_ATTR_ENDPOINT_BINDINGS, &bindings), "ENDPOINT_BINDINGS");
    if (!failures) { print_bindings("tls-server-end-point", &bindings, "tls-server-end-point:"); FreeContextBuffer(bindings.Bindings); }
    st = QueryContextAttributesW(&c.ctx, SECPKG_ATTR_UNIQUE_BINDINGS, &bindings);
    if (st == SEC_E_OK) {
        print_bindings("tls-unique", &bindings, "tls-unique:");
        FreeContextBuffer(bindings.Bindings);
    } else {
        printf("tls-unique: unavailable %08lx\n", st);
    }
    CHECK_OK(QueryContextAttributesW(&c.ctx, SECPKG_ATTR_REMOTE_CERT_CHAIN, &cert), "REMOTE_CERT_CHAIN");
    if (cert) CertFreeCertificateContext(cert);
    st = QueryContextAttributesW(&c.ctx, 0x7fff, &sizes);
    if (st != SEC_E_UNSUPPORTED_FUNCTION) { printf("FAIL: unknown attribute returned %08lx\n", st); failures++; }

    tls_client_close(&c);
    printf("%d failures\n", failures);
    return failures ? 1 : 0;
}
