/* libFuzzer target: the PE side's SecBufferDesc parsing (sec_buffers.cpp),
 * compiled natively against Wine's Windows headers. The input describes a
 * descriptor the way a careless or hostile caller might build one: any
 * count (beyond the 64 we accept too), any types with attribute bits, any
 * sizes, null pointers. Every buffer is its own exact-size heap block, so
 * ASan reports any access outside what the caller handed us.
 *
 * Checks: the lookups return buffers of the descriptor and of the type
 * asked for; a descriptor DecryptMessage accepts really has one DATA and
 * three EMPTY buffers; the output layout written for any record the Unix
 * side might describe stays inside the DATA buffer, or nothing is
 * written when the description is inconsistent. */
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "fuzz_input.h"
#include "sec_buffers.h"

using namespace secur32;

namespace {

[[noreturn]] void contract_broken(const char *) { __builtin_trap(); }
#define EXPECT(cond) \
    do { \
        if (!(cond)) contract_broken(#cond); \
    } while (0)

/* Types worth hitting often: the SSPI ones we look for, plus noise. */
ULONG pick_type(uint8_t b)
{
    static const ULONG types[] = {SECBUFFER_EMPTY, SECBUFFER_DATA, SECBUFFER_TOKEN, SECBUFFER_EXTRA,
                                  SECBUFFER_STREAM_HEADER, SECBUFFER_STREAM_TRAILER, SECBUFFER_MISSING,
                                  SECBUFFER_ALERT, SECBUFFER_APPLICATION_PROTOCOLS, SECBUFFER_PADDING};
    ULONG t = (b & 0x40) ? ULONG(b & 0x3f) : types[(b & 0x3f) % (sizeof(types) / sizeof(types[0]))];
    if (b & 0x80) t |= SECBUFFER_READONLY;
    return t;
}

bool inside(const SecBufferDesc &d, const SecBuffer *b) { return b >= d.pBuffers && b < d.pBuffers + d.cBuffers; }

/* Reads every byte a buffer claims: ASan flags it if the claim is false. */
uint32_t touch(const SecBuffer &b)
{
    uint32_t sum = 0;
    const auto *p = static_cast<const volatile uint8_t *>(b.pvBuffer);
    for (ULONG i = 0; i < b.cbBuffer; i++) sum += p[i];
    return sum;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz::input_reader in(data, size);
    uint8_t count_byte = in.u8();
    ULONG count = count_byte % 72; /* past max_buffers (64) too */
    bool null_array = count_byte >= 250;

    std::unique_ptr<SecBuffer[]> array(count ? new SecBuffer[count] : nullptr);
    std::vector<std::unique_ptr<uint8_t[]>> blocks;
    for (ULONG i = 0; i < count; i++) {
        uint8_t type = in.u8();
        uint16_t len = in.u16() % 600;
        bool null_pointer = (in.u8() & 7) == 0;
        array[i].BufferType = pick_type(type);
        array[i].cbBuffer = len;
        if (null_pointer) {
            array[i].pvBuffer = nullptr;
        } else {
            blocks.emplace_back(new uint8_t[len ? len : 1]);
            memset(blocks.back().get(), 0xA5, len ? len : 1);
            array[i].pvBuffer = blocks.back().get();
        }
    }
    SecBufferDesc desc{SECBUFFER_VERSION, count, null_array ? nullptr : array.get()};

    bool usable = desc_usable(&desc);
    EXPECT(!desc_usable(nullptr));
    if (usable) {
        EXPECT(desc.pBuffers && desc.cBuffers >= 1 && desc.cBuffers <= 64);
        for (ULONG i = 0; i < desc.cBuffers; i++)
            if (buffer_type(desc.pBuffers[i]) != SECBUFFER_MISSING) touch(desc.pBuffers[i]);
    }

    for (ULONG type = 0; type < 20; type++) {
        SecBuffer *b = find_buffer(&desc, type, in.u8() % 4);
        if (b) {
            EXPECT(inside(desc, b));
            EXPECT(buffer_type(*b) == type);
        }
    }

    encrypt_buffers e = find_encrypt_buffers(&desc);
    if (e.header) EXPECT(inside(desc, e.header) && buffer_type(*e.header) == SECBUFFER_STREAM_HEADER);
    if (e.data) EXPECT(inside(desc, e.data) && buffer_type(*e.data) == SECBUFFER_DATA);
    if (e.trailer) EXPECT(inside(desc, e.trailer) && buffer_type(*e.trailer) == SECBUFFER_STREAM_TRAILER);

    SecBuffer *record = decrypt_data_buffer(&desc);
    if (!record) return 0;
    EXPECT(usable && desc.cBuffers >= 4 && inside(desc, record) && buffer_type(*record) == SECBUFFER_DATA);
    ULONG data_buffers = 0, empty_buffers = 0;
    for (ULONG i = 0; i < desc.cBuffers; i++) {
        data_buffers += buffer_type(desc.pBuffers[i]) == SECBUFFER_DATA;
        empty_buffers += buffer_type(desc.pBuffers[i]) == SECBUFFER_EMPTY;
    }
    EXPECT(data_buffers == 1 && empty_buffers >= 3);

    /* What the Unix side reports for the record; normally consistent, here
     * anything. */
    BYTE *bytes = static_cast<BYTE *>(record->pvBuffer);
    ULONG received = record->cbBuffer;
    ULONG consumed = in.u16() % 700, offset = in.u16() % 700, plain = in.u16() % 700;
    bool consistent = consumed <= received && offset <= consumed && plain <= consumed - offset;
    SecBuffer before[4];
    memcpy(before, desc.pBuffers, sizeof(before));
    bool written = set_decrypt_output(&desc, bytes, received, consumed, offset, plain);
    EXPECT(written == consistent);
    if (!written) {
        EXPECT(memcmp(before, desc.pBuffers, sizeof(before)) == 0);
        return 0;
    }
    const SecBuffer *slot = desc.pBuffers;
    EXPECT(buffer_type(slot[0]) == SECBUFFER_STREAM_HEADER && buffer_type(slot[1]) == SECBUFFER_DATA &&
           buffer_type(slot[2]) == SECBUFFER_STREAM_TRAILER);
    EXPECT(slot[0].cbBuffer + slot[1].cbBuffer + slot[2].cbBuffer == consumed);
    EXPECT(buffer_type(slot[3]) == (consumed < received ? SECBUFFER_EXTRA : SECBUFFER_EMPTY));
    for (int i = 0; i < 4; i++) {
        if (!slot[i].cbBuffer) continue;
        const BYTE *p = static_cast<const BYTE *>(slot[i].pvBuffer);
        EXPECT(p >= bytes && p + slot[i].cbBuffer <= bytes + received);
        touch(slot[i]);
    }
    return 0;
}
