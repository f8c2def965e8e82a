/* server_flight_scan: whether a client's handshake call can meet a
 * CertificateRequest, from the server's plaintext TLS 1.2 flight. */
#include "unit_test.h"

#include "unix/server_flight.h"

using namespace secur32::unix_side;

namespace {

std::vector<uint8_t> message(uint8_t type, size_t body)
{
    std::vector<uint8_t> m = {type, uint8_t(body >> 16), uint8_t(body >> 8), uint8_t(body)};
    m.resize(4 + body, 0x5A);
    return m;
}

std::vector<uint8_t> concat(std::initializer_list<std::vector<uint8_t>> parts)
{
    std::vector<uint8_t> all;
    for (const auto &p : parts) all.insert(all.end(), p.begin(), p.end());
    return all;
}

/* `payload` cut into records of at most `chunk` bytes. */
std::vector<uint8_t> records(const std::vector<uint8_t> &payload, size_t chunk, uint8_t type = 22)
{
    std::vector<uint8_t> out;
    for (size_t pos = 0; pos < payload.size(); pos += chunk) {
        size_t n = std::min(chunk, payload.size() - pos);
        out.insert(out.end(), {type, 3, 3, uint8_t(n >> 8), uint8_t(n)});
        out.insert(out.end(), payload.begin() + ptrdiff_t(pos), payload.begin() + ptrdiff_t(pos + n));
    }
    return out;
}

const std::vector<uint8_t> plain_flight =
    concat({message(2, 70), message(11, 1800), message(12, 300), message(14, 0)});
const std::vector<uint8_t> asking_flight =
    concat({message(2, 70), message(11, 1800), message(12, 300), message(13, 40), message(14, 0)});

} // namespace

TEST_CASE(whole_flight_without_request_needs_no_worker)
{
    /* One record per message, all messages in one record, and messages
     * (headers too) split across records. */
    for (size_t chunk : {size_t(16384), size_t(1000), size_t(3), size_t(1)}) {
        std::vector<uint8_t> r = records(plain_flight, chunk);
        server_flight_scan scan;
        CHECK_MSG(scan.ends_without_request(r.data(), r.size()), "chunk %zu", chunk);
    }
}

TEST_CASE(flight_with_request_needs_the_worker)
{
    for (size_t chunk : {size_t(16384), size_t(1000), size_t(3), size_t(1)}) {
        std::vector<uint8_t> r = records(asking_flight, chunk);
        server_flight_scan scan;
        CHECK_MSG(!scan.ends_without_request(r.data(), r.size()), "chunk %zu", chunk);
        scan.consume(r.data(), r.size());
        CHECK(scan.lost());
    }
}

TEST_CASE(flight_over_several_calls_is_followed)
{
    /* Every cut at a record boundary: the calls before the one holding
     * ServerHelloDone need the worker, that one needs none, unless the
     * request is in it or came before. */
    for (const auto *flight : {&plain_flight, &asking_flight}) {
        bool asks = flight == &asking_flight;
        std::vector<uint8_t> r = records(*flight, 7);
        for (size_t cut = 0; cut < r.size(); cut += 12) {
            server_flight_scan scan;
            CHECK(!scan.ends_without_request(r.data(), cut) || cut == r.size());
            scan.consume(r.data(), cut);
            bool request_seen = scan.lost();
            CHECK_EQ(scan.ends_without_request(r.data() + cut, r.size() - cut), !asks && !request_seen);
            CHECK(!request_seen || asks);
        }
    }
}

TEST_CASE(what_it_cannot_read_needs_the_worker)
{
    /* A resumption's or TLS 1.3's ChangeCipherSpec, an alert, an
     * encrypted record before ServerHelloDone; a cut inside a record. */
    std::vector<uint8_t> hello = records(message(2, 70), 16384);
    for (uint8_t type : {uint8_t(20), uint8_t(21), uint8_t(23)}) {
        std::vector<uint8_t> r = concat({hello, records(message(14, 0), 16384, type)});
        server_flight_scan scan;
        CHECK_MSG(!scan.ends_without_request(r.data(), r.size()), "type %u", type);
        scan.consume(r.data(), r.size());
        CHECK(scan.lost());
    }
    std::vector<uint8_t> r = records(plain_flight, 16384);
    server_flight_scan scan;
    CHECK(!scan.ends_without_request(r.data(), r.size() - 1));
    scan.consume(r.data(), 10);
    CHECK(scan.lost());
    CHECK(!scan.ends_without_request(r.data() + 10, r.size() - 10));
}

TEST_CASE(server_hello_done_with_a_body_is_not_the_end)
{
    std::vector<uint8_t> r = records(concat({message(2, 70), message(14, 2)}), 16384);
    server_flight_scan scan;
    CHECK(!scan.ends_without_request(r.data(), r.size()));
}

TEST_CASE(deciding_does_not_move_the_scanner)
{
    std::vector<uint8_t> r = records(plain_flight, 500);
    server_flight_scan scan;
    CHECK(scan.ends_without_request(r.data(), r.size()));
    CHECK(scan.ends_without_request(r.data(), r.size()));
    CHECK(!scan.lost());
}
