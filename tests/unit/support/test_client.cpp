/* test_client: see test_client.h. */
#include "support/test_client.h"

using namespace secur32::unix_side;

namespace test_support {

test_client::test_client(uint32_t protocols, uint32_t session_flags)
{
    process_attach_params attach{};
    process_attach(&attach);
    credentials_create_params c{};
    c.protocols = protocols;
    if (credentials_create(&c) == 0) creds = c.credentials;
    session_create_params s{};
    s.credentials = creds;
    const char host[] = "localhost";
    s.server_name = ptr(host);
    s.server_name_size = sizeof(host) - 1;
    s.flags = session_flags;
    if (creds && session_create(&s) == 0) session = s.session;
}

test_client::~test_client()
{
    session_free_params s{session};
    session_free(&s);
    credentials_free_params c{creds};
    credentials_free(&c);
}

session_handshake_params test_client::step(const std::vector<uint8_t> &in, std::vector<uint8_t> &out)
{
    session_handshake_params p{};
    out.resize(65536);
    p.session = session;
    p.input = in.empty() ? 0 : ptr(in.data());
    p.input_size = uint32_t(in.size());
    p.output = ptr(out.data());
    p.output_capacity = uint32_t(out.size());
    session_handshake(&p);
    out.resize(p.output_size);
    return p;
}

bool connect(test_client &c, test_peer &peer, std::vector<uint8_t> *leftover)
{
    std::vector<uint8_t> in, out;
    bool client_done = false, server_done = false;
    for (int round = 0; round < 20 && !(client_done && server_done); round++) {
        if (!client_done) {
            session_handshake_params p = c.step(in, out);
            if (p.result == tls_error) return false;
            in.erase(in.begin(), in.begin() + p.input_consumed);
            client_done = p.result == tls_ok;
            peer.feed(out.data(), out.size());
        }
        if (!server_done) {
            int ret = peer.handshake();
            if (ret < 0 && ret != GNUTLS_E_AGAIN) return false;
            server_done = ret == 0;
        }
        std::vector<uint8_t> more = peer.take();
        in.insert(in.end(), more.begin(), more.end());
    }
    if (leftover) *leftover = in;
    return client_done && server_done;
}

} // namespace test_support
