/* One direction of an established connection's record protection, done by
 * us in the caller's buffers with GnuTLS's AEAD primitive and the keys and
 * sequence number GnuTLS negotiated (gnutls_record_get_state, the interface
 * GnuTLS offers for record-layer offload such as kernel TLS).
 *
 * Why: gnutls_record_send/recv copy every record through heap buffers of
 * their own (a malloc, a copy in and a copy out per record). Here a record
 * is sealed and opened in place: the plaintext of DecryptMessage stays where
 * its ciphertext was, EncryptMessage writes header, ciphertext and tag
 * straight into the caller's STREAM_HEADER / DATA / STREAM_TRAILER.
 *
 * Covers application data with AES-GCM and ChaCha20-Poly1305 in TLS 1.2 and
 * TLS 1.3; anything else (CBC suites, alerts, post-handshake messages) stays
 * with GnuTLS's record layer, after store() hands the sequence number back.
 * Not thread-safe: the owner serialises each direction. */
#pragma once

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include <cstddef>
#include <cstdint>

namespace secur32::unix_side {

constexpr uint8_t content_type_application_data = 23;

class record_cipher {
public:
    record_cipher() = default;
    ~record_cipher() { reset(); }
    record_cipher(const record_cipher &) = delete;
    record_cipher &operator=(const record_cipher &) = delete;

    /* Takes the session's current keys and sequence number for one
     * direction; false (and inactive) when the suite is not one we handle. */
    bool load(gnutls_session_t session, bool read);
    /* Gives GnuTLS our sequence number back before it handles a record of
     * this direction itself. */
    void store(gnutls_session_t session, bool read) const;
    bool active() const { return aead_ != nullptr; }
    /* The next record's sequence number, and a way back to it after
     * opening copies of records GnuTLS is to process itself. */
    uint64_t sequence() const { return seq_; }
    void rewind(uint64_t seq) { seq_ = seq; }
    void reset();

    /* Bytes before and after the plaintext in a record we seal. */
    size_t header_size() const { return 5 + explicit_nonce_size_; }
    size_t trailer_size() const { return tag_size_ + (tls13_ ? 1 : 0); }

    /* Seals `size` bytes of application data in place at `data`; writes the
     * record header to `header` (header_size() bytes) and the rest to
     * `trailer` (trailer_size() bytes). `data` may be followed directly by
     * `trailer` (one contiguous record) or not. Returns a GnuTLS code. */
    int seal(uint8_t *header, uint8_t *data, size_t size, uint8_t *trailer);

    /* The result of opening one record in place. */
    struct opened {
        int error = 0;              /* GnuTLS code; 0 on success */
        uint8_t content_type = 0;   /* TLS 1.3: the inner content type */
        size_t data_offset = 0;     /* plaintext position within the record */
        size_t data_size = 0;
    };
    /* Opens the whole record `record[0..size)` (header included) in place. */
    opened open(uint8_t *record, size_t size);
    /* Undoes open() of a TLS 1.3 record that turned out not to hold
     * application data, so GnuTLS can process the original bytes: AEAD
     * sealing is deterministic, so sealing the inner plaintext again with the
     * same key, nonce and header restores ciphertext and tag exactly. The
     * sequence number goes back too. */
    int reseal(uint8_t *record, size_t size);

private:
    void make_nonce(uint64_t seq, uint8_t nonce[12]) const;

    gnutls_aead_cipher_hd_t aead_ = nullptr;
    uint8_t iv_[12] = {};
    size_t iv_size_ = 0;
    size_t tag_size_ = 16;
    size_t explicit_nonce_size_ = 0;   /* TLS 1.2 AES-GCM: 8 */
    bool tls13_ = false;
    uint64_t seq_ = 0;                 /* next record's sequence number */
};

} // namespace secur32::unix_side
