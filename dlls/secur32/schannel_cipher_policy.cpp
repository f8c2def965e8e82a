#include "schannel_cipher_policy.h"

#include <cwchar>

#include "trace.h"
#include "unixlib_calls.h"

namespace secur32 {

namespace {

/* Every cipher we can negotiate, with its key size and CNG chaining mode. */
struct cipher_entry {
    uint32_t bit;
    DWORD key_bits;
    ALG_ID alg;             /* CryptoAPI id (0: none, e.g. ChaCha20) */
    const wchar_t *cng_name;
    const wchar_t *chaining; /* CNG chaining mode, or null */
};

constexpr cipher_entry ciphers[] = {
    {tls_alg_aes_128_gcm, 128, CALG_AES_128, L"AES", L"ChainingModeGCM"},
    {tls_alg_aes_256_gcm, 256, CALG_AES_256, L"AES", L"ChainingModeGCM"},
    {tls_alg_aes_128_cbc, 128, CALG_AES_128, L"AES", L"ChainingModeCBC"},
    {tls_alg_aes_256_cbc, 256, CALG_AES_256, L"AES", L"ChainingModeCBC"},
    {tls_alg_aes_128_ccm, 128, CALG_AES_128, L"AES", L"ChainingModeCCM"},
    {tls_alg_aes_256_ccm, 256, CALG_AES_256, L"AES", L"ChainingModeCCM"},
    {tls_alg_chacha20_poly1305, 256, 0, L"CHACHA20_POLY1305", nullptr},
    {tls_alg_3des_cbc, 112, CALG_3DES, L"3DES", L"ChainingModeCBC"},
};

struct named_bit {
    uint32_t bit;
    ALG_ID alg;
    const wchar_t *cng_name;
};

constexpr named_bit exchanges[] = {
    {tls_alg_kx_rsa, CALG_RSA_KEYX, L"RSA"},
    {tls_alg_kx_dhe, CALG_DH_EPHEM, L"DH"},
    {tls_alg_kx_ecdhe, CALG_ECDH_EPHEM, L"ECDH"},
};

constexpr named_bit digests[] = {
    {tls_alg_mac_sha1, CALG_SHA1, L"SHA1"},
    {tls_alg_mac_sha256, CALG_SHA_256, L"SHA256"},
    {tls_alg_mac_sha384, CALG_SHA_384, L"SHA384"},
};

bool listed(const ALG_ID *algs, DWORD count, ALG_ID alg)
{
    for (DWORD i = 0; i < count; i++)
        if (algs[i] == alg || (alg == CALG_ECDH_EPHEM && algs[i] == CALG_ECDH)) return true;
    return false;
}

/* palgSupportedAlgs restricts each family it names; a family it does not
 * name at all stays as it is. */
template <typename Entries> uint32_t unlisted(const Entries &entries, const ALG_ID *algs, DWORD count)
{
    bool family_named = false;
    uint32_t off = 0;
    for (const auto &e : entries) {
        if (e.alg && listed(algs, count, e.alg)) family_named = true;
        else off |= e.bit;
    }
    return family_named ? off : 0;
}

bool equals(const UNICODE_STRING &s, const wchar_t *name)
{
    size_t len = wcslen(name);
    return s.Buffer && s.Length == len * sizeof(wchar_t) && !_wcsnicmp(s.Buffer, name, len);
}

bool in_bit_range(DWORD bits, DWORD min_bits, DWORD max_bits)
{
    return (!min_bits || bits >= min_bits) && (!max_bits || bits <= max_bits);
}

} // namespace

SECURITY_STATUS disabled_by_schannel_cred(const SCHANNEL_CRED &cred, uint32_t &disabled)
{
    /* Minimum strength -1 asks for MAC-only (NULL cipher) suites: none is
     * offered here, on purpose. */
    if (cred.dwMinimumCipherStrength == DWORD(-1)) return SEC_E_ALGORITHM_MISMATCH;
    for (const auto &c : ciphers) {
        if (cred.dwMinimumCipherStrength && c.key_bits < cred.dwMinimumCipherStrength) disabled |= c.bit;
        if (cred.dwMaximumCipherStrength && c.key_bits > cred.dwMaximumCipherStrength) disabled |= c.bit;
    }
    if (cred.cSupportedAlgs) {
        if (!cred.palgSupportedAlgs) return SEC_E_INVALID_PARAMETER;
        disabled |= unlisted(ciphers, cred.palgSupportedAlgs, cred.cSupportedAlgs);
        disabled |= unlisted(exchanges, cred.palgSupportedAlgs, cred.cSupportedAlgs);
        disabled |= unlisted(digests, cred.palgSupportedAlgs, cred.cSupportedAlgs);
    }
    /* "Strong crypto" rules out the one weak cipher we could otherwise
     * negotiate. */
    if (cred.dwFlags & SCH_USE_STRONG_CRYPTO) disabled |= tls_alg_3des_cbc;
    return SEC_E_OK;
}

SECURITY_STATUS disabled_by_crypto_settings(const TLS_PARAMETERS &params, uint32_t &disabled)
{
    if (params.cDisabledCrypto > SCH_CRED_MAX_SUPPORTED_CRYPTO_SETTINGS) return SEC_E_INVALID_PARAMETER;
    if (params.cDisabledCrypto && !params.pDisabledCrypto) return SEC_E_INVALID_PARAMETER;
    for (DWORD i = 0; i < params.cDisabledCrypto; i++) {
        const CRYPTO_SETTINGS &setting = params.pDisabledCrypto[i];
        if (setting.cChainingModes > SCH_CRED_MAX_SUPPORTED_CHAINING_MODES ||
            (setting.cChainingModes && !setting.rgstrChainingModes))
            return SEC_E_INVALID_PARAMETER;
        switch (setting.eAlgorithmUsage) {
        case TlsParametersCngAlgUsageCipher:
            for (const auto &c : ciphers) {
                if (!equals(setting.strCngAlgId, c.cng_name)) continue;
                if (!in_bit_range(c.key_bits, setting.dwMinBitLength, setting.dwMaxBitLength)) continue;
                bool mode_matches = !setting.cChainingModes;
                for (DWORD m = 0; m < setting.cChainingModes && c.chaining; m++)
                    if (equals(setting.rgstrChainingModes[m], c.chaining)) mode_matches = true;
                if (mode_matches) disabled |= c.bit;
            }
            break;
        case TlsParametersCngAlgUsageKeyExchange:
            for (const auto &e : exchanges)
                if (equals(setting.strCngAlgId, e.cng_name)) disabled |= e.bit;
            break;
        case TlsParametersCngAlgUsageDigest:
            for (const auto &d : digests)
                if (equals(setting.strCngAlgId, d.cng_name)) disabled |= d.bit;
            break;
        default:
            /* Signature restrictions are not enforced yet: say so rather
             * than pretend. */
            TRACE_WARN("CRYPTO_SETTINGS usage %d is not enforced\n", int(setting.eAlgorithmUsage));
            break;
        }
    }
    return SEC_E_OK;
}

DWORD supported_alg_ids(uint32_t enabled, ALG_ID *out, DWORD count)
{
    DWORD n = 0;
    auto add = [&](ALG_ID alg) {
        if (!alg) return;
        for (DWORD i = 0; i < n && i < count; i++)
            if (out[i] == alg) return;
        if (n < count) out[n] = alg;
        n++;
    };
    for (const auto &c : ciphers)
        if (enabled & c.bit) add(c.alg);
    for (const auto &d : digests)
        if (enabled & d.bit) add(d.alg);
    for (const auto &e : exchanges)
        if (enabled & e.bit) add(e.alg);
    /* The handshake's own hashes (TLS 1.2 PRF, TLS 1.3 HKDF, signature
     * digests) and signatures, whatever the record MACs are. */
    add(CALG_SHA_256);
    add(CALG_SHA_384);
    add(CALG_RSA_SIGN);
    add(CALG_ECDSA);
    return n;
}

void cipher_strength_range(uint32_t enabled, DWORD &min_bits, DWORD &max_bits)
{
    min_bits = max_bits = 0;
    for (const auto &c : ciphers) {
        if (!(enabled & c.bit)) continue;
        if (!min_bits || c.key_bits < min_bits) min_bits = c.key_bits;
        if (c.key_bits > max_bits) max_bits = c.key_bits;
    }
}

} // namespace secur32
