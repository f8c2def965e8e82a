/* The record path's promises, natively: EncryptMessage/DecryptMessage's
 * Unix side makes no heap allocation per record (malloc is interposed in
 * this program and counted), works in place, and costs little beyond the
 * cipher (time per call is printed, never asserted: no timed tests). */
#include "unit_test.h"

#include <gnutls/gnutls.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <vector>

#include "support/test_client.h"
#include "support/test_peer.h"
#include "unix/unixlib_entries.h"

/* ASan (unit-asan/record_path) owns malloc itself: interposing it there
 * breaks ASan's start-up, so that build checks everything but the count. */
#if defined(__SANITIZE_ADDRESS__)
#define COUNT_ALLOCATIONS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define COUNT_ALLOCATIONS 0
#endif
#endif
#ifndef COUNT_ALLOCATIONS
#define COUNT_ALLOCATIONS 1
#endif

namespace {
std::atomic<long> allocations{0}; /* stays 0 when not counting */
}

#if COUNT_ALLOCATIONS
extern "C" {
void *__libc_malloc(size_t);
void *__libc_calloc(size_t, size_t);
void *__libc_realloc(void *, size_t);
}

/* Every allocation in this process — ours and GnuTLS's — goes through
 * these; they count and defer to glibc. */
extern "C" void *malloc(size_t n)
{
    allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_malloc(n);
}
extern "C" void *calloc(size_t n, size_t m)
{
    allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_calloc(n, m);
}
extern "C" void *realloc(void *p, size_t n)
{
    allocations.fetch_add(1, std::memory_order_relaxed);
    return __libc_realloc(p, n);
}
#endif

using namespace secur32::unix_side;
using test_support::test_peer;

namespace {

using client = test_support::test_client;
using test_support::ptr;

/* Handshake against the peer; TLS 1.3 tickets that follow are consumed. */
bool connect_past_tickets(client &c, test_peer &peer)
{
    std::vector<uint8_t> in;
    if (!test_support::connect(c, peer, &in)) return false;
    while (!in.empty()) { /* tickets */
        session_decrypt_params d{};
        d.session = c.session;
        d.buffer = ptr(in.data());
        d.size = uint32_t(in.size());
        session_decrypt(&d);
        if (d.result != tls_renegotiate && d.result != tls_ok) return false;
        in.erase(in.begin(), in.begin() + d.consumed);
    }
    return true;
}

void check_record_path(uint32_t protocols, const char *priority, uint32_t header, uint32_t trailer, const char *name)
{
    client c(protocols);
    test_peer peer(priority);
    REQUIRE(connect_past_tickets(c, peer));
    constexpr int records = 200;
    for (uint32_t size : {16384u, 64u}) {
        /* Records from the peer, made before counting starts. */
        std::vector<uint8_t> message(size, 'x'), wire;
        for (int i = 0; i < records; i++) {
            message[0] = uint8_t(i);
            peer.send(message.data(), message.size());
        }
        wire = peer.take();
        std::vector<uint8_t> sealed(size_t(records) * (header + size + trailer));

        long before = allocations.load();
        auto start = std::chrono::steady_clock::now();
        size_t pos = 0;
        int decrypted = 0, in_place = 0;
        for (int i = 0; i < records; i++) {
            session_decrypt_params d{};
            d.session = c.session;
            d.buffer = ptr(wire.data() + pos);
            d.size = uint32_t(wire.size() - pos);
            session_decrypt(&d);
            if (d.result != tls_ok) break;
            decrypted++;
            if (d.data_size == size && wire[pos + d.data_offset] == uint8_t(i)) in_place++;
            pos += d.consumed;
        }
        auto middle = std::chrono::steady_clock::now();
        int encrypted = 0;
        for (int i = 0; i < records; i++) {
            uint8_t *slot = sealed.data() + size_t(i) * (header + size + trailer);
            session_encrypt_params e{};
            e.session = c.session;
            e.header = ptr(slot);
            e.header_capacity = header;
            e.data = ptr(slot + header);
            e.data_size = size;
            e.trailer = ptr(slot + header + size);
            e.trailer_capacity = trailer;
            session_encrypt(&e);
            if (e.result == tls_ok) encrypted++;
        }
        auto end = std::chrono::steady_clock::now();
        long during = allocations.load() - before;

        CHECK_EQ(decrypted, records);
        CHECK_EQ(in_place, records);
        CHECK_EQ(encrypted, records);
        CHECK_MSG(during == 0, "%s, %u-byte records: %ld heap allocations in %d records each way", name, size, during,
                  records);
        /* The peer reads back every record we sealed. */
        peer.feed(sealed.data(), sealed.size());
        int read_back = 0;
        std::vector<uint8_t> got;
        for (int i = 0; i < records && peer.recv(got) == int(size); i++) read_back++;
        CHECK_EQ(read_back, records);
        TRACE("%s %u B: decrypt %.3f us, encrypt %.3f us per record", name, size,
              std::chrono::duration<double, std::micro>(middle - start).count() / records,
              std::chrono::duration<double, std::micro>(end - middle).count() / records);
    }
}

} // namespace

TEST_CASE(tls12_aes_gcm_records_without_allocation)
{
    check_record_path(tls_proto_tls1_2, "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM", 13, 16,
                      "TLS 1.2 AES-128-GCM");
}

TEST_CASE(tls12_chacha20_records_without_allocation)
{
    check_record_path(tls_proto_tls1_2, "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+CHACHA20-POLY1305", 5, 16,
                      "TLS 1.2 ChaCha20-Poly1305");
}

TEST_CASE(tls13_records_without_allocation)
{
    check_record_path(tls_proto_tls1_3, "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM", 5, 17,
                      "TLS 1.3 AES-128-GCM");
}
