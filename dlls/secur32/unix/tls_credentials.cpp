#include "tls_credentials.h"

#include <cstring>
#include <gnutls/crypto.h>
#include <gnutls/dtls.h>
#include <string>

#include "../unixlib_calls.h"
#include "certificate_key.h"
#include "tls_session.h"

namespace secur32::unix_side {

namespace {

/* GnuTLS priority keywords for each algorithm a caller may disable. */
struct algorithm_keyword {
    uint32_t bit;
    const char *keyword;
};
constexpr algorithm_keyword algorithm_keywords[] = {
    {tls_alg_aes_128_gcm, "-AES-128-GCM"},   {tls_alg_aes_256_gcm, "-AES-256-GCM"},
    {tls_alg_aes_128_cbc, "-AES-128-CBC"},   {tls_alg_aes_256_cbc, "-AES-256-CBC"},
    {tls_alg_aes_128_ccm, "-AES-128-CCM"},   {tls_alg_aes_256_ccm, "-AES-256-CCM"},
    {tls_alg_chacha20_poly1305, "-CHACHA20-POLY1305"}, {tls_alg_3des_cbc, "-3DES-CBC"},
    {tls_alg_kx_rsa, "-RSA"},                {tls_alg_kx_dhe, "-DHE-RSA:-DHE-DSS"},
    {tls_alg_kx_ecdhe, "-ECDHE-RSA:-ECDHE-ECDSA"},
    {tls_alg_mac_sha1, "-SHA1"},             {tls_alg_mac_sha256, "-SHA256"},
    {tls_alg_mac_sha384, "-SHA384"},
};

/* GnuTLS's NORMAL set restricted to the versions the SSPI caller enabled
 * and without the algorithms it disabled. SSL 3.0 is never offered,
 * whatever the caller asks. */
std::string priority_string(uint32_t protocols, uint32_t disabled)
{
    std::string p = "NORMAL:-VERS-ALL";
    if (protocols & tls_proto_tls1_3) p += ":+VERS-TLS1.3";
    if (protocols & tls_proto_tls1_2) p += ":+VERS-TLS1.2";
    if (protocols & tls_proto_tls1_1) p += ":+VERS-TLS1.1";
    if (protocols & tls_proto_tls1_0) p += ":+VERS-TLS1.0";
    if (protocols & tls_proto_dtls1_2) p += ":+VERS-DTLS1.2";
    if (protocols & tls_proto_dtls1_0) p += ":+VERS-DTLS1.0";
    for (const auto &a : algorithm_keywords)
        if (disabled & a.bit) {
            p += ':';
            p += a.keyword;
        }
    return p;
}

/* Bounds the memory one credential spends on remembered sessions; a
 * process talking to more hosts just resumes fewer of them. */
constexpr size_t max_cached_sessions = 256;

} // namespace

uint32_t tls_credentials::enabled_algorithms() const
{
    uint32_t bits = 0;
    const unsigned *list = nullptr;
    /* A DTLS-only credential has only the datagram priority (same suites). */
    gnutls_priority_t priority = priority_ ? priority_.get() : datagram_priority_.get();
    if (!priority) return 0;
    int n = gnutls_priority_cipher_list(priority, &list);
    for (int i = 0; i < n; i++) {
        switch (list[i]) {
        case GNUTLS_CIPHER_AES_128_GCM: bits |= tls_alg_aes_128_gcm; break;
        case GNUTLS_CIPHER_AES_256_GCM: bits |= tls_alg_aes_256_gcm; break;
        case GNUTLS_CIPHER_AES_128_CBC: bits |= tls_alg_aes_128_cbc; break;
        case GNUTLS_CIPHER_AES_256_CBC: bits |= tls_alg_aes_256_cbc; break;
        case GNUTLS_CIPHER_AES_128_CCM:
        case GNUTLS_CIPHER_AES_128_CCM_8: bits |= tls_alg_aes_128_ccm; break;
        case GNUTLS_CIPHER_AES_256_CCM:
        case GNUTLS_CIPHER_AES_256_CCM_8: bits |= tls_alg_aes_256_ccm; break;
        case GNUTLS_CIPHER_CHACHA20_POLY1305: bits |= tls_alg_chacha20_poly1305; break;
        case GNUTLS_CIPHER_3DES_CBC: bits |= tls_alg_3des_cbc; break;
        default: break;
        }
    }
    n = gnutls_priority_kx_list(priority, &list);
    for (int i = 0; i < n; i++) {
        switch (list[i]) {
        case GNUTLS_KX_RSA: bits |= tls_alg_kx_rsa; break;
        case GNUTLS_KX_DHE_RSA:
        case GNUTLS_KX_DHE_DSS: bits |= tls_alg_kx_dhe; break;
        case GNUTLS_KX_ECDHE_RSA:
        case GNUTLS_KX_ECDHE_ECDSA: bits |= tls_alg_kx_ecdhe; break;
        default: break;
        }
    }
    n = gnutls_priority_mac_list(priority, &list);
    for (int i = 0; i < n; i++) {
        switch (list[i]) {
        case GNUTLS_MAC_SHA1: bits |= tls_alg_mac_sha1; break;
        case GNUTLS_MAC_SHA256: bits |= tls_alg_mac_sha256; break;
        case GNUTLS_MAC_SHA384: bits |= tls_alg_mac_sha384; break;
        default: break;
        }
    }
    return bits;
}

tls_credentials::~tls_credentials()
{
    if (ticket_key_.data) {
        gnutls_memset(ticket_key_.data, 0, ticket_key_.size);
        gnutls_free(ticket_key_.data);
    }
    if (cookie_key_.data) {
        gnutls_memset(cookie_key_.data, 0, cookie_key_.size);
        gnutls_free(cookie_key_.data);
    }
}

/* The server cache shares cache_ with the client cache: a credential is one
 * or the other, and the keys (session ids) never meet host names. */
void tls_credentials::attach_server_cache(gnutls_session_t session)
{
    gnutls_db_set_ptr(session, this);
    gnutls_db_set_store_function(session, server_cache_store);
    gnutls_db_set_retrieve_function(session, server_cache_fetch);
    gnutls_db_set_remove_function(session, server_cache_remove);
}

int tls_credentials::server_cache_store(void *self, gnutls_datum_t key, gnutls_datum_t data)
{
    try {
        static_cast<tls_credentials *>(self)->store_session(std::string(reinterpret_cast<char *>(key.data), key.size),
                                                            secret_bytes(data.data, data.data + data.size));
        return 0;
    } catch (...) {
        return -1;
    }
}

gnutls_datum_t tls_credentials::server_cache_fetch(void *self, gnutls_datum_t key)
{
    gnutls_datum_t out{nullptr, 0};
    try {
        secret_bytes data = static_cast<tls_credentials *>(self)->find_session(
            std::string(reinterpret_cast<char *>(key.data), key.size));
        if (data.empty()) return out;
        /* GnuTLS frees what we return with gnutls_free. */
        out.data = static_cast<unsigned char *>(gnutls_malloc(data.size()));
        if (!out.data) return out;
        memcpy(out.data, data.data(), data.size());
        out.size = unsigned(data.size());
    } catch (...) {
    }
    return out;
}

int tls_credentials::server_cache_remove(void *self, gnutls_datum_t key)
{
    try {
        static_cast<tls_credentials *>(self)->forget_session(std::string(reinterpret_cast<char *>(key.data), key.size));
        return 0;
    } catch (...) {
        return -1;
    }
}

void tls_credentials::store_session(const std::string &target, secret_bytes data)
{
    if (target.empty() || data.empty()) return;
    std::lock_guard<std::mutex> guard(cache_lock_);
    cache_.remove_if([&](const auto &entry) { return entry.first == target; });
    cache_.emplace_front(target, std::move(data));
    if (cache_.size() > max_cached_sessions) cache_.pop_back();
}

secret_bytes tls_credentials::find_session(const std::string &target) const
{
    std::lock_guard<std::mutex> guard(cache_lock_);
    for (const auto &entry : cache_)
        if (entry.first == target) return entry.second;
    return {};
}

void tls_credentials::forget_session(const std::string &target)
{
    std::lock_guard<std::mutex> guard(cache_lock_);
    cache_.remove_if([&](const auto &entry) { return entry.first == target; });
}

std::unique_ptr<tls_credentials> tls_credentials::create(uint32_t protocols, bool is_server, int &error,
                                                         uint32_t disabled_algorithms, const certificate_blobs &own,
                                                         uint32_t flags)
{
    if (!(protocols & (TLS_PROTO_STREAM_MASK | TLS_PROTO_DATAGRAM_MASK))) {
        error = GNUTLS_E_NO_PRIORITIES_WERE_SET;
        return nullptr;
    }
    std::unique_ptr<tls_credentials> creds(new tls_credentials);
    creds->is_server_ = is_server;

    gnutls_certificate_credentials_t certs;
    if ((error = gnutls_certificate_allocate_credentials(&certs)) < 0) return nullptr;
    creds->certificates_.reset(certs);
    if (own.chain) {
        error = load_certificate_key(certs, own.chain, own.chain_size, own.key, own.key_size);
        if (error < 0) return nullptr;
        creds->has_certificate_ = true;
        creds->has_external_key_ = is_external_key(own.key, own.key_size);
        if (!is_server) {
            creds->client_certificate_ = std::make_unique<certificate_key_pair>();
            error = import_certificate_key(own.chain, own.chain_size, own.key, own.key_size,
                                           *creds->client_certificate_);
            if (error < 0) return nullptr;
        }
    }
    /* Clients choose what to send when a server asks (Schannel sends the
     * caller's certificate whatever issuers the server names, or lets the
     * caller decide: SEC_I_INCOMPLETE_CREDENTIALS). */
    if (!is_server) gnutls_certificate_set_retrieve_function2(certs, tls_session::select_client_certificate);
    creds->no_reconnects_ = (flags & credentials_flag_no_reconnects) != 0;
    if (is_server && !creds->no_reconnects_ &&
        (error = gnutls_session_ticket_key_generate(&creds->ticket_key_)) < 0)
        return nullptr;
    if (is_server && (protocols & TLS_PROTO_DATAGRAM_MASK) &&
        (error = gnutls_key_generate(&creds->cookie_key_, GNUTLS_COOKIE_KEY_SIZE)) < 0)
        return nullptr;

    gnutls_priority_t priority;
    if (protocols & TLS_PROTO_STREAM_MASK) {
        std::string p = priority_string(protocols & TLS_PROTO_STREAM_MASK, disabled_algorithms);
        if ((error = gnutls_priority_init2(&priority, p.c_str(), nullptr, 0)) < 0) return nullptr;
        creds->priority_.reset(priority);
    }
    if (protocols & TLS_PROTO_DATAGRAM_MASK) {
        std::string p = priority_string(protocols & TLS_PROTO_DATAGRAM_MASK, disabled_algorithms);
        if ((error = gnutls_priority_init2(&priority, p.c_str(), nullptr, 0)) < 0) return nullptr;
        creds->datagram_priority_.reset(priority);
    }
    error = 0;
    return creds;
}

} // namespace secur32::unix_side
