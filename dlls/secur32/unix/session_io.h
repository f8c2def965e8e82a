/* What the files of tls_session share about GnuTLS's I/O: the calling
 * thread's input window and output sink (GnuTLS's pull/push callbacks read
 * them), and the switch between our record path and GnuTLS's own. */
#pragma once

#include <mutex>

#include "tls_session.h"

namespace secur32::unix_side {

/* The current GnuTLS call's bytes on this thread (tls_session.cpp). */
extern thread_local tls_session::input_window *current_input;
extern thread_local tls_session::output_sink *current_output;

/* Installs a thread's input window / output sink for one GnuTLS call; with
 * neither, what GnuTLS sends is queued for the next handshake call. */
class io_scope {
public:
    io_scope(tls_session::input_window *in, tls_session::output_sink *out)
    {
        current_input = in;
        current_output = out;
    }
    ~io_scope()
    {
        current_input = nullptr;
        current_output = nullptr;
    }
    io_scope(const io_scope &) = delete;
    io_scope &operator=(const io_scope &) = delete;
};

/* While GnuTLS's own record layer handles a record, it must see our
 * sequence numbers; afterwards we take its (possibly updated: TLS 1.3
 * KeyUpdate, a renegotiation's new keys) keys back. Holds both record
 * locks meanwhile; the caller may already hold read_lock_. */
class tls_session::gnutls_record_layer {
public:
    gnutls_record_layer(tls_session &s, bool read_locked) : s_(s)
    {
        if (!read_locked) read_guard_ = std::unique_lock<std::mutex>(s.read_lock_);
        write_guard_ = std::unique_lock<std::mutex>(s.write_lock_);
        reload_read_ = s.reader_.active();
        reload_write_ = s.writer_.active();
        s.reader_.store(s.session_.get(), true);
        s.writer_.store(s.session_.get(), false);
    }
    ~gnutls_record_layer()
    {
        if (reload_read_) s_.reader_.load(s_.session_.get(), true);
        if (reload_write_) s_.writer_.load(s_.session_.get(), false);
    }
    /* After a renegotiation the suite may differ: take up the fast path
     * in both directions if the new one allows it. */
    void reload_both() { reload_read_ = reload_write_ = true; }
    gnutls_record_layer(const gnutls_record_layer &) = delete;
    gnutls_record_layer &operator=(const gnutls_record_layer &) = delete;

private:
    tls_session &s_;
    std::unique_lock<std::mutex> read_guard_, write_guard_;
    bool reload_read_ = false, reload_write_ = false;
};

} // namespace secur32::unix_side
