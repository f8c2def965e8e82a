/* Memory handed to callers and released with FreeContextBuffer (or
 * LsaFreeReturnBuffer). One allocator for every package, because callers
 * free what any package returned through the same export. */
#pragma once

#include <windows.h>
#include <cstddef>

namespace secur32 {

void *context_buffer_alloc(size_t size);       /* zero-filled; null on failure */
void context_buffer_free(void *buffer);

} // namespace secur32
