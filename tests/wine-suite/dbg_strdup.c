/*
 * __wine_dbg_strdup for Wine's own secur32 tests built with MinGW
 * (tools/run-wine-suite).
 *
 * Wine's include/wine/debug.h formats debugstr_*() results into a local
 * buffer and hands it to __wine_dbg_strdup(), an ntdll export of Wine that
 * MinGW's ntdll import library does not have.  The string only has to stay
 * valid while the caller prints it, so each thread keeps a small ring of
 * buffers and the oldest one is reused.
 */
#include <windows.h>

#define RING_SLOTS 16
#define SLOT_SIZE 1024

const char *__cdecl __wine_dbg_strdup(const char *str)
{
    static __thread char ring[RING_SLOTS][SLOT_SIZE];
    static __thread unsigned int next;
    char *slot = ring[next++ % RING_SLOTS];
    size_t len = 0;

    if (!str) return "(null)";
    while (str[len] && len < SLOT_SIZE - 1)
    {
        slot[len] = str[len];
        len++;
    }
    slot[len] = 0;
    return slot;
}
