/*
 * wine/test.h — wine-secur32's own test harness, source compatible with the
 * API that Wine's conformance tests use (ok, todo_wine, skip, trace, broken,
 * contexts, START_TEST ...), so that tests written in Wine's style build and
 * report the same way.  Written for this project; usable from C and C++,
 * MinGW gcc, x86_64 and i686.
 *
 * Usage
 *   A test unit is a C file with START_TEST(unit) { ... }.  The build generates
 *   one extra file (build/tests/testlist.c) that defines STANDALONE, includes
 *   this header and defines `winetest_testlist[]`; that translation unit gets
 *   the implementation and main().
 *
 *   secur32_test.exe UNIT [args...]   run one unit
 *   secur32_test.exe --list           list the units
 *   secur32_test.exe                  usage and the list of units
 *
 * Output (stdout)
 *   file.c:LINE: Test failed: [context: ]message
 *   file.c:LINE: Test succeeded inside todo block: message   (counts as a failure)
 *   file.c:LINE: Test marked todo: message
 *   file.c:LINE: Tests skipped: message
 *   UNIT: N tests executed (M marked as todo, F failures), S skipped.
 *   The exit code is the number of failures, capped at 255.
 *
 * Environment
 *   WINETEST_PLATFORM   "windows" (default) or "wine": todo_wine and friends
 *                       are active only on "wine"; broken() only on "windows".
 *                       Unlike Wine's harness there is no auto-detection: our
 *                       secur32 aims at Windows behaviour even under Wine, so
 *                       the runner says explicitly what it expects.
 *   WINETEST_DEBUG      0 silences traces/todo notes/summary, >1 reports successes
 *   WINETEST_INTERACTIVE, WINETEST_REPORT_SUCCESS, WINETEST_REPORT_FLAKY
 *
 * Thread safety: counters are updated with Interlocked operations; location,
 * todo/flaky nesting and contexts are per thread; each message line is
 * formatted first and written under a lock, so lines never interleave.
 */
#ifndef WINE_SECUR32_WINE_TEST_H
#define WINE_SECUR32_WINE_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
# define WINETEST_PRINTF_ATTR(fmt, args) __attribute__((format(printf, fmt, args)))
#else
# define WINETEST_PRINTF_ATTR(fmt, args)
#endif

#ifndef ARRAY_SIZE
# define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))
#endif
#ifndef INVALID_FILE_ATTRIBUTES
# define INVALID_FILE_ATTRIBUTES (~0u)
#endif
#ifndef INVALID_SET_FILE_POINTER
# define INVALID_SET_FILE_POINTER (~0u)
#endif

/* ---- public state -------------------------------------------------------- */
extern int winetest_debug;           /* WINETEST_DEBUG, default 1 */
extern int winetest_interactive;     /* WINETEST_INTERACTIVE */
extern int winetest_report_success;  /* WINETEST_REPORT_SUCCESS */
extern int winetest_report_flaky;    /* WINETEST_REPORT_FLAKY */
extern int winetest_mute_threshold;  /* a line's traces/todos/skips beyond this are counted silently */
extern const char *winetest_platform;

/* ---- functions behind the macros ------------------------------------------- */
void winetest_set_location(const char *file, int line);
int  winetest_vok(int condition, const char *msg, va_list args);
void winetest_ok(int condition, const char *msg, ...) WINETEST_PRINTF_ATTR(2, 3);
void winetest_vskip(const char *msg, va_list args);
void winetest_skip(const char *msg, ...) WINETEST_PRINTF_ATTR(1, 2);
void winetest_win_skip(const char *msg, ...) WINETEST_PRINTF_ATTR(1, 2);
void winetest_trace(const char *msg, ...) WINETEST_PRINTF_ATTR(1, 2);
void winetest_subtest(const char *name);
void winetest_push_context(const char *fmt, ...) WINETEST_PRINTF_ATTR(1, 2);
void winetest_pop_context(void);
int  winetest_todo_begin(int is_todo);
int  winetest_todo_end(void);
int  winetest_flaky_begin(int is_flaky);
int  winetest_flaky_end(void);
int  winetest_get_mainargs(char ***pargv);
LONG winetest_get_failures(void);
void winetest_add_failures(LONG new_failures);
void winetest_wait_child_process(HANDLE process);
int  broken(int condition);
int  winetest_is_wine(void);

/* Debug strings: valid until a few more are made on the same thread. */
const char *wine_dbg_sprintf(const char *fmt, ...) WINETEST_PRINTF_ATTR(1, 2);
const char *wine_dbgstr_an(const char *str, int n);
const char *wine_dbgstr_wn(const WCHAR *str, int n);
const char *wine_dbgstr_guid(const GUID *guid);
const char *wine_dbgstr_longlong(ULONGLONG value);
const char *wine_dbgstr_rect(const RECT *rect);
const char *wine_dbgstr_point(const POINT *pt);
static inline const char *wine_dbgstr_a(const char *s) { return wine_dbgstr_an(s, -1); }
static inline const char *wine_dbgstr_w(const WCHAR *s) { return wine_dbgstr_wn(s, -1); }

#ifndef debugstr_a
# define debugstr_a(s)      wine_dbgstr_a(s)
# define debugstr_an(s, n)  wine_dbgstr_an(s, n)
# define debugstr_w(s)      wine_dbgstr_w(s)
# define debugstr_wn(s, n)  wine_dbgstr_wn(s, n)
# define debugstr_guid(g)   wine_dbgstr_guid(g)
#endif

/* ---- test macros ------------------------------------------------------------
 * ok_(file, line)(cond, fmt, ...) records the location for this thread, then
 * calls the reporting function with the caller's arguments.               */
#define ok_(file, line)       (winetest_set_location(file, line), winetest_ok)
#define skip_(file, line)     (winetest_set_location(file, line), winetest_skip)
#define win_skip_(file, line) (winetest_set_location(file, line), winetest_win_skip)
#define trace_(file, line)    (winetest_set_location(file, line), winetest_trace)
#define subtest_(file, line)  (winetest_set_location(file, line), winetest_subtest)
#define wait_child_process_(file, line) (winetest_set_location(file, line), winetest_wait_child_process)

#define ok                 ok_(__FILE__, __LINE__)
#define skip               skip_(__FILE__, __LINE__)
#define win_skip           win_skip_(__FILE__, __LINE__)
#define trace              trace_(__FILE__, __LINE__)
#define subtest            subtest_(__FILE__, __LINE__)
#define wait_child_process wait_child_process_(__FILE__, __LINE__)

/* todo_if(c) STATEMENT: the statement's checks are expected to fail when c.
 * A loop that runs its body once; begin() returns 1, end() returns 0.
 * Do not leave the block with break/goto/return.                          */
#define WINETEST_CAT2_(a, b) a##b
#define WINETEST_CAT_(a, b)  WINETEST_CAT2_(a, b)
#define todo_if(is_todo) \
    for (int WINETEST_CAT_(winetest_todo_, __LINE__) = winetest_todo_begin(is_todo); \
         WINETEST_CAT_(winetest_todo_, __LINE__); \
         WINETEST_CAT_(winetest_todo_, __LINE__) = winetest_todo_end())
#define todo_wine             todo_if(winetest_is_wine())
#define todo_wine_if(is_todo) todo_if((is_todo) && winetest_is_wine())

#define flaky_if(is_flaky) \
    for (int WINETEST_CAT_(winetest_flaky_, __LINE__) = winetest_flaky_begin(is_flaky); \
         WINETEST_CAT_(winetest_flaky_, __LINE__); \
         WINETEST_CAT_(winetest_flaky_, __LINE__) = winetest_flaky_end())
#define flaky                   flaky_if(1)
#define flaky_wine              flaky_if(winetest_is_wine())
#define flaky_wine_if(is_flaky) flaky_if((is_flaky) && winetest_is_wine())

#ifdef __cplusplus
# define WINETEST_EXTERN_C extern "C"
#else
# define WINETEST_EXTERN_C
#endif

#ifdef STANDALONE
/* The unit table; only the STANDALONE translation unit needs the type. */
struct test
{
    const char *name;
    void (*func)(void);
};
extern const struct test winetest_testlist[];

/* A single-file test program: START_TEST also provides the unit list. */
# define START_TEST(name) \
    static void func_##name(void); \
    WINETEST_EXTERN_C const struct test winetest_testlist[] = { { #name, func_##name }, { 0, 0 } }; \
    static void func_##name(void)
#else
# define START_TEST(name) WINETEST_EXTERN_C void func_##name(void); \
                          WINETEST_EXTERN_C void func_##name(void)
#endif

#ifdef __cplusplus
}
#endif

/* ============================================================================
 * Implementation: compiled into the one translation unit that defines
 * STANDALONE (the generated testlist.c).
 * ==========================================================================*/
#ifdef STANDALONE

#include <fcntl.h>
#include <io.h>

#ifdef __cplusplus
extern "C" {
#endif

int winetest_debug = 1;
int winetest_interactive = 0;
int winetest_report_success = 0;
int winetest_report_flaky = 0;
int winetest_mute_threshold = 42;
const char *winetest_platform = "windows";

#define WINETEST_MAX_CONTEXTS 8
#define WINETEST_CONTEXT_LEN  128
#define WINETEST_DBG_BUF      8192

/* Everything that must not be shared between threads. */
struct winetest_thread
{
    const char *file;                 /* location of the current check */
    int line;
    unsigned int todo_bits;           /* one bit per todo nesting level */
    unsigned int flaky_bits;
    unsigned int context_count;
    char context[WINETEST_MAX_CONTEXTS][WINETEST_CONTEXT_LEN];
    unsigned int dbg_pos;             /* ring buffer for wine_dbgstr_* */
    char dbg[WINETEST_DBG_BUF];
};

static DWORD winetest_tls = TLS_OUT_OF_INDEXES;
static CRITICAL_SECTION winetest_print_cs;
static volatile LONG winetest_print_ready;
static int winetest_argc;
static char **winetest_argv;
static const struct test *winetest_current;

/* Counters, always changed with Interlocked operations. */
static volatile LONG winetest_successes;
static volatile LONG winetest_failures;      /* plain failures */
static volatile LONG winetest_todo_failures; /* succeeded although marked todo */
static volatile LONG winetest_todos;         /* failed as expected (marked todo) */
static volatile LONG winetest_flaky_failures;
static volatile LONG winetest_skipped;
static volatile LONG winetest_muted_todos, winetest_muted_skips, winetest_muted_traces;

/* How often each line (hashed) produced a trace/todo/skip message. */
static volatile LONG winetest_line_hits[8192];

static struct winetest_thread *winetest_self(void)
{
    DWORD saved_error = GetLastError();  /* checks often inspect GetLastError() afterwards */
    struct winetest_thread *t;

    if (winetest_tls == TLS_OUT_OF_INDEXES)
    {
        DWORD idx = TlsAlloc();
        if (InterlockedCompareExchange((volatile LONG *)&winetest_tls, (LONG)idx,
                                       (LONG)TLS_OUT_OF_INDEXES) != (LONG)TLS_OUT_OF_INDEXES)
            TlsFree(idx);
    }
    t = (struct winetest_thread *)TlsGetValue(winetest_tls);
    if (!t)
    {
        t = (struct winetest_thread *)HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*t));
        if (!t) { fputs("winetest: out of memory\n", stdout); ExitProcess(255); }
        t->file = "";
        TlsSetValue(winetest_tls, t);
    }
    SetLastError(saved_error);
    return t;
}

static void winetest_lock(void)
{
    if (winetest_print_ready) EnterCriticalSection(&winetest_print_cs);
}

static void winetest_unlock(void)
{
    if (winetest_print_ready) LeaveCriticalSection(&winetest_print_cs);
}

/* Write text as one unit so concurrent messages never interleave. */
static void winetest_write(const char *text, size_t len)
{
    winetest_lock();
    fwrite(text, 1, len, stdout);
    fflush(stdout);
    winetest_unlock();
}

/* "file:line: <kind><ctx1>: <ctx2>: <message>" — formatted before writing. */
static void winetest_report(const char *kind, const char *fmt, va_list args)
{
    struct winetest_thread *t = winetest_self();
    char stackbuf[1024], *buf = stackbuf;
    size_t cap = sizeof(stackbuf), len;
    unsigned int i, shown;
    int n, need;
    va_list copy;

    n = _snprintf(buf, cap, "%s:%d: %s", t->file, t->line, kind);
    len = (n < 0) ? 0 : (size_t)n;
    shown = t->context_count < WINETEST_MAX_CONTEXTS ? t->context_count : WINETEST_MAX_CONTEXTS;
    for (i = 0; i < shown && len + WINETEST_CONTEXT_LEN + 3 < cap; i++)
    {
        n = _snprintf(buf + len, cap - len, "%s: ", t->context[i]);
        if (n > 0) len += (size_t)n;
    }

    va_copy(copy, args);
    need = _vscprintf(fmt, copy);
    va_end(copy);
    if (need < 0) need = 0;
    if (len + (size_t)need + 1 > cap)
    {
        char *big = (char *)HeapAlloc(GetProcessHeap(), 0, len + (size_t)need + 1);
        if (big)
        {
            memcpy(big, buf, len);
            buf = big;
            cap = len + (size_t)need + 1;
        }
    }
    va_copy(copy, args);
    n = _vsnprintf(buf + len, cap - len - 1, fmt, copy);
    va_end(copy);
    len = (n < 0) ? cap - 1 : len + (size_t)n;
    buf[len] = 0;
    winetest_write(buf, len);
    if (buf != stackbuf) HeapFree(GetProcessHeap(), 0, buf);
}

static void winetest_reportf(const char *kind, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    winetest_report(kind, fmt, args);
    va_end(args);
}

/* Returns how many times this line has already produced a message. */
static LONG winetest_line_hit(void)
{
    struct winetest_thread *t = winetest_self();
    LONG seen;

    if (winetest_debug > 1) return 0;  /* verbose runs are never muted */
    seen = InterlockedIncrement(&winetest_line_hits[(unsigned int)t->line % ARRAY_SIZE(winetest_line_hits)]) - 1;
    if (seen == winetest_mute_threshold)
        winetest_reportf("", "Line has been silenced after %d occurrences\n", winetest_mute_threshold);
    return seen;
}

void winetest_set_location(const char *file, int line)
{
    struct winetest_thread *t = winetest_self();
    const char *slash = strrchr(file, '/'), *bslash = strrchr(file, '\\');

    if (bslash > slash) slash = bslash;
    t->file = slash ? slash + 1 : file;
    t->line = line;
}

int winetest_is_wine(void)
{
    return !strcmp(winetest_platform, "wine");
}

int broken(int condition)
{
    return !strcmp(winetest_platform, "windows") && condition;
}

int winetest_vok(int condition, const char *msg, va_list args)
{
    struct winetest_thread *t = winetest_self();

    if (t->todo_bits)
    {
        if (condition)
        {
            /* The todo is stale: the code now works, so the marker must go. */
            if (t->flaky_bits)
            {
                winetest_report("Test succeeded inside flaky todo block: ", msg, args);
                InterlockedIncrement(&winetest_flaky_failures);
            }
            else
            {
                winetest_report("Test succeeded inside todo block: ", msg, args);
                InterlockedIncrement(&winetest_todo_failures);
            }
            return 0;
        }
        if (winetest_debug == 0 || winetest_line_hit() < winetest_mute_threshold)
        {
            if (winetest_debug > 0) winetest_report("Test marked todo: ", msg, args);
            InterlockedIncrement(&winetest_todos);
        }
        else InterlockedIncrement(&winetest_muted_todos);
        return 1;
    }

    if (!condition)
    {
        if (t->flaky_bits)
        {
            winetest_report("Test marked flaky: ", msg, args);
            InterlockedIncrement(&winetest_flaky_failures);
        }
        else
        {
            winetest_report("Test failed: ", msg, args);
            InterlockedIncrement(&winetest_failures);
        }
        return 0;
    }
    if (winetest_report_success || winetest_debug > 1)
        winetest_reportf("", "Test succeeded\n");
    InterlockedIncrement(&winetest_successes);
    return 1;
}

void winetest_ok(int condition, const char *msg, ...)
{
    va_list args;
    va_start(args, msg);
    winetest_vok(condition, msg, args);
    va_end(args);
}

void winetest_vskip(const char *msg, va_list args)
{
    if (winetest_line_hit() < winetest_mute_threshold)
    {
        winetest_report("Tests skipped: ", msg, args);
        InterlockedIncrement(&winetest_skipped);
    }
    else InterlockedIncrement(&winetest_muted_skips);
}

void winetest_skip(const char *msg, ...)
{
    va_list args;
    va_start(args, msg);
    winetest_vskip(msg, args);
    va_end(args);
}

/* A skip that is only legitimate on (old) Windows; elsewhere it is a failure. */
void winetest_win_skip(const char *msg, ...)
{
    va_list args;
    va_start(args, msg);
    if (!strcmp(winetest_platform, "windows")) winetest_vskip(msg, args);
    else winetest_vok(0, msg, args);
    va_end(args);
}

void winetest_trace(const char *msg, ...)
{
    va_list args;

    if (!winetest_debug) return;
    if (winetest_line_hit() >= winetest_mute_threshold)
    {
        InterlockedIncrement(&winetest_muted_traces);
        return;
    }
    va_start(args, msg);
    winetest_report("", msg, args);
    va_end(args);
}

void winetest_subtest(const char *name)
{
    winetest_reportf("", "Subtest %s\n", name);
}

void winetest_push_context(const char *fmt, ...)
{
    struct winetest_thread *t = winetest_self();
    va_list args;

    /* Deeper levels are counted (so pops stay balanced) but not printed. */
    if (t->context_count < WINETEST_MAX_CONTEXTS)
    {
        char *slot = t->context[t->context_count];
        va_start(args, fmt);
        _vsnprintf(slot, WINETEST_CONTEXT_LEN - 1, fmt, args);
        va_end(args);
        slot[WINETEST_CONTEXT_LEN - 1] = 0;
    }
    t->context_count++;
}

void winetest_pop_context(void)
{
    struct winetest_thread *t = winetest_self();
    if (t->context_count) t->context_count--;
}

int winetest_todo_begin(int is_todo)
{
    struct winetest_thread *t = winetest_self();
    t->todo_bits = (t->todo_bits << 1) | (is_todo ? 1u : 0u);
    return 1;
}

int winetest_todo_end(void)
{
    winetest_self()->todo_bits >>= 1;
    return 0;
}

int winetest_flaky_begin(int is_flaky)
{
    struct winetest_thread *t = winetest_self();
    t->flaky_bits = (t->flaky_bits << 1) | (is_flaky ? 1u : 0u);
    return 1;
}

int winetest_flaky_end(void)
{
    winetest_self()->flaky_bits >>= 1;
    return 0;
}

int winetest_get_mainargs(char ***pargv)
{
    *pargv = winetest_argv;
    return winetest_argc;
}

LONG winetest_get_failures(void)
{
    return winetest_failures;
}

void winetest_add_failures(LONG new_failures)
{
    while (new_failures-- > 0) InterlockedIncrement(&winetest_failures);
}

/* Waits for a child test process and adds its failures (its exit code) to ours. */
void winetest_wait_child_process(HANDLE process)
{
    DWORD code = 0, wait;

    if (!process)
    {
        winetest_ok(0, "no child process handle (CreateProcess failed?)\n");
        return;
    }
    wait = WaitForSingleObject(process, 60000);
    if (wait == WAIT_TIMEOUT)
    {
        winetest_ok(0, "timed out waiting for the child process\n");
        return;
    }
    if (wait != WAIT_OBJECT_0 || !GetExitCodeProcess(process, &code))
    {
        winetest_ok(0, "could not wait for the child process: %lu, error %lu\n",
                    (unsigned long)wait, (unsigned long)GetLastError());
        return;
    }
    if (code > 255)
    {
        winetest_reportf("", "unhandled exception %08lx in child process %04lx\n",
                         (unsigned long)code, (unsigned long)GetProcessId(process));
        InterlockedIncrement(&winetest_failures);
    }
    else if (code)
    {
        winetest_reportf("", "%lu failures in child process\n", (unsigned long)code);
        winetest_add_failures((LONG)code);
    }
}

/* ---- debug strings ------------------------------------------------------- */

/* Carves len+1 bytes out of this thread's ring buffer. */
static char *winetest_dbg_alloc(size_t len)
{
    struct winetest_thread *t = winetest_self();
    char *res;

    if (len + 1 > WINETEST_DBG_BUF / 4) len = WINETEST_DBG_BUF / 4 - 1;
    if (t->dbg_pos + len + 1 > WINETEST_DBG_BUF) t->dbg_pos = 0;
    res = t->dbg + t->dbg_pos;
    t->dbg_pos += (unsigned int)len + 1;
    res[0] = 0;
    return res;
}

const char *wine_dbg_sprintf(const char *fmt, ...)
{
    char *res = winetest_dbg_alloc(WINETEST_DBG_BUF / 4 - 1);
    va_list args;

    va_start(args, fmt);
    _vsnprintf(res, WINETEST_DBG_BUF / 4 - 1, fmt, args);
    va_end(args);
    res[WINETEST_DBG_BUF / 4 - 1] = 0;
    return res;
}

/* Quotes a string, escaping what would not print plainly; long ones end in "...". */
static const char *winetest_quote(const void *str, int n, int wide)
{
    enum { MAX_SHOWN = 300 };
    char tmp[MAX_SHOWN * 6 + 16], *p = tmp, *res;
    size_t len;
    int i;

    if (!str) return "(null)";
    if (((ULONG_PTR)str >> 16) == 0)  /* an integer atom / resource id */
        return wine_dbg_sprintf("#%04x", (unsigned int)(ULONG_PTR)str);
    if (n < 0)
    {
        n = 0;
        if (wide) while (((const WCHAR *)str)[n]) n++;
        else while (((const char *)str)[n]) n++;
    }
    if (wide) *p++ = 'L';
    *p++ = '"';
    for (i = 0; i < n && i < MAX_SHOWN; i++)
    {
        unsigned int c = wide ? ((const WCHAR *)str)[i] : (unsigned char)((const char *)str)[i];
        switch (c)
        {
        case '\n': *p++ = '\\'; *p++ = 'n'; break;
        case '\r': *p++ = '\\'; *p++ = 'r'; break;
        case '\t': *p++ = '\\'; *p++ = 't'; break;
        case '"':  *p++ = '\\'; *p++ = '"'; break;
        case '\\': *p++ = '\\'; *p++ = '\\'; break;
        default:
            if (c >= 0x20 && c < 0x7f) *p++ = (char)c;
            else if (wide && c > 0xff) p += sprintf(p, "\\x%04x", c);
            else p += sprintf(p, "\\x%02x", c);
        }
    }
    *p++ = '"';
    if (i < n) { *p++ = '.'; *p++ = '.'; *p++ = '.'; }
    *p = 0;
    len = (size_t)(p - tmp);
    if (len > WINETEST_DBG_BUF / 4 - 1) len = WINETEST_DBG_BUF / 4 - 1;
    res = winetest_dbg_alloc(len);
    memcpy(res, tmp, len);
    res[len] = 0;
    return res;
}

const char *wine_dbgstr_an(const char *str, int n) { return winetest_quote(str, n, 0); }
const char *wine_dbgstr_wn(const WCHAR *str, int n) { return winetest_quote(str, n, 1); }

const char *wine_dbgstr_guid(const GUID *g)
{
    if (!g) return "(null)";
    if (((ULONG_PTR)g >> 16) == 0) return wine_dbg_sprintf("<guid-0x%04x>", (unsigned int)(ULONG_PTR)g);
    return wine_dbg_sprintf("{%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}",
                            (unsigned long)g->Data1, g->Data2, g->Data3, g->Data4[0], g->Data4[1],
                            g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6], g->Data4[7]);
}

const char *wine_dbgstr_longlong(ULONGLONG v)
{
    if (v >> 32) return wine_dbg_sprintf("%lx%08lx", (unsigned long)(v >> 32), (unsigned long)(v & 0xffffffff));
    return wine_dbg_sprintf("%lx", (unsigned long)v);
}

const char *wine_dbgstr_rect(const RECT *r)
{
    if (!r) return "(null)";
    return wine_dbg_sprintf("(%ld,%ld)-(%ld,%ld)", (long)r->left, (long)r->top, (long)r->right, (long)r->bottom);
}

const char *wine_dbgstr_point(const POINT *pt)
{
    if (!pt) return "(null)";
    return wine_dbg_sprintf("(%ld,%ld)", (long)pt->x, (long)pt->y);
}

/* ---- running ------------------------------------------------------------- */

static int winetest_exit_status(void)
{
    LONG status = winetest_failures + winetest_todo_failures;
    if (winetest_report_flaky) status += winetest_flaky_failures;
    return status > 255 ? 255 : (int)status;
}

static void winetest_summary(void)
{
    const char *name = winetest_current ? winetest_current->name : "winetest";
    LONG failed = winetest_failures + winetest_todo_failures;
    LONG total = winetest_successes + winetest_failures + winetest_todo_failures +
                 winetest_todos + winetest_flaky_failures;
    char line[512];
    int n;

    if (!winetest_debug) return;
    if (winetest_muted_todos || winetest_muted_skips || winetest_muted_traces)
    {
        n = _snprintf(line, sizeof(line) - 1, "%s: Silenced %ld todos, %ld skips and %ld traces.\n",
                      name, (long)winetest_muted_todos, (long)winetest_muted_skips,
                      (long)winetest_muted_traces);
        if (n > 0) winetest_write(line, (size_t)n);
    }
    if (winetest_flaky_failures)
        n = _snprintf(line, sizeof(line) - 1,
                      "%s: %ld tests executed (%ld marked as todo, %ld as flaky, %ld %s), %ld skipped.\n",
                      name, (long)total, (long)winetest_todos, (long)winetest_flaky_failures,
                      (long)failed, failed == 1 ? "failure" : "failures", (long)winetest_skipped);
    else
        n = _snprintf(line, sizeof(line) - 1,
                      "%s: %ld tests executed (%ld marked as todo, %ld %s), %ld skipped.\n",
                      name, (long)total, (long)winetest_todos, (long)failed,
                      failed == 1 ? "failure" : "failures", (long)winetest_skipped);
    if (n > 0) winetest_write(line, (size_t)n);
}

/* An unhandled exception ends the unit: say where, count it, summarise, exit. */
static LONG WINAPI winetest_exception_filter(EXCEPTION_POINTERS *ptrs)
{
    struct winetest_thread *t = winetest_self();
    char line[512];
    int n, tries;

    /* The crash may have happened while printing; never wait long for the lock. */
    for (tries = 0; winetest_print_ready && tries < 200; tries++)
    {
        if (TryEnterCriticalSection(&winetest_print_cs)) { LeaveCriticalSection(&winetest_print_cs); break; }
        Sleep(10);
    }
    if (tries == 200) winetest_print_ready = 0;

    if (t->line)
    {
        n = _snprintf(line, sizeof(line) - 1, "%s:%d: this is the last test seen before the exception\n",
                      t->file, t->line);
        if (n > 0) winetest_write(line, (size_t)n);
    }
    n = _snprintf(line, sizeof(line) - 1, "%s: unhandled exception %08lx at %p\n",
                  winetest_current ? winetest_current->name : "winetest",
                  (unsigned long)ptrs->ExceptionRecord->ExceptionCode,
                  ptrs->ExceptionRecord->ExceptionAddress);
    if (n > 0) winetest_write(line, (size_t)n);
    InterlockedIncrement(&winetest_failures);
    winetest_summary();
    fflush(stdout);
    ExitProcess((UINT)winetest_exit_status());
    return EXCEPTION_EXECUTE_HANDLER;
}

static const struct test *winetest_find(const char *name)
{
    const struct test *test;
    const char *p;
    size_t len;

    if ((p = strrchr(name, '/'))) name = p + 1;
    if ((p = strrchr(name, '\\'))) name = p + 1;
    len = strlen(name);
    if (len > 2 && !strcmp(name + len - 2, ".c")) len -= 2;
    for (test = winetest_testlist; test->name; test++)
        if (strlen(test->name) == len && !strncmp(test->name, name, len)) return test;
    return NULL;
}

static void winetest_list(void)
{
    const struct test *test;
    for (test = winetest_testlist; test->name; test++) printf("    %s\n", test->name);
}

static int winetest_env_int(const char *name, int fallback)
{
    char buf[32];
    DWORD n = GetEnvironmentVariableA(name, buf, sizeof(buf));
    return (n && n < sizeof(buf)) ? atoi(buf) : fallback;
}

int main(int argc, char **argv)
{
    static char platform[64];
    const char *prog = argv[0] ? argv[0] : "test.exe";
    DWORD n;

    /* Plain "\n" line ends: the output is read by Unix tools and logs. */
    _setmode(_fileno(stdout), _O_BINARY);
    _setmode(_fileno(stderr), _O_BINARY);
    setvbuf(stdout, NULL, _IONBF, 0);
    InitializeCriticalSection(&winetest_print_cs);
    winetest_print_ready = 1;
    winetest_self();  /* allocates the TLS slot before any thread can race for it */

    winetest_argc = argc;
    winetest_argv = argv;
    n = GetEnvironmentVariableA("WINETEST_PLATFORM", platform, sizeof(platform));
    if (n && n < sizeof(platform)) winetest_platform = platform;
    winetest_debug = winetest_env_int("WINETEST_DEBUG", 1);
    winetest_interactive = winetest_env_int("WINETEST_INTERACTIVE", 0);
    winetest_report_success = winetest_env_int("WINETEST_REPORT_SUCCESS", 0);
    winetest_report_flaky = winetest_env_int("WINETEST_REPORT_FLAKY", 0);

    if (argc < 2 || !argv[1])
    {
        /* Like Wine: a program with a single unit just runs it. */
        if (winetest_testlist[0].name && !winetest_testlist[1].name)
            winetest_current = &winetest_testlist[0];
        else
        {
            printf("Usage: %s UNIT [ARGS...] | --list\n\nValid test names:\n", prog);
            winetest_list();
            return 1;
        }
    }
    else if (!strcmp(argv[1], "--list"))
    {
        winetest_list();
        return 0;
    }
    else if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
    {
        printf("Usage: %s UNIT [ARGS...] | --list\n\nValid test names:\n", prog);
        winetest_list();
        return 0;
    }
    else if (!(winetest_current = winetest_find(argv[1])))
    {
        printf("Fatal: test '%s' does not exist.\n", argv[1]);
        return 1;
    }

    SetUnhandledExceptionFilter(winetest_exception_filter);
    if (!winetest_interactive) SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);

    winetest_current->func();

    winetest_summary();
    return winetest_exit_status();
}

#ifdef __cplusplus
}
#endif

#endif /* STANDALONE */

#endif /* WINE_SECUR32_WINE_TEST_H */
