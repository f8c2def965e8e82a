/* Finding TLS record boundaries in bytes from the peer, before GnuTLS sees
 * them. Schannel callers keep unconsumed bytes and re-submit them, so we
 * must never let GnuTLS swallow half a record. */
#pragma once

#include <cstddef>
#include <cstdint>

namespace secur32::unix_side {

constexpr size_t record_header_size = 5;
/* RFC 8446 §5.2: no ciphertext exceeds 2^14 + 256 bytes (TLS 1.2 allows
 * 2^14 + 2048). A longer length field is an attack or garbage: reject it
 * rather than ask the caller to buffer 64 KB. */
constexpr size_t max_record_body = 16384 + 2048;

enum class frame_status { complete, incomplete, malformed };

struct frame_scan {
    frame_status status;
    size_t complete_bytes; /* bytes of whole records at the start of the input */
    size_t missing;        /* with incomplete and complete_bytes == 0: bytes missing, never overstated */
};

/* Scans whole records from the start of `data`. `first_only` stops after
 * one record (DecryptMessage handles exactly one record per call). */
frame_scan scan_records(const uint8_t *data, size_t size, bool first_only);

} // namespace secur32::unix_side
