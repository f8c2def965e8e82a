/* certificate_key: a credential's own chain and private key, in the blob
 * layouts the PE side sends (unixlib_calls.h), loaded into GnuTLS: RSA and
 * ECDSA (P-256, P-384) keys, chains, and every malformed blob refused. */
#include "unit_test.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <cstring>
#include <ctime>

#include "unix/certificate_key.h"
#include "unix/tls_credentials.h"
#include "unix/unixlib_entries.h"
#include "unixlib_calls.h"

using namespace secur32::unix_side;

namespace {

struct generated {
    gnutls_x509_privkey_t key = nullptr;
    gnutls_x509_crt_t cert = nullptr;
    std::vector<uint8_t> der;
    ~generated()
    {
        if (cert) gnutls_x509_crt_deinit(cert);
        if (key) gnutls_x509_privkey_deinit(key);
    }
};

/* A key of `algorithm` and a certificate for it, signed by `issuer` (or
 * self-signed). */
bool make(generated &g, gnutls_pk_algorithm_t algorithm, unsigned bits, const char *cn, generated *issuer = nullptr)
{
    if (gnutls_x509_privkey_init(&g.key) < 0 || gnutls_x509_privkey_generate(g.key, algorithm, bits, 0) < 0) return false;
    if (gnutls_x509_crt_init(&g.cert) < 0) return false;
    gnutls_x509_crt_set_version(g.cert, 3);
    uint8_t serial[4] = {1, 2, 3, uint8_t(bits)};
    gnutls_x509_crt_set_serial(g.cert, serial, sizeof(serial));
    gnutls_x509_crt_set_activation_time(g.cert, time(nullptr) - 3600);
    gnutls_x509_crt_set_expiration_time(g.cert, time(nullptr) + 86400);
    gnutls_x509_crt_set_dn_by_oid(g.cert, GNUTLS_OID_X520_COMMON_NAME, 0, cn, unsigned(strlen(cn)));
    gnutls_x509_crt_set_key(g.cert, g.key);
    if (!issuer) gnutls_x509_crt_set_basic_constraints(g.cert, 1, -1);
    if (gnutls_x509_crt_sign2(g.cert, issuer ? issuer->cert : g.cert, issuer ? issuer->key : g.key,
                              GNUTLS_DIG_SHA256, 0) < 0)
        return false;
    gnutls_datum_t out{nullptr, 0};
    if (gnutls_x509_crt_export2(g.cert, GNUTLS_X509_FMT_DER, &out) < 0) return false;
    g.der.assign(out.data, out.data + out.size);
    gnutls_free(out.data);
    return true;
}

void field(std::vector<uint8_t> &out, const gnutls_datum_t &d)
{
    uint32_t len = d.size;
    out.insert(out.end(), reinterpret_cast<uint8_t *>(&len), reinterpret_cast<uint8_t *>(&len) + 4);
    out.insert(out.end(), d.data, d.data + d.size);
}

void field(std::vector<uint8_t> &out, const std::vector<uint8_t> &v)
{
    field(out, gnutls_datum_t{const_cast<uint8_t *>(v.data()), unsigned(v.size())});
}

/* The key blob the PE side would send for `key`. */
std::vector<uint8_t> key_blob(gnutls_x509_privkey_t key)
{
    std::vector<uint8_t> out;
    tls_key_header header{};
    if (gnutls_x509_privkey_get_pk_algorithm(key) == GNUTLS_PK_RSA) {
        gnutls_datum_t n, e, d, p, q, u, e1, e2;
        if (gnutls_x509_privkey_export_rsa_raw2(key, &n, &e, &d, &p, &q, &u, &e1, &e2) < 0) return {};
        header.type = tls_key_rsa;
        out.insert(out.end(), reinterpret_cast<uint8_t *>(&header), reinterpret_cast<uint8_t *>(&header) + 8);
        for (gnutls_datum_t *f : {&n, &e, &d, &p, &q, &e1, &e2, &u}) {
            field(out, *f);
            gnutls_free(f->data);
        }
        return out;
    }
    gnutls_ecc_curve_t curve;
    gnutls_datum_t x, y, k;
    if (gnutls_x509_privkey_export_ecc_raw(key, &curve, &x, &y, &k) < 0) return {};
    header.type = tls_key_ecdsa;
    header.curve = curve == GNUTLS_ECC_CURVE_SECP256R1 ? tls_curve_p256
                   : curve == GNUTLS_ECC_CURVE_SECP384R1 ? tls_curve_p384 : tls_curve_p521;
    out.insert(out.end(), reinterpret_cast<uint8_t *>(&header), reinterpret_cast<uint8_t *>(&header) + 8);
    for (gnutls_datum_t *f : {&x, &y, &k}) {
        field(out, *f);
        gnutls_free(f->data);
    }
    return out;
}

/* Signs with the key the credential holds and verifies with the leaf's
 * public key: the loaded key is the certificate's. */
bool loaded_key_signs_for(gnutls_certificate_credentials_t creds, const generated &leaf)
{
    gnutls_x509_privkey_t loaded = nullptr;
    if (gnutls_certificate_get_x509_key(creds, 0, &loaded) < 0) return false;
    gnutls_privkey_t priv = nullptr;
    gnutls_pubkey_t pub = nullptr;
    gnutls_privkey_init(&priv);
    gnutls_pubkey_init(&pub);
    bool ok = false;
    gnutls_datum_t data{const_cast<unsigned char *>(reinterpret_cast<const unsigned char *>("sign me")), 7};
    gnutls_datum_t signature{nullptr, 0};
    if (gnutls_privkey_import_x509(priv, loaded, GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE) == 0) {
        loaded = nullptr;
        auto pk = gnutls_pk_algorithm_t(gnutls_privkey_get_pk_algorithm(priv, nullptr));
        gnutls_sign_algorithm_t sign = gnutls_pk_to_sign(pk, GNUTLS_DIG_SHA256);
        ok = gnutls_pubkey_import_x509(pub, leaf.cert, 0) == 0 &&
             gnutls_privkey_sign_data2(priv, sign, 0, &data, &signature) == 0 &&
             gnutls_pubkey_verify_data2(pub, sign, 0, &data, &signature) >= 0;
    }
    if (loaded) gnutls_x509_privkey_deinit(loaded);
    gnutls_free(signature.data);
    gnutls_pubkey_deinit(pub);
    gnutls_privkey_deinit(priv);
    return ok;
}

struct credentials {
    gnutls_certificate_credentials_t creds = nullptr;
    credentials() { gnutls_certificate_allocate_credentials(&creds); }
    ~credentials() { gnutls_certificate_free_credentials(creds); }
};

void check_key_type(gnutls_pk_algorithm_t algorithm, unsigned bits, const char *what)
{
    generated leaf;
    REQUIRE_MSG(make(leaf, algorithm, bits, "server.test"), "%s: generate", what);
    std::vector<uint8_t> chain, key = key_blob(leaf.key);
    field(chain, leaf.der);
    REQUIRE_MSG(!key.empty(), "%s: export", what);
    credentials c;
    CHECK_MSG(load_certificate_key(c.creds, chain.data(), chain.size(), key.data(), key.size()) == 0, "%s: load", what);
    CHECK_MSG(loaded_key_signs_for(c.creds, leaf), "%s: the loaded key signs for the certificate", what);
}

} // namespace

TEST_CASE(rsa_key_loads_and_signs)
{
    check_key_type(GNUTLS_PK_RSA, 2048, "RSA 2048");
}

TEST_CASE(ecdsa_p256_key_loads_and_signs)
{
    check_key_type(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), "ECDSA P-256");
}

TEST_CASE(ecdsa_p384_key_loads_and_signs)
{
    check_key_type(GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP384R1), "ECDSA P-384");
}

TEST_CASE(chain_with_intermediate_loads)
{
    generated ca, leaf;
    REQUIRE(make(ca, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), "Test CA"));
    REQUIRE(make(leaf, GNUTLS_PK_RSA, 2048, "server.test", &ca));
    std::vector<uint8_t> chain, key = key_blob(leaf.key);
    field(chain, leaf.der);
    field(chain, ca.der);
    credentials c;
    REQUIRE_EQ(load_certificate_key(c.creds, chain.data(), chain.size(), key.data(), key.size()), 0);
    gnutls_x509_crt_t *list = nullptr;
    unsigned count = 0;
    REQUIRE_EQ(gnutls_certificate_get_x509_crt(c.creds, 0, &list, &count), 0);
    CHECK_EQ(count, 2u);
    for (unsigned i = 0; i < count; i++) gnutls_x509_crt_deinit(list[i]);
    gnutls_free(list);
}

TEST_CASE(key_of_another_certificate_is_refused)
{
    generated a, b;
    REQUIRE(make(a, GNUTLS_PK_RSA, 2048, "a.test"));
    REQUIRE(make(b, GNUTLS_PK_RSA, 2048, "b.test"));
    std::vector<uint8_t> chain, key = key_blob(b.key);
    field(chain, a.der);
    credentials c;
    CHECK_EQ(load_certificate_key(c.creds, chain.data(), chain.size(), key.data(), key.size()),
             GNUTLS_E_CERTIFICATE_KEY_MISMATCH);
}

TEST_CASE(malformed_blobs_are_refused)
{
    generated leaf;
    REQUIRE(make(leaf, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), "server.test"));
    std::vector<uint8_t> chain, key = key_blob(leaf.key);
    field(chain, leaf.der);
    {
        credentials c; /* every truncation of either blob */
        for (size_t cut = 0; cut < chain.size(); cut += 97)
            CHECK_MSG(load_certificate_key(c.creds, chain.data(), cut, key.data(), key.size()) < 0, "chain cut %zu", cut);
        for (size_t cut = 0; cut < key.size(); cut++)
            CHECK_MSG(load_certificate_key(c.creds, chain.data(), chain.size(), key.data(), cut) < 0, "key cut %zu", cut);
    }
    {
        credentials c; /* a length field pointing past the end */
        std::vector<uint8_t> bad = chain;
        uint32_t huge = 0xFFFFFFF0;
        memcpy(bad.data(), &huge, 4);
        CHECK(load_certificate_key(c.creds, bad.data(), bad.size(), key.data(), key.size()) < 0);
    }
    {
        credentials c; /* unknown curve and key type */
        std::vector<uint8_t> bad = key;
        uint32_t curve = 99;
        memcpy(bad.data() + 4, &curve, 4);
        CHECK(load_certificate_key(c.creds, chain.data(), chain.size(), bad.data(), bad.size()) < 0);
        uint32_t type = 7;
        memcpy(bad.data(), &type, 4);
        CHECK(load_certificate_key(c.creds, chain.data(), chain.size(), bad.data(), bad.size()) < 0);
    }
    {
        credentials c; /* trailing bytes after the key's numbers */
        std::vector<uint8_t> bad = key;
        bad.push_back(0);
        CHECK(load_certificate_key(c.creds, chain.data(), chain.size(), bad.data(), bad.size()) < 0);
    }
    credentials c;
    CHECK(load_certificate_key(c.creds, nullptr, 0, key.data(), key.size()) < 0);
    CHECK(load_certificate_key(c.creds, chain.data(), chain.size(), nullptr, 0) < 0);
}

TEST_CASE(credentials_create_entry_point_carries_the_certificate)
{
    generated leaf;
    REQUIRE(make(leaf, GNUTLS_PK_RSA, 2048, "server.test"));
    std::vector<uint8_t> chain, key = key_blob(leaf.key);
    field(chain, leaf.der);
    process_attach_params attach{};
    process_attach(&attach);

    credentials_create_params p{};
    p.protocols = tls_proto_tls1_2 | tls_proto_tls1_3;
    p.is_server = 1;
    p.certificate_chain = pe_ptr(uintptr_t(chain.data()));
    p.certificate_chain_size = uint32_t(chain.size());
    p.private_key = pe_ptr(uintptr_t(key.data()));
    p.private_key_size = uint32_t(key.size());
    REQUIRE_EQ(credentials_create(&p), 0);
    REQUIRE(p.credentials != 0);
    auto *creds = reinterpret_cast<tls_credentials *>(uintptr_t(p.credentials));
    CHECK(creds->has_certificate());
    CHECK(loaded_key_signs_for(creds->certificates(), leaf));
    credentials_free_params f{p.credentials};
    credentials_free(&f);

    p.credentials = 0;
    p.private_key_size = 5; /* truncated key: no credential, the GnuTLS error */
    CHECK_EQ(credentials_create(&p), 0);
    CHECK_EQ(p.credentials, unix_handle(0));
    CHECK(p.error < 0);
}
