#include "tls_session.h"

#include <arpa/inet.h>
#include <gnutls/crypto.h>
#include <gnutls/dtls.h>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>

#include "key_log.h"
#include "record_framing.h"
#include "session_io.h"

namespace secur32::unix_side {

/* Bytes GnuTLS may read during the current call on this thread. */
struct tls_session::input_window {
    const tls_session *owner;
    const uint8_t *data;
    size_t size;
    size_t pos;
};

/* The caller's STREAM_HEADER / DATA / STREAM_TRAILER buffers, filled in
 * order by the bytes of the one record EncryptMessage produces. */
struct tls_session::output_sink {
    const tls_session *owner;
    uint8_t *header;
    size_t header_len;      /* bytes of the record that go to `header` */
    uint8_t *data;
    size_t data_len;
    uint8_t *trailer;
    size_t trailer_cap;
    size_t written;
    bool overflow;

    void write(const uint8_t *src, size_t size)
    {
        while (size) {
            size_t n;
            if (written < header_len) {
                n = std::min(size, header_len - written);
                memcpy(header + written, src, n);
            } else if (written < header_len + data_len) {
                size_t off = written - header_len;
                n = std::min(size, data_len - off);
                memcpy(data + off, src, n);
            } else {
                size_t off = written - header_len - data_len;
                if (off >= trailer_cap) { overflow = true; return; }
                n = std::min(size, trailer_cap - off);
                memcpy(trailer + off, src, n);
            }
            written += n;
            src += n;
            size -= n;
        }
    }
};

thread_local tls_session::input_window *current_input;
thread_local tls_session::output_sink *current_output;

namespace {

bool is_ip_literal(const std::string &host)
{
    unsigned char buf[16];
    return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

uint32_t protocol_bit(gnutls_protocol_t version)
{
    switch (version) {
    case GNUTLS_TLS1_0: return tls_proto_tls1_0;
    case GNUTLS_TLS1_1: return tls_proto_tls1_1;
    case GNUTLS_TLS1_2: return tls_proto_tls1_2;
    case GNUTLS_TLS1_3: return tls_proto_tls1_3;
    case GNUTLS_DTLS1_0: return tls_proto_dtls1_0;
    case GNUTLS_DTLS1_2: return tls_proto_dtls1_2;
    default: return 0;
    }
}

bool has_explicit_nonce(gnutls_cipher_algorithm_t cipher)
{
    switch (cipher) {
    case GNUTLS_CIPHER_AES_128_GCM:
    case GNUTLS_CIPHER_AES_256_GCM:
    case GNUTLS_CIPHER_AES_128_CCM:
    case GNUTLS_CIPHER_AES_256_CCM:
    case GNUTLS_CIPHER_AES_128_CCM_8:
    case GNUTLS_CIPHER_AES_256_CCM_8:
        return true;
    default:
        return false;
    }
}

uint32_t cipher_id(gnutls_cipher_algorithm_t cipher)
{
    switch (cipher) {
    case GNUTLS_CIPHER_AES_128_GCM: return tls_cipher_aes_128_gcm;
    case GNUTLS_CIPHER_AES_256_GCM: return tls_cipher_aes_256_gcm;
    case GNUTLS_CIPHER_AES_128_CBC: return tls_cipher_aes_128_cbc;
    case GNUTLS_CIPHER_AES_256_CBC: return tls_cipher_aes_256_cbc;
    case GNUTLS_CIPHER_CHACHA20_POLY1305: return tls_cipher_chacha20_poly1305;
    case GNUTLS_CIPHER_AES_128_CCM: return tls_cipher_aes_128_ccm;
    case GNUTLS_CIPHER_AES_256_CCM: return tls_cipher_aes_256_ccm;
    case GNUTLS_CIPHER_3DES_CBC: return tls_cipher_3des_cbc;
    default: return tls_cipher_unknown;
    }
}

uint32_t hash_id(gnutls_mac_algorithm_t mac)
{
    switch (mac) {
    case GNUTLS_MAC_AEAD: return tls_hash_aead;
    case GNUTLS_MAC_SHA1: return tls_hash_sha1;
    case GNUTLS_MAC_SHA256: return tls_hash_sha256;
    case GNUTLS_MAC_SHA384: return tls_hash_sha384;
    default: return tls_hash_unknown;
    }
}

uint32_t exchange_id(gnutls_kx_algorithm_t kx, gnutls_protocol_t version)
{
    /* TLS 1.3 suites name no key exchange; it is always (EC)DHE, and
     * GnuTLS 3.7 offers only the EC groups by default. */
    if (version == GNUTLS_TLS1_3) return tls_exchange_ecdhe;
    switch (kx) {
    case GNUTLS_KX_RSA: return tls_exchange_rsa;
    case GNUTLS_KX_DHE_RSA:
    case GNUTLS_KX_DHE_DSS: return tls_exchange_dhe;
    case GNUTLS_KX_ECDHE_RSA:
    case GNUTLS_KX_ECDHE_ECDSA: return tls_exchange_ecdhe;
    default: return tls_exchange_unknown;
    }
}

bool is_again(int ret) { return ret == GNUTLS_E_AGAIN || ret == GNUTLS_E_INTERRUPTED; }

constexpr uint8_t content_change_cipher_spec = 20;
constexpr uint8_t content_handshake = 22;
/* Twice GnuTLS's default limit on a whole handshake's messages (128 KB),
 * which leaves room for record headers and AEAD tags. */
constexpr size_t max_handshake_input = 256 * 1024;
constexpr uint8_t content_application_data = 23;

/* DTLS record header (RFC 6347 4.1): type, version, epoch (2), sequence
 * number (6), length (2). */
constexpr size_t dtls_header_size = 13;

/* What Windows' Schannel uses when the caller sets no MTU (SetContextAttributes,
 * SECPKG_ATTR_DTLS_MTU). */
constexpr uint32_t default_dtls_mtu = 1096;

/* GnuTLS measures the handshake against this total time: the caller's
 * timers decide when to give up, as with Schannel, so it must in practice
 * never run out (about 11 days; GnuTLS handles the remaining time as an
 * int, so it must stay well below 2^31 ms). */
constexpr unsigned int dtls_total_timeout_ms = 1000000000u;

/* The longest a timer call waits for GnuTLS's retransmission timer. */
constexpr unsigned int max_retransmit_wait_ms = 64;

uint64_t dtls_record_number(const uint8_t *record)
{
    uint64_t n = 0;
    for (int i = 3; i < 11; i++) n = n << 8 | record[i];
    return n;
}

} // namespace

tls_session::~tls_session() = default;

std::unique_ptr<tls_session> tls_session::create(tls_credentials &creds, bool is_server, std::string_view server_name,
                                                 uint32_t flags, int &error, uint32_t mtu, const uint32_t *prestate)
{
    std::unique_ptr<tls_session> self(new tls_session);
    self->creds_ = &creds;
    self->target_ = std::string(server_name);
    self->datagram_ = (flags & session_flag_datagram) != 0;
    /* DTLS clients always take the full handshake: its last flight is the
     * server's, so a lost final flight is always repeated by the server. */
    self->no_resume_ = (flags & session_flag_no_resume) || is_server || self->target_.empty() || self->datagram_;
    gnutls_session_t s;
    unsigned int init_flags = (is_server ? GNUTLS_SERVER : GNUTLS_CLIENT) | GNUTLS_NONBLOCK;
    /* TLS 1.3 post-handshake client authentication (RFC 8446 §4.6.2):
     * clients offer it, as Windows' do; servers can then ask for a
     * certificate after the handshake (AcceptSecurityContext with
     * ASC_REQ_MUTUAL_AUTH on an established context). */
    if (self->datagram_) init_flags |= GNUTLS_DATAGRAM;
    else init_flags |= GNUTLS_POST_HANDSHAKE_AUTH;
    if ((error = gnutls_init(&s, init_flags)) < 0)
        return nullptr;
    self->session_.reset(s);

    gnutls_priority_t priority = self->datagram_ ? creds.datagram_priority() : creds.priority();
    if (!priority) {
        error = GNUTLS_E_NO_PRIORITIES_WERE_SET;
        return nullptr;
    }
    if ((error = gnutls_priority_set(s, priority)) < 0) return nullptr;
    if ((error = gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, creds.certificates())) < 0) return nullptr;

    std::string host(server_name);
    /* RFC 6066 §3: no SNI for address literals. */
    if (!is_server && !host.empty() && !is_ip_literal(host)) {
        if ((error = gnutls_server_name_set(s, GNUTLS_NAME_DNS, host.data(), host.size())) < 0) return nullptr;
    }
    if (is_server) {
        self->is_server_ = true;
        if (!creds.has_certificate()) {
            error = GNUTLS_E_INSUFFICIENT_CREDENTIALS;
            return nullptr;
        }
        /* Resumption: tickets (TLS 1.2 and 1.3) under the credential's key,
         * and TLS 1.2 session ids in the credential's cache. */
        if (!creds.no_reconnects() && !(flags & session_flag_no_resume)) {
            if ((error = gnutls_session_ticket_enable_server(s, creds.ticket_key())) < 0) return nullptr;
            creds.attach_server_cache(s);
        }
        if (flags & session_flag_request_client_certificate)
            gnutls_certificate_server_set_request(s, GNUTLS_CERT_REQUEST);
    }

    /* A client that may have to wait for the caller's choice of
     * certificate runs its handshake on a worker too. */
    self->pause_for_certificate_ =
        !is_server && !creds.has_certificate() && (flags & session_flag_pause_for_certificate);
    if (creds.has_external_key() || self->pause_for_certificate_) {
        self->pending_window_ = std::make_unique<input_window>();
        self->signing_ = std::make_unique<signing_channel>();
    }

    key_log_attach(s);
    gnutls_session_set_ptr(s, self.get());
    gnutls_handshake_set_hook_function(s, GNUTLS_HANDSHAKE_ANY, GNUTLS_HOOK_POST, handshake_message_seen);
    if (!self->no_resume_) {
        secret_bytes cached = creds.find_session(self->target_);
        /* A stale or rejected entry just means a full handshake. */
        if (!cached.empty()) gnutls_session_set_data(s, cached.data(), cached.size());
    }

    gnutls_transport_set_ptr(s, self.get());
    gnutls_transport_set_push_function(s, push);
    gnutls_transport_set_pull_function(s, pull);
    gnutls_transport_set_pull_timeout_function(s, pull_timeout);
    /* Time is the caller's business: it may take minutes between calls. */
    gnutls_handshake_set_timeout(s, 0);
    if (self->datagram_) {
        /* Retransmission is the caller's too, as with Schannel: a handshake
         * call without a datagram means its timer fired. GnuTLS's own
         * timer starts at 1 ms (doubling per repeat of one flight), so it
         * has always run out by then (handshake() waits out the rest in the
         * rare case it has not) and the flight goes out again; within one
         * call it never has, so GnuTLS repeats nothing by itself. A call
         * with a datagram repeats the flight only when the datagram is the
         * peer's repeated flight (RFC 6347 4.2.4). */
        gnutls_dtls_set_timeouts(s, 1, dtls_total_timeout_ms);
        self->mtu_ = mtu ? mtu : default_dtls_mtu;
        gnutls_dtls_set_mtu(s, self->mtu_);
        if (prestate) {
            gnutls_dtls_prestate_st pre{};
            pre.record_seq = prestate[0];
            pre.hsk_read_seq = prestate[1];
            pre.hsk_write_seq = prestate[2];
            gnutls_dtls_prestate_set(s, &pre);
        }
    }
    error = 0;
    return self;
}

ssize_t tls_session::push(gnutls_transport_ptr_t ptr, const void *data, size_t size)
{
    auto *self = static_cast<tls_session *>(ptr);
    if (current_output && current_output->owner == self)
        current_output->write(static_cast<const uint8_t *>(data), size);
    else
        self->queue_output(static_cast<const uint8_t *>(data), size);
    return ssize_t(size);
}

ssize_t tls_session::pull(gnutls_transport_ptr_t ptr, void *data, size_t size)
{
    auto *self = static_cast<tls_session *>(ptr);
    input_window *in = current_input;
    if (!in || in->owner != self || in->pos >= in->size) {
        gnutls_transport_set_errno(self->session_.get(), EAGAIN);
        return -1;
    }
    size_t n = std::min(size, in->size - in->pos);
    if (self->datagram_ && n >= dtls_header_size) {
        /* One DTLS record per pull: GnuTLS takes each pull for a datagram
         * and would keep the datagram's other records to itself. */
        const uint8_t *r = in->data + in->pos;
        n = std::min(n, dtls_header_size + (size_t(r[11]) << 8 | r[12]));
    }
    memcpy(data, in->data + in->pos, n);
    in->pos += n;
    return ssize_t(n);
}

int tls_session::pull_timeout(gnutls_transport_ptr_t ptr, unsigned int)
{
    input_window *in = current_input;
    return in && in->owner == ptr && in->pos < in->size ? 1 : 0;
}

int tls_session::handshake_message_seen(gnutls_session_t session, unsigned int type, unsigned int,
                                        unsigned int incoming, const gnutls_datum_t *message)
{
    auto *self = static_cast<tls_session *>(gnutls_session_get_ptr(session));
    /* Past the server's ServerHelloDone (TLS 1.2) or Finished (TLS 1.3, and
     * resumed TLS 1.2) no CertificateRequest can come: later handshake
     * calls need no worker to wait on. */
    if (self && incoming && (type == GNUTLS_HANDSHAKE_SERVER_HELLO_DONE || type == GNUTLS_HANDSHAKE_FINISHED))
        self->certificate_request_over_ = true;
    if (!self || !incoming || !self->handshake_done_) return 0;
    self->post_handshake_message_ = true;
    if (type == GNUTLS_HANDSHAKE_NEW_SESSION_TICKET) self->ticket_received_ = true;
    /* KeyUpdate's one byte (last, with or without the message header):
     * 1 = update_requested (RFC 8446 §4.6.3). */
    if (type == GNUTLS_HANDSHAKE_KEY_UPDATE && message && message->size && message->data[message->size - 1] == 1)
        self->key_update_requested_ = true;
    return 0;
}

/* Saves what GnuTLS needs to resume this session into the credential's
 * cache: after a TLS 1.2 handshake, or when a TLS 1.3 ticket arrives
 * (TLS 1.3 session data is worthless before that). */
void tls_session::remember_session()
{
    if (no_resume_) return;
    gnutls_datum_t data{nullptr, 0};
    if (gnutls_session_get_data2(session_.get(), &data) < 0) return;
    /* The data holds the master secret: wipe GnuTLS's copy before freeing
     * it; ours is secret_bytes, wiped when dropped. */
    secret_bytes copy(data.data, data.data + data.size);
    gnutls_memset(data.data, 0, data.size);
    gnutls_free(data.data);
    creds_->store_session(target_, std::move(copy));
}

void tls_session::set_alpn(session_set_alpn_params &p)
{
    auto *list = reinterpret_cast<const uint8_t *>(uintptr_t(p.list));
    std::vector<gnutls_datum_t> names;
    for (uint32_t pos = 0; pos < p.size;) {
        uint32_t len = list[pos];
        if (!len || pos + 1 + len > p.size) {
            p.error = GNUTLS_E_INVALID_REQUEST;
            return;
        }
        names.push_back(gnutls_datum_t{const_cast<uint8_t *>(list + pos + 1), len});
        pos += 1 + len;
    }
    /* A server picks by its own order, as Schannel does. */
    unsigned flags = is_server_ ? GNUTLS_ALPN_SERVER_PRECEDENCE : 0;
    p.error = names.empty() ? 0
                            : gnutls_alpn_set_protocols(session_.get(), names.data(), unsigned(names.size()), flags);
}

void tls_session::details(session_details_params &p)
{
    size_t id_size = sizeof(p.session_id);
    if (gnutls_session_get_id(session_.get(), p.session_id, &id_size) < 0) id_size = 0;
    p.session_id_size = uint32_t(id_size);
    gnutls_datum_t unique{nullptr, 0};
    p.tls_unique_size = 0;
    if (gnutls_session_channel_binding(session_.get(), GNUTLS_CB_TLS_UNIQUE, &unique) == 0) {
        if (unique.size <= sizeof(p.tls_unique)) {
            memcpy(p.tls_unique, unique.data, unique.size);
            p.tls_unique_size = unique.size;
        }
        gnutls_free(unique.data);
    }
    gnutls_datum_t alpn{nullptr, 0};
    p.alpn_size = 0;
    if (gnutls_alpn_get_selected_protocol(session_.get(), &alpn) == 0 && alpn.size <= sizeof(p.alpn)) {
        memcpy(p.alpn, alpn.data, alpn.size);
        p.alpn_size = alpn.size;
    }
}

void tls_session::export_keying_material(session_export_keying_material_params &p)
{
    p.result = tls_error;
    p.error = GNUTLS_E_INVALID_REQUEST;
    if (!handshake_done_ || !p.label || !p.label_size || !p.output || !p.output_size) return;
    if (p.context_size && !p.context) return;
    const char *label = reinterpret_cast<const char *>(uintptr_t(p.label));
    const char *context = p.context ? reinterpret_cast<const char *>(uintptr_t(p.context)) : nullptr;
    char *out = reinterpret_cast<char *>(uintptr_t(p.output));
    /* GnuTLS reads the session's secrets; a post-handshake message being
     * processed on the receiving thread must not change them under us. */
    std::lock_guard<std::mutex> read_guard(read_lock_), write_guard(write_lock_);
    p.error = gnutls_prf_rfc5705(session_.get(), p.label_size, label, p.context_size, context, p.output_size, out);
    if (p.error == 0) p.result = tls_ok;
}

void tls_session::forget()
{
    no_resume_ = true;
    creds_->forget_session(target_);
}

void tls_session::queue_output(const uint8_t *data, size_t size)
{
    std::lock_guard<std::mutex> guard(queue_lock_);
    queued_output_.insert(queued_output_.end(), data, data + size);
    /* GnuTLS pushes one DTLS record per call. */
    if (datagram_) queued_records_.push_back(uint32_t(size));
}

/* The next datagram: as many queued records as fit in the MTU, at least
 * one. Under queue_lock_. */
size_t tls_session::queued_datagram_size() const
{
    size_t total = 0;
    for (uint32_t record : queued_records_) {
        if (total && total + record > mtu_) break;
        total += record;
    }
    return total;
}

size_t tls_session::drain_output(uint8_t *out, size_t capacity, size_t &left)
{
    std::lock_guard<std::mutex> guard(queue_lock_);
    if (datagram_) {
        /* One whole datagram, or nothing when it does not fit. */
        size_t n = queued_datagram_size();
        if (n > capacity) n = 0;
        if (n) {
            memcpy(out, queued_output_.data(), n);
            queued_output_.erase(queued_output_.begin(), queued_output_.begin() + ptrdiff_t(n));
            for (size_t taken = 0; taken < n; queued_records_.pop_front()) taken += queued_records_.front();
        }
        left = queued_output_.size();
        return n;
    }
    size_t n = std::min(capacity, queued_output_.size());
    if (n) {
        memcpy(out, queued_output_.data(), n);
        queued_output_.erase(queued_output_.begin(), queued_output_.begin() + ptrdiff_t(n));
    }
    left = queued_output_.size();
    return n;
}

void tls_session::handshake(session_handshake_params &p)
{
    auto *input = reinterpret_cast<const uint8_t *>(uintptr_t(p.input));
    auto *output = reinterpret_cast<uint8_t *>(uintptr_t(p.output));
    p.input_consumed = p.output_size = p.output_pending = p.missing = 0;
    p.error = 0;
    p.alert = 0;

    p.renegotiation = tls_renegotiation_none;
    auto finish = [&](int32_t result) { finish_call(p, result); };

    /* After the handshake: a renegotiation's step, or just what is queued
     * (a close_notify, a KeyUpdate reply). With no input while output is
     * still queued (a flight larger than the caller's first buffer), just
     * hand out the rest of the flight. */
    if (handshake_done_) return established_handshake(p);
    bool resuming = signing_ && signing_->waiting();
    if (!resuming && datagram_ && !p.input_size) {
        std::unique_lock<std::mutex> guard(queue_lock_);
        if (!queued_output_.empty()) {
            /* The rest of a flight, one datagram per call. */
            guard.unlock();
            return finish(last_handshake_result_);
        }
        guard.unlock();
        /* The caller's timer fired: make sure GnuTLS's has too (it runs
         * out within milliseconds unless this flight was repeated many
         * times in quick succession). */
        unsigned int wait = gnutls_dtls_get_timeout(session_.get());
        if (wait && wait <= max_retransmit_wait_ms) {
            struct timespec ts{0, long(wait + 1) * 1000000L};
            nanosleep(&ts, nullptr);
        }
    } else if (!resuming && !p.input && !p.input_size) {
        std::lock_guard<std::mutex> guard(queue_lock_);
        if (!queued_output_.empty()) {
            size_t n = std::min<size_t>(p.output ? p.output_capacity : 0, queued_output_.size());
            if (n) memcpy(output, queued_output_.data(), n);
            queued_output_.erase(queued_output_.begin(), queued_output_.begin() + ptrdiff_t(n));
            p.output_size = uint32_t(n);
            p.output_pending = uint32_t(queued_output_.size());
            p.result = last_handshake_result_;
            return;
        }
    }

    size_t complete = 0;
    if (datagram_ && !resuming) {
        /* A datagram is whole by definition; GnuTLS drops what it cannot
         * use in it. */
        complete = p.input_size;
    } else if (p.input_size && !resuming) {
        frame_scan scan = scan_records(input, p.input_size, false);
        if (scan.status == frame_status::malformed) {
            p.error = GNUTLS_E_UNEXPECTED_PACKET;
            return finish(tls_error);
        }
        if (scan.status == frame_status::incomplete) {
            p.missing = uint32_t(scan.missing);
            return finish(tls_incomplete);
        }
        complete = scan.complete_bytes;
    }

    /* GnuTLS reassembles a handshake message up to the length its header
     * claims (up to 16 MB) before its own 128 KB limit on the handshake
     * applies: a peer could make every context buffer that much. So GnuTLS
     * sees at most max_handshake_input bytes of whole records over the
     * whole handshake; a handshake that needs more fails. */
    bool capped = false;
    size_t allowed = handshake_input_ < max_handshake_input ? max_handshake_input - handshake_input_ : 0;
    if (complete > allowed) {
        size_t fit = 0; /* a datagram is all or nothing */
        while (!datagram_ && fit + 5 <= complete) {
            size_t record = 5 + (size_t(input[fit + 3]) << 8 | input[fit + 4]);
            if (fit + record > allowed) break;
            fit += record;
        }
        complete = fit;
        capped = true;
    }

    bool paused = false;
    int ret = run_gnutls_handshake(input, complete, p.input_consumed, paused);
    if (paused) return report_pause(p, complete);
    handshake_input_ += p.input_consumed;
    /* GnuTLS may stop after one record of a longer window; only a window
     * used up at the bound is the end. */
    if (capped && is_again(ret) && p.input_consumed == complete) ret = GNUTLS_E_HANDSHAKE_TOO_LARGE;

    if (ret == 0) {
        handshake_done_ = true;
        if (datagram_) {
            std::lock_guard<std::mutex> q(queue_lock_);
            final_flight_ = queued_output_;
            final_records_.assign(queued_records_.begin(), queued_records_.end());
        }
        compute_record_sizes();
        {
            std::lock_guard<std::mutex> read_guard(read_lock_), write_guard(write_lock_);
            reader_.load(session_.get(), true);
            writer_.load(session_.get(), false);
        }
        if (gnutls_protocol_get_version(session_.get()) != GNUTLS_TLS1_3) remember_session();
        return finish(tls_ok);
    }
    if (is_again(ret)) return finish(tls_continue);
    fail_call(p, ret);
}

void tls_session::finish_call(session_handshake_params &p, int32_t result)
{
    auto *output = reinterpret_cast<uint8_t *>(uintptr_t(p.output));
    size_t left;
    p.output_size = uint32_t(drain_output(output, p.output ? p.output_capacity : 0, left));
    p.output_pending = uint32_t(left);
    p.result = result;
    last_handshake_result_ = result;
}

void tls_session::report_pause(session_handshake_params &p, size_t complete)
{
    /* Output stays queued until the handshake goes on. */
    if (!signing_->waiting_for_credentials()) {
        p.result = tls_need_signature;
        return;
    }
    /* The caller's buffer will be gone when it comes back: keep what
     * GnuTLS has yet to read. The worker is parked, so the window can
     * change under it. */
    if (!input_held_) {
        held_input_.assign(pending_window_->data, pending_window_->data + pending_window_->size);
        pending_window_->data = held_input_.data();
        input_held_ = true;
        p.input_consumed = uint32_t(complete);
        handshake_input_ += complete;
    }
    p.result = tls_need_credentials;
}

void tls_session::fail_call(session_handshake_params &p, int ret)
{
    p.error = ret;
    if (ret == GNUTLS_E_FATAL_ALERT_RECEIVED || ret == GNUTLS_E_WARNING_ALERT_RECEIVED) {
        p.alert = gnutls_alert_get(session_.get());
    } else {
        /* Tell the peer why, as Schannel does with ISC_REQ_EXTENDED_ERROR;
         * the PE side decides whether the caller gets these bytes. */
        io_scope io(nullptr, nullptr);
        int alert = gnutls_error_to_alert(ret, nullptr);
        if (alert >= 0) {
            p.alert = uint32_t(alert);
            gnutls_alert_send_appropriate(session_.get(), ret);
        }
    }
    finish_call(p, tls_error);
}

int tls_session::gnutls_handshake_step()
{
    return reauth_ ? gnutls_reauth(session_.get(), 0) : gnutls_handshake(session_.get());
}

/* One gnutls_handshake call over `complete` bytes of input; on a worker
 * thread when the credential's key is the PE side's, where it may pause for
 * a signature (`paused`; the PE side then passes the same input again). */
int tls_session::run_gnutls_handshake(const uint8_t *input, size_t complete, uint32_t &consumed, bool &paused)
{
    int ret;
    /* A worker only where the handshake may have to wait: for signatures
     * by the PE side's key, or, for a client that may be asked for a
     * certificate, on calls with the server's bytes before its request can
     * no longer come (the ClientHello and the last TLS 1.2 call run here). */
    /* TLS 1.3 post-handshake authentication asks at once: the client's
     * CertificateRequest has already arrived. */
    /* The initial handshake's server flight is plaintext (TLS 1.2): a
     * call whose records end it without a CertificateRequest needs no
     * worker (a thread per call costs ~0.2 ms; server_flight.h). */
    bool initial = !handshake_done_ && renegotiation_ == renegotiation::none && !reauth_;
    bool worker = signing_ && (signing_->waiting() || creds_->has_external_key() ||
                               (pause_for_certificate_ && !certificate_request_over_ && (complete || reauth_) &&
                                !(initial && flight_scan_.ends_without_request(input, complete))));
    bool follow = pause_for_certificate_ && initial && !flight_scan_.lost();
    if (!worker) {
        input_window window{this, input, complete, 0};
        io_scope io(&window, nullptr);
        ret = gnutls_handshake_step();
        /* DTLS: pull() hands GnuTLS one record at a time, and GnuTLS may
         * stop after one it dropped (a duplicate); the caller will not pass
         * the datagram again, so go on while records are left in it. */
        for (int i = 0; datagram_ && is_again(ret) && window.pos < window.size && i < 64; i++) {
            size_t pos = window.pos;
            ret = gnutls_handshake_step();
            if (window.pos == pos) break;
        }
        consumed = uint32_t(window.pos);
        if (follow) flight_scan_.consume(input, consumed);
        return ret;
    }
    bool finished;
    if (signing_->waiting()) {
        /* A signature's caller passes the same input again; after a pause
         * for credentials the held copy is read instead. */
        if (!input_held_) pending_window_->data = input;
        finished = signing_->resume(ret);
    } else {
        *pending_window_ = input_window{this, input, complete, 0};
        finished = signing_->start(
            [this] {
                io_scope io(pending_window_.get(), nullptr);
                return gnutls_handshake_step();
            },
            ret);
    }
    paused = !finished;
    consumed = finished && !input_held_ ? uint32_t(pending_window_->pos) : 0;
    /* After a pause the window was held or is passed again: stop
     * following (the request, if any, has come). */
    if (follow) {
        if (finished && !input_held_) flight_scan_.consume(input, consumed);
        else flight_scan_.give_up();
    }
    if (finished && input_held_) {
        input_held_ = false;
        held_input_.clear();
        *pending_window_ = input_window{this, nullptr, 0, 0};
    }
    return ret;
}

void tls_session::signature(session_signature_params &p)
{
    p.size = p.hash = 0;
    if (!signing_ || !signing_->waiting()) {
        p.result = tls_error;
        return;
    }
    if (!p.signature) {
        const std::vector<uint8_t> &digest = signing_->request_digest();
        p.hash = signing_->request_hash();
        p.size = uint32_t(digest.size());
        bool fits = p.buffer && p.capacity >= digest.size();
        if (fits) memcpy(reinterpret_cast<uint8_t *>(uintptr_t(p.buffer)), digest.data(), digest.size());
        p.result = fits ? tls_ok : tls_buffer_too_small;
        return;
    }
    auto *sig = reinterpret_cast<const uint8_t *>(uintptr_t(p.signature));
    signing_->provide(std::vector<uint8_t>(sig, sig + p.signature_size));
    p.result = tls_ok;
}

int tls_session::select_client_certificate(gnutls_session_t session, const gnutls_datum_t *issuers, int issuer_count,
                                           const gnutls_pk_algorithm_t *, int, gnutls_pcert_st **pcert,
                                           unsigned int *pcert_length, gnutls_privkey_t *key)
{
    *pcert = nullptr;
    *pcert_length = 0;
    *key = nullptr;
    auto *self = static_cast<tls_session *>(gnutls_session_get_ptr(session));
    if (!self || self->is_server_) return 0;
    try {
        self->requested_issuers_.clear();
        for (int i = 0; i < issuer_count; i++)
            self->requested_issuers_.emplace_back(issuers[i].data, issuers[i].data + issuers[i].size);
    } catch (...) {
        return GNUTLS_E_MEMORY_ERROR;
    }
    self->certificate_requested_ = true;

    const certificate_key_pair *pair = self->creds_->client_certificate();
    if (!pair && self->pause_for_certificate_ && !self->certificate_chosen_ && self->signing_ &&
        self->signing_->on_worker_thread()) {
        /* Wait for the caller: SEC_I_INCOMPLETE_CREDENTIALS, then its next
         * InitializeSecurityContext says what to send. */
        if (!self->signing_->wait_for_credentials()) return GNUTLS_E_INSUFFICIENT_CREDENTIALS;
    }
    if (!pair && self->chosen_credentials_) pair = self->chosen_credentials_->client_certificate();
    if (pair) {
        *pcert = const_cast<gnutls_pcert_st *>(pair->pcerts.data());
        *pcert_length = unsigned(pair->pcerts.size());
        *key = pair->key;
    }
    return 0;
}

void tls_session::client_certificate(session_client_certificate_params &p, tls_credentials *chosen)
{
    if (!signing_ || !signing_->waiting_for_credentials() || (chosen && !chosen->client_certificate())) {
        p.result = tls_error;
        return;
    }
    certificate_chosen_ = true;
    chosen_credentials_ = chosen;
    p.result = tls_ok;
}

namespace {

/* SecPkgContext_SupportedSignatures' halves: TLS 1.2's SignatureAlgorithm
 * and HashAlgorithm numbers (RFC 5246 §7.4.1.4.1). */
uint16_t signature_byte(gnutls_pk_algorithm_t pk)
{
    switch (pk) {
    case GNUTLS_PK_RSA: return 1;
    case GNUTLS_PK_DSA: return 2;
    case GNUTLS_PK_ECDSA: return 3;
    default: return 0;
    }
}

uint16_t hash_byte(gnutls_digest_algorithm_t hash)
{
    switch (hash) {
    case GNUTLS_DIG_MD5: return 1;
    case GNUTLS_DIG_SHA1: return 2;
    case GNUTLS_DIG_SHA224: return 3;
    case GNUTLS_DIG_SHA256: return 4;
    case GNUTLS_DIG_SHA384: return 5;
    case GNUTLS_DIG_SHA512: return 6;
    default: return 0;
    }
}

} // namespace

void tls_session::certificate_request(session_certificate_request_params &p)
{
    p.requested = certificate_requested_ ? 1 : 0;
    p.issuer_count = uint32_t(requested_issuers_.size());
    /* The pairs our priorities allow. RSA-PSS and EdDSA schemes (TLS 1.3)
     * have no such pair and are left out. */
    p.signature_count = 0;
    const unsigned int *list = nullptr;
    int n = gnutls_priority_sign_list(creds_->priority(), &list);
    for (int i = 0; i < n && p.signature_count < sizeof(p.signatures) / sizeof(p.signatures[0]); i++) {
        auto sign = gnutls_sign_algorithm_t(list[i]);
        const char *name = gnutls_sign_get_name(sign);
        if (name && strstr(name, "PSS")) continue;
        uint16_t sig = signature_byte(gnutls_sign_get_pk_algorithm(sign));
        uint16_t hash = hash_byte(gnutls_sign_get_hash_algorithm(sign));
        if (!sig || !hash) continue;
        uint16_t value = uint16_t(sig << 8 | hash);
        bool seen = false;
        for (uint32_t j = 0; j < p.signature_count; j++) seen = seen || p.signatures[j] == value;
        if (!seen) p.signatures[p.signature_count++] = value;
    }
    size_t needed = 0;
    for (const auto &issuer : requested_issuers_) needed += 4 + issuer.size();
    p.size_needed = uint32_t(needed);
    if (needed > p.capacity || (needed && !p.buffer)) {
        p.result = tls_buffer_too_small;
        return;
    }
    auto *out = reinterpret_cast<uint8_t *>(uintptr_t(p.buffer));
    for (const auto &issuer : requested_issuers_) {
        uint32_t len = uint32_t(issuer.size());
        memcpy(out, &len, 4);
        memcpy(out + 4, issuer.data(), len);
        out += 4 + len;
    }
    p.result = tls_ok;
}

void tls_session::compute_record_sizes()
{
    gnutls_session_t s = session_.get();
    gnutls_protocol_t version = gnutls_protocol_get_version(s);
    gnutls_cipher_algorithm_t cipher = gnutls_cipher_get(s);
    size_t tag = gnutls_cipher_get_tag_size(cipher);

    if (datagram_) {
        /* DTLS 1.0 (as TLS 1.1) and 1.2: a 13-byte header, then the explicit
         * nonce (AEAD) or IV (CBC). Every record fits one datagram, so the
         * largest message is what the MTU leaves. */
        size_t block = size_t(gnutls_cipher_get_block_size(cipher));
        size_t explicit_part = tag ? (has_explicit_nonce(cipher) ? 8 : 0) : (block > 1 ? block : 0);
        header_size_ = uint32_t(dtls_header_size + explicit_part);
        trailer_size_ = tag ? uint32_t(tag)
                            : uint32_t(gnutls_hmac_get_len(gnutls_mac_get(s)) + (block > 1 ? block : 0));
        max_message_ = gnutls_dtls_get_data_mtu(s);
        return;
    }
    if (version == GNUTLS_TLS1_3) {
        header_size_ = 5;
        trailer_size_ = uint32_t(tag + 1); /* tag + inner content type; we send no padding */
    } else if (tag) {
        header_size_ = 5 + (has_explicit_nonce(cipher) ? 8 : 0);
        trailer_size_ = uint32_t(tag);
    } else {
        /* CBC: explicit IV from TLS 1.1 on; trailer = MAC + up to one block of padding. */
        size_t block = size_t(gnutls_cipher_get_block_size(cipher));
        size_t iv = (version >= GNUTLS_TLS1_1 && block > 1) ? block : 0;
        header_size_ = uint32_t(5 + iv);
        trailer_size_ = uint32_t(gnutls_hmac_get_len(gnutls_mac_get(s)) + (block > 1 ? block : 0));
    }
    size_t limit = gnutls_record_get_max_size(s);
    max_message_ = uint32_t(limit && limit < 16384 ? limit : 16384);
}

void tls_session::connection_info(session_connection_info_params &p)
{
    gnutls_session_t s = session_.get();
    gnutls_protocol_t version = gnutls_protocol_get_version(s);
    gnutls_cipher_algorithm_t cipher = gnutls_cipher_get(s);
    gnutls_mac_algorithm_t mac = gnutls_mac_get(s);
    gnutls_kx_algorithm_t kx = gnutls_kx_get(s);

    p.protocol = protocol_bit(version);
    p.cipher = cipher_id(cipher);
    p.hash = hash_id(mac);
    p.exchange = exchange_id(kx, version);
    p.block_size = std::max<uint32_t>(1, uint32_t(gnutls_cipher_get_block_size(cipher)));
    p.cipher_key_bits = uint32_t(gnutls_cipher_get_key_size(cipher) * 8);
    p.mac_key_bits = uint32_t(gnutls_mac_get_key_size(mac) * 8);
    gnutls_ecc_curve_t curve = gnutls_ecc_curve_get(s);
    if (curve != GNUTLS_ECC_CURVE_INVALID)
        p.kx_bits = uint32_t(gnutls_ecc_curve_get_size(curve) * 8);
    else if (kx == GNUTLS_KX_DHE_RSA || kx == GNUTLS_KX_DHE_DSS)
        p.kx_bits = uint32_t(gnutls_dh_get_prime_bits(s));
    else
        p.kx_bits = 0;
    p.header_size = header_size_;
    p.trailer_size = trailer_size_;
    p.max_message = max_message_;
    p.session_resumed = gnutls_session_is_resumed(s) ? 1 : 0;

    p.cipher_suite = 0;
    unsigned char id[2];
    gnutls_kx_algorithm_t skx;
    gnutls_cipher_algorithm_t scipher;
    gnutls_mac_algorithm_t smac;
    gnutls_protocol_t smin;
    for (size_t i = 0; gnutls_cipher_suite_info(i, id, &skx, &scipher, &smac, &smin); i++) {
        bool tls13_suite = smin == GNUTLS_TLS1_3;
        if (scipher != cipher || smac != mac || tls13_suite != (version == GNUTLS_TLS1_3)) continue;
        if (!tls13_suite && skx != kx) continue;
        p.cipher_suite = uint32_t(id[0]) << 8 | id[1];
        break;
    }
    memset(p.cipher_suite_name, 0, sizeof(p.cipher_suite_name));
    if (const char *name = gnutls_ciphersuite_get(s))
        strncpy(p.cipher_suite_name, name, sizeof(p.cipher_suite_name) - 1);
}

void tls_session::peer_certificates(session_peer_certificates_params &p)
{
    unsigned int count = 0;
    const gnutls_datum_t *certs = gnutls_certificate_get_peers(session_.get(), &count);
    size_t needed = 0;
    for (unsigned int i = 0; i < count; i++) needed += 4 + certs[i].size;
    p.count = count;
    p.size_needed = uint32_t(needed);
    if (needed > p.capacity || (needed && !p.buffer)) {
        p.result = tls_buffer_too_small;
        return;
    }
    auto *out = reinterpret_cast<uint8_t *>(uintptr_t(p.buffer));
    for (unsigned int i = 0; i < count; i++) {
        uint32_t len = certs[i].size;
        memcpy(out, &len, 4);
        memcpy(out + 4, certs[i].data, len);
        out += 4 + len;
    }
    p.result = tls_ok;
}

void tls_session::encrypt(session_encrypt_params &p)
{
    p.header_size = p.trailer_size = 0;
    p.error = 0;
    if (!handshake_done_) {
        p.result = tls_error;
        p.error = GNUTLS_E_INVALID_REQUEST;
        return;
    }
    if (p.header_capacity < header_size_ || p.trailer_capacity < trailer_size_ || p.data_size > max_message_) {
        p.result = tls_buffer_too_small;
        return;
    }
    auto *data = reinterpret_cast<uint8_t *>(uintptr_t(p.data));
    if (!(p.flags & encrypt_flag_alert)) {
        std::unique_lock<std::mutex> guard(write_lock_);
        if (writer_.active()) {
            /* The fast path: sealed in place, no copy, no allocation. */
            int ret = writer_.seal(reinterpret_cast<uint8_t *>(uintptr_t(p.header)), data, p.data_size,
                                   reinterpret_cast<uint8_t *>(uintptr_t(p.trailer)));
            if (ret < 0) {
                p.result = tls_error;
                p.error = ret;
                return;
            }
            p.header_size = uint32_t(writer_.header_size());
            p.trailer_size = uint32_t(writer_.trailer_size());
            p.result = tls_ok;
            return;
        }
    }
    /* Alerts, and suites record_cipher does not cover: GnuTLS's record
     * layer, its output captured into the caller's buffers. */
    gnutls_record_layer layer(*this, false);
    output_sink sink{this,
                     reinterpret_cast<uint8_t *>(uintptr_t(p.header)),
                     header_size_,
                     data,
                     p.data_size,
                     reinterpret_cast<uint8_t *>(uintptr_t(p.trailer)),
                     p.trailer_capacity,
                     0,
                     false};
    ssize_t ret;
    if (p.flags & encrypt_flag_alert) {
        if (p.data_size != 2) {
            p.result = tls_error;
            p.error = GNUTLS_E_INVALID_REQUEST;
            return;
        }
        /* Read the alert before the sink overwrites the buffer with its
         * ciphertext. */
        auto level = gnutls_alert_level_t(sink.data[0]);
        auto description = gnutls_alert_description_t(sink.data[1]);
        io_scope io(nullptr, &sink);
        ret = gnutls_alert_send(session_.get(), level, description);
        if (ret == 0) ret = ssize_t(p.data_size);
    } else {
        io_scope io(nullptr, &sink);
        ret = gnutls_record_send(session_.get(), sink.data, p.data_size);
    }
    if (ret < 0 || size_t(ret) != p.data_size || sink.overflow || sink.written < header_size_ + p.data_size) {
        p.result = tls_error;
        p.error = ret < 0 ? int32_t(ret) : GNUTLS_E_INTERNAL_ERROR;
        return;
    }
    p.header_size = header_size_;
    p.trailer_size = uint32_t(sink.written - header_size_ - p.data_size);
    p.result = tls_ok;
}

void tls_session::decrypt(session_decrypt_params &p)
{
    auto *buffer = reinterpret_cast<uint8_t *>(uintptr_t(p.buffer));
    p.consumed = p.data_offset = p.data_size = p.missing = 0;
    p.error = 0;
    p.alert = 0;
    if (datagram_) return datagram_decrypt(p, buffer);

    frame_scan scan = scan_records(buffer, p.size, true);
    if (scan.status == frame_status::incomplete) {
        p.missing = uint32_t(scan.missing);
        p.result = tls_incomplete;
        return;
    }
    if (scan.status == frame_status::malformed) {
        p.result = tls_error;
        p.error = GNUTLS_E_UNEXPECTED_PACKET;
        return;
    }
    size_t record = scan.complete_bytes;

    std::unique_lock<std::mutex> guard(read_lock_);
    if (read_failed_) {
        p.result = tls_error;
        p.error = GNUTLS_E_DECRYPTION_FAILED;
        return;
    }
    /* TLS 1.2 handshake records of a renegotiation go to the handshake call. */
    if (buffer[0] != content_type_application_data && hand_back_to_handshake(buffer[0], buffer[0])) {
        p.result = tls_renegotiate;
        return;
    }
    if (reader_.active() && buffer[0] == content_type_application_data) {
        /* The fast path: opened in place, no copy, no allocation. */
        record_cipher::opened r = reader_.open(buffer, record);
        p.consumed = uint32_t(record);
        if (r.error) {
            /* As GnuTLS: a record that fails authentication ends reading. */
            read_failed_ = r.error == GNUTLS_E_DECRYPTION_FAILED;
            p.result = tls_error;
            p.error = r.error;
            return;
        }
        if (r.content_type == content_type_application_data) {
            p.data_offset = uint32_t(r.data_offset);
            p.data_size = uint32_t(r.data_size);
            p.result = tls_ok;
            return;
        }
        /* TLS 1.3 hides alerts and post-handshake messages (tickets,
         * KeyUpdate) behind the application_data header: put the record
         * back as it came and let GnuTLS process it. */
        if (int ret = reader_.reseal(buffer, record); ret < 0) {
            p.result = tls_error;
            p.error = ret;
            return;
        }
        p.consumed = 0;
        if (hand_back_to_handshake(buffer[0], r.content_type)) {
            /* A TLS 1.3 client's answer to our CertificateRequest. */
            p.result = tls_renegotiate;
            return;
        }
    } else if (hand_back_to_handshake(buffer[0], buffer[0])) {
        /* A paused renegotiation owns GnuTLS; the handshake call that
         * goes on with it takes this record too. */
        p.result = tls_renegotiate;
        return;
    }
    gnutls_record_layer layer(*this, true);
    key_update_requested_ = false;
    gnutls_decrypt(p, buffer, record);
    if (key_update_requested_) {
        /* GnuTLS would answer only inside its next gnutls_record_send, which
         * our record path never calls: answer now. The reply is queued for
         * the caller's next InitializeSecurityContext (after
         * SEC_I_RENEGOTIATE) and our sending keys change with it. */
        key_update_requested_ = false;
        io_scope io(nullptr, nullptr);
        gnutls_session_key_update(session_.get(), 0);
    }
}

/* A record for GnuTLS's own record layer: alerts, handshake messages,
 * suites record_cipher does not cover. */
void tls_session::gnutls_decrypt(session_decrypt_params &p, uint8_t *buffer, size_t record)
{
    uint8_t content_type = buffer[0];

    /* The plaintext lands where the ciphertext was, after the record's
     * header and explicit nonce: GnuTLS has already copied the ciphertext
     * in through pull() when it writes the plaintext. */
    size_t offset = std::min<size_t>(header_size_, record);
    uint8_t scratch[32];
    uint8_t *out = buffer + offset;
    size_t capacity = record - offset;
    if (!capacity) {
        out = scratch;
        capacity = sizeof(scratch);
    }

    input_window window{this, buffer, record, 0};
    ssize_t ret;
    post_handshake_message_ = false;
    ticket_received_ = false;
    {
        io_scope io(&window, nullptr);
        ret = gnutls_record_recv(session_.get(), out, capacity);
    }
    p.consumed = uint32_t(window.pos);
    if (ticket_received_) remember_session();

    if (ret > 0 && out == buffer + offset) {
        p.data_offset = uint32_t(offset);
        p.data_size = uint32_t(ret);
        p.result = tls_ok;
    } else if (ret == 0) {
        p.result = tls_closed;
    } else if (is_again(ret)) {
        /* The record carried no application data: an empty record, or a
         * post-handshake message GnuTLS has processed (ticket, KeyUpdate). */
        p.data_offset = uint32_t(offset);
        if (post_handshake_message_ || content_type == content_handshake)
            p.result = tls_renegotiate;
        else if (content_type == content_application_data)
            p.result = tls_ok;
        else {
            p.result = tls_error;
            p.error = GNUTLS_E_UNEXPECTED_PACKET;
        }
    } else if (ret == GNUTLS_E_REHANDSHAKE) {
        /* A client asking a server to renegotiate (TLS 1.2) is refused
         * with a no_renegotiation warning (RFC 5246 §7.2.2), queued for
         * the handshake call SEC_I_RENEGOTIATE makes the caller do. A
         * server's HelloRequest is answered by that call with a new
         * handshake (tls_renegotiation.cpp), but only over RFC 5746
         * secure renegotiation; without it the client refuses too. */
        if (!is_server_ && !datagram_ && gnutls_safe_renegotiation_status(session_.get())) {
            renegotiation_ = renegotiation::requested;
            reauth_ = false;
        } else if (is_server_ || !datagram_) {
            io_scope io(nullptr, nullptr);
            gnutls_alert_send(session_.get(), GNUTLS_AL_WARNING, GNUTLS_A_NO_RENEGOTIATION);
        }
        p.result = tls_renegotiate;
    } else if (ret == GNUTLS_E_REAUTH_REQUEST) {
        /* TLS 1.3: the server's post-handshake CertificateRequest; the
         * next handshake call answers it. */
        renegotiation_ = renegotiation::requested;
        reauth_ = true;
        p.data_offset = uint32_t(offset);
        p.result = tls_renegotiate;
    } else if (ret == GNUTLS_E_WARNING_ALERT_RECEIVED && is_server_ &&
               gnutls_alert_get(session_.get()) == GNUTLS_A_NO_RENEGOTIATION &&
               renegotiation_ == renegotiation::running) {
        /* The client refused our HelloRequest; the handshake call that
         * SEC_I_RENEGOTIATE brings says so (SEC_I_NO_RENEGOTIATION). */
        renegotiation_ = renegotiation::refused;
        p.data_offset = uint32_t(offset);
        p.result = tls_renegotiate;
    } else if (ret == GNUTLS_E_WARNING_ALERT_RECEIVED || ret == GNUTLS_E_FATAL_ALERT_RECEIVED) {
        p.alert = gnutls_alert_get(session_.get());
        p.result = p.alert == GNUTLS_A_CLOSE_NOTIFY ? tls_closed : tls_error;
        p.error = int32_t(ret);
    } else {
        p.result = tls_error;
        p.error = int32_t(ret > 0 ? GNUTLS_E_INTERNAL_ERROR : ret);
    }
}

void tls_session::shutdown(session_shutdown_params &p)
{
    gnutls_record_layer layer(*this, false);
    io_scope io(nullptr, nullptr); /* output is queued for the next handshake call */
    if (!p.alert)
        gnutls_bye(session_.get(), GNUTLS_SHUT_WR);
    else
        gnutls_alert_send(session_.get(), p.fatal ? GNUTLS_AL_FATAL : GNUTLS_AL_WARNING,
                          gnutls_alert_description_t(p.alert));
}

} // namespace secur32::unix_side

namespace secur32::unix_side {

/* DTLS: the first record of one datagram through GnuTLS's record layer
 * (record_cipher frames TLS records only). Records GnuTLS drops are
 * reported as such; the session goes on, as RFC 6347 4.1.2.7 wants. */
void tls_session::datagram_decrypt(session_decrypt_params &p, uint8_t *buffer)
{
    if (p.size < dtls_header_size) {
        p.result = tls_error;
        p.error = GNUTLS_E_UNEXPECTED_PACKET_LENGTH;
        return;
    }
    size_t record = dtls_header_size + (size_t(buffer[11]) << 8 | buffer[12]);
    if (record > p.size) {
        /* A datagram never grows: a truncated record is garbage. */
        p.result = tls_error;
        p.error = GNUTLS_E_UNEXPECTED_PACKET_LENGTH;
        return;
    }
    uint8_t type = buffer[0];
    uint64_t number = dtls_record_number(buffer);

    std::unique_lock<std::mutex> guard(read_lock_);
    if ((type == content_handshake || type == content_change_cipher_spec) && !final_flight_.empty()) {
        /* The peer repeats its last flight: ours, the handshake's end, was
         * lost. Send it again as it was (the peer never saw those records,
         * or drops the ones it did as replays); GnuTLS's own repeat of a
         * finished handshake's flight does not survive its epoch change. */
        std::lock_guard<std::mutex> q(queue_lock_);
        queued_output_.insert(queued_output_.end(), final_flight_.begin(), final_flight_.end());
        queued_records_.insert(queued_records_.end(), final_records_.begin(), final_records_.end());
        p.consumed = uint32_t(record);
        p.result = tls_retransmitted;
        return;
    }
    gnutls_record_layer layer(*this, true);
    size_t queued_before;
    {
        std::lock_guard<std::mutex> q(queue_lock_);
        queued_before = queued_output_.size();
    }
    unsigned int dropped_before = gnutls_record_get_discarded(session_.get());
    gnutls_decrypt(p, buffer, record);
    p.consumed = uint32_t(record); /* a dropped record is used up too */
    bool dropped = gnutls_record_get_discarded(session_.get()) != dropped_before;
    size_t queued_after;
    {
        std::lock_guard<std::mutex> q(queue_lock_);
        queued_after = queued_output_.size();
    }

    bool replayed = replay_any_ && number <= replay_top_ &&
                    (replay_top_ - number >= 64 || ((replay_seen_ >> (replay_top_ - number)) & 1));
    if (dropped) {
        p.data_size = 0;
        p.error = 0;
        p.result = replayed ? tls_replayed : tls_discarded;
        return;
    }
    if (queued_after > queued_before && type == content_handshake) {
        /* The peer repeated its last flight (ours was lost): GnuTLS sent
         * ours again, into the queue the next handshake call empties. */
        p.data_size = 0;
        p.result = tls_retransmitted;
        return;
    }
    if (p.result == tls_ok && type == content_application_data) {
        if (!replay_any_ || number > replay_top_) {
            uint64_t shift = replay_any_ ? number - replay_top_ : 64;
            replay_seen_ = shift >= 64 ? 0 : replay_seen_ << shift;
            replay_seen_ |= 1;
            replay_top_ = number;
            replay_any_ = true;
        } else if (replay_top_ - number < 64) {
            replay_seen_ |= uint64_t(1) << (replay_top_ - number);
        }
        return;
    }
    if (p.result == tls_renegotiate || (p.result == tls_error && p.error == GNUTLS_E_UNEXPECTED_PACKET)) {
        /* A stray handshake or ChangeCipherSpec record of a finished
         * handshake, already seen: nothing to do with it. */
        p.data_size = 0;
        p.error = 0;
        p.result = tls_replayed;
    }
}

void tls_session::set_mtu(session_set_mtu_params &p)
{
    p.data_mtu = 0;
    if (!datagram_) return;
    std::lock_guard<std::mutex> read_guard(read_lock_), write_guard(write_lock_);
    {
        std::lock_guard<std::mutex> q(queue_lock_);
        mtu_ = p.mtu;
    }
    gnutls_dtls_set_mtu(session_.get(), p.mtu);
    if (handshake_done_) max_message_ = gnutls_dtls_get_data_mtu(session_.get());
    p.data_mtu = handshake_done_ ? max_message_ : 0;
}

namespace {

struct cookie_output {
    uint8_t *data;
    size_t capacity;
    size_t size;
    bool overflow;
};

ssize_t collect_cookie_output(gnutls_transport_ptr_t ptr, const void *data, size_t size)
{
    auto *out = static_cast<cookie_output *>(ptr);
    if (out->size + size > out->capacity) {
        out->overflow = true;
        return ssize_t(size);
    }
    memcpy(out->data + out->size, data, size);
    out->size += size;
    return ssize_t(size);
}

} // namespace

void tls_session::dtls_cookie(tls_credentials &creds, dtls_cookie_params &p)
{
    p.output_size = 0;
    p.prestate[0] = p.prestate[1] = p.prestate[2] = 0;
    p.result = tls_error;
    gnutls_datum_t key = *creds.cookie_key();
    auto *msg = reinterpret_cast<uint8_t *>(uintptr_t(p.datagram));
    /* Only a ClientHello starts a server context: a handshake record whose
     * first message is type 1 (GnuTLS checks the lengths). */
    if (!key.data || !msg || p.datagram_size < dtls_header_size + 12 || msg[0] != content_handshake ||
        msg[dtls_header_size] != 1)
        return;
    static uint8_t no_address;
    void *client = p.client_data && p.client_data_size ? reinterpret_cast<void *>(uintptr_t(p.client_data))
                                                       : static_cast<void *>(&no_address);
    size_t client_size = p.client_data && p.client_data_size ? p.client_data_size : 0;

    gnutls_dtls_prestate_st pre{};
    int ret = gnutls_dtls_cookie_verify(&key, client, client_size, msg, p.datagram_size, &pre);
    if (ret == 0) {
        p.prestate[0] = pre.record_seq;
        p.prestate[1] = pre.hsk_read_seq;
        p.prestate[2] = pre.hsk_write_seq;
        p.result = tls_ok;
        return;
    }
    if (ret != GNUTLS_E_BAD_COOKIE) return;
    cookie_output out{reinterpret_cast<uint8_t *>(uintptr_t(p.output)), p.output ? p.output_capacity : 0, 0, false};
    pre = gnutls_dtls_prestate_st{};
    ret = gnutls_dtls_cookie_send(&key, client, client_size, &pre, &out, collect_cookie_output);
    if (ret < 0) return;
    if (out.overflow) {
        p.result = tls_buffer_too_small;
        return;
    }
    p.output_size = uint32_t(out.size);
    p.result = tls_continue;
}

} // namespace secur32::unix_side
