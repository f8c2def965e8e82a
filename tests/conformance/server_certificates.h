/*
 * Certificates with private keys for Schannel tests, made the ways Windows
 * programs get them: CertCreateSelfSignCertificate over a CAPI key
 * container (exportable or not, AT_KEYEXCHANGE or AT_SIGNATURE), and
 * PFXImportCertStore (with and without CRYPT_EXPORTABLE and
 * PKCS12_NO_PERSIST_KEY).
 *
 * The PFX files below were generated once for these tests with
 *   openssl req -x509 -newkey rsa:2048 -nodes -days 36500 -subj /CN=localhost
 *   openssl ecparam -name prime256v1 -genkey (same subject and lifetime)
 *   openssl pkcs12 -export -passout pass:wine
 * They protect nothing. Include after wine/test.h.
 */
#ifndef SERVER_CERTIFICATES_H
#define SERVER_CERTIFICATES_H

#include <windows.h>
#include <wincrypt.h>
#include <stdio.h>

#define TEST_PFX_PASSWORD L"wine"

/* RSA 2048, CN=localhost. */
static const char test_pfx_rsa_base64[] =
    "MIIJ3wIBAzCCCZUGCSqGSIb3DQEHAaCCCYYEggmCMIIJfjCCA/IGCSqGSIb3DQEHBqCCA+MwggPf"
    "AgEAMIID2AYJKoZIhvcNAQcBMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAh8w6RESC/N"
    "wQICCAAwDAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEELMtkVVZL/OMbR8DUc9/gTSAggNwXAFF"
    "bUT3sT+JG/1TIfPEvRQzsihKEOcXFeeF+iyUIgrPVmyJrP0w7CO0bw9zWheb4j1Ew7C8XF+8T6gQ"
    "9V/MzbEQgZCJx+Y784jkvlUBjEOATZsugFgdAn50KAxR3+tpRDfAEtlC832ym3fulPZMiSJUArmy"
    "penbgbVMRFtEWzIBkNuO58tinPw9gCix0jhcpEe8+wHvjlgRyZG/2d/Ythi+2XtJ9XY1bvaOnmWK"
    "thMlsOtMkrHVxvDPT62fqmrBdZwywmKYvACAUyrFd40aomI/Nt52PqAKszO/a7LKp7f6sCAjxyy3"
    "fpVPbhAHCShdyuEsdxcgtcJFqx85okw0a7doHV2BeURLglhrjACpji3SKXUak29VuxPWbGbuyvnc"
    "wTzUxlGWBXynXADPUS8LeW8vexylazs3eZY92uAga5SQl6mMik0+2SBw3FRylQ6TKOfE0+NPmX02"
    "/ChU8DXIJgRQBNQM/qjsEXNiqFaQTrc3jPwnDdpARk3rgQUfA1Lt3Dlu/abdRcoqYroIUdR1+8aA"
    "hN/BoPSrqnRVDJOqVXx5yICQO87wtFiJfFS9sfVf1B+1FFGbCqvcBPwH34JR3q8Oi0G+cPd7m0GJ"
    "9EmkLy1Mv9WoTMhFTuXVlRRq5TzHeFmwiwJ+VOmFvXz6DYjblYIbg4AasKPe2ycs6i13b5Ii+13l"
    "SmJsSatuIqSCYLLpfx3IptHaXFPi2aiKXzYbDno79m7ShS+fL5aIvaYhEpSzw1ZbC91nwOKD48o2"
    "vrOPvpnWQtqFCk0dyyhwHVtHRNXNbCAOGYj5i29xEvBVQ+Uqa8hSSQcalTne9yKNvxO/0fN7oIeL"
    "hanecYsnYGotGmDd0azNdt+bTudV6LcKHIcu1Qp/P6rdBsepTWVkRPdJPmMeerE7mxhm8RNXV7/3"
    "ZEYcej0pQtj04qVfHdiMfW8WcMiqe81JBYArqBDkha4m1iLWR83gBN4g0+myzJElE3oJGoyYCObc"
    "fbB7wgYwuaBCnpUeAk2ltqu5g0vXykfpFVs0eVtwB0oMdPMUY4X1MJyVnlF9qebfZqU5zR4sL0Ww"
    "spGPWf6NxD82rhp1QOBb53nTHwaGYdw59M2Enui4uOPfI+rrCzVheQDdR5cjqt2wmjeqCuDx/Upq"
    "n6540+In25zTa4JemmwcwoMuF6zg1DCCBYQGCSqGSIb3DQEHAaCCBXUEggVxMIIFbTCCBWkGCyqG"
    "SIb3DQEMCgECoIIFMTCCBS0wVwYJKoZIhvcNAQUNMEowKQYJKoZIhvcNAQUMMBwECP0aoJNAYsGS"
    "AgIIADAMBggqhkiG9w0CCQUAMB0GCWCGSAFlAwQBKgQQiBGK97VbjPF9c+0efgG8xASCBNCAHdIk"
    "Qlc2d8KVBmGAo6aylqEr8JuLMzW3JKioi0ZpHoDWv4TuBn9a2Jd2lMlGSRg+wrFhxqB13Dz2Lmty"
    "+dbMvkD/vkF6J2/JfpUYrlvudFYnFGBFJCQyXPOx6mcaI0WnpHc05Y7IXcZ8bfhi6umR0/VN/XJh"
    "4f/XUwbqdYVV2U+Gd6Vm+Dl6nLVTBg+YukG8jsRE0cVjq1yDN53sqWuE2YWiLNQ+HN5S9mOhIQIj"
    "4zhuK2LgjJplvNWn589bQ0hmBs6/C1q/Vr2bQAWDRbaIU+ku6YNO6+X6PipNClbdTZHrk9WVV41O"
    "bMe5reLb3N5x91g8zvVFdbcMujEB8+qHHO4HA/335FMrox2VJCEDpx8WI2epDPX4obcb8GpWmXNw"
    "RWD5bjNFl49qbbw9kKBUTYKljp97FvJCE4xMYb+LEKffu8vpINZbHikZNameCqIzHKhpICSOpniP"
    "FDvh0fx/CgZ27GsIIAavVlvkUoCE9tSKTDXLHTYfb2LMCsjHquoEv1xQFD535HnQ69s+GBzQ49db"
    "d36qJqLW9xgNODCL997VdkM08M/hcuUhNKUhZ+XzbRg7dRRqJb7mLi5M9KqkvsGN1LMw9z3iC1Cy"
    "m8Oe6bXDreOtHxQ6kBW+81ITXrkb/pSBqnTeqZ1MaPfG1joWV5hSYO8477FOeVIi9JooPTBbIXyh"
    "M37BLzGvd0xSQ8UrKQJSiMO05HKfYkhSnZohMk+PRfqiZmq+Xk8HchEdT8UjZszQXNcmco4eSdMA"
    "TaGI3OGVoZPYCFV3EUNoUyEb38jDkd4ZYBDJ1RzYxVE7Iaxmv0AuDi4b7+VGgpma04ZEjGMjtmpK"
    "TzKBTMZBIJvMcGeLMz6dGuNxTqIOs44cEZWYeEl3ciHkSuHPNgb/bIeiezD8jkd1zmHdQd0C1dW+"
    "mQvBqeX6RRficzCpl1PfPapdxf9ybTJm2vOOih7HcmSFo1LEJRR8DGbWwmmlk3JsFcHd2gH5za0Q"
    "eWxOmia3WCgfF/6pTBPGRRqzOByP7+qn8D7dGZPhkQrn8AUUL7o70/kH/BZNFZLctOrf9RYK4Oif"
    "T1tIPCiiWrT6oHuahimVdOruR407r0wLLxRIIYxGMy4LTzpDUBWXunmkjM2A1XxnbcmNOk0vdvej"
    "T2u+wf4MNSpSywE7dFE0+NcVqcjRMb2yx/gOODOxL4RsGCrktyHGfC6iJdkfb6YIVxRie1wnrp7I"
    "Dk4Do+WFhfOHH582uxSYFC+s0SAdMgFElqRmaob1ORtxCBt8PbEzcgOHFh8BmdKRCRu9SEsv96KJ"
    "miHUTYENHZiTerDR6RbEYeJkj+Yp9sgx0hUiqCzoJb0/pzTyF69uHx5QeY8wlFXYQX/ytNy0QzkO"
    "MpdiDjmWWf9J7F3DU0Bb/AfqNtJNpeQ2WL+q+sC7PzMmCeFMxTeffHWP8657gixUcWRFj2PNiR4G"
    "7K8PzoDe17hyYm9fs6EcbnVp+1BEsXdRdTJs5qvzDVEOAzyRuwmU8BOLQpz3vWm3filim49UOtXH"
    "OjGDuecSvIWfc7AY/Mz6/RFTYcwcLtzPp7J1hjMNr1WEW8X/YmYfaHoB1c952Tf6eRG6hsbcvree"
    "FlDy1SFkJdYuDwLytn6gfcvmJF8kXgC3GDG03opvyzElMCMGCSqGSIb3DQEJFTEWBBSRZPjcFnLo"
    "8BuGHPtXMc4cBtun9jBBMDEwDQYJYIZIAWUDBAIBBQAEIILswDmlIzy45g10W/1nAK/D3LTuMK6o"
    "aArZOsWvTXiEBAi3WteKF9xYtAICCAA="
;

/* ECDSA P-256, CN=localhost. */
static const char test_pfx_ecdsa_base64[] =
    "MIIEDAIBAzCCA8IGCSqGSIb3DQEHAaCCA7MEggOvMIIDqzCCAmIGCSqGSIb3DQEHBqCCAlMwggJP"
    "AgEAMIICSAYJKoZIhvcNAQcBMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAgp4XEffOw0"
    "8AICCAAwDAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEIl2jIOAkv5U2/wnIqjOj8OAggHgor9S"
    "4XpnPhcOCfgJyYbqW9TRBNH6SPTXZlYbsP5gKbHiKqa1gSCVGN2cSWirtUBiuMhIW8IyC6cP3rh9"
    "d3aZcFmRu4UFwFtmKvWlanhxVV7J/fHCBk3fMPDLiQVRi5ghYp2RssnUhZtuZNF4kWJGxAk3sWCm"
    "Ad/5b2FVsHAsZISa3p00vaBxfb+Qg5LWBxJIbN5eArNWnv1uj3onT/JgOVjgUeOvsB0s8EimGP5V"
    "8Rwy4Iqb0MJjxFiJXVljrCDhzDZHo/BkAywBlBmoQjWSpW4lQhIuuwLod0H5UpsnrCKSkNhY2nUf"
    "Poc40iV6F7CRySFQOXO+WrCZLvHM7hdW+a5I2QimGhgNF5nViqqy1uiZw8RsR1AE2kPBhFA8UH8v"
    "CM7gkV3sAJRYSFptyBewbATUvXucPke6ITuSFt4E4WhHnGjezmRKfXlDLrPO3WvRc7C7cN+J76Mu"
    "Ii3X3MGSvb6yYgI0hRBieNlQmztNilFKBfNitzTjWa5zabBeXAmJNk4q1pPbRmr8w/y2h8WBq8Jj"
    "/3fxLp2nzI0GwVfTZbXsWpZdhrkq7jDQ763bjtMMChQTKBxJxlORuGHg5OYL9510SOtaBQqZM/ph"
    "OJ+GBcNUaz5Pr0l3Q3rF3FzhdwhpMIIBQQYJKoZIhvcNAQcBoIIBMgSCAS4wggEqMIIBJgYLKoZI"
    "hvcNAQwKAQKgge8wgewwVwYJKoZIhvcNAQUNMEowKQYJKoZIhvcNAQUMMBwECMW7/I70v+VsAgII"
    "ADAMBggqhkiG9w0CCQUAMB0GCWCGSAFlAwQBKgQQwQ+K4Nes5ZX68SqMfSU7DQSBkF0nbiqz9eqc"
    "80ObadOMvEfSxiz2w0NJGzrXNIOpTYCfWZztac1GdYU3SvCvho1KQCfUxVP8Kb3ArNCitohxs7B9"
    "+jmsAvb6rtisbqHdn+m09VkTlshACaFgwaUvPAhxHP/4thKEkJApKXx/BnIsdFTPddZnKuC6IdRT"
    "13uB7md+o1ZCPIiDMC5zjj8tBKDWzTElMCMGCSqGSIb3DQEJFTEWBBQO+DkzAlq+4WXHYgV+YAAs"
    "wL12ojBBMDEwDQYJYIZIAWUDBAIBBQAEIOiOzu92O25qEy393myewyVhGSIsRlEUtdke1PciXPnq"
    "BAjHua0x/GjhmQICCAA="
;

/* A key container name unique to this process and call. */
static void test_container_name(WCHAR *name, size_t size)
{
    static LONG counter;
    swprintf(name, size, L"wine-secur32-test-%lu-%ld", GetCurrentProcessId(), InterlockedIncrement(&counter));
}

struct test_certificate {
    PCCERT_CONTEXT cert;
    HCERTSTORE store;      /* PFX imports: the store holding cert */
    WCHAR container[64];   /* CAPI container to delete, or empty */
};

static void free_test_certificate(struct test_certificate *t)
{
    HCRYPTPROV prov;
    if (t->cert) CertFreeCertificateContext(t->cert);
    if (t->store) CertCloseStore(t->store, 0);
    if (t->container[0])
        CryptAcquireContextW(&prov, t->container, MS_ENHANCED_PROV_W, PROV_RSA_FULL, CRYPT_DELETEKEYSET);
    memset(t, 0, sizeof(*t));
}

/* CN=localhost, self-signed, over a fresh RSA key in a CAPI container.
 * `key_flags` go to CryptGenKey (CRYPT_EXPORTABLE or 0); with
 * `no_key_info` the certificate does not point at its key. */
static BOOL make_self_signed(struct test_certificate *t, DWORD key_spec, DWORD key_flags, BOOL no_key_info)
{
    CRYPT_KEY_PROV_INFO info;
    CERT_NAME_BLOB subject;
    BYTE name[128];
    HCRYPTPROV prov;
    HCRYPTKEY key;

    memset(t, 0, sizeof(*t));
    test_container_name(t->container, ARRAY_SIZE(t->container));
    if (!CryptAcquireContextW(&prov, t->container, MS_ENHANCED_PROV_W, PROV_RSA_FULL, CRYPT_NEWKEYSET))
        return FALSE;
    if (!CryptGenKey(prov, key_spec, (2048 << 16) | key_flags, &key)) {
        CryptReleaseContext(prov, 0);
        return FALSE;
    }
    CryptDestroyKey(key);
    CryptReleaseContext(prov, 0);

    subject.pbData = name;
    subject.cbData = sizeof(name);
    if (!CertStrToNameW(X509_ASN_ENCODING, L"CN=localhost", CERT_X500_NAME_STR, NULL, name, &subject.cbData, NULL))
        return FALSE;
    memset(&info, 0, sizeof(info));
    info.pwszContainerName = t->container;
    info.pwszProvName = (WCHAR *)MS_ENHANCED_PROV_W;
    info.dwProvType = PROV_RSA_FULL;
    info.dwKeySpec = key_spec;
    t->cert = CertCreateSelfSignCertificate(0, &subject, no_key_info ? CERT_CREATE_SELFSIGN_NO_KEY_INFO : 0, &info,
                                            NULL, NULL, NULL, NULL);
    return t->cert != NULL;
}

/* The first certificate of an embedded PFX, imported with `flags`. */
static BOOL import_test_pfx(struct test_certificate *t, const char *base64, DWORD flags)
{
    CRYPT_DATA_BLOB pfx;
    BYTE der[4096];
    DWORD size = sizeof(der);

    memset(t, 0, sizeof(*t));
    if (!CryptStringToBinaryA(base64, 0, CRYPT_STRING_BASE64, der, &size, NULL, NULL)) return FALSE;
    pfx.pbData = der;
    pfx.cbData = size;
    t->store = PFXImportCertStore(&pfx, TEST_PFX_PASSWORD, flags);
    if (!t->store) return FALSE;
    t->cert = CertEnumCertificatesInStore(t->store, NULL); /* ours to free */
    return t->cert != NULL;
}

#endif
