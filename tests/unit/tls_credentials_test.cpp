/* tls_credentials: creation per protocol set and the client session cache. */
#include "unit_test.h"

#include <gnutls/gnutls.h>

#include "unix/tls_credentials.h"
#include "unixlib_calls.h"

using namespace secur32::unix_side;

TEST_CASE(no_protocol_is_refused)
{
    int error = 0;
    CHECK(tls_credentials::create(0, false, error) == nullptr);
    CHECK_EQ(error, GNUTLS_E_NO_PRIORITIES_WERE_SET);
}

TEST_CASE(each_protocol_set_is_accepted)
{
    for (uint32_t bits = 1; bits < 16; bits++) {
        int error = 1;
        auto creds = tls_credentials::create(bits, false, error);
        CHECK_MSG(creds != nullptr && error == 0, "protocols %#x: error %d", bits, error);
    }
}

TEST_CASE(session_cache_stores_finds_and_forgets)
{
    int error = 0;
    auto creds = tls_credentials::create(tls_proto_tls1_2, false, error);
    REQUIRE(creds != nullptr);
    CHECK(creds->find_session("a.example").empty());
    creds->store_session("a.example", {1, 2, 3});
    creds->store_session("b.example", {4});
    CHECK(creds->find_session("a.example") == secret_bytes({1, 2, 3}));
    creds->store_session("a.example", {9}); /* replaces, not duplicates */
    CHECK(creds->find_session("a.example") == secret_bytes({9}));
    creds->forget_session("a.example");
    CHECK(creds->find_session("a.example").empty());
    CHECK(creds->find_session("b.example") == secret_bytes({4}));
    creds->store_session("", {1});   /* no target, no entry */
    creds->store_session("c.example", {});
    CHECK(creds->find_session("").empty());
    CHECK(creds->find_session("c.example").empty());
}

TEST_CASE(session_cache_is_bounded_and_keeps_recent_entries)
{
    int error = 0;
    auto creds = tls_credentials::create(tls_proto_tls1_2, false, error);
    REQUIRE(creds != nullptr);
    for (int i = 0; i < 1000; i++) creds->store_session("host" + std::to_string(i), {uint8_t(i)});
    CHECK(creds->find_session("host0").empty());
    CHECK(creds->find_session("host999") == secret_bytes({uint8_t(999)}));
    int kept = 0;
    for (int i = 0; i < 1000; i++) kept += !creds->find_session("host" + std::to_string(i)).empty();
    CHECK_MSG(kept > 0 && kept <= 256, "kept %d", kept);
}

TEST_CASE(enabled_algorithms_follow_the_disabled_set)
{
    int error = 0;
    auto all = tls_credentials::create(tls_proto_tls1_2 | tls_proto_tls1_3, false, error);
    REQUIRE(all != nullptr);
    uint32_t bits = all->enabled_algorithms();
    CHECK(bits & tls_alg_aes_128_gcm);
    CHECK(bits & tls_alg_aes_256_gcm);
    CHECK(bits & tls_alg_kx_ecdhe);
    uint32_t off = tls_alg_aes_128_gcm | tls_alg_aes_128_cbc | tls_alg_aes_128_ccm | tls_alg_kx_rsa;
    auto fewer = tls_credentials::create(tls_proto_tls1_2 | tls_proto_tls1_3, false, error, off);
    REQUIRE(fewer != nullptr);
    CHECK_EQ(fewer->enabled_algorithms() & off, 0u);
    CHECK(fewer->enabled_algorithms() & tls_alg_aes_256_gcm);
}
