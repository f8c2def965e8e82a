/* Writes the seed corpora of the fuzz targets into DIR/<target>/: real
 * records and server flights captured from handshakes between our client
 * session and the in-process GnuTLS test peer, plus hand-built scripts
 * and descriptors. The committed corpus under tests/fuzz/corpus/ was made
 * with it:  build/tests/fuzz/make_corpus tests/fuzz/corpus */
#include <gnutls/gnutls.h>
#include <cstdio>
#include <string>
#include <sys/stat.h>

#include "fuzz_client.h"
#include "fuzz_peer.h"

using namespace fuzz;

namespace {

std::string root;

void write_seed(const std::string &target, const std::string &name, const std::vector<uint8_t> &bytes)
{
    std::string dir = root + "/" + target;
    mkdir(root.c_str(), 0755);
    mkdir(dir.c_str(), 0755);
    std::string path = dir + "/" + name;
    FILE *f = fopen(path.c_str(), "wb");
    if (!f || fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) {
        perror(path.c_str());
        exit(1);
    }
    fclose(f);
}

/* Runs a handshake; returns every byte the server sent before the client
 * finished (its flights), and leaves the connection up. */
std::vector<uint8_t> server_flights(client_session &client, fuzz_peer &peer)
{
    std::vector<uint8_t> to_client, all, to_server;
    bool client_done = false, server_done = false;
    for (int round = 0; round < 20 && !(client_done && server_done); round++) {
        if (!client_done) {
            session_handshake_params p = client.step(to_client, to_server);
            if (p.result == tls_error) break;
            to_client.erase(to_client.begin(), to_client.begin() + p.input_consumed);
            client_done = p.result == tls_ok;
            peer.feed(to_server.data(), to_server.size());
            to_server.clear();
        }
        if (!server_done) server_done = peer.handshake() == 0;
        std::vector<uint8_t> more = peer.take();
        if (!client_done) all.insert(all.end(), more.begin(), more.end());
        to_client.insert(to_client.end(), more.begin(), more.end());
    }
    if (!client_done || !server_done) {
        fprintf(stderr, "make_corpus: handshake failed\n");
        exit(1);
    }
    return all;
}

void push16(std::vector<uint8_t> &v, uint16_t x)
{
    v.push_back(uint8_t(x >> 8));
    v.push_back(uint8_t(x));
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_corpus DIR\n");
        return 2;
    }
    root = argv[1];

    /* session_handshake: mode byte (protocol set, bit 2 = in pieces) +
     * the server's flights; record_framing: the same bytes and one
     * application record. */
    struct {
        uint8_t mode;
        uint32_t protocols;
        const char *priority;
        const char *name;
    } flights[] = {
        {0, tls_proto_tls1_2, "NORMAL:-VERS-ALL:+VERS-TLS1.2", "tls12"},
        {1, tls_proto_tls1_3, "NORMAL:-VERS-ALL:+VERS-TLS1.3", "tls13"},
        {2, tls_proto_tls1_2 | tls_proto_tls1_3, "NORMAL", "tls12_13"},
        {3, tls_proto_tls1_0 | tls_proto_tls1_1 | tls_proto_tls1_2, "NORMAL:-VERS-ALL:+VERS-TLS1.0", "tls10"},
        {0, tls_proto_tls1_2, "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-CBC:-MAC-ALL:+SHA1", "tls12_cbc"},
    };
    for (auto &f : flights) {
        client_session client(f.protocols);
        fuzz_peer peer(f.priority);
        std::vector<uint8_t> flight = server_flights(client, peer);
        std::vector<uint8_t> seed{f.mode};
        seed.insert(seed.end(), flight.begin(), flight.end());
        write_seed("session_handshake", f.name, seed);
        std::vector<uint8_t> pieces{uint8_t(f.mode | 4)};
        push16(pieces, 100);
        pieces.insert(pieces.end(), flight.begin(), flight.end());
        write_seed("session_handshake", std::string(f.name) + "_pieces", pieces);
        write_seed("record_framing", std::string(f.name) + "_flight", flight);
        const char hello[] = "hello, record";
        peer.send(hello, sizeof(hello));
        write_seed("record_framing", std::string(f.name) + "_record", peer.take());
    }

    /* session_decrypt: config byte + script (see the target's switch). */
    auto script = [](uint8_t config, std::initializer_list<uint8_t> ops) {
        std::vector<uint8_t> s{config};
        s.insert(s.end(), ops.begin(), ops.end());
        return s;
    };
    write_seed("session_decrypt", "tls12_data", script(0, {0, 0, 5, 'h', 'e', 'l', 'l', 'o', 0, 0x40, 0x00}));
    write_seed("session_decrypt", "tls12_chacha_alert", script(1, {0, 0, 3, 'a', 'b', 'c', 1, 1, 0}));
    write_seed("session_decrypt", "tls12_cbc_bye", script(2, {0, 0, 2, 'h', 'i', 2}));
    write_seed("session_decrypt", "tls13_keyupdate_ticket", script(3, {0, 0, 1, 'x', 3, 1, 4, 0, 0, 1, 'y'}));
    write_seed("session_decrypt", "tls13_corrupt", script(3, {0, 0, 4, 'd', 'a', 't', 'a', 6, 0, 9, 0x80}));
    write_seed("session_decrypt", "tls12_rehandshake", script(0, {3, 8, 0, 0, 2, 'o', 'k'}));
    write_seed("session_decrypt", "tls10_truncate", script(4, {0, 0, 3, 'a', 'b', 'c', 7, 0, 20}));
    write_seed("session_decrypt", "tls13_raw_and_send",
               script(3, {9, 0, 3, 'u', 'p', '!', 5, 0, 5, 0x17, 0x03, 0x03, 0x00, 0x10, 8}));

    /* sec_buffers: count, then per buffer type/len(2)/pointer-flag. */
    write_seed("sec_buffers", "decrypt_layout",
               {4, 1, 0, 64, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 2, 3, 0, 0, 0, 64, 0, 0, 0, 5, 0, 40});
    write_seed("sec_buffers", "encrypt_layout", {4, 7, 0, 13, 1, 1, 0, 100, 1, 6, 0, 16, 1, 0, 0, 0, 1});
    write_seed("sec_buffers", "handshake_layout", {2, 2, 0, 200, 1, 0, 0, 0, 1});
    printf("seeds written under %s\n", root.c_str());
    return 0;
}
