/* InitializeSecurityContext for Schannel: the client handshake loop,
 * shutdown, and the buffer conventions callers rely on:
 * - input [TOKEN, EMPTY]: bytes left over go back as SECBUFFER_EXTRA in
 *   the second buffer; a partial first record gives
 *   SEC_E_INCOMPLETE_MESSAGE with SECBUFFER_MISSING there (never
 *   overstated);
 * - output TOKEN: allocated with ISC_REQ_ALLOCATE_MEMORY, otherwise copied
 *   into the caller's buffer;
 * - returned ISC_RET_* flags equal the requested ISC_REQ_* bits we honour
 *   (curl compares them bit for bit). */
#include "schannel_context.h"

#include <vector>

#include "caller_module.h"
#include "context_buffer.h"
#include "schannel_alpn.h"
#include "schannel_certificates.h"
#include "schannel_handshake_io.h"
#include "schannel_status.h"
#include "sec_buffers.h"
#include "trace.h"
#include "unix_call.h"

namespace secur32 {

namespace {

/* Request bits whose ISC_RET_* twin (same value) we grant when asked. */
constexpr ULONG granted_request_bits = ISC_REQ_DELEGATE | ISC_REQ_MUTUAL_AUTH | ISC_REQ_REPLAY_DETECT |
                                       ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONFIDENTIALITY | ISC_REQ_USE_SESSION_KEY |
                                       ISC_REQ_USE_SUPPLIED_CREDS | ISC_REQ_ALLOCATE_MEMORY |
                                       ISC_REQ_EXTENDED_ERROR | ISC_REQ_STREAM | ISC_REQ_INTEGRITY |
                                       ISC_REQ_MANUAL_CRED_VALIDATION | ISC_REQ_CONNECTION | ISC_REQ_DATAGRAM;

/* Request bits whose ASC_RET_* twin (same value) a server grants. */
constexpr ULONG granted_accept_bits = ASC_REQ_MUTUAL_AUTH | ASC_REQ_REPLAY_DETECT | ASC_REQ_SEQUENCE_DETECT |
                                      ASC_REQ_CONFIDENTIALITY | ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_EXTENDED_ERROR |
                                      ASC_REQ_STREAM | ASC_REQ_INTEGRITY | ASC_REQ_CONNECTION | ASC_REQ_DATAGRAM;

/* One flight is rarely above a few KB; the Unix side keeps the rest queued
 * and we fetch it in further calls. */
constexpr size_t flight_chunk = 16384;

/* DTLS (Microsoft's SECBUFFER_DTLS_MTU / SECPKG_ATTR_DTLS_MTU pages): the
 * default path MTU and the range a caller may set. */
constexpr ULONG default_dtls_mtu = 1096;
constexpr ULONG min_dtls_mtu = 200;
constexpr ULONG max_dtls_mtu = 64 * 1024;

/* The MTU a SECBUFFER_DTLS_MTU input buffer asks for (a SEC_DTLS_MTU, or a
 * 32-bit value as some callers pass), or the default. */
SECURITY_STATUS dtls_mtu_from_input(SecBufferDesc *input, ULONG &mtu)
{
    mtu = default_dtls_mtu;
    if (!desc_usable(input)) return SEC_E_OK;
    SecBuffer *b = find_buffer(input, SECBUFFER_DTLS_MTU);
    if (!b) return SEC_E_OK;
    if (!b->pvBuffer || b->cbBuffer < sizeof(SEC_DTLS_MTU)) return SEC_E_INVALID_PARAMETER;
    if (b->cbBuffer >= sizeof(ULONG)) memcpy(&mtu, b->pvBuffer, sizeof(ULONG));
    else mtu = static_cast<const SEC_DTLS_MTU *>(b->pvBuffer)->PathMTU;
    if (mtu < min_dtls_mtu || mtu > max_dtls_mtu) return SEC_E_INVALID_PARAMETER;
    return SEC_E_OK;
}

std::string utf8(const std::wstring &s)
{
    if (s.empty()) return {};
    int n = WideCharToMultiByte(CP_UTF8, 0, s.c_str(), int(s.size()), nullptr, 0, nullptr, nullptr);
    std::string out(size_t(n > 0 ? n : 0), '\0');
    if (n > 0) WideCharToMultiByte(CP_UTF8, 0, s.c_str(), int(s.size()), &out[0], n, nullptr, nullptr);
    return out;
}

/* More signatures than any handshake asks for: a bound, not a limit. */
constexpr int max_signatures_per_call = 4;

/* Answers the handshake's pending signature request with `signer`; with
 * no signer, or when it fails, an empty signature fails the handshake. */
NTSTATUS provide_signature(unix_handle session, const provider_signer *signer)
{
    BYTE digest[64];
    session_signature_params request{};
    request.session = session;
    request.buffer = to_pe_ptr(digest);
    request.capacity = sizeof(digest);
    NTSTATUS status = unix_call(unix_session_signature, &request);
    if (status) return status;
    std::vector<BYTE> signature;
    if (request.result == tls_ok && signer) signature = signer->sign(request.hash, digest, request.size);
    BYTE none = 0;
    session_signature_params answer{};
    answer.session = session;
    answer.signature = to_pe_ptr(signature.empty() ? &none : signature.data());
    answer.signature_size = ULONG(signature.size());
    return unix_call(unix_session_signature, &answer);
}

} // namespace

/* Shared with schannel_renegotiation.cpp (schannel_handshake_io.h). */

NTSTATUS run_handshake(unix_handle session, const BYTE *in, ULONG in_size, std::vector<BYTE> &out,
                       session_handshake_params &p, const provider_signer *signer, bool one_datagram)
{
    /* A datagram holds at most the largest MTU; the rest of its flight
     * stays queued for the next calls. */
    out.resize(one_datagram ? max_dtls_mtu : flight_chunk);
    NTSTATUS status;
    for (int signatures = 0;; signatures++) {
        p = session_handshake_params{};
        p.session = session;
        p.input = to_pe_ptr(in);
        p.input_size = in_size;
        p.output = to_pe_ptr(out.data());
        p.output_capacity = ULONG(out.size());
        status = unix_call(unix_session_handshake, &p);
        if (status || p.result != tls_need_signature) break;
        /* Past the bound, an empty signature makes the handshake fail. */
        if ((status = provide_signature(session, signatures < max_signatures_per_call ? signer : nullptr))) break;
    }
    size_t have = p.output_size;
    while (!status && p.output_pending && !one_datagram) {
        out.resize(have + p.output_pending);
        session_handshake_params more{};
        more.session = session;
        more.output = to_pe_ptr(out.data() + have);
        more.output_capacity = p.output_pending;
        status = unix_call(unix_session_handshake, &more);
        if (status || !more.output_size) break;
        have += more.output_size;
        p.output_pending = more.output_pending;
    }
    out.resize(have);
    return status;
}

/* Hands `bytes` to the caller in the output TOKEN buffer. A TOKEN
 * buffer without memory gets ours even without ISC_REQ_ALLOCATE_MEMORY:
 * Windows does so (Wine's schannel tests, run on Windows), and the caller
 * frees it with FreeContextBuffer. */
SECURITY_STATUS deliver_token(SecBufferDesc *output, ULONG request_flags, const std::vector<BYTE> &bytes)
{
    SecBuffer *token = find_buffer(output, SECBUFFER_TOKEN);
    if (!token) return bytes.empty() ? SEC_E_OK : SEC_E_INVALID_TOKEN;
    if ((request_flags & ISC_REQ_ALLOCATE_MEMORY) || !token->pvBuffer) {
        token->pvBuffer = nullptr;
        token->cbBuffer = 0;
        if (bytes.empty()) return SEC_E_OK;
        void *mem = context_buffer_alloc(bytes.size());
        if (!mem) return SEC_E_INSUFFICIENT_MEMORY;
        memcpy(mem, bytes.data(), bytes.size());
        token->pvBuffer = mem;
        token->cbBuffer = ULONG(bytes.size());
        return SEC_E_OK;
    }
    if (bytes.size() > token->cbBuffer || (!bytes.empty() && !token->pvBuffer)) {
        token->cbBuffer = 0; /* as Windows: nothing usable was written */
        return SEC_E_INSUFFICIENT_MEMORY;
    }
    if (!bytes.empty()) memcpy(token->pvBuffer, bytes.data(), bytes.size());
    token->cbBuffer = ULONG(bytes.size());
    return SEC_E_OK;
}

void clear_token(SecBufferDesc *output, ULONG request_flags)
{
    if (SecBuffer *token = find_buffer(output, SECBUFFER_TOKEN)) {
        if (request_flags & ISC_REQ_ALLOCATE_MEMORY) token->pvBuffer = nullptr;
        token->cbBuffer = 0;
    }
}

namespace {

/* An output SECBUFFER_ALERT buffer is where Schannel may write an alert;
 * without ISC_REQ_ALLOCATE_MEMORY it must have room, or the call fails
 * before doing anything (as on Windows: a DTLS retransmission is not
 * spent on it). */
SECURITY_STATUS check_alert_buffer(SecBufferDesc *output, ULONG request_flags)
{
    if (!desc_usable(output) || (request_flags & ISC_REQ_ALLOCATE_MEMORY)) return SEC_E_OK;
    SecBuffer *alert = find_buffer(output, SECBUFFER_ALERT);
    if (alert && (!alert->cbBuffer || !alert->pvBuffer)) return SEC_E_INSUFFICIENT_MEMORY;
    return SEC_E_OK;
}

/* We send alerts in the TOKEN buffer (where curl and .NET look for them),
 * so an ALERT buffer always comes back empty. */
void empty_alert_buffer(SecBufferDesc *output, ULONG request_flags)
{
    if (!desc_usable(output)) return;
    if (SecBuffer *alert = find_buffer(output, SECBUFFER_ALERT)) {
        alert->cbBuffer = 0;
        if (request_flags & ISC_REQ_ALLOCATE_MEMORY) alert->pvBuffer = nullptr;
    }
}

/* A DTLS server's first datagram: the ClientHello must carry the cookie of
 * a HelloVerifyRequest we sent, bound to the client's address (the
 * SECBUFFER_EXTRA input buffer callers pass, a SOCKADDR). SEC_E_OK: go on
 * with `create.prestate` set; otherwise the status to return, with the
 * HelloVerifyRequest as the output token. */
SECURITY_STATUS dtls_cookie_step(schannel_credential *cred, context_call &call, session_create_params &create)
{
    if (!desc_usable(call.input)) return SEC_E_INVALID_TOKEN;
    SecBuffer *token = find_buffer(call.input, SECBUFFER_TOKEN);
    if (!token || !token->pvBuffer || !token->cbBuffer) return SEC_E_INVALID_TOKEN;
    SecBuffer *address = find_buffer(call.input, SECBUFFER_EXTRA);

    BYTE hello_verify[512];
    dtls_cookie_params p{};
    p.credentials = cred->unix_credentials();
    p.datagram = to_pe_ptr(token->pvBuffer);
    p.datagram_size = token->cbBuffer;
    if (address && address->pvBuffer && address->cbBuffer) {
        p.client_data = to_pe_ptr(address->pvBuffer);
        p.client_data_size = address->cbBuffer;
    }
    p.output = to_pe_ptr(hello_verify);
    p.output_capacity = sizeof(hello_verify);
    if (unix_call(unix_dtls_cookie, &p)) return SEC_E_INTERNAL_ERROR;
    if (p.result == tls_ok) {
        create.prestate_valid = 1;
        memcpy(create.prestate, p.prestate, sizeof(create.prestate));
        return SEC_E_OK;
    }
    if (p.result != tls_continue) return SEC_E_INVALID_TOKEN;
    std::vector<BYTE> out(hello_verify, hello_verify + p.output_size);
    SECURITY_STATUS delivered = deliver_token(call.output, call.flags, out);
    if (delivered != SEC_E_OK) return delivered;
    if (call.attributes) *call.attributes = call.flags & granted_accept_bits;
    return SEC_I_CONTINUE_NEEDED;
}

} // namespace

schannel_context::schannel_context(security_package &package, ref_ptr<schannel_credential> cred)
    : context(package), cred_(std::move(cred))
{
    is_server_ = cred_->is_server();
}

/* Windows' client grants these whether asked or not, even on DTLS
 * contexts (ISC_RET_STREAM included; Wine's schannel tests, run on
 * Windows); curl only checks that what it asked for is there. */
constexpr ULONG always_granted_client_bits =
    ISC_RET_REPLAY_DETECT | ISC_RET_SEQUENCE_DETECT | ISC_RET_CONFIDENTIALITY | ISC_RET_STREAM;

ULONG schannel_context::granted_flags(ULONG request) const
{
    if (is_server_) return request & granted_accept_bits;
    return (request & granted_request_bits) | always_granted_client_bits;
}

SECURITY_STATUS schannel_context::establish(security_package &package, context_call &call, bool accepting)
{
    /* The expiry is known once the handshake is done (hand_out); until
     * then, and when the call fails, Windows reports zero. */
    if (call.expiry) *call.expiry = TimeStamp{};
    SECURITY_STATUS status = check_alert_buffer(call.output, call.flags);
    if (status != SEC_E_OK) return status;
    if (!call.existing) {
        status = accepting ? accept_first(package, call) : initialize_first(package, call);
    } else if (auto *ctx = dynamic_cast<schannel_context *>(call.existing)) {
        status = ctx->initialize_next(call);
    } else {
        return SEC_E_INVALID_HANDLE;
    }
    empty_alert_buffer(call.output, call.flags);
    return status;
}

schannel_context::~schannel_context()
{
    if (session_) {
        session_free_params p{session_};
        unix_call(unix_session_free, &p);
    }
}

void schannel_context::on_delete()
{
    /* The session itself goes with the last reference (see the header). */
    state_ = state::deleted;
}

SECURITY_STATUS schannel_context::initialize_first(security_package &package, context_call &call)
{
    auto *cred = dynamic_cast<schannel_credential *>(call.cred);
    if (!cred) return SEC_E_INVALID_HANDLE;
    if (cred->is_server()) return SEC_E_NO_CREDENTIALS;

    std::string alpn;
    SECURITY_STATUS alpn_status = alpn_list_from_input(call.input, alpn);
    if (alpn_status != SEC_E_OK) return alpn_status;
    /* DTLS with ISC_REQ_DATAGRAM, TLS otherwise: the credential must allow
     * a version of that kind. */
    bool datagram = (call.flags & ISC_REQ_DATAGRAM) != 0;
    uint32_t kind = datagram ? uint32_t(TLS_PROTO_DATAGRAM_MASK) : uint32_t(TLS_PROTO_STREAM_MASK);
    if (!(cred->protocols() & kind)) return SEC_E_ALGORITHM_MISMATCH;
    ULONG mtu = 0;
    if (datagram) {
        SECURITY_STATUS mtu_status = dtls_mtu_from_input(call.input, mtu);
        if (mtu_status != SEC_E_OK) return mtu_status;
    }

    ref_ptr<schannel_context> ctx =
        ref_ptr<schannel_context>::adopt(new schannel_context(package, ref_ptr<schannel_credential>(cred)));
    ctx->datagram_ = datagram;
    ctx->mtu_ = mtu;
    if (call.target) ctx->target_ = call.target;
    std::string host = utf8(ctx->target_);

    session_create_params p{};
    p.credentials = cred->unix_credentials();
    p.server_name = to_pe_ptr(host.data());
    p.server_name_size = ULONG(host.size());
    /* A resumed TLS 1.2 handshake ends with the client's Finished, returned
     * with SEC_E_OK. Wine's builtin WinHTTP/WinINet drop a token returned
     * with SEC_E_OK (Windows' own clients send it), so their connections
     * always take the full handshake, which ends on the server's Finished.
     * (They use SCHANNEL_CRED, so TLS 1.3 is never negotiated for them.) */
    bool wine_builtin = called_from_wine_builtin(call.return_address);
    if (wine_builtin) p.flags |= session_flag_no_resume;
    if (datagram) {
        p.flags |= session_flag_datagram;
        p.mtu = mtu;
    }
    /* No certificate of its own: if the server asks for one, the caller
     * decides (SEC_I_INCOMPLETE_CREDENTIALS) unless it said to use only
     * what it supplied. We never pick a default certificate. Wine's
     * WinHTTP/WinINet fail on SEC_I_INCOMPLETE_CREDENTIALS (they send no
     * certificate with stock Wine either): they get no question. Nor do
     * DTLS clients (one datagram per call: not built for a held flight). */
    if (!cred->certificate() && !(call.flags & ISC_REQ_USE_SUPPLIED_CREDS) && !wine_builtin && !datagram)
        p.flags |= session_flag_pause_for_certificate;
    NTSTATUS status = unix_call(unix_session_create, &p);
    if (status) return status == NTSTATUS(0xC0000017) ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INTERNAL_ERROR;
    ctx->session_ = p.session;

    if (!alpn.empty()) {
        session_set_alpn_params ap{};
        ap.session = ctx->session_;
        ap.list = to_pe_ptr(alpn.data());
        ap.size = ULONG(alpn.size());
        if (unix_call(unix_session_set_alpn, &ap) || ap.error) return SEC_E_INVALID_TOKEN;
    }

    /* Beyond ALPN the first call ignores pInput: the client speaks first. */
    call.input = nullptr;
    SECURITY_STATUS result;
    {
        exclusive_guard guard(ctx->handshake_lock_);
        result = ctx->handshake_step(call);
    }
    if (!FAILED(result)) call.new_context = ctx;
    return result;
}

SECURITY_STATUS schannel_context::accept_first(security_package &package, context_call &call)
{
    auto *cred = dynamic_cast<schannel_credential *>(call.cred);
    if (!cred) return SEC_E_INVALID_HANDLE;
    if (!cred->is_server()) return SEC_E_NO_CREDENTIALS;
    if (!call.input) return SEC_E_INVALID_TOKEN;

    /* The server's ALPN list, in its order of preference. */
    std::string alpn;
    SECURITY_STATUS alpn_status = alpn_list_from_input(call.input, alpn);
    if (alpn_status != SEC_E_OK) return alpn_status;
    bool datagram = (call.flags & ASC_REQ_DATAGRAM) != 0;
    uint32_t kind = datagram ? uint32_t(TLS_PROTO_DATAGRAM_MASK) : uint32_t(TLS_PROTO_STREAM_MASK);
    if (!(cred->protocols() & kind)) return SEC_E_ALGORITHM_MISMATCH;

    session_create_params p{};
    ULONG mtu = 0;
    if (datagram) {
        SECURITY_STATUS early = dtls_mtu_from_input(call.input, mtu);
        if (early != SEC_E_OK) return early;
        /* The stateless cookie exchange comes first: a ClientHello without
         * our cookie gets a HelloVerifyRequest and makes no context (as
         * with Windows: the caller keeps calling without a context handle). */
        early = dtls_cookie_step(cred, call, p);
        if (early != SEC_E_OK) return early;
    }

    ref_ptr<schannel_context> ctx =
        ref_ptr<schannel_context>::adopt(new schannel_context(package, ref_ptr<schannel_credential>(cred)));
    ctx->datagram_ = datagram;
    ctx->mtu_ = mtu;
    p.credentials = cred->unix_credentials();
    p.is_server = 1;
    if (call.flags & ASC_REQ_MUTUAL_AUTH) p.flags |= session_flag_request_client_certificate;
    if (datagram) {
        p.flags |= session_flag_datagram;
        p.mtu = mtu;
    }
    NTSTATUS status = unix_call(unix_session_create, &p);
    if (status) {
        TRACE_WARN("no server session: %#lx, GnuTLS %d\n", (unsigned long)status, int(p.error));
        return status == NTSTATUS(0xC0000017) ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INTERNAL_ERROR;
    }
    ctx->session_ = p.session;

    if (!alpn.empty()) {
        session_set_alpn_params ap{};
        ap.session = ctx->session_;
        ap.list = to_pe_ptr(alpn.data());
        ap.size = ULONG(alpn.size());
        if (unix_call(unix_session_set_alpn, &ap) || ap.error) return SEC_E_INVALID_TOKEN;
    }

    SECURITY_STATUS result;
    {
        exclusive_guard guard(ctx->handshake_lock_);
        result = ctx->handshake_step(call);
    }
    /* An incomplete ClientHello makes no context: the caller comes back
     * with more bytes and no context handle, as with Windows. */
    if (!FAILED(result)) call.new_context = ctx;
    return result;
}

SECURITY_STATUS schannel_context::initialize_next(context_call &call)
{
    exclusive_guard guard(handshake_lock_);
    switch (state_.load()) {
    case state::handshaking:
        return handshake_step(call);
    case state::alert_requested:
        return send_alert(call);
    case state::established:
        return established_step(call);
    case state::closed:
        if (close_notify_again_) return send_alert(call);
        /* Windows waits for the peer's bytes here (Wine's schannel tests). */
        if (!call.input) return SEC_E_INCOMPLETE_MESSAGE;
        return SEC_E_CONTEXT_EXPIRED;
    case state::failed:
    default:
        return SEC_E_INVALID_HANDLE;
    }
}

SECURITY_STATUS schannel_context::answer_certificate_request(context_call &call)
{
    /* Another client credential with a certificate sends that one; the
     * same credential (or one without a certificate) sends none. */
    auto *cred = dynamic_cast<schannel_credential *>(call.cred);
    ref_ptr<schannel_credential> chosen;
    if (cred && cred != cred_.get() && !cred->is_server() && cred->certificate())
        chosen = ref_ptr<schannel_credential>(cred);
    session_client_certificate_params p{};
    p.session = session_;
    p.credentials = chosen ? chosen->unix_credentials() : 0;
    if (unix_call(unix_session_client_certificate, &p) || p.result != tls_ok) return SEC_E_INTERNAL_ERROR;
    TRACE("server asked for a client certificate: %s\n", chosen ? "sending the new credential's" : "sending none");
    chosen_credential_ = std::move(chosen);
    awaiting_certificate_ = false;
    return SEC_E_OK;
}

SECURITY_STATUS schannel_context::handshake_step(context_call &call)
{
    if (datagram_) return datagram_step(call);
    request_flags_ = call.flags;
    const BYTE *in = nullptr;
    ULONG in_size = 0;
    SecBuffer *extra_slot = nullptr;
    bool answering = awaiting_certificate_;
    if (answering) {
        /* The handshake goes on from the bytes it already took; whatever
         * the caller passes again (curl and Microsoft's sample pass the
         * same flight, .NET nothing) is not read twice. */
        if (call.input && desc_usable(call.input))
            if (SecBuffer *token = find_buffer(call.input, SECBUFFER_TOKEN))
                extra_slot = find_buffer(call.input, SECBUFFER_EMPTY, buffer_index(call.input, token) + 1);
        SECURITY_STATUS status = answer_certificate_request(call);
        if (status != SEC_E_OK) return status;
    } else if (call.input) {
        if (!desc_usable(call.input)) return SEC_E_INVALID_TOKEN;
        SecBuffer *token = find_buffer(call.input, SECBUFFER_TOKEN);
        if (!token) return SEC_E_INVALID_TOKEN;
        in = static_cast<const BYTE *>(token->pvBuffer);
        in_size = token->cbBuffer;
        extra_slot = find_buffer(call.input, SECBUFFER_EMPTY, buffer_index(call.input, token) + 1);
    } else if (is_server_) {
        /* A server starts from the client's bytes. */
        return SEC_E_INVALID_TOKEN;
    } else if (call.existing) {
        /* A continuation needs the peer's bytes. */
        return SEC_E_INCOMPLETE_MESSAGE;
    } else if (!find_buffer(call.output, SECBUFFER_TOKEN)) {
        /* The first call must have somewhere to put the ClientHello. */
        return SEC_E_INVALID_TOKEN;
    }
    if (!answering && (call.existing || is_server_) && !in_size) {
        /* Nothing yet: at least a record header is missing. The output
         * buffer stays as the caller set it up (Windows leaves it alone). */
        if (extra_slot) {
            extra_slot->BufferType = SECBUFFER_MISSING;
            extra_slot->cbBuffer = 5;
        }
        return SEC_E_INCOMPLETE_MESSAGE;
    }

    std::vector<BYTE> out;
    session_handshake_params p;
    if (run_handshake(session_, in, in_size, out, p, own_credential().signer())) return SEC_E_INTERNAL_ERROR;

    if (p.result == tls_need_credentials) {
        /* The flight is taken (nothing is left over); the next call says
         * which certificate to send. Meanwhile ISSUER_LIST_EX tells what
         * the server asked for. */
        awaiting_certificate_ = true;
        if (extra_slot) extra_slot->cbBuffer = 0;
        clear_token(call.output, call.flags);
        if (call.attributes) *call.attributes = granted_flags(call.flags);
        TRACE("server asked for a client certificate; the credential has none\n");
        return SEC_I_INCOMPLETE_CREDENTIALS;
    }
    if (p.result == tls_incomplete) {
        if (extra_slot) {
            extra_slot->BufferType = SECBUFFER_MISSING;
            extra_slot->cbBuffer = p.missing;
        }
        return SEC_E_INCOMPLETE_MESSAGE;
    }
    if (p.result == tls_error) return fail_handshake(call, p, out);

    ULONG leftover = in_size - p.input_consumed;
    if (extra_slot) {
        if (leftover) {
            extra_slot->BufferType = SECBUFFER_EXTRA;
            extra_slot->cbBuffer = leftover;
        } else {
            extra_slot->cbBuffer = 0;
        }
    }

    SECURITY_STATUS status = step_status(call, p);
    if (FAILED(status)) return status;
    return hand_out(call, out, status);
}

/* A failed handshake step: the context is done for. With EXTENDED_ERROR
 * the caller gets the alert to send the peer as the token. */
SECURITY_STATUS schannel_context::fail_handshake(context_call &call, const session_handshake_params &p,
                                                 const std::vector<BYTE> &out)
{
    state_ = state::failed;
    SECURITY_STATUS status = status_from_tls_error(p.error, p.alert);
    TRACE("%s handshake failed: GnuTLS %d, alert %u -> %#lx\n", datagram_ ? "DTLS" : "TLS", int(p.error),
          unsigned(p.alert), (unsigned long)status);
    ULONG extended_error = is_server_ ? ULONG(ASC_REQ_EXTENDED_ERROR) : ULONG(ISC_REQ_EXTENDED_ERROR);
    if ((call.flags & extended_error) && !out.empty())
        deliver_token(call.output, call.flags, out);
    else
        clear_token(call.output, call.flags);
    return status;
}

/* SEC_I_CONTINUE_NEEDED, or the outcome of finishing when GnuTLS says the
 * handshake is done (validation may still fail it). */
SECURITY_STATUS schannel_context::step_status(context_call &call, const session_handshake_params &p)
{
    if (p.result != tls_ok) return SEC_I_CONTINUE_NEEDED;
    SECURITY_STATUS status = finish_handshake(call.flags);
    if (FAILED(status)) {
        state_ = state::failed;
        clear_token(call.output, call.flags);
    }
    return status;
}

/* The successful end of a step: the token, the granted flags, the expiry. */
SECURITY_STATUS schannel_context::hand_out(context_call &call, const std::vector<BYTE> &out, SECURITY_STATUS status)
{
    SECURITY_STATUS delivered = deliver_token(call.output, call.flags, out);
    if (delivered != SEC_E_OK) return delivered;
    if (call.attributes) *call.attributes = granted_flags(call.flags);
    report_expiry(call.expiry);
    return status;
}

/* An established context lasts as long as the server's certificate; one
 * without a certificate to go by never expires. */
void schannel_context::report_expiry(TimeStamp *expiry) const
{
    if (!expiry || state_.load() != state::established) return;
    const CERT_CONTEXT *cert = server_certificate();
    if (cert && cert->pCertInfo) {
        expiry->LowPart = cert->pCertInfo->NotAfter.dwLowDateTime;
        expiry->HighPart = LONG(cert->pCertInfo->NotAfter.dwHighDateTime);
    } else {
        expiry->LowPart = 0xFFFFFFFF;
        expiry->HighPart = 0x7FFFFFFF;
    }
}

/* DTLS handshake calls. Each input is one datagram (the TOKEN buffer);
 * each call returns at most one datagram: SEC_I_MESSAGE_FRAGMENT while more
 * of the flight is queued (call again without input to get it), then
 * SEC_I_CONTINUE_NEEDED (or SEC_E_OK) with the last one. A datagram that
 * only completes part of the peer's flight gives SEC_E_INCOMPLETE_MESSAGE
 * and no output. A call without input after the flight went out means the
 * caller's retransmission timer fired: the flight is sent again, datagram
 * by datagram (Schannel keeps no timers; the caller's loop does). */
SECURITY_STATUS schannel_context::datagram_step(context_call &call)
{
    request_flags_ = call.flags;
    const BYTE *in = nullptr;
    ULONG in_size = 0;
    if (call.input && call.input->cBuffers) {
        if (!desc_usable(call.input)) return SEC_E_INVALID_TOKEN;
        if (SecBuffer *token = find_buffer(call.input, SECBUFFER_TOKEN)) {
            in = static_cast<const BYTE *>(token->pvBuffer);
            in_size = token->cbBuffer;
            if (in_size && !in) return SEC_E_INVALID_TOKEN;
        }
    }

    std::vector<BYTE> out;
    session_handshake_params p;
    if (NTSTATUS failed = run_handshake(session_, in, in_size, out, p, cred_->signer(), true)) {
        TRACE_WARN("DTLS handshake call failed: %#lx\n", (unsigned long)failed);
        return SEC_E_INTERNAL_ERROR;
    }

    if (p.result == tls_error) return fail_handshake(call, p, out);

    SECURITY_STATUS status = step_status(call, p);
    if (FAILED(status)) return status;
    if (p.output_pending) {
        status = SEC_I_MESSAGE_FRAGMENT;
    } else if (status == SEC_I_CONTINUE_NEEDED && out.empty()) {
        /* Part of the peer's flight (or a timer with nothing to repeat):
         * wait for the next datagram. */
        clear_token(call.output, call.flags);
        return SEC_E_INCOMPLETE_MESSAGE;
    }
    return hand_out(call, out, status);
}

/* DTLS, established: the datagrams still queued, one per call (the rest of
 * our last flight, or the flight GnuTLS sent again when DecryptMessage saw
 * the peer repeat its own and returned SEC_E_UNFINISHED_CONTEXT_DELETED).
 * The input, if any, has been processed already and is not used again. */
SECURITY_STATUS schannel_context::datagram_drain(context_call &call)
{
    request_flags_ = call.flags;
    std::vector<BYTE> out;
    session_handshake_params p;
    if (run_handshake(session_, nullptr, 0, out, p, nullptr, true)) return SEC_E_INTERNAL_ERROR;
    SECURITY_STATUS delivered = deliver_token(call.output, call.flags, out);
    if (delivered != SEC_E_OK) return delivered;
    if (call.attributes) *call.attributes = granted_flags(call.flags);
    return p.output_pending ? SEC_I_MESSAGE_FRAGMENT : SEC_E_OK;
}

SECURITY_STATUS schannel_context::finish_handshake(ULONG request_flags)
{
    info_ = session_connection_info_params{};
    info_.session = session_;
    if (unix_call(unix_session_connection_info, &info_)) return SEC_E_INTERNAL_ERROR;

    SECURITY_STATUS status = load_peer_certificates(session_, peer_certificate_);
    if (is_server_) {
        /* A client certificate (asked for with ASC_REQ_MUTUAL_AUTH) is the
         * application's to judge through REMOTE_CERT_CONTEXT; none at all
         * is not an error. */
        if (status != SEC_E_OK && status != SEC_E_NO_CREDENTIALS) return status;
        TRACE("established (server): %s, protocol %#x\n", info_.cipher_suite_name, info_.protocol);
        state_ = state::established;
        return SEC_E_OK;
    }
    bool manual = (cred_->flags() & SCH_CRED_MANUAL_CRED_VALIDATION) ||
                  (request_flags & ISC_REQ_MANUAL_CRED_VALIDATION);
    if (!manual) {
        if (status != SEC_E_OK) return status;
        status = verify_server_certificate(peer_certificate_.get(), target_.c_str(), cred_->flags());
        if (status != SEC_E_OK) return status;
    }
    TRACE("established: %s, protocol %#x\n", info_.cipher_suite_name, info_.protocol);
    state_ = state::established;
    return SEC_E_OK;
}

SECURITY_STATUS schannel_context::apply_control_token(SecBufferDesc *token)
{
    /* Windows' answers (Wine's schannel tests, run on Windows): no
     * descriptor is an internal error; anything but one TOKEN buffer is a
     * bad token; a TOKEN too short to name a control is unsupported. */
    if (!token) return SEC_E_INTERNAL_ERROR;
    if (token->cBuffers != 1 || !desc_usable(token)) return SEC_E_INVALID_TOKEN;
    SecBuffer *b = &token->pBuffers[0];
    if (buffer_type(*b) != SECBUFFER_TOKEN || !b->pvBuffer) return SEC_E_INVALID_TOKEN;
    if (b->cbBuffer < sizeof(DWORD)) return SEC_E_UNSUPPORTED_FUNCTION;
    DWORD type;
    memcpy(&type, b->pvBuffer, sizeof(type));
    if (type == SCHANNEL_SESSION) {
        if (b->cbBuffer < sizeof(SCHANNEL_SESSION_TOKEN)) return SEC_E_INVALID_TOKEN;
        SCHANNEL_SESSION_TOKEN token;
        memcpy(&token, b->pvBuffer, sizeof(token));
        if (token.dwFlags & SSL_SESSION_DISABLE_RECONNECTS) {
            /* This session must not be resumed later: drop it from the cache. */
            session_forget_params fp{session_};
            if (unix_call(unix_session_forget, &fp)) return SEC_E_INTERNAL_ERROR;
        }
        return SEC_E_OK;
    }
    uint32_t alert = 0;
    bool fatal = false;
    if (type == SCHANNEL_ALERT) {
        if (b->cbBuffer < sizeof(SCHANNEL_ALERT_TOKEN)) return SEC_E_INVALID_TOKEN;
        SCHANNEL_ALERT_TOKEN token;
        memcpy(&token, b->pvBuffer, sizeof(token));
        if (token.dwAlertType != TLS1_ALERT_WARNING && token.dwAlertType != TLS1_ALERT_FATAL) return SEC_E_INVALID_TOKEN;
        if (token.dwAlertNumber > 255) return SEC_E_INVALID_TOKEN;
        alert = token.dwAlertNumber;
        fatal = token.dwAlertType == TLS1_ALERT_FATAL;
    } else if (type != SCHANNEL_SHUTDOWN) {
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
    exclusive_guard guard(handshake_lock_);
    state s = state_.load();
    if (s == state::deleted) return SEC_E_INVALID_HANDLE;
    if (s == state::closed) {
        /* A closed context still answers a shutdown (Windows does: Wine's
         * schannel tests): the next call gives the close_notify again, or
         * for the first time when the peer closed first. Records stay
         * refused. */
        if (alert) return SEC_E_CONTEXT_EXPIRED;
        if (pending_alert_) alert_bytes_ready_ = false;
        pending_alert_ = 0;
        pending_alert_fatal_ = false;
        state_before_alert_ = state::closed;
        close_notify_again_ = true;
        return SEC_E_OK;
    }
    /* Asked twice before the call that sends it: one close_notify. */
    bool again = s == state::alert_requested && !pending_alert_ && !alert;
    if (!again) alert_bytes_ready_ = false;
    if (s != state::alert_requested) state_before_alert_ = s;
    pending_alert_ = alert;
    pending_alert_fatal_ = fatal;
    state_ = state::alert_requested;
    return SEC_E_OK;
}

SECURITY_STATUS schannel_context::send_alert(context_call &call)
{
    if (!alert_bytes_ready_) {
        session_shutdown_params sp{};
        sp.session = session_;
        sp.alert = pending_alert_;
        sp.fatal = pending_alert_fatal_;
        if (unix_call(unix_session_shutdown, &sp)) return SEC_E_INTERNAL_ERROR;
        session_handshake_params p;
        if (run_handshake(session_, nullptr, 0, alert_bytes_, p)) return SEC_E_INTERNAL_ERROR;
        alert_bytes_ready_ = true;
    }
    /* Too small a buffer: the alert stays queued for the next call. */
    SECURITY_STATUS status = deliver_token(call.output, call.flags, alert_bytes_);
    if (status != SEC_E_OK) return status;
    /* close_notify and fatal alerts end the connection; a warning does not. */
    bool ends = !pending_alert_ || pending_alert_fatal_ || state_before_alert_ == state::failed ||
                state_before_alert_ == state::closed;
    state_ = ends ? state::closed : state_before_alert_;
    if (!ends) alert_bytes_ready_ = false;
    close_notify_again_ = false;
    if (call.attributes) *call.attributes = granted_flags(call.flags);
    return SEC_E_OK;
}

} // namespace secur32
