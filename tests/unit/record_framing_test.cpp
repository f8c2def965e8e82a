/* scan_records: whole-record detection on bytes from the peer. */
#include "unit_test.h"

#include "unix/record_framing.h"

using namespace secur32::unix_side;

namespace {

std::vector<uint8_t> record(uint8_t type, size_t body)
{
    std::vector<uint8_t> r = {type, 3, 3, uint8_t(body >> 8), uint8_t(body)};
    r.resize(5 + body, 0xAB);
    return r;
}

} // namespace

TEST_CASE(empty_input_asks_for_a_header)
{
    frame_scan s = scan_records(nullptr, 0, false);
    CHECK(s.status == frame_status::incomplete);
    CHECK_EQ(s.complete_bytes, 0u);
    CHECK_EQ(s.missing, 5u);
}

TEST_CASE(partial_header_never_overstates_missing)
{
    std::vector<uint8_t> r = record(22, 100);
    for (size_t have = 1; have < 5; have++) {
        frame_scan s = scan_records(r.data(), have, false);
        CHECK(s.status == frame_status::incomplete);
        CHECK_EQ(s.missing, 5 - have);
    }
}

TEST_CASE(partial_body_reports_exact_missing)
{
    std::vector<uint8_t> r = record(23, 300);
    frame_scan s = scan_records(r.data(), 5 + 120, false);
    CHECK(s.status == frame_status::incomplete);
    CHECK_EQ(s.missing, 180u);
}

TEST_CASE(whole_records_then_partial)
{
    std::vector<uint8_t> a = record(22, 10), b = record(22, 20), c = record(23, 30);
    std::vector<uint8_t> all = a;
    all.insert(all.end(), b.begin(), b.end());
    all.insert(all.end(), c.begin(), c.end() - 7);
    frame_scan s = scan_records(all.data(), all.size(), false);
    CHECK(s.status == frame_status::complete);
    CHECK_EQ(s.complete_bytes, a.size() + b.size());
    s = scan_records(all.data(), all.size(), true);
    CHECK_EQ(s.complete_bytes, a.size());
}

TEST_CASE(garbage_is_malformed_not_incomplete)
{
    const uint8_t http[] = "HTTP/1.1 400 Bad Request\r\n";
    CHECK(scan_records(http, sizeof(http) - 1, false).status == frame_status::malformed);
    const uint8_t one[] = {0x48};
    CHECK(scan_records(one, 1, false).status == frame_status::malformed);
    const uint8_t bad_version[] = {23, 2};
    CHECK(scan_records(bad_version, 2, false).status == frame_status::malformed);
}

TEST_CASE(oversized_length_is_malformed)
{
    std::vector<uint8_t> r = {23, 3, 3, 0xFF, 0xFF};
    CHECK(scan_records(r.data(), r.size(), false).status == frame_status::malformed);
    std::vector<uint8_t> ok = record(23, max_record_body);
    CHECK(scan_records(ok.data(), ok.size(), false).status == frame_status::complete);
}

TEST_CASE(garbage_after_good_record_waits_for_next_call)
{
    std::vector<uint8_t> all = record(22, 4);
    all.insert(all.end(), {'x', 'y', 'z', 'w', 'v'});
    frame_scan s = scan_records(all.data(), all.size(), false);
    CHECK(s.status == frame_status::complete);
    CHECK_EQ(s.complete_bytes, 9u);
}
