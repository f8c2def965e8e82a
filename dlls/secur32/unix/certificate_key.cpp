#include "certificate_key.h"

#include <cstring>
#include <vector>

#include "../unixlib_calls.h"

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

} // namespace

int load_certificate_key(gnutls_certificate_credentials_t certificates, const uint8_t *chain, size_t chain_size,
                         const uint8_t *key_blob, size_t key_size)
{
    if (!chain || !chain_size) return GNUTLS_E_INVALID_REQUEST;
    std::vector<x509_certificate_owner> owners;
    std::vector<gnutls_x509_crt_t> list;
    field_reader reader(chain, chain_size);
    while (!reader.at_end()) {
        gnutls_datum_t der;
        if (!reader.next(der) || list.size() == max_chain_certificates) return GNUTLS_E_INVALID_REQUEST;
        gnutls_x509_crt_t cert;
        int ret = gnutls_x509_crt_init(&cert);
        if (ret < 0) return ret;
        owners.emplace_back(cert);
        if ((ret = gnutls_x509_crt_import(cert, &der, GNUTLS_X509_FMT_DER)) < 0) return ret;
        list.push_back(cert);
    }

    x509_private_key_owner key;
    int ret = import_private_key(key_blob, key_size, key);
    if (ret < 0) return ret;
    /* GnuTLS copies both; our owners free the originals. A key that does
     * not match the leaf fails here (GNUTLS_E_CERTIFICATE_KEY_MISMATCH). */
    ret = gnutls_certificate_set_x509_key(certificates, list.data(), int(list.size()), key.get());
    return ret < 0 ? ret : 0;
}

} // namespace secur32::unix_side
