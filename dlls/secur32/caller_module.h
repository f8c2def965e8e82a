/* Who called us. Used for one compatibility decision only: Wine's own
 * builtin WinHTTP and WinINet ignore an output token returned with
 * SEC_E_OK (Windows' Schannel clients send it), so contexts they create
 * must never end a handshake with a client flight (see
 * schannel_handshake.cpp). */
#pragma once

namespace secur32 {

/* True when `code_address` lies in a PE module marked as a Wine builtin
 * (other than this one). */
bool called_from_wine_builtin(const void *code_address);

} // namespace secur32
