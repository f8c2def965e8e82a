/* Checked access to caller-supplied SecBufferDesc arrays. Nothing else in
 * the module walks pBuffers directly. */
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

} // namespace secur32
