/* A native GnuTLS peer for unit tests of the Unix side: a server session
 * with an in-memory transport and a certificate made at run time, so tests
 * need no files, sockets or external programs. */
#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <string>
#include <vector>

namespace test_support {

class test_peer {
public:
    /* `priority` is a GnuTLS priority string, e.g. "NORMAL:-VERS-ALL:+VERS-TLS1.2";
     * `init_flags` go to gnutls_init besides GNUTLS_SERVER | GNUTLS_NONBLOCK
     * (e.g. GNUTLS_POST_HANDSHAKE_AUTH). */
    explicit test_peer(const std::string &priority, bool session_tickets = false, unsigned init_flags = 0);
    ~test_peer();
    test_peer(const test_peer &) = delete;
    test_peer &operator=(const test_peer &) = delete;

    /* Bytes from the client go in with feed(); bytes for the client
     * accumulate in take(). */
    void feed(const uint8_t *data, size_t size) { inbox_.insert(inbox_.end(), data, data + size); }
    std::vector<uint8_t> take();

    /* One handshake step: 0 when done, GNUTLS_E_AGAIN when it needs input,
     * another negative code on failure. */
    int handshake();
    int send(const void *data, size_t size) { return int(gnutls_record_send(session_, data, size)); }
    /* Reads one record's worth of application data; negative on error. */
    int recv(std::vector<uint8_t> &out);
    int bye() { return gnutls_bye(session_, GNUTLS_SHUT_WR); }
    gnutls_session_t session() const { return session_; }

private:
    static ssize_t push(gnutls_transport_ptr_t, const void *, size_t);
    static ssize_t pull(gnutls_transport_ptr_t, void *, size_t);
    static int pull_timeout(gnutls_transport_ptr_t, unsigned int);

    gnutls_x509_privkey_t key_ = nullptr;
    gnutls_x509_crt_t cert_ = nullptr;
    gnutls_certificate_credentials_t creds_ = nullptr;
    gnutls_session_t session_ = nullptr;
    gnutls_datum_t ticket_key_{nullptr, 0};
    std::vector<uint8_t> inbox_, outbox_;
};

} // namespace test_support
