/* Checked access to caller-supplied SecBufferDesc arrays. Nothing else in
 * the module walks pBuffers directly. Pure parsing, no Windows calls: the
 * file also builds natively for the fuzzer (tests/fuzz/sec_buffers_fuzz.cpp). */
#pragma once

#include <windows.h>
#include <sspi.h>

namespace secur32 {

/* The type of a buffer without its attribute bits (READONLY etc.). */
inline ULONG buffer_type(const SecBuffer &b) { return b.BufferType & ~ULONG(SECBUFFER_ATTRMASK); }

/* A descriptor is usable when it is non-null, has a buffer array, and no
 * buffer claims bytes without a pointer. */
bool desc_usable(const SecBufferDesc *desc);

/* First buffer of `type` at index >= `from`, or null. */
SecBuffer *find_buffer(SecBufferDesc *desc, ULONG type, ULONG from = 0);

/* Index of `b` in `desc` (b must be one of its buffers). */
inline ULONG buffer_index(const SecBufferDesc *desc, const SecBuffer *b) { return ULONG(b - desc->pBuffers); }

/* EncryptMessage's buffers: null members when the descriptor lacks them. */
struct encrypt_buffers {
    SecBuffer *header, *data, *trailer;
};
encrypt_buffers find_encrypt_buffers(SecBufferDesc *message);

/* DecryptMessage's input: a usable descriptor of at least four buffers
 * with exactly one DATA buffer and at least three EMPTY ones (the slots
 * the output needs). Returns the DATA buffer, or null when the descriptor
 * does not qualify (SEC_E_INVALID_TOKEN). */
SecBuffer *decrypt_data_buffer(SecBufferDesc *message);

/* Rewrites the first four buffers of a descriptor accepted by
 * decrypt_data_buffer as [STREAM_HEADER, DATA, STREAM_TRAILER, EXTRA|EMPTY]
 * over the record that starts at `bytes` (`size` bytes received,
 * `consumed` of them one record, its plaintext at `data_offset`, length
 * `data_size`). Returns false, changing nothing, when the numbers do not
 * describe bytes inside the caller's buffer. */
bool set_decrypt_output(SecBufferDesc *message, BYTE *bytes, ULONG size, ULONG consumed, ULONG data_offset,
                        ULONG data_size);

} // namespace secur32
