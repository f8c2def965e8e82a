/* QueryContextAttributesA / QueryCredentialsAttributesA for packages that
 * answer in UTF-16 only (Wine's LSA packages, W-only providers): the
 * UTF-16 answer is fetched, converted to the ANSI layout (CP_ACP) in buffers
 * callers release with FreeContextBuffer, and the UTF-16 buffers are freed.
 *
 * Attributes whose A and W layouts are identical pass straight through;
 * attributes not known to be string-free are refused with
 * SEC_E_UNSUPPORTED_FUNCTION rather than returning UTF-16 to an ANSI
 * caller. Also: one-block SecPkgInfo builders (the layout Windows returns
 * and callers free with a single FreeContextBuffer). */
#pragma once

#include <windows.h>
#include <sspi.h>
#include <functional>

#include "package.h"

namespace secur32 {

using attribute_query = std::function<SECURITY_STATUS(ULONG attribute, void *buffer)>;

/* The attribute's structure is the same in the A and W forms. */
bool context_attribute_is_string_free(ULONG attribute);

SECURITY_STATUS query_context_attribute_ansi(ULONG attribute, void *buffer, const attribute_query &query_w);
SECURITY_STATUS query_credential_attribute_ansi(ULONG attribute, void *buffer, const attribute_query &query_w);

/* SecPkgInfo in one context buffer: the structure, then Name, then Comment. */
SecPkgInfoW *package_info_block_w(const package_info &info);
SecPkgInfoA *package_info_block_a(const SecPkgInfoW &info);

} // namespace secur32
