/* The server side for the session fuzzers: a GnuTLS server session with
 * an in-memory transport, like tests/unit/support/test_peer, but with one
 * certificate, key and ticket key made per process instead of per
 * session: a fuzzer makes a session per input, hundreds per second. */
#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "fuzz_client.h"

namespace fuzz {

class fuzz_peer {
public:
    explicit fuzz_peer(const char *priority)
    {
        static const identity id;
        FUZZ_EXPECT(gnutls_init(&session_, GNUTLS_SERVER | GNUTLS_NONBLOCK) == 0);
        FUZZ_EXPECT(gnutls_priority_set_direct(session_, priority, nullptr) == 0);
        FUZZ_EXPECT(gnutls_credentials_set(session_, GNUTLS_CRD_CERTIFICATE, id.creds) == 0);
        FUZZ_EXPECT(gnutls_session_ticket_enable_server(session_, &id.ticket_key) == 0);
        gnutls_transport_set_ptr(session_, this);
        gnutls_transport_set_push_function(session_, push);
        gnutls_transport_set_pull_function(session_, pull);
        gnutls_transport_set_pull_timeout_function(session_, pull_timeout);
        gnutls_handshake_set_timeout(session_, 0);
    }
    ~fuzz_peer() { gnutls_deinit(session_); }
    fuzz_peer(const fuzz_peer &) = delete;
    fuzz_peer &operator=(const fuzz_peer &) = delete;

    void feed(const uint8_t *data, size_t size) { inbox_.insert(inbox_.end(), data, data + size); }
    std::vector<uint8_t> take()
    {
        std::vector<uint8_t> out;
        out.swap(outbox_);
        return out;
    }
    int handshake()
    {
        int ret = gnutls_handshake(session_);
        return ret == GNUTLS_E_INTERRUPTED ? GNUTLS_E_AGAIN : ret;
    }
    int send(const void *data, size_t size) { return int(gnutls_record_send(session_, data, size)); }
    int recv(std::vector<uint8_t> &out)
    {
        out.resize(16384 + 256);
        ssize_t n = gnutls_record_recv(session_, out.data(), out.size());
        out.resize(n > 0 ? size_t(n) : 0);
        return int(n);
    }
    int bye() { return gnutls_bye(session_, GNUTLS_SHUT_WR); }
    gnutls_session_t session() const { return session_; }

private:
    /* A self-signed ECDSA certificate for "localhost" and a ticket key,
     * made once; process-lifetime, so never freed (reachable: no leak). */
    struct identity {
        gnutls_certificate_credentials_t creds = nullptr;
        gnutls_datum_t ticket_key{nullptr, 0};
        identity()
        {
            gnutls_x509_privkey_t key;
            gnutls_x509_crt_t cert;
            FUZZ_EXPECT(gnutls_x509_privkey_init(&key) == 0);
            FUZZ_EXPECT(gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA,
                                                     GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0) == 0);
            FUZZ_EXPECT(gnutls_x509_crt_init(&cert) == 0);
            time_t now = time(nullptr);
            unsigned char serial[] = {0x42};
            gnutls_x509_crt_set_version(cert, 3);
            gnutls_x509_crt_set_serial(cert, serial, sizeof(serial));
            gnutls_x509_crt_set_activation_time(cert, now - 3600);
            gnutls_x509_crt_set_expiration_time(cert, now + 86400);
            gnutls_x509_crt_set_dn(cert, "CN=localhost", nullptr);
            gnutls_x509_crt_set_key(cert, key);
            FUZZ_EXPECT(gnutls_x509_crt_sign2(cert, cert, key, GNUTLS_DIG_SHA256, 0) == 0);
            FUZZ_EXPECT(gnutls_certificate_allocate_credentials(&creds) == 0);
            FUZZ_EXPECT(gnutls_certificate_set_x509_key(creds, &cert, 1, key) == 0);
            FUZZ_EXPECT(gnutls_session_ticket_key_generate(&ticket_key) == 0);
            gnutls_x509_crt_deinit(cert);
            gnutls_x509_privkey_deinit(key);
        }
    };

    static ssize_t push(gnutls_transport_ptr_t self, const void *data, size_t size)
    {
        auto *peer = static_cast<fuzz_peer *>(self);
        const auto *bytes = static_cast<const uint8_t *>(data);
        peer->outbox_.insert(peer->outbox_.end(), bytes, bytes + size);
        return ssize_t(size);
    }
    static ssize_t pull(gnutls_transport_ptr_t self, void *data, size_t size)
    {
        auto *peer = static_cast<fuzz_peer *>(self);
        if (peer->inbox_.empty()) {
            gnutls_transport_set_errno(peer->session_, EAGAIN);
            return -1;
        }
        size_t n = std::min(size, peer->inbox_.size());
        memcpy(data, peer->inbox_.data(), n);
        peer->inbox_.erase(peer->inbox_.begin(), peer->inbox_.begin() + ptrdiff_t(n));
        return ssize_t(n);
    }
    static int pull_timeout(gnutls_transport_ptr_t self, unsigned int)
    {
        return static_cast<fuzz_peer *>(self)->inbox_.empty() ? 0 : 1;
    }

    gnutls_session_t session_ = nullptr;
    std::vector<uint8_t> inbox_, outbox_;
};

} // namespace fuzz
