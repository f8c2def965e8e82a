#include "sec_buffers.h"

namespace secur32 {

/* More buffers than any SSPI package uses: a larger count is garbage,
 * and walking it could run off the caller's array. */
constexpr ULONG max_buffers = 64;

/* DecryptMessage's output needs these four slots. */
constexpr ULONG decrypt_slots = 4;

bool desc_usable(const SecBufferDesc *desc)
{
    if (!desc || !desc->pBuffers || !desc->cBuffers || desc->cBuffers > max_buffers) return false;
    for (ULONG i = 0; i < desc->cBuffers; i++)
        if (desc->pBuffers[i].cbBuffer && !desc->pBuffers[i].pvBuffer && buffer_type(desc->pBuffers[i]) != SECBUFFER_MISSING)
            return false;
    return true;
}

SecBuffer *find_buffer(SecBufferDesc *desc, ULONG type, ULONG from)
{
    if (!desc || !desc->pBuffers || desc->cBuffers > max_buffers) return nullptr;
    for (ULONG i = from; i < desc->cBuffers; i++)
        if (buffer_type(desc->pBuffers[i]) == type) return &desc->pBuffers[i];
    return nullptr;
}

encrypt_buffers find_encrypt_buffers(SecBufferDesc *message)
{
    return {find_buffer(message, SECBUFFER_STREAM_HEADER), find_buffer(message, SECBUFFER_DATA),
            find_buffer(message, SECBUFFER_STREAM_TRAILER)};
}

SecBuffer *decrypt_data_buffer(SecBufferDesc *message)
{
    if (!desc_usable(message) || message->cBuffers < decrypt_slots) return nullptr;
    SecBuffer *data = find_buffer(message, SECBUFFER_DATA);
    if (!data || find_buffer(message, SECBUFFER_DATA, buffer_index(message, data) + 1)) return nullptr;
    ULONG empty = 0;
    for (ULONG i = 0; i < message->cBuffers; i++)
        if (buffer_type(message->pBuffers[i]) == SECBUFFER_EMPTY) empty++;
    return empty >= decrypt_slots - 1 ? data : nullptr;
}

bool set_decrypt_output(SecBufferDesc *message, BYTE *bytes, ULONG size, ULONG consumed, ULONG data_offset,
                        ULONG data_size)
{
    if (!message || !message->pBuffers || message->cBuffers < decrypt_slots) return false;
    /* The Unix side promises header <= data <= record <= input; check it
     * anyway rather than hand the caller pointers outside its buffer. */
    if (consumed > size || data_offset > consumed || data_size > consumed - data_offset) return false;
    ULONG data_end = data_offset + data_size;
    SecBuffer *slot = message->pBuffers;
    slot[0] = SecBuffer{data_offset, SECBUFFER_STREAM_HEADER, bytes};
    slot[1] = SecBuffer{data_size, SECBUFFER_DATA, bytes + data_offset};
    slot[2] = SecBuffer{consumed - data_end, SECBUFFER_STREAM_TRAILER, bytes + data_end};
    if (consumed < size)
        slot[3] = SecBuffer{size - consumed, SECBUFFER_EXTRA, bytes + consumed};
    else
        slot[3] = SecBuffer{0, SECBUFFER_EMPTY, nullptr};
    return true;
}

} // namespace secur32
