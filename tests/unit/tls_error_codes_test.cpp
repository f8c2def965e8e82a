/* The PE side cannot include GnuTLS headers, so dlls/secur32/tls_error_codes.h
 * repeats the error numbers it maps. This checks them against gnutls.h. */
#include "unit_test.h"

#include <gnutls/gnutls.h>

#include "tls_error_codes.h"

static_assert(secur32::e_unsupported_version_packet == GNUTLS_E_UNSUPPORTED_VERSION_PACKET);
static_assert(secur32::e_unexpected_packet_length == GNUTLS_E_UNEXPECTED_PACKET_LENGTH);
static_assert(secur32::e_fatal_alert_received == GNUTLS_E_FATAL_ALERT_RECEIVED);
static_assert(secur32::e_unexpected_packet == GNUTLS_E_UNEXPECTED_PACKET);
static_assert(secur32::e_warning_alert_received == GNUTLS_E_WARNING_ALERT_RECEIVED);
static_assert(secur32::e_unexpected_handshake_packet == GNUTLS_E_UNEXPECTED_HANDSHAKE_PACKET);
static_assert(secur32::e_unknown_cipher_suite == GNUTLS_E_UNKNOWN_CIPHER_SUITE);
static_assert(secur32::e_decryption_failed == GNUTLS_E_DECRYPTION_FAILED);
static_assert(secur32::e_memory_error == GNUTLS_E_MEMORY_ERROR);
static_assert(secur32::e_insufficient_credentials == GNUTLS_E_INSUFFICIENT_CREDENTIALS);
static_assert(secur32::e_certificate_error == GNUTLS_E_CERTIFICATE_ERROR);
static_assert(secur32::e_no_cipher_suites == GNUTLS_E_NO_CIPHER_SUITES);
static_assert(secur32::e_no_priorities_were_set == GNUTLS_E_NO_PRIORITIES_WERE_SET);
static_assert(secur32::e_pk_sig_verify_failed == GNUTLS_E_PK_SIG_VERIFY_FAILED);
static_assert(secur32::e_certificate_required == GNUTLS_E_CERTIFICATE_REQUIRED);
static_assert(secur32::e_record_overflow == GNUTLS_E_RECORD_OVERFLOW);
static_assert(secur32::e_no_common_key_share == GNUTLS_E_NO_COMMON_KEY_SHARE);
static_assert(secur32::e_error_in_finished_packet == GNUTLS_E_ERROR_IN_FINISHED_PACKET);
static_assert(secur32::e_received_illegal_parameter == GNUTLS_E_RECEIVED_ILLEGAL_PARAMETER);
static_assert(secur32::e_received_illegal_extension == GNUTLS_E_RECEIVED_ILLEGAL_EXTENSION);
static_assert(secur32::e_too_many_empty_packets == GNUTLS_E_TOO_MANY_EMPTY_PACKETS);
static_assert(secur32::e_illegal_parameter == GNUTLS_E_ILLEGAL_PARAMETER);
static_assert(secur32::e_unexpected_extensions_length == GNUTLS_E_UNEXPECTED_EXTENSIONS_LENGTH);
static_assert(secur32::e_missing_extension == GNUTLS_E_MISSING_EXTENSION);
static_assert(secur32::e_unknown_compression_algorithm == GNUTLS_E_UNKNOWN_COMPRESSION_ALGORITHM);
static_assert(secur32::e_invalid_request == GNUTLS_E_INVALID_REQUEST);
static_assert(secur32::e_unknown_pk_algorithm == GNUTLS_E_UNKNOWN_PK_ALGORITHM);
static_assert(secur32::e_received_disallowed_name == GNUTLS_E_RECEIVED_DISALLOWED_NAME);
static_assert(secur32::e_unsupported_signature_algorithm == GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM);
static_assert(secur32::e_pk_invalid_pubkey == GNUTLS_E_PK_INVALID_PUBKEY);
static_assert(secur32::e_parsing_error == GNUTLS_E_PARSING_ERROR);
static_assert(secur32::e_handshake_too_large == GNUTLS_E_HANDSHAKE_TOO_LARGE);

/* The same, at run time, so the suite shows the check ran. */
TEST_CASE(pe_side_copies_match_gnutls)
{
    CHECK_EQ(int(secur32::e_decryption_failed), GNUTLS_E_DECRYPTION_FAILED);
    CHECK_EQ(int(secur32::e_fatal_alert_received), GNUTLS_E_FATAL_ALERT_RECEIVED);
    CHECK_EQ(int(secur32::e_record_overflow), GNUTLS_E_RECORD_OVERFLOW);
    CHECK_STREQ(gnutls_strerror(secur32::e_no_cipher_suites), gnutls_strerror(GNUTLS_E_NO_CIPHER_SUITES));
}
