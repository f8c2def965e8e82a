/* GnuTLS state shared by every session made from one SSPI credential
 * handle: certificate credentials, the priority (protocols and suites). */
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "gnutls_handles.h"

namespace secur32::unix_side {

class tls_credentials {
public:
    /* Returns null and sets `error` (a GnuTLS code) on failure. */
    static std::unique_ptr<tls_credentials> create(uint32_t protocols, bool is_server, int &error,
                                                   uint32_t disabled_algorithms = 0);

    gnutls_certificate_credentials_t certificates() const { return certificates_.get(); }
    gnutls_priority_t priority() const { return priority_.get(); }
    bool is_server() const { return is_server_; }

    /* The client session cache: resumption data per target name, shared
     * by every connection made with this credential (WinINet keeps one
     * credential handle for the whole process). */
    void store_session(const std::string &target, std::vector<uint8_t> data);
    std::vector<uint8_t> find_session(const std::string &target) const;
    void forget_session(const std::string &target);

private:
    tls_credentials() = default;
    certificate_credentials_owner certificates_;
    priority_owner priority_;
    bool is_server_ = false;
    mutable std::mutex cache_lock_;
    std::list<std::pair<std::string, std::vector<uint8_t>>> cache_; /* most recent first */
};

} // namespace secur32::unix_side
