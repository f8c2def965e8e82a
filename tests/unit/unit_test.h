/*
 * unit_test.h — a small framework for NATIVE (Linux, g++) unit tests of the
 * Unix side.  Each tests/unit/NAME_test.cpp is a program of its own; the
 * Makefile links it with the Unix-side objects.  Header only, C++17.
 *
 *   #include "unit_test.h"
 *   TEST_CASE(parses_records) {
 *       REQUIRE(buf != nullptr);          // stops this case on failure
 *       CHECK(parse(buf) == 0);
 *       CHECK_EQ(record.length, 16384u);  // prints both values on failure
 *       CHECK_STREQ(name, "TLS 1.3");
 *       CHECK_MEMEQ(out, expected, 32);
 *       CHECK_MSG(x < y, "x=%d y=%d", x, y);
 *       if (!have_network) SKIP("no network");   // counts a skip, ends the case
 *       TRACE("state %d", s);
 *   }
 *
 * Output follows Wine's test harness, so one parser reads both:
 *   file.cpp:LINE: Test failed: CASE: CHECK_EQ(a, b): 3 != 4
 *   file.cpp:LINE: Tests skipped: CASE: reason
 *   NAME: N tests executed (0 marked as todo, F failures), S skipped.
 * where NAME is the program name without "_test".  Exit code = failures,
 * capped at 255.  A crash (signal) or an escaping exception counts as a
 * failure and still prints the summary.
 *
 * Command line:  NAME_test [-v] [--list] [SUBSTRING...]
 *   SUBSTRING...  run only cases whose name contains one of them
 *   --list        list the cases;  -v  print each case name as it starts
 * HIDDEN_TEST_CASE(name) cases run only when named exactly (helper modes,
 * e.g. a child process of a test).
 *
 * Checks may be made from several threads; counters are atomic and each
 * message is written whole under a lock.
 *
 * Files linked into a test program that also include this header (e.g.
 * the files in tests/unit/support/) must define UNIT_TEST_NO_MAIN first.
 */
#ifndef WINE_SECUR32_UNIT_TEST_H
#define WINE_SECUR32_UNIT_TEST_H

#include <atomic>
#include <csignal>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iterator>
#include <mutex>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>
#include <unistd.h>

namespace unit_test {

struct test_case
{
    const char *name;
    void (*fn)();
    bool hidden;
};

inline std::vector<test_case> &registry()
{
    static std::vector<test_case> cases;  /* built during static initialisation */
    return cases;
}

struct registrar
{
    registrar(const char *name, void (*fn)(), bool hidden) { registry().push_back({ name, fn, hidden }); }
};

/* Thrown to leave the current case (REQUIRE failed, SKIP). */
struct stop_case {};

inline std::atomic<long> checks{ 0 };
inline std::atomic<long> failures{ 0 };
inline std::atomic<long> skips{ 0 };
inline std::mutex output_lock;
inline thread_local const char *current_case = nullptr;
inline const char *unit_name = "unit";
inline int verbose = 0;

inline const char *base_name(const char *path)
{
    const char *slash = std::strrchr(path, '/');
    return slash ? slash + 1 : path;
}

inline std::string vformat(const char *fmt, va_list args)
{
    char small[512];
    va_list copy;
    va_copy(copy, args);
    int n = std::vsnprintf(small, sizeof(small), fmt, copy);
    va_end(copy);
    if (n < 0) return fmt;
    if ((size_t)n < sizeof(small)) return std::string(small, (size_t)n);
    std::string big((size_t)n + 1, '\0');
    std::vsnprintf(&big[0], big.size(), fmt, args);
    big.resize((size_t)n);
    return big;
}

inline std::string format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
inline std::string format(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    std::string s = vformat(fmt, args);
    va_end(args);
    return s;
}

/* One whole line, written under the lock. */
inline void emit(const char *file, int line, const char *kind, const std::string &msg)
{
    std::string text = format("%s:%d: %s", base_name(file), line, kind);
    if (current_case) { text += current_case; text += ": "; }
    text += msg;
    if (text.empty() || text.back() != '\n') text += '\n';
    std::lock_guard<std::mutex> guard(output_lock);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

inline bool record(bool ok, const char *file, int line, const std::string &what)
{
    checks++;
    if (!ok)
    {
        failures++;
        emit(file, line, "Test failed: ", what);
    }
    return ok;
}

/* ---- printing values ------------------------------------------------------ */

template <typename T, typename = void> struct streamable : std::false_type {};
template <typename T>
struct streamable<T, std::void_t<decltype(std::declval<std::ostream &>() << std::declval<const T &>())>>
    : std::true_type {};

template <typename T, typename = void> struct iterable : std::false_type {};
template <typename T>
struct iterable<T, std::void_t<decltype(std::begin(std::declval<const T &>())),
                               decltype(std::end(std::declval<const T &>()))>> : std::true_type {};

inline std::string quote(const char *s, size_t n)
{
    std::string out = "\"";
    for (size_t i = 0; i < n && i < 200; i++)
    {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') { out += '\\'; out += (char)c; }
        else if (c == '\n') out += "\\n";
        else if (c >= 0x20 && c < 0x7f) out += (char)c;
        else out += format("\\x%02x", c);
    }
    out += '"';
    if (n > 200) out += "...";
    return out;
}

template <typename T> std::string show(const T &v)
{
    using U = std::decay_t<T>;
    if constexpr (std::is_same_v<U, bool>) return v ? "true" : "false";
    else if constexpr (std::is_same_v<U, std::nullptr_t>) return "nullptr";
    else if constexpr (std::is_same_v<U, char> || std::is_same_v<U, signed char> || std::is_same_v<U, unsigned char>)
    {
        unsigned int c = (unsigned char)v;
        return (c >= 0x20 && c < 0x7f) ? format("%u '%c'", c, (int)c) : format("%u (0x%02x)", c, c);
    }
    else if constexpr (std::is_enum_v<U>) return show(static_cast<std::underlying_type_t<U>>(v));
    else if constexpr (std::is_integral_v<U>)
    {
        /* Status codes are easiest to recognise in hex. */
        if constexpr (std::is_signed_v<U>)
            return (v >= -9 && v <= 9) ? format("%lld", (long long)v)
                                       : format("%lld (0x%llx)", (long long)v,
                                                (unsigned long long)std::make_unsigned_t<U>(v));
        else
            return v <= 9 ? format("%llu", (unsigned long long)v)
                          : format("%llu (0x%llx)", (unsigned long long)v, (unsigned long long)v);
    }
    else if constexpr (std::is_pointer_v<U>) return format("%p", (const void *)v);
    else if constexpr (std::is_same_v<U, std::string>) return quote(v.data(), v.size());
    else if constexpr (streamable<U>::value)
    {
        std::ostringstream os;
        os << v;
        return os.str();
    }
    else if constexpr (iterable<U>::value)
    {
        std::string out = "{";
        size_t i = 0;
        for (const auto &e : v)
        {
            if (i == 32) { out += ", ..."; break; }
            out += i++ ? ", " : "";
            out += show(e);
        }
        return out + "}";
    }
    else return "<unprintable>";
}

/* Comparisons that are correct for mixed signed/unsigned integers (and so do
 * not need -Wsign-compare suppressed in every test). */
template <typename A, typename B> constexpr bool both_ints =
    std::is_integral_v<A> && std::is_integral_v<B> && !std::is_same_v<A, bool> && !std::is_same_v<B, bool>;

template <typename A, typename B> bool equal(const A &a, const B &b)
{
    if constexpr (both_ints<A, B>)
    {
        if constexpr (std::is_signed_v<A> == std::is_signed_v<B>) return a == b;
        else if constexpr (std::is_signed_v<A>) return a >= 0 && std::make_unsigned_t<A>(a) == b;
        else return b >= 0 && a == std::make_unsigned_t<B>(b);
    }
    else return a == b;
}

template <typename A, typename B> bool less(const A &a, const B &b)
{
    if constexpr (both_ints<A, B>)
    {
        if constexpr (std::is_signed_v<A> == std::is_signed_v<B>) return a < b;
        else if constexpr (std::is_signed_v<A>) return a < 0 || std::make_unsigned_t<A>(a) < b;
        else return b >= 0 && a < std::make_unsigned_t<B>(b);
    }
    else return a < b;
}

enum class cmp { eq, ne, lt, le, gt, ge };

template <typename A, typename B>
bool compare(cmp op, const A &a, const B &b, const char *file, int line, const char *macro,
             const char *ta, const char *tb)
{
    bool ok = false;
    const char *sym = "";
    switch (op)
    {
    case cmp::eq: ok = equal(a, b); sym = "!="; break;
    case cmp::ne: ok = !equal(a, b); sym = "=="; break;
    case cmp::lt: ok = less(a, b); sym = ">="; break;
    case cmp::le: ok = !less(b, a); sym = ">"; break;
    case cmp::gt: ok = less(b, a); sym = "<="; break;
    case cmp::ge: ok = !less(a, b); sym = "<"; break;
    }
    if (ok) return record(true, file, line, "");
    return record(false, file, line, format("%s(%s, %s): %s %s %s", macro, ta, tb, show(a).c_str(), sym,
                                            show(b).c_str()));
}

inline bool compare_str(const char *a, const char *b, const char *file, int line, const char *ta, const char *tb)
{
    bool ok = (a && b) ? !std::strcmp(a, b) : a == b;
    if (ok) return record(true, file, line, "");
    return record(false, file, line, format("CHECK_STREQ(%s, %s): %s != %s", ta, tb,
                                            a ? quote(a, std::strlen(a)).c_str() : "NULL",
                                            b ? quote(b, std::strlen(b)).c_str() : "NULL"));
}

inline bool compare_mem(const void *a, const void *b, size_t n, const char *file, int line, const char *ta,
                        const char *tb)
{
    const unsigned char *pa = (const unsigned char *)a, *pb = (const unsigned char *)b;
    if (!pa || !pb) return record(pa == pb, file, line, format("CHECK_MEMEQ(%s, %s): NULL pointer", ta, tb));
    for (size_t i = 0; i < n; i++)
        if (pa[i] != pb[i])
            return record(false, file, line, format("CHECK_MEMEQ(%s, %s, %zu): first difference at offset %zu: "
                                                    "0x%02x != 0x%02x", ta, tb, n, i, pa[i], pb[i]));
    return record(true, file, line, "");
}

inline bool check_msg(bool ok, const char *file, int line, const char *text, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
inline bool check_msg(bool ok, const char *file, int line, const char *text, const char *fmt, ...)
{
    if (ok) return record(true, file, line, "");
    va_list args;
    va_start(args, fmt);
    std::string msg = vformat(fmt, args);
    va_end(args);
    return record(false, file, line, format("%s: %s", text, msg.c_str()));
}

inline void skip(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
inline void skip(const char *file, int line, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    std::string msg = vformat(fmt, args);
    va_end(args);
    skips++;
    emit(file, line, "Tests skipped: ", msg);
    throw stop_case();
}

inline void trace(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
inline void trace(const char *file, int line, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    std::string msg = vformat(fmt, args);
    va_end(args);
    emit(file, line, "", msg);
}

/* ---- running ---------------------------------------------------------------- */

inline int exit_status()
{
    long f = failures.load();
    return f > 255 ? 255 : (int)f;
}

inline void summary()
{
    long f = failures.load();
    std::string line = format("%s: %ld tests executed (0 marked as todo, %ld %s), %ld skipped.\n", unit_name,
                              checks.load(), f, f == 1 ? "failure" : "failures", skips.load());
    /* May run in a signal handler: plain write(), no lock. */
    ssize_t ignored = ::write(1, line.data(), line.size());
    (void)ignored;
}

inline void on_signal(int sig)
{
    /* Best effort: report, count the crash, keep the summary line contract. */
    std::string line = format("%s: crashed with signal %d (%s) in case %s\n", unit_name, sig, strsignal(sig),
                              current_case ? current_case : "(none)");
    ssize_t ignored = ::write(1, line.data(), line.size());
    (void)ignored;
    failures++;
    checks++;
    summary();
    _exit(exit_status() ? exit_status() : 1);
}

inline int run_main(int argc, char **argv)
{
    std::vector<const char *> filters;
    static std::string name;

    name = base_name(argv[0]);
    if (name.size() > 5 && name.compare(name.size() - 5, 5, "_test") == 0) name.resize(name.size() - 5);
    unit_name = name.c_str();
    std::setvbuf(stdout, nullptr, _IOLBF, 0);

    for (int i = 1; i < argc; i++)
    {
        if (!std::strcmp(argv[i], "--list"))
        {
            for (const auto &c : registry())
                if (!c.hidden) std::printf("%s\n", c.name);
            return 0;
        }
        if (!std::strcmp(argv[i], "-v")) verbose = 1;
        else if (!std::strcmp(argv[i], "-h") || !std::strcmp(argv[i], "--help"))
        {
            std::printf("Usage: %s [-v] [--list] [SUBSTRING...]\n", argv[0]);
            return 0;
        }
        else filters.push_back(argv[i]);
    }

    for (int sig : { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT }) std::signal(sig, on_signal);
    std::signal(SIGPIPE, SIG_IGN);  /* a test talking to a dead peer should see EPIPE */

    for (const auto &c : registry())
    {
        bool run = filters.empty() && !c.hidden;
        for (const char *f : filters)
            if (c.hidden ? !std::strcmp(c.name, f) : std::strstr(c.name, f) != nullptr) run = true;
        if (!run) continue;

        current_case = c.name;
        if (verbose) trace(__FILE__, __LINE__, "case %s", c.name);
        try
        {
            c.fn();
        }
        catch (const stop_case &)
        {
        }
        catch (const std::exception &e)
        {
            record(false, "(case)", 0, format("unhandled exception: %s", e.what()));
        }
        catch (...)
        {
            record(false, "(case)", 0, "unhandled exception of unknown type");
        }
        current_case = nullptr;
    }
    summary();
    return exit_status();
}

} /* namespace unit_test */

/* ---- macros ------------------------------------------------------------------- */

#define UT_CAT2_(a, b) a##b
#define UT_CAT_(a, b)  UT_CAT2_(a, b)

#define UT_DEFINE_CASE_(name, hidden) \
    static void UT_CAT_(ut_case_, name)(); \
    static const unit_test::registrar UT_CAT_(ut_reg_, name)(#name, UT_CAT_(ut_case_, name), hidden); \
    static void UT_CAT_(ut_case_, name)()
#define TEST_CASE(name)        UT_DEFINE_CASE_(name, false)
#define HIDDEN_TEST_CASE(name) UT_DEFINE_CASE_(name, true)

#define CHECK(cond)  unit_test::record(static_cast<bool>(cond), __FILE__, __LINE__, "CHECK(" #cond ")")
#define CHECK_MSG(cond, ...) \
    unit_test::check_msg(static_cast<bool>(cond), __FILE__, __LINE__, "CHECK(" #cond ")", __VA_ARGS__)
#define UT_CMP_(op, macro, a, b) unit_test::compare(unit_test::cmp::op, (a), (b), __FILE__, __LINE__, macro, #a, #b)
#define CHECK_EQ(a, b) UT_CMP_(eq, "CHECK_EQ", a, b)
#define CHECK_NE(a, b) UT_CMP_(ne, "CHECK_NE", a, b)
#define CHECK_LT(a, b) UT_CMP_(lt, "CHECK_LT", a, b)
#define CHECK_LE(a, b) UT_CMP_(le, "CHECK_LE", a, b)
#define CHECK_GT(a, b) UT_CMP_(gt, "CHECK_GT", a, b)
#define CHECK_GE(a, b) UT_CMP_(ge, "CHECK_GE", a, b)
#define CHECK_STREQ(a, b) unit_test::compare_str((a), (b), __FILE__, __LINE__, #a, #b)
#define CHECK_MEMEQ(a, b, n) unit_test::compare_mem((a), (b), (n), __FILE__, __LINE__, #a, #b)
#define CHECK_THROWS(expr) \
    do { bool ut_threw_ = false; try { (void)(expr); } catch (...) { ut_threw_ = true; } \
         unit_test::record(ut_threw_, __FILE__, __LINE__, "CHECK_THROWS(" #expr "): nothing thrown"); } while (0)
#define CHECK_NOTHROW(expr) \
    do { std::string ut_what_; bool ut_ok_ = true; \
         try { (void)(expr); } catch (const std::exception &e) { ut_ok_ = false; ut_what_ = e.what(); } \
         catch (...) { ut_ok_ = false; ut_what_ = "unknown exception"; } \
         unit_test::record(ut_ok_, __FILE__, __LINE__, "CHECK_NOTHROW(" #expr "): threw " + ut_what_); } while (0)

/* REQUIRE*: like CHECK*, but a failure ends the current case. */
#define REQUIRE(cond)        do { if (!CHECK(cond)) throw unit_test::stop_case(); } while (0)
#define REQUIRE_EQ(a, b)     do { if (!CHECK_EQ(a, b)) throw unit_test::stop_case(); } while (0)
#define REQUIRE_NE(a, b)     do { if (!CHECK_NE(a, b)) throw unit_test::stop_case(); } while (0)
#define REQUIRE_MSG(cond, ...) do { if (!CHECK_MSG(cond, __VA_ARGS__)) throw unit_test::stop_case(); } while (0)

#define SKIP(...)  unit_test::skip(__FILE__, __LINE__, __VA_ARGS__)
#define TRACE(...) unit_test::trace(__FILE__, __LINE__, __VA_ARGS__)

#ifndef UNIT_TEST_NO_MAIN
int main(int argc, char **argv)
{
    return unit_test::run_main(argc, argv);
}
#endif

#endif /* WINE_SECUR32_UNIT_TEST_H */
