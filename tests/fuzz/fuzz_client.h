/* Our Unix-side client session, driven through its unixlib entry points
 * exactly as the PE side drives it, for the libFuzzer targets. */
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <vector>

#include "unix/unixlib_entries.h"

namespace fuzz {

using namespace secur32::unix_side;

template <typename T> pe_ptr ptr(T *p) { return pe_ptr(reinterpret_cast<uintptr_t>(p)); }

/* Aborts in a way libFuzzer reports as a crash, with the broken contract
 * in the stack trace. */
[[noreturn]] inline void contract_broken(const char *) { __builtin_trap(); }
#define FUZZ_EXPECT(cond) \
    do { \
        if (!(cond)) ::fuzz::contract_broken(#cond); \
    } while (0)

/* GnuTLS initialised once per process, as DLL_PROCESS_ATTACH does. */
inline void attach_once()
{
    static bool done = [] {
        process_attach_params attach{};
        return process_attach(&attach) == 0;
    }();
    FUZZ_EXPECT(done);
}

/* One credential per protocol set, kept for the process (as a program
 * keeps its credential handle: reachable, so no leak report); sessions
 * are made and freed per input. */
inline unix_handle shared_credentials(uint32_t protocols)
{
    /* Never destroyed: a static's destructor would run before the leak
     * check and leave the credentials unreachable. */
    static auto *made = new std::map<uint32_t, unix_handle>;
    unix_handle &h = (*made)[protocols];
    if (!h) {
        attach_once();
        credentials_create_params c{};
        c.protocols = protocols;
        FUZZ_EXPECT(credentials_create(&c) == 0 && c.credentials);
        h = c.credentials;
    }
    return h;
}

class client_session {
public:
    /* `resume`: use the credential's session cache, as real connections
     * do (abbreviated handshakes: much faster per input). */
    explicit client_session(uint32_t protocols, bool resume = false)
    {
        creds_ = shared_credentials(protocols);
        session_create_params s{};
        s.credentials = creds_;
        static const char host[] = "localhost";
        s.server_name = ptr(host);
        s.server_name_size = sizeof(host) - 1;
        s.flags = resume ? 0 : session_flag_no_resume;
        FUZZ_EXPECT(session_create(&s) == 0 && s.session);
        session_ = s.session;
    }
    ~client_session()
    {
        session_free_params s{session_};
        session_free(&s);
    }
    client_session(const client_session &) = delete;
    client_session &operator=(const client_session &) = delete;

    unix_handle handle() const { return session_; }

    /* One handshake call with `in` (copied to an exact-size heap block, so
     * ASan sees any read beyond it); output appended to `out`. Checks the
     * call's contract. */
    session_handshake_params step(const std::vector<uint8_t> &in, std::vector<uint8_t> &out)
    {
        std::vector<uint8_t> input(in);
        std::vector<uint8_t> output(4096);
        session_handshake_params p{};
        p.session = session_;
        p.input = input.empty() ? 0 : ptr(input.data());
        p.input_size = uint32_t(input.size());
        p.output = ptr(output.data());
        p.output_capacity = uint32_t(output.size());
        FUZZ_EXPECT(session_handshake(&p) == 0);
        FUZZ_EXPECT(p.input_consumed <= p.input_size);
        FUZZ_EXPECT(p.output_size <= p.output_capacity);
        if (p.result == tls_incomplete) FUZZ_EXPECT(p.missing > 0 && p.missing <= 5 + 16384 + 2048);
        out.insert(out.end(), output.begin(), output.begin() + p.output_size);
        return p;
    }

    /* Drains queued handshake output (bounded: a flight is finite). */
    void drain(std::vector<uint8_t> &out)
    {
        for (int i = 0; i < 64; i++) {
            session_handshake_params p = step({}, out);
            if (!p.output_pending) return;
        }
        FUZZ_EXPECT(!"handshake output never drains");
    }

private:
    unix_handle creds_ = 0, session_ = 0;
};

} // namespace fuzz
