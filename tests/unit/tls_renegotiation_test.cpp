/* Native tests of renegotiation on the Unix side (tls_renegotiation.cpp):
 * our client session against an in-process GnuTLS server that asks for a
 * new handshake (TLS 1.2 HelloRequest) or for a certificate after the
 * handshake (TLS 1.3 post-handshake CertificateRequest). The client
 * answers over secure renegotiation and refuses without it, the server's
 * application data sent meanwhile arrives intact, and data flows both
 * ways afterwards with the new keys. */
#include "unit_test.h"

#include <gnutls/gnutls.h>

#include <string>

#include "support/test_client.h"
#include "support/test_peer.h"
#include "unix/unixlib_entries.h"

using namespace secur32::unix_side;
using test_support::test_peer;

namespace {

using test_support::connect;
using test_support::ptr;

/* The shared client, with the calls these tests repeat: a handshake call
 * that drops what it consumed from the wire, DecryptMessage's loop, and
 * data to the peer. */
struct client : test_support::test_client {
    using test_client::test_client;

    /* One handshake call with `in`; what it consumed leaves `in`, its
     * output goes to `out`. */
    session_handshake_params step(std::vector<uint8_t> &in, std::vector<uint8_t> &out)
    {
        session_handshake_params p = test_client::step(in, out);
        in.erase(in.begin(), in.begin() + p.input_consumed);
        return p;
    }

    /* DecryptMessage's loop: decrypts `wire` record by record, appending
     * the plaintext, until it is used up or a record is SEC_I_RENEGOTIATE
     * (returned, the wire then starting after what was consumed). */
    int32_t decrypt(std::vector<uint8_t> &wire, std::string &plain)
    {
        while (!wire.empty()) {
            session_decrypt_params d{};
            d.session = session;
            d.buffer = ptr(wire.data());
            d.size = uint32_t(wire.size());
            session_decrypt(&d);
            if (d.result != int32_t(tls_ok) && d.result != int32_t(tls_renegotiate)) return d.result;
            plain.append(reinterpret_cast<char *>(wire.data() + d.data_offset), d.data_size);
            wire.erase(wire.begin(), wire.begin() + d.consumed);
            if (d.result == int32_t(tls_renegotiate)) return d.result;
        }
        return tls_ok;
    }

    bool send(test_peer &peer, const std::string &message)
    {
        std::vector<uint8_t> header(64), data(message.begin(), message.end()), trailer(512);
        session_encrypt_params e{};
        e.session = session;
        e.header = ptr(header.data());
        e.header_capacity = uint32_t(header.size());
        e.data = ptr(data.data());
        e.data_size = uint32_t(data.size());
        e.trailer = ptr(trailer.data());
        e.trailer_capacity = uint32_t(trailer.size());
        if (session_encrypt(&e) != 0 || e.result != int32_t(tls_ok)) return false;
        peer.feed(header.data(), e.header_size);
        peer.feed(data.data(), data.size());
        peer.feed(trailer.data(), e.trailer_size);
        std::vector<uint8_t> got;
        int n = GNUTLS_E_AGAIN;
        for (int tries = 0; tries < 4 && (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED); tries++) n = peer.recv(got);
        return n == int(message.size()) && std::string(got.begin(), got.end()) == message;
    }
};

void append(std::vector<uint8_t> &wire, test_peer &peer)
{
    std::vector<uint8_t> more = peer.take();
    wire.insert(wire.end(), more.begin(), more.end());
}

/* Data after a renegotiation, both ways. */
void check_data_both_ways(client &c, test_peer &peer, std::vector<uint8_t> &wire)
{
    CHECK(c.send(peer, "client after"));
    const std::string reply = "server after";
    peer.send(reply.data(), reply.size());
    append(wire, peer);
    std::string plain;
    int32_t result = c.decrypt(wire, plain);
    /* A TLS 1.2 server may send a new ticket first. */
    while (result == int32_t(tls_renegotiate)) {
        std::vector<uint8_t> out;
        c.step(wire, out);
        result = c.decrypt(wire, plain);
    }
    CHECK_EQ(result, int32_t(tls_ok));
    CHECK_EQ(plain, reply);
}

} // namespace

TEST_CASE(tls12_client_answers_a_hello_request_over_secure_renegotiation)
{
    client c(tls_proto_tls1_2);
    test_peer peer("NORMAL:-VERS-ALL:+VERS-TLS1.2");
    std::vector<uint8_t> wire, out;
    REQUIRE(connect(c, peer, &wire));
    REQUIRE(gnutls_safe_renegotiation_status(peer.session()));

    /* Data, the request, data sent right after it. */
    peer.send("before", 6);
    REQUIRE_EQ(gnutls_rehandshake(peer.session()), 0);
    peer.send("during", 6);
    append(wire, peer);
    std::string plain;
    REQUIRE_EQ(c.decrypt(wire, plain), int32_t(tls_renegotiate));
    CHECK_EQ(plain, std::string("before"));

    /* The next handshake call sends a ClientHello and gives back the
     * application data behind it. */
    session_handshake_params p = c.step(wire, out);
    REQUIRE_EQ(p.result, int32_t(tls_continue));
    CHECK_EQ(p.renegotiation, uint32_t(tls_renegotiation_running));
    CHECK(!out.empty());
    CHECK(!wire.empty());
    peer.feed(out.data(), out.size());
    p = c.step(wire, out);
    CHECK_EQ(p.result, int32_t(tls_ok));
    CHECK_EQ(p.renegotiation, uint32_t(tls_renegotiation_running));
    CHECK_EQ(p.input_consumed, 0u);
    REQUIRE_EQ(c.decrypt(wire, plain), int32_t(tls_ok));
    CHECK_EQ(plain, std::string("beforeduring"));

    /* The new handshake, its records through DecryptMessage first as a
     * caller following "Renegotiating an Schannel Connection" does. */
    bool client_done = false, server_done = false;
    for (int round = 0; round < 20 && !(client_done && server_done); round++) {
        if (!server_done) {
            int ret = peer.handshake();
            REQUIRE(ret == 0 || ret == GNUTLS_E_AGAIN);
            server_done = ret == 0;
            append(wire, peer);
        }
        if (!client_done && !wire.empty()) {
            std::string none;
            int32_t result = c.decrypt(wire, none);
            CHECK_EQ(none, std::string());
            REQUIRE_EQ(result, int32_t(tls_renegotiate)); /* a handshake record, left in the wire */
            p = c.step(wire, out);
            REQUIRE(p.result == int32_t(tls_continue) || p.result == int32_t(tls_ok));
            peer.feed(out.data(), out.size());
            client_done = p.renegotiation == uint32_t(tls_renegotiation_finished);
        }
    }
    CHECK(client_done);
    CHECK(server_done);
    check_data_both_ways(c, peer, wire);
}

TEST_CASE(tls12_client_refuses_renegotiation_without_rfc5746)
{
    client c(tls_proto_tls1_2);
    test_peer peer("NORMAL:-VERS-ALL:+VERS-TLS1.2:%DISABLE_SAFE_RENEGOTIATION");
    std::vector<uint8_t> wire, out;
    REQUIRE(connect(c, peer, &wire));
    REQUIRE(!gnutls_safe_renegotiation_status(peer.session()));

    REQUIRE_EQ(gnutls_rehandshake(peer.session()), 0);
    append(wire, peer);
    std::string plain;
    REQUIRE_EQ(c.decrypt(wire, plain), int32_t(tls_renegotiate));

    /* The next handshake call hands out a no_renegotiation warning only. */
    session_handshake_params p = c.step(wire, out);
    CHECK_EQ(p.result, int32_t(tls_ok));
    CHECK_EQ(p.renegotiation, uint32_t(tls_renegotiation_none));
    REQUIRE(!out.empty());
    peer.feed(out.data(), out.size());
    std::vector<uint8_t> got;
    CHECK_EQ(peer.recv(got), GNUTLS_E_WARNING_ALERT_RECEIVED);
    CHECK_EQ(int(gnutls_alert_get(peer.session())), int(GNUTLS_A_NO_RENEGOTIATION));
    check_data_both_ways(c, peer, wire);
}

TEST_CASE(tls13_client_answers_a_post_handshake_certificate_request)
{
    client c(tls_proto_tls1_3);
    test_peer peer("NORMAL:-VERS-ALL:+VERS-TLS1.3", false, GNUTLS_POST_HANDSHAKE_AUTH);
    std::vector<uint8_t> wire, out;
    REQUIRE(connect(c, peer, &wire));
    /* Our client offered post_handshake_auth. */
    REQUIRE(gnutls_session_get_flags(peer.session()) & GNUTLS_SFLAGS_POST_HANDSHAKE_AUTH);
    std::string plain;
    while (!wire.empty() && c.decrypt(wire, plain) == int32_t(tls_renegotiate)) c.step(wire, out);

    gnutls_certificate_server_set_request(peer.session(), GNUTLS_CERT_REQUEST);
    peer.send("before", 6);
    REQUIRE_EQ(gnutls_reauth(peer.session(), 0), GNUTLS_E_AGAIN);
    peer.send("during", 6);
    append(wire, peer);
    REQUIRE_EQ(c.decrypt(wire, plain), int32_t(tls_renegotiate));
    CHECK_EQ(plain, std::string("before"));

    /* One call answers (an empty Certificate: the credential has none, and
     * nobody asked to pause for one), the data behind it comes back. */
    size_t pending = wire.size();
    session_handshake_params p = c.step(wire, out);
    CHECK_EQ(p.result, int32_t(tls_ok));
    CHECK_EQ(p.renegotiation, uint32_t(tls_renegotiation_finished));
    CHECK_EQ(wire.size(), pending);
    REQUIRE(!out.empty());
    peer.feed(out.data(), out.size());
    CHECK_EQ(gnutls_reauth(peer.session(), 0), 0);
    REQUIRE_EQ(c.decrypt(wire, plain), int32_t(tls_ok));
    CHECK_EQ(plain, std::string("beforeduring"));
    check_data_both_ways(c, peer, wire);
}
