/* libFuzzer target: the Unix side's record framing (scan_records), which
 * sees every byte a peer sends before GnuTLS does. Checks its contract,
 * not just the absence of crashes: whole records only, and a missing
 * count that is never overstated. */
#include <cstdint>
#include <cstdlib>

#include "unix/record_framing.h"

using namespace secur32::unix_side;

namespace {

[[noreturn]] void contract_broken(const char *what)
{
    __builtin_trap();
    (void)what;
}

#define EXPECT(cond) \
    do { \
        if (!(cond)) contract_broken(#cond); \
    } while (0)

/* Length of the record starting at `h` (header + body). */
size_t record_length(const uint8_t *h) { return record_header_size + (size_t(h[3]) << 8 | h[4]); }

void check(const uint8_t *data, size_t size, bool first_only)
{
    frame_scan scan = scan_records(data, size, first_only);
    switch (scan.status) {
    case frame_status::complete: {
        EXPECT(scan.complete_bytes > 0 && scan.complete_bytes <= size);
        EXPECT(scan.missing == 0);
        /* The complete bytes are exactly a run of whole, plausible records. */
        size_t pos = 0, records = 0;
        while (pos < scan.complete_bytes) {
            EXPECT(scan.complete_bytes - pos >= record_header_size);
            const uint8_t *h = data + pos;
            EXPECT(h[0] >= 20 && h[0] <= 24 && h[1] == 3);
            EXPECT(record_length(h) - record_header_size <= max_record_body);
            pos += record_length(h);
            records++;
        }
        EXPECT(pos == scan.complete_bytes);
        if (first_only) EXPECT(records == 1);
        break;
    }
    case frame_status::incomplete:
        EXPECT(scan.complete_bytes == 0);
        if (size == 0) {
            EXPECT(scan.missing == record_header_size);
        } else if (size < record_header_size) {
            EXPECT(scan.missing == record_header_size - size);
        } else {
            /* Never overstated: exactly what completes the first record. */
            EXPECT(record_length(data) > size);
            EXPECT(scan.missing == record_length(data) - size);
        }
        EXPECT(scan.missing > 0);
        break;
    case frame_status::malformed:
        EXPECT(scan.complete_bytes == 0 && scan.missing == 0);
        break;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check(data, size, false);
    check(data, size, true);
    return 0;
}
