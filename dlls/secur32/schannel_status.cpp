#include "schannel_status.h"

#include "tls_error_codes.h"
#include "trace.h"

namespace secur32 {

namespace {


/* RFC 8446 §6 alert descriptions. */
SECURITY_STATUS status_from_alert(uint32_t alert)
{
    switch (alert) {
    case 20:  /* bad_record_mac */
    case 51:  /* decrypt_error */
        return SEC_E_DECRYPT_FAILURE;
    case 40:  /* handshake_failure */
    case 70:  /* protocol_version */
    case 71:  /* insufficient_security */
        return SEC_E_ALGORITHM_MISMATCH;
    case 42:  /* bad_certificate */
    case 43:  /* unsupported_certificate */
    case 46:  /* certificate_unknown */
    case 116: /* certificate_required */
        return SEC_E_CERT_UNKNOWN;
    case 44:  /* certificate_revoked */
        return CRYPT_E_REVOKED;
    case 45:  /* certificate_expired */
        return SEC_E_CERT_EXPIRED;
    case 48:  /* unknown_ca */
        return SEC_E_UNTRUSTED_ROOT;
    default:
        return SEC_E_ILLEGAL_MESSAGE;
    }
}

} // namespace

SECURITY_STATUS status_from_tls_error(int32_t error, uint32_t alert)
{
    switch (error) {
    case e_fatal_alert_received:
    case e_warning_alert_received:
        return status_from_alert(alert);
    case e_decryption_failed:
        return SEC_E_DECRYPT_FAILURE;
    case e_unexpected_packet:
    case e_unexpected_packet_length:
    case e_unexpected_handshake_packet:
    case e_record_overflow:
    /* A peer breaking the protocol (e.g. a ServerHello with the TLS 1.3
     * downgrade sentinel) is the peer's fault, not ours: not INTERNAL_ERROR. */
    case e_received_illegal_parameter:
    case e_received_illegal_extension:
    case e_too_many_empty_packets:
    case e_illegal_parameter:
    case e_unexpected_extensions_length:
    case e_missing_extension:
    case e_unknown_compression_algorithm:
    case e_received_disallowed_name:
    case e_pk_invalid_pubkey:
    case e_parsing_error:
    /* GnuTLS also reports some malformed peer key-exchange parameters as
     * INVALID_REQUEST (seen with mutated server flights). */
    case e_invalid_request:
    /* A handshake message or flight larger than any real one. */
    case e_handshake_too_large:
        return SEC_E_ILLEGAL_MESSAGE;
    case e_unknown_pk_algorithm:
    case e_unsupported_signature_algorithm:
        return SEC_E_ALGORITHM_MISMATCH;
    case e_error_in_finished_packet:
        return SEC_E_MESSAGE_ALTERED;
    case e_no_cipher_suites:
    case e_unknown_cipher_suite:
    case e_unsupported_version_packet:
    case e_no_common_key_share:
    case e_insufficient_credentials:
        return SEC_E_ALGORITHM_MISMATCH;
    case e_pk_sig_verify_failed:
    case e_certificate_error:
        return SEC_E_CERT_UNKNOWN;
    case e_certificate_required:
        return SEC_I_INCOMPLETE_CREDENTIALS;
    case e_memory_error:
        return SEC_E_INSUFFICIENT_MEMORY;
    default:
        TRACE_WARN("unmapped GnuTLS error %d (alert %u)\n", int(error), unsigned(alert));
        /* GnuTLS chose an alert for the peer: the peer's input was at
         * fault, and the alert says how (80 = internal_error: ours). */
        if (alert && alert != 80) return status_from_alert(alert);
        return SEC_E_INTERNAL_ERROR;
    }
}

} // namespace secur32
