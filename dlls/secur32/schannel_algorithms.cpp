#include "schannel_algorithms.h"

#include "unixlib_calls.h"

namespace secur32 {

ALG_ID cipher_alg(uint32_t cipher)
{
    switch (cipher) {
    case tls_cipher_aes_128_gcm:
    case tls_cipher_aes_128_cbc:
    case tls_cipher_aes_128_ccm:
        return CALG_AES_128;
    case tls_cipher_aes_256_gcm:
    case tls_cipher_aes_256_cbc:
    case tls_cipher_aes_256_ccm:
        return CALG_AES_256;
    case tls_cipher_3des_cbc:
        return CALG_3DES;
    default:
        return 0;
    }
}

ALG_ID hash_alg(uint32_t hash)
{
    switch (hash) {
    case tls_hash_sha1: return CALG_SHA1;
    case tls_hash_sha256: return CALG_SHA_256;
    case tls_hash_sha384: return CALG_SHA_384;
    default: return 0;
    }
}

ALG_ID exchange_alg(uint32_t exchange)
{
    switch (exchange) {
    case tls_exchange_rsa: return CALG_RSA_KEYX;
    case tls_exchange_dhe: return CALG_DH_EPHEM;
    case tls_exchange_ecdhe: return CALG_ECDH_EPHEM;
    default: return 0;
    }
}

const wchar_t *cipher_name(uint32_t cipher)
{
    switch (cipher) {
    case tls_cipher_aes_128_gcm:
    case tls_cipher_aes_256_gcm:
    case tls_cipher_aes_128_cbc:
    case tls_cipher_aes_256_cbc:
    case tls_cipher_aes_128_ccm:
    case tls_cipher_aes_256_ccm:
        return L"AES";
    case tls_cipher_3des_cbc: return L"3DES";
    case tls_cipher_chacha20_poly1305: return L"CHACHA20_POLY1305";
    default: return L"";
    }
}

const wchar_t *hash_name(uint32_t hash)
{
    switch (hash) {
    case tls_hash_sha1: return L"SHA1";
    case tls_hash_sha256: return L"SHA256";
    case tls_hash_sha384: return L"SHA384";
    default: return L"";
    }
}

const wchar_t *exchange_name(uint32_t exchange)
{
    switch (exchange) {
    case tls_exchange_rsa: return L"RSA";
    case tls_exchange_dhe: return L"DH";
    case tls_exchange_ecdhe: return L"ECDH";
    default: return L"";
    }
}

DWORD hash_bits(uint32_t hash)
{
    switch (hash) {
    case tls_hash_sha1: return 160;
    case tls_hash_sha256: return 256;
    case tls_hash_sha384: return 384;
    default: return 0;
    }
}

} // namespace secur32
