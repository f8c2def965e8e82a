/* GnuTLS state shared by every session made from one SSPI credential
 * handle: certificate credentials, the priority (protocols and suites). */
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "certificate_key.h"
#include "gnutls_handles.h"
#include "secret_bytes.h"

namespace secur32::unix_side {

/* The credential's own certificate chain and private key, in the blob
 * layouts of unixlib_calls.h; all null for a credential without one. */
struct certificate_blobs {
    const uint8_t *chain = nullptr;
    size_t chain_size = 0;
    const uint8_t *key = nullptr;
    size_t key_size = 0;
};

class tls_credentials {
public:
    /* Returns null and sets `error` (a GnuTLS code) on failure. */
    static std::unique_ptr<tls_credentials> create(uint32_t protocols, bool is_server, int &error,
                                                   uint32_t disabled_algorithms = 0,
                                                   const certificate_blobs &own = {}, uint32_t flags = 0);
    ~tls_credentials();

    gnutls_certificate_credentials_t certificates() const { return certificates_.get(); }
    /* TLS versions for stream sessions, DTLS versions for datagram ones
     * (null when the credential enables none of that kind). */
    gnutls_priority_t priority() const { return priority_.get(); }
    gnutls_priority_t datagram_priority() const { return datagram_priority_.get(); }
    bool is_server() const { return is_server_; }
    /* tls_algorithm_bits the priority can negotiate. */
    uint32_t enabled_algorithms() const;
    bool has_certificate() const { return has_certificate_; }
    /* The key stays with the PE side: handshakes ask it for signatures. */
    bool has_external_key() const { return has_external_key_; }
    /* Clients with a certificate: the chain and key the certificate
     * retrieve callback hands GnuTLS (tls_session::select_client_certificate);
     * null without one. */
    const certificate_key_pair *client_certificate() const { return client_certificate_.get(); }
    /* Servers: resumption is off (SCH_CRED_DISABLE_RECONNECTS). */
    bool no_reconnects() const { return no_reconnects_; }
    /* Servers: the key that encrypts this credential's session tickets,
     * made at random when the credential is created. */
    const gnutls_datum_t *ticket_key() const { return &ticket_key_; }
    /* DTLS servers: the key of the stateless HelloVerifyRequest cookies,
     * random per credential (null datum when the credential has no DTLS). */
    const gnutls_datum_t *cookie_key() const { return &cookie_key_; }

    /* Servers: TLS 1.2 session-ID resumption, GnuTLS's session database
     * callbacks over a bounded in-memory cache (installed by
     * attach_server_cache). */
    void attach_server_cache(gnutls_session_t session);

    /* The client session cache: resumption data per target name, shared
     * by every connection made with this credential (WinINet keeps one
     * credential handle for the whole process). */
    void store_session(const std::string &target, secret_bytes data);
    secret_bytes find_session(const std::string &target) const;
    void forget_session(const std::string &target);

private:
    tls_credentials() = default;
    certificate_credentials_owner certificates_;
    priority_owner priority_;
    priority_owner datagram_priority_;
    bool is_server_ = false;
    bool has_certificate_ = false;
    bool has_external_key_ = false;
    bool no_reconnects_ = false;
    gnutls_datum_t ticket_key_{nullptr, 0};
    gnutls_datum_t cookie_key_{nullptr, 0};
    std::unique_ptr<certificate_key_pair> client_certificate_;
    static int server_cache_store(void *self, gnutls_datum_t key, gnutls_datum_t data);
    static gnutls_datum_t server_cache_fetch(void *self, gnutls_datum_t key);
    static int server_cache_remove(void *self, gnutls_datum_t key);
    mutable std::mutex cache_lock_;
    std::list<std::pair<std::string, secret_bytes>> cache_; /* most recent first */
};

} // namespace secur32::unix_side
