/*
 * Shared by the Schannel units that run our InitializeSecurityContext
 * against our AcceptSecurityContext in this process (schannel_server,
 * schannel_renegotiation): the context flags both ends ask for, the bytes
 * in flight between them, and what the server must see of the client's
 * certificate. One copy, so that both units feed the calls alike.
 *
 * A unit that needs larger pipes defines PIPE_SIZE before including this.
 */
#ifndef SCHANNEL_LOOPBACK_H
#define SCHANNEL_LOOPBACK_H

#include <windows.h>
#include <wincrypt.h>
#ifndef SECURITY_WIN32
#define SECURITY_WIN32
#endif
#include <sspi.h>
#include <string.h>

#include "wine/test.h"

/* Older MinGW and Wine headers lack these. */
#ifndef SP_PROT_TLS1_3_CLIENT
#define SP_PROT_TLS1_3_CLIENT 0x00002000
#endif
#ifndef SP_PROT_TLS1_3_SERVER
#define SP_PROT_TLS1_3_SERVER 0x00001000
#endif
#ifndef PKCS12_NO_PERSIST_KEY
#define PKCS12_NO_PERSIST_KEY 0x00008000
#endif

/* What a stream-mode server and client (with its own certificate checks,
 * as curl and .NET do) ask for. */
#define ASC_FLAGS (ASC_REQ_SEQUENCE_DETECT | ASC_REQ_REPLAY_DETECT | ASC_REQ_CONFIDENTIALITY | \
                   ASC_REQ_EXTENDED_ERROR | ASC_REQ_ALLOCATE_MEMORY | ASC_REQ_STREAM)
#define ISC_FLAGS (ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY | \
                   ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM | ISC_REQ_MANUAL_CRED_VALIDATION)

#ifndef PIPE_SIZE
#define PIPE_SIZE 65536
#endif

/* Bytes in flight towards one side. */
struct pipe {
    BYTE data[PIPE_SIZE];
    ULONG size;
};

static void pipe_put(struct pipe *p, const void *data, ULONG size)
{
    ok(p->size + size <= PIPE_SIZE, "pipe overflow\n");
    if (p->size + size > PIPE_SIZE) return;
    memcpy(p->data + p->size, data, size);
    p->size += size;
}

/* Drops the bytes a call consumed: all but what it returned as EXTRA.
 * MISSING (SEC_E_INCOMPLETE_MESSAGE) means it consumed nothing, so all
 * stay for the call that has more. */
static void pipe_keep_extra(struct pipe *p, const SecBuffer *extra)
{
    if (extra->BufferType == SECBUFFER_EXTRA && extra->cbBuffer <= p->size) {
        memmove(p->data, p->data + p->size - extra->cbBuffer, extra->cbBuffer);
        p->size = extra->cbBuffer;
    } else if (extra->BufferType != SECBUFFER_MISSING) {
        p->size = 0;
    }
}

/* The server context got `expected` as the client's certificate (NULL:
 * none, which REMOTE_CERT_CONTEXT reports as SEC_E_NO_CREDENTIALS). */
static void check_server_saw_certificate(CtxtHandle *server, PCCERT_CONTEXT expected, const char *what)
{
    PCCERT_CONTEXT remote = NULL;
    SECURITY_STATUS status = QueryContextAttributesA(server, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &remote);
    if (!expected) {
        ok(status == SEC_E_NO_CREDENTIALS, "%s: server REMOTE_CERT_CONTEXT returned %08lx\n", what, status);
    } else {
        ok(status == SEC_E_OK && remote, "%s: server REMOTE_CERT_CONTEXT returned %08lx\n", what, status);
        if (remote)
            ok(CertCompareCertificate(X509_ASN_ENCODING, remote->pCertInfo, expected->pCertInfo),
               "%s: the server got another certificate\n", what);
    }
    if (remote) CertFreeCertificateContext(remote);
}

#endif
