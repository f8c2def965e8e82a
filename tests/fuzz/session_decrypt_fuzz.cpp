/* libFuzzer target: the Unix side's record decryption (DecryptMessage's
 * path) on an established session. Each input first completes a real
 * handshake between our client and an in-process GnuTLS server
 * (fuzz_peer.h), then is read as a script of what the
 * server and the wire do: send application data, alerts, close_notify,
 * renegotiation requests / KeyUpdate / tickets, raw bytes, corrupt or
 * truncate what is on the wire. The client then decrypts the wire one
 * record per call, as DecryptMessage does, re-submitting EXTRA bytes.
 *
 * Checked besides crashes/leaks (ASan/UBSan): consumed never exceeds the
 * input, header + data + trailer lie inside the record, every successful
 * call consumes bytes (a caller would spin otherwise) or, during a
 * renegotiation, leaves a record that the next handshake call takes,
 * MISSING is exact for a partial record, and nothing is written outside
 * the buffer. */
#include <gnutls/gnutls.h>

#include "fuzz_client.h"
#include "fuzz_input.h"
#include "fuzz_peer.h"

using namespace fuzz;

namespace {

struct config {
    uint32_t protocols;
    const char *server_priority;
};

const config configs[] = {
    {tls_proto_tls1_2, "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM"},
    {tls_proto_tls1_2, "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+CHACHA20-POLY1305"},
    {tls_proto_tls1_2, "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-CBC:-MAC-ALL:+SHA1:+SHA256"},
    {tls_proto_tls1_3, "NORMAL:-VERS-ALL:+VERS-TLS1.3"},
    {tls_proto_tls1_0 | tls_proto_tls1_2, "NORMAL:-VERS-ALL:+VERS-TLS1.0:-CIPHER-ALL:+AES-128-CBC:-MAC-ALL:+SHA1"},
};

/* Pumps the handshake; false when it does not complete. */
bool connect(client_session &client, fuzz_peer &peer, std::vector<uint8_t> &to_client)
{
    std::vector<uint8_t> to_server;
    bool client_done = false, server_done = false;
    for (int round = 0; round < 20 && !(client_done && server_done); round++) {
        if (!client_done) {
            session_handshake_params p = client.step(to_client, to_server);
            if (p.result == tls_error) return false;
            to_client.erase(to_client.begin(), to_client.begin() + p.input_consumed);
            client_done = p.result == tls_ok;
            peer.feed(to_server.data(), to_server.size());
            to_server.clear();
        }
        if (!server_done) {
            int ret = peer.handshake();
            if (ret < 0 && ret != GNUTLS_E_AGAIN) return false;
            server_done = ret == 0;
        }
        std::vector<uint8_t> more = peer.take();
        to_client.insert(to_client.end(), more.begin(), more.end());
    }
    return client_done && server_done;
}

/* Decrypts `wire` record by record; returns when it is used up, the
 * session ends or fails, or a partial record waits for more. */
void decrypt_all(client_session &client, std::vector<uint8_t> wire)
{
    for (int call = 0; call < 4096 && !wire.empty(); call++) {
        /* An exact-size heap copy: ASan catches any access past its end. */
        auto *buffer = new uint8_t[wire.size()];
        memcpy(buffer, wire.data(), wire.size());
        session_decrypt_params d{};
        d.session = client.handle();
        d.buffer = ptr(buffer);
        d.size = uint32_t(wire.size());
        FUZZ_EXPECT(session_decrypt(&d) == 0);
        delete[] buffer;
        FUZZ_EXPECT(d.consumed <= d.size);
        if (d.result == tls_incomplete) {
            FUZZ_EXPECT(d.consumed == 0 && d.missing > 0);
            if (wire.size() >= 5) FUZZ_EXPECT(wire.size() + d.missing == 5 + (size_t(wire[3]) << 8 | wire[4]));
            return;
        }
        if (d.result == tls_error || d.result == tls_closed) return;
        FUZZ_EXPECT(d.result == tls_ok || d.result == tls_renegotiate);
        FUZZ_EXPECT(d.consumed > 0 || d.result == tls_renegotiate);
        FUZZ_EXPECT(d.data_offset <= d.consumed && d.data_size <= d.consumed - d.data_offset);
        if (d.result == tls_renegotiate) {
            /* As the caller's next ISC does with the EXTRA bytes as its
             * TOKEN: a ticket or KeyUpdate needs only what the session
             * queued (a reply), a renegotiation (HelloRequest) goes on
             * with the wire. A record left unconsumed must be taken by
             * that call, or the caller would spin. */
            std::vector<uint8_t> rest(wire.begin() + d.consumed, wire.end()), reply;
            session_handshake_params p = client.step(rest, reply);
            if (!d.consumed)
                FUZZ_EXPECT(p.input_consumed > 0 || p.result == tls_error || p.result == tls_no_renegotiation);
            wire.erase(wire.begin(), wire.begin() + d.consumed + p.input_consumed);
            if (p.result == tls_error) return;
            client.drain(reply);
            continue;
        }
        wire.erase(wire.begin(), wire.begin() + d.consumed);
    }
}

/* The client encrypts `plain` and the peer reads it: the send path runs
 * alongside the receive path, as in a real connection. */
void client_sends(client_session &client, fuzz_peer &peer, const std::vector<uint8_t> &plain)
{
    std::vector<uint8_t> data(plain);
    if (data.empty()) data.push_back(0);
    uint8_t header[64], trailer[512];
    session_encrypt_params e{};
    e.session = client.handle();
    e.header = ptr(header);
    e.header_capacity = sizeof(header);
    e.data = ptr(data.data());
    e.data_size = uint32_t(data.size());
    e.trailer = ptr(trailer);
    e.trailer_capacity = sizeof(trailer);
    FUZZ_EXPECT(session_encrypt(&e) == 0);
    if (e.result != tls_ok) return;
    FUZZ_EXPECT(e.header_size <= sizeof(header) && e.trailer_size <= sizeof(trailer));
    peer.feed(header, e.header_size);
    peer.feed(data.data(), data.size());
    peer.feed(trailer, e.trailer_size);
    std::vector<uint8_t> got;
    peer.recv(got);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input_reader in(data, size);
    const config &cfg = configs[in.u8() % (sizeof(configs) / sizeof(configs[0]))];
    fuzz_peer peer(cfg.server_priority);
    client_session client(cfg.protocols, true);
    std::vector<uint8_t> wire;
    if (!connect(client, peer, wire)) FUZZ_EXPECT(!"handshake with the test peer failed");
    bool tls13 = gnutls_protocol_get_version(peer.session()) == GNUTLS_TLS1_3;

    for (int op = 0; op < 64 && !in.empty(); op++) {
        switch (in.u8() % 10) {
        case 0: { /* application data, up to 16 KB + a bit (GnuTLS splits) */
            size_t n = in.u16() % 17000;
            std::vector<uint8_t> plain = in.bytes(n);
            plain.resize(n, 'x');
            peer.send(plain.data(), plain.size());
            break;
        }
        case 1: { /* an alert of any level and description */
            uint8_t level = in.u8(), description = in.u8();
            gnutls_alert_send(peer.session(), gnutls_alert_level_t(level % 3), gnutls_alert_description_t(description));
            break;
        }
        case 2: peer.bye(); break;
        case 3: /* renegotiation (TLS 1.2 HelloRequest) or KeyUpdate (TLS 1.3) */
            if (tls13)
                gnutls_session_key_update(peer.session(), (in.u8() & 1) ? GNUTLS_KU_PEER : 0);
            else
                gnutls_rehandshake(peer.session());
            break;
        case 4: /* TLS 1.3 NewSessionTicket */
            if (tls13) gnutls_session_ticket_send(peer.session(), 1, 0);
            break;
        case 5: { /* raw bytes straight onto the wire */
            std::vector<uint8_t> raw = in.bytes(in.u16() % 1024);
            wire.insert(wire.end(), raw.begin(), raw.end());
            break;
        }
        case 6: { /* corrupt one byte of what the server has produced */
            std::vector<uint8_t> more = peer.take();
            wire.insert(wire.end(), more.begin(), more.end());
            uint16_t at = in.u16();
            uint8_t x = in.u8();
            if (!wire.empty()) wire[at % wire.size()] ^= x ? x : 1;
            break;
        }
        case 7: { /* truncate the wire */
            std::vector<uint8_t> more = peer.take();
            wire.insert(wire.end(), more.begin(), more.end());
            uint16_t keep = in.u16();
            if (!wire.empty()) wire.resize(keep % wire.size());
            break;
        }
        case 8: { /* decrypt what is there so far, then carry on */
            std::vector<uint8_t> more = peer.take();
            wire.insert(wire.end(), more.begin(), more.end());
            decrypt_all(client, wire);
            wire.clear();
            break;
        }
        case 9: client_sends(client, peer, in.bytes(in.u16() % 2048)); break;
        }
        std::vector<uint8_t> more = peer.take();
        wire.insert(wire.end(), more.begin(), more.end());
    }
    decrypt_all(client, wire);
    return 0;
}
