#include "test_peer.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>

namespace test_support {

namespace {

void check(int ret, const char *what)
{
    if (ret < 0) throw std::runtime_error(std::string(what) + ": " + gnutls_strerror(ret));
}

} // namespace

test_peer::test_peer(const std::string &priority, bool session_tickets, unsigned init_flags)
{
    check(gnutls_x509_privkey_init(&key_), "privkey_init");
    check(gnutls_x509_privkey_generate(key_, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0),
          "privkey_generate");
    check(gnutls_x509_crt_init(&cert_), "crt_init");
    time_t now = time(nullptr);
    unsigned char serial[] = {0x01, 0x23, 0x45};
    check(gnutls_x509_crt_set_version(cert_, 3), "set_version");
    check(gnutls_x509_crt_set_serial(cert_, serial, sizeof(serial)), "set_serial");
    check(gnutls_x509_crt_set_activation_time(cert_, now - 3600), "set_activation_time");
    check(gnutls_x509_crt_set_expiration_time(cert_, now + 86400), "set_expiration_time");
    check(gnutls_x509_crt_set_dn(cert_, "CN=localhost", nullptr), "set_dn");
    check(gnutls_x509_crt_set_key(cert_, key_), "set_key");
    check(gnutls_x509_crt_set_subject_alt_name(cert_, GNUTLS_SAN_DNSNAME, "localhost", 9, GNUTLS_FSAN_SET),
          "set_san");
    check(gnutls_x509_crt_sign2(cert_, cert_, key_, GNUTLS_DIG_SHA256, 0), "sign");

    check(gnutls_certificate_allocate_credentials(&creds_), "allocate_credentials");
    check(gnutls_certificate_set_x509_key(creds_, &cert_, 1, key_), "set_x509_key");
    check(gnutls_init(&session_, GNUTLS_SERVER | GNUTLS_NONBLOCK | init_flags), "init");
    check(gnutls_priority_set_direct(session_, priority.c_str(), nullptr), "priority");
    check(gnutls_credentials_set(session_, GNUTLS_CRD_CERTIFICATE, creds_), "credentials_set");
    if (session_tickets) {
        check(gnutls_session_ticket_key_generate(&ticket_key_), "ticket_key_generate");
        check(gnutls_session_ticket_enable_server(session_, &ticket_key_), "ticket_enable_server");
    }
    gnutls_transport_set_ptr(session_, this);
    gnutls_transport_set_push_function(session_, push);
    gnutls_transport_set_pull_function(session_, pull);
    gnutls_transport_set_pull_timeout_function(session_, pull_timeout);
    gnutls_handshake_set_timeout(session_, 0);
}

test_peer::~test_peer()
{
    if (session_) gnutls_deinit(session_);
    if (creds_) gnutls_certificate_free_credentials(creds_);
    if (cert_) gnutls_x509_crt_deinit(cert_);
    if (key_) gnutls_x509_privkey_deinit(key_);
    if (ticket_key_.data) gnutls_free(ticket_key_.data);
}

std::vector<uint8_t> test_peer::take()
{
    std::vector<uint8_t> out;
    out.swap(outbox_);
    return out;
}

int test_peer::handshake()
{
    int ret = gnutls_handshake(session_);
    return ret == GNUTLS_E_INTERRUPTED ? GNUTLS_E_AGAIN : ret;
}

int test_peer::recv(std::vector<uint8_t> &out)
{
    out.resize(16384 + 256);
    ssize_t n = gnutls_record_recv(session_, out.data(), out.size());
    out.resize(n > 0 ? size_t(n) : 0);
    return int(n);
}

ssize_t test_peer::push(gnutls_transport_ptr_t self, const void *data, size_t size)
{
    auto *peer = static_cast<test_peer *>(self);
    const auto *bytes = static_cast<const uint8_t *>(data);
    peer->outbox_.insert(peer->outbox_.end(), bytes, bytes + size);
    return ssize_t(size);
}

ssize_t test_peer::pull(gnutls_transport_ptr_t self, void *data, size_t size)
{
    auto *peer = static_cast<test_peer *>(self);
    if (peer->inbox_.empty()) {
        gnutls_transport_set_errno(peer->session_, EAGAIN);
        return -1;
    }
    size_t n = std::min(size, peer->inbox_.size());
    memcpy(data, peer->inbox_.data(), n);
    peer->inbox_.erase(peer->inbox_.begin(), peer->inbox_.begin() + ptrdiff_t(n));
    return ssize_t(n);
}

int test_peer::pull_timeout(gnutls_transport_ptr_t self, unsigned int)
{
    return static_cast<test_peer *>(self)->inbox_.empty() ? 0 : 1;
}

} // namespace test_support
