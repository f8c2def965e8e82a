/* A/W conversion for the ANSI entry points (CP_ACP, as Windows does). */
#pragma once

#include <windows.h>
#include <string>

namespace secur32 {

/* Holds the UTF-16 form of an optional ANSI string; c_str() is null when
 * the input pointer was null. */
class wide_arg {
public:
    explicit wide_arg(const char *ansi);
    const wchar_t *c_str() const { return null_ ? nullptr : value_.c_str(); }
private:
    std::wstring value_;
    bool null_;
};

std::wstring to_wide(const char *ansi);
std::string to_ansi(const wchar_t *wide);

} // namespace secur32
