#include "certificate_key.h"

#include <cstring>
#include <vector>

#include <gnutls/abstract.h>

#include "../unixlib_calls.h"
#include "external_signing.h"

namespace secur32::unix_side {

namespace {

/* More certificates than any real chain has; a bound on what a corrupt
 * blob can make us allocate. */
constexpr size_t max_chain_certificates = 16;

/* Reads [uint32 length][bytes] fields off a blob, refusing any length that
 * runs past its end. */
class field_reader {
public:
    field_reader(const uint8_t *data, size_t size) : data_(data), size_(size) {}
    bool at_end() const { return pos_ == size_; }
    bool next(gnutls_datum_t &out)
    {
        uint32_t len;
        if (size_ - pos_ < sizeof(len)) return false;
        memcpy(&len, data_ + pos_, sizeof(len));
        pos_ += sizeof(len);
        if (size_ - pos_ < len) return false;
        out.data = const_cast<uint8_t *>(data_ + pos_);
        out.size = len;
        pos_ += len;
        return true;
    }

private:
    const uint8_t *data_;
    size_t size_;
    size_t pos_ = 0;
};

gnutls_ecc_curve_t gnutls_curve(uint32_t curve)
{
    switch (curve) {
    case tls_curve_p256: return GNUTLS_ECC_CURVE_SECP256R1;
    case tls_curve_p384: return GNUTLS_ECC_CURVE_SECP384R1;
    case tls_curve_p521: return GNUTLS_ECC_CURVE_SECP521R1;
    default: return GNUTLS_ECC_CURVE_INVALID;
    }
}

int import_private_key(const uint8_t *blob, size_t size, x509_private_key_owner &out)
{
    tls_key_header header;
    if (!blob || size < sizeof(header)) return GNUTLS_E_INVALID_REQUEST;
    memcpy(&header, blob, sizeof(header));
    field_reader reader(blob + sizeof(header), size - sizeof(header));

    gnutls_x509_privkey_t key;
    int ret = gnutls_x509_privkey_init(&key);
    if (ret < 0) return ret;
    out.reset(key);

    if (header.type == tls_key_rsa) {
        gnutls_datum_t n, e, d, p, q, e1, e2, u;
        if (!reader.next(n) || !reader.next(e) || !reader.next(d) || !reader.next(p) || !reader.next(q) ||
            !reader.next(e1) || !reader.next(e2) || !reader.next(u) || !reader.at_end())
            return GNUTLS_E_INVALID_REQUEST;
        return gnutls_x509_privkey_import_rsa_raw2(key, &n, &e, &d, &p, &q, &u, &e1, &e2);
    }
    if (header.type == tls_key_ecdsa) {
        gnutls_ecc_curve_t curve = gnutls_curve(header.curve);
        gnutls_datum_t x, y, k;
        if (curve == GNUTLS_ECC_CURVE_INVALID) return GNUTLS_E_ECC_UNSUPPORTED_CURVE;
        if (!reader.next(x) || !reader.next(y) || !reader.next(k) || !reader.at_end()) return GNUTLS_E_INVALID_REQUEST;
        return gnutls_x509_privkey_import_ecc_raw(key, curve, &x, &y, &k);
    }
    return GNUTLS_E_UNKNOWN_PK_ALGORITHM;
}

/* A key the PE side signs with: the chain as pcerts and a GnuTLS key whose
 * sign callback pauses the handshake (external_signing.h). */
int load_external_key(gnutls_certificate_credentials_t certificates, const std::vector<gnutls_datum_t> &chain)
{
    std::vector<gnutls_pcert_st> pcerts(chain.size());
    size_t imported = 0;
    auto release = [&] {
        for (size_t i = 0; i < imported; i++) gnutls_pcert_deinit(&pcerts[i]);
    };
    int ret = 0;
    for (; imported < chain.size(); imported++)
        if ((ret = gnutls_pcert_import_x509_raw(&pcerts[imported], &chain[imported], GNUTLS_X509_FMT_DER, 0)) < 0) {
            release();
            return ret;
        }
    unsigned int bits = 0;
    if (gnutls_pubkey_get_pk_algorithm(pcerts[0].pubkey, &bits) != GNUTLS_PK_RSA) {
        release();
        return GNUTLS_E_CERTIFICATE_KEY_MISMATCH;
    }
    gnutls_privkey_t key = nullptr;
    if ((ret = gnutls_privkey_init(&key)) < 0) {
        release();
        return ret;
    }
    if ((ret = signing_channel::import_external_rsa_key(key, bits)) < 0) {
        gnutls_privkey_deinit(key);
        release();
        return ret;
    }
    /* The match check would sign test data outside any handshake. */
    gnutls_certificate_set_flags(certificates, GNUTLS_CERTIFICATE_SKIP_KEY_CERT_MATCH);
    /* On success the credentials own the pcerts' contents and the key. */
    ret = gnutls_certificate_set_key(certificates, nullptr, 0, pcerts.data(), int(pcerts.size()), key);
    if (ret < 0) {
        gnutls_privkey_deinit(key);
        release();
        return ret;
    }
    return 0;
}

} // namespace

bool is_external_key(const uint8_t *key, size_t key_size)
{
    tls_key_header header;
    if (!key || key_size < sizeof(header)) return false;
    memcpy(&header, key, sizeof(header));
    return header.type == tls_key_external_rsa;
}

int load_certificate_key(gnutls_certificate_credentials_t certificates, const uint8_t *chain, size_t chain_size,
                         const uint8_t *key_blob, size_t key_size)
{
    if (!chain || !chain_size) return GNUTLS_E_INVALID_REQUEST;
    std::vector<x509_certificate_owner> owners;
    std::vector<gnutls_x509_crt_t> list;
    std::vector<gnutls_datum_t> ders;
    field_reader reader(chain, chain_size);
    while (!reader.at_end()) {
        gnutls_datum_t der;
        if (!reader.next(der) || list.size() == max_chain_certificates) return GNUTLS_E_INVALID_REQUEST;
        ders.push_back(der);
        gnutls_x509_crt_t cert;
        int ret = gnutls_x509_crt_init(&cert);
        if (ret < 0) return ret;
        owners.emplace_back(cert);
        if ((ret = gnutls_x509_crt_import(cert, &der, GNUTLS_X509_FMT_DER)) < 0) return ret;
        list.push_back(cert);
    }

    if (is_external_key(key_blob, key_size)) {
        if (key_size != sizeof(tls_key_header)) return GNUTLS_E_INVALID_REQUEST;
        return load_external_key(certificates, ders);
    }
    x509_private_key_owner key;
    int ret = import_private_key(key_blob, key_size, key);
    if (ret < 0) return ret;
    /* GnuTLS copies both; our owners free the originals. A key that does
     * not match the leaf fails here (GNUTLS_E_CERTIFICATE_KEY_MISMATCH). */
    ret = gnutls_certificate_set_x509_key(certificates, list.data(), int(list.size()), key.get());
    return ret < 0 ? ret : 0;
}

certificate_key_pair::~certificate_key_pair()
{
    for (auto &pcert : pcerts) gnutls_pcert_deinit(&pcert);
    if (key) gnutls_privkey_deinit(key);
}

int import_certificate_key(const uint8_t *chain, size_t chain_size, const uint8_t *key_blob, size_t key_size,
                           certificate_key_pair &out)
{
    if (!chain || !chain_size) return GNUTLS_E_INVALID_REQUEST;
    field_reader reader(chain, chain_size);
    out.pcerts.reserve(max_chain_certificates);
    while (!reader.at_end()) {
        gnutls_datum_t der;
        if (!reader.next(der) || out.pcerts.size() == max_chain_certificates) return GNUTLS_E_INVALID_REQUEST;
        gnutls_pcert_st pcert;
        int ret = gnutls_pcert_import_x509_raw(&pcert, &der, GNUTLS_X509_FMT_DER, 0);
        if (ret < 0) return ret;
        out.pcerts.push_back(pcert);
    }
    gnutls_privkey_t key;
    int ret = gnutls_privkey_init(&key);
    if (ret < 0) return ret;
    out.key = key;
    if (is_external_key(key_blob, key_size)) {
        unsigned int bits = 0;
        if (key_size != sizeof(tls_key_header) ||
            gnutls_pubkey_get_pk_algorithm(out.pcerts[0].pubkey, &bits) != GNUTLS_PK_RSA)
            return GNUTLS_E_CERTIFICATE_KEY_MISMATCH;
        return signing_channel::import_external_rsa_key(key, bits);
    }
    x509_private_key_owner x509;
    if ((ret = import_private_key(key_blob, key_size, x509)) < 0) return ret;
    /* The abstract key takes the x509 key over. */
    if ((ret = gnutls_privkey_import_x509(key, x509.get(), GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE)) < 0) return ret;
    x509.release();
    return 0;
}

} // namespace secur32::unix_side
