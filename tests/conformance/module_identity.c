/*
 * Unit "module_identity": which secur32.dll is this process using?
 *
 * Our module exports WineSecur32BuildInfo(); Wine's own does not.  The runner
 * sets WINE_SECUR32_EXPECT=ours under tools/wine-secur32 and =stock under
 * tools/wine-stock, so a broken overlay (our dll silently not loaded, or
 * loaded where it should not be) fails here instead of producing misleading
 * results everywhere else.  A child process repeats the check, because the
 * overlay must hold for every process of a run, not just the first.
 */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include "wine/test.h"

typedef const char *(WINAPI *build_info_fn)(void);

static HMODULE module_of(const void *addr)
{
    HMODULE mod = NULL;
    GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                       (const char *)addr, &mod);
    return mod;
}

static void check_child(void)
{
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    char exe[MAX_PATH], cmd[MAX_PATH + 64];

    GetModuleFileNameA(NULL, exe, sizeof(exe));
    snprintf(cmd, sizeof(cmd), "\"%s\" module_identity child", exe);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    /* The child reports failures but no summary line of its own. */
    SetEnvironmentVariableA("WINETEST_DEBUG", "0");
    if (!CreateProcessA(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
    {
        ok(0, "CreateProcess failed: %lu\n", GetLastError());
        pi.hProcess = pi.hThread = NULL;
    }
    SetEnvironmentVariableA("WINETEST_DEBUG", NULL);
    wait_child_process(pi.hProcess);
    if (pi.hProcess) CloseHandle(pi.hProcess);
    if (pi.hThread) CloseHandle(pi.hThread);
}

START_TEST(module_identity)
{
    char expect[32] = "", path[MAX_PATH] = "", **argv;
    int argc = winetest_get_mainargs(&argv);
    BOOL child = argc >= 3 && !strcmp(argv[2], "child");
    build_info_fn build_info;
    HMODULE secur32, schannel;
    const char *info = NULL;

    GetEnvironmentVariableA("WINE_SECUR32_EXPECT", expect, sizeof(expect));

    /* The test program may not have imported it yet. */
    secur32 = GetModuleHandleA("secur32.dll");
    if (!secur32) secur32 = LoadLibraryA("secur32.dll");
    ok(secur32 != NULL, "secur32.dll could not be loaded: %lu\n", GetLastError());
    if (!secur32) return;

    GetModuleFileNameA(secur32, path, sizeof(path));
    build_info = (build_info_fn)(void (*)(void))GetProcAddress(secur32, "WineSecur32BuildInfo");
    if (build_info) info = build_info();
    if (!child)
        trace("secur32 at %p: %s, %s\n", (void *)secur32, path, info ? info : "stock (no WineSecur32BuildInfo)");

    if (!strcmp(expect, "ours"))
    {
        ok(build_info != NULL, "expected our secur32, but %s has no WineSecur32BuildInfo\n", path);
        if (info)
        {
            ok(!strncmp(info, "wine-secur32 ", 13), "unexpected build info %s\n", wine_dbgstr_a(info));
#ifdef _WIN64
            ok(strstr(info, "x86_64") != NULL, "64-bit process but build info %s\n", info);
#else
            ok(strstr(info, "i686") != NULL, "32-bit process but build info %s\n", info);
#endif
        }
    }
    else if (!strcmp(expect, "stock"))
        ok(build_info == NULL, "expected Wine's secur32, but this one is ours: %s\n", info);
    else
        skip("WINE_SECUR32_EXPECT is %s; not checking which secur32 was loaded\n",
             expect[0] ? expect : "unset");

    /* Wine's schannel.dll forwards to secur32: its exports must land in the same module. */
    schannel = LoadLibraryA("schannel.dll");
    if (schannel && expect[0])
    {
        void *fn = (void *)GetProcAddress(schannel, "InitSecurityInterfaceW");
        ok(fn != NULL, "schannel.dll has no InitSecurityInterfaceW\n");
        if (fn) ok(module_of(fn) == secur32, "schannel!InitSecurityInterfaceW is in %p, secur32 is %p\n",
                   (void *)module_of(fn), (void *)secur32);
    }
    else if (!schannel && !child) skip("schannel.dll not available\n");
    if (schannel) FreeLibrary(schannel);

    if (!child && expect[0]) check_child();
}
