/* Our client session for unit tests of the Unix side, driven through the
 * unixlib entry points the way the PE side drives them, and the initial
 * handshake against a test_peer. Shared so that every test connects the
 * same way and a change to the entry points is made in one place. */
#pragma once

#include <cstdint>
#include <vector>

#include "support/test_peer.h"
#include "unix/unixlib_entries.h"

namespace test_support {

/* A PE-side pointer field for a buffer of this process (unit tests run
 * the Unix side natively, so the address is used as it is). */
template <typename T> pe_ptr ptr(T *p)
{
    return pe_ptr(reinterpret_cast<uintptr_t>(p));
}

/* An outbound credential for `protocols` (tls_proto_* bits) and a client
 * session on it for "localhost"; creds / session stay 0 when creation
 * fails, which tests check where it matters. */
struct test_client {
    unix_handle creds = 0, session = 0;

    explicit test_client(uint32_t protocols, uint32_t session_flags = 0);
    ~test_client();
    test_client(const test_client &) = delete;
    test_client &operator=(const test_client &) = delete;

    /* One handshake call with `in` (a null input pointer when `in` is
     * empty, as when the caller has no token) and room for 64 KB of
     * output, which replaces `out`. `in` is left as it was: some tests
     * check input_consumed against it before dropping what was taken. */
    session_handshake_params step(const std::vector<uint8_t> &in, std::vector<uint8_t> &out);
};

/* Pumps bytes between `c` and `peer` until both have finished the
 * handshake (at most 20 rounds); false if either fails. What the peer
 * sent after our client finished (TLS 1.3 tickets, data) is left in
 * `leftover` when given. */
bool connect(test_client &c, test_peer &peer, std::vector<uint8_t> *leftover = nullptr);

} // namespace test_support
