/* secret_bytes (dlls/secur32/unix/secret_bytes.h): buffers holding
 * secrets are zeroed before the heap gets them back, on destruction and
 * when a vector grows. Checked with a base allocator that looks at the
 * bytes as they are handed back. */
#include "unit_test.h"

#include "unix/secret_bytes.h"

using secur32::unix_side::secret_bytes;
using secur32::unix_side::wiping_allocator;

namespace {

int returned_blocks, returned_dirty;

/* std::allocator that checks each block it frees is all zeros. */
template <typename T> struct checking_allocator : std::allocator<T> {
    template <typename U> struct rebind {
        using other = checking_allocator<U>;
    };
    checking_allocator() = default;
    template <typename U> checking_allocator(const checking_allocator<U> &) {}
    void deallocate(T *p, std::size_t n)
    {
        returned_blocks++;
        const auto *bytes = reinterpret_cast<const unsigned char *>(p);
        for (std::size_t i = 0; i < n * sizeof(T); i++)
            if (bytes[i]) {
                returned_dirty++;
                break;
            }
        std::allocator<T>::deallocate(p, n);
    }
};

using checked_secret = std::vector<uint8_t, wiping_allocator<uint8_t, checking_allocator<uint8_t>>>;

} // namespace

TEST_CASE(freed_blocks_are_zeroed)
{
    returned_blocks = returned_dirty = 0;
    {
        checked_secret s(64, 0xAB);
        for (int i = 0; i < 1000; i++) s.push_back(uint8_t(i | 1)); /* grows: old blocks go back */
        checked_secret copy(s);
    }
    CHECK(returned_blocks >= 3);
    CHECK_EQ(returned_dirty, 0);
}

TEST_CASE(secret_bytes_behaves_as_a_vector)
{
    const uint8_t data[] = {1, 2, 3, 4};
    secret_bytes s(data, data + sizeof(data));
    secret_bytes t = s;
    CHECK_EQ(t.size(), 4u);
    CHECK_MEMEQ(t.data(), data, 4);
    s.clear();
    s.shrink_to_fit();
    CHECK(s.empty());
}
