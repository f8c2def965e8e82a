/* One TLS connection (one SSPI context) over GnuTLS, with no socket: bytes
 * from the peer come in through the caller's buffers and bytes for the
 * peer go out into them.
 *
 * Transport: GnuTLS's pull/push callbacks read from and write to the
 * buffers of the call in progress on the *calling thread* (thread-local
 * windows), so an EncryptMessage thread and a DecryptMessage thread can
 * work on one session at the same time, as Schannel allows. Output GnuTLS
 * produces outside such a call (e.g. a KeyUpdate reply while decrypting)
 * is queued for the next handshake call. */
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "external_signing.h"
#include "gnutls_handles.h"
#include "record_cipher.h"
#include "server_flight.h"
#include "tls_credentials.h"
#include "../unixlib_calls.h"

namespace secur32::unix_side {

class tls_session {
public:
    /* Returns null and sets `error` (a GnuTLS code) on failure. */
    static std::unique_ptr<tls_session> create(tls_credentials &creds, bool is_server, std::string_view server_name,
                                               uint32_t flags, int &error, uint32_t mtu = 0,
                                               const uint32_t *prestate = nullptr);

    /* A DTLS server's cookie exchange, before any session exists. */
    static void dtls_cookie(tls_credentials &creds, dtls_cookie_params &p);

    ~tls_session();

    void handshake(session_handshake_params &p);
    void connection_info(session_connection_info_params &p);
    void peer_certificates(session_peer_certificates_params &p);
    void encrypt(session_encrypt_params &p);
    void decrypt(session_decrypt_params &p);
    void shutdown(session_shutdown_params &p);
    void set_alpn(session_set_alpn_params &p);
    void details(session_details_params &p);
    void forget();
    void signature(session_signature_params &p);
    void export_keying_material(session_export_keying_material_params &p);
    void set_mtu(session_set_mtu_params &p);
    /* Answers tls_need_credentials with `chosen` (null: no certificate). */
    void client_certificate(session_client_certificate_params &p, tls_credentials *chosen);
    void certificate_request(session_certificate_request_params &p);
    /* Servers: asks the client for a certificate on the established
     * session (tls_renegotiation.cpp). */
    void renegotiate(session_renegotiate_params &p);

    /* GnuTLS's certificate retrieve callback for client credentials: the
     * credential's own certificate, or the one the PE side chose after
     * tls_need_credentials, or none. Records the server's request. */
    static int select_client_certificate(gnutls_session_t session, const gnutls_datum_t *issuers, int issuer_count,
                                         const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
                                         gnutls_pcert_st **pcert, unsigned int *pcert_length, gnutls_privkey_t *key);

    /* Where the bytes of a record go when GnuTLS pushes them. */
    struct output_sink;
    struct input_window;
    class gnutls_record_layer;

private:
    tls_session() = default;
    static ssize_t push(gnutls_transport_ptr_t self, const void *data, size_t size);
    static ssize_t pull(gnutls_transport_ptr_t self, void *data, size_t size);
    static int pull_timeout(gnutls_transport_ptr_t self, unsigned int ms);
    static int handshake_message_seen(gnutls_session_t session, unsigned int type, unsigned int when,
                                      unsigned int incoming, const gnutls_datum_t *message);

    int run_gnutls_handshake(const uint8_t *input, size_t complete, uint32_t &consumed, bool &paused);
    /* The GnuTLS call that moves the handshake on: gnutls_handshake, or
     * gnutls_reauth during TLS 1.3 post-handshake authentication. */
    int gnutls_handshake_step();
    /* Ends a handshake call: hands out queued output, sets the result. */
    void finish_call(session_handshake_params &p, int32_t result);
    /* A handshake call whose worker paused (signature or credentials). */
    void report_pause(session_handshake_params &p, size_t complete);
    /* A handshake call GnuTLS failed with `ret`: the alert, if any, is
     * queued for the caller (ISC/ASC_REQ_EXTENDED_ERROR). */
    void fail_call(session_handshake_params &p, int ret);

    /* Renegotiation of an established session (tls_renegotiation.cpp). */
    void established_handshake(session_handshake_params &p);
    void start_renegotiation();
    void end_renegotiation();
    size_t renegotiation_window(const uint8_t *input, size_t complete);
    bool hand_back_to_handshake(uint8_t outer_type, uint8_t inner_type) const;
    void queue_output(const uint8_t *data, size_t size);
    size_t drain_output(uint8_t *out, size_t capacity, size_t &left);
    void compute_record_sizes();
    void remember_session();
    void gnutls_decrypt(session_decrypt_params &p, uint8_t *buffer, size_t record);
    void datagram_decrypt(session_decrypt_params &p, uint8_t *buffer);
    size_t queued_datagram_size() const;

    tls_credentials *creds_ = nullptr;       /* outlives the session (the PE side frees it last) */
    std::string target_;                     /* session cache key */
    bool no_resume_ = false;
    bool is_server_ = false;
    bool ticket_received_ = false;           /* a TLS 1.3 NewSessionTicket arrived; set on the receiving thread */
    session_owner session_;
    std::mutex queue_lock_;                 /* guards queued_output_ */
    std::vector<uint8_t> queued_output_;    /* handshake flight / alerts not yet handed out */
    std::deque<uint32_t> queued_records_;   /* datagram sessions: sizes of the records in queued_output_ */
    bool datagram_ = false;                 /* DTLS */
    uint32_t mtu_ = 0;                      /* datagram sessions: bytes per datagram we send */
    /* Datagram sessions, under read_lock_: which application records were
     * accepted, to tell a replay from a forgery when GnuTLS drops one. */
    uint64_t replay_top_ = 0;               /* highest epoch|sequence accepted */
    uint64_t replay_seen_ = 0;              /* bit i: replay_top_ - i accepted */
    bool replay_any_ = false;
    /* Datagram sessions: the last flight we sent, when the handshake ended
     * on it (a server's CCS + Finished). If it is lost, the peer repeats
     * its own flight; we then send this again (see datagram_decrypt). */
    std::vector<uint8_t> final_flight_;
    std::vector<uint32_t> final_records_;
    bool handshake_done_ = false;
    size_t handshake_input_ = 0;            /* bytes GnuTLS consumed before the handshake ended */
    int32_t last_handshake_result_ = tls_continue; /* reported again by a drain-only call */
    /* Set (on the receiving thread) when a handshake message arrives after
     * the handshake: a TLS 1.3 ticket or KeyUpdate hides behind an
     * application_data record header, so only GnuTLS can tell us. */
    bool post_handshake_message_ = false;
    bool key_update_requested_ = false;     /* the peer's KeyUpdate asked for ours (receiving thread) */
    /* A renegotiation (TLS 1.2 new handshake, TLS 1.3 post-handshake
     * authentication); changed under read_lock_ and write_lock_, read
     * under either. requested: a client got HelloRequest / CertificateRequest
     * and its next handshake call answers; running: the handshake is under
     * way (the server asked, or the client answered); refused: a server's
     * request met the client's no_renegotiation alert, which its next
     * handshake call reports. */
    enum class renegotiation : uint8_t { none, requested, running, refused };
    renegotiation renegotiation_ = renegotiation::none;
    bool reauth_ = false;                   /* the one running is TLS 1.3 post-handshake authentication */
    bool rehandshake_started_ = false;      /* GnuTLS has run for it on this side */
    bool renegotiation_paused_ = false;     /* its worker waits for a signature or a certificate */
    uint32_t header_size_ = 5;              /* bytes of a record before the encrypted DATA */
    uint32_t trailer_size_ = 0;             /* maximum bytes after it */
    uint32_t max_message_ = 16384;

    /* Application data records once established (record_cipher.h): the
     * receiving direction is used under read_lock_ (DecryptMessage), the
     * sending one under write_lock_ (EncryptMessage), so the two threads
     * Schannel allows never wait for each other. Paths that let GnuTLS's
     * record layer work (alerts, post-handshake messages, shutdown) take
     * both, read_lock_ first. */
    std::mutex read_lock_;
    std::mutex write_lock_;
    record_cipher reader_;
    record_cipher writer_;
    bool read_failed_ = false;              /* a record failed authentication: no more reading */

    /* Client certificates: what the server's CertificateRequest named
     * (written on the handshaking thread, read after it paused or ended). */
    bool pause_for_certificate_ = false;     /* session_flag_pause_for_certificate */
    bool certificate_requested_ = false;
    bool certificate_request_over_ = false;  /* no CertificateRequest can come any more */
    /* The initial handshake's server flight, followed to spare a call that
     * cannot meet a CertificateRequest the worker thread. */
    server_flight_scan flight_scan_;
    std::vector<std::vector<uint8_t>> requested_issuers_;
    bool certificate_chosen_ = false;        /* the PE side answered tls_need_credentials */
    tls_credentials *chosen_credentials_ = nullptr; /* its answer; outlives the session */
    /* The input of the call that paused for credentials: the handshake
     * goes on reading it when the caller comes back (with no input or the
     * same bytes again). */
    std::vector<uint8_t> held_input_;
    bool input_held_ = false;

    /* Credentials whose key the PE side holds: the handshake runs on a
     * worker that may pause for a signature; its input window outlives
     * one call. Declared last: the worker stops before anything else goes. */
    std::unique_ptr<input_window> pending_window_;
    std::unique_ptr<signing_channel> signing_;
};

} // namespace secur32::unix_side
