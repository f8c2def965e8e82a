/* Column "limit": what GnuTLS's AEAD ciphers do on this machine with
 * nothing around them. A TLS stack cannot encrypt records faster than this,
 * so the other columns are read as fractions of it.
 *
 * The work is shaped like the record layer's: batches of bench_batch_records
 * messages, each sealed in place with its own nonce and TLS 1.2's 13-byte
 * AAD, the tag right after it; then opened in place and checked. The figure
 * is the best batch, as in the other columns.
 *
 * usage: cipher_bench [CIPHER...]     (default: the three TLS AEADs)
 * Prints `result raw.CIPHER.{enc,dec}.SIZE MB/s` and `..._us.SIZE us`. */
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

#include "bench_shared.h"

namespace {

using bench_clock = std::chrono::steady_clock;
constexpr size_t tag_size = 16;

double seconds_since(bench_clock::time_point start)
{
    return std::chrono::duration<double>(bench_clock::now() - start).count();
}

struct aead {
    gnutls_aead_cipher_hd_t h = nullptr;
    ~aead() { if (h) gnutls_aead_cipher_deinit(h); }
};

void make_nonce(unsigned char nonce[12], uint64_t seq)
{
    memset(nonce, 0x33, 4);
    memcpy(nonce + 4, &seq, 8);
}

int bench_cipher(const char *name)
{
    gnutls_cipher_algorithm_t algo = gnutls_cipher_get_id(name);
    if (algo == GNUTLS_CIPHER_UNKNOWN) {
        printf("na raw.%s unknown cipher\n", name);
        return 1;
    }
    std::vector<unsigned char> key_bytes(gnutls_cipher_get_key_size(algo), 0x5a);
    gnutls_datum_t key{key_bytes.data(), unsigned(key_bytes.size())};
    aead a;
    if (gnutls_aead_cipher_init(&a.h, algo, &key) < 0) {
        printf("na raw.%s aead init failed\n", name);
        return 1;
    }
    unsigned char aad[13] = {0, 0, 0, 0, 0, 0, 0, 1, 23, 3, 3, 0, 0};
    int failures = 0;
    for (unsigned size : bench_message_sizes) {
        uint32_t count = bench_batch_records(size);
        size_t slot = size + tag_size;
        std::vector<unsigned char> batch(count * slot);
        double best_enc = 1e30, best_dec = 1e30;
        uint64_t seq = 0;
        bool ok = true;
        for (int b = 0; ok && b < BENCH_ROUNDS * BENCH_BATCHES; b++, seq += count) {
            for (uint32_t i = 0; i < count; i++) bench_fill(&batch[i * slot], uint32_t(seq + i), size);
            unsigned char nonce[12];
            auto start = bench_clock::now();
            for (uint32_t i = 0; i < count; i++) {
                make_nonce(nonce, seq + i);
                size_t out = slot;
                ok &= gnutls_aead_cipher_encrypt(a.h, nonce, 12, aad, sizeof(aad), tag_size, &batch[i * slot], size,
                                                 &batch[i * slot], &out) == 0;
            }
            double enc = seconds_since(start);
            start = bench_clock::now();
            for (uint32_t i = 0; i < count; i++) {
                make_nonce(nonce, seq + i);
                size_t out = size;
                ok &= gnutls_aead_cipher_decrypt(a.h, nonce, 12, aad, sizeof(aad), tag_size, &batch[i * slot], slot,
                                                 &batch[i * slot], &out) == 0;
            }
            double dec = seconds_since(start);
            for (uint32_t i = 0; ok && i < count; i++) ok = bench_check(&batch[i * slot], uint32_t(seq + i), size);
            if (enc < best_enc) best_enc = enc;
            if (dec < best_dec) best_dec = dec;
        }
        if (!ok) {
            printf("na raw.%s.dec.%u decryption did not give the plaintext back\n", name, size);
            failures++;
            continue;
        }
        const struct { const char *dir; double s; } rows[] = {{"enc", best_enc / count}, {"dec", best_dec / count}};
        for (const auto &row : rows) {
            printf("result raw.%s.%s.%u %.1f MB/s\n", name, row.dir, size, size / row.s / 1e6);
            printf("result raw.%s.%s_us.%u %.3f us\n", name, row.dir, size, row.s * 1e6);
        }
        fflush(stdout);
    }
    return failures;
}

} // namespace

int main(int argc, char **argv)
{
    static const char *defaults[] = {"AES-128-GCM", "AES-256-GCM", "CHACHA20-POLY1305"};
    int failures = 0;
    gnutls_global_init();
    if (argc > 1)
        for (int i = 1; i < argc; i++) failures += bench_cipher(argv[i]);
    else
        for (const char *name : defaults) failures += bench_cipher(name);
    gnutls_global_deinit();
    return failures ? 1 : 0;
}
