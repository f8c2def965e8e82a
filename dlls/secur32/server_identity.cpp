/* SslGetServerIdentity: the host name a client asked for (SNI, RFC 6066
 * §3), read from its ClientHello, which is how a Windows server learns it
 * (Windows exports this from schannel.dll; Wine 8's schannel.dll has no
 * such export, so programs reach ours through secur32.dll).
 *
 * Every length is checked against the bytes given before it is used. */
#include <windows.h>
#include <sspi.h>
#include <cstdint>

#include "abi_guard.h"
#include "trace.h"

namespace secur32 {

namespace {

/* A bounds-checked cursor over the caller's bytes. */
class reader {
public:
    reader(const BYTE *data, size_t size) : data_(data), size_(size) {}
    bool skip(size_t n)
    {
        if (size_ - pos_ < n) return false;
        pos_ += n;
        return true;
    }
    bool u8(unsigned &v)
    {
        if (size_ - pos_ < 1) return false;
        v = data_[pos_++];
        return true;
    }
    bool u16(unsigned &v)
    {
        if (size_ - pos_ < 2) return false;
        v = unsigned(data_[pos_]) << 8 | data_[pos_ + 1];
        pos_ += 2;
        return true;
    }
    bool u24(size_t &v)
    {
        if (size_ - pos_ < 3) return false;
        v = size_t(data_[pos_]) << 16 | size_t(data_[pos_ + 1]) << 8 | data_[pos_ + 2];
        pos_ += 3;
        return true;
    }
    /* A sub-reader over the next `n` bytes (which it consumes). */
    bool sub(size_t n, reader &out)
    {
        if (size_ - pos_ < n) return false;
        out = reader(data_ + pos_, n);
        pos_ += n;
        return true;
    }
    const BYTE *here() const { return data_ + pos_; }
    bool at_end() const { return pos_ == size_; }

private:
    const BYTE *data_;
    size_t size_;
    size_t pos_ = 0;
};

constexpr unsigned content_handshake = 22;
constexpr unsigned handshake_client_hello = 1;
constexpr unsigned extension_server_name = 0;
constexpr unsigned name_type_host_name = 0;

enum class parse { found, absent, incomplete, malformed };

/* Finds the host_name in one ClientHello record. */
parse find_server_name(const BYTE *bytes, size_t size, const BYTE *&name, size_t &name_size)
{
    reader record(bytes, size);
    unsigned type, version, length;
    if (!record.u8(type) || !record.u16(version) || !record.u16(length)) return parse::incomplete;
    if (type != content_handshake) return parse::malformed;
    reader body(nullptr, 0);
    if (!record.sub(length, body)) return parse::incomplete;
    unsigned message;
    size_t message_length;
    if (!body.u8(message) || message != handshake_client_hello || !body.u24(message_length)) return parse::malformed;
    reader hello(nullptr, 0);
    /* A ClientHello larger than its record would continue in the next one;
     * the extensions we need are then not all here. */
    if (!body.sub(message_length, hello)) return parse::incomplete;
    unsigned n;
    if (!hello.skip(2 + 32)) return parse::malformed;                      /* version, random */
    if (!hello.u8(n) || !hello.skip(n)) return parse::malformed;           /* session id */
    if (!hello.u16(n) || !hello.skip(n)) return parse::malformed;          /* cipher suites */
    if (!hello.u8(n) || !hello.skip(n)) return parse::malformed;           /* compression */
    if (hello.at_end()) return parse::absent;                             /* no extensions */
    reader extensions(nullptr, 0);
    if (!hello.u16(n) || !hello.sub(n, extensions)) return parse::malformed;
    while (!extensions.at_end()) {
        unsigned ext_type, ext_length;
        reader ext(nullptr, 0);
        if (!extensions.u16(ext_type) || !extensions.u16(ext_length) || !extensions.sub(ext_length, ext))
            return parse::malformed;
        if (ext_type != extension_server_name) continue;
        reader list(nullptr, 0);
        if (!ext.u16(n) || !ext.sub(n, list)) return parse::malformed;
        while (!list.at_end()) {
            unsigned name_type, name_length;
            if (!list.u8(name_type) || !list.u16(name_length)) return parse::malformed;
            const BYTE *at = list.here();
            if (!list.skip(name_length)) return parse::malformed;
            if (name_type == name_type_host_name && name_length) {
                name = at;
                name_size = name_length;
                return parse::found;
            }
        }
        return parse::absent;
    }
    return parse::absent;
}

} // namespace

} // namespace secur32

/* SECURITY_STATUS SslGetServerIdentity(PBYTE ClientHello, DWORD ClientHelloSize,
 *                                      PBYTE *ServerIdentity, PDWORD ServerIdentitySize, DWORD Flags)
 *
 * On SEC_E_OK *ServerIdentity points into ClientHello at the host name
 * (not NUL-terminated), or is null with size 0 when the client sent none.
 * SEC_E_INVALID_PARAMETER for null pointers or nonzero Flags,
 * SEC_E_INCOMPLETE_MESSAGE when the ClientHello record is not complete,
 * SEC_E_ILLEGAL_MESSAGE when the bytes are not a ClientHello. */
extern "C" SECURITY_STATUS WINAPI SslGetServerIdentity(BYTE *client_hello, DWORD size, BYTE **identity,
                                                      DWORD *identity_size, DWORD flags)
{
    using namespace secur32;
    return abi_guard(__func__, [&]() -> SECURITY_STATUS {
        if (!client_hello || !identity || !identity_size || flags) return SEC_E_INVALID_PARAMETER;
        *identity = nullptr;
        *identity_size = 0;
        const BYTE *name = nullptr;
        size_t name_size = 0;
        switch (find_server_name(client_hello, size, name, name_size)) {
        case parse::found:
            *identity = const_cast<BYTE *>(name);
            *identity_size = DWORD(name_size);
            return SEC_E_OK;
        case parse::absent:
            return SEC_E_OK;
        case parse::incomplete:
            return SEC_E_INCOMPLETE_MESSAGE;
        default:
            return SEC_E_ILLEGAL_MESSAGE;
        }
    });
}
