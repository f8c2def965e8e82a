/* Handshakes whose private key stays with the PE side (a non-exportable
 * key, used through its Windows provider), or that may wait for the PE
 * side's choice of client certificate (SEC_I_INCOMPLETE_CREDENTIALS).
 *
 * GnuTLS asks for a signature synchronously, from inside gnutls_handshake,
 * and the Unix side cannot call back into the PE module. So for such a
 * session each gnutls_handshake call runs on a worker thread: when GnuTLS
 * needs a signature the worker parks in the sign callback, the unixlib
 * call returns tls_need_signature with the digest, the PE side signs and
 * hands the signature back (session_signature), and the next
 * session_handshake call lets the worker continue. Only one thread runs
 * GnuTLS for the session at any time. */
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "gnutls_handles.h"

namespace secur32::unix_side {

class signing_channel {
public:
    signing_channel() = default;
    ~signing_channel();
    signing_channel(const signing_channel &) = delete;
    signing_channel &operator=(const signing_channel &) = delete;

    /* Starts `call` on the worker. Returns true with its result in `ret`
     * when it finished, false when it waits for a signature. */
    bool start(std::function<int()> call, int &ret);
    /* Continues a call waiting for a signature (after provide()). */
    bool resume(int &ret);
    /* Paused: for a signature, or (client certificates) for the PE side's
     * choice of certificate. */
    bool waiting() const { return state_ == state::waiting_signature || state_ == state::waiting_credentials; }
    bool waiting_for_credentials() const { return state_ == state::waiting_credentials; }
    /* On the worker: parks it until resume(); false when the channel is
     * going away. */
    bool wait_for_credentials();
    /* The calling thread is this channel's worker. */
    bool on_worker_thread() const;

    /* The pending request: tls_signature_hash and the digest. */
    uint32_t request_hash() const { return request_hash_; }
    const std::vector<uint8_t> &request_digest() const { return request_digest_; }
    /* The PE side's answer; empty = it could not sign. */
    void provide(std::vector<uint8_t> signature) { signature_ = std::move(signature); }

    /* Imports the GnuTLS key whose sign callback asks the channel of the
     * session being handshaken on the calling (worker) thread. */
    static int import_external_rsa_key(gnutls_privkey_t key, unsigned int bits);

private:
    enum class state { idle, running, waiting_signature, waiting_credentials, finished };
    int on_worker_sign(uint32_t hash, const uint8_t *digest, size_t size, std::vector<uint8_t> &signature);
    bool wait_for_worker(std::unique_lock<std::mutex> &lock, int &ret);
    static int sign_hash(gnutls_privkey_t, gnutls_sign_algorithm_t algo, void *userdata, unsigned int flags,
                         const gnutls_datum_t *hash, gnutls_datum_t *signature);
    static int info(gnutls_privkey_t, unsigned int flags, void *userdata);

    std::mutex lock_;
    std::condition_variable changed_;
    state state_ = state::idle;
    bool cancelled_ = false;
    int result_ = 0;
    uint32_t request_hash_ = 0;
    std::vector<uint8_t> request_digest_;
    std::vector<uint8_t> signature_;
    std::thread worker_;
};

} // namespace secur32::unix_side
