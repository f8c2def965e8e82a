#include "context_buffer.h"

namespace secur32 {

/* The process heap, like Windows' secur32: callers that mistakenly use
 * HeapFree(GetProcessHeap()) or LocalFree on our buffers do not corrupt it. */
void *context_buffer_alloc(size_t size)
{
    return HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size ? size : 1);
}

void context_buffer_free(void *buffer)
{
    if (buffer) HeapFree(GetProcessHeap(), 0, buffer);
}

} // namespace secur32
