#include "tls_credentials.h"

#include <string>

#include "../unixlib_calls.h"

namespace secur32::unix_side {

namespace {

/* GnuTLS's NORMAL set restricted to the versions the SSPI caller enabled.
 * SSL 3.0 is never offered, whatever the caller asks. */
std::string priority_string(uint32_t protocols)
{
    std::string p = "NORMAL:-VERS-ALL";
    if (protocols & tls_proto_tls1_3) p += ":+VERS-TLS1.3";
    if (protocols & tls_proto_tls1_2) p += ":+VERS-TLS1.2";
    if (protocols & tls_proto_tls1_1) p += ":+VERS-TLS1.1";
    if (protocols & tls_proto_tls1_0) p += ":+VERS-TLS1.0";
    return p;
}

/* Bounds the memory one credential spends on remembered sessions; a
 * process talking to more hosts just resumes fewer of them. */
constexpr size_t max_cached_sessions = 256;

} // namespace

void tls_credentials::store_session(const std::string &target, std::vector<uint8_t> data)
{
    if (target.empty() || data.empty()) return;
    std::lock_guard<std::mutex> guard(cache_lock_);
    cache_.remove_if([&](const auto &entry) { return entry.first == target; });
    cache_.emplace_front(target, std::move(data));
    if (cache_.size() > max_cached_sessions) cache_.pop_back();
}

std::vector<uint8_t> tls_credentials::find_session(const std::string &target) const
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

std::unique_ptr<tls_credentials> tls_credentials::create(uint32_t protocols, bool is_server, int &error)
{
    if (!(protocols & (tls_proto_tls1_0 | tls_proto_tls1_1 | tls_proto_tls1_2 | tls_proto_tls1_3))) {
        error = GNUTLS_E_NO_PRIORITIES_WERE_SET;
        return nullptr;
    }
    std::unique_ptr<tls_credentials> creds(new tls_credentials);
    creds->is_server_ = is_server;

    gnutls_certificate_credentials_t certs;
    if ((error = gnutls_certificate_allocate_credentials(&certs)) < 0) return nullptr;
    creds->certificates_.reset(certs);

    gnutls_priority_t priority;
    std::string p = priority_string(protocols);
    if ((error = gnutls_priority_init2(&priority, p.c_str(), nullptr, 0)) < 0) return nullptr;
    creds->priority_.reset(priority);
    error = 0;
    return creds;
}

} // namespace secur32::unix_side
