#include "text.h"

namespace secur32 {

std::wstring to_wide(const char *ansi)
{
    if (!ansi) return {};
    int n = MultiByteToWideChar(CP_ACP, 0, ansi, -1, nullptr, 0);
    if (n <= 0) return {};
    std::wstring out(size_t(n), L'\0');
    MultiByteToWideChar(CP_ACP, 0, ansi, -1, &out[0], n);
    out.resize(size_t(n) - 1);
    return out;
}

std::string to_ansi(const wchar_t *wide)
{
    if (!wide) return {};
    int n = WideCharToMultiByte(CP_ACP, 0, wide, -1, nullptr, 0, nullptr, nullptr);
    if (n <= 0) return {};
    std::string out(size_t(n), '\0');
    WideCharToMultiByte(CP_ACP, 0, wide, -1, &out[0], n, nullptr, nullptr);
    out.resize(size_t(n) - 1);
    return out;
}

wide_arg::wide_arg(const char *ansi) : value_(to_wide(ansi)), null_(ansi == nullptr) {}

} // namespace secur32
