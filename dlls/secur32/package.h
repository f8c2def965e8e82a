/* The contract between the SSPI dispatcher (sspi_*.cpp) and the security
 * packages it hosts: Schannel (ours, over GnuTLS), the LSA packages Wine ships
 * (msv1_0 = NTLM, kerberos), Negotiate, and providers named in the registry.
 *
 * The dispatcher owns handles, argument checking common to all packages and
 * A/W string conversion of names; a package sees UTF-16 names and already
 * looked-up objects. Every method returns the SECURITY_STATUS the caller
 * will see; the defaults say SEC_E_UNSUPPORTED_FUNCTION. */
#pragma once

#include <windows.h>
#include <sspi.h>
#include <string>

#include "ref_ptr.h"

namespace secur32 {

class security_package;
class context;

/* What EnumerateSecurityPackages/QuerySecurityPackageInfo report. */
struct package_info {
    ULONG capabilities = 0;
    USHORT version = 1;
    USHORT rpc_id = 0;
    ULONG max_token = 0;
    std::wstring name;
    std::wstring comment;
};

struct acquire_call {
    const wchar_t *principal;   /* may be null */
    ULONG credential_use;       /* SECPKG_CRED_INBOUND / OUTBOUND / BOTH */
    void *logon_id;
    void *auth_data;            /* package specific; A layout when `ansi` */
    bool ansi;                  /* the caller used AcquireCredentialsHandleA */
    SEC_GET_KEY_FN get_key;
    void *get_key_arg;
    TimeStamp *expiry;          /* may be null */
};

/* Arguments of InitializeSecurityContext / AcceptSecurityContext. */
struct context_call {
    class credential *cred;     /* null when the caller continues without one */
    context *existing;          /* null on the first call */
    const wchar_t *target;      /* ISC target name (UTF-16), may be null */
    ULONG flags;                /* ISC_REQ_* / ASC_REQ_* */
    ULONG data_rep;
    SecBufferDesc *input;       /* may be null */
    SecBufferDesc *output;      /* may be null */
    ULONG *attributes;          /* out, may be null */
    TimeStamp *expiry;          /* out, may be null */
    bool ansi;
    const void *return_address; /* where the caller's call came from */
    /* Out: the context created by a first call (or one that replaces
     * `existing`); the dispatcher turns it into the caller's handle. */
    ref_ptr<context> new_context;
};

class credential : public ref_counted {
public:
    explicit credential(security_package &package) : package_(package) {}
    security_package &package() const { return package_; }

    virtual SECURITY_STATUS query_attributes(ULONG attribute, void *buffer, bool ansi);
    virtual SECURITY_STATUS set_attributes(ULONG attribute, void *buffer, ULONG size, bool ansi);
    virtual SECURITY_STATUS add_credentials(const acquire_call &call);

private:
    security_package &package_;
};

class context : public ref_counted {
public:
    explicit context(security_package &package) : package_(package) {}
    security_package &package() const { return package_; }

    virtual SECURITY_STATUS complete_auth_token(SecBufferDesc *token);
    virtual SECURITY_STATUS apply_control_token(SecBufferDesc *token);
    virtual SECURITY_STATUS query_attributes(ULONG attribute, void *buffer, bool ansi);
    virtual SECURITY_STATUS set_attributes(ULONG attribute, void *buffer, ULONG size, bool ansi);
    virtual SECURITY_STATUS impersonate();
    virtual SECURITY_STATUS revert();
    virtual SECURITY_STATUS make_signature(ULONG qop, SecBufferDesc *message, ULONG sequence);
    virtual SECURITY_STATUS verify_signature(SecBufferDesc *message, ULONG sequence, ULONG *qop);
    virtual SECURITY_STATUS encrypt(ULONG qop, SecBufferDesc *message, ULONG sequence);
    virtual SECURITY_STATUS decrypt(SecBufferDesc *message, ULONG sequence, ULONG *qop);
    virtual SECURITY_STATUS query_token(HANDLE *token);
    virtual SECURITY_STATUS export_context(ULONG flags, SecBuffer *packed, HANDLE *token);
    /* DeleteSecurityContext was called: release package state now, even if
     * another thread still holds a reference for a call in flight. */
    virtual void on_delete() {}

private:
    security_package &package_;
};

class security_package {
public:
    virtual ~security_package() = default;
    virtual const package_info &info() const = 0;

    virtual SECURITY_STATUS acquire_credentials(const acquire_call &call, ref_ptr<credential> &out);
    virtual SECURITY_STATUS initialize_context(context_call &call);
    virtual SECURITY_STATUS accept_context(context_call &call);
    virtual SECURITY_STATUS import_context(SecBuffer *packed, HANDLE token, ref_ptr<context> &out);
};

} // namespace secur32
