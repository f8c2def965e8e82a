/*
 * A minimal NTLM acceptor written from the public protocol description
 * (MS-NLMP), for the ntlm and negotiate units.
 *
 * A real AcceptSecurityContext cannot finish a loopback exchange without a
 * domain controller (Wine: without winbindd it answers SEC_E_LOGON_DENIED),
 * so message protection could not be tested in both directions. This peer
 * plays the server instead: it sends its own CHALLENGE, checks the client's
 * AUTHENTICATE against the known password (NTLMv2, or NTLMv1 with extended
 * session security), derives the session keys and signs, verifies, seals
 * and unseals like an NTLM server does. Only extended session security
 * (NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) is implemented.
 *
 * Hashes come from CryptoAPI (MD4, MD5); HMAC and RC4 are done here.
 * Everything is static inline so each unit uses what it needs.
 */
#ifndef NTLM_PEER_H
#define NTLM_PEER_H

#include <windows.h>
#include <wincrypt.h>
#include <string.h>

#define NTLMSSP_NEGOTIATE_UNICODE       0x00000001
#define NTLMSSP_REQUEST_TARGET          0x00000004
#define NTLMSSP_NEGOTIATE_SIGN          0x00000010
#define NTLMSSP_NEGOTIATE_SEAL          0x00000020
#define NTLMSSP_NEGOTIATE_NTLM          0x00000200
#define NTLMSSP_NEGOTIATE_ALWAYS_SIGN   0x00008000
#define NTLMSSP_TARGET_TYPE_DOMAIN      0x00010000
#define NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY 0x00080000
#define NTLMSSP_NEGOTIATE_TARGET_INFO   0x00800000
#define NTLMSSP_NEGOTIATE_VERSION       0x02000000
#define NTLMSSP_NEGOTIATE_128           0x20000000
#define NTLMSSP_NEGOTIATE_KEY_EXCH      0x40000000
#define NTLMSSP_NEGOTIATE_56            0x80000000

struct ntlm_rc4
{
    unsigned char s[256];
    unsigned char i, j;
};

struct ntlm_peer
{
    unsigned char challenge[8];
    ULONG flags;                        /* as the AUTHENTICATE message states them */
    WCHAR user[64], domain[64];
    BOOL ntlmv2;
    BOOL proof_ok;                      /* NTLMv2 proof matched the password */
    unsigned char session_key[16];      /* the exported session key */
    unsigned char sign_send[16], sign_recv[16];
    struct ntlm_rc4 seal_send, seal_recv;
    ULONG seq_send, seq_recv;
};

static inline void ntlm_rc4_init(struct ntlm_rc4 *r, const unsigned char *key, unsigned int len)
{
    unsigned int i, j = 0;
    unsigned char t;
    for (i = 0; i < 256; i++) r->s[i] = (unsigned char)i;
    for (i = 0; i < 256; i++)
    {
        j = (j + r->s[i] + key[i % len]) & 0xff;
        t = r->s[i]; r->s[i] = r->s[j]; r->s[j] = t;
    }
    r->i = r->j = 0;
}

static inline void ntlm_rc4(struct ntlm_rc4 *r, unsigned char *data, unsigned int len)
{
    unsigned int n;
    unsigned char t;
    for (n = 0; n < len; n++)
    {
        r->i++;
        r->j += r->s[r->i];
        t = r->s[r->i]; r->s[r->i] = r->s[r->j]; r->s[r->j] = t;
        data[n] ^= r->s[(unsigned char)(r->s[r->i] + r->s[r->j])];
    }
}

/* MD4 or MD5 over up to three pieces. */
static inline BOOL ntlm_digest(ALG_ID alg, const void *a, DWORD alen, const void *b, DWORD blen,
                               const void *c, DWORD clen, unsigned char out[16])
{
    HCRYPTPROV prov;
    HCRYPTHASH hash;
    DWORD len = 16;
    BOOL ret;

    if (!CryptAcquireContextW(&prov, NULL, NULL, PROV_RSA_FULL, CRYPT_VERIFYCONTEXT)) return FALSE;
    ret = CryptCreateHash(prov, alg, 0, 0, &hash);
    if (ret)
    {
        ret = (!alen || CryptHashData(hash, a, alen, 0)) && (!blen || CryptHashData(hash, b, blen, 0)) &&
              (!clen || CryptHashData(hash, c, clen, 0)) && CryptGetHashParam(hash, HP_HASHVAL, out, &len, 0);
        CryptDestroyHash(hash);
    }
    CryptReleaseContext(prov, 0);
    return ret;
}

static inline BOOL ntlm_hmac_md5(const unsigned char *key, DWORD key_len, const void *a, DWORD alen,
                                 const void *b, DWORD blen, unsigned char out[16])
{
    unsigned char k[64], pad[64], inner[16];
    DWORD i;

    memset(k, 0, sizeof(k));
    if (key_len > 64) { if (!ntlm_digest(CALG_MD5, key, key_len, NULL, 0, NULL, 0, k)) return FALSE; }
    else memcpy(k, key, key_len);

    for (i = 0; i < 64; i++) pad[i] = k[i] ^ 0x36;
    if (!ntlm_digest(CALG_MD5, pad, 64, a, alen, b, blen, inner)) return FALSE;
    for (i = 0; i < 64; i++) pad[i] = k[i] ^ 0x5c;
    return ntlm_digest(CALG_MD5, pad, 64, inner, 16, NULL, 0, out);
}

static inline void ntlm_put16(unsigned char *p, unsigned int v) { p[0] = v & 0xff; p[1] = (v >> 8) & 0xff; }
static inline void ntlm_put32(unsigned char *p, ULONG v)
{
    p[0] = v & 0xff; p[1] = (v >> 8) & 0xff; p[2] = (v >> 16) & 0xff; p[3] = (v >> 24) & 0xff;
}
static inline unsigned int ntlm_get16(const unsigned char *p) { return p[0] | p[1] << 8; }
static inline ULONG ntlm_get32(const unsigned char *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (ULONG)p[3] << 24;
}

static inline BOOL ntlm_is_message(const void *buf, ULONG len, ULONG type)
{
    return buf && len >= 12 && !memcmp(buf, "NTLMSSP", 8) && ntlm_get32((const unsigned char *)buf + 8) == type;
}

/* Appends an MS-NLMP AV pair holding `value` (UTF-16). */
static inline unsigned int ntlm_av_pair(unsigned char *p, unsigned int id, const WCHAR *value)
{
    unsigned int len = (unsigned int)wcslen(value) * 2;
    ntlm_put16(p, id);
    ntlm_put16(p + 2, len);
    memcpy(p + 4, value, len);
    return 4 + len;
}

/* Builds the CHALLENGE answering the client's NEGOTIATE into `out`
 * (at least 256 bytes); returns its size, 0 if `negotiate` is no NEGOTIATE. */
static inline ULONG ntlm_peer_challenge(struct ntlm_peer *peer, const void *negotiate, ULONG negotiate_len,
                                        unsigned char *out)
{
    static const WCHAR target[] = L"WORKGROUP";
    const ULONG offered = NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_REQUEST_TARGET | NTLMSSP_NEGOTIATE_SIGN |
                          NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_NTLM | NTLMSSP_NEGOTIATE_ALWAYS_SIGN |
                          NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_VERSION |
                          NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_KEY_EXCH | NTLMSSP_NEGOTIATE_56;
    ULONG flags, pos, info_start;
    unsigned int i;

    if (!ntlm_is_message(negotiate, negotiate_len, 1) || negotiate_len < 16) return 0;
    memset(peer, 0, sizeof(*peer));
    for (i = 0; i < 8; i++) peer->challenge[i] = (unsigned char)(0x11 * (i + 1) + GetTickCount());

    flags = (ntlm_get32((const unsigned char *)negotiate + 12) & offered) | NTLMSSP_NEGOTIATE_UNICODE |
            NTLMSSP_TARGET_TYPE_DOMAIN | NTLMSSP_NEGOTIATE_TARGET_INFO;

    memset(out, 0, 56);
    memcpy(out, "NTLMSSP", 8);
    ntlm_put32(out + 8, 2);
    ntlm_put32(out + 20, flags);
    memcpy(out + 24, peer->challenge, 8);
    out[48] = 6; out[49] = 1; ntlm_put16(out + 50, 7601); out[55] = 15;   /* version 6.1.7601, NTLM rev 15 */

    pos = 56;
    ntlm_put16(out + 12, sizeof(target) - 2);
    ntlm_put16(out + 14, sizeof(target) - 2);
    ntlm_put32(out + 16, pos);
    memcpy(out + pos, target, sizeof(target) - 2);
    pos += sizeof(target) - 2;

    info_start = pos;
    pos += ntlm_av_pair(out + pos, 2, L"WORKGROUP");   /* MsvAvNbDomainName */
    pos += ntlm_av_pair(out + pos, 1, L"PEER");        /* MsvAvNbComputerName */
    pos += ntlm_av_pair(out + pos, 4, L"workgroup");   /* MsvAvDnsDomainName */
    pos += ntlm_av_pair(out + pos, 3, L"peer");        /* MsvAvDnsComputerName */
    ntlm_put32(out + pos, 0);                          /* MsvAvEOL */
    pos += 4;
    ntlm_put16(out + 40, pos - info_start);
    ntlm_put16(out + 42, pos - info_start);
    ntlm_put32(out + 44, info_start);
    return pos;
}

/* A field of the AUTHENTICATE message, or NULL if it is out of bounds. */
static inline const unsigned char *ntlm_field(const unsigned char *msg, ULONG size, ULONG at, ULONG *len)
{
    ULONG l = ntlm_get16(msg + at), off = ntlm_get32(msg + at + 4);
    if (off > size || l > size - off) return NULL;
    *len = l;
    return msg + off;
}

static inline void ntlm_copy_name(WCHAR *dst, unsigned int max, const unsigned char *src, ULONG len)
{
    unsigned int i, n = len / 2 < max - 1 ? len / 2 : max - 1;
    for (i = 0; i < n; i++) dst[i] = (WCHAR)ntlm_get16(src + 2 * i);
    dst[n] = 0;
}

static inline void ntlm_subkey(const unsigned char *key, unsigned int key_len, const char *magic,
                               unsigned char out[16])
{
    ntlm_digest(CALG_MD5, key, key_len, magic, (DWORD)strlen(magic) + 1, NULL, 0, out);
}

/* Takes the client's AUTHENTICATE, made with `password`, and derives the
 * session. FALSE: not understood (malformed, or no extended session
 * security) - the caller skips message tests then. */
static inline BOOL ntlm_peer_authenticate(struct ntlm_peer *peer, const void *authenticate, ULONG size,
                                          const WCHAR *password)
{
    const unsigned char *msg = authenticate, *lm, *nt, *domain, *user, *enc_key = NULL;
    ULONG lm_len, nt_len, domain_len, user_len, enc_len = 0, key_len;
    unsigned char nt_hash[16], base_key[16], kek[16], seal_key[16], client_sign[16], server_sign[16];
    unsigned char client_seal[16], server_seal[16];
    WCHAR upper[64];

    if (!ntlm_is_message(authenticate, size, 3) || size < 64) return FALSE;
    if (!(lm = ntlm_field(msg, size, 12, &lm_len)) || !(nt = ntlm_field(msg, size, 20, &nt_len)) ||
        !(domain = ntlm_field(msg, size, 28, &domain_len)) || !(user = ntlm_field(msg, size, 36, &user_len)))
        return FALSE;
    peer->flags = ntlm_get32(msg + 60);
    if (peer->flags & NTLMSSP_NEGOTIATE_KEY_EXCH)
    {
        if (!(enc_key = ntlm_field(msg, size, 52, &enc_len)) || enc_len != 16) return FALSE;
    }
    if (!(peer->flags & NTLMSSP_NEGOTIATE_UNICODE)) return FALSE;
    ntlm_copy_name(peer->domain, 64, domain, domain_len);
    ntlm_copy_name(peer->user, 64, user, user_len);

    if (!ntlm_digest(CALG_MD4, password, (DWORD)wcslen(password) * 2, NULL, 0, NULL, 0, nt_hash)) return FALSE;

    if (nt_len > 24)
    {
        /* NTLMv2: NTOWFv2 = HMAC_MD5(MD4(password), UPPER(user) + domain) */
        unsigned char owf[16], proof[16];
        lstrcpynW(upper, peer->user, 64);
        CharUpperBuffW(upper, lstrlenW(upper));
        if (!ntlm_hmac_md5(nt_hash, 16, upper, lstrlenW(upper) * 2, peer->domain, lstrlenW(peer->domain) * 2, owf))
            return FALSE;
        ntlm_hmac_md5(owf, 16, peer->challenge, 8, nt + 16, nt_len - 16, proof);
        peer->proof_ok = !memcmp(proof, nt, 16);
        ntlm_hmac_md5(owf, 16, nt, 16, NULL, 0, base_key);
        memcpy(kek, base_key, 16);
        peer->ntlmv2 = TRUE;
    }
    else if (nt_len == 24 && lm_len >= 8 && (peer->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY))
    {
        /* NTLMv1 with extended session security (the response itself is not checked). */
        ntlm_digest(CALG_MD4, nt_hash, 16, NULL, 0, NULL, 0, base_key);
        ntlm_hmac_md5(base_key, 16, peer->challenge, 8, lm, 8, kek);
        peer->proof_ok = TRUE;
    }
    else return FALSE;

    if (!(peer->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)) return FALSE;

    memcpy(peer->session_key, kek, 16);
    if (enc_key)
    {
        struct ntlm_rc4 r;
        memcpy(peer->session_key, enc_key, 16);
        ntlm_rc4_init(&r, kek, 16);
        ntlm_rc4(&r, peer->session_key, 16);
    }

    key_len = peer->flags & NTLMSSP_NEGOTIATE_128 ? 16 : peer->flags & NTLMSSP_NEGOTIATE_56 ? 7 : 5;
    memcpy(seal_key, peer->session_key, 16);
    ntlm_subkey(peer->session_key, 16, "session key to client-to-server signing key magic constant", client_sign);
    ntlm_subkey(peer->session_key, 16, "session key to server-to-client signing key magic constant", server_sign);
    ntlm_subkey(seal_key, key_len, "session key to client-to-server sealing key magic constant", client_seal);
    ntlm_subkey(seal_key, key_len, "session key to server-to-client sealing key magic constant", server_seal);

    /* We are the server: we send with the server keys. */
    memcpy(peer->sign_send, server_sign, 16);
    memcpy(peer->sign_recv, client_sign, 16);
    ntlm_rc4_init(&peer->seal_send, server_seal, 16);
    ntlm_rc4_init(&peer->seal_recv, client_seal, 16);
    peer->seq_send = peer->seq_recv = 0;
    return TRUE;
}

/* The 16-byte signature of `data`; the checksum is encrypted with `rc4`
 * when keys were exchanged (after whatever `rc4` already processed). */
static inline void ntlm_peer_mac(const struct ntlm_peer *peer, const unsigned char *sign_key, struct ntlm_rc4 *rc4,
                                 ULONG seq, const void *data, ULONG len, unsigned char sig[16])
{
    unsigned char seq_le[4], digest[16];
    ntlm_put32(seq_le, seq);
    ntlm_hmac_md5(sign_key, 16, seq_le, 4, data, len, digest);
    if (peer->flags & NTLMSSP_NEGOTIATE_KEY_EXCH) ntlm_rc4(rc4, digest, 8);
    ntlm_put32(sig, 1);
    memcpy(sig + 4, digest, 8);
    memcpy(sig + 12, seq_le, 4);
}

static inline void ntlm_peer_sign(struct ntlm_peer *peer, const void *data, ULONG len, unsigned char sig[16])
{
    ntlm_peer_mac(peer, peer->sign_send, &peer->seal_send, peer->seq_send++, data, len, sig);
}

static inline BOOL ntlm_peer_verify(struct ntlm_peer *peer, const void *data, ULONG len, const unsigned char sig[16])
{
    unsigned char expect[16];
    ntlm_peer_mac(peer, peer->sign_recv, &peer->seal_recv, peer->seq_recv++, data, len, expect);
    return !memcmp(expect, sig, 16);
}

/* Encrypts `data` in place and signs the plaintext. */
static inline void ntlm_peer_seal(struct ntlm_peer *peer, unsigned char *data, ULONG len, unsigned char sig[16])
{
    unsigned char seq_le[4], digest[16];
    ntlm_put32(seq_le, peer->seq_send);
    ntlm_hmac_md5(peer->sign_send, 16, seq_le, 4, data, len, digest);
    ntlm_rc4(&peer->seal_send, data, len);
    if (peer->flags & NTLMSSP_NEGOTIATE_KEY_EXCH) ntlm_rc4(&peer->seal_send, digest, 8);
    ntlm_put32(sig, 1);
    memcpy(sig + 4, digest, 8);
    memcpy(sig + 12, seq_le, 4);
    peer->seq_send++;
}

/* Decrypts `data` in place and checks the signature of the plaintext. */
static inline BOOL ntlm_peer_unseal(struct ntlm_peer *peer, unsigned char *data, ULONG len,
                                    const unsigned char sig[16])
{
    unsigned char seq_le[4], digest[16];
    ntlm_put32(seq_le, peer->seq_recv++);
    ntlm_rc4(&peer->seal_recv, data, len);
    ntlm_hmac_md5(peer->sign_recv, 16, seq_le, 4, data, len, digest);
    if (peer->flags & NTLMSSP_NEGOTIATE_KEY_EXCH) ntlm_rc4(&peer->seal_recv, digest, 8);
    return ntlm_get32(sig) == 1 && !memcmp(sig + 4, digest, 8) && !memcmp(sig + 12, seq_le, 4);
}

#endif /* NTLM_PEER_H */
