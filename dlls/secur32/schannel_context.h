/* An Schannel security context: one TLS connection.
 *
 * Threads: InitializeSecurityContext calls are serialised by
 * handshake_lock_; EncryptMessage and DecryptMessage take no lock of ours
 * (the Unix side lets one sender and one receiver run at once), so an
 * encrypt thread and a decrypt thread never wait for each other. The
 * Unix-side session is freed only when the last reference goes, so a call
 * racing DeleteSecurityContext still finishes on a live session. */
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "crypt32_handles.h"
#include "package.h"
#include "schannel_credential.h"
#include "schannel_headers.h"
#include "srw_lock.h"

namespace secur32 {

class schannel_context : public context {
public:
    /* Every InitializeSecurityContext (accepting: AcceptSecurityContext)
     * call: the checks and settings all calls share, then the first call
     * or the next one. */
    static SECURITY_STATUS establish(security_package &package, context_call &call, bool accepting);
    /* First InitializeSecurityContext call: makes the context and runs the
     * first handshake step. */
    static SECURITY_STATUS initialize_first(security_package &package, context_call &call);
    /* Later InitializeSecurityContext calls. */
    SECURITY_STATUS initialize_next(context_call &call);
    /* First AcceptSecurityContext call: makes a server context from the
     * client's first bytes. Later calls go through initialize_next, which
     * serves both directions. */
    static SECURITY_STATUS accept_first(security_package &package, context_call &call);

    ~schannel_context() override;

    SECURITY_STATUS encrypt(ULONG qop, SecBufferDesc *message, ULONG sequence) override;
    SECURITY_STATUS decrypt(SecBufferDesc *message, ULONG sequence, ULONG *qop) override;
    SECURITY_STATUS query_attributes(ULONG attribute, void *buffer, bool ansi) override;
    SECURITY_STATUS set_attributes(ULONG attribute, void *buffer, ULONG size, bool ansi) override;
    SECURITY_STATUS apply_control_token(SecBufferDesc *token) override;
    void on_delete() override;

private:
    /* alert_requested: ApplyControlToken asked for close_notify
     * (SCHANNEL_SHUTDOWN) or another alert (SCHANNEL_ALERT); the next
     * InitializeSecurityContext returns it. deleted: DeleteSecurityContext
     * ran; a call still holding a reference gets SEC_E_INVALID_HANDLE, as
     * one arriving after it does. */
    enum class state { handshaking, established, alert_requested, closed, failed, deleted };

    schannel_context(security_package &package, ref_ptr<schannel_credential> cred);
    SECURITY_STATUS handshake_step(context_call &call);
    SECURITY_STATUS finish_handshake(ULONG request_flags);
    /* Shared ends of handshake_step and datagram_step. */
    SECURITY_STATUS fail_handshake(context_call &call, const session_handshake_params &p,
                                   const std::vector<BYTE> &out);
    SECURITY_STATUS step_status(context_call &call, const session_handshake_params &p);
    SECURITY_STATUS hand_out(context_call &call, const std::vector<BYTE> &out, SECURITY_STATUS status);
    void report_expiry(TimeStamp *expiry) const;
    SECURITY_STATUS send_alert(context_call &call);
    /* DTLS: one datagram in, at most one datagram out per call. */
    SECURITY_STATUS datagram_step(context_call &call);
    /* DTLS, established: the rest of a flight (or a repeated one). */
    SECURITY_STATUS datagram_drain(context_call &call);
    /* SetContextAttributes(SECPKG_ATTR_DTLS_MTU). */
    SECURITY_STATUS set_dtls_mtu(void *buffer, ULONG size);
    /* The call after SEC_I_INCOMPLETE_CREDENTIALS: tells the paused
     * handshake which certificate to send. */
    SECURITY_STATUS answer_certificate_request(context_call &call);
    /* ISC / ASC on an established context (schannel_renegotiation.cpp):
     * after SEC_I_RENEGOTIATE, a renegotiation's steps, or a server's
     * request for a client certificate. */
    SECURITY_STATUS established_step(context_call &call);
    SECURITY_STATUS request_renegotiation(context_call &call);
    SECURITY_STATUS renegotiation_step(context_call &call);
    SECURITY_STATUS query_certificate_request(ULONG attribute, void *buffer);
    /* ISC_RET_* / ASC_RET_* flags granted for `request` in our direction. */
    ULONG granted_flags(ULONG request) const;
    /* The certificate the server authenticated with (ours on a server
     * context, the peer's on a client context). */
    const CERT_CONTEXT *server_certificate() const
    {
        return is_server_ ? cred_->certificate() : peer_certificate_.get();
    }
    /* The credential whose certificate this side sends: a client's may be
     * the one given after SEC_I_INCOMPLETE_CREDENTIALS. */
    const schannel_credential &own_credential() const
    {
        return chosen_credential_ ? *chosen_credential_ : *cred_;
    }

    ref_ptr<schannel_credential> cred_;
    bool is_server_ = false;
    unix_handle session_ = 0;
    std::wstring target_;
    srw_lock handshake_lock_;
    std::atomic<state> state_{state::handshaking};
    ULONG request_flags_ = 0;
    uint32_t pending_alert_ = 0;             /* 0 = close_notify */
    bool pending_alert_fatal_ = false;
    state state_before_alert_ = state::established;
    /* The alert record(s) of the last shutdown or alert, once made; kept
     * until delivered, and a close_notify kept to be given again. */
    std::vector<BYTE> alert_bytes_;
    bool alert_bytes_ready_ = false;
    bool close_notify_again_ = false;        /* closed, and a shutdown asked for since */
    session_connection_info_params info_{};  /* valid once established */
    bool datagram_ = false;                  /* DTLS (ISC_REQ_DATAGRAM / ASC_REQ_DATAGRAM) */
    ULONG mtu_ = 0;                          /* DTLS path MTU */
    cert_context_ptr peer_certificate_;      /* valid once established */

    /* SECPKG_ATTR_KEYING_MATERIAL_INFO as last set (RFC 5705 exporter
     * input); guarded by keying_lock_. */
    SECURITY_STATUS export_keying_material(SecPkgContext_KeyingMaterial *out);
    srw_lock keying_lock_;
    bool keying_info_set_ = false;
    std::string keying_label_;               /* without its NUL */
    std::string keying_context_;
    bool keying_has_context_ = false;
    DWORD keying_size_ = 0;
    /* Clients: the server asked for a certificate and the credential has
     * none; the next InitializeSecurityContext answers
     * (SEC_I_INCOMPLETE_CREDENTIALS). */
    bool awaiting_certificate_ = false;
    ref_ptr<schannel_credential> chosen_credential_; /* the answer's credential, if it had a certificate */
    /* DecryptMessage returned SEC_I_RENEGOTIATE and no handshake call has
     * followed yet: the next one answers that, and is no new request. */
    std::atomic<bool> renegotiate_reported_{false};
    /* A renegotiation paused for the caller's certificate with this many
     * bytes after the flight it took: they come back as SECBUFFER_EXTRA
     * when the caller answers. */
    ULONG held_leftover_ = 0;
};

} // namespace secur32
