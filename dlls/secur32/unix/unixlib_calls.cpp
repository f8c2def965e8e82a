/* The Unix-side entry points: unpack params, call the session or
 * credentials object, never let a C++ exception escape into Wine. */
#include "unixlib_entries.h"

#include <gnutls/gnutls.h>
#include <new>
#include <string_view>

#include "key_log.h"
#include "tls_credentials.h"
#include "tls_session.h"

namespace secur32::unix_side {

namespace {

constexpr NTSTATUS status_success = 0;
constexpr NTSTATUS status_invalid_handle = NTSTATUS(0xC0000008);
constexpr NTSTATUS status_no_memory = NTSTATUS(0xC0000017);
constexpr NTSTATUS status_internal_error = NTSTATUS(0xC00000E5);

template <typename T> T *from_handle(unix_handle h) { return reinterpret_cast<T *>(uintptr_t(h)); }
template <typename T> unix_handle to_handle(T *p) { return unix_handle(reinterpret_cast<uintptr_t>(p)); }

template <typename Fn> NTSTATUS guarded(Fn &&fn) noexcept
{
    try {
        return fn();
    } catch (const std::bad_alloc &) {
        return status_no_memory;
    } catch (...) {
        return status_internal_error;
    }
}

template <typename Params, typename Fn> NTSTATUS with_session(void *args, Fn &&fn)
{
    auto &p = *static_cast<Params *>(args);
    tls_session *session = from_handle<tls_session>(p.session);
    if (!session) return status_invalid_handle;
    return guarded([&] {
        fn(*session, p);
        return status_success;
    });
}

} // namespace

NTSTATUS process_attach(void *args)
{
    auto &p = *static_cast<process_attach_params *>(args);
    if (gnutls_global_init() < 0) return status_internal_error;
    p.gnutls_version_number = GNUTLS_VERSION_NUMBER;
    return guarded([&] {
        std::string path;
        if (p.keylog_path && p.keylog_path_size)
            path.assign(reinterpret_cast<const char *>(uintptr_t(p.keylog_path)), p.keylog_path_size);
        key_log_open(path); /* an unwritable file only loses the key log */
        return status_success;
    });
}

NTSTATUS credentials_create(void *args)
{
    auto &p = *static_cast<credentials_create_params *>(args);
    return guarded([&] {
        int error = 0;
        certificate_blobs own;
        if (p.certificate_chain) {
            own.chain = reinterpret_cast<const uint8_t *>(uintptr_t(p.certificate_chain));
            own.chain_size = p.certificate_chain_size;
            own.key = reinterpret_cast<const uint8_t *>(uintptr_t(p.private_key));
            own.key_size = p.private_key ? p.private_key_size : 0;
        }
        auto creds = tls_credentials::create(p.protocols, p.is_server != 0, error, p.disabled_algorithms, own, p.flags);
        p.error = error;
        if (!creds) return error == GNUTLS_E_MEMORY_ERROR ? status_no_memory : status_success;
        p.credentials = to_handle(creds.release());
        return status_success;
    });
}

NTSTATUS credentials_free(void *args)
{
    auto &p = *static_cast<credentials_free_params *>(args);
    delete from_handle<tls_credentials>(p.credentials);
    return status_success;
}

NTSTATUS credentials_algorithms(void *args)
{
    auto &p = *static_cast<credentials_algorithms_params *>(args);
    tls_credentials *creds = from_handle<tls_credentials>(p.credentials);
    if (!creds) return status_invalid_handle;
    p.enabled = creds->enabled_algorithms();
    return status_success;
}

NTSTATUS session_create(void *args)
{
    auto &p = *static_cast<session_create_params *>(args);
    tls_credentials *creds = from_handle<tls_credentials>(p.credentials);
    if (!creds) return status_invalid_handle;
    return guarded([&] {
        std::string_view name;
        if (p.server_name && p.server_name_size)
            name = std::string_view(reinterpret_cast<const char *>(uintptr_t(p.server_name)), p.server_name_size);
        int error = 0;
        auto session = tls_session::create(*creds, p.is_server != 0, name, p.flags, error, p.mtu,
                                           p.prestate_valid ? p.prestate : nullptr);
        p.error = error;
        if (!session) return error == GNUTLS_E_MEMORY_ERROR ? status_no_memory : status_internal_error;
        p.session = to_handle(session.release());
        return status_success;
    });
}

NTSTATUS session_free(void *args)
{
    auto &p = *static_cast<session_free_params *>(args);
    delete from_handle<tls_session>(p.session);
    return status_success;
}

NTSTATUS session_handshake(void *args)
{
    return with_session<session_handshake_params>(args, [](tls_session &s, auto &p) { s.handshake(p); });
}

NTSTATUS session_connection_info(void *args)
{
    return with_session<session_connection_info_params>(args, [](tls_session &s, auto &p) { s.connection_info(p); });
}

NTSTATUS session_peer_certificates(void *args)
{
    return with_session<session_peer_certificates_params>(args,
                                                          [](tls_session &s, auto &p) { s.peer_certificates(p); });
}

NTSTATUS session_encrypt(void *args)
{
    return with_session<session_encrypt_params>(args, [](tls_session &s, auto &p) { s.encrypt(p); });
}

NTSTATUS session_decrypt(void *args)
{
    return with_session<session_decrypt_params>(args, [](tls_session &s, auto &p) { s.decrypt(p); });
}

NTSTATUS session_shutdown(void *args)
{
    return with_session<session_shutdown_params>(args, [](tls_session &s, auto &p) { s.shutdown(p); });
}

NTSTATUS session_set_alpn(void *args)
{
    return with_session<session_set_alpn_params>(args, [](tls_session &s, auto &p) { s.set_alpn(p); });
}

NTSTATUS session_details(void *args)
{
    return with_session<session_details_params>(args, [](tls_session &s, auto &p) { s.details(p); });
}

NTSTATUS session_forget(void *args)
{
    return with_session<session_forget_params>(args, [](tls_session &s, auto &) { s.forget(); });
}

NTSTATUS session_signature(void *args)
{
    return with_session<session_signature_params>(args, [](tls_session &s, auto &p) { s.signature(p); });
}

NTSTATUS session_export_keying_material(void *args)
{
    return with_session<session_export_keying_material_params>(
        args, [](tls_session &s, auto &p) { s.export_keying_material(p); });
}

NTSTATUS session_client_certificate(void *args)
{
    return with_session<session_client_certificate_params>(args, [](tls_session &s, auto &p) {
        s.client_certificate(p, from_handle<tls_credentials>(p.credentials));
    });
}

NTSTATUS session_certificate_request(void *args)
{
    return with_session<session_certificate_request_params>(args,
                                                            [](tls_session &s, auto &p) { s.certificate_request(p); });
}

NTSTATUS session_renegotiate(void *args)
{
    return with_session<session_renegotiate_params>(args, [](tls_session &s, auto &p) { s.renegotiate(p); });
}

NTSTATUS dtls_cookie(void *args)
{
    auto &p = *static_cast<dtls_cookie_params *>(args);
    tls_credentials *creds = from_handle<tls_credentials>(p.credentials);
    if (!creds) return status_invalid_handle;
    return guarded([&] {
        tls_session::dtls_cookie(*creds, p);
        return status_success;
    });
}

NTSTATUS session_set_mtu(void *args)
{
    return with_session<session_set_mtu_params>(args, [](tls_session &s, auto &p) { s.set_mtu(p); });
}

} // namespace secur32::unix_side
