#include "external_signing.h"

#include <gnutls/abstract.h>
#include <cstring>

#include "../unixlib_calls.h"

namespace secur32::unix_side {

namespace {

/* The channel whose handshake runs on this (worker) thread. */
thread_local signing_channel *current_channel;

/* DER DigestInfo prefixes (RFC 8017 §9.2 note 1): GnuTLS may hand the
 * digest already wrapped; CryptSignHash wraps it itself. */
struct digest_info {
    uint32_t hash;
    size_t digest_size;
    uint8_t prefix[19];
    size_t prefix_size;
};
const digest_info digest_infos[] = {
    {tls_signature_sha1, 20, {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14}, 15},
    {tls_signature_sha256, 32, {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
                                0x05, 0x00, 0x04, 0x20}, 19},
    {tls_signature_sha384, 48, {0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02,
                                0x05, 0x00, 0x04, 0x30}, 19},
    {tls_signature_sha512, 64, {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03,
                                0x05, 0x00, 0x04, 0x40}, 19},
};

uint32_t hash_of(gnutls_digest_algorithm_t digest)
{
    switch (digest) {
    case GNUTLS_DIG_SHA1: return tls_signature_sha1;
    case GNUTLS_DIG_SHA256: return tls_signature_sha256;
    case GNUTLS_DIG_SHA384: return tls_signature_sha384;
    case GNUTLS_DIG_SHA512: return tls_signature_sha512;
    default: return 0;
    }
}

/* What a CAPI provider can do with an RSA key: PKCS#1 v1.5 (no PSS). */
bool supported(gnutls_sign_algorithm_t algo)
{
    return gnutls_sign_get_pk_algorithm(algo) == GNUTLS_PK_RSA && hash_of(gnutls_sign_get_hash_algorithm(algo));
}

} // namespace

signing_channel::~signing_channel()
{
    {
        std::lock_guard<std::mutex> guard(lock_);
        cancelled_ = true;
    }
    changed_.notify_all();
    if (worker_.joinable()) worker_.join();
}

bool signing_channel::wait_for_worker(std::unique_lock<std::mutex> &lock, int &ret)
{
    changed_.wait(lock, [this] {
        return state_ == state::finished || state_ == state::waiting_signature || state_ == state::waiting_credentials;
    });
    if (state_ != state::finished) return false;
    ret = result_;
    state_ = state::idle;
    lock.unlock();
    worker_.join();
    return true;
}

bool signing_channel::start(std::function<int()> call, int &ret)
{
    std::unique_lock<std::mutex> lock(lock_);
    state_ = state::running;
    worker_ = std::thread([this, call = std::move(call)] {
        current_channel = this;
        int r = call();
        current_channel = nullptr;
        std::lock_guard<std::mutex> guard(lock_);
        result_ = r;
        state_ = state::finished;
        changed_.notify_all();
    });
    return wait_for_worker(lock, ret);
}

bool signing_channel::resume(int &ret)
{
    std::unique_lock<std::mutex> lock(lock_);
    if (state_ != state::waiting_signature && state_ != state::waiting_credentials) return false;
    state_ = state::running;
    changed_.notify_all();
    return wait_for_worker(lock, ret);
}

bool signing_channel::on_worker_thread() const { return current_channel == this; }

bool signing_channel::wait_for_credentials()
{
    std::unique_lock<std::mutex> lock(lock_);
    state_ = state::waiting_credentials;
    changed_.notify_all();
    changed_.wait(lock, [this] { return state_ == state::running || cancelled_; });
    return !cancelled_;
}

int signing_channel::on_worker_sign(uint32_t hash, const uint8_t *digest, size_t size, std::vector<uint8_t> &signature)
{
    std::unique_lock<std::mutex> lock(lock_);
    request_hash_ = hash;
    request_digest_.assign(digest, digest + size);
    signature_.clear();
    state_ = state::waiting_signature;
    changed_.notify_all();
    changed_.wait(lock, [this] { return state_ == state::running || cancelled_; });
    if (cancelled_ || signature_.empty()) return GNUTLS_E_PK_SIGN_FAILED;
    signature = std::move(signature_);
    signature_.clear();
    return 0;
}

int signing_channel::sign_hash(gnutls_privkey_t, gnutls_sign_algorithm_t algo, void *, unsigned int flags,
                               const gnutls_datum_t *hash, gnutls_datum_t *signature)
{
    signing_channel *channel = current_channel;
    if (!channel) return GNUTLS_E_PK_SIGN_FAILED;
    uint32_t kind;
    const uint8_t *digest = hash->data;
    size_t size = hash->size;
    if (flags & GNUTLS_PRIVKEY_SIGN_FLAG_TLS1_RSA) {
        kind = tls_signature_md5_sha1;
        if (size != 36) return GNUTLS_E_PK_SIGN_FAILED;
    } else if (algo == GNUTLS_SIGN_RSA_RAW) {
        /* GnuTLS hands PKCS#1 v1.5 signatures over as RSA_RAW with the
         * DigestInfo already built: the prefix names the hash. TLS 1.0/1.1
         * send the bare 36-byte MD5+SHA-1 concatenation. */
        kind = size == 36 ? tls_signature_md5_sha1 : 0;
        for (const auto &info : digest_infos)
            if (size == info.prefix_size + info.digest_size && !memcmp(digest, info.prefix, info.prefix_size)) {
                kind = info.hash;
                digest += info.prefix_size;
                size = info.digest_size;
            }
        if (!kind) return GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM;
    } else {
        if (!supported(algo)) return GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM;
        kind = hash_of(gnutls_sign_get_hash_algorithm(algo));
        for (const auto &info : digest_infos)
            if (info.hash == kind && size == info.prefix_size + info.digest_size &&
                !memcmp(digest, info.prefix, info.prefix_size)) {
                digest += info.prefix_size;
                size = info.digest_size;
            }
    }
    std::vector<uint8_t> out;
    int ret;
    try {
        ret = channel->on_worker_sign(kind, digest, size, out);
    } catch (...) {
        return GNUTLS_E_MEMORY_ERROR;
    }
    if (ret < 0) return ret;
    signature->data = static_cast<unsigned char *>(gnutls_malloc(out.size()));
    if (!signature->data) return GNUTLS_E_MEMORY_ERROR;
    memcpy(signature->data, out.data(), out.size());
    signature->size = unsigned(out.size());
    return 0;
}

int signing_channel::info(gnutls_privkey_t, unsigned int flags, void *userdata)
{
    if (flags & GNUTLS_PRIVKEY_INFO_PK_ALGO) return GNUTLS_PK_RSA;
    if (flags & GNUTLS_PRIVKEY_INFO_PK_ALGO_BITS) return int(uintptr_t(userdata));
    if (flags & GNUTLS_PRIVKEY_INFO_HAVE_SIGN_ALGO)
        return supported(gnutls_sign_algorithm_t(GNUTLS_FLAGS_TO_SIGN_ALGO(flags))) ? 1 : 0;
    return -1;
}

int signing_channel::import_external_rsa_key(gnutls_privkey_t key, unsigned int bits)
{
    return gnutls_privkey_import_ext4(key, reinterpret_cast<void *>(uintptr_t(bits)), nullptr, sign_hash, nullptr,
                                      nullptr, info, 0);
}

} // namespace secur32::unix_side
