/* The tables Wine's loader looks up in secur32.so. Because every params
 * struct has one layout for 32- and 64-bit callers (see unixlib_calls.h),
 * wow64 callers use the same entry points. */
#include "unixlib_entries.h"

using namespace secur32::unix_side;

using unixlib_entry = NTSTATUS (*)(void *);

extern "C" {

__attribute__((visibility("default"))) extern const unixlib_entry __wine_unix_call_funcs[];
__attribute__((visibility("default"))) extern const unixlib_entry __wine_unix_call_wow64_funcs[];

/* In enum unix_call_id order. */
#define SECUR32_UNIX_ENTRIES                                                                        \
    process_attach, credentials_create, credentials_free, session_create, session_free,            \
        session_handshake, session_connection_info, session_peer_certificates, session_encrypt,    \
        session_decrypt, session_shutdown, session_set_alpn, session_details, session_forget, session_signature, \
        session_export_keying_material, credentials_algorithms, \
        dtls_cookie, session_set_mtu, \
        session_client_certificate, session_certificate_request, session_renegotiate

const unixlib_entry __wine_unix_call_funcs[] = {SECUR32_UNIX_ENTRIES};
const unixlib_entry __wine_unix_call_wow64_funcs[] = {SECUR32_UNIX_ENTRIES};

} // extern "C"

static_assert(sizeof(__wine_unix_call_funcs) / sizeof(__wine_unix_call_funcs[0]) == unix_call_count,
              "__wine_unix_call_funcs must follow enum unix_call_id");
static_assert(sizeof(__wine_unix_call_wow64_funcs) / sizeof(__wine_unix_call_wow64_funcs[0]) == unix_call_count,
              "__wine_unix_call_wow64_funcs must follow enum unix_call_id");
