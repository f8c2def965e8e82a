/* WINEDEBUG-style channel parsing for our "secur32" channel. */
#include "trace.h"

#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

namespace secur32 {

namespace {

/* Bit per level: error, warning, trace. Parsed once from WINEDEBUG. */
unsigned enabled_levels()
{
    static LONG cached = -1;
    LONG value = cached;
    if (value >= 0) return value;

    unsigned levels = 1u << int(trace_level::error);
    char spec[512];
    DWORD len = GetEnvironmentVariableA("WINEDEBUG", spec, sizeof(spec));
    if (len && len < sizeof(spec)) {
        for (char *item = strtok(spec, ","); item; item = strtok(nullptr, ",")) {
            const char *cls = nullptr;
            char *sign = strpbrk(item, "+-");
            if (!sign) continue;
            if (sign != item) { *sign = 0; cls = item; }
            bool on = *sign == '+';
            const char *channel = sign + 1;
            if (strcmp(channel, "secur32") && strcmp(channel, "all")) continue;
            unsigned mask = 7;
            if (cls) {
                if (!strcmp(cls, "err")) mask = 1;
                else if (!strcmp(cls, "warn")) mask = 2;
                else if (!strcmp(cls, "trace")) mask = 4;
                else continue;
            }
            levels = on ? (levels | mask) : (levels & ~mask);
        }
    }
    InterlockedExchange(&cached, LONG(levels));
    return levels;
}

} // namespace

bool trace_enabled(trace_level level) { return enabled_levels() & (1u << int(level)); }

void trace_printf(trace_level level, const char *function, const char *format, ...)
{
    static const char *const names[] = {"err", "warn", "trace"};
    char line[1024];
    int n = snprintf(line, sizeof(line), "%04lx:%s:secur32:%s ", GetCurrentThreadId(),
                     names[int(level)], function);
    if (n < 0 || n >= int(sizeof(line))) n = 0;
    va_list args;
    va_start(args, format);
    vsnprintf(line + n, sizeof(line) - n, format, args);
    va_end(args);
    DWORD written;
    HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
    if (err && err != INVALID_HANDLE_VALUE) WriteFile(err, line, DWORD(strlen(line)), &written, nullptr);
}

} // namespace secur32
