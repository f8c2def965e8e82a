/* The GnuTLS error codes the PE side maps to SECURITY_STATUS. The PE side
 * cannot include GnuTLS headers, so the values are repeated here; the
 * native unit test tests/unit/tls_error_codes_test.cpp checks them against
 * gnutls/gnutls.h. */
#pragma once

#include <stdint.h>

namespace secur32 {

enum : int32_t {
    e_unsupported_version_packet = -8,
    e_unexpected_packet_length = -9,
    e_fatal_alert_received = -12,
    e_unexpected_packet = -15,
    e_warning_alert_received = -16,
    e_unexpected_handshake_packet = -19,
    e_unknown_cipher_suite = -21,
    e_decryption_failed = -24,
    e_memory_error = -25,
    e_insufficient_credentials = -32,
    e_certificate_error = -43,
    e_no_cipher_suites = -87,
    e_no_priorities_were_set = -326,
    e_pk_sig_verify_failed = -89,
    e_certificate_required = -112,
    e_record_overflow = -417,
    e_no_common_key_share = -423,
    /* Protocol violations by the peer (found by tests/hostile). */
    e_error_in_finished_packet = -18,
    e_received_illegal_parameter = -55,
    e_received_illegal_extension = -58,
    e_too_many_empty_packets = -78,
    e_illegal_parameter = -325,
    e_unexpected_extensions_length = -350,
    e_missing_extension = -427,
    /* ... and from malformed peer handshakes (tests/programs/tls_mutation_fuzz.c). */
    e_unknown_compression_algorithm = -3,
    e_invalid_request = -50,
    e_unknown_pk_algorithm = -80,
    e_received_disallowed_name = -82,
    e_unsupported_signature_algorithm = -106,
    e_pk_invalid_pubkey = -409,
    e_parsing_error = -302, /* malformed peer data (integration/mutation_fuzz under make stress) */
    /* A handshake beyond the size bound (tests/conformance/bad_input.c). */
    e_handshake_too_large = -210,
};

} // namespace secur32
