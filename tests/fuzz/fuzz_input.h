/* Reading a fuzzer's input as a sequence of small fields: every read is
 * bounds-checked and yields zeros once the input runs out, so a harness
 * never has to special-case short inputs. */
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace fuzz {

class input_reader {
public:
    input_reader(const uint8_t *data, size_t size) : data_(data), size_(size) {}

    bool empty() const { return pos_ >= size_; }
    size_t left() const { return size_ - pos_; }
    uint8_t u8() { return pos_ < size_ ? data_[pos_++] : 0; }
    uint16_t u16() { return uint16_t(u8() << 8 | u8()); }
    uint32_t u32() { return uint32_t(u16()) << 16 | u16(); }
    /* Up to `n` bytes (fewer at the end of the input). */
    std::vector<uint8_t> bytes(size_t n)
    {
        n = n < left() ? n : left();
        std::vector<uint8_t> out(data_ + pos_, data_ + pos_ + n);
        pos_ += n;
        return out;
    }
    std::vector<uint8_t> rest() { return bytes(left()); }

private:
    const uint8_t *data_;
    size_t size_;
    size_t pos_ = 0;
};

} // namespace fuzz
