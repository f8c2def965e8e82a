/* Native tests of the Unix side through its unixlib entry points: our
 * client session against an in-process GnuTLS server (test_peer), for
 * TLS 1.2 and TLS 1.3: handshake, in-place record encryption and
 * decryption, partial records, extra bytes, close_notify. */
#include "unit_test.h"

#include <gnutls/gnutls.h>

#include "support/test_client.h"
#include "support/test_peer.h"
#include "unix/unixlib_entries.h"

using namespace secur32::unix_side;
using test_support::test_peer;

namespace {

using client = test_support::test_client;
using test_support::connect;
using test_support::ptr;

void run_session_checks(uint32_t protocols, const char *priority, uint32_t expect_header, uint32_t expect_trailer)
{
    client c(protocols);
    REQUIRE(c.session != 0);
    test_peer peer(priority);
    REQUIRE(connect(c, peer));

    session_connection_info_params info{};
    info.session = c.session;
    CHECK_EQ(session_connection_info(&info), 0);
    CHECK_EQ(info.header_size, expect_header);
    CHECK_EQ(info.trailer_size, expect_trailer);
    CHECK_EQ(info.max_message, 16384u);
    CHECK(info.cipher_suite != 0);
    CHECK(info.cipher != tls_cipher_unknown);
    CHECK(info.exchange == tls_exchange_ecdhe);
    CHECK_EQ(info.hash, uint32_t(tls_hash_aead));
    CHECK(info.cipher_suite_name[0] != 0);

    /* Client -> server: one record split into header / data / trailer. */
    const char message[] = "client says hello";
    uint8_t header[32], data[sizeof(message)], trailer[64];
    memcpy(data, message, sizeof(message));
    session_encrypt_params e{};
    e.session = c.session;
    e.header = ptr(header);
    e.header_capacity = sizeof(header);
    e.data = ptr(data);
    e.data_size = sizeof(message);
    e.trailer = ptr(trailer);
    e.trailer_capacity = sizeof(trailer);
    CHECK_EQ(session_encrypt(&e), 0);
    CHECK_EQ(e.result, int32_t(tls_ok));
    CHECK_EQ(e.header_size, expect_header);
    CHECK_EQ(e.trailer_size, expect_trailer);
    CHECK(memcmp(data, message, sizeof(message)) != 0); /* encrypted in place */
    peer.feed(header, e.header_size);
    peer.feed(data, e.data_size);
    peer.feed(trailer, e.trailer_size);
    std::vector<uint8_t> got;
    int n = peer.recv(got);
    CHECK_EQ(n, int(sizeof(message)));
    CHECK(got.size() == sizeof(message) && memcmp(got.data(), message, sizeof(message)) == 0);

    /* Server -> client: decrypted in place, one record per call, the second
     * record left for the next call. */
    const char reply1[] = "first reply", reply2[] = "second";
    peer.send(reply1, sizeof(reply1));
    peer.send(reply2, sizeof(reply2));
    std::vector<uint8_t> wire = peer.take();
    size_t first_len = 5 + (size_t(wire[3]) << 8 | wire[4]);

    /* A partial record asks for exactly the missing bytes. */
    session_decrypt_params d{};
    d.session = c.session;
    d.buffer = ptr(wire.data());
    d.size = 3;
    session_decrypt(&d);
    CHECK_EQ(d.result, int32_t(tls_incomplete));
    CHECK_EQ(d.missing, 2u);
    d = session_decrypt_params{};
    d.session = c.session;
    d.buffer = ptr(wire.data());
    d.size = uint32_t(first_len - 1);
    session_decrypt(&d);
    CHECK_EQ(d.result, int32_t(tls_incomplete));
    CHECK_EQ(d.missing, 1u);

    d = session_decrypt_params{};
    d.session = c.session;
    d.buffer = ptr(wire.data());
    d.size = uint32_t(wire.size());
    CHECK_EQ(session_decrypt(&d), 0);
    CHECK_EQ(d.result, int32_t(tls_ok));
    CHECK_EQ(d.consumed, uint32_t(first_len));
    CHECK_EQ(d.data_offset, expect_header);
    CHECK_EQ(d.data_size, uint32_t(sizeof(reply1)));
    CHECK(memcmp(wire.data() + d.data_offset, reply1, sizeof(reply1)) == 0);

    session_decrypt_params d2{};
    d2.session = c.session;
    d2.buffer = ptr(wire.data() + d.consumed);
    d2.size = uint32_t(wire.size() - d.consumed);
    session_decrypt(&d2);
    CHECK_EQ(d2.result, int32_t(tls_ok));
    CHECK_EQ(d2.consumed, d2.size);
    CHECK(memcmp(wire.data() + d.consumed + d2.data_offset, reply2, sizeof(reply2)) == 0);

    /* A tampered record fails and is reported as such. */
    peer.send(reply1, sizeof(reply1));
    wire = peer.take();
    wire[wire.size() - 1] ^= 0x55;
    d = session_decrypt_params{};
    d.session = c.session;
    d.buffer = ptr(wire.data());
    d.size = uint32_t(wire.size());
    session_decrypt(&d);
    CHECK_EQ(d.result, int32_t(tls_error));
    CHECK_EQ(d.error, GNUTLS_E_DECRYPTION_FAILED);
}

} // namespace

TEST_CASE(tls12_client_against_gnutls_server)
{
    run_session_checks(tls_proto_tls1_2, "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM", 13, 16);
}

TEST_CASE(tls12_chacha20_has_no_explicit_nonce)
{
    run_session_checks(tls_proto_tls1_2, "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+CHACHA20-POLY1305", 5, 16);
}

TEST_CASE(tls13_client_against_gnutls_server)
{
    run_session_checks(tls_proto_tls1_2 | tls_proto_tls1_3, "NORMAL:-VERS-ALL:+VERS-TLS1.3", 5, 17);
}

TEST_CASE(close_notify_is_reported)
{
    client c(tls_proto_tls1_2);
    test_peer peer("NORMAL:-VERS-ALL:+VERS-TLS1.2");
    REQUIRE(connect(c, peer));
    peer.bye();
    std::vector<uint8_t> wire = peer.take();
    session_decrypt_params d{};
    d.session = c.session;
    d.buffer = ptr(wire.data());
    d.size = uint32_t(wire.size());
    session_decrypt(&d);
    CHECK_EQ(d.result, int32_t(tls_closed));
    CHECK_EQ(d.consumed, uint32_t(wire.size()));
}

TEST_CASE(shutdown_queues_close_notify_for_next_handshake_call)
{
    client c(tls_proto_tls1_2);
    test_peer peer("NORMAL:-VERS-ALL:+VERS-TLS1.2");
    REQUIRE(connect(c, peer));
    session_shutdown_params s{};
    s.session = c.session;
    session_shutdown(&s);
    std::vector<uint8_t> in, out;
    session_handshake_params p = c.step(in, out);
    CHECK_EQ(p.result, int32_t(tls_ok));
    REQUIRE(out.size() > 5);
    CHECK_EQ(out[0], 21); /* alert record */
    peer.feed(out.data(), out.size());
    std::vector<uint8_t> got;
    CHECK_EQ(peer.recv(got), 0); /* the peer sees close_notify */
}

TEST_CASE(garbage_handshake_input_is_rejected)
{
    client c(tls_proto_tls1_2);
    std::vector<uint8_t> in, out;
    session_handshake_params p = c.step(in, out);
    CHECK_EQ(p.result, int32_t(tls_continue));
    CHECK(out.size() > 0);
    in.assign({'H', 'T', 'T', 'P', '/', '1', '.', '1', ' ', '4', '0', '0'});
    p = c.step(in, out);
    CHECK_EQ(p.result, int32_t(tls_error));
}

/* A peer whose handshake message claims 16 MB and keeps sending it in
 * 16 KB records: GnuTLS would buffer it all before its own size check, so
 * the session stops at its bound (256 KB of handshake input) with
 * HANDSHAKE_TOO_LARGE, both when the records come one per call and when
 * they all come in one call (the rest is left unconsumed). */
TEST_CASE(endless_handshake_message_is_bounded)
{
    std::vector<uint8_t> record(5 + 16384, 0xff);
    record[0] = 22; record[1] = 3; record[2] = 3; record[3] = 0x40; record[4] = 0;
    for (int all_at_once = 0; all_at_once < 2; all_at_once++) {
        client c(tls_proto_tls1_2);
        std::vector<uint8_t> in, out;
        session_handshake_params p = c.step(in, out);
        CHECK_EQ(p.result, int32_t(tls_continue));
        record[5] = 2; /* ServerHello, length 0xffffff */
        size_t fed = 0;
        if (all_at_once) {
            /* As a caller does with EXTRA: what is left goes in again. */
            for (int i = 0; i < 64; i++) {
                in.insert(in.end(), record.begin(), record.end());
                record[5] = 0xff;
            }
            for (int call = 0; call < 64; call++) {
                p = c.step(in, out);
                fed += p.input_consumed;
                in.erase(in.begin(), in.begin() + p.input_consumed);
                if (p.result != tls_continue) break;
            }
            CHECK(!in.empty());
        } else {
            for (int i = 0; i < 64; i++) {
                in = record;
                record[5] = 0xff;
                p = c.step(in, out);
                fed += p.input_consumed;
                if (p.result != tls_continue) break;
                CHECK_EQ(p.input_consumed, uint32_t(in.size()));
            }
        }
        CHECK_EQ(p.result, int32_t(tls_error));
        CHECK_EQ(p.error, GNUTLS_E_HANDSHAKE_TOO_LARGE);
        CHECK(fed <= 256 * 1024);
        CHECK(fed > 128 * 1024);
    }
}

TEST_CASE(tls13_session_ticket_is_reported_as_renegotiate)
{
    client c(tls_proto_tls1_3);
    test_peer peer("NORMAL:-VERS-ALL:+VERS-TLS1.3", true);
    std::vector<uint8_t> wire;
    REQUIRE(connect(c, peer, &wire));
    /* The server sends its tickets after the client's Finished; then data. */
    const char data[] = "after the ticket";
    peer.send(data, sizeof(data));
    std::vector<uint8_t> more = peer.take();
    wire.insert(wire.end(), more.begin(), more.end());
    REQUIRE(wire.size() > 5);
    int renegotiations = 0;
    bool got_data = false;
    size_t pos = 0;
    while (pos < wire.size()) {
        session_decrypt_params d{};
        d.session = c.session;
        d.buffer = ptr(wire.data() + pos);
        d.size = uint32_t(wire.size() - pos);
        session_decrypt(&d);
        REQUIRE_MSG(d.result == int32_t(tls_ok) || d.result == int32_t(tls_renegotiate), "result %d error %d consumed %u size %u", d.result, d.error, d.consumed, d.size);
        REQUIRE(d.consumed > 0);
        if (d.result == int32_t(tls_renegotiate)) {
            renegotiations++;
            CHECK_EQ(d.data_size, 0u);
        } else if (d.data_size) {
            got_data = d.data_size == sizeof(data) && !memcmp(wire.data() + pos + d.data_offset, data, sizeof(data));
        }
        pos += d.consumed;
    }
    CHECK(renegotiations >= 1);
    CHECK(got_data);
    /* Nothing to send back for a ticket: the next handshake call is empty. */
    std::vector<uint8_t> in, out;
    session_handshake_params p = c.step(in, out);
    CHECK_EQ(p.result, int32_t(tls_ok));
    CHECK_EQ(p.output_size, 0u);
}

namespace {

/* Encrypts `message` as one contiguous record [header | data | trailer] (the
 * layout curl uses: a single in-place seal) and hands it to the peer. */
bool send_contiguous(client &c, test_peer &peer, const std::string &message, uint32_t header, uint32_t trailer)
{
    std::vector<uint8_t> record(header + message.size() + trailer);
    memcpy(record.data() + header, message.data(), message.size());
    session_encrypt_params e{};
    e.session = c.session;
    e.header = ptr(record.data());
    e.header_capacity = header;
    e.data = ptr(record.data() + header);
    e.data_size = uint32_t(message.size());
    e.trailer = ptr(record.data() + header + message.size());
    e.trailer_capacity = trailer;
    if (session_encrypt(&e) != 0 || e.result != int32_t(tls_ok)) return false;
    peer.feed(record.data(), e.header_size + e.data_size + e.trailer_size);
    std::vector<uint8_t> got;
    int n = GNUTLS_E_AGAIN;
    /* Records without data (our KeyUpdate) come back as "again". */
    for (int tries = 0; tries < 4 && (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED); tries++) n = peer.recv(got);
    return n == int(message.size()) && std::string(got.begin(), got.end()) == message;
}

/* Decrypts everything in `wire`, record by record; returns the plaintext
 * and counts SEC_I_RENEGOTIATE-style results. DATA must lie in `wire`. */
std::string decrypt_all(client &c, std::vector<uint8_t> &wire, int &renegotiations, int32_t &last)
{
    std::string plain;
    size_t pos = 0;
    while (pos < wire.size()) {
        session_decrypt_params d{};
        d.session = c.session;
        d.buffer = ptr(wire.data() + pos);
        d.size = uint32_t(wire.size() - pos);
        session_decrypt(&d);
        last = d.result;
        if (d.result == int32_t(tls_renegotiate)) renegotiations++;
        if (d.result != int32_t(tls_ok) && d.result != int32_t(tls_renegotiate)) break;
        if (d.consumed == 0 || d.data_offset + d.data_size > d.consumed) break;
        plain.append(reinterpret_cast<char *>(wire.data() + pos + d.data_offset), d.data_size);
        pos += d.consumed;
    }
    return plain;
}

} // namespace

/* Many records each way on one session: our own record sealing/opening
 * must keep sequence numbers and nonces in step with GnuTLS's peer. */
TEST_CASE(many_contiguous_records_both_ways)
{
    for (int tls13 = 0; tls13 < 2; tls13++) {
        client c(tls13 ? tls_proto_tls1_3 : tls_proto_tls1_2);
        test_peer peer(tls13 ? "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM"
                             : "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM");
        std::vector<uint8_t> leftover;
        REQUIRE(connect(c, peer, &leftover));
        uint32_t header = tls13 ? 5 : 13, trailer = tls13 ? 17 : 16;
        for (int i = 0; i < 50; i++) {
            std::string m(size_t(1 + i * 300), char('a' + i % 26));
            CHECK(send_contiguous(c, peer, m, header, trailer));
            peer.send(m.data(), m.size());
        }
        std::vector<uint8_t> wire = peer.take();
        wire.insert(wire.begin(), leftover.begin(), leftover.end());
        int renegotiations = 0;
        int32_t last = 0;
        std::string plain = decrypt_all(c, wire, renegotiations, last);
        size_t expected = 0;
        for (int i = 0; i < 50; i++) expected += size_t(1 + i * 300);
        CHECK_EQ(plain.size(), expected);
        CHECK_EQ(last, int32_t(tls_ok));
    }
}

/* TLS 1.3 KeyUpdate from the peer, asking us to update too: reported as
 * renegotiate; both directions keep working with the new keys (our reply
 * goes out through the next handshake call, before our next record). */
TEST_CASE(tls13_key_update_both_directions)
{
    client c(tls_proto_tls1_3);
    test_peer peer("NORMAL:-VERS-ALL:+VERS-TLS1.3");
    std::vector<uint8_t> leftover;
    REQUIRE(connect(c, peer, &leftover));
    REQUIRE(gnutls_session_key_update(peer.session(), GNUTLS_KU_PEER) == 0);
    const char after[] = "sent with the peer's new keys";
    peer.send(after, sizeof(after));
    std::vector<uint8_t> wire = peer.take();
    wire.insert(wire.begin(), leftover.begin(), leftover.end());
    int renegotiations = 0;
    int32_t last = 0;
    std::string plain = decrypt_all(c, wire, renegotiations, last);
    CHECK(renegotiations >= 1);
    CHECK_EQ(last, int32_t(tls_ok));
    CHECK(plain == std::string(after, sizeof(after)));
    /* Our KeyUpdate reply, then data under our new keys. */
    std::vector<uint8_t> in, out;
    session_handshake_params p = c.step(in, out);
    CHECK_EQ(p.result, int32_t(tls_ok));
    CHECK(out.size() > 0);
    peer.feed(out.data(), out.size());
    CHECK(send_contiguous(c, peer, "after our key update", 5, 17));
}

/* TLS 1.3 close_notify is encrypted like data: it must still end the
 * connection, and a later record is not decrypted as data. */
TEST_CASE(tls13_close_notify_is_reported)
{
    client c(tls_proto_tls1_3);
    test_peer peer("NORMAL:-VERS-ALL:+VERS-TLS1.3");
    std::vector<uint8_t> leftover;
    REQUIRE(connect(c, peer, &leftover));
    const char data[] = "last words";
    peer.send(data, sizeof(data));
    peer.bye();
    std::vector<uint8_t> wire = peer.take();
    wire.insert(wire.begin(), leftover.begin(), leftover.end());
    int renegotiations = 0;
    int32_t last = 0;
    std::string plain = decrypt_all(c, wire, renegotiations, last);
    CHECK(plain == std::string(data, sizeof(data)));
    CHECK_EQ(last, int32_t(tls_closed));
}

/* RFC 5705 exporter through session_export_keying_material: the bytes a
 * native GnuTLS server exports for the same label and context, with and
 * without a context; refused before the handshake ends. */
static void check_keying_material(uint32_t protocols, const char *priority)
{
    client c(protocols);
    REQUIRE(c.session != 0);
    const char label[] = "EXPERIMENTAL wine-secur32";
    const char context[] = "some context";
    uint8_t ours[40], theirs[40];

    session_export_keying_material_params early{};
    early.session = c.session;
    early.label = ptr(label);
    early.label_size = sizeof(label) - 1;
    early.output = ptr(ours);
    early.output_size = sizeof(ours);
    CHECK_EQ(session_export_keying_material(&early), 0);
    CHECK_EQ(early.result, int32_t(tls_error));

    test_peer peer(priority);
    REQUIRE(connect(c, peer));
    for (int with_context = 0; with_context < 2; with_context++) {
        session_export_keying_material_params p{};
        p.session = c.session;
        p.label = ptr(label);
        p.label_size = sizeof(label) - 1;
        if (with_context) {
            p.context = ptr(context);
            p.context_size = sizeof(context) - 1;
        }
        p.output = ptr(ours);
        p.output_size = sizeof(ours);
        memset(ours, 0, sizeof(ours));
        CHECK_EQ(session_export_keying_material(&p), 0);
        CHECK_EQ(p.result, int32_t(tls_ok));
        CHECK_EQ(gnutls_prf_rfc5705(peer.session(), sizeof(label) - 1, label,
                                    with_context ? sizeof(context) - 1 : 0, with_context ? context : nullptr,
                                    sizeof(theirs), reinterpret_cast<char *>(theirs)),
                 0);
        CHECK(memcmp(ours, theirs, sizeof(ours)) == 0);
    }
    /* A context size without bytes is refused. */
    session_export_keying_material_params bad{};
    bad.session = c.session;
    bad.label = ptr(label);
    bad.label_size = sizeof(label) - 1;
    bad.context_size = 4;
    bad.output = ptr(ours);
    bad.output_size = sizeof(ours);
    session_export_keying_material(&bad);
    CHECK_EQ(bad.result, int32_t(tls_error));
}

TEST_CASE(tls12_keying_material_matches_gnutls_server)
{
    check_keying_material(tls_proto_tls1_2, "NORMAL:-VERS-ALL:+VERS-TLS1.2");
}

TEST_CASE(tls13_keying_material_matches_gnutls_server)
{
    check_keying_material(tls_proto_tls1_2 | tls_proto_tls1_3, "NORMAL:-VERS-ALL:+VERS-TLS1.3");
}

/* A server asking for a certificate that a client credential lacks:
 * with session_flag_pause_for_certificate the handshake pauses
 * (tls_need_credentials) having taken the server's whole flight, reports
 * the request, and goes on without input once told to send none; the
 * server then has no client certificate. Without the flag it never
 * pauses. */
void check_pause_for_certificate(uint32_t protocols, const char *priority)
{
    for (int pause = 0; pause < 2; pause++) {
        client c(protocols, pause ? uint32_t(session_flag_pause_for_certificate) : 0u);
        REQUIRE(c.session != 0);
        test_peer peer(priority);
        gnutls_certificate_server_set_request(peer.session(), GNUTLS_CERT_REQUEST);
        std::vector<uint8_t> in, out;
        bool client_done = false, server_done = false;
        int pauses = 0;
        for (int round = 0; round < 20 && !(client_done && server_done); round++) {
            if (!client_done) {
                session_handshake_params p = c.step(in, out);
                REQUIRE(p.result != tls_error);
                if (p.result == tls_need_credentials) {
                    pauses++;
                    CHECK_EQ(p.input_consumed, uint32_t(in.size()));
                    CHECK_EQ(p.output_size, 0u);
                    in.clear();
                    session_certificate_request_params r{};
                    r.session = c.session;
                    session_certificate_request(&r);
                    CHECK_EQ(r.result, int32_t(tls_ok));
                    CHECK_EQ(r.requested, 1u);
                    CHECK(r.signature_count > 0);
                    bool rsa_sha256 = false;
                    for (uint32_t i = 0; i < r.signature_count; i++) rsa_sha256 |= r.signatures[i] == 0x0104;
                    CHECK(rsa_sha256);
                    session_client_certificate_params answer{};
                    answer.session = c.session;
                    session_client_certificate(&answer);
                    CHECK_EQ(answer.result, int32_t(tls_ok));
                    p = c.step(in, out); /* no input: goes on from the held flight */
                    REQUIRE(p.result != tls_error);
                    REQUIRE(p.result != tls_need_credentials);
                }
                in.erase(in.begin(), in.begin() + p.input_consumed);
                client_done = p.result == tls_ok;
                peer.feed(out.data(), out.size());
            }
            if (!server_done) {
                int ret = peer.handshake();
                REQUIRE(ret == 0 || ret == GNUTLS_E_AGAIN);
                server_done = ret == 0;
            }
            std::vector<uint8_t> more = peer.take();
            in.insert(in.end(), more.begin(), more.end());
        }
        CHECK(client_done && server_done);
        CHECK_EQ(pauses, pause);
        unsigned int count = 1;
        gnutls_certificate_get_peers(peer.session(), &count);
        CHECK_EQ(count, 0u);
        /* Answering when nothing waits is an error, not a crash. */
        session_client_certificate_params late{};
        late.session = c.session;
        session_client_certificate(&late);
        CHECK_EQ(late.result, int32_t(tls_error));
    }
}

TEST_CASE(tls12_client_pauses_for_a_requested_certificate)
{
    check_pause_for_certificate(tls_proto_tls1_2, "NORMAL:-VERS-ALL:+VERS-TLS1.2");
}

TEST_CASE(tls13_client_pauses_for_a_requested_certificate)
{
    check_pause_for_certificate(tls_proto_tls1_3, "NORMAL:-VERS-ALL:+VERS-TLS1.3");
}
