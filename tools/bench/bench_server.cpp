/* The one peer every client column of `make bench` talks to: a native
 * GnuTLS server on 127.0.0.1, one thread per connection, speaking the
 * command protocol of bench_shared.h (send N verified messages, receive and
 * verify N messages, ping). Session tickets are on, so clients can resume;
 * the ping answer says whether the handshake was a resumption.
 *
 * A second port speaks plain TCP (read 16 bytes, answer one, until EOF):
 * connect + ping there is the transport's own cost per connection, which
 * the handshake rates contain too.
 *
 * usage: bench_server CERT.pem KEY.pem
 * Prints "port N plain M" once it accepts connections; runs until killed. */
#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

#include "bench_shared.h"

namespace {

/* AES-128-GCM only, so every column measures the same cipher; ECDHE-RSA for
 * TLS 1.2 (what NOTES §5's stock-Wine baseline used). */
const char *const priority =
    "NORMAL:-CIPHER-ALL:+AES-128-GCM:-KX-ALL:+ECDHE-RSA:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2";

gnutls_certificate_credentials_t creds;
gnutls_priority_t priority_cache;
gnutls_datum_t ticket_key;

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

/* One connection: handshake, then commands until the client goes away. */
void serve(int fd)
{
    gnutls_session_t s;
    if (gnutls_init(&s, GNUTLS_SERVER) < 0) {
        close(fd);
        return;
    }
    gnutls_priority_set(s, priority_cache);
    gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, creds);
    gnutls_session_ticket_enable_server(s, &ticket_key);
    gnutls_transport_set_int(s, fd);
    gnutls_handshake_set_timeout(s, 10000);
    int ret;
    do ret = gnutls_handshake(s); while (ret < 0 && !gnutls_error_is_fatal(ret));
    std::vector<unsigned char> message(16384);
    unsigned char cmd[BENCH_CMD_SIZE];
    while (ret == 0 && recv_exact(s, cmd, sizeof(cmd))) {
        uint32_t size = bench_get32(cmd + 4), count = bench_get32(cmd + 8), first = bench_get32(cmd + 12);
        if (size > message.size()) break;
        bool ok = true;
        if (cmd[0] == BENCH_CMD_SEND) {
            for (uint32_t i = 0; ok && i < count; i++) {
                bench_fill(message.data(), first + i, size);
                /* size <= 16384: exactly one record per message. */
                ok = send_all(s, message.data(), size);
            }
        } else if (cmd[0] == BENCH_CMD_RECV) {
            bool verified = true;
            for (uint32_t i = 0; ok && i < count; i++) {
                ok = recv_exact(s, message.data(), size);
                if (ok && !bench_check(message.data(), first + i, size)) verified = false;
            }
            unsigned char answer = verified ? 'Y' : 'N';
            ok = ok && send_all(s, &answer, 1);
        } else if (cmd[0] == BENCH_CMD_PING) {
            unsigned char answer = gnutls_session_is_resumed(s) ? 'R' : 'Y';
            ok = send_all(s, &answer, 1);
        } else {
            ok = false;
        }
        if (!ok) break;
    }
    gnutls_deinit(s);
    close(fd);
}

/* Plain TCP: 16 bytes in, one byte out, until the client closes. */
void serve_plain(int fd)
{
    unsigned char cmd[BENCH_CMD_SIZE];
    for (;;) {
        size_t got = 0;
        while (got < sizeof(cmd)) {
            ssize_t n = recv(fd, cmd + got, sizeof(cmd) - got, 0);
            if (n <= 0) {
                close(fd);
                return;
            }
            got += size_t(n);
        }
        unsigned char answer = 'Y';
        if (send(fd, &answer, 1, 0) != 1) break;
    }
    close(fd);
}

int listen_loopback(unsigned &port)
{
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (bind(listener, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) < 0 || listen(listener, 1024) < 0 ||
        getsockname(listener, reinterpret_cast<sockaddr *>(&addr), &len) < 0)
        return -1;
    port = ntohs(addr.sin_port);
    return listener;
}

void accept_loop(int listener, void (*serve_one)(int))
{
    int one = 1;
    for (;;) {
        int fd = accept(listener, nullptr, nullptr);
        if (fd < 0) continue;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        std::thread(serve_one, fd).detach();
    }
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_server CERT.pem KEY.pem\n");
        return 2;
    }
    gnutls_global_init();
    if (gnutls_certificate_allocate_credentials(&creds) < 0 ||
        gnutls_certificate_set_x509_key_file(creds, argv[1], argv[2], GNUTLS_X509_FMT_PEM) < 0 ||
        gnutls_priority_init(&priority_cache, priority, nullptr) < 0 ||
        gnutls_session_ticket_key_generate(&ticket_key) < 0) {
        fprintf(stderr, "bench_server: cannot load %s / %s\n", argv[1], argv[2]);
        return 1;
    }
    unsigned tls_port = 0, plain_port = 0;
    int tls_listener = listen_loopback(tls_port), plain_listener = listen_loopback(plain_port);
    if (tls_listener < 0 || plain_listener < 0) {
        perror("bench_server");
        return 1;
    }
    printf("port %u plain %u\n", tls_port, plain_port);
    fflush(stdout);
    std::thread(accept_loop, plain_listener, serve_plain).detach();
    accept_loop(tls_listener, serve);
}
