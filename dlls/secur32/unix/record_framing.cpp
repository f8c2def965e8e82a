#include "record_framing.h"

namespace secur32::unix_side {

namespace {

/* Content types of RFC 8446 §5.1 / RFC 5246 §6.2.1 (20..24) and a major
 * version of 3: anything else is not TLS and must not be waited on. */
bool plausible_header(const uint8_t *h) { return h[0] >= 20 && h[0] <= 24 && h[1] == 3; }

} // namespace

frame_scan scan_records(const uint8_t *data, size_t size, bool first_only)
{
    size_t pos = 0;
    while (pos < size) {
        size_t left = size - pos;
        if (left < record_header_size) {
            if (pos) break;
            /* Check what we have of the header before asking for more. */
            if ((left >= 1 && !(data[0] >= 20 && data[0] <= 24)) || (left >= 2 && data[1] != 3))
                return {frame_status::malformed, 0, 0};
            return {frame_status::incomplete, 0, record_header_size - left};
        }
        const uint8_t *h = data + pos;
        if (!plausible_header(h)) {
            if (pos) break; /* let the records before it be processed first */
            return {frame_status::malformed, 0, 0};
        }
        size_t body = size_t(h[3]) << 8 | h[4];
        if (body > max_record_body) {
            if (pos) break;
            return {frame_status::malformed, 0, 0};
        }
        if (left < record_header_size + body) {
            if (pos) break;
            return {frame_status::incomplete, 0, record_header_size + body - left};
        }
        pos += record_header_size + body;
        if (first_only) break;
    }
    if (!pos) return {frame_status::incomplete, 0, size ? 0 : record_header_size};
    return {frame_status::complete, pos, 0};
}

} // namespace secur32::unix_side
