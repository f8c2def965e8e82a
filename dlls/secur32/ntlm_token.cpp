/* NTLM AUTHENTICATE message parsing (see ntlm_token.h). Layout: the
 * 8-byte signature "NTLMSSP\0", a 32-bit message type (3), then 8-byte
 * field descriptors (16-bit length, 16-bit allocated length, 32-bit offset
 * from the message start) for LM response, NT response, domain name, user
 * name, workstation and session key, then the 32-bit negotiate flags. */
#include "ntlm_token.h"

#include <string.h>

namespace secur32 {

namespace {

constexpr unsigned char signature[8] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};
constexpr ULONG authenticate_type = 3;
constexpr size_t domain_field = 28, user_field = 36, flags_offset = 60;
constexpr size_t header_size = 64;
constexpr ULONG negotiate_unicode = 0x00000001;

ULONG read32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | ULONG(p[3]) << 24; }
USHORT read16(const unsigned char *p) { return USHORT(p[0] | p[1] << 8); }

/* The field's text, or false when it does not lie inside the message. */
bool read_field(const unsigned char *msg, size_t size, size_t field, bool unicode, std::wstring &out)
{
    size_t length = read16(msg + field), offset = read32(msg + field + 4);
    if (offset > size || length > size - offset) return false;
    const unsigned char *text = msg + offset;
    out.clear();
    if (unicode) {
        if (length % 2) return false;
        for (size_t i = 0; i < length; i += 2) out.push_back(wchar_t(read16(text + i)));
        return true;
    }
    if (!length) return true;
    int n = MultiByteToWideChar(CP_OEMCP, 0, reinterpret_cast<const char *>(text), int(length), nullptr, 0);
    if (n <= 0) return false;
    out.resize(size_t(n));
    MultiByteToWideChar(CP_OEMCP, 0, reinterpret_cast<const char *>(text), int(length), &out[0], n);
    return true;
}

} // namespace

std::wstring ntlm_authenticate_name(const SecBufferDesc *desc)
{
    if (!desc || !desc->pBuffers) return {};
    for (ULONG i = 0; i < desc->cBuffers; i++) {
        const SecBuffer &b = desc->pBuffers[i];
        if ((b.BufferType & ~SECBUFFER_ATTRMASK) != SECBUFFER_TOKEN || !b.pvBuffer || b.cbBuffer < header_size)
            continue;
        const auto *msg = static_cast<const unsigned char *>(b.pvBuffer);
        if (memcmp(msg, signature, sizeof(signature)) || read32(msg + 8) != authenticate_type) continue;
        bool unicode = read32(msg + flags_offset) & negotiate_unicode;
        std::wstring domain, user;
        if (!read_field(msg, b.cbBuffer, domain_field, unicode, domain) ||
            !read_field(msg, b.cbBuffer, user_field, unicode, user) || user.empty())
            return {};
        return domain.empty() ? user : domain + L"\\" + user;
    }
    return {};
}

} // namespace secur32
