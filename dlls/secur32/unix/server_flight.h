/* Follows the server's plaintext handshake messages of a client's initial
 * handshake, to tell before a handshake call whether GnuTLS can meet a
 * CertificateRequest in it.
 *
 * Why: a client that may be asked for a certificate runs each handshake
 * call that could meet the request on a worker thread, so that the call
 * can pause there (SEC_I_INCOMPLETE_CREDENTIALS). Creating and joining
 * that thread cost about 0.2 ms per TLS 1.2 full handshake here, most of
 * what ours spent beyond stock Wine. A TLS 1.2 server's first flight is
 * plaintext, so when the call's records hold the end of the flight
 * (ServerHelloDone) with no CertificateRequest before it, the call needs
 * no worker. Anything this scanner cannot follow (a record that is not a
 * plaintext handshake record, a call that stops inside a record) makes it
 * give up, and every later call takes the worker as before. A wrong "no"
 * would cost the caller its question, never a hang: off the worker the
 * certificate callback answers "none" at once. */
#pragma once

#include <cstddef>
#include <cstdint>

namespace secur32::unix_side {

class server_flight_scan {
public:
    /* True when GnuTLS, reading `size` bytes of whole records from the
     * scanner's position, reaches the end of ServerHelloDone without
     * having met a CertificateRequest. */
    bool ends_without_request(const uint8_t *records, size_t size) const;
    /* Moves past the `size` bytes GnuTLS read. Gives up unless they are
     * whole plaintext handshake records of the flight before its
     * CertificateRequest or ServerHelloDone: past either, the worker's
     * question is settled by GnuTLS's own handshake hook. */
    void consume(const uint8_t *records, size_t size);
    /* No longer followed (e.g. the call paused, or renegotiation). */
    void give_up() { lost_ = true; }
    bool lost() const { return lost_; }

private:
    enum class verdict { more, request, done, lost };
    /* Walks whole records from this state, up to the first verdict other
     * than `more`. */
    verdict walk(const uint8_t *records, size_t size);

    bool lost_ = false;
    uint8_t header_[4] = {};
    size_t header_have_ = 0; /* bytes of the current message's header seen */
    size_t body_left_ = 0;   /* bytes of its body still to come */
};

} // namespace secur32::unix_side
