#include "record_cipher.h"

#include <cstring>

namespace secur32::unix_side {

namespace {

/* RFC 8446 §5.1/§5.2 and RFC 5246 §6.2: no plaintext above 2^14 bytes, no
 * TLS 1.3 ciphertext above 2^14 + 256. */
constexpr size_t max_plaintext = 16384;
constexpr size_t max_tls13_ciphertext = 16384 + 256;
constexpr size_t record_header = 5;

void put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8) p[i] = uint8_t(v);
}

uint64_t get_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v = v << 8 | p[i];
    return v;
}

} // namespace

void record_cipher::reset()
{
    /* gnutls_aead_cipher_deinit wipes the key; the IV is ours to wipe. */
    if (aead_) gnutls_aead_cipher_deinit(aead_);
    aead_ = nullptr;
    gnutls_memset(iv_, 0, sizeof(iv_));
}

bool record_cipher::load(gnutls_session_t session, bool read)
{
    reset();
    gnutls_protocol_t version = gnutls_protocol_get_version(session);
    gnutls_cipher_algorithm_t cipher = gnutls_cipher_get(session);
    if (version != GNUTLS_TLS1_2 && version != GNUTLS_TLS1_3) return false;
    tls13_ = version == GNUTLS_TLS1_3;
    size_t expected_iv;
    switch (cipher) {
    case GNUTLS_CIPHER_AES_128_GCM:
    case GNUTLS_CIPHER_AES_256_GCM:
        /* TLS 1.2 GCM: 4 implicit bytes + 8 explicit ones sent in each record. */
        explicit_nonce_size_ = tls13_ ? 0 : 8;
        expected_iv = tls13_ ? 12 : 4;
        break;
    case GNUTLS_CIPHER_CHACHA20_POLY1305:
        explicit_nonce_size_ = 0;
        expected_iv = 12;
        break;
    default:
        return false;
    }
    gnutls_datum_t mac{}, iv{}, key{};
    uint8_t seq[8];
    if (gnutls_record_get_state(session, read ? 1 : 0, &mac, &iv, &key, seq) < 0) return false;
    if (iv.size != expected_iv || key.size != gnutls_cipher_get_key_size(cipher)) return false;
    gnutls_datum_t key_copy{key.data, key.size};
    if (gnutls_aead_cipher_init(&aead_, cipher, &key_copy) < 0) {
        aead_ = nullptr;
        return false;
    }
    memcpy(iv_, iv.data, iv.size);
    iv_size_ = iv.size;
    tag_size_ = gnutls_cipher_get_tag_size(cipher);
    seq_ = get_be64(seq);
    return true;
}

void record_cipher::store(gnutls_session_t session, bool read) const
{
    if (!aead_) return;
    uint8_t seq[8];
    put_be64(seq, seq_);
    gnutls_record_set_state(session, read ? 1 : 0, seq);
}

void record_cipher::make_nonce(uint64_t seq, uint8_t nonce[12]) const
{
    if (explicit_nonce_size_) {
        /* RFC 5288 §3: salt || explicit nonce; we send the sequence number
         * as the explicit part, as GnuTLS does. */
        memcpy(nonce, iv_, 4);
        put_be64(nonce + 4, seq);
        return;
    }
    /* RFC 8446 §5.3 / RFC 7905 §2: IV xor the padded sequence number. */
    uint8_t padded[12] = {};
    put_be64(padded + 4, seq);
    for (int i = 0; i < 12; i++) nonce[i] = uint8_t(iv_[i] ^ padded[i]);
}

int record_cipher::seal(uint8_t *header, uint8_t *data, size_t size, uint8_t *trailer)
{
    if (!aead_ || size > max_plaintext) return GNUTLS_E_INVALID_REQUEST;
    uint8_t nonce[12], aad[13];
    make_nonce(seq_, nonce);
    size_t aad_size, sealed_size; /* bytes of plaintext that get encrypted */
    size_t body = explicit_nonce_size_ + size + trailer_size();
    header[0] = content_type_application_data;
    header[1] = 3;
    header[2] = 3;
    header[3] = uint8_t(body >> 8);
    header[4] = uint8_t(body);
    if (tls13_) {
        /* The inner content type follows the data; the AAD is the header. */
        trailer[0] = content_type_application_data;
        memcpy(aad, header, record_header);
        aad_size = record_header;
        sealed_size = size + 1;
    } else {
        if (explicit_nonce_size_) put_be64(header + record_header, seq_);
        put_be64(aad, seq_);
        aad[8] = content_type_application_data;
        aad[9] = 3;
        aad[10] = 3;
        aad[11] = uint8_t(size >> 8);
        aad[12] = uint8_t(size);
        aad_size = 13;
        sealed_size = size;
    }
    int ret;
    if (data + size == trailer) {
        /* One contiguous record (what curl and most callers pass): a single
         * in-place call, the tag lands right after the ciphertext. */
        size_t out = sealed_size + tag_size_;
        ret = gnutls_aead_cipher_encrypt(aead_, nonce, sizeof(nonce), aad, aad_size, tag_size_, data, sealed_size,
                                         data, &out);
    } else {
        giovec_t auth{aad, aad_size};
        giovec_t parts[2] = {{data, size}, {trailer, 1}};
        size_t tag_size = tag_size_;
        ret = gnutls_aead_cipher_encryptv2(aead_, nonce, sizeof(nonce), &auth, 1, parts, tls13_ ? 2 : 1,
                                           trailer + (tls13_ ? 1 : 0), &tag_size);
    }
    if (ret < 0) return ret;
    seq_++;
    return 0;
}

record_cipher::opened record_cipher::open(uint8_t *record, size_t size)
{
    opened r;
    if (!aead_ || size < record_header) {
        r.error = GNUTLS_E_INTERNAL_ERROR;
        return r;
    }
    size_t body = size - record_header;
    uint8_t nonce[12], aad[13];
    size_t aad_size, plain_size;
    uint8_t *sealed;
    if (tls13_) {
        if (body < tag_size_ + 1 || body > max_tls13_ciphertext) {
            r.error = body > max_tls13_ciphertext ? GNUTLS_E_RECORD_OVERFLOW : GNUTLS_E_UNEXPECTED_PACKET_LENGTH;
            return r;
        }
        make_nonce(seq_, nonce);
        memcpy(aad, record, record_header);
        aad_size = record_header;
        plain_size = body - tag_size_;
        sealed = record + record_header;
    } else {
        if (body < explicit_nonce_size_ + tag_size_) {
            r.error = GNUTLS_E_UNEXPECTED_PACKET_LENGTH;
            return r;
        }
        plain_size = body - explicit_nonce_size_ - tag_size_;
        if (plain_size > max_plaintext) {
            r.error = GNUTLS_E_RECORD_OVERFLOW;
            return r;
        }
        if (explicit_nonce_size_) {
            memcpy(nonce, iv_, 4);
            memcpy(nonce + 4, record + record_header, 8);
        } else {
            make_nonce(seq_, nonce);
        }
        put_be64(aad, seq_);
        aad[8] = record[0];
        aad[9] = record[1];
        aad[10] = record[2];
        aad[11] = uint8_t(plain_size >> 8);
        aad[12] = uint8_t(plain_size);
        aad_size = 13;
        sealed = record + record_header + explicit_nonce_size_;
    }
    size_t out = plain_size;
    if (gnutls_aead_cipher_decrypt(aead_, nonce, sizeof(nonce), aad, aad_size, tag_size_, sealed,
                                   plain_size + tag_size_, sealed, &out) < 0 ||
        out != plain_size) {
        r.error = GNUTLS_E_DECRYPTION_FAILED;
        return r;
    }
    seq_++;
    r.data_offset = size_t(sealed - record);
    if (!tls13_) {
        r.content_type = record[0];
        r.data_size = plain_size;
        return r;
    }
    /* TLS 1.3 inner plaintext: content, type, zero padding (RFC 8446 §5.4). */
    size_t n = plain_size;
    while (n && sealed[n - 1] == 0) n--;
    if (!n) {
        r.error = GNUTLS_E_UNEXPECTED_PACKET;
        return r;
    }
    r.content_type = sealed[n - 1];
    r.data_size = n - 1;
    if (r.data_size > max_plaintext) r.error = GNUTLS_E_RECORD_OVERFLOW;
    return r;
}

int record_cipher::reseal(uint8_t *record, size_t size)
{
    if (!aead_ || !tls13_ || size < record_header + tag_size_ + 1) return GNUTLS_E_INTERNAL_ERROR;
    seq_--;
    uint8_t nonce[12];
    make_nonce(seq_, nonce);
    size_t plain_size = size - record_header - tag_size_, out = plain_size + tag_size_;
    return gnutls_aead_cipher_encrypt(aead_, nonce, sizeof(nonce), record, record_header, tag_size_,
                                      record + record_header, plain_size, record + record_header, &out);
}

} // namespace secur32::unix_side
