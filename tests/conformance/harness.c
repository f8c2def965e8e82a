/*
 * Unit "harness": tests the test harness (include/wine/test.h) itself.
 *
 * Checks that only make sense when they fail (failure lines, todo handling,
 * exit codes, crashes) run in a child process — this same program started as
 * `secur32_test.exe harness child SCENARIO` — whose output and exit code the
 * parent captures through a pipe and compares with what the harness promises.
 * Fake line numbers (ok_(__FILE__, 1001)) make the expected lines exact.
 * Everything else runs directly in the parent.
 */
#include <windows.h>
#include <stdio.h>
#include <string.h>
#include "wine/test.h"

#define F __FILE__

/* ---- child scenarios ----------------------------------------------------- */

static void child_basic(void)
{
    ok(1, "pass one\n");
    ok_(F, 1001)(0, "expected failure %d\n", 1);
    todo_if(1) ok_(F, 1002)(0, "known bug\n");
    todo_if(1) ok_(F, 1003)(1, "fixed bug\n");
    todo_wine ok_(F, 1004)(0, "wine-only bug\n");
    skip_(F, 1005)("no frobnicator\n");
    winetest_push_context("outer %d", 7);
    winetest_push_context("inner");
    ok_(F, 1006)(0, "with context\n");
    winetest_pop_context();
    winetest_pop_context();
    ok_(F, 1007)(0, "no context\n");
    trace_(F, 1008)("a trace %s\n", wine_dbgstr_a("x\ny"));
    ok_(F, 1009)(broken(1), "broken\n");
    win_skip_(F, 1010)("old windows\n");
    todo_if(1) { todo_if(0) ok_(F, 1011)(0, "nested\n"); }
    todo_if(0) ok_(F, 1012)(1, "not todo\n");
}

#define CHILD_THREADS 8
#define CHILD_THREAD_PASSES 500
#define CHILD_THREAD_FAILS 5

static DWORD WINAPI child_thread(void *arg)
{
    int id = (int)(INT_PTR)arg, i;

    winetest_push_context("T%d", id);
    for (i = 0; i < CHILD_THREAD_PASSES; i++)
    {
        ok(1, "pass\n");
        if (i % (CHILD_THREAD_PASSES / CHILD_THREAD_FAILS) == 0)
            ok_(F, 2000 + id)(0, "thread %d fail %d\n", id, i);
    }
    winetest_pop_context();
    return 0;
}

static void child_threads(void)
{
    HANDLE threads[CHILD_THREADS];
    int i;

    for (i = 0; i < CHILD_THREADS; i++)
        threads[i] = CreateThread(NULL, 0, child_thread, (void *)(INT_PTR)i, 0, NULL);
    WaitForMultipleObjects(CHILD_THREADS, threads, TRUE, INFINITE);
    for (i = 0; i < CHILD_THREADS; i++) CloseHandle(threads[i]);
}

static void child_many(void)
{
    int i;
    for (i = 0; i < 300; i++) ok_(F, 4001)(0, "failure %d\n", i);
    for (i = 0; i < 50; i++) trace_(F, 4002)("trace %d\n", i);
}

static void child_crash(void)
{
    ok_(F, 3001)(1, "before crash\n");
    *(volatile int *)(INT_PTR)8 = 1;
    ok_(F, 3002)(1, "never reached\n");
}

/* ---- running a child ------------------------------------------------------ */

struct child_result
{
    DWORD exit_code;
    char *out;      /* whole stdout+stderr, NUL-terminated */
    size_t len;
};

static void set_env(const char *name, const char *value, char *saved, DWORD size, BOOL *had)
{
    DWORD n = GetEnvironmentVariableA(name, saved, size);
    *had = n && n < size;
    SetEnvironmentVariableA(name, value);
}

static BOOL run_child(const char *scenario, const char *platform, struct child_result *res)
{
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    HANDLE rd, wr;
    char exe[MAX_PATH], cmd[MAX_PATH + 64], chunk[4096];
    char old_platform[64], old_debug[16], old_success[16];
    BOOL had_platform, had_debug, had_success, created;
    size_t cap = 65536;
    DWORD got;

    memset(res, 0, sizeof(*res));
    GetModuleFileNameA(NULL, exe, sizeof(exe));
    snprintf(cmd, sizeof(cmd), "\"%s\" harness child %s", exe, scenario);
    if (!CreatePipe(&rd, &wr, &sa, 0)) return FALSE;
    SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0);

    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = wr;
    si.hStdError = wr;

    /* The child reads its platform and verbosity from the environment. */
    set_env("WINETEST_PLATFORM", platform, old_platform, sizeof(old_platform), &had_platform);
    set_env("WINETEST_DEBUG", "1", old_debug, sizeof(old_debug), &had_debug);
    set_env("WINETEST_REPORT_SUCCESS", NULL, old_success, sizeof(old_success), &had_success);
    created = CreateProcessA(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    SetEnvironmentVariableA("WINETEST_PLATFORM", had_platform ? old_platform : NULL);
    SetEnvironmentVariableA("WINETEST_DEBUG", had_debug ? old_debug : NULL);
    SetEnvironmentVariableA("WINETEST_REPORT_SUCCESS", had_success ? old_success : NULL);
    CloseHandle(wr);
    if (!created)
    {
        CloseHandle(rd);
        return FALSE;
    }

    res->out = HeapAlloc(GetProcessHeap(), 0, cap);
    while (ReadFile(rd, chunk, sizeof(chunk), &got, NULL) && got)
    {
        if (res->len + got + 1 > cap)
        {
            cap = (res->len + got + 1) * 2;
            res->out = HeapReAlloc(GetProcessHeap(), 0, res->out, cap);
        }
        memcpy(res->out + res->len, chunk, got);
        res->len += got;
    }
    res->out[res->len] = 0;
    CloseHandle(rd);
    WaitForSingleObject(pi.hProcess, 60000);
    GetExitCodeProcess(pi.hProcess, &res->exit_code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return TRUE;
}

static void free_child(struct child_result *res)
{
    HeapFree(GetProcessHeap(), 0, res->out);
}

/* Whole-line match: the harness output is "\n"-separated (CRs tolerated). */
static BOOL has_line(const struct child_result *res, const char *line)
{
    size_t n = strlen(line);
    const char *p = res->out;

    while (p && *p)
    {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len && p[len - 1] == '\r') len--;
        if (len == n && !memcmp(p, line, n)) return TRUE;
        p = end ? end + 1 : NULL;
    }
    return FALSE;
}

static int count_substr(const struct child_result *res, const char *needle)
{
    const char *p = res->out;
    int n = 0;
    while ((p = strstr(p, needle))) { n++; p += strlen(needle); }
    return n;
}

#define expect_line(res, ...) expect_line_(__LINE__, res, __VA_ARGS__)
static void expect_line_(int line, const struct child_result *res, const char *fmt, ...)
{
    char want[512];
    va_list args;

    va_start(args, fmt);
    vsnprintf(want, sizeof(want), fmt, args);
    va_end(args);
    ok_(F, line)(has_line(res, want), "missing line %s\n", wine_dbgstr_a(want));
}

/* ---- parent-side checks ---------------------------------------------------- */

static void test_child_basic(const char *platform)
{
    BOOL wine = !strcmp(platform, "wine");
    struct child_result res;

    winetest_push_context("basic/%s", platform);
    if (!run_child("basic", platform, &res))
    {
        ok(0, "could not start the child: %lu\n", GetLastError());
        winetest_pop_context();
        return;
    }
    expect_line(&res, "harness.c:1001: Test failed: expected failure 1");
    expect_line(&res, "harness.c:1002: Test marked todo: known bug");
    expect_line(&res, "harness.c:1003: Test succeeded inside todo block: fixed bug");
    expect_line(&res, wine ? "harness.c:1004: Test marked todo: wine-only bug"
                           : "harness.c:1004: Test failed: wine-only bug");
    expect_line(&res, "harness.c:1005: Tests skipped: no frobnicator");
    expect_line(&res, "harness.c:1006: Test failed: outer 7: inner: with context");
    expect_line(&res, "harness.c:1007: Test failed: no context");
    expect_line(&res, "harness.c:1008: a trace \"x\\ny\"");
    ok(has_line(&res, "harness.c:1009: Test failed: broken") == wine, "broken() on %s\n", platform);
    expect_line(&res, wine ? "harness.c:1010: Test failed: old windows"
                           : "harness.c:1010: Tests skipped: old windows");
    expect_line(&res, "harness.c:1011: Test marked todo: nested");
    ok(!strstr(res.out, "not todo"), "a todo_if(0) check printed something\n");
    if (wine)
    {
        expect_line(&res, "harness: 11 tests executed (3 marked as todo, 6 failures), 1 skipped.");
        ok(res.exit_code == 6, "exit code %lu, expected 6\n", res.exit_code);
    }
    else
    {
        expect_line(&res, "harness: 10 tests executed (2 marked as todo, 5 failures), 2 skipped.");
        ok(res.exit_code == 5, "exit code %lu, expected 5\n", res.exit_code);
    }
    if (winetest_get_failures()) trace("child output:\n%s", res.out);
    free_child(&res);
    winetest_pop_context();
}

static void test_child_threads(void)
{
    struct child_result res;
    const char *p;
    int fails = 0, bad = 0;

    if (!run_child("threads", "windows", &res))
    {
        ok(0, "could not start the child: %lu\n", GetLastError());
        return;
    }
    /* Every failure line must be whole and carry its own thread's location and context. */
    for (p = res.out; (p = strstr(p, "Test failed: ")); p++)
    {
        const char *start = p;
        int line = -1, ctx = -2, id = -3, iter = -4;
        char tail = 0;

        while (start > res.out && start[-1] != '\n') start--;
        fails++;
        if (sscanf(start, "harness.c:%d: Test failed: T%d: thread %d fail %d%c",
                   &line, &ctx, &id, &iter, &tail) != 5 || tail != '\n' ||
            line != 2000 + ctx || ctx != id || id < 0 || id >= CHILD_THREADS)
        {
            if (bad++ < 5) ok(0, "garbled line: %s\n", wine_dbgstr_an(start, 80));
        }
    }
    ok(fails == CHILD_THREADS * CHILD_THREAD_FAILS, "%d failure lines\n", fails);
    ok(!bad, "%d garbled lines\n", bad);
    expect_line(&res, "harness: %d tests executed (0 marked as todo, %d failures), 0 skipped.",
                CHILD_THREADS * (CHILD_THREAD_PASSES + CHILD_THREAD_FAILS),
                CHILD_THREADS * CHILD_THREAD_FAILS);
    ok(res.exit_code == CHILD_THREADS * CHILD_THREAD_FAILS, "exit code %lu\n", res.exit_code);
    free_child(&res);
}

static void test_child_many(void)
{
    struct child_result res;

    if (!run_child("many", "windows", &res))
    {
        ok(0, "could not start the child: %lu\n", GetLastError());
        return;
    }
    ok(res.exit_code == 255, "exit code %lu, expected 255 (capped)\n", res.exit_code);
    ok(count_substr(&res, "Test failed: failure ") == 300, "failures are never silenced: %d lines\n",
       count_substr(&res, "Test failed: failure "));
    ok(count_substr(&res, "harness.c:4002: trace ") == 42, "%d trace lines, expected 42\n",
       count_substr(&res, "harness.c:4002: trace "));
    expect_line(&res, "harness.c:4002: Line has been silenced after 42 occurrences");
    expect_line(&res, "harness: Silenced 0 todos, 0 skips and 8 traces.");
    expect_line(&res, "harness: 300 tests executed (0 marked as todo, 300 failures), 0 skipped.");
    free_child(&res);
}

static void test_child_crash(void)
{
    struct child_result res;

    if (!run_child("crash", "windows", &res))
    {
        ok(0, "could not start the child: %lu\n", GetLastError());
        return;
    }
    expect_line(&res, "harness.c:3001: this is the last test seen before the exception");
    ok(strstr(res.out, "harness: unhandled exception c0000005 at ") != NULL, "no exception line\n");
    expect_line(&res, "harness: 2 tests executed (0 marked as todo, 1 failure), 0 skipped.");
    ok(res.exit_code == 1, "exit code %lu, expected 1\n", res.exit_code);
    ok(!strstr(res.out, "never reached"), "ran past the crash\n");
    free_child(&res);
}

static void test_dbgstr(void)
{
    static const WCHAR wide[] = { 'x', 0x1234, '\t', 0 };
    static const GUID guid = { 0x12345678, 0x9abc, 0xdef0, { 1, 2, 3, 4, 5, 6, 7, 8 } };
    char longstr[1001];

    ok(!strcmp(wine_dbgstr_a("a\"b\n"), "\"a\\\"b\\n\""), "got %s\n", wine_dbgstr_a("a\"b\n"));
    ok(!strcmp(wine_dbgstr_a(NULL), "(null)"), "got %s\n", wine_dbgstr_a(NULL));
    ok(!strcmp(wine_dbgstr_an("abcdef", 3), "\"abc\""), "got %s\n", wine_dbgstr_an("abcdef", 3));
    ok(!strcmp(wine_dbgstr_w(wide), "L\"x\\x1234\\t\""), "got %s\n", wine_dbgstr_w(wide));
    ok(!strcmp(wine_dbgstr_wn(wide, 1), "L\"x\""), "got %s\n", wine_dbgstr_wn(wide, 1));
    ok(!strcmp(wine_dbgstr_w((const WCHAR *)(INT_PTR)0x12), "#0012"), "got %s\n",
       wine_dbgstr_w((const WCHAR *)(INT_PTR)0x12));
    ok(!strcmp(wine_dbgstr_guid(&guid), "{12345678-9abc-def0-0102-030405060708}"), "got %s\n",
       wine_dbgstr_guid(&guid));
    ok(!strcmp(wine_dbgstr_longlong(0x123456789aULL), "123456789a"), "got %s\n",
       wine_dbgstr_longlong(0x123456789aULL));
    ok(!strcmp(wine_dbg_sprintf("%d-%s", 42, "x"), "42-x"), "wine_dbg_sprintf\n");

    memset(longstr, 'q', sizeof(longstr) - 1);
    longstr[sizeof(longstr) - 1] = 0;
    ok(strlen(wine_dbgstr_a(longstr)) < 400, "long strings are shortened\n");
    ok(!strcmp(wine_dbgstr_a(longstr) + strlen(wine_dbgstr_a(longstr)) - 4, "\"..."), "marked as cut\n");
}

static void test_basics(void)
{
    char env[64], **argv;
    int argc = winetest_get_mainargs(&argv);
    DWORD n;
    int i;

    ok(argc >= 2 && !strcmp(argv[1], "harness"), "argv[1] = %s\n", argc >= 2 ? argv[1] : "(none)");

    n = GetEnvironmentVariableA("WINETEST_PLATFORM", env, sizeof(env));
    ok(!strcmp(winetest_platform, n ? env : "windows"), "platform %s, environment %s\n",
       winetest_platform, n ? env : "(unset)");
    ok(broken(1) == !strcmp(winetest_platform, "windows"), "broken() follows the platform\n");
    ok(!broken(0), "broken(0) must be false\n");

    /* Checks must not disturb the caller's last error. */
    SetLastError(0xdeadbeef);
    ok(GetLastError() == 0xdeadbeef, "last error %lx\n", GetLastError());
    ok(GetLastError() == 0xdeadbeef, "last error changed by ok(): %lx\n", GetLastError());

    /* Deep or unbalanced contexts must stay harmless. */
    for (i = 0; i < 20; i++) winetest_push_context("level %d", i);
    for (i = 0; i < 25; i++) winetest_pop_context();
    ok(1, "after context overflow\n");

    trace("platform %s, debug %d, interactive %d\n", winetest_platform, winetest_debug,
          winetest_interactive);
}

START_TEST(harness)
{
    char **argv;
    int argc = winetest_get_mainargs(&argv);

    if (argc >= 4 && !strcmp(argv[2], "child"))
    {
        if (!strcmp(argv[3], "basic")) child_basic();
        else if (!strcmp(argv[3], "threads")) child_threads();
        else if (!strcmp(argv[3], "many")) child_many();
        else if (!strcmp(argv[3], "crash")) child_crash();
        else ok(0, "unknown child scenario %s\n", argv[3]);
        return;
    }

    test_basics();
    test_dbgstr();
    test_child_basic("windows");
    test_child_basic("wine");
    test_child_threads();
    test_child_many();
    test_child_crash();
}
