/*
 * Tests of tests/unit/unit_test.h itself.
 *
 * The interesting behaviour (failure lines, skips, REQUIRE stopping a case,
 * escaping exceptions, crashes, thread safety, exit codes) is produced by
 * HIDDEN_TEST_CASEs run in a child process — this same program started with
 * the hidden case's name — whose output and exit status the visible cases
 * compare with what the framework promises.
 */
#include "unit_test.h"

#include <stdexcept>
#include <thread>
#include <sys/wait.h>

namespace {

/* ---- child modes ------------------------------------------------------------
 * kBasic is the line of the first failing check below; keep the layout. */
constexpr int kBasic = __LINE__ + 4;
HIDDEN_TEST_CASE(child_basic)
{
    CHECK(1 + 1 == 2);
    CHECK(1 + 1 == 3);
    CHECK_EQ(2 + 2, 5);
    CHECK_STREQ("abc", "abd");
    CHECK_NE(-1, -1);
    CHECK_LT(5u, 3);
    CHECK_MSG(false, "value %d", 42);
    TRACE("hello %d", 5);
    static const unsigned char a[] = { 1, 2, 3 }, b[] = { 1, 9, 3 };
    CHECK_MEMEQ(a, b, sizeof(a));
    CHECK_EQ(-1, 0xffffffffu);  /* mixed signedness compares by value */
    CHECK_GE(-1, 0u);
    CHECK_THROWS((void)0);
    REQUIRE(false);
    CHECK(!"not reached");
}

constexpr int kSkip = __LINE__ + 3;
HIDDEN_TEST_CASE(child_skip)
{
    SKIP("no network (%s)", "offline");
    CHECK(!"not reached");
}

HIDDEN_TEST_CASE(child_throw)
{
    CHECK(true);
    throw std::runtime_error("boom");
}

constexpr int kThreadLine = __LINE__ + 9;
HIDDEN_TEST_CASE(child_threads)
{
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; t++)
        threads.emplace_back([t] {
            for (int i = 0; i < 1000; i++)
            {
                CHECK(true);
                if (i % 100 == 0) CHECK_MSG(false, "thread %d iteration %d", t, i);
            }
        });
    for (auto &th : threads) th.join();
}

HIDDEN_TEST_CASE(child_many)
{
    for (int i = 0; i < 300; i++) CHECK(false);
}

HIDDEN_TEST_CASE(child_crash)
{
    CHECK(true);
    std::raise(SIGSEGV);
    CHECK(!"not reached");
}

/* ---- running a child ---------------------------------------------------------- */

struct child_result
{
    int status = -1;   /* exit code, or -1 if it did not exit normally */
    std::string out;
};

child_result run_child(const char *mode)
{
    child_result res;
    int fds[2];
    if (pipe(fds)) return res;
    pid_t pid = fork();
    if (pid == 0)
    {
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        execl("/proc/self/exe", "harness_selftest_test", mode, (char *)nullptr);
        _exit(127);
    }
    close(fds[1]);
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof(buf))) > 0) res.out.append(buf, (size_t)n);
    close(fds[0]);
    int wstatus = 0;
    if (pid > 0 && waitpid(pid, &wstatus, 0) == pid && WIFEXITED(wstatus)) res.status = WEXITSTATUS(wstatus);
    return res;
}

bool has_line(const std::string &out, const std::string &line)
{
    size_t pos = 0;
    while (pos < out.size())
    {
        size_t end = out.find('\n', pos);
        if (end == std::string::npos) end = out.size();
        if (out.compare(pos, end - pos, line) == 0) return true;
        pos = end + 1;
    }
    return false;
}

int count(const std::string &out, const std::string &needle)
{
    int n = 0;
    for (size_t pos = out.find(needle); pos != std::string::npos; pos = out.find(needle, pos + 1)) n++;
    return n;
}

#define CHECK_LINE(out, ...) \
    do { std::string want_ = unit_test::format(__VA_ARGS__); \
         CHECK_MSG(has_line(out, want_), "missing line \"%s\"", want_.c_str()); } while (0)

const char *me = "harness_selftest_test.cpp";

} /* namespace */

/* ---- visible cases ---------------------------------------------------------------- */

TEST_CASE(basic_output)
{
    child_result r = run_child("child_basic");
    int l = kBasic;
    CHECK_LINE(r.out, "%s:%d: Test failed: child_basic: CHECK(1 + 1 == 3)", me, l);
    CHECK_LINE(r.out, "%s:%d: Test failed: child_basic: CHECK_EQ(2 + 2, 5): 4 != 5", me, l + 1);
    CHECK_LINE(r.out, "%s:%d: Test failed: child_basic: CHECK_STREQ(\"abc\", \"abd\"): \"abc\" != \"abd\"", me, l + 2);
    CHECK_LINE(r.out, "%s:%d: Test failed: child_basic: CHECK_NE(-1, -1): -1 == -1", me, l + 3);
    CHECK_LINE(r.out, "%s:%d: Test failed: child_basic: CHECK_LT(5u, 3): 5 >= 3", me, l + 4);
    CHECK_LINE(r.out, "%s:%d: Test failed: child_basic: CHECK(false): value 42", me, l + 5);
    CHECK_LINE(r.out, "%s:%d: child_basic: hello 5", me, l + 6);
    CHECK_LINE(r.out, "%s:%d: Test failed: child_basic: CHECK_MEMEQ(a, b, 3): first difference at offset 1: "
                      "0x02 != 0x09", me, l + 8);
    CHECK_LINE(r.out, "%s:%d: Test failed: child_basic: CHECK_EQ(-1, 0xffffffffu): -1 != "
                      "4294967295 (0xffffffff)", me, l + 9);
    CHECK_LINE(r.out, "%s:%d: Test failed: child_basic: CHECK_GE(-1, 0u): -1 < 0", me, l + 10);
    CHECK_LINE(r.out, "%s:%d: Test failed: child_basic: CHECK_THROWS((void)0): nothing thrown", me, l + 11);
    CHECK_LINE(r.out, "%s:%d: Test failed: child_basic: CHECK(false)", me, l + 12);
    CHECK_MSG(r.out.find("not reached") == std::string::npos, "REQUIRE did not stop the case");
    CHECK_LINE(r.out, "harness_selftest: 12 tests executed (0 marked as todo, 11 failures), 0 skipped.");
    CHECK_EQ(r.status, 11);
    if (r.status != 11) TRACE("child output:\n%s", r.out.c_str());
}

TEST_CASE(skip_and_exceptions)
{
    child_result r = run_child("child_skip");
    CHECK_LINE(r.out, "%s:%d: Tests skipped: child_skip: no network (offline)", me, kSkip);
    CHECK_LINE(r.out, "harness_selftest: 0 tests executed (0 marked as todo, 0 failures), 1 skipped.");
    CHECK_EQ(r.status, 0);

    r = run_child("child_throw");
    CHECK_LINE(r.out, "(case):0: Test failed: child_throw: unhandled exception: boom");
    CHECK_LINE(r.out, "harness_selftest: 2 tests executed (0 marked as todo, 1 failure), 0 skipped.");
    CHECK_EQ(r.status, 1);
}

TEST_CASE(threads)
{
    child_result r = run_child("child_threads");
    int lines = 0, bad = 0;
    size_t pos = 0;
    while (pos < r.out.size())
    {
        size_t end = r.out.find('\n', pos);
        if (end == std::string::npos) end = r.out.size();
        std::string line = r.out.substr(pos, end - pos);
        pos = end + 1;
        if (line.find("Test failed") == std::string::npos) continue;
        lines++;
        int ln = -1, t = -1, i = -1;
        char extra = 0;
        /* No case name: checks from other threads carry no case context. */
        if (std::sscanf(line.c_str(), "harness_selftest_test.cpp:%d: Test failed: CHECK(false): thread %d "
                        "iteration %d%c", &ln, &t, &i, &extra) != 3 || ln != kThreadLine || t < 0 || t > 7 ||
            i % 100)
            bad++;
    }
    CHECK_EQ(lines, 80);
    CHECK_EQ(bad, 0);
    CHECK_LINE(r.out, "harness_selftest: 8080 tests executed (0 marked as todo, 80 failures), 0 skipped.");
    CHECK_EQ(r.status, 80);
}

TEST_CASE(exit_code_is_capped)
{
    child_result r = run_child("child_many");
    CHECK_EQ(count(r.out, "Test failed"), 300);
    CHECK_EQ(r.status, 255);
}

TEST_CASE(crash_is_reported)
{
    child_result r = run_child("child_crash");
    CHECK_MSG(r.out.find("harness_selftest: crashed with signal 11") != std::string::npos, "output: %s",
              r.out.c_str());
    CHECK_LINE(r.out, "harness_selftest: 2 tests executed (0 marked as todo, 1 failure), 0 skipped.");
    CHECK_EQ(r.status, 1);
}

TEST_CASE(value_printing)
{
    CHECK_STREQ(unit_test::show(true).c_str(), "true");
    CHECK_STREQ(unit_test::show(7).c_str(), "7");
    CHECK_STREQ(unit_test::show(0x80090308u).c_str(), "2148074248 (0x80090308)");
    CHECK_STREQ(unit_test::show((int32_t)0x80090308).c_str(), "-2146893048 (0x80090308)");
    CHECK_STREQ(unit_test::show('A').c_str(), "65 'A'");
    CHECK_STREQ(unit_test::show(std::string("a\"b")).c_str(), "\"a\\\"b\"");
    CHECK_STREQ(unit_test::show(std::vector<int>{ 1, 2 }).c_str(), "{1, 2}");
    CHECK_EQ(std::string("x"), std::string("x"));
    CHECK_LE(3, 3);
    CHECK_GT(4, 3u);
}

TEST_CASE(hidden_cases_do_not_run_by_default)
{
    /* This program's own run: only visible cases; the children above were explicit. */
    for (const auto &c : unit_test::registry())
        if (!std::strncmp(c.name, "child_", 6)) CHECK_MSG(c.hidden, "%s should be hidden", c.name);
}
