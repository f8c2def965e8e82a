/* InitializeSecurityContext / AcceptSecurityContext on an established
 * Schannel context ("Renegotiating an Schannel Connection", Microsoft):
 * - after DecryptMessage returned SEC_I_RENEGOTIATE, the caller passes
 *   the SECBUFFER_EXTRA bytes as the TOKEN: a TLS 1.3 ticket or KeyUpdate
 *   needs nothing more (SEC_E_OK, perhaps a KeyUpdate reply as the token);
 *   a server's HelloRequest (TLS 1.2) or post-handshake CertificateRequest
 *   (TLS 1.3) starts our answer, and the call goes on as for a new
 *   connection: SEC_I_CONTINUE_NEEDED until SEC_E_OK, with
 *   SEC_I_INCOMPLETE_CREDENTIALS when the credential has no certificate;
 * - a server asks for a client certificate with AcceptSecurityContext,
 *   ASC_REQ_MUTUAL_AUTH and no input (what .NET's
 *   SslStream.NegotiateClientCertificateAsync does): SEC_E_OK with the
 *   HelloRequest / CertificateRequest as the token, or
 *   SEC_I_NO_RENEGOTIATION when the client cannot be asked (no RFC 5746
 *   secure renegotiation, no TLS 1.3 post_handshake_auth); the client's
 *   answer then comes through DecryptMessage (SEC_I_RENEGOTIATE) or
 *   straight into AcceptSecurityContext, and REMOTE_CERT_CONTEXT has its
 *   certificate once the last call returns SEC_E_OK.
 * Input that starts with application data (the peer sent some before its
 * part of the handshake) comes back as SECBUFFER_EXTRA with SEC_E_OK and
 * no token: DecryptMessage opens it, then returns SEC_I_RENEGOTIATE for the
 * handshake records after it. Nothing the peer sent is dropped. */
#include "schannel_context.h"

#include <algorithm>

#include "schannel_handshake_io.h"
#include "schannel_status.h"
#include "sec_buffers.h"
#include "trace.h"
#include "unix_call.h"

namespace secur32 {

namespace {

/* The caller gave handshake input: a TOKEN with bytes in it. */
bool has_input_bytes(SecBufferDesc *input)
{
    if (!desc_usable(input)) return false;
    SecBuffer *token = find_buffer(input, SECBUFFER_TOKEN);
    return token && token->cbBuffer;
}

} // namespace

SECURITY_STATUS schannel_context::established_step(context_call &call)
{
    if (datagram_) return datagram_drain(call);
    bool answers_decrypt = renegotiate_reported_.exchange(false);
    if (is_server_ && !answers_decrypt && (call.flags & ASC_REQ_MUTUAL_AUTH) && !has_input_bytes(call.input))
        return request_renegotiation(call);
    return renegotiation_step(call);
}

SECURITY_STATUS schannel_context::request_renegotiation(context_call &call)
{
    request_flags_ = call.flags;
    session_renegotiate_params rp{};
    rp.session = session_;
    if (unix_call(unix_session_renegotiate, &rp)) return SEC_E_INTERNAL_ERROR;
    if (rp.result == tls_no_renegotiation) {
        TRACE("the client cannot be asked for a certificate now (no secure renegotiation / post-handshake auth)\n");
        clear_token(call.output, call.flags);
        if (call.attributes) *call.attributes = granted_flags(call.flags);
        return SEC_I_NO_RENEGOTIATION;
    }
    if (rp.result != tls_ok) return status_from_tls_error(rp.error, 0);
    std::vector<BYTE> out;
    session_handshake_params p;
    if (run_handshake(session_, nullptr, 0, out, p)) return SEC_E_INTERNAL_ERROR;
    TRACE("asking the client for a certificate: %u bytes\n", unsigned(out.size()));
    SECURITY_STATUS delivered = deliver_token(call.output, call.flags, out);
    if (delivered != SEC_E_OK) return delivered;
    if (call.attributes) *call.attributes = granted_flags(call.flags);
    report_expiry(call.expiry);
    return SEC_E_OK;
}

SECURITY_STATUS schannel_context::renegotiation_step(context_call &call)
{
    request_flags_ = call.flags;
    const BYTE *in = nullptr;
    ULONG in_size = 0;
    SecBuffer *extra_slot = nullptr;
    if (desc_usable(call.input)) {
        if (SecBuffer *token = find_buffer(call.input, SECBUFFER_TOKEN)) {
            in = static_cast<const BYTE *>(token->pvBuffer);
            in_size = token->cbBuffer;
            extra_slot = find_buffer(call.input, SECBUFFER_EMPTY, buffer_index(call.input, token) + 1);
        }
    }
    /* Hands `count` bytes at the end of the caller's TOKEN back. */
    auto give_back = [&](ULONG count) {
        if (extra_slot && count) {
            extra_slot->BufferType = SECBUFFER_EXTRA;
            extra_slot->cbBuffer = count;
        }
    };

    std::vector<BYTE> out;
    session_handshake_params p;
    ULONG leftover = 0;
    for (int round = 0;; round++) {
        if (awaiting_certificate_) {
            /* The answer to SEC_I_INCOMPLETE_CREDENTIALS: the handshake
             * goes on from what it holds; of what the caller passes again
             * only the bytes after that flight are new. */
            SECURITY_STATUS status = answer_certificate_request(call);
            if (status != SEC_E_OK) return status;
            if (run_handshake(session_, nullptr, 0, out, p, own_credential().signer())) return SEC_E_INTERNAL_ERROR;
            leftover = std::min(held_leftover_, in_size);
        } else {
            if (run_handshake(session_, in, in_size, out, p, own_credential().signer())) return SEC_E_INTERNAL_ERROR;
            leftover = in_size - p.input_consumed;
        }
        if (p.result != tls_need_credentials) break;
        auto *cred = dynamic_cast<schannel_credential *>(call.cred);
        if (round == 0 && cred && cred != cred_.get() && !cred->is_server() && cred->certificate()) {
            /* The call brought a credential with a certificate (the way
             * "Renegotiating an Schannel Connection" gives new ones): it
             * answers the server's request at once. */
            awaiting_certificate_ = true;
            held_leftover_ = leftover;
            continue;
        }
        awaiting_certificate_ = true;
        held_leftover_ = leftover;
        give_back(leftover);
        clear_token(call.output, call.flags);
        if (call.attributes) *call.attributes = granted_flags(call.flags);
        TRACE("renegotiation: the server asks for a client certificate; the credential has none\n");
        return SEC_I_INCOMPLETE_CREDENTIALS;
    }

    switch (p.result) {
    case tls_incomplete:
        if (extra_slot) {
            extra_slot->BufferType = SECBUFFER_MISSING;
            extra_slot->cbBuffer = p.missing;
        }
        return SEC_E_INCOMPLETE_MESSAGE;
    case tls_error:
        return fail_handshake(call, p, out);
    case tls_no_renegotiation: {
        TRACE("renegotiation refused by the peer\n");
        SECURITY_STATUS delivered = deliver_token(call.output, call.flags, out);
        if (delivered != SEC_E_OK) return delivered;
        give_back(leftover);
        if (call.attributes) *call.attributes = granted_flags(call.flags);
        return SEC_I_NO_RENEGOTIATION;
    }
    case tls_ok:
    case tls_continue:
        break;
    default:
        return SEC_E_INTERNAL_ERROR;
    }

    SECURITY_STATUS status = p.result == tls_continue ? SEC_I_CONTINUE_NEEDED : SEC_E_OK;
    if (p.renegotiation == tls_renegotiation_finished) {
        /* New parameters, and on a server the client's certificate. */
        status = finish_handshake(call.flags);
        if (FAILED(status)) {
            state_ = state::failed;
            clear_token(call.output, call.flags);
            return status;
        }
        TRACE("renegotiation finished\n");
    }
    give_back(leftover);
    return hand_out(call, out, status);
}

} // namespace secur32
