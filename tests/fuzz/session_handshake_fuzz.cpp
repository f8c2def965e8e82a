/* libFuzzer target: the Unix side's handshake processing. A fresh client
 * session sends its ClientHello; the input then plays the server's
 * flights (seeds: real flights captured by make_corpus). Byte 0 picks the
 * protocols the client offers; the rest is fed in pieces whose sizes come
 * from the input too, the way a caller re-submits what it received.
 *
 * Checked besides crashes/leaks (ASan/UBSan): consumed bytes never exceed
 * the input, SECBUFFER_MISSING is positive and bounded, output fits, and
 * the loop makes progress (no call that consumes nothing and says
 * "continue" with bytes left: a caller would spin forever). */
#include "fuzz_client.h"
#include "fuzz_input.h"

using namespace fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input_reader in(data, size);
    static const uint32_t protocol_sets[] = {tls_proto_tls1_2, tls_proto_tls1_3, tls_proto_tls1_2 | tls_proto_tls1_3,
                                             tls_proto_tls1_0 | tls_proto_tls1_1 | tls_proto_tls1_2};
    uint8_t mode = in.u8();
    client_session client(protocol_sets[mode % 4]);
    std::vector<uint8_t> to_server;
    client.drain(to_server);
    FUZZ_EXPECT(!to_server.empty()); /* the ClientHello */

    /* Bit 2 of the mode: deliver the flight in pieces (sizes from the
     * first two bytes) instead of all at once. */
    size_t piece = (mode & 4) ? size_t(in.u16() % 512) + 1 : SIZE_MAX;
    std::vector<uint8_t> flight = in.rest();
    std::vector<uint8_t> pending;
    size_t delivered = 0;
    for (int call = 0; call < 4096; call++) {
        size_t n = std::min(piece, flight.size() - delivered);
        pending.insert(pending.end(), flight.begin() + ptrdiff_t(delivered), flight.begin() + ptrdiff_t(delivered + n));
        delivered += n;
        session_handshake_params p = client.step(pending, to_server);
        pending.erase(pending.begin(), pending.begin() + p.input_consumed);
        if (p.result == tls_error || p.result == tls_ok) break;
        if (p.result == tls_incomplete) {
            FUZZ_EXPECT(p.input_consumed == 0);
            if (delivered == flight.size()) break; /* a caller would wait for more */
            continue;
        }
        /* tls_continue: GnuTLS wants more; everything complete was consumed. */
        if (delivered == flight.size() && pending.empty()) break;
        if (p.input_consumed == 0 && delivered == flight.size()) FUZZ_EXPECT(!"no progress on complete records");
    }
    return 0;
}
