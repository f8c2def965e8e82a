/* A hostile TLS server for tests/programs/tls_hostile_client.c: native,
 * GnuTLS plus raw socket writes. It serves one connection per scenario
 * named on the command line, each followed by one well-behaved connection
 * ("good": handshake, echo a line, close_notify), in the same order the
 * client makes them, so the client can check that every bad peer gets the
 * right SEC_E_* and that the process keeps working afterwards.
 *
 * usage: hostile_peer PORT_FILE SCENARIO...   (writes the port it listens
 * on, 127.0.0.1 only, to PORT_FILE; exits after the last connection)
 *
 * Scenarios (what the peer does):
 *   truncated_record        half an application record, then close
 *   oversized_record        a record header claiming 18433 bytes (> 2^14 + 2048)
 *   oversized_record_tls13  TLS 1.3: a record of 2^14 + 257 bytes (> 2^14 + 256)
 *   bad_mac                 an application record with its tag altered
 *   unexpected_alert        a fatal unexpected_message alert after the handshake
 *   alert_in_handshake      a plaintext fatal handshake_failure alert for a ServerHello
 *   renegotiate             TLS 1.2: HelloRequest, then application data
 *   downgrade_tls10         a raw TLS 1.0 ServerHello to a TLS 1.2-only client
 *   downgrade_sentinel      TLS 1.2 ServerHello carrying RFC 8446's downgrade
 *                           sentinel to a client that offered TLS 1.3
 *   invalid_certificate     a self-signed certificate (client validates)
 *   empty_records           TLS 1.3: 300 empty application records, then data
 *   close_mid_handshake     reads the ClientHello and closes
 *   garbage_handshake       an HTTP error page instead of a ServerHello
 *   oversized_handshake_record  a handshake record header claiming 65535 bytes
 *   good                    handshake, echo one line, close_notify */
#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

namespace {

void die(const char *what, int ret = 0)
{
    fprintf(stderr, "hostile_peer: %s%s%s\n", what, ret ? ": " : "", ret ? gnutls_strerror(ret) : "");
    exit(1);
}

/* The server identity: a self-signed ECDSA certificate for localhost. */
struct identity {
    gnutls_certificate_credentials_t creds = nullptr;
    identity()
    {
        gnutls_x509_privkey_t key;
        gnutls_x509_crt_t cert;
        if (gnutls_x509_privkey_init(&key) ||
            gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0))
            die("key generation");
        gnutls_x509_crt_init(&cert);
        time_t now = time(nullptr);
        unsigned char serial[] = {0x07};
        gnutls_x509_crt_set_version(cert, 3);
        gnutls_x509_crt_set_serial(cert, serial, sizeof(serial));
        gnutls_x509_crt_set_activation_time(cert, now - 3600);
        gnutls_x509_crt_set_expiration_time(cert, now + 86400);
        gnutls_x509_crt_set_dn(cert, "CN=localhost", nullptr);
        gnutls_x509_crt_set_subject_alt_name(cert, GNUTLS_SAN_DNSNAME, "localhost", 9, GNUTLS_FSAN_SET);
        gnutls_x509_crt_set_key(cert, key);
        if (gnutls_x509_crt_sign2(cert, cert, key, GNUTLS_DIG_SHA256, 0)) die("certificate signing");
        gnutls_certificate_allocate_credentials(&creds);
        if (gnutls_certificate_set_x509_key(creds, &cert, 1, key)) die("set key");
        gnutls_x509_crt_deinit(cert);
        gnutls_x509_privkey_deinit(key);
    }
    ~identity() { gnutls_certificate_free_credentials(creds); }
};

bool send_all(int fd, const void *data, size_t size)
{
    const auto *p = static_cast<const uint8_t *>(data);
    while (size) {
        ssize_t n = send(fd, p, size, MSG_NOSIGNAL);
        if (n <= 0) return false;
        p += n;
        size -= size_t(n);
    }
    return true;
}

/* Reads until the client closes (or the receive timeout): lets the client
 * see our last bytes before the connection goes. */
void drain_until_closed(int fd)
{
    char buf[4096];
    while (recv(fd, buf, sizeof(buf), 0) > 0) {
    }
}

/* One TLS server connection over a socket, with a hook on outgoing bytes. */
class connection {
public:
    connection(int fd, const identity &id, const char *priority) : fd_(fd)
    {
        gnutls_init(&session_, GNUTLS_SERVER);
        int ret = gnutls_priority_set_direct(session_, priority, nullptr);
        if (ret) die("priority", ret);
        gnutls_credentials_set(session_, GNUTLS_CRD_CERTIFICATE, id.creds);
        gnutls_transport_set_ptr(session_, this);
        gnutls_transport_set_push_function(session_, push);
        gnutls_transport_set_pull_function(session_, pull);
        gnutls_transport_set_pull_timeout_function(session_, pull_timeout);
        gnutls_handshake_set_timeout(session_, 0); /* the socket's SO_RCVTIMEO bounds every wait */
    }
    ~connection() { gnutls_deinit(session_); }

    gnutls_session_t session() const { return session_; }
    bool handshake()
    {
        int ret;
        do ret = gnutls_handshake(session_);
        while (ret < 0 && !gnutls_error_is_fatal(ret));
        if (ret < 0) fprintf(stderr, "hostile_peer: handshake: %s\n", gnutls_strerror(ret));
        return ret == 0;
    }
    /* The bytes of one record GnuTLS makes for `data`, captured, not sent. */
    std::vector<uint8_t> seal(const void *data, size_t size)
    {
        capture_ = true;
        captured_.clear();
        gnutls_record_send(session_, data, size);
        capture_ = false;
        return captured_;
    }
    /* Applied to the first outgoing chunk that starts with a ServerHello. */
    void (*mangle_server_hello)(uint8_t *record, size_t size) = nullptr;

private:
    static ssize_t push(gnutls_transport_ptr_t p, const void *data, size_t size)
    {
        auto *self = static_cast<connection *>(p);
        const auto *bytes = static_cast<const uint8_t *>(data);
        if (self->capture_) {
            self->captured_.insert(self->captured_.end(), bytes, bytes + size);
            return ssize_t(size);
        }
        if (self->mangle_server_hello && size > 43 && bytes[0] == 22 && bytes[5] == 2) {
            std::vector<uint8_t> copy(bytes, bytes + size);
            self->mangle_server_hello(copy.data(), copy.size());
            self->mangle_server_hello = nullptr;
            return send_all(self->fd_, copy.data(), copy.size()) ? ssize_t(size) : -1;
        }
        return send_all(self->fd_, data, size) ? ssize_t(size) : -1;
    }
    static ssize_t pull(gnutls_transport_ptr_t p, void *data, size_t size)
    {
        return recv(static_cast<connection *>(p)->fd_, data, size, 0);
    }
    static int pull_timeout(gnutls_transport_ptr_t p, unsigned int ms)
    {
        pollfd pfd{static_cast<connection *>(p)->fd_, POLLIN, 0};
        return poll(&pfd, 1, ms == GNUTLS_INDEFINITE_TIMEOUT ? 10000 : int(ms));
    }

    int fd_;
    gnutls_session_t session_ = nullptr;
    bool capture_ = false;
    std::vector<uint8_t> captured_;
};

const char *const any_tls = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2";
const char *const tls12_only = "NORMAL:-VERS-ALL:+VERS-TLS1.2";

/* Reads the ClientHello (whatever arrives first). */
void read_client_hello(int fd)
{
    char buf[4096];
    recv(fd, buf, sizeof(buf), 0);
}

void serve_good(int fd, const identity &id)
{
    connection c(fd, id, any_tls);
    if (!c.handshake()) return;
    char line[1024];
    ssize_t n;
    do n = gnutls_record_recv(c.session(), line, sizeof(line));
    while (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED);
    if (n > 0) gnutls_record_send(c.session(), line, size_t(n));
    gnutls_bye(c.session(), GNUTLS_SHUT_WR);
    drain_until_closed(fd);
}

void serve(const std::string &scenario, int fd, const identity &id)
{
    if (scenario == "good" || scenario == "invalid_certificate") return serve_good(fd, id);

    if (scenario == "close_mid_handshake") return read_client_hello(fd);
    if (scenario == "garbage_handshake") {
        read_client_hello(fd);
        const char page[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
        send_all(fd, page, sizeof(page) - 1);
        return drain_until_closed(fd);
    }
    if (scenario == "oversized_handshake_record") {
        read_client_hello(fd);
        const uint8_t header[] = {22, 3, 3, 0xff, 0xff, 2, 0, 0xff, 0xfb};
        send_all(fd, header, sizeof(header));
        return drain_until_closed(fd);
    }
    if (scenario == "alert_in_handshake") {
        read_client_hello(fd);
        const uint8_t alert[] = {21, 3, 3, 0, 2, 2, 40}; /* fatal handshake_failure */
        send_all(fd, alert, sizeof(alert));
        return drain_until_closed(fd);
    }
    if (scenario == "downgrade_tls10") {
        read_client_hello(fd);
        /* ServerHello, version TLS 1.0, TLS_RSA_WITH_AES_128_CBC_SHA. */
        std::vector<uint8_t> hello = {2, 0, 0, 38, 3, 1};
        for (int i = 0; i < 32; i++) hello.push_back(uint8_t(i * 37));
        hello.insert(hello.end(), {0, 0x00, 0x2f, 0});
        std::vector<uint8_t> record = {22, 3, 1, 0, uint8_t(hello.size())};
        record.insert(record.end(), hello.begin(), hello.end());
        send_all(fd, record.data(), record.size());
        return drain_until_closed(fd);
    }

    bool tls13 = scenario == "oversized_record_tls13" || scenario == "empty_records";
    connection c(fd, id, scenario == "renegotiate" || scenario == "downgrade_sentinel" ? tls12_only
                         : tls13                                                      ? "NORMAL:-VERS-ALL:+VERS-TLS1.3"
                                                                                      : any_tls);
    if (scenario == "downgrade_sentinel")
        c.mangle_server_hello = [](uint8_t *r, size_t) {
            /* RFC 8446 §4.1.3: the last 8 bytes of ServerHello.random of a
             * TLS 1.3 server negotiating TLS 1.2. */
            static const uint8_t sentinel[8] = {0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01};
            memcpy(r + 5 + 4 + 2 + 24, sentinel, 8);
        };
    if (!c.handshake()) return drain_until_closed(fd);

    if (scenario == "truncated_record") {
        std::vector<uint8_t> rec = c.seal("truncated\n", 10);
        send_all(fd, rec.data(), rec.size() / 2);
        return; /* close with half a record sent */
    }
    if (scenario == "oversized_record") {
        std::vector<uint8_t> rec(5 + 100, 0);
        rec[0] = 23, rec[1] = 3, rec[2] = 3, rec[3] = 0x48, rec[4] = 0x01; /* 18433 */
        send_all(fd, rec.data(), rec.size());
        return drain_until_closed(fd);
    }
    if (scenario == "oversized_record_tls13") {
        std::vector<uint8_t> rec(5 + 16384 + 257, 0x5a);
        rec[0] = 23, rec[1] = 3, rec[2] = 3, rec[3] = uint8_t((16384 + 257) >> 8), rec[4] = uint8_t(16384 + 257);
        send_all(fd, rec.data(), rec.size());
        return drain_until_closed(fd);
    }
    if (scenario == "bad_mac") {
        std::vector<uint8_t> rec = c.seal("bad mac\n", 8);
        rec.back() ^= 0x01;
        send_all(fd, rec.data(), rec.size());
        return drain_until_closed(fd);
    }
    if (scenario == "unexpected_alert") {
        gnutls_alert_send(c.session(), GNUTLS_AL_FATAL, GNUTLS_A_UNEXPECTED_MESSAGE);
        return drain_until_closed(fd);
    }
    if (scenario == "renegotiate") {
        gnutls_rehandshake(c.session());
        gnutls_record_send(c.session(), "after renegotiation\n", 20);
        gnutls_bye(c.session(), GNUTLS_SHUT_WR);
        return drain_until_closed(fd);
    }
    if (scenario == "empty_records") {
        /* TLS 1.3: a record with no content, only padding, is an empty
         * application_data record (RFC 8446 §5.4). */
        for (int i = 0; i < 300; i++)
            if (gnutls_record_send2(c.session(), "", 0, 1, 0) < 0) die("GnuTLS made no empty record");
        gnutls_record_send(c.session(), "after empty records\n", 20);
        gnutls_bye(c.session(), GNUTLS_SHUT_WR);
        return drain_until_closed(fd);
    }
    if (scenario == "downgrade_sentinel") return drain_until_closed(fd);
    die(("unknown scenario " + scenario).c_str());
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: hostile_peer PORT_FILE SCENARIO...\n");
        return 2;
    }
    gnutls_global_init();
    identity id;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) || listen(listener, 8)) die("bind/listen");
    socklen_t len = sizeof(addr);
    getsockname(listener, reinterpret_cast<sockaddr *>(&addr), &len);
    FILE *f = fopen(argv[1], "w");
    if (!f) die("cannot write the port file");
    fprintf(f, "%d\n", ntohs(addr.sin_port));
    fclose(f);

    for (int i = 2; i < argc; i++) {
        for (const std::string &scenario : {std::string(argv[i]), std::string("good")}) {
            int fd = accept(listener, nullptr, nullptr);
            if (fd < 0) die("accept");
            timeval tv{10, 0}; /* a stuck client cannot hang the peer */
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
            fprintf(stderr, "hostile_peer: connection %d: %s\n", i - 1, scenario.c_str());
            serve(scenario, fd, id);
            close(fd);
        }
    }
    close(listener);
    gnutls_global_deinit();
    return 0;
}
