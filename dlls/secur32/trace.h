/* Debug output in the spirit of WINEDEBUG: the channel "secur32" is on when
 * WINEDEBUG contains "+secur32" (or "+all"); errors print unless "-all".
 * Never pass secrets to these macros: key material goes only to an
 * explicit SSLKEYLOGFILE. */
#pragma once

namespace secur32 {
enum class trace_level { error, warning, trace };
bool trace_enabled(trace_level level);
void trace_printf(trace_level level, const char *function, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
} // namespace secur32

#define TRACE_AT(level, ...)                                                                  \
    do {                                                                                      \
        if (::secur32::trace_enabled(level)) ::secur32::trace_printf(level, __func__, __VA_ARGS__); \
    } while (0)
#define TRACE(...) TRACE_AT(::secur32::trace_level::trace, __VA_ARGS__)
#define TRACE_WARN(...) TRACE_AT(::secur32::trace_level::warning, __VA_ARGS__)
#define TRACE_ERR(...) TRACE_AT(::secur32::trace_level::error, __VA_ARGS__)
