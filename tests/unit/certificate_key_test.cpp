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

/* ---- keys the PE side signs with (tls_key_external_rsa) ---------------- */

namespace {

template <typename T> pe_ptr ptr(T *p) { return pe_ptr(reinterpret_cast<uintptr_t>(p)); }

std::vector<uint8_t> external_key_blob()
{
    tls_key_header header{tls_key_external_rsa, tls_curve_none};
    return std::vector<uint8_t>(reinterpret_cast<uint8_t *>(&header), reinterpret_cast<uint8_t *>(&header) + 8);
}

unix_handle make_credentials(uint32_t protocols, bool server, const std::vector<uint8_t> *chain,
                             const std::vector<uint8_t> *key, int32_t *error = nullptr)
{
    credentials_create_params p{};
    p.protocols = protocols;
    p.is_server = server;
    if (chain) {
        p.certificate_chain = ptr(chain->data());
        p.certificate_chain_size = uint32_t(chain->size());
        p.private_key = ptr(key->data());
        p.private_key_size = uint32_t(key->size());
    }
    credentials_create(&p);
    if (error) *error = p.error;
    return p.credentials;
}

unix_handle make_session(unix_handle creds, bool server)
{
    session_create_params p{};
    p.credentials = creds;
    p.is_server = server;
    static const char host[] = "server.test";
    if (!server) {
        p.server_name = ptr(host);
        p.server_name_size = sizeof(host) - 1;
    }
    session_create(&p);
    return p.session;
}

/* What the PE side does with its provider: PKCS#1 v1.5 over the digest. */
std::vector<uint8_t> sign_like_provider(gnutls_x509_privkey_t key, uint32_t hash, const std::vector<uint8_t> &digest)
{
    gnutls_digest_algorithm_t alg = hash == tls_signature_sha256 ? GNUTLS_DIG_SHA256
                                    : hash == tls_signature_sha384 ? GNUTLS_DIG_SHA384
                                    : hash == tls_signature_sha512 ? GNUTLS_DIG_SHA512 : GNUTLS_DIG_SHA1;
    gnutls_privkey_t priv;
    gnutls_privkey_init(&priv);
    gnutls_privkey_import_x509(priv, key, 0);
    gnutls_datum_t in{const_cast<uint8_t *>(digest.data()), unsigned(digest.size())}, sig{nullptr, 0};
    std::vector<uint8_t> out;
    if (gnutls_privkey_sign_hash(priv, alg, 0, &in, &sig) == 0) out.assign(sig.data, sig.data + sig.size);
    gnutls_free(sig.data);
    gnutls_privkey_deinit(priv);
    return out;
}

} // namespace

TEST_CASE(external_key_needs_an_rsa_leaf)
{
    process_attach_params attach{};
    process_attach(&attach);
    generated ecdsa;
    REQUIRE(make(ecdsa, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), "server.test"));
    std::vector<uint8_t> chain, key = external_key_blob();
    field(chain, ecdsa.der);
    int32_t error = 0;
    CHECK_EQ(make_credentials(tls_proto_tls1_2, true, &chain, &key, &error), unix_handle(0));
    CHECK_EQ(error, GNUTLS_E_CERTIFICATE_KEY_MISMATCH);
    key.push_back(0); /* the external header carries nothing after it */
    CHECK_EQ(make_credentials(tls_proto_tls1_2, true, &chain, &key, &error), unix_handle(0));
}

TEST_CASE(external_key_handshake_pauses_for_each_signature)
{
    process_attach_params attach{};
    process_attach(&attach);
    generated leaf;
    REQUIRE(make(leaf, GNUTLS_PK_RSA, 2048, "server.test"));
    std::vector<uint8_t> chain, key = external_key_blob();
    field(chain, leaf.der);
    unix_handle server_creds = make_credentials(tls_proto_tls1_2, true, &chain, &key);
    unix_handle client_creds = make_credentials(tls_proto_tls1_2, false, nullptr, nullptr);
    REQUIRE(server_creds && client_creds);
    CHECK(reinterpret_cast<tls_credentials *>(uintptr_t(server_creds))->has_external_key());
    unix_handle server = make_session(server_creds, true), client = make_session(client_creds, false);
    REQUIRE(server && client);

    session_signature_params idle{};
    idle.session = server;
    session_signature(&idle);
    CHECK_EQ(idle.result, int32_t(tls_error)); /* nothing pending yet */

    std::vector<uint8_t> to_server, to_client, out(65536);
    bool client_done = false, server_done = false;
    int signatures = 0;
    for (int round = 0; round < 12 && !(client_done && server_done); round++) {
        if (!client_done) {
            session_handshake_params p{};
            p.session = client;
            p.input = ptr(to_client.data());
            p.input_size = uint32_t(to_client.size());
            p.output = ptr(out.data());
            p.output_capacity = uint32_t(out.size());
            session_handshake(&p);
            REQUIRE_MSG(p.result != tls_error, "client error %d", p.error);
            to_client.erase(to_client.begin(), to_client.begin() + p.input_consumed);
            to_server.insert(to_server.end(), out.begin(), out.begin() + p.output_size);
            client_done = p.result == tls_ok;
        }
        if (!server_done && !to_server.empty()) {
            session_handshake_params p{};
            for (int again = 0; again < 4; again++) {
                p = session_handshake_params{};
                p.session = server;
                p.input = ptr(to_server.data());
                p.input_size = uint32_t(to_server.size());
                p.output = ptr(out.data());
                p.output_capacity = uint32_t(out.size());
                session_handshake(&p);
                if (p.result != tls_need_signature) break;
                signatures++;
                uint8_t digest[64];
                session_signature_params request{};
                request.session = server;
                request.buffer = ptr(digest);
                request.capacity = sizeof(digest);
                session_signature(&request);
                REQUIRE_EQ(request.result, int32_t(tls_ok));
                CHECK_EQ(request.hash, uint32_t(tls_signature_sha256));
                std::vector<uint8_t> sig =
                    sign_like_provider(leaf.key, request.hash, std::vector<uint8_t>(digest, digest + request.size));
                REQUIRE(!sig.empty());
                session_signature_params answer{};
                answer.session = server;
                answer.signature = ptr(sig.data());
                answer.signature_size = uint32_t(sig.size());
                session_signature(&answer);
                CHECK_EQ(answer.result, int32_t(tls_ok));
            }
            REQUIRE_MSG(p.result != tls_error, "server error %d", p.error);
            to_server.erase(to_server.begin(), to_server.begin() + p.input_consumed);
            to_client.insert(to_client.end(), out.begin(), out.begin() + p.output_size);
            server_done = p.result == tls_ok;
        }
    }
    CHECK(client_done && server_done);
    CHECK_EQ(signatures, 1); /* one ServerKeyExchange signature */

    /* A session freed while its handshake waits for a signature stops
     * cleanly (the worker is cancelled and joined). */
    unix_handle fresh_client_creds = make_credentials(tls_proto_tls1_2, false, nullptr, nullptr); /* nothing to resume */
    unix_handle paused = make_session(server_creds, true), hello_from = make_session(fresh_client_creds, false);
    session_handshake_params hello{};
    hello.session = hello_from;
    hello.output = ptr(out.data());
    hello.output_capacity = uint32_t(out.size());
    session_handshake(&hello);
    std::vector<uint8_t> first(out.begin(), out.begin() + hello.output_size);
    session_handshake_params p{};
    p.session = paused;
    p.input = ptr(first.data());
    p.input_size = uint32_t(first.size());
    p.output = ptr(out.data());
    p.output_capacity = uint32_t(out.size());
    session_handshake(&p);
    CHECK_EQ(p.result, int32_t(tls_need_signature));
    for (unix_handle s : {paused, hello_from, server, client}) {
        session_free_params f{s};
        session_free(&f);
    }
    for (unix_handle c : {server_creds, client_creds, fresh_client_creds}) {
        credentials_free_params f{c};
        credentials_free(&f);
    }
}

/* ---- DTLS through the entry points (datagram sessions) ----------------- */

namespace {

/* Runs one handshake call with `in` (one datagram, or none) and appends
 * every datagram of the output (fetched one per call) to `out`. */
int32_t dtls_step(unix_handle session, const std::vector<uint8_t> *in, std::vector<std::vector<uint8_t>> &out,
                  uint32_t mtu)
{
    std::vector<uint8_t> buf(65536);
    session_handshake_params p{};
    p.session = session;
    if (in) {
        p.input = ptr(in->data());
        p.input_size = uint32_t(in->size());
    }
    for (int calls = 0; calls < 16; calls++) {
        p.output = ptr(buf.data());
        p.output_capacity = uint32_t(buf.size());
        session_handshake(&p);
        if (p.output_size) {
            CHECK_MSG(p.output_size <= mtu, "datagram of %u bytes over MTU %u", p.output_size, mtu);
            out.emplace_back(buf.begin(), buf.begin() + p.output_size);
        }
        if (!p.output_pending || p.result == tls_error) break;
        p = session_handshake_params{};
        p.session = session;
    }
    return p.result;
}

} // namespace

TEST_CASE(dtls_cookie_exchange_and_datagram_handshake)
{
    process_attach_params attach{};
    process_attach(&attach);
    generated leaf;
    REQUIRE(make(leaf, GNUTLS_PK_RSA, 2048, "server.test"));
    std::vector<uint8_t> chain, key = key_blob(leaf.key);
    field(chain, leaf.der);
    unix_handle server_creds = make_credentials(tls_proto_dtls1_2, true, &chain, &key);
    unix_handle client_creds = make_credentials(tls_proto_dtls1_2, false, nullptr, nullptr);
    REQUIRE(server_creds && client_creds);
    const uint32_t mtu = 500;

    session_create_params cp{};
    cp.credentials = client_creds;
    cp.flags = session_flag_datagram;
    cp.mtu = mtu;
    REQUIRE_EQ(session_create(&cp), 0);
    unix_handle client = cp.session;

    std::vector<std::vector<uint8_t>> to_server, to_client;
    CHECK_EQ(dtls_step(client, nullptr, to_server, mtu), int32_t(tls_continue));
    REQUIRE_EQ(to_server.size(), size_t(1));

    /* No cookie yet: a HelloVerifyRequest, bound to the client's address. */
    static const uint8_t address[] = {2, 0, 1, 2, 127, 0, 0, 1}, other[] = {2, 0, 1, 3, 127, 0, 0, 1};
    uint8_t hvr[512];
    dtls_cookie_params cookie{};
    cookie.credentials = server_creds;
    cookie.client_data = ptr(address);
    cookie.client_data_size = sizeof(address);
    cookie.datagram = ptr(to_server[0].data());
    cookie.datagram_size = uint32_t(to_server[0].size());
    cookie.output = ptr(hvr);
    cookie.output_capacity = sizeof(hvr);
    REQUIRE_EQ(dtls_cookie(&cookie), 0);
    REQUIRE_EQ(cookie.result, int32_t(tls_continue));
    REQUIRE(cookie.output_size > 13);
    CHECK_EQ(hvr[0], uint8_t(22));
    CHECK_EQ(hvr[13], uint8_t(3)); /* hello_verify_request */

    std::vector<uint8_t> hello_verify(hvr, hvr + cookie.output_size);
    to_server.clear();
    CHECK_EQ(dtls_step(client, &hello_verify, to_server, mtu), int32_t(tls_continue));
    REQUIRE_EQ(to_server.size(), size_t(1));
    cookie.datagram = ptr(to_server[0].data());
    cookie.datagram_size = uint32_t(to_server[0].size());
    cookie.client_data = ptr(other);
    REQUIRE_EQ(dtls_cookie(&cookie), 0);
    CHECK_EQ(cookie.result, int32_t(tls_continue)); /* another address: the cookie does not fit */
    cookie.client_data = ptr(address);
    REQUIRE_EQ(dtls_cookie(&cookie), 0);
    REQUIRE_EQ(cookie.result, int32_t(tls_ok));
    uint32_t prestate[3];
    memcpy(prestate, cookie.prestate, sizeof(prestate));
    /* Not a ClientHello at all. */
    std::vector<uint8_t> junk(64, 0x17);
    cookie.datagram = ptr(junk.data());
    cookie.datagram_size = uint32_t(junk.size());
    REQUIRE_EQ(dtls_cookie(&cookie), 0);
    CHECK_EQ(cookie.result, int32_t(tls_error));

    session_create_params sp{};
    sp.credentials = server_creds;
    sp.is_server = 1;
    sp.flags = session_flag_datagram;
    sp.mtu = mtu;
    sp.prestate_valid = 1;
    memcpy(sp.prestate, prestate, sizeof(sp.prestate));
    REQUIRE_EQ(session_create(&sp), 0);
    unix_handle server = sp.session;

    bool client_done = false, server_done = false;
    int32_t r = dtls_step(server, &to_server[0], to_client, mtu);
    REQUIRE_MSG(r != tls_error, "server error");
    CHECK_MSG(to_client.size() >= 2, "the server's flight took %zu datagrams at MTU %u", to_client.size(), mtu);
    to_server.clear();
    for (int round = 0; round < 10 && !(client_done && server_done); round++) {
        for (auto &d : to_client) {
            r = dtls_step(client, &d, to_server, mtu);
            REQUIRE_MSG(r != tls_error, "client error");
            client_done = r == tls_ok;
        }
        to_client.clear();
        for (auto &d : to_server) {
            r = dtls_step(server, &d, to_client, mtu);
            REQUIRE_MSG(r != tls_error, "server error");
            server_done = r == tls_ok;
        }
        to_server.clear();
    }
    REQUIRE(client_done && server_done);

    session_connection_info_params info{};
    info.session = client;
    session_connection_info(&info);
    CHECK_EQ(info.protocol, uint32_t(tls_proto_dtls1_2));
    if (info.cipher == tls_cipher_aes_128_gcm || info.cipher == tls_cipher_aes_256_gcm) {
        CHECK_EQ(info.header_size, uint32_t(21));
        CHECK_EQ(info.trailer_size, uint32_t(16));
    }
    CHECK(info.header_size + info.max_message + info.trailer_size <= mtu);

    /* One record client -> server, then the same record again: a replay. */
    const char text[] = "datagram";
    std::vector<uint8_t> record(info.header_size + sizeof(text) + info.trailer_size);
    memcpy(record.data() + info.header_size, text, sizeof(text));
    session_encrypt_params e{};
    e.session = client;
    e.header = ptr(record.data());
    e.header_capacity = info.header_size;
    e.data = ptr(record.data() + info.header_size);
    e.data_size = sizeof(text);
    e.trailer = ptr(record.data() + info.header_size + sizeof(text));
    e.trailer_capacity = info.trailer_size;
    session_encrypt(&e);
    REQUIRE_EQ(e.result, int32_t(tls_ok));
    record.resize(e.header_size + sizeof(text) + e.trailer_size);
    std::vector<uint8_t> copy = record;
    session_decrypt_params d{};
    d.session = server;
    d.buffer = ptr(record.data());
    d.size = uint32_t(record.size());
    session_decrypt(&d);
    REQUIRE_EQ(d.result, int32_t(tls_ok));
    CHECK_EQ(d.data_size, uint32_t(sizeof(text)));
    CHECK(!memcmp(record.data() + d.data_offset, text, sizeof(text)));
    d = session_decrypt_params{};
    d.session = server;
    d.buffer = ptr(copy.data());
    d.size = uint32_t(copy.size());
    session_decrypt(&d);
    CHECK_EQ(d.result, int32_t(tls_replayed));

    for (unix_handle s : {client, server}) {
        session_free_params f{s};
        session_free(&f);
    }
    for (unix_handle c : {client_creds, server_creds}) {
        credentials_free_params f{c};
        credentials_free(&f);
    }
}
