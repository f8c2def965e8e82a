#include "server_flight.h"

#include "record_framing.h"

namespace secur32::unix_side {

namespace {

/* RFC 5246 §6.2.1 / §7.4. */
constexpr uint8_t content_handshake = 22;
constexpr uint8_t message_certificate_request = 13;
constexpr uint8_t message_server_hello_done = 14;

} // namespace

server_flight_scan::verdict server_flight_scan::walk(const uint8_t *records, size_t size)
{
    if (lost_) return verdict::lost;
    size_t pos = 0;
    while (pos < size) {
        if (size - pos < record_header_size) return verdict::lost;
        const uint8_t *h = records + pos;
        size_t body = size_t(h[3]) << 8 | h[4];
        /* Before ServerHelloDone, anything but a handshake record is
         * ChangeCipherSpec (a resumption, or TLS 1.3's compatibility
         * record), an alert or TLS 1.3's encrypted records: nothing this
         * scanner can read. */
        if (h[0] != content_handshake || size - pos - record_header_size < body) return verdict::lost;
        const uint8_t *p = h + record_header_size, *end = p + body;
        pos += record_header_size + body;
        while (p < end) {
            if (body_left_) {
                size_t n = size_t(end - p) < body_left_ ? size_t(end - p) : body_left_;
                p += n;
                body_left_ -= n;
                continue;
            }
            header_[header_have_++] = *p++;
            if (header_have_ < sizeof(header_)) continue;
            header_have_ = 0;
            body_left_ = size_t(header_[1]) << 16 | size_t(header_[2]) << 8 | header_[3];
            if (header_[0] == message_certificate_request) return verdict::request;
            /* A ServerHelloDone with a body is malformed: GnuTLS fails on
             * it, and the scanner just reads on. */
            if (header_[0] == message_server_hello_done && !body_left_) return verdict::done;
        }
    }
    return verdict::more;
}

bool server_flight_scan::ends_without_request(const uint8_t *records, size_t size) const
{
    server_flight_scan copy = *this;
    return copy.walk(records, size) == verdict::done;
}

void server_flight_scan::consume(const uint8_t *records, size_t size)
{
    if (walk(records, size) != verdict::more) lost_ = true;
}

} // namespace secur32::unix_side
