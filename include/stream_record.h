/* One TLS/DTLS record as EncryptMessage (Schannel) takes it: a single
 * buffer laid out header | data | trailer, described by the four buffers
 * [STREAM_HEADER, DATA, STREAM_TRAILER, EMPTY] that Microsoft's page gives.
 * For our Windows test programs and benchmarks (C, MinGW). */
#ifndef STREAM_RECORD_H
#define STREAM_RECORD_H

#include <windows.h>
#ifndef SECURITY_WIN32
#define SECURITY_WIN32
#endif
#include <sspi.h>

/* Points `b` at `record`, whose `len` plaintext bytes are (or will be put)
 * at record + sizes->cbHeader; the buffer must hold header, data and
 * trailer. */
static inline void stream_record_buffers(SecBuffer b[4], unsigned char *record, const SecPkgContext_StreamSizes *sizes,
                                         ULONG len)
{
    b[0].BufferType = SECBUFFER_STREAM_HEADER; b[0].pvBuffer = record; b[0].cbBuffer = sizes->cbHeader;
    b[1].BufferType = SECBUFFER_DATA; b[1].pvBuffer = record + sizes->cbHeader; b[1].cbBuffer = len;
    b[2].BufferType = SECBUFFER_STREAM_TRAILER; b[2].pvBuffer = record + sizes->cbHeader + len;
    b[2].cbBuffer = sizes->cbTrailer;
    b[3].BufferType = SECBUFFER_EMPTY; b[3].pvBuffer = NULL; b[3].cbBuffer = 0;
}

/* The sealed record's size after EncryptMessage (it sets each cbBuffer). */
static inline ULONG stream_record_size(const SecBuffer b[4])
{
    return b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer;
}

#endif
