#include "sec_buffers.h"

namespace secur32 {

/* More buffers than any SSPI package uses: a larger count is garbage,
 * and walking it could run off the caller's array. */
constexpr ULONG max_buffers = 64;

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

} // namespace secur32
