/* The whole contract between the PE module and its Unix side (secur32.so).
 *
 * Plain C, fixed-width fields only: every pointer crosses as a uint64_t and
 * every struct has the same layout for 32- and 64-bit PE callers, so the
 * wow64 table can share the 64-bit entry points (no thunks needed; the
 * static asserts below and in unixlib_tables.cpp keep it that way).
 *
 * Unix-side objects (GnuTLS credentials and sessions) are opaque 64-bit
 * handles. Each call is `NTSTATUS fn(void *params)`; it returns 0
 * (STATUS_SUCCESS) when the call itself ran, and reports the TLS outcome in
 * the params' `result` field as one of the tls_result codes. */
#ifndef WINE_SECUR32_UNIXLIB_CALLS_H
#define WINE_SECUR32_UNIXLIB_CALLS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint64_t unix_handle; /* an object owned by the Unix side; 0 = none */
typedef uint64_t pe_ptr;      /* a PE-side address, zero-extended */

enum unix_call_id {
    unix_process_attach,        /* global GnuTLS init; params: process_attach_params */
    unix_credentials_create,
    unix_credentials_free,
    unix_session_create,
    unix_session_free,
    unix_session_handshake,
    unix_session_connection_info,
    unix_session_peer_certificates,
    unix_session_encrypt,
    unix_session_decrypt,
    unix_session_shutdown,
    unix_session_set_alpn,
    unix_session_details,
    unix_session_forget,
    unix_session_signature,
    unix_session_export_keying_material,
    unix_credentials_algorithms,
    unix_dtls_cookie,
    unix_session_set_mtu,
    unix_session_client_certificate,
    unix_session_certificate_request,
    unix_session_renegotiate,
    unix_call_count
};

/* Outcomes the record and handshake layers report; the PE side maps them
 * to SECURITY_STATUS in one place (schannel_status.cpp). */
enum tls_result {
    tls_ok = 0,                 /* done (handshake complete / record processed) */
    tls_continue = 1,           /* handshake: send output, then feed more input */
    tls_incomplete = 2,         /* need more input; `missing` says how much at least */
    tls_closed = 3,             /* peer sent close_notify */
    tls_renegotiate = 4,        /* post-handshake handshake message (ticket, KeyUpdate, HelloRequest,
                                 * TLS 1.3 CertificateRequest), or decrypt during a renegotiation:
                                 * a handshake record left unconsumed for the handshake call */
    tls_buffer_too_small = 5,   /* output capacity cannot hold what must be written */
    tls_need_signature = 6,     /* handshake: sign session_signature's request with the
                                 * credential's key (held by its provider), then call again */
    tls_retransmitted = 7,      /* DTLS decrypt: the peer repeated its last handshake flight;
                                 * ours went out again and waits in the handshake queue */
    tls_replayed = 8,           /* DTLS decrypt: a record already received (or left of the
                                 * replay window) was dropped; the session goes on */
    tls_discarded = 9,          /* DTLS decrypt: a record that failed authentication was
                                 * dropped (RFC 6347 4.1.2.7); the session goes on */
    tls_need_credentials = 10,   /* client handshake: the server asked for a certificate and the
                                 * credential has none; session_client_certificate says what to
                                 * send, then call again */
    tls_no_renegotiation = 11,  /* the peer cannot or will not renegotiate (no secure renegotiation,
                                 * no TLS 1.3 post_handshake_auth, or its no_renegotiation alert);
                                 * the connection goes on as it was */
    tls_error = 100,            /* fatal; `error` holds the GnuTLS error code, `alert` any alert */
};

/* Protocol bits, the SP_PROT_* client|server pairs folded into one bit per
 * version so the Unix side needs no Windows headers. */
enum tls_protocol_bits {
    tls_proto_tls1_0 = 1u << 0,
    tls_proto_tls1_1 = 1u << 1,
    tls_proto_tls1_2 = 1u << 2,
    tls_proto_tls1_3 = 1u << 3,
    tls_proto_dtls1_0 = 1u << 4,
    tls_proto_dtls1_2 = 1u << 5,
};
#define TLS_PROTO_STREAM_MASK (tls_proto_tls1_0 | tls_proto_tls1_1 | tls_proto_tls1_2 | tls_proto_tls1_3)
#define TLS_PROTO_DATAGRAM_MASK (tls_proto_dtls1_0 | tls_proto_dtls1_2)

/* Negotiated algorithms, named without GnuTLS or Windows numbers; the
 * Unix side maps from GnuTLS, the PE side to CALG_* / names. */
enum tls_cipher_id {
    tls_cipher_unknown, tls_cipher_aes_128_gcm, tls_cipher_aes_256_gcm, tls_cipher_aes_128_cbc,
    tls_cipher_aes_256_cbc, tls_cipher_chacha20_poly1305, tls_cipher_aes_128_ccm, tls_cipher_aes_256_ccm,
    tls_cipher_3des_cbc,
};
enum tls_hash_id { tls_hash_unknown, tls_hash_aead, tls_hash_sha1, tls_hash_sha256, tls_hash_sha384 };
enum tls_exchange_id { tls_exchange_unknown, tls_exchange_rsa, tls_exchange_dhe, tls_exchange_ecdhe };

struct process_attach_params {
    pe_ptr keylog_path;             /* UTF-8 Unix path of SSLKEYLOGFILE, or 0 */
    uint32_t keylog_path_size;
    uint32_t gnutls_version_number; /* out: GNUTLS_VERSION_NUMBER of the loaded library */
};

/* Algorithms a credential must not negotiate (caller policy: cipher
 * strengths, palgSupportedAlgs, SCH_USE_STRONG_CRYPTO, CRYPTO_SETTINGS). */
enum tls_algorithm_bits {
    tls_alg_aes_128_gcm = 1u << 0,
    tls_alg_aes_256_gcm = 1u << 1,
    tls_alg_aes_128_cbc = 1u << 2,
    tls_alg_aes_256_cbc = 1u << 3,
    tls_alg_aes_128_ccm = 1u << 4,
    tls_alg_aes_256_ccm = 1u << 5,
    tls_alg_chacha20_poly1305 = 1u << 6,
    tls_alg_3des_cbc = 1u << 7,
    tls_alg_kx_rsa = 1u << 8,
    tls_alg_kx_dhe = 1u << 9,
    tls_alg_kx_ecdhe = 1u << 10,
    tls_alg_mac_sha1 = 1u << 11,
    tls_alg_mac_sha256 = 1u << 12,
    tls_alg_mac_sha384 = 1u << 13,
};

/* A certificate's private key as it crosses to the Unix side: a
 * tls_key_header, then the key's numbers, each as [uint32 length][bytes,
 * big-endian unsigned], in this order:
 *   tls_key_rsa:   modulus, public exponent, private exponent, prime1 (p),
 *                  prime2 (q), exponent1, exponent2, coefficient (q^-1 mod p)
 *   tls_key_ecdsa: x, y, private value d (curve in the header) */
enum tls_key_type {
    tls_key_rsa = 1,
    tls_key_ecdsa = 2,
    /* An RSA key the PE side signs with (a non-exportable key, through its
     * provider): the header alone; the public key is the leaf's. Sessions
     * of such a credential ask for each signature (tls_need_signature). */
    tls_key_external_rsa = 3,
};
enum tls_curve_id { tls_curve_none = 0, tls_curve_p256 = 1, tls_curve_p384 = 2, tls_curve_p521 = 3 };
struct tls_key_header {
    uint32_t type;              /* tls_key_type */
    uint32_t curve;             /* tls_curve_id, for tls_key_ecdsa */
};

/* The certificate chain of a credential (leaf first) uses the layout of
 * session_peer_certificates: [uint32 length][DER bytes]... */
struct credentials_create_params {
    uint32_t protocols;         /* tls_protocol_bits enabled */
    uint32_t is_server;
    unix_handle credentials;    /* out */
    uint32_t disabled_algorithms; /* tls_algorithm_bits */
    int32_t error;              /* out: GnuTLS error on failure */
    pe_ptr certificate_chain;   /* 0 = no certificate (a client without one) */
    uint32_t certificate_chain_size;
    uint32_t private_key_size;
    pe_ptr private_key;         /* tls_key_header + numbers; with certificate_chain */
    uint32_t flags;             /* credentials_flags */
    uint32_t reserved;
};

enum credentials_flags {
    /* A server credential that never resumes sessions (no tickets, no
     * session cache): SCH_CRED_DISABLE_RECONNECTS. */
    credentials_flag_no_reconnects = 1u << 0,
};

struct credentials_free_params {
    unix_handle credentials;
};

/* The algorithms the credential's GnuTLS priority can negotiate
 * (QueryCredentialsAttributes SUPPORTED_ALGS / CIPHER_STRENGTHS). */
struct credentials_algorithms_params {
    unix_handle credentials;
    uint32_t enabled;           /* out: tls_algorithm_bits */
    uint32_t reserved;
};

/* session_create flags */
enum session_flags {
    /* Neither resume from nor add to the credential's session cache:
     * SCHANNEL_SESSION with SSL_SESSION_DISABLE_RECONNECTS, or a caller
     * that cannot send a final client flight (see schannel_handshake.cpp). */
    session_flag_no_resume = 1u << 0,
    /* Servers: ask the client for a certificate (ASC_REQ_MUTUAL_AUTH); the
     * PE side validates what arrives. */
    session_flag_request_client_certificate = 1u << 1,
    /* DTLS over datagrams (ISC_REQ_DATAGRAM / ASC_REQ_DATAGRAM): each
     * handshake input is one datagram, each output one datagram of at most
     * `mtu` bytes. */
    session_flag_datagram = 1u << 2,
    /* Clients whose credential has no certificate: when the server asks
     * for one, pause (tls_need_credentials) instead of sending none, so the
     * caller can supply one (SEC_I_INCOMPLETE_CREDENTIALS). */
    session_flag_pause_for_certificate = 1u << 3,
};

struct session_create_params {
    unix_handle credentials;
    pe_ptr server_name;         /* UTF-8 host for SNI and the session cache key, or 0 */
    uint32_t server_name_size;
    uint32_t is_server;
    unix_handle session;        /* out */
    int32_t error;              /* out: GnuTLS error on failure */
    uint32_t flags;             /* session_flags */
    uint32_t mtu;               /* datagram: path MTU (DTLS record + payload bytes per datagram) */
    uint32_t prestate_valid;    /* datagram server: the ClientHello's cookie was verified */
    uint32_t prestate[3];       /* from dtls_cookie: record, handshake read, handshake write sequence */
    uint32_t reserved;
};

/* A DTLS server's stateless cookie exchange (RFC 6347 4.2.1), before any
 * session exists: checks the cookie in `datagram` (a ClientHello) against
 * `client_data` (the client's transport address). tls_ok: verified,
 * `prestate` goes to session_create; tls_continue: `output` holds the
 * HelloVerifyRequest datagram to send; tls_error: not a usable ClientHello. */
struct dtls_cookie_params {
    unix_handle credentials;
    pe_ptr client_data;
    pe_ptr datagram;
    pe_ptr output;
    uint32_t client_data_size;
    uint32_t datagram_size;
    uint32_t output_capacity;
    uint32_t output_size;       /* out */
    int32_t result;             /* out */
    uint32_t prestate[3];       /* out, with tls_ok */
};

/* The path MTU of a datagram session; `data_mtu` returns the largest
 * plaintext one record (one datagram) can then carry. */
struct session_set_mtu_params {
    unix_handle session;
    uint32_t mtu;
    uint32_t data_mtu;          /* out */
};

struct session_free_params {
    unix_handle session;
};

/* One handshake step. Input holds bytes from the peer; the Unix side takes
 * only whole TLS records from it and says how many bytes it consumed.
 * Output bytes for the peer are copied into `output` up to its capacity;
 * whatever did not fit stays queued (`output_pending`) and is returned by
 * the next call, which may pass no input.
 * Datagram sessions: the input is one whole datagram; each call returns at
 * most one datagram (records packed up to the MTU) and leaves the rest of
 * the flight queued. A call with no input and nothing queued during the
 * handshake means the caller's retransmission timer fired: the last
 * flight is sent again (new record sequence numbers) if one is pending. */
struct session_handshake_params {
    unix_handle session;
    pe_ptr input;
    uint32_t input_size;
    uint32_t input_consumed;    /* out */
    pe_ptr output;
    uint32_t output_capacity;
    uint32_t output_size;       /* out */
    uint32_t output_pending;    /* out: bytes still queued after this call */
    uint32_t missing;           /* out: with tls_incomplete, lower bound of bytes missing */
    int32_t result;             /* out: tls_result */
    int32_t error;              /* out: GnuTLS error code with tls_error */
    uint32_t alert;             /* out: TLS alert received or sent, with tls_error; 0 if none */
    uint32_t renegotiation;     /* out: tls_renegotiation_state after this call (established sessions) */
};

/* Where a renegotiation of an established session stands (TLS 1.2: a new
 * handshake after HelloRequest; TLS 1.3: post-handshake client
 * authentication, RFC 8446 §4.6.2). */
enum tls_renegotiation_state {
    tls_renegotiation_none = 0,     /* none running */
    tls_renegotiation_running = 1,  /* in progress: handshake calls go on with the peer's records */
    tls_renegotiation_finished = 2, /* this call completed one: the session's parameters and the peer's
                                     * certificate may have changed */
};

/* The negotiated parameters, all as IANA / GnuTLS numbers. */
struct session_connection_info_params {
    unix_handle session;
    uint32_t protocol;          /* out: tls_protocol_bits of the negotiated version */
    uint32_t cipher_suite;      /* out: IANA cipher suite id, e.g. 0xC02F */
    uint32_t cipher;            /* out: tls_cipher_id */
    uint32_t hash;              /* out: tls_hash_id (record MAC; tls_hash_aead for AEAD suites) */
    uint32_t exchange;          /* out: tls_exchange_id */
    uint32_t cipher_key_bits;   /* out */
    uint32_t mac_key_bits;      /* out */
    uint32_t kx_bits;           /* out: DH/ECDH group strength or RSA modulus bits */
    uint32_t header_size;       /* out: STREAM_SIZES cbHeader */
    uint32_t trailer_size;      /* out: STREAM_SIZES cbTrailer (maximum) */
    uint32_t max_message;       /* out: STREAM_SIZES cbMaximumMessage */
    uint32_t session_resumed;   /* out: 1 if this handshake resumed a session */
    uint32_t block_size;        /* out: cipher block size in bytes (1 for stream/AEAD-only) */
    uint32_t reserved;
    char cipher_suite_name[64]; /* out: IANA name, NUL-terminated */
};

/* Copies the peer's certificate chain (leaf first) as
 * [uint32 length][DER bytes]... into `buffer`; with too small a buffer,
 * `size_needed` says how much to pass next time. */
struct session_peer_certificates_params {
    unix_handle session;
    pe_ptr buffer;
    uint32_t capacity;
    uint32_t size_needed;       /* out */
    uint32_t count;             /* out: number of certificates */
    int32_t result;             /* out: tls_ok, tls_buffer_too_small or tls_error */
};

/* Encrypts `data` in place into one record: the record header goes to
 * `header`, the ciphertext over `data`, the rest (tag, inner type,
 * padding) to `trailer`. Sizes actually used are returned. */
struct session_encrypt_params {
    unix_handle session;
    pe_ptr header;
    uint32_t header_capacity;
    uint32_t header_size;       /* out */
    pe_ptr data;
    uint32_t data_size;
    uint32_t trailer_capacity;
    pe_ptr trailer;
    uint32_t trailer_size;      /* out */
    int32_t result;             /* out */
    int32_t error;              /* out */
    uint32_t flags;             /* encrypt_flags */
};

enum encrypt_flags {
    /* `data` holds a two-byte alert (level, description) to send instead
     * of application data (EncryptMessage with SECQOP_WRAP_OOB_DATA). */
    encrypt_flag_alert = 1u << 0,
};

/* Decrypts the first record of `buffer` in place. On tls_ok the plaintext
 * is at buffer + data_offset (data_size bytes) and the record occupied
 * `consumed` bytes; bytes after it belong to later records. While a
 * renegotiation runs, a record of it gives tls_renegotiate with `consumed`
 * 0: the caller hands it (and what follows) to the handshake call. */
struct session_decrypt_params {
    unix_handle session;
    pe_ptr buffer;
    uint32_t size;
    uint32_t consumed;          /* out */
    uint32_t data_offset;       /* out */
    uint32_t data_size;         /* out */
    uint32_t missing;           /* out, with tls_incomplete */
    int32_t result;             /* out */
    int32_t error;              /* out */
    uint32_t alert;             /* out: alert received with tls_error / tls_closed */
};

/* ALPN protocols to offer, in the TLS wire format of RFC 7301 §3.1's
 * ProtocolNameList body: each name preceded by its 8-bit length. */
struct session_set_alpn_params {
    unix_handle session;
    pe_ptr list;
    uint32_t size;
    int32_t error;              /* out: GnuTLS error, 0 on success */
};

/* Details of the established session beyond connection_info. */
struct session_details_params {
    unix_handle session;
    uint32_t session_id_size;   /* out */
    uint32_t alpn_size;         /* out: 0 when no protocol was negotiated */
    uint8_t session_id[32];     /* out */
    uint8_t alpn[256];          /* out: the selected ALPN protocol, not NUL-terminated */
    uint32_t tls_unique_size;   /* out: 0 where RFC 5929 tls-unique is undefined (TLS 1.3) */
    uint32_t reserved;
    uint8_t tls_unique[64];     /* out: the first Finished message of the connection */
};

/* Signatures by a tls_key_external_rsa key. With `signature` 0, copies
 * the pending request (the digest to sign, in `buffer`) and names its hash;
 * otherwise hands the PE side's signature (big-endian, `signature_size`
 * bytes; 0 bytes = signing failed) to the paused handshake, which the next
 * session_handshake call (same input) continues. */
enum tls_signature_hash {
    tls_signature_md5_sha1 = 1,   /* TLS 1.0/1.1: raw 36 bytes, PKCS#1 v1.5 without DigestInfo */
    tls_signature_sha1 = 2,
    tls_signature_sha256 = 3,
    tls_signature_sha384 = 4,
    tls_signature_sha512 = 5,
};
struct session_signature_params {
    unix_handle session;
    pe_ptr buffer;              /* out: the digest */
    uint32_t capacity;
    uint32_t size;              /* out: digest size */
    uint32_t hash;              /* out: tls_signature_hash */
    int32_t result;             /* out: tls_ok, or tls_error when no request is pending */
    pe_ptr signature;           /* in */
    uint32_t signature_size;
    uint32_t reserved;
};

/* RFC 5705 keying material of the established session (TLS 1.2: the PRF
 * over the master secret; TLS 1.3: HKDF over the exporter secret), as
 * SECPKG_ATTR_KEYING_MATERIAL returns it. `context` 0 = no context (which
 * RFC 5705 distinguishes from an empty one); `label` without a NUL. */
struct session_export_keying_material_params {
    unix_handle session;
    pe_ptr label;
    uint32_t label_size;
    uint32_t context_size;
    pe_ptr context;
    pe_ptr output;
    uint32_t output_size;
    int32_t result;             /* out: tls_ok or tls_error */
    int32_t error;              /* out: GnuTLS error with tls_error */
    uint32_t reserved;
};

/* Answers tls_need_credentials: `credentials` (a client credential with a
 * certificate, which must outlive the session) or 0 for none (an empty
 * Certificate message). The next session_handshake call continues.
 * result: tls_ok, or tls_error when the handshake is not waiting or the
 * credential holds no certificate. */
struct session_client_certificate_params {
    unix_handle session;
    unix_handle credentials;
    int32_t result;             /* out */
    uint32_t reserved;
};

/* What the server's CertificateRequest asked for (clients), and the
 * signature algorithms this side's priorities allow (both directions).
 * Issuers (distinguished names, DER) are copied to `buffer` as
 * [uint32 length][DER]...; with too small a buffer, `size_needed` says how
 * much to pass next time and result is tls_buffer_too_small. */
struct session_certificate_request_params {
    unix_handle session;
    pe_ptr buffer;              /* out: issuer names */
    uint32_t capacity;
    uint32_t size_needed;       /* out */
    uint32_t issuer_count;      /* out */
    uint32_t requested;         /* out: 1 once a CertificateRequest arrived */
    int32_t result;             /* out */
    uint32_t signature_count;   /* out: entries used in `signatures` */
    /* out: TLS 1.2 SignatureAndHashAlgorithm pairs we accept, as
     * SecPkgContext_SupportedSignatures has them: signature << 8 | hash. */
    uint16_t signatures[32];
};

/* A server asks the client for a certificate on an established session:
 * TLS 1.2 HelloRequest (the new handshake then carries a
 * CertificateRequest), TLS 1.3 a post-handshake CertificateRequest. The
 * message waits in the handshake queue (session_handshake without input
 * returns it). result: tls_ok, tls_no_renegotiation (the client cannot:
 * no RFC 5746 secure renegotiation, no post_handshake_auth extension, or a
 * DTLS session) or tls_error. */
struct session_renegotiate_params {
    unix_handle session;
    int32_t result;             /* out */
    int32_t error;              /* out: GnuTLS error with tls_error */
};

/* Removes this session from its credential's cache and keeps it out. */
struct session_forget_params {
    unix_handle session;
};

/* Queues close_notify (or another alert) for the next handshake call. */
struct session_shutdown_params {
    unix_handle session;
    uint32_t alert;             /* 0 = close_notify */
    uint32_t fatal;
};

#ifdef __cplusplus
}
#endif

/* The same layout on every side: i686 PE, x86_64 PE, x86_64 Unix. Sizes
 * are spelled out so an accidental padding difference fails the build. */
#ifdef __cplusplus
#define UNIXLIB_LAYOUT_CHECK(type, size) static_assert(sizeof(struct type) == (size), #type " layout")
#else
#define UNIXLIB_LAYOUT_CHECK(type, size) _Static_assert(sizeof(struct type) == (size), #type " layout")
#endif
UNIXLIB_LAYOUT_CHECK(process_attach_params, 16);
UNIXLIB_LAYOUT_CHECK(credentials_create_params, 56);
UNIXLIB_LAYOUT_CHECK(tls_key_header, 8);
UNIXLIB_LAYOUT_CHECK(credentials_free_params, 8);
UNIXLIB_LAYOUT_CHECK(session_create_params, 64);
UNIXLIB_LAYOUT_CHECK(dtls_cookie_params, 64);
UNIXLIB_LAYOUT_CHECK(session_set_mtu_params, 16);
UNIXLIB_LAYOUT_CHECK(session_free_params, 8);
UNIXLIB_LAYOUT_CHECK(session_handshake_params, 64);
UNIXLIB_LAYOUT_CHECK(session_connection_info_params, 128);
UNIXLIB_LAYOUT_CHECK(session_peer_certificates_params, 32);
UNIXLIB_LAYOUT_CHECK(session_encrypt_params, 64);
UNIXLIB_LAYOUT_CHECK(session_decrypt_params, 48);
UNIXLIB_LAYOUT_CHECK(session_shutdown_params, 16);
UNIXLIB_LAYOUT_CHECK(session_set_alpn_params, 24);
UNIXLIB_LAYOUT_CHECK(session_details_params, 376);
UNIXLIB_LAYOUT_CHECK(session_forget_params, 8);
UNIXLIB_LAYOUT_CHECK(session_signature_params, 48);
UNIXLIB_LAYOUT_CHECK(session_export_keying_material_params, 56);
UNIXLIB_LAYOUT_CHECK(credentials_algorithms_params, 16);
UNIXLIB_LAYOUT_CHECK(session_client_certificate_params, 24);
UNIXLIB_LAYOUT_CHECK(session_certificate_request_params, 104);
UNIXLIB_LAYOUT_CHECK(session_renegotiate_params, 16);

#endif
