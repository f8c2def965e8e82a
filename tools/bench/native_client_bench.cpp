/* Column "native": a Linux program using GnuTLS directly as the client,
 * doing exactly what the Windows benchmark does through SSPI — the best a
 * native program gets with the same library, server and workload.
 *
 * Record throughput is timed on records already in memory (decrypt) or
 * written to memory (encrypt): the transport is switched from the socket to
 * a memory buffer around the timed loop, as the Windows program times only
 * DecryptMessage/EncryptMessage. Data is verified by the client (decrypt)
 * and by bench_server (encrypt).
 *
 * usage: native_client_bench PORT PLAIN_PORT CA.pem [PARTS]
 * PARTS as schannel_bench's: r records, h handshakes (default both).
 * Prints `result native.KEY VALUE UNIT` lines. */
#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bench_shared.h"

namespace {

using bench_clock = std::chrono::steady_clock;
double seconds_since(bench_clock::time_point t) { return std::chrono::duration<double>(bench_clock::now() - t).count(); }

int port, plain_port;
gnutls_certificate_credentials_t creds;

/* Socket or memory, switched around the timed loops. */
struct transport {
    int fd = -1;
    bool memory = false;
    const unsigned char *in = nullptr;
    size_t in_len = 0, in_pos = 0;
    std::vector<unsigned char> *out = nullptr;
};

ssize_t push(gnutls_transport_ptr_t ptr, const void *data, size_t size)
{
    auto *t = static_cast<transport *>(ptr);
    if (!t->memory) return send(t->fd, data, size, 0);
    auto *p = static_cast<const unsigned char *>(data);
    t->out->insert(t->out->end(), p, p + size);
    return ssize_t(size);
}

ssize_t pull(gnutls_transport_ptr_t ptr, void *data, size_t size)
{
    auto *t = static_cast<transport *>(ptr);
    if (!t->memory) return recv(t->fd, data, size, 0);
    size_t n = std::min(size, t->in_len - t->in_pos);
    if (!n) {
        errno = EAGAIN;
        return -1;
    }
    memcpy(data, t->in + t->in_pos, n);
    t->in_pos += n;
    return ssize_t(n);
}

int pull_timeout(gnutls_transport_ptr_t ptr, unsigned int ms)
{
    auto *t = static_cast<transport *>(ptr);
    if (t->memory) return t->in_pos < t->in_len ? 1 : 0;
    return gnutls_system_recv_timeout(reinterpret_cast<gnutls_transport_ptr_t>(intptr_t(t->fd)), ms);
}

struct connection {
    transport t;
    gnutls_session_t s = nullptr;
    ~connection()
    {
        if (s) gnutls_deinit(s);
        if (t.fd >= 0) close(t.fd);
    }
};

bool recv_exact(gnutls_session_t s, unsigned char *p, size_t n)
{
    while (n) {
        ssize_t r = gnutls_record_recv(s, p, n);
        if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED) continue;
        if (r <= 0) return false;
        p += r;
        n -= size_t(r);
    }
    return true;
}

bool send_all(gnutls_session_t s, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t r = gnutls_record_send(s, p, n);
        if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED) continue;
        if (r <= 0) return false;
        p += r;
        n -= size_t(r);
    }
    return true;
}

/* Connects and handshakes (certificate and host name verified, as our
 * Schannel does by default); `resume` is session data from an earlier
 * connection or empty. Then pings, so TLS 1.3 tickets arrive; `answer` gets
 * the server's ping answer ('R' when resumed). */
bool open_connection(connection &c, bool tls13, const gnutls_datum_t *resume, char *answer)
{
    c.t.fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(uint16_t(port));
    int one = 1;
    setsockopt(c.t.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(c.t.fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) < 0) return false;
    if (gnutls_init(&c.s, GNUTLS_CLIENT) < 0) return false;
    gnutls_priority_set_direct(c.s, tls13 ? "NORMAL:-VERS-ALL:+VERS-TLS1.3" : "NORMAL:-VERS-ALL:+VERS-TLS1.2",
                               nullptr);
    gnutls_credentials_set(c.s, GNUTLS_CRD_CERTIFICATE, creds);
    gnutls_server_name_set(c.s, GNUTLS_NAME_DNS, "localhost", 9);
    gnutls_session_set_verify_cert(c.s, "localhost", 0);
    if (resume && resume->size) gnutls_session_set_data(c.s, resume->data, resume->size);
    gnutls_transport_set_ptr(c.s, &c.t);
    gnutls_transport_set_push_function(c.s, push);
    gnutls_transport_set_pull_function(c.s, pull);
    gnutls_transport_set_pull_timeout_function(c.s, pull_timeout);
    int ret;
    do ret = gnutls_handshake(c.s); while (ret < 0 && !gnutls_error_is_fatal(ret));
    if (ret < 0) {
        fprintf(stderr, "native: handshake failed: %s\n", gnutls_strerror(ret));
        return false;
    }
    unsigned char cmd[BENCH_CMD_SIZE], reply = 0;
    bench_command(cmd, BENCH_CMD_PING, 0, 0, 0);
    if (!send_all(c.s, cmd, sizeof(cmd)) || !recv_exact(c.s, &reply, 1)) return false;
    if (answer) *answer = char(reply);
    return true;
}

const char *proto_key(bool tls13) { return tls13 ? "tls13" : "tls12"; }

/* Decrypt: the server sends a batch, we read it all from the socket, then
 * time gnutls_record_recv over it from memory. */
bool bench_decrypt(connection &c, bool tls13, unsigned size)
{
    uint32_t count = bench_batch_records(size), message = 0;
    std::vector<unsigned char> wire, plain(size_t(count) * size);
    double best = 1e30;
    for (int round = 0; round < BENCH_ROUNDS; round++) {
        double total;
        for (int batch = 0; batch < BENCH_BATCHES; batch++, message += count) {
            unsigned char cmd[BENCH_CMD_SIZE];
            bench_command(cmd, BENCH_CMD_SEND, size, count, message);
            if (!send_all(c.s, cmd, sizeof(cmd))) return false;
            wire.clear();
            size_t pos = 0, records = 0;
            unsigned char chunk[65536];
            while (records < count) {
                ssize_t n = recv(c.t.fd, chunk, sizeof(chunk), 0);
                if (n <= 0) return false;
                wire.insert(wire.end(), chunk, chunk + n);
                records += bench_count_records(wire.data(), wire.size(), &pos);
            }
            c.t.memory = true;
            c.t.in = wire.data();
            c.t.in_len = wire.size();
            c.t.in_pos = 0;
            auto start = bench_clock::now();
            bool ok = true;
            for (uint32_t i = 0; ok && i < count; i++)
                ok = gnutls_record_recv(c.s, plain.data() + size_t(i) * size, size) == ssize_t(size);
            total = seconds_since(start);
            if (total < best) best = total;
            c.t.memory = false;
            for (uint32_t i = 0; ok && i < count; i++) ok = bench_check(plain.data() + size_t(i) * size, message + i, size);
            if (!ok) {
                printf("na native.%s.dec.%u data not verified\n", proto_key(tls13), size);
                return false;
            }
        }
    }
    double calls = double(count);
    printf("result native.%s.dec.%u %.1f MB/s\n", proto_key(tls13), size, calls * size / best / 1e6);
    printf("result native.%s.dec_us.%u %.3f us\n", proto_key(tls13), size, best / calls * 1e6);
    return true;
}

/* Encrypt: time gnutls_record_send into memory, then send the batch for
 * the server to verify. */
bool bench_encrypt(connection &c, bool tls13, unsigned size)
{
    uint32_t count = bench_batch_records(size), message = 0;
    std::vector<unsigned char> wire, plain(size_t(count) * size);
    wire.reserve(size_t(count) * (size + 64));
    double best = 1e30;
    for (int round = 0; round < BENCH_ROUNDS; round++) {
        double total;
        for (int batch = 0; batch < BENCH_BATCHES; batch++, message += count) {
            for (uint32_t i = 0; i < count; i++) bench_fill(plain.data() + size_t(i) * size, message + i, size);
            unsigned char cmd[BENCH_CMD_SIZE], reply = 0;
            bench_command(cmd, BENCH_CMD_RECV, size, count, message);
            if (!send_all(c.s, cmd, sizeof(cmd))) return false;
            wire.clear();
            c.t.memory = true;
            c.t.out = &wire;
            auto start = bench_clock::now();
            bool ok = true;
            for (uint32_t i = 0; ok && i < count; i++)
                ok = gnutls_record_send(c.s, plain.data() + size_t(i) * size, size) == ssize_t(size);
            total = seconds_since(start);
            if (total < best) best = total;
            c.t.memory = false;
            for (size_t off = 0; ok && off < wire.size();) {
                ssize_t n = send(c.t.fd, wire.data() + off, wire.size() - off, 0);
                if (n <= 0) ok = false; else off += size_t(n);
            }
            if (!ok || !recv_exact(c.s, &reply, 1) || reply != 'Y') {
                printf("na native.%s.enc.%u server did not verify the data\n", proto_key(tls13), size);
                return false;
            }
        }
    }
    double calls = double(count);
    printf("result native.%s.enc.%u %.1f MB/s\n", proto_key(tls13), size, calls * size / best / 1e6);
    printf("result native.%s.enc_us.%u %.3f us\n", proto_key(tls13), size, best / calls * 1e6);
    return true;
}

/* Handshakes per second, best window: each is connect + handshake + ping +
 * close, as in the Windows program. */
bool bench_handshakes(bool tls13, bool resumed)
{
    gnutls_datum_t data{nullptr, 0};
    if (resumed) {
        connection first;
        if (!open_connection(first, tls13, nullptr, nullptr)) return false;
        gnutls_session_get_data2(first.s, &data);
    }
    double best = 0;
    bool all_resumed = true;
    for (int round = 0; round < BENCH_ROUNDS; round++) {
        auto start = bench_clock::now();
        int n = 0;
        double elapsed;
        do {
            connection c;
            char answer = 0;
            if (!open_connection(c, tls13, resumed ? &data : nullptr, &answer)) return false;
            if (resumed) {
                if (answer != 'R') all_resumed = false;
                gnutls_free(data.data);
                gnutls_session_get_data2(c.s, &data); /* the newest ticket */
            }
            n++;
        } while ((elapsed = seconds_since(start)) < BENCH_HANDSHAKE_WINDOW_MS / 1000.0);
        if (n / elapsed > best) best = n / elapsed;
    }
    gnutls_free(data.data);
    const char *kind = resumed ? "hs_resumed" : "hs_full";
    if (resumed && !all_resumed)
        printf("na native.%s.%s not resumed\n", proto_key(tls13), kind);
    else
        printf("result native.%s.%s %.1f /s\n", proto_key(tls13), kind, best);
    return true;
}

/* The transport alone: connect + 16 bytes out + 1 byte back + close on
 * bench_server's plain TCP port, per second (best window). */
void bench_tcp()
{
    double best = 0;
    for (int round = 0; round < BENCH_ROUNDS; round++) {
        auto start = bench_clock::now();
        int n = 0;
        double elapsed;
        do {
            int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
            sockaddr_in addr{};
            addr.sin_family = AF_INET;
            addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            addr.sin_port = htons(uint16_t(plain_port));
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
            unsigned char cmd[BENCH_CMD_SIZE] = {BENCH_CMD_PING}, answer = 0;
            bool ok = connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) == 0 &&
                      send(fd, cmd, sizeof(cmd), 0) == ssize_t(sizeof(cmd)) && recv(fd, &answer, 1, 0) == 1;
            close(fd);
            if (!ok) {
                printf("na native.tcp_ping transfer failed\n");
                return;
            }
            n++;
        } while ((elapsed = seconds_since(start)) < BENCH_HANDSHAKE_WINDOW_MS / 1000.0);
        if (n / elapsed > best) best = n / elapsed;
    }
    printf("result native.tcp_ping %.1f /s\n", best);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: native_client_bench PORT PLAIN_PORT CA.pem [PARTS]\n");
        return 2;
    }
    std::string parts = argc == 5 ? argv[4] : "rh";
    bool records = parts.find('r') != std::string::npos, handshakes = parts.find('h') != std::string::npos;
    port = atoi(argv[1]);
    plain_port = atoi(argv[2]);
    gnutls_global_init();
    gnutls_certificate_allocate_credentials(&creds);
    if (gnutls_certificate_set_x509_trust_file(creds, argv[3], GNUTLS_X509_FMT_PEM) <= 0) {
        fprintf(stderr, "native: cannot load %s\n", argv[3]);
        return 1;
    }
    int failures = 0;
    if (handshakes) bench_tcp();
    for (bool tls13 : {false, true}) {
        if (handshakes)
            for (bool resumed : {false, true})
                if (!bench_handshakes(tls13, resumed)) failures++;
        fflush(stdout);
        if (!records) continue;
        connection c;
        if (!open_connection(c, tls13, nullptr, nullptr)) {
            printf("na native.%s connection failed\n", proto_key(tls13));
            failures++;
            continue;
        }
        for (unsigned size : bench_message_sizes) {
            if (!bench_decrypt(c, tls13, size)) failures++;
            if (!bench_encrypt(c, tls13, size)) failures++;
            fflush(stdout);
        }
    }
    gnutls_certificate_free_credentials(creds);
    gnutls_global_deinit();
    return failures ? 1 : 0;
}
