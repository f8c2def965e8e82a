/* Adds a CA certificate (PEM file) to the current user's Root store of the
 * Wine prefix, or removes it again: how our tests and the demo make a
 * generated CA trusted without touching the system.
 *
 * usage: trust_ca add|remove FILE.pem */
#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static BYTE *read_pem_as_der(const char *path, DWORD *der_len)
{
    FILE *f = fopen(path, "rb");
    char *pem;
    long size;
    BYTE *der;
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    pem = (char *)malloc((size_t)size + 1);
    if (!pem || fread(pem, 1, (size_t)size, f) != (size_t)size) { fclose(f); free(pem); return NULL; }
    fclose(f);
    pem[size] = 0;
    *der_len = 0;
    if (!CryptStringToBinaryA(pem, 0, CRYPT_STRING_BASE64HEADER, NULL, der_len, NULL, NULL)) { free(pem); return NULL; }
    der = (BYTE *)malloc(*der_len);
    if (!der || !CryptStringToBinaryA(pem, 0, CRYPT_STRING_BASE64HEADER, der, der_len, NULL, NULL)) {
        free(pem);
        free(der);
        return NULL;
    }
    free(pem);
    return der;
}

int main(int argc, char **argv)
{
    DWORD len;
    BYTE *der;
    if (argc != 3 || (strcmp(argv[1], "add") && strcmp(argv[1], "remove"))) {
        fprintf(stderr, "usage: %s add|remove FILE.pem\n", argv[0]);
        return 2;
    }
    der = read_pem_as_der(argv[2], &len);
    if (!der) {
        fprintf(stderr, "cannot read a PEM certificate from %s\n", argv[2]);
        return 1;
    }
    if (!strcmp(argv[1], "add")) {
        if (!CertAddEncodedCertificateToSystemStoreA("Root", der, len)) {
            fprintf(stderr, "adding to Root failed: %lu\n", GetLastError());
            return 1;
        }
        printf("trusted %s\n", argv[2]);
    } else {
        HCERTSTORE store = CertOpenStore(CERT_STORE_PROV_SYSTEM_A, 0, 0, CERT_SYSTEM_STORE_CURRENT_USER, "Root");
        PCCERT_CONTEXT wanted = CertCreateCertificateContext(X509_ASN_ENCODING, der, len), found;
        if (!store || !wanted) return 1;
        while ((found = CertFindCertificateInStore(store, X509_ASN_ENCODING, 0, CERT_FIND_EXISTING, wanted, NULL)))
            CertDeleteCertificateFromStore(found);
        CertFreeCertificateContext(wanted);
        CertCloseStore(store, 0);
        printf("removed %s\n", argv[2]);
    }
    free(der);
    return 0;
}
