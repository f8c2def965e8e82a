/* EncryptMessage / DecryptMessage for Schannel: one TLS record per call,
 * in place in the caller's buffers.
 *
 * EncryptMessage takes [STREAM_HEADER, DATA, STREAM_TRAILER(, EMPTY)] in
 * any order and fills header and trailer around the encrypted DATA.
 * DecryptMessage takes the received bytes in a DATA buffer and rewrites the
 * first four buffers as [STREAM_HEADER, DATA, STREAM_TRAILER, EXTRA|EMPTY],
 * all pointing into the caller's memory: curl and schannel-rs read DATA
 * only from slot 1 and EXTRA only from slot 3. With too few bytes for one
 * record the DATA buffer becomes SECBUFFER_MISSING (callers reset buffer
 * types before every call). */
#include "schannel_context.h"

#include "schannel_status.h"
#include "sec_buffers.h"
#include "tls_error_codes.h"
#include "unix_call.h"

namespace secur32 {

SECURITY_STATUS schannel_context::encrypt(ULONG qop, SecBufferDesc *message, ULONG sequence)
{
    state s = state_.load();
    if (s == state::closed || s == state::alert_requested) return SEC_E_CONTEXT_EXPIRED;
    if (s != state::established) return SEC_E_INVALID_HANDLE;
    /* SECQOP_WRAP_OOB_DATA: the DATA buffer holds a two-byte alert to send
     * (Microsoft's EncryptMessage (Schannel) page); nothing else is offered. */
    if (qop && qop != SECQOP_WRAP_OOB_DATA) return SEC_E_QOP_NOT_SUPPORTED;
    if (!desc_usable(message)) return SEC_E_INVALID_TOKEN;

    auto [header, data, trailer] = find_encrypt_buffers(message);
    if (!data) return SEC_E_INVALID_TOKEN;
    if (!header || !trailer) return SEC_E_INVALID_TOKEN;
    if (header->cbBuffer < info_.header_size || trailer->cbBuffer < info_.trailer_size)
        return SEC_E_BUFFER_TOO_SMALL;
    if (data->cbBuffer > info_.max_message) return SEC_E_BUFFER_TOO_SMALL;
    if (qop == SECQOP_WRAP_OOB_DATA && data->cbBuffer != 2) return SEC_E_INVALID_TOKEN;
    (void)sequence; /* Schannel ignores MessageSeqNo: record sequence numbers are TLS's own. */

    session_encrypt_params p{};
    p.session = session_;
    p.header = to_pe_ptr(header->pvBuffer);
    p.header_capacity = header->cbBuffer;
    p.data = to_pe_ptr(data->pvBuffer);
    p.data_size = data->cbBuffer;
    p.trailer = to_pe_ptr(trailer->pvBuffer);
    p.trailer_capacity = trailer->cbBuffer;
    if (qop == SECQOP_WRAP_OOB_DATA) p.flags = encrypt_flag_alert;
    if (unix_call(unix_session_encrypt, &p)) return SEC_E_INTERNAL_ERROR;
    if (p.result == tls_buffer_too_small) return SEC_E_BUFFER_TOO_SMALL;
    if (p.result != tls_ok) return status_from_tls_error(p.error, 0);
    header->cbBuffer = p.header_size;
    trailer->cbBuffer = p.trailer_size;
    return SEC_E_OK;
}

SECURITY_STATUS schannel_context::decrypt(SecBufferDesc *message, ULONG sequence, ULONG *qop)
{
    state s = state_.load();
    if (s == state::closed) return SEC_E_CONTEXT_EXPIRED;
    if (s != state::established && s != state::alert_requested) return SEC_E_INVALID_HANDLE;
    /* Exactly one DATA buffer and room for the three other outputs. */
    SecBuffer *data = decrypt_data_buffer(message);
    if (!data) return SEC_E_INVALID_TOKEN;
    (void)sequence;

    BYTE *bytes = static_cast<BYTE *>(data->pvBuffer);
    ULONG size = data->cbBuffer;
    session_decrypt_params p{};
    p.session = session_;
    p.buffer = to_pe_ptr(bytes);
    p.size = size;
    if (unix_call(unix_session_decrypt, &p)) return SEC_E_INTERNAL_ERROR;

    if (p.result == tls_incomplete) {
        /* As Windows: the DATA buffer itself turns into SECBUFFER_MISSING
         * holding the number of bytes still needed (never overstated). */
        data->BufferType = SECBUFFER_MISSING;
        data->cbBuffer = p.missing;
        return SEC_E_INCOMPLETE_MESSAGE;
    }
    if (datagram_) {
        /* DTLS drops bad records and goes on (RFC 6347 4.1.2.7); the caller
         * is told and keeps the context, as Microsoft's DTLS sample
         * expects: SEC_E_OUT_OF_SEQUENCE for a replayed record,
         * SEC_E_INVALID_TOKEN for one that is malformed or fails
         * authentication. When the peer repeated its last handshake flight
         * (ours was lost), ours has gone out again: the caller gets
         * SEC_E_UNFINISHED_CONTEXT_DELETED and fetches it with
         * InitializeSecurityContext / AcceptSecurityContext. */
        switch (p.result) {
        case tls_replayed:
            return SEC_E_OUT_OF_SEQUENCE;
        case tls_discarded:
            return SEC_E_INVALID_TOKEN;
        case tls_retransmitted:
            return SEC_E_UNFINISHED_CONTEXT_DELETED;
        case tls_error:
            if (p.error == e_unexpected_packet_length) return SEC_E_INVALID_TOKEN;
            break;
        default:
            break;
        }
    }
    if (p.result == tls_error) return status_from_tls_error(p.error, p.alert);

    if (!set_decrypt_output(message, bytes, size, p.consumed, p.data_offset, p.data_size))
        return SEC_E_INTERNAL_ERROR;
    if (qop) *qop = 0;

    switch (p.result) {
    case tls_closed:
        /* Unless DeleteSecurityContext got there first. */
        state_.compare_exchange_strong(s, state::closed);
        return SEC_I_CONTEXT_EXPIRED;
    case tls_renegotiate:
        renegotiate_reported_ = true;
        return SEC_I_RENEGOTIATE;
    default:
        return SEC_E_OK;
    }
}

} // namespace secur32
