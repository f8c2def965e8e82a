/* Declarations of the Unix-side entry points, one per unix_call_id. */
#pragma once

#include <cstdint>

#include "../unixlib_calls.h"

namespace secur32::unix_side {

using NTSTATUS = int32_t;

NTSTATUS process_attach(void *args);
NTSTATUS credentials_create(void *args);
NTSTATUS credentials_free(void *args);
NTSTATUS session_create(void *args);
NTSTATUS session_free(void *args);
NTSTATUS session_handshake(void *args);
NTSTATUS session_connection_info(void *args);
NTSTATUS session_peer_certificates(void *args);
NTSTATUS session_encrypt(void *args);
NTSTATUS session_decrypt(void *args);
NTSTATUS session_shutdown(void *args);
NTSTATUS session_set_alpn(void *args);
NTSTATUS session_details(void *args);
NTSTATUS session_forget(void *args);
NTSTATUS session_signature(void *args);
NTSTATUS session_export_keying_material(void *args);
NTSTATUS credentials_algorithms(void *args);
NTSTATUS dtls_cookie(void *args);
NTSTATUS session_set_mtu(void *args);
NTSTATUS session_client_certificate(void *args);
NTSTATUS session_certificate_request(void *args);
NTSTATUS session_renegotiate(void *args);

} // namespace secur32::unix_side
