/* RAII owners for GnuTLS objects: nothing on the Unix side frees by hand. */
#pragma once

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <memory>
#include <type_traits>

namespace secur32::unix_side {

template <typename T, void (*Free)(T)> struct gnutls_deleter {
    void operator()(T object) const noexcept { Free(object); }
};

template <typename T, void (*Free)(T)>
using gnutls_owner = std::unique_ptr<std::remove_pointer_t<T>, gnutls_deleter<T, Free>>;

using session_owner = gnutls_owner<gnutls_session_t, gnutls_deinit>;
using certificate_credentials_owner =
    gnutls_owner<gnutls_certificate_credentials_t, gnutls_certificate_free_credentials>;
using priority_owner = gnutls_owner<gnutls_priority_t, gnutls_priority_deinit>;
using x509_certificate_owner = gnutls_owner<gnutls_x509_crt_t, gnutls_x509_crt_deinit>;
using x509_private_key_owner = gnutls_owner<gnutls_x509_privkey_t, gnutls_x509_privkey_deinit>;

} // namespace secur32::unix_side
