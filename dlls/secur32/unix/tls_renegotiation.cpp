/* Renegotiation of an established session, as Schannel drives it:
 * - TLS 1.2: a server sends HelloRequest (AcceptSecurityContext with
 *   ASC_REQ_MUTUAL_AUTH on an established context) and a whole new
 *   handshake follows, with a CertificateRequest; a client that gets a
 *   HelloRequest answers it with that handshake when the connection uses
 *   RFC 5746 secure renegotiation, and refuses it otherwise;
 * - TLS 1.3: post-handshake client authentication (RFC 8446 §4.6.2): the
 *   server's CertificateRequest, the client's Certificate, CertificateVerify
 *   and Finished.
 *
 * Records keep flowing meanwhile. Application data goes through
 * DecryptMessage as always (the old keys stay valid until the peer's
 * ChangeCipherSpec); a handshake record that DecryptMessage meets while a
 * renegotiation runs is left unconsumed (SEC_I_RENEGOTIATE, the record as
 * SECBUFFER_EXTRA) for the next handshake call, and a handshake call whose
 * input starts with application data hands it back (SEC_E_OK, the input as
 * SECBUFFER_EXTRA) for DecryptMessage: nothing is dropped, and every record
 * is opened in order, with the keys of its place in the stream.
 *
 * Every call here holds both record locks: GnuTLS's record layer sends and
 * reads the handshake with our sequence numbers. */
#include "tls_session.h"

#include <cstring>
#include <vector>

#include "record_framing.h"
#include "session_io.h"

namespace secur32::unix_side {

namespace {

constexpr uint8_t content_change_cipher_spec = 20;
constexpr uint8_t content_handshake = 22;

/* The bound on one handshake's input (see tls_session.cpp), again for
 * each renegotiation. */
constexpr size_t max_renegotiation_input = 256 * 1024;

bool is_again(int ret) { return ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED; }

} // namespace

void tls_session::renegotiate(session_renegotiate_params &p)
{
    p.result = tls_error;
    p.error = GNUTLS_E_INVALID_REQUEST;
    if (!is_server_ || !handshake_done_) return;
    gnutls_record_layer layer(*this, false);
    p.error = 0;
    if (renegotiation_ != renegotiation::none) {
        /* Already asked: the caller gets what is still queued, if anything. */
        p.result = tls_ok;
        return;
    }
    gnutls_session_t s = session_.get();
    bool tls13 = gnutls_protocol_get_version(s) == GNUTLS_TLS1_3;
    /* Renegotiating without RFC 5746 is the attack of CVE-2009-3555, and a
     * TLS 1.3 client that did not offer post_handshake_auth must not get a
     * CertificateRequest (RFC 8446 §4.6.2). Its answer hides behind
     * application_data headers: we tell it from application data by
     * opening the records, which our record path can do for the AES-GCM
     * and ChaCha20-Poly1305 suites (not the rare AES-CCM ones). */
    bool possible = !datagram_ && (tls13 ? (gnutls_session_get_flags(s) & GNUTLS_SFLAGS_POST_HANDSHAKE_AUTH) &&
                                               reader_.active()
                                         : gnutls_safe_renegotiation_status(s) != 0);
    if (!possible) {
        p.result = tls_no_renegotiation;
        return;
    }
    gnutls_certificate_server_set_request(s, GNUTLS_CERT_REQUEST);
    reauth_ = tls13;
    start_renegotiation();
    io_scope io(nullptr, nullptr); /* the request waits in the handshake queue */
    int ret;
    if (tls13) {
        /* Sends the CertificateRequest, then waits for the client's answer. */
        ret = gnutls_reauth(s, 0);
    } else {
        /* A resumed session would carry no CertificateRequest: while the
         * new handshake runs, every earlier session (id or ticket) counts
         * as expired, so the client gets a full handshake. */
        gnutls_db_set_cache_expiration(s, -1);
        ret = gnutls_rehandshake(s);
    }
    if (ret < 0 && !is_again(ret)) {
        end_renegotiation();
        p.error = ret;
        return;
    }
    p.result = tls_ok;
}

void tls_session::start_renegotiation()
{
    renegotiation_ = renegotiation::running;
    rehandshake_started_ = false;
    handshake_input_ = 0;
    if (!is_server_) {
        /* The server may ask for a certificate again; a caller that
         * answered "none" last time is asked again, one that gave a
         * credential keeps it. */
        certificate_request_over_ = false;
        certificate_requested_ = false;
        requested_issuers_.clear();
        if (!chosen_credentials_) certificate_chosen_ = false;
    }
}

void tls_session::end_renegotiation()
{
    renegotiation_ = renegotiation::none;
    reauth_ = false;
    rehandshake_started_ = false;
    renegotiation_paused_ = false;
    certificate_request_over_ = true;
    if (is_server_) gnutls_db_set_cache_expiration(session_.get(), int(gnutls_db_get_default_cache_expiration()));
}

/* True when DecryptMessage must leave this record for the handshake call:
 * a record of the renegotiation in progress. `inner_type` is TLS 1.3's
 * content type inside the record (the outer one otherwise). */
bool tls_session::hand_back_to_handshake(uint8_t outer_type, uint8_t inner_type) const
{
    if (datagram_ || renegotiation_ != renegotiation::running) return false;
    /* A worker paused inside GnuTLS (for a signature or the caller's
     * certificate) owns its state: nothing else may enter it now. */
    if (renegotiation_paused_) return true;
    if (outer_type == content_handshake || outer_type == content_change_cipher_spec) return true;
    /* TLS 1.3: the client's Certificate, CertificateVerify and Finished
     * come as encrypted handshake messages. */
    return outer_type == content_type_application_data && inner_type == content_handshake && reauth_ && is_server_;
}

/* The leading records of `input` that belong to the renegotiation:
 * handshake messages (and TLS 1.2's ChangeCipherSpec). It stops at the
 * first application data or alert, which DecryptMessage must open first
 * (an alert there is what SEC_I_CONTEXT_EXPIRED and the DecryptMessage
 * errors come from); TLS 1.3 records have to be opened to tell. A
 * client's TLS 1.3 post-handshake authentication reads nothing. */
size_t tls_session::renegotiation_window(const uint8_t *input, size_t complete)
{
    if (reauth_ && !is_server_) return 0;
    bool tls13 = gnutls_protocol_get_version(session_.get()) == GNUTLS_TLS1_3;
    uint64_t sequence = reader_.sequence();
    std::vector<uint8_t> copy;
    size_t pos = 0;
    while (pos + record_header_size <= complete) {
        size_t record = record_header_size + (size_t(input[pos + 3]) << 8 | input[pos + 4]);
        uint8_t type = input[pos];
        if (tls13 && type == content_type_application_data && reader_.active()) {
            /* A copy: the caller's bytes stay as they are for GnuTLS or
             * for DecryptMessage. One that fails to open is GnuTLS's to
             * reject. */
            copy.assign(input + pos, input + pos + record);
            record_cipher::opened r = reader_.open(copy.data(), copy.size());
            if (!r.error) type = r.content_type;
            else type = content_handshake;
        }
        if (type != content_handshake && type != content_change_cipher_spec) break;
        pos += record;
    }
    reader_.rewind(sequence);
    return pos;
}

void tls_session::established_handshake(session_handshake_params &p)
{
    {
        /* No renegotiation: just what is queued (close_notify, a KeyUpdate
         * reply, a refusal), as after any post-handshake message. */
        std::unique_lock<std::mutex> read_guard(read_lock_);
        if (renegotiation_ == renegotiation::none) {
            read_guard.unlock();
            return finish_call(p, tls_ok);
        }
    }
    gnutls_record_layer layer(*this, false);
    if (renegotiation_ == renegotiation::none) return finish_call(p, tls_ok);
    if (renegotiation_ == renegotiation::refused) {
        end_renegotiation();
        return finish_call(p, tls_no_renegotiation);
    }
    if (renegotiation_ == renegotiation::requested) start_renegotiation();
    p.renegotiation = tls_renegotiation_running;

    auto *input = reinterpret_cast<const uint8_t *>(uintptr_t(p.input));
    bool resuming = signing_ && signing_->waiting();
    size_t window = 0;
    uint32_t missing = 0;
    if (!resuming && p.input_size) {
        frame_scan scan = scan_records(input, p.input_size, false);
        if (scan.status == frame_status::malformed) {
            p.error = GNUTLS_E_UNEXPECTED_PACKET;
            end_renegotiation();
            p.renegotiation = tls_renegotiation_none;
            return finish_call(p, tls_error);
        }
        if (scan.status == frame_status::incomplete) missing = uint32_t(scan.missing);
        else window = renegotiation_window(input, scan.complete_bytes);
    }
    bool capped = false;
    size_t allowed = handshake_input_ < max_renegotiation_input ? max_renegotiation_input - handshake_input_ : 0;
    if (window > allowed) {
        size_t fit = 0;
        while (fit + record_header_size <= window) {
            size_t record = record_header_size + (size_t(input[fit + 3]) << 8 | input[fit + 4]);
            if (fit + record > allowed) break;
            fit += record;
        }
        window = fit;
        capped = true;
    }

    /* A client sends first (ClientHello; TLS 1.3: its whole answer); after
     * that GnuTLS needs the peer's records, or a paused worker goes on. */
    bool must_run = resuming || window || capped || (!is_server_ && !rehandshake_started_);
    if (!must_run) {
        std::unique_lock<std::mutex> q(queue_lock_);
        bool queued = !queued_output_.empty();
        q.unlock();
        if (queued) return finish_call(p, tls_continue); /* e.g. the server's request */
        if (!p.input_size || missing) {
            p.missing = missing ? missing : uint32_t(record_header_size);
            return finish_call(p, tls_incomplete);
        }
        /* Application data first: DecryptMessage's, then the handshake
         * records after it come back through SEC_I_RENEGOTIATE. */
        return finish_call(p, tls_ok);
    }

    bool paused = false;
    int ret = run_gnutls_handshake(input, window, p.input_consumed, paused);
    rehandshake_started_ = true;
    renegotiation_paused_ = paused;
    if (paused) return report_pause(p, window);
    handshake_input_ += p.input_consumed;
    if (capped && is_again(ret) && p.input_consumed == window) ret = GNUTLS_E_HANDSHAKE_TOO_LARGE;

    if (ret == 0) {
        bool tls12 = !reauth_;
        end_renegotiation();
        if (tls12) {
            /* A new handshake: new keys, perhaps another suite. */
            compute_record_sizes();
            remember_session();
        }
        layer.reload_both();
        p.renegotiation = tls_renegotiation_finished;
        return finish_call(p, tls_ok);
    }
    if (is_again(ret)) return finish_call(p, tls_continue);
    if (ret == GNUTLS_E_WARNING_ALERT_RECEIVED && gnutls_alert_get(session_.get()) == GNUTLS_A_NO_RENEGOTIATION) {
        /* The client refused our HelloRequest: the connection goes on. */
        end_renegotiation();
        p.renegotiation = tls_renegotiation_none;
        return finish_call(p, tls_no_renegotiation);
    }
    end_renegotiation();
    p.renegotiation = tls_renegotiation_none;
    fail_call(p, ret);
}

} // namespace secur32::unix_side
