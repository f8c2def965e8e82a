/* Wine 8 unixlib binding, written from the documented loader behaviour:
 * - ntdll's NtQueryVirtualMemory with class 1000 (MemoryWineUnixFuncs) on
 *   our own image base returns a 64-bit handle to the .so that the loader
 *   mapped next to this builtin PE;
 * - ntdll exports `__wine_unix_call_dispatcher`, a DATA export holding a
 *   pointer to the dispatcher `NTSTATUS (WINAPI *)(UINT64 handle, UINT code,
 *   void *args)`; Wine 8 also exports a function `__wine_unix_call` with the
 *   same signature, used if the data export is missing.
 * The choice is made at run time, so one binary serves Wine versions that
 * have either. */
#include "unix_call.h"

#include <string>

#include "trace.h"

extern "C" IMAGE_DOS_HEADER __ImageBase;

namespace secur32 {

namespace {

using unixlib_handle = UINT64;
using dispatcher_fn = NTSTATUS(WINAPI *)(unixlib_handle, unsigned int, void *);
using query_virtual_memory_fn = NTSTATUS(WINAPI *)(HANDLE, const void *, ULONG, void *, SIZE_T, SIZE_T *);

constexpr ULONG memory_wine_unix_funcs = 1000;
constexpr NTSTATUS status_dll_not_found = NTSTATUS(0xC0000135);

struct binding {
    unixlib_handle handle = 0;
    dispatcher_fn dispatch = nullptr;
};

binding bind()
{
    binding b;
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    if (!ntdll) return b;
    auto query = reinterpret_cast<query_virtual_memory_fn>(GetProcAddress(ntdll, "NtQueryVirtualMemory"));
    dispatcher_fn dispatch = nullptr;
    if (auto *data = reinterpret_cast<dispatcher_fn *>(GetProcAddress(ntdll, "__wine_unix_call_dispatcher")))
        dispatch = *data;
    if (!dispatch) dispatch = reinterpret_cast<dispatcher_fn>(GetProcAddress(ntdll, "__wine_unix_call"));
    if (!query || !dispatch) {
        TRACE_WARN("not running under Wine: no unixlib support in ntdll\n");
        return b;
    }
    unixlib_handle handle = 0;
    NTSTATUS status = query(GetCurrentProcess(), &__ImageBase, memory_wine_unix_funcs, &handle, sizeof(handle),
                            nullptr);
    if (status || !handle) {
        TRACE_ERR("secur32.so not available (status %#lx)\n", (unsigned long)status);
        return b;
    }
    b.handle = handle;
    b.dispatch = dispatch;
    return b;
}

binding the_binding;

/* SSLKEYLOGFILE from the Windows environment (so a Windows program or a
 * user can set it as on any TLS stack that supports it). A value starting
 * with '/' is a Unix path already; anything else is a Windows path that
 * Wine's kernel32 translates. Returns the UTF-8 Unix path or "". */
std::string key_log_unix_path()
{
    wchar_t value[MAX_PATH * 2];
    DWORD len = GetEnvironmentVariableW(L"SSLKEYLOGFILE", value, ARRAYSIZE(value));
    if (!len || len >= ARRAYSIZE(value)) return {};
    if (value[0] == L'/') {
        int n = WideCharToMultiByte(CP_UTF8, 0, value, -1, nullptr, 0, nullptr, nullptr);
        std::string out(size_t(n > 0 ? n - 1 : 0), '\0');
        if (n > 1) WideCharToMultiByte(CP_UTF8, 0, value, -1, &out[0], n, nullptr, nullptr);
        return out;
    }
    using unix_name_fn = char *(CDECL *)(const wchar_t *);
    auto to_unix = reinterpret_cast<unix_name_fn>(
        GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "wine_get_unix_file_name"));
    if (!to_unix) return {};
    char *unix_name = to_unix(value);
    if (!unix_name) return {};
    std::string out(unix_name);
    HeapFree(GetProcessHeap(), 0, unix_name);
    return out;
}

BOOL WINAPI attach(INIT_ONCE *, void *, void **)
{
    binding b = bind();
    if (b.dispatch) {
        process_attach_params p{};
        std::string key_log = key_log_unix_path();
        if (!key_log.empty()) {
            p.keylog_path = to_pe_ptr(key_log.data());
            p.keylog_path_size = ULONG(key_log.size());
        }
        NTSTATUS status = b.dispatch(b.handle, unix_process_attach, &p);
        if (status) {
            TRACE_ERR("GnuTLS initialisation failed (%#lx)\n", (unsigned long)status);
            b = binding{};
        } else {
            TRACE("GnuTLS %x\n", p.gnutls_version_number);
        }
    }
    the_binding = b;
    return TRUE;
}

const binding &get_binding()
{
    static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
    InitOnceExecuteOnce(&once, attach, nullptr, nullptr);
    return the_binding;
}

} // namespace

bool unix_side_available() { return get_binding().dispatch != nullptr; }

NTSTATUS unix_call(unix_call_id id, void *params)
{
    const binding &b = get_binding();
    if (!b.dispatch) return status_dll_not_found;
    return b.dispatch(b.handle, unsigned(id), params);
}

} // namespace secur32
