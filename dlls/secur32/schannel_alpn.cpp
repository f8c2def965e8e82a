#include "schannel_alpn.h"

#include <cstddef>

#include "sec_buffers.h"

namespace secur32 {

SECURITY_STATUS alpn_list_from_input(SecBufferDesc *input, std::string &wire_list)
{
    wire_list.clear();
    if (!input || !desc_usable(input)) return SEC_E_OK;
    SecBuffer *buffer = find_buffer(input, SECBUFFER_APPLICATION_PROTOCOLS);
    if (!buffer) return SEC_E_OK;

    /* Every length below is checked against the caller's buffer size
     * before the bytes it covers are read. */
    const BYTE *base = static_cast<const BYTE *>(buffer->pvBuffer);
    size_t size = buffer->cbBuffer;
    const size_t lists_offset = offsetof(SEC_APPLICATION_PROTOCOLS, ProtocolLists);
    const size_t list_header = offsetof(SEC_APPLICATION_PROTOCOL_LIST, ProtocolList);
    if (size < lists_offset) return SEC_E_INVALID_TOKEN;
    ULONG lists_size;
    memcpy(&lists_size, base, sizeof(lists_size));
    if (lists_size > size - lists_offset) return SEC_E_INVALID_TOKEN;

    const BYTE *pos = base + lists_offset, *end = pos + lists_size;
    while (size_t(end - pos) >= list_header) {
        SEC_APPLICATION_PROTOCOL_NEGOTIATION_EXT ext;
        unsigned short list_size;
        memcpy(&ext, pos + offsetof(SEC_APPLICATION_PROTOCOL_LIST, ProtoNegoExt), sizeof(ext));
        memcpy(&list_size, pos + offsetof(SEC_APPLICATION_PROTOCOL_LIST, ProtocolListSize), sizeof(list_size));
        if (list_size > size_t(end - pos) - list_header) return SEC_E_INVALID_TOKEN;
        const BYTE *names = pos + list_header;
        if (ext == SecApplicationProtocolNegotiationExt_ALPN) {
            /* Validate the name list: non-empty names that tile it exactly. */
            for (size_t i = 0; i < list_size;) {
                if (!names[i] || i + 1 + names[i] > list_size) return SEC_E_INVALID_TOKEN;
                i += 1 + names[i];
            }
            wire_list.assign(reinterpret_cast<const char *>(names), list_size);
            return SEC_E_OK;
        }
        pos = names + list_size; /* NPN and others are not offered */
    }
    return SEC_E_OK;
}

} // namespace secur32
