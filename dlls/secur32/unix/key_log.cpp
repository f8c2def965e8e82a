#include "key_log.h"

#include <fcntl.h>
#include <mutex>
#include <unistd.h>

namespace secur32::unix_side {

namespace {

std::mutex key_log_lock;
int key_log_fd = -1;

void append_hex(std::string &out, const unsigned char *data, size_t size)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < size; i++) {
        out += digits[data[i] >> 4];
        out += digits[data[i] & 15];
    }
}

/* GnuTLS hands us each secret with the NSS label (CLIENT_RANDOM,
 * CLIENT_HANDSHAKE_TRAFFIC_SECRET, ...); the line is keyed by the client
 * random, as the format requires. */
int write_secret(gnutls_session_t session, const char *label, const gnutls_datum_t *secret)
{
    gnutls_datum_t client_random, server_random;
    gnutls_session_get_random(session, &client_random, &server_random);
    std::string line(label);
    line += ' ';
    append_hex(line, client_random.data, client_random.size);
    line += ' ';
    append_hex(line, secret->data, secret->size);
    line += '\n';
    std::lock_guard<std::mutex> guard(key_log_lock);
    /* One write per line, on an O_APPEND descriptor: lines from several
     * processes sharing the file do not interleave. */
    if (key_log_fd >= 0 && write(key_log_fd, line.data(), line.size()) < 0) { /* nothing useful to do */ }
    return 0;
}

} // namespace

bool key_log_open(const std::string &path)
{
    std::lock_guard<std::mutex> guard(key_log_lock);
    if (key_log_fd >= 0) close(key_log_fd);
    key_log_fd = -1;
    if (path.empty()) return true;
    key_log_fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    return key_log_fd >= 0;
}

void key_log_attach(gnutls_session_t session)
{
    std::lock_guard<std::mutex> guard(key_log_lock);
    /* Without an explicit file nothing is set, and no secret goes anywhere. */
    if (key_log_fd >= 0) gnutls_session_set_keylog_function(session, write_secret);
}

} // namespace secur32::unix_side
