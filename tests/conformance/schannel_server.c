/* Schannel server side: inbound credentials from certificates whose keys
 * come from CAPI containers and PFX imports, then AcceptSecurityContext
 * against our own InitializeSecurityContext in this process.
 *
 * Expected values are Windows'. One documented difference: a key that is
 * not exportable signs through its CAPI provider, which has no RSA-PSS, so
 * such a credential negotiates TLS 1.2 at most under our module; those
 * checks say so. */
#include <windows.h>
#include <wincrypt.h>
#ifndef SECURITY_WIN32
#define SECURITY_WIN32
#endif
#define SCHANNEL_USE_BLACKLISTS
#include <sspi.h>
#include <schannel.h>
#include <stdio.h>
#include <string.h>

#include "wine/test.h"
#include "server_certificates.h"
#include "schannel_loopback.h"

static BOOL is_ours;

static SECURITY_STATUS acquire_server_schannel_cred(PCCERT_CONTEXT cert, DWORD flags, CredHandle *handle)
{
    SCHANNEL_CRED cred;
    memset(&cred, 0, sizeof(cred));
    cred.dwVersion = SCHANNEL_CRED_VERSION;
    cred.cCreds = cert ? 1 : 0;
    cred.paCred = &cert;
    cred.dwFlags = flags;
    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, &cred, NULL, NULL,
                                     handle, NULL);
}

static SECURITY_STATUS acquire_server_sch_credentials(PCCERT_CONTEXT cert, DWORD flags, DWORD disabled,
                                                      CredHandle *handle)
{
    SCH_CREDENTIALS cred;
    TLS_PARAMETERS params;
    memset(&cred, 0, sizeof(cred));
    memset(&params, 0, sizeof(params));
    cred.dwVersion = SCH_CREDENTIALS_VERSION;
    cred.cCreds = cert ? 1 : 0;
    cred.paCred = &cert;
    cred.dwFlags = flags;
    if (disabled) {
        params.grbitDisabledProtocols = disabled;
        cred.cTlsParameters = 1;
        cred.pTlsParameters = &params;
    }
    return AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_INBOUND, NULL, &cred, NULL, NULL,
                                     handle, NULL);
}

static DWORD server_protocols(CredHandle *handle)
{
    SecPkgCred_SupportedProtocols protocols;
    memset(&protocols, 0, sizeof(protocols));
    if (QueryCredentialsAttributesA(handle, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &protocols) != SEC_E_OK) return 0;
    return protocols.grbitProtocol;
}

/* One inbound credential from `t`, expecting `expected`. */
static void check_inbound(struct test_certificate *t, SECURITY_STATUS expected, const char *what)
{
    CredHandle handle;
    SECURITY_STATUS status = acquire_server_schannel_cred(t->cert, 0, &handle);
    ok(status == expected, "%s: SCHANNEL_CRED inbound returned %08lx, expected %08lx\n", what, status, expected);
    if (status == SEC_E_OK) FreeCredentialsHandle(&handle);
    status = acquire_server_sch_credentials(t->cert, 0, 0, &handle);
    ok(status == expected, "%s: SCH_CREDENTIALS inbound returned %08lx, expected %08lx\n", what, status, expected);
    if (status == SEC_E_OK) FreeCredentialsHandle(&handle);
}

static void test_inbound_credentials(void)
{
    struct test_certificate t;
    CredHandle handle;
    SECURITY_STATUS status;
    PCCERT_CONTEXT none = NULL;
    SCHANNEL_CRED cred;
    DWORD protocols;

    /* No certificate: a server has nothing to authenticate with. */
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                       &handle, NULL);
    ok(status == SEC_E_NO_CREDENTIALS, "inbound without auth data returned %08lx\n", status);
    status = acquire_server_sch_credentials(NULL, 0, 0, &handle);
    ok(status == SEC_E_NO_CREDENTIALS, "SCH_CREDENTIALS without certificate returned %08lx\n", status);
    /* A null certificate pointer: stock Wine 8 dereferences it. */
    if (is_ours) {
        memset(&cred, 0, sizeof(cred));
        cred.dwVersion = SCHANNEL_CRED_VERSION;
        cred.cCreds = 1;
        cred.paCred = &none;
        status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, &cred, NULL,
                                           NULL, &handle, NULL);
        ok(status == SEC_E_UNKNOWN_CREDENTIALS || broken(status == SEC_E_NO_CREDENTIALS),
           "a null certificate returned %08lx\n", status);
        if (status == SEC_E_OK) FreeCredentialsHandle(&handle);
    }

    /* CAPI container keys, both key specs. */
    if (!make_self_signed(&t, AT_KEYEXCHANGE, CRYPT_EXPORTABLE, FALSE)) {
        skip("CertCreateSelfSignCertificate failed: %08lx\n", GetLastError());
        return;
    }
    check_inbound(&t, SEC_E_OK, "exportable AT_KEYEXCHANGE key");
    /* Windows 11 server defaults: TLS 1.2 with SCHANNEL_CRED, 1.2 and 1.3 with SCH_CREDENTIALS. */
    if (acquire_server_schannel_cred(t.cert, 0, &handle) == SEC_E_OK) {
        protocols = server_protocols(&handle);
        ok(protocols == SP_PROT_TLS1_2_SERVER, "SCHANNEL_CRED server protocols %08lx\n", protocols);
        FreeCredentialsHandle(&handle);
    }
    if (acquire_server_sch_credentials(t.cert, 0, 0, &handle) == SEC_E_OK) {
        protocols = server_protocols(&handle);
        ok(protocols == (SP_PROT_TLS1_2_SERVER | SP_PROT_TLS1_3_SERVER), "SCH_CREDENTIALS server protocols %08lx\n",
           protocols);
        FreeCredentialsHandle(&handle);
    }
    if (acquire_server_sch_credentials(t.cert, 0, 0, &handle) == SEC_E_OK) {
        SecPkgCred_CipherStrengths strengths;
        SecPkgCred_SupportedAlgs algs;
        memset(&strengths, 0, sizeof(strengths));
        status = QueryCredentialsAttributesA(&handle, SECPKG_ATTR_CIPHER_STRENGTHS, &strengths);
        ok(status == SEC_E_OK && strengths.dwMinimumCipherStrength &&
           strengths.dwMinimumCipherStrength <= strengths.dwMaximumCipherStrength,
           "server CIPHER_STRENGTHS %08lx: %lu..%lu\n", status, strengths.dwMinimumCipherStrength,
           strengths.dwMaximumCipherStrength);
        memset(&algs, 0, sizeof(algs));
        status = QueryCredentialsAttributesW(&handle, SECPKG_ATTR_SUPPORTED_ALGS, &algs);
        todo_wine ok(status == SEC_E_OK && algs.cSupportedAlgs && algs.palgSupportedAlgs,
                     "server SUPPORTED_ALGS %08lx\n", status);
        if (status == SEC_E_OK) FreeContextBuffer(algs.palgSupportedAlgs);
        FreeCredentialsHandle(&handle);
    }
    if (acquire_server_sch_credentials(t.cert, 0, SP_PROT_TLS1_3_SERVER, &handle) == SEC_E_OK) {
        protocols = server_protocols(&handle);
        ok(protocols == SP_PROT_TLS1_2_SERVER, "without TLS 1.3: server protocols %08lx\n", protocols);
        FreeCredentialsHandle(&handle);
    }
    /* An outbound credential ignores nothing here: the same certificate
     * for a client is client authentication (not this unit's subject). */
    free_test_certificate(&t);

    if (make_self_signed(&t, AT_SIGNATURE, CRYPT_EXPORTABLE, FALSE))
        check_inbound(&t, SEC_E_OK, "exportable AT_SIGNATURE key");
    free_test_certificate(&t);

    /* A key that cannot leave its container: used through its provider. */
    if (make_self_signed(&t, AT_KEYEXCHANGE, 0, FALSE))
        check_inbound(&t, SEC_E_OK, "non-exportable key");
    free_test_certificate(&t);

    /* A certificate that names no key at all. */
    if (make_self_signed(&t, AT_KEYEXCHANGE, CRYPT_EXPORTABLE, TRUE))
        check_inbound(&t, SEC_E_NO_CREDENTIALS, "certificate without key information");
    free_test_certificate(&t);

    /* One that names a container which is gone (Windows: unknown
     * credentials, Wine's schannel tests). */
    if (make_self_signed(&t, AT_KEYEXCHANGE, CRYPT_EXPORTABLE, FALSE)) {
        HCRYPTPROV prov;
        CryptAcquireContextW(&prov, t.container, MS_ENHANCED_PROV_W, PROV_RSA_FULL, CRYPT_DELETEKEYSET);
        check_inbound(&t, SEC_E_UNKNOWN_CREDENTIALS, "certificate whose key container is gone");
        /* A bad credential is reported even without a handle to fill. */
        memset(&cred, 0, sizeof(cred));
        cred.dwVersion = SCHANNEL_CRED_VERSION;
        cred.cCreds = 1;
        cred.paCred = &t.cert;
        status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, &cred, NULL,
                                           NULL, NULL, NULL);
        ok(status == SEC_E_UNKNOWN_CREDENTIALS, "gone container, no handle: %08lx\n", status);
        t.container[0] = 0;
    }
    free_test_certificate(&t);

    /* Several certificates: each must be usable, whatever the order. */
    if (make_self_signed(&t, AT_KEYEXCHANGE, CRYPT_EXPORTABLE, FALSE)) {
        struct test_certificate keyless;
        PCCERT_CONTEXT pair[2];
        if (make_self_signed(&keyless, AT_KEYEXCHANGE, CRYPT_EXPORTABLE, TRUE)) {
            unsigned order;
            for (order = 0; order < 2; order++) {
                pair[order] = t.cert;
                pair[!order] = keyless.cert;
                memset(&cred, 0, sizeof(cred));
                cred.dwVersion = SCHANNEL_CRED_VERSION;
                cred.cCreds = 2;
                cred.paCred = pair;
                status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, &cred,
                                                   NULL, NULL, &handle, NULL);
                ok(status == SEC_E_NO_CREDENTIALS || status == SEC_E_UNKNOWN_CREDENTIALS,
                   "a keyless certificate beside a good one (order %u) returned %08lx\n", order, status);
                if (status == SEC_E_OK) FreeCredentialsHandle(&handle);
            }
            free_test_certificate(&keyless);
        }
        pair[0] = pair[1] = t.cert;
        memset(&cred, 0, sizeof(cred));
        cred.dwVersion = SCHANNEL_CRED_VERSION;
        cred.cCreds = 2;
        cred.paCred = pair;
        status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, &cred, NULL,
                                           NULL, &handle, NULL);
        ok(status == SEC_E_OK, "two usable certificates returned %08lx\n", status);
        if (status == SEC_E_OK) FreeCredentialsHandle(&handle);
    }
    free_test_certificate(&t);

    /* PFX imports: persisted key, in-memory key (PKCS12_NO_PERSIST_KEY),
     * and the default non-exportable import. */
    if (import_test_pfx(&t, test_pfx_rsa_base64, CRYPT_EXPORTABLE))
        check_inbound(&t, SEC_E_OK, "PFX, CRYPT_EXPORTABLE");
    else
        ok(0, "RSA PFX import failed: %08lx\n", GetLastError());
    free_test_certificate(&t);
    if (import_test_pfx(&t, test_pfx_rsa_base64, CRYPT_EXPORTABLE | PKCS12_NO_PERSIST_KEY))
        check_inbound(&t, SEC_E_OK, "PFX, CRYPT_EXPORTABLE | PKCS12_NO_PERSIST_KEY");
    else
        ok(0, "RSA PFX import (no persist) failed: %08lx\n", GetLastError());
    free_test_certificate(&t);
    if (import_test_pfx(&t, test_pfx_rsa_base64, 0))
        check_inbound(&t, SEC_E_OK, "PFX, default flags");
    free_test_certificate(&t);

    /* ECDSA: Wine 8.0's PFXImportCertStore takes RSA keys only; where the
     * import works (Windows, newer Wine) the key must be usable. */
    if (import_test_pfx(&t, test_pfx_ecdsa_base64, CRYPT_EXPORTABLE))
        check_inbound(&t, SEC_E_OK, "ECDSA PFX, CRYPT_EXPORTABLE");
    else
        skip("this crypt32 cannot import an ECDSA PFX (%08lx)\n", GetLastError());
    free_test_certificate(&t);
}

/* ---- ISC <-> ASC in this process ------------------------------------- */

struct peer_options {
    DWORD client_disabled;          /* SCH_CREDENTIALS grbitDisabledProtocols for the client */
    ULONG server_flags;             /* ASC_REQ_* */
    ULONG client_extra_flags;       /* ISC_REQ_* added to ISC_FLAGS */
    /* SEC_I_INCOMPLETE_CREDENTIALS: the client goes on with this
     * credential (NULL: the same one), passing the same input again when
     * repeat_input is set (curl, Microsoft's sample) or none (.NET). */
    CredHandle *answer_cred;
    BOOL repeat_input;
    const char *client_alpn;        /* wire-format ALPN lists, or NULL */
    unsigned client_alpn_size;
    const char *server_alpn;
    unsigned server_alpn_size;
};

struct connection {
    CtxtHandle client, server;
    BOOL has_client, has_server;
    SECURITY_STATUS client_status, server_status;
    ULONG server_attrs;
    TimeStamp client_expiry;        /* from the client's last ISC call */
    struct pipe to_server, to_client;
    /* What the client saw at SEC_I_INCOMPLETE_CREDENTIALS. */
    int incomplete_credentials;
    SECURITY_STATUS issuers_status, signatures_status;
    DWORD issuer_count;
    WORD signature_count;
    BOOL rsa_sha256_supported;
};

static ULONG fill_alpn(BYTE *buf, const char *list, unsigned size)
{
    SEC_APPLICATION_PROTOCOLS *protocols = (SEC_APPLICATION_PROTOCOLS *)buf;
    protocols->ProtocolListsSize = FIELD_OFFSET(SEC_APPLICATION_PROTOCOL_LIST, ProtocolList) + size;
    protocols->ProtocolLists[0].ProtoNegoExt = SecApplicationProtocolNegotiationExt_ALPN;
    protocols->ProtocolLists[0].ProtocolListSize = size;
    memcpy(protocols->ProtocolLists[0].ProtocolList, list, size);
    return FIELD_OFFSET(SEC_APPLICATION_PROTOCOLS, ProtocolLists) + protocols->ProtocolListsSize;
}

static SECURITY_STATUS client_step(struct connection *c, CredHandle *cred, const struct peer_options *o)
{
    SecBuffer in[3], out[1];
    SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, in}, out_desc = {SECBUFFER_VERSION, 1, out};
    BYTE alpn[128];
    ULONG attrs;
    SECURITY_STATUS status;

    in[0].BufferType = SECBUFFER_TOKEN;
    in[0].pvBuffer = c->to_client.data;
    in[0].cbBuffer = c->to_client.size;
    in[1].BufferType = SECBUFFER_EMPTY;
    in[1].pvBuffer = NULL;
    in[1].cbBuffer = 0;
    if (!c->has_client && o->client_alpn) {
        in[0].BufferType = SECBUFFER_APPLICATION_PROTOCOLS;
        in[0].pvBuffer = alpn;
        in[0].cbBuffer = fill_alpn(alpn, o->client_alpn, o->client_alpn_size);
        in_desc.cBuffers = 1;
    }
    out[0].BufferType = SECBUFFER_TOKEN;
    out[0].pvBuffer = NULL;
    out[0].cbBuffer = 0;
    status = InitializeSecurityContextA(cred, c->has_client ? &c->client : NULL, (SEC_CHAR *)"localhost",
                                        ISC_FLAGS | o->client_extra_flags, 0, 0,
                                        (c->has_client || o->client_alpn) ? &in_desc : NULL, 0, &c->client,
                                        &out_desc, &attrs, &c->client_expiry);
    if (!FAILED(status) || status == SEC_E_INCOMPLETE_MESSAGE) c->has_client = TRUE;
    if (c->has_client && in_desc.cBuffers == 2) pipe_keep_extra(&c->to_client, &in[1]);
    if (out[0].pvBuffer && out[0].cbBuffer) pipe_put(&c->to_server, out[0].pvBuffer, out[0].cbBuffer);
    if (out[0].pvBuffer) FreeContextBuffer(out[0].pvBuffer);
    return status;
}

static SECURITY_STATUS server_step(struct connection *c, CredHandle *cred, const struct peer_options *o)
{
    SecBuffer in[3], out[2];
    SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, in}, out_desc = {SECBUFFER_VERSION, 2, out};
    BYTE alpn[128];
    SECURITY_STATUS status;

    in[0].BufferType = SECBUFFER_TOKEN;
    in[0].pvBuffer = c->to_server.data;
    in[0].cbBuffer = c->to_server.size;
    in[1].BufferType = SECBUFFER_EMPTY;
    in[1].pvBuffer = NULL;
    in[1].cbBuffer = 0;
    if (!c->has_server && o->server_alpn) {
        in[2].BufferType = SECBUFFER_APPLICATION_PROTOCOLS;
        in[2].pvBuffer = alpn;
        in[2].cbBuffer = fill_alpn(alpn, o->server_alpn, o->server_alpn_size);
        in_desc.cBuffers = 3;
    }
    out[0].BufferType = SECBUFFER_TOKEN;
    out[0].pvBuffer = NULL;
    out[0].cbBuffer = 0;
    out[1].BufferType = SECBUFFER_ALERT;
    out[1].pvBuffer = NULL;
    out[1].cbBuffer = 0;
    status = AcceptSecurityContext(cred, c->has_server ? &c->server : NULL, &in_desc, o->server_flags, 0,
                                   &c->server, &out_desc, &c->server_attrs, NULL);
    if (!FAILED(status)) c->has_server = TRUE;
    if (status != SEC_E_INCOMPLETE_MESSAGE) pipe_keep_extra(&c->to_server, &in[1]);
    if (out[0].pvBuffer && out[0].cbBuffer) pipe_put(&c->to_client, out[0].pvBuffer, out[0].cbBuffer);
    if (out[0].pvBuffer) FreeContextBuffer(out[0].pvBuffer);
    if (out[1].pvBuffer) FreeContextBuffer(out[1].pvBuffer);
    return status;
}

static BOOL finish_handshake(struct connection *c, CredHandle *client_cred, CredHandle *server_cred,
                             const struct peer_options *o);

/* Runs the handshake to its end on both sides (bounded). */
static BOOL connect_peers(struct connection *c, CredHandle *client_cred, CredHandle *server_cred,
                          const struct peer_options *o)
{
    memset(c, 0, sizeof(*c));
    c->client_status = client_step(c, client_cred, o);
    return finish_handshake(c, client_cred, server_cred, o);
}

/* Continues a handshake the client has started. */
static BOOL finish_handshake(struct connection *c, CredHandle *client_cred, CredHandle *server_cred,
                             const struct peer_options *o)
{
    BOOL client_done = FALSE, server_done = FALSE;
    int round;

    for (round = 0; round < 16 && !(client_done && server_done); round++) {
        if (!server_done && c->to_server.size) {
            c->server_status = server_step(c, server_cred, o);
            if (c->server_status == SEC_E_OK) server_done = TRUE;
            else if (c->server_status != SEC_I_CONTINUE_NEEDED && c->server_status != SEC_E_INCOMPLETE_MESSAGE)
                return FALSE;
        }
        if (!client_done && c->to_client.size) {
            static struct pipe saved;
            saved = c->to_client;
            c->client_status = client_step(c, client_cred, o);
            if (c->client_status == SEC_I_INCOMPLETE_CREDENTIALS && c->incomplete_credentials++ < 2) {
                SecPkgContext_IssuerListInfoEx issuers;
                SecPkgContext_SupportedSignatures signatures;
                WORD i;
                memset(&issuers, 0, sizeof(issuers));
                c->issuers_status = QueryContextAttributesA(&c->client, SECPKG_ATTR_ISSUER_LIST_EX, &issuers);
                c->issuer_count = issuers.cIssuers;
                if (issuers.aIssuers) FreeContextBuffer(issuers.aIssuers);
                memset(&signatures, 0, sizeof(signatures));
                c->signatures_status = QueryContextAttributesA(&c->client, SECPKG_ATTR_SUPPORTED_SIGNATURES, &signatures);
                c->signature_count = signatures.cSignatureAndHashAlgorithms;
                for (i = 0; i < signatures.cSignatureAndHashAlgorithms; i++)
                    if (signatures.pSignatureAndHashAlgorithms[i] == 0x0104) c->rsa_sha256_supported = TRUE;
                if (signatures.pSignatureAndHashAlgorithms) FreeContextBuffer(signatures.pSignatureAndHashAlgorithms);
                if (o->answer_cred) client_cred = o->answer_cred;
                if (o->repeat_input) c->to_client = saved;
                c->client_status = client_step(c, client_cred, o);
            }
            if (c->client_status == SEC_E_OK) client_done = TRUE;
            else if (c->client_status != SEC_I_CONTINUE_NEEDED && c->client_status != SEC_E_INCOMPLETE_MESSAGE)
                return FALSE;
        }
    }
    return client_done && server_done;
}

static void disconnect(struct connection *c)
{
    if (c->has_client) DeleteSecurityContext(&c->client);
    if (c->has_server) DeleteSecurityContext(&c->server);
    c->has_client = c->has_server = FALSE;
}

/* Sends `size` bytes from `from` and receives them on `to`, record by
 * record; TLS 1.3 tickets on the way are handed to `to`'s handshake. */
static BOOL transfer(CtxtHandle *from, CtxtHandle *to, BOOL to_is_client, CredHandle *to_cred,
                     const BYTE *data, ULONG size)
{
    SecPkgContext_StreamSizes sizes;
    static BYTE wire[PIPE_SIZE];
    static BYTE received[1 << 20];
    ULONG sent = 0, got = 0, wire_size = 0;
    int loops = 0;

    if (QueryContextAttributesA(from, SECPKG_ATTR_STREAM_SIZES, &sizes) != SEC_E_OK) return FALSE;
    while (got < size && loops++ < 4096) {
        SecBuffer b[4];
        SecBufferDesc desc = {SECBUFFER_VERSION, 4, b};
        SECURITY_STATUS status;
        if (sent < size && wire_size + sizes.cbHeader + sizes.cbMaximumMessage + sizes.cbTrailer <= sizeof(wire)) {
            ULONG n = min(size - sent, sizes.cbMaximumMessage);
            b[0].BufferType = SECBUFFER_STREAM_HEADER; b[0].pvBuffer = wire + wire_size; b[0].cbBuffer = sizes.cbHeader;
            b[1].BufferType = SECBUFFER_DATA; b[1].pvBuffer = wire + wire_size + sizes.cbHeader; b[1].cbBuffer = n;
            b[2].BufferType = SECBUFFER_STREAM_TRAILER; b[2].pvBuffer = wire + wire_size + sizes.cbHeader + n;
            b[2].cbBuffer = sizes.cbTrailer;
            b[3].BufferType = SECBUFFER_EMPTY; b[3].pvBuffer = NULL; b[3].cbBuffer = 0;
            memcpy(b[1].pvBuffer, data + sent, n);
            status = EncryptMessage(from, 0, &desc, 0);
            if (status != SEC_E_OK) { ok(0, "EncryptMessage returned %08lx\n", status); return FALSE; }
            wire_size += b[0].cbBuffer + b[1].cbBuffer + b[2].cbBuffer;
            sent += n;
        }
        while (wire_size) {
            ULONG i;
            b[0].BufferType = SECBUFFER_DATA; b[0].pvBuffer = wire; b[0].cbBuffer = wire_size;
            for (i = 1; i < 4; i++) { b[i].BufferType = SECBUFFER_EMPTY; b[i].pvBuffer = NULL; b[i].cbBuffer = 0; }
            status = DecryptMessage(to, &desc, 0, NULL);
            if (status == SEC_E_INCOMPLETE_MESSAGE) break;
            if (status != SEC_E_OK && status != SEC_I_RENEGOTIATE) {
                ok(0, "DecryptMessage returned %08lx\n", status);
                return FALSE;
            }
            if (b[1].BufferType == SECBUFFER_DATA && b[1].cbBuffer) {
                if (got + b[1].cbBuffer > sizeof(received)) return FALSE;
                memcpy(received + got, b[1].pvBuffer, b[1].cbBuffer);
                got += b[1].cbBuffer;
            }
            if (b[3].BufferType == SECBUFFER_EXTRA) {
                memmove(wire, wire + wire_size - b[3].cbBuffer, b[3].cbBuffer);
                wire_size = b[3].cbBuffer;
            } else {
                wire_size = 0;
            }
            if (status == SEC_I_RENEGOTIATE) {
                /* A post-handshake message (ticket): the handshake call takes it. */
                SecBuffer out = {0, SECBUFFER_TOKEN, NULL};
                SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, &out};
                ULONG attrs;
                status = to_is_client
                             ? InitializeSecurityContextA(to_cred, to, (SEC_CHAR *)"localhost", ISC_FLAGS, 0, 0, NULL,
                                                          0, NULL, &out_desc, &attrs, NULL)
                             : AcceptSecurityContext(to_cred, to, NULL, ASC_FLAGS, 0, NULL, &out_desc, &attrs, NULL);
                ok(status == SEC_E_OK, "handshake call after SEC_I_RENEGOTIATE returned %08lx\n", status);
                if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
            }
        }
    }
    ok(got == size, "received %lu of %lu bytes\n", got, size);
    return got == size && !memcmp(received, data, size);
}

/* The TLS 1.3 tickets the server sent with its last token wait in the
 * client's pipe: DecryptMessage says SEC_I_RENEGOTIATE for each record and
 * the next InitializeSecurityContext takes it. */
static void deliver_tickets(struct connection *c, CredHandle *client_cred)
{
    int loops = 0;
    while (c->to_client.size && loops++ < 16) {
        SecBuffer b[4], out = {0, SECBUFFER_TOKEN, NULL};
        SecBufferDesc desc = {SECBUFFER_VERSION, 4, b}, out_desc = {SECBUFFER_VERSION, 1, &out};
        SECURITY_STATUS status;
        ULONG i, attrs;
        b[0].BufferType = SECBUFFER_DATA; b[0].pvBuffer = c->to_client.data; b[0].cbBuffer = c->to_client.size;
        for (i = 1; i < 4; i++) { b[i].BufferType = SECBUFFER_EMPTY; b[i].pvBuffer = NULL; b[i].cbBuffer = 0; }
        status = DecryptMessage(&c->client, &desc, 0, NULL);
        ok(status == SEC_I_RENEGOTIATE, "ticket record: DecryptMessage returned %08lx\n", status);
        if (status != SEC_I_RENEGOTIATE) return;
        pipe_keep_extra(&c->to_client, &b[3]);
        if (b[3].BufferType != SECBUFFER_EXTRA) c->to_client.size = 0;
        status = InitializeSecurityContextA(client_cred, &c->client, (SEC_CHAR *)"localhost", ISC_FLAGS, 0, 0, NULL, 0,
                                            NULL, &out_desc, &attrs, NULL);
        ok(status == SEC_E_OK, "ISC after a ticket returned %08lx\n", status);
        if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
    }
}

static DWORD negotiated_protocol(CtxtHandle *ctx)
{
    SecPkgContext_ConnectionInfo info;
    memset(&info, 0, sizeof(info));
    if (QueryContextAttributesA(ctx, SECPKG_ATTR_CONNECTION_INFO, &info) != SEC_E_OK) return 0;
    return info.dwProtocol;
}

static BOOL resumed(CtxtHandle *ctx)
{
    SecPkgContext_SessionInfo info;
    memset(&info, 0, sizeof(info));
    if (QueryContextAttributesA(ctx, SECPKG_ATTR_SESSION_INFO, &info) != SEC_E_OK) return FALSE;
    return (info.dwFlags & SSL_SESSION_RECONNECT) != 0;
}

static SECURITY_STATUS acquire_client(DWORD disabled, CredHandle *handle)
{
    SCH_CREDENTIALS cred;
    TLS_PARAMETERS params;
    memset(&cred, 0, sizeof(cred));
    memset(&params, 0, sizeof(params));
    cred.dwVersion = SCH_CREDENTIALS_VERSION;
    cred.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    if (disabled) {
        params.grbitDisabledProtocols = disabled;
        cred.cTlsParameters = 1;
        cred.pTlsParameters = &params;
    }
    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &cred, NULL, NULL,
                                     handle, NULL);
}

static void test_handshakes_with(struct test_certificate *t, const char *what)
{
    static const struct { DWORD disabled; DWORD protocol; const char *name; } versions[] = {
        {SP_PROT_TLS1_3_CLIENT, SP_PROT_TLS1_2_SERVER, "TLS 1.2"},
        {0, SP_PROT_TLS1_3_SERVER, "TLS 1.3"},
    };
    static BYTE big[300000];
    CredHandle server_cred, client_cred;
    struct connection c;
    struct peer_options o;
    unsigned v, i;

    for (i = 0; i < sizeof(big); i++) big[i] = (BYTE)(i * 7 + i / 251);
    if (acquire_server_sch_credentials(t->cert, 0, 0, &server_cred) != SEC_E_OK) {
        ok(0, "%s: no server credential\n", what);
        return;
    }
    for (v = 0; v < ARRAY_SIZE(versions); v++) {
        DWORD client_protocol = versions[v].protocol == SP_PROT_TLS1_3_SERVER ? SP_PROT_TLS1_3_CLIENT
                                                                              : SP_PROT_TLS1_2_CLIENT;
        SecPkgContext_StreamSizes sizes;
        SECURITY_STATUS status;
        PCCERT_CONTEXT remote = NULL;

        if (acquire_client(versions[v].disabled, &client_cred) != SEC_E_OK) continue;
        memset(&o, 0, sizeof(o));
        o.server_flags = ASC_FLAGS;
        ok(connect_peers(&c, &client_cred, &server_cred, &o), "%s %s: handshake failed: client %08lx, server %08lx\n",
           what, versions[v].name, c.client_status, c.server_status);
        if (c.has_client && c.has_server && c.client_status == SEC_E_OK && c.server_status == SEC_E_OK) {
            deliver_tickets(&c, &client_cred);
            ok(negotiated_protocol(&c.server) == versions[v].protocol, "%s %s: server protocol %08lx\n", what,
               versions[v].name, negotiated_protocol(&c.server));
            ok(negotiated_protocol(&c.client) == client_protocol, "%s %s: client protocol %08lx\n", what,
               versions[v].name, negotiated_protocol(&c.client));
            ok(c.server_attrs == (ASC_RET_SEQUENCE_DETECT | ASC_RET_REPLAY_DETECT | ASC_RET_CONFIDENTIALITY |
                                  ASC_RET_EXTENDED_ERROR | ASC_RET_ALLOCATED_MEMORY | ASC_RET_STREAM),
               "%s %s: server attributes %08lx\n", what, versions[v].name, c.server_attrs);
            status = QueryContextAttributesA(&c.server, SECPKG_ATTR_STREAM_SIZES, &sizes);
            ok(status == SEC_E_OK && sizes.cbMaximumMessage == 16384, "server STREAM_SIZES %08lx\n", status);
            status = QueryContextAttributesA(&c.server, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &remote);
            ok(status == SEC_E_NO_CREDENTIALS, "server without client certificate: REMOTE_CERT_CONTEXT %08lx\n",
               status);
            status = QueryContextAttributesA(&c.client, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &remote);
            ok(status == SEC_E_OK && remote && CertCompareCertificate(X509_ASN_ENCODING, remote->pCertInfo,
                                                                     t->cert->pCertInfo),
               "%s: the client sees the server's certificate (%08lx)\n", what, status);
            if (remote) CertFreeCertificateContext(remote);
            /* The context lasts as long as the server's certificate. */
            ok(c.client_expiry.LowPart == t->cert->pCertInfo->NotAfter.dwLowDateTime &&
                   (DWORD)c.client_expiry.HighPart == t->cert->pCertInfo->NotAfter.dwHighDateTime,
               "%s %s: client expiry %08lx%08lx\n", what, versions[v].name, c.client_expiry.HighPart,
               c.client_expiry.LowPart);
            ok(transfer(&c.client, &c.server, FALSE, &server_cred, big, sizeof(big)), "%s %s: client -> server\n",
               what, versions[v].name);
            ok(transfer(&c.server, &c.client, TRUE, &client_cred, big, sizeof(big)), "%s %s: server -> client\n",
               what, versions[v].name);
        }
        disconnect(&c);

        /* Resumption: a second connection on the same credentials. */
        if (connect_peers(&c, &client_cred, &server_cred, &o)) {
            deliver_tickets(&c, &client_cred);
            disconnect(&c);
            ok(connect_peers(&c, &client_cred, &server_cred, &o), "%s %s: third handshake\n", what,
               versions[v].name);
            ok(resumed(&c.client), "%s %s: the client did not resume\n", what, versions[v].name);
            ok(resumed(&c.server), "%s %s: the server did not resume\n", what, versions[v].name);
            disconnect(&c);
        }
        FreeCredentialsHandle(&client_cred);
    }
    FreeCredentialsHandle(&server_cred);
}

static void test_alpn_mutual_auth_shutdown(PCCERT_CONTEXT cert)
{
    static const char client_alpn[] = "\x08http/1.1\x02h2", server_alpn[] = "\x02h2\x08http/1.1";
    SecPkgContext_ApplicationProtocol protocol;
    CredHandle server_cred, client_cred;
    struct connection c;
    struct peer_options o;
    SECURITY_STATUS status;
    PCCERT_CONTEXT local = NULL;

    if (acquire_server_sch_credentials(cert, 0, 0, &server_cred) != SEC_E_OK) return;
    if (acquire_client(0, &client_cred) != SEC_E_OK) {
        FreeCredentialsHandle(&server_cred);
        return;
    }

    /* ALPN: the server's preference wins (h2, though the client lists http/1.1 first). */
    memset(&o, 0, sizeof(o));
    o.server_flags = ASC_FLAGS;
    o.client_alpn = client_alpn;
    o.client_alpn_size = sizeof(client_alpn) - 1;
    o.server_alpn = server_alpn;
    o.server_alpn_size = sizeof(server_alpn) - 1;
    ok(connect_peers(&c, &client_cred, &server_cred, &o), "ALPN handshake failed: %08lx %08lx\n", c.client_status,
       c.server_status);
    memset(&protocol, 0, sizeof(protocol));
    status = QueryContextAttributesA(&c.server, SECPKG_ATTR_APPLICATION_PROTOCOL, &protocol);
    ok(status == SEC_E_OK && protocol.ProtoNegoStatus == SecApplicationProtocolNegotiationStatus_Success &&
       protocol.ProtocolIdSize == 2 && !memcmp(protocol.ProtocolId, "h2", 2),
       "server ALPN: status %08lx, negotiation %d, size %u\n", status, protocol.ProtoNegoStatus,
       protocol.ProtocolIdSize);
    memset(&protocol, 0, sizeof(protocol));
    status = QueryContextAttributesA(&c.client, SECPKG_ATTR_APPLICATION_PROTOCOL, &protocol);
    ok(status == SEC_E_OK && protocol.ProtocolIdSize == 2 && !memcmp(protocol.ProtocolId, "h2", 2),
       "client ALPN: status %08lx, size %u\n", status, protocol.ProtocolIdSize);
    status = QueryContextAttributesA(&c.server, SECPKG_ATTR_LOCAL_CERT_CONTEXT, &local);
    ok(status == SEC_E_OK && local && CertCompareCertificate(X509_ASN_ENCODING, local->pCertInfo, cert->pCertInfo),
       "server LOCAL_CERT_CONTEXT %08lx\n", status);
    if (local) CertFreeCertificateContext(local);

    /* Shutdown from the server: close_notify, then the client sees the end. */
    deliver_tickets(&c, &client_cred);
    {
        DWORD type = SCHANNEL_SHUTDOWN;
        SecBuffer token = {sizeof(type), SECBUFFER_TOKEN, &type}, out = {0, SECBUFFER_TOKEN, NULL}, b[4];
        SecBufferDesc desc = {SECBUFFER_VERSION, 1, &token}, out_desc = {SECBUFFER_VERSION, 1, &out};
        SecBufferDesc msg = {SECBUFFER_VERSION, 4, b};
        ULONG attrs, i;
        status = ApplyControlToken(&c.server, &desc);
        ok(status == SEC_E_OK, "ApplyControlToken(SHUTDOWN) returned %08lx\n", status);
        status = AcceptSecurityContext(&server_cred, &c.server, NULL, ASC_FLAGS, 0, NULL, &out_desc, &attrs, NULL);
        ok(status == SEC_E_OK || status == SEC_I_CONTEXT_EXPIRED, "ASC after SHUTDOWN returned %08lx\n", status);
        ok(out.pvBuffer && out.cbBuffer > 0, "no close_notify token\n");
        if (out.pvBuffer && out.cbBuffer) {
            b[0].BufferType = SECBUFFER_DATA; b[0].pvBuffer = out.pvBuffer; b[0].cbBuffer = out.cbBuffer;
            for (i = 1; i < 4; i++) { b[i].BufferType = SECBUFFER_EMPTY; b[i].pvBuffer = NULL; b[i].cbBuffer = 0; }
            status = DecryptMessage(&c.client, &msg, 0, NULL);
            ok(status == SEC_I_CONTEXT_EXPIRED, "client DecryptMessage(close_notify) returned %08lx\n", status);
        }
        if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
    }
    disconnect(&c);

    /* ASC_REQ_MUTUAL_AUTH asks for a client certificate; a client without
     * one (SCH_CRED_NO_DEFAULT_CREDS) gets SEC_I_INCOMPLETE_CREDENTIALS,
     * goes on with the same credential and connects, and the server sees
     * no remote certificate. */
    o.server_flags = ASC_FLAGS | ASC_REQ_MUTUAL_AUTH;
    o.client_alpn = o.server_alpn = NULL;
    /* A fresh client credential: a resumed session asks nothing. */
    FreeCredentialsHandle(&client_cred);
    ok(acquire_client(0, &client_cred) == SEC_E_OK, "no client credential\n");
    ok(connect_peers(&c, &client_cred, &server_cred, &o), "mutual-auth handshake failed: %08lx %08lx\n",
       c.client_status, c.server_status);
    ok(c.incomplete_credentials == 1, "SEC_I_INCOMPLETE_CREDENTIALS seen %d times\n", c.incomplete_credentials);
    if (c.has_server) {
        PCCERT_CONTEXT remote = NULL;
        ok(c.server_attrs & ASC_RET_MUTUAL_AUTH, "server attributes %08lx lack MUTUAL_AUTH\n", c.server_attrs);
        status = QueryContextAttributesA(&c.server, SECPKG_ATTR_REMOTE_CERT_CONTEXT, &remote);
        ok(status == SEC_E_NO_CREDENTIALS, "REMOTE_CERT_CONTEXT without a client certificate: %08lx\n", status);
        if (remote) CertFreeCertificateContext(remote);
    }
    disconnect(&c);
    FreeCredentialsHandle(&client_cred);
    FreeCredentialsHandle(&server_cred);

    /* SCH_CRED_DISABLE_RECONNECTS: no connection of that server resumes. */
    if (acquire_server_sch_credentials(cert, SCH_CRED_DISABLE_RECONNECTS, 0, &server_cred) == SEC_E_OK) {
        if (acquire_client(0, &client_cred) == SEC_E_OK) {
            o.server_flags = ASC_FLAGS;
            if (connect_peers(&c, &client_cred, &server_cred, &o)) deliver_tickets(&c, &client_cred);
            disconnect(&c);
            ok(connect_peers(&c, &client_cred, &server_cred, &o), "second handshake failed\n");
            ok(!resumed(&c.server) && !resumed(&c.client), "resumed despite SCH_CRED_DISABLE_RECONNECTS\n");
            disconnect(&c);
            FreeCredentialsHandle(&client_cred);
        }
        FreeCredentialsHandle(&server_cred);
    }
}

/* ---- RFC 5705 keying material (SECPKG_ATTR_KEYING_MATERIAL_INFO) ------ */

static SECURITY_STATUS set_keying_info(CtxtHandle *ctx, const char *label, const void *context_value,
                                       WORD context_size, DWORD size)
{
    SecPkgContext_KeyingMaterialInfo info;
    memset(&info, 0, sizeof(info));
    info.cbLabel = label ? (WORD)(strlen(label) + 1) : 0;
    info.pszLabel = (LPSTR)label;
    info.cbContextValue = context_size;
    info.pbContextValue = (PBYTE)context_value;
    info.cbKeyingMaterial = size;
    return SetContextAttributesA(ctx, SECPKG_ATTR_KEYING_MATERIAL_INFO, &info, sizeof(info));
}

/* The material `ctx` exports now, copied into `out` (`size` bytes expected). */
static SECURITY_STATUS get_keying_material(CtxtHandle *ctx, BYTE *out, DWORD size)
{
    SecPkgContext_KeyingMaterial material;
    SECURITY_STATUS status;
    memset(&material, 0, sizeof(material));
    status = QueryContextAttributesA(ctx, SECPKG_ATTR_KEYING_MATERIAL, &material);
    if (status != SEC_E_OK) return status;
    ok(material.cbKeyingMaterial == size && material.pbKeyingMaterial, "keying material: %lu bytes at %p\n",
       material.cbKeyingMaterial, material.pbKeyingMaterial);
    if (material.pbKeyingMaterial && material.cbKeyingMaterial == size) memcpy(out, material.pbKeyingMaterial, size);
    if (material.pbKeyingMaterial) FreeContextBuffer(material.pbKeyingMaterial);
    return status;
}

static void test_keying_material(PCCERT_CONTEXT cert)
{
    static const struct { DWORD disabled; const char *name; } versions[] = {
        {SP_PROT_TLS1_3_CLIENT, "TLS 1.2"},
        {0, "TLS 1.3"},
    };
    static const BYTE context_value[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    BYTE client_km[64], server_km[64], other_km[64], first_tls_km[64];
    CredHandle server_cred, client_cred;
    SecPkgContext_KeyingMaterialInfo info;
    SecPkgContext_KeyingMaterial material;
    struct connection c;
    struct peer_options o;
    SECURITY_STATUS status;
    unsigned v;

    if (acquire_server_sch_credentials(cert, 0, 0, &server_cred) != SEC_E_OK) return;
    memset(&o, 0, sizeof(o));
    o.server_flags = ASC_FLAGS;
    for (v = 0; v < ARRAY_SIZE(versions); v++) {
        if (acquire_client(versions[v].disabled, &client_cred) != SEC_E_OK) continue;

        /* The client sets its exporter while the handshake is under way;
         * before the handshake ends the material cannot be queried. */
        memset(&c, 0, sizeof(c));
        c.client_status = client_step(&c, &client_cred, &o);
        ok(c.client_status == SEC_I_CONTINUE_NEEDED, "%s: first ISC returned %08lx\n", versions[v].name,
           c.client_status);
        status = set_keying_info(&c.client, "EXPERIMENTAL wine-secur32", NULL, 0, 48);
        /* Stock Wine 8 has no SetContextAttributes for Schannel. */
        todo_wine ok(status == SEC_E_OK, "%s: setting the exporter during the handshake returned %08lx\n",
                     versions[v].name, status);
        if (status != SEC_E_OK) {
            disconnect(&c);
            FreeCredentialsHandle(&client_cred);
            break;
        }
        memset(&material, 0, sizeof(material));
        status = QueryContextAttributesA(&c.client, SECPKG_ATTR_KEYING_MATERIAL, &material);
        ok(FAILED(status) && !material.pbKeyingMaterial, "%s: material before the handshake ended: %08lx\n",
           versions[v].name, status);
        if (!finish_handshake(&c, &client_cred, &server_cred, &o)) {
            ok(0, "%s: handshake failed: %08lx %08lx\n", versions[v].name, c.client_status, c.server_status);
            disconnect(&c);
            FreeCredentialsHandle(&client_cred);
            continue;
        }
        deliver_tickets(&c, &client_cred);

        /* The server has not set anything yet. */
        memset(&material, 0, sizeof(material));
        status = QueryContextAttributesA(&c.server, SECPKG_ATTR_KEYING_MATERIAL, &material);
        ok(status == SEC_E_INVALID_PARAMETER && !material.pbKeyingMaterial,
           "%s: material without KEYING_MATERIAL_INFO: %08lx\n", versions[v].name, status);

        /* Set after the handshake, on the server: both ends agree. */
        status = set_keying_info(&c.server, "EXPERIMENTAL wine-secur32", NULL, 0, 48);
        ok(status == SEC_E_OK, "%s: server SetContextAttributes returned %08lx\n", versions[v].name, status);
        memset(client_km, 0xaa, sizeof(client_km));
        memset(server_km, 0x55, sizeof(server_km));
        status = get_keying_material(&c.client, client_km, 48);
        ok(status == SEC_E_OK, "%s: client KEYING_MATERIAL returned %08lx\n", versions[v].name, status);
        status = get_keying_material(&c.server, server_km, 48);
        ok(status == SEC_E_OK, "%s: server KEYING_MATERIAL returned %08lx\n", versions[v].name, status);
        ok(!memcmp(client_km, server_km, 48), "%s: client and server material differ\n", versions[v].name);
        if (v == 0) memcpy(first_tls_km, client_km, 48);
        else ok(memcmp(first_tls_km, client_km, 48), "TLS 1.2 and 1.3 connections exported the same bytes\n");
        /* Asking again gives the same bytes (a new buffer each time). */
        status = get_keying_material(&c.client, other_km, 48);
        ok(status == SEC_E_OK && !memcmp(other_km, client_km, 48), "%s: second query differs\n", versions[v].name);

        /* Another label, or a context, gives other material; the same
         * context on both ends still agrees. */
        ok(set_keying_info(&c.client, "EXPORTER-wine-other", NULL, 0, 48) == SEC_E_OK, "set another label\n");
        status = get_keying_material(&c.client, other_km, 48);
        ok(status == SEC_E_OK && memcmp(other_km, client_km, 48), "%s: another label, same material (%08lx)\n",
           versions[v].name, status);
        ok(set_keying_info(&c.client, "EXPERIMENTAL wine-secur32", context_value, sizeof(context_value), 48) ==
           SEC_E_OK, "set a context\n");
        ok(set_keying_info(&c.server, "EXPERIMENTAL wine-secur32", context_value, sizeof(context_value), 48) ==
           SEC_E_OK, "set a context on the server\n");
        status = get_keying_material(&c.client, other_km, 48);
        ok(status == SEC_E_OK && memcmp(other_km, client_km, 48), "%s: a context changed nothing (%08lx)\n",
           versions[v].name, status);
        status = get_keying_material(&c.server, server_km, 48);
        ok(status == SEC_E_OK && !memcmp(other_km, server_km, 48), "%s: with a context the ends differ (%08lx)\n",
           versions[v].name, status);
        /* A shorter export is not a prefix under TLS 1.3 (the length is
         * an HKDF input) but is under TLS 1.2's PRF. */
        ok(set_keying_info(&c.client, "EXPERIMENTAL wine-secur32", NULL, 0, 16) == SEC_E_OK, "set 16 bytes\n");
        status = get_keying_material(&c.client, other_km, 16);
        ok(status == SEC_E_OK, "%s: 16 bytes: %08lx\n", versions[v].name, status);
        if (v == 0) ok(!memcmp(other_km, client_km, 16), "TLS 1.2: 16 bytes are not the 48's prefix\n");
        else ok(memcmp(other_km, client_km, 16), "TLS 1.3: 16 bytes are the 48's prefix\n");

        /* Bad inputs. */
        status = set_keying_info(&c.client, "EXPERIMENTAL wine-secur32", NULL, 0, 0);
        ok(status == SEC_E_INVALID_PARAMETER, "cbKeyingMaterial 0: %08lx\n", status);
        status = set_keying_info(&c.client, NULL, NULL, 0, 16);
        ok(status == SEC_E_INVALID_PARAMETER, "no label: %08lx\n", status);
        status = set_keying_info(&c.client, "EXPERIMENTAL wine-secur32", NULL, 4, 16);
        ok(status == SEC_E_INVALID_PARAMETER, "context size without bytes: %08lx\n", status);
        status = set_keying_info(&c.client, "EXPERIMENTAL wine-secur32", context_value, 0, 16);
        ok(status == SEC_E_INVALID_PARAMETER, "context bytes with size 0: %08lx\n", status);
        memset(&info, 0, sizeof(info));
        info.pszLabel = (LPSTR)"EXPERIMENTAL wine-secur32";
        info.cbLabel = 5; /* no NUL where cbLabel says */
        info.cbKeyingMaterial = 16;
        status = SetContextAttributesA(&c.client, SECPKG_ATTR_KEYING_MATERIAL_INFO, &info, sizeof(info));
        ok(status == SEC_E_INVALID_PARAMETER, "label without its NUL: %08lx\n", status);
        info.cbLabel = 26;
        status = SetContextAttributesA(&c.client, SECPKG_ATTR_KEYING_MATERIAL_INFO, &info, sizeof(info) - 1);
        ok(status == SEC_E_INVALID_PARAMETER, "short buffer: %08lx\n", status);
        status = SetContextAttributesA(&c.client, SECPKG_ATTR_KEYING_MATERIAL_INFO, NULL, sizeof(info));
        ok(status == SEC_E_INVALID_PARAMETER, "null buffer: %08lx\n", status);
        status = SetContextAttributesW(&c.client, SECPKG_ATTR_KEYING_MATERIAL_INFO, &info, sizeof(info));
        ok(status == SEC_E_OK, "SetContextAttributesW: %08lx\n", status);
        status = SetContextAttributesA(&c.client, SECPKG_ATTR_KEYING_MATERIAL, &info, sizeof(info));
        ok(status == SEC_E_UNSUPPORTED_FUNCTION, "setting KEYING_MATERIAL itself: %08lx\n", status);
        /* The last good setting still holds. */
        status = get_keying_material(&c.client, other_km, 16);
        ok(status == SEC_E_OK && !memcmp(other_km, client_km, 16) == (v == 0), "%s: after bad inputs: %08lx\n",
           versions[v].name, status);

        disconnect(&c);
        status = set_keying_info(&c.client, "EXPERIMENTAL wine-secur32", NULL, 0, 16);
        ok(status == SEC_E_INVALID_HANDLE, "deleted context: %08lx\n", status);
        FreeCredentialsHandle(&client_cred);
    }
    FreeCredentialsHandle(&server_cred);
}

static void test_bad_accept_inputs(PCCERT_CONTEXT cert)
{
    CredHandle server_cred, client_cred;
    CtxtHandle ctx;
    SecBuffer in[2], out = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc in_desc = {SECBUFFER_VERSION, 2, in}, out_desc = {SECBUFFER_VERSION, 1, &out};
    BYTE garbage[64], hello[8192];
    struct connection c;
    struct peer_options o;
    ULONG attrs, hello_size;
    SECURITY_STATUS status;

    if (acquire_server_sch_credentials(cert, 0, 0, &server_cred) != SEC_E_OK) return;

    status = AcceptSecurityContext(&server_cred, NULL, NULL, ASC_FLAGS, 0, &ctx, &out_desc, &attrs, NULL);
    ok(status == SEC_E_INVALID_TOKEN, "ASC without input returned %08lx\n", status);

    /* Not TLS at all: the server fails the handshake. */
    memset(garbage, 'G', sizeof(garbage));
    in[0].BufferType = SECBUFFER_TOKEN; in[0].pvBuffer = garbage; in[0].cbBuffer = sizeof(garbage);
    in[1].BufferType = SECBUFFER_EMPTY; in[1].pvBuffer = NULL; in[1].cbBuffer = 0;
    status = AcceptSecurityContext(&server_cred, NULL, &in_desc, ASC_FLAGS, 0, &ctx, &out_desc, &attrs, NULL);
    ok(FAILED(status) && status != SEC_E_INCOMPLETE_MESSAGE, "ASC with garbage returned %08lx\n", status);
    if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
    out.pvBuffer = NULL;

    /* A ClientHello cut short: SEC_E_INCOMPLETE_MESSAGE with SECBUFFER_MISSING,
     * no context; the whole hello then works. */
    if (acquire_client(0, &client_cred) == SEC_E_OK) {
        memset(&o, 0, sizeof(o));
        memset(&c, 0, sizeof(c));
        client_step(&c, &client_cred, &o);
        hello_size = min(c.to_server.size, sizeof(hello));
        memcpy(hello, c.to_server.data, hello_size);
        in[0].BufferType = SECBUFFER_TOKEN; in[0].pvBuffer = hello; in[0].cbBuffer = hello_size - 10;
        in[1].BufferType = SECBUFFER_EMPTY; in[1].pvBuffer = NULL; in[1].cbBuffer = 0;
        out.cbBuffer = 0;
        status = AcceptSecurityContext(&server_cred, NULL, &in_desc, ASC_FLAGS, 0, &ctx, &out_desc, &attrs, NULL);
        ok(status == SEC_E_INCOMPLETE_MESSAGE, "partial ClientHello returned %08lx\n", status);
        ok(in[1].BufferType == SECBUFFER_MISSING && in[1].cbBuffer > 0 && in[1].cbBuffer <= 10,
           "partial ClientHello: buffer type %lu, missing %lu\n", in[1].BufferType, in[1].cbBuffer);
        in[0].cbBuffer = hello_size;
        in[1].BufferType = SECBUFFER_EMPTY; in[1].cbBuffer = 0;
        status = AcceptSecurityContext(&server_cred, NULL, &in_desc, ASC_FLAGS, 0, &ctx, &out_desc, &attrs, NULL);
        ok(status == SEC_I_CONTINUE_NEEDED, "whole ClientHello returned %08lx\n", status);
        ok(out.pvBuffer && out.cbBuffer > 0, "no server flight\n");
        if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
        if (status == SEC_I_CONTINUE_NEEDED) DeleteSecurityContext(&ctx);
        disconnect(&c);

        /* No common version (server TLS 1.2 only, client TLS 1.3 only): ASC
         * fails, and with ASC_REQ_EXTENDED_ERROR the token is the alert. */
        {
            CredHandle tls12_server, tls13_client;
            if (acquire_server_schannel_cred(cert, 0, &tls12_server) == SEC_E_OK) {
                if (acquire_client(SP_PROT_TLS1_2_CLIENT, &tls13_client) == SEC_E_OK) {
                    memset(&c, 0, sizeof(c));
                    client_step(&c, &tls13_client, &o);
                    in[0].BufferType = SECBUFFER_TOKEN; in[0].pvBuffer = c.to_server.data;
                    in[0].cbBuffer = c.to_server.size;
                    in[1].BufferType = SECBUFFER_EMPTY; in[1].pvBuffer = NULL; in[1].cbBuffer = 0;
                    out.pvBuffer = NULL; out.cbBuffer = 0;
                    status = AcceptSecurityContext(&tls12_server, NULL, &in_desc, ASC_FLAGS, 0, &ctx, &out_desc,
                                                   &attrs, NULL);
                    ok(FAILED(status) && status != SEC_E_INCOMPLETE_MESSAGE, "no common version: ASC returned %08lx\n",
                       status);
                    ok(out.pvBuffer && out.cbBuffer >= 7 && ((BYTE *)out.pvBuffer)[0] == 21,
                       "no common version: the EXTENDED_ERROR token is not an alert (%lu bytes)\n", out.cbBuffer);
                    if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
                    out.pvBuffer = NULL;
                    disconnect(&c);
                    FreeCredentialsHandle(&tls13_client);
                }
                FreeCredentialsHandle(&tls12_server);
            }
        }

        /* A client credential cannot accept. */
        in[1].BufferType = SECBUFFER_EMPTY; in[1].cbBuffer = 0;
        out.pvBuffer = NULL;
        status = AcceptSecurityContext(&client_cred, NULL, &in_desc, ASC_FLAGS, 0, &ctx, &out_desc, &attrs, NULL);
        ok(FAILED(status), "ASC with an outbound credential returned %08lx\n", status);
        if (out.pvBuffer) FreeContextBuffer(out.pvBuffer);
        FreeCredentialsHandle(&client_cred);
    }
    FreeCredentialsHandle(&server_cred);
}

/* Non-exportable keys sign through their provider: the handshake works
 * (TLS 1.2 under our module, see the top of the file), data flows, and the
 * session resumes. */
static void test_provider_signing(struct test_certificate *t, const char *what)
{
    static BYTE data[50000];
    CredHandle server_cred, client_cred;
    struct connection c;
    struct peer_options o;
    DWORD protocols;
    unsigned i;

    for (i = 0; i < sizeof(data); i++) data[i] = (BYTE)(i * 13);
    if (acquire_server_sch_credentials(t->cert, 0, 0, &server_cred) != SEC_E_OK) {
        ok(0, "%s: no server credential\n", what);
        return;
    }
    protocols = server_protocols(&server_cred);
    ok(protocols == (is_ours ? SP_PROT_TLS1_2_SERVER : (SP_PROT_TLS1_2_SERVER | SP_PROT_TLS1_3_SERVER)),
       "%s: server protocols %08lx\n", what, protocols);
    if (acquire_client(0, &client_cred) == SEC_E_OK) {
        memset(&o, 0, sizeof(o));
        o.server_flags = ASC_FLAGS;
        ok(connect_peers(&c, &client_cred, &server_cred, &o), "%s: handshake failed: client %08lx, server %08lx\n",
           what, c.client_status, c.server_status);
        if (c.client_status == SEC_E_OK && c.server_status == SEC_E_OK) {
            deliver_tickets(&c, &client_cred);
            ok(transfer(&c.client, &c.server, FALSE, &server_cred, data, sizeof(data)), "%s: client -> server\n", what);
            ok(transfer(&c.server, &c.client, TRUE, &client_cred, data, sizeof(data)), "%s: server -> client\n", what);
        }
        disconnect(&c);
        ok(connect_peers(&c, &client_cred, &server_cred, &o), "%s: second handshake failed\n", what);
        ok(resumed(&c.server), "%s: not resumed\n", what);
        disconnect(&c);
        FreeCredentialsHandle(&client_cred);
    }
    FreeCredentialsHandle(&server_cred);
}

/* ---- client certificates ----------------------------------------------- */

/* An outbound credential holding `cert` (SCH_CREDENTIALS, or SCHANNEL_CRED
 * with `old_style`). */
static SECURITY_STATUS acquire_client_certificate(PCCERT_CONTEXT cert, DWORD disabled, BOOL old_style,
                                                  CredHandle *handle)
{
    SCH_CREDENTIALS cred;
    SCHANNEL_CRED old;
    TLS_PARAMETERS params;
    void *auth = &cred;
    memset(&cred, 0, sizeof(cred));
    memset(&old, 0, sizeof(old));
    memset(&params, 0, sizeof(params));
    cred.dwVersion = SCH_CREDENTIALS_VERSION;
    cred.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    cred.cCreds = cert ? 1 : 0;
    cred.paCred = cert ? &cert : NULL;
    if (disabled) {
        params.grbitDisabledProtocols = disabled;
        cred.cTlsParameters = 1;
        cred.pTlsParameters = &params;
    }
    if (old_style) {
        old.dwVersion = SCHANNEL_CRED_VERSION;
        old.dwFlags = cred.dwFlags;
        old.cCreds = cred.cCreds;
        old.paCred = cred.paCred;
        auth = &old;
    }
    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, auth, NULL, NULL,
                                     handle, NULL);
}

/* The server got `expected` as the client's certificate (NULL: none),
 * and the client reports it as its own. */
static void check_remote_certificate(struct connection *c, PCCERT_CONTEXT expected, const char *what)
{
    PCCERT_CONTEXT local = NULL;
    SECURITY_STATUS status;
    check_server_saw_certificate(&c->server, expected, what);
    if (!expected) return;
    status = QueryContextAttributesA(&c->client, SECPKG_ATTR_LOCAL_CERT_CONTEXT, &local);
    ok(status == SEC_E_OK && local, "%s: client LOCAL_CERT_CONTEXT returned %08lx\n", what, status);
    if (local) {
        ok(CertCompareCertificate(X509_ASN_ENCODING, local->pCertInfo, expected->pCertInfo),
           "%s: LOCAL_CERT_CONTEXT is another certificate\n", what);
        CertFreeCertificateContext(local);
    }
}

static void check_data_both_ways(struct connection *c, CredHandle *client_cred, CredHandle *server_cred,
                                 const char *what)
{
    static BYTE data[40000];
    unsigned i;
    for (i = 0; i < sizeof(data); i++) data[i] = (BYTE)(i * 7 + 3);
    deliver_tickets(c, client_cred);
    ok(transfer(&c->client, &c->server, FALSE, server_cred, data, sizeof(data)), "%s: client -> server\n", what);
    ok(transfer(&c->server, &c->client, TRUE, client_cred, data, sizeof(data)), "%s: server -> client\n", what);
}

static const struct { DWORD disabled; DWORD protocol; const char *name; } client_versions[] = {
    {SP_PROT_TLS1_3_CLIENT, SP_PROT_TLS1_2_SERVER, "TLS 1.2"},
    {SP_PROT_TLS1_2_CLIENT, SP_PROT_TLS1_3_SERVER, "TLS 1.3"},
};

/* A client credential with `client->cert` against our server asking for
 * it (ASC_REQ_MUTUAL_AUTH): the server sees that certificate, data flows.
 * A key that signs through its CAPI provider has no RSA-PSS, so under our
 * module such a client negotiates TLS 1.2 only. */
static void test_client_certificate_with(PCCERT_CONTEXT server_cert, struct test_certificate *client, BOOL provider,
                                         const char *what)
{
    CredHandle server_cred, client_cred;
    struct connection c;
    struct peer_options o;
    char name[128];
    unsigned v;

    if (acquire_server_sch_credentials(server_cert, 0, 0, &server_cred) != SEC_E_OK) {
        ok(0, "%s: no server credential\n", what);
        return;
    }
    memset(&o, 0, sizeof(o));
    o.server_flags = ASC_FLAGS | ASC_REQ_MUTUAL_AUTH;
    for (v = 0; v < ARRAY_SIZE(client_versions); v++) {
        BOOL tls13_refused = provider && is_ours && client_versions[v].protocol == SP_PROT_TLS1_3_SERVER;
        SECURITY_STATUS status;
        sprintf(name, "%s, %s", what, client_versions[v].name);
        status = acquire_client_certificate(client->cert, client_versions[v].disabled, FALSE, &client_cred);
        if (tls13_refused) {
            /* TLS 1.3 only, and a key without PSS: no TLS version to
             * negotiate (the credential may still hold DTLS 1.2). */
            ok(status == SEC_E_ALGORITHM_MISMATCH || status == SEC_E_OK,
               "%s: AcquireCredentialsHandle returned %08lx\n", name, status);
            if (status == SEC_E_OK) {
                ok(!connect_peers(&c, &client_cred, &server_cred, &o) && c.client_status == SEC_E_ALGORITHM_MISMATCH,
                   "%s: first ISC returned %08lx\n", name, c.client_status);
                disconnect(&c);
                FreeCredentialsHandle(&client_cred);
            }
            continue;
        }
        ok(status == SEC_E_OK, "%s: AcquireCredentialsHandle returned %08lx\n", name, status);
        if (status != SEC_E_OK) continue;
        ok(connect_peers(&c, &client_cred, &server_cred, &o), "%s: handshake failed: client %08lx, server %08lx\n",
           name, c.client_status, c.server_status);
        ok(!c.incomplete_credentials, "%s: SEC_I_INCOMPLETE_CREDENTIALS with a certificate\n", name);
        if (c.client_status == SEC_E_OK && c.server_status == SEC_E_OK) {
            ok(negotiated_protocol(&c.server) == client_versions[v].protocol, "%s: protocol %08lx\n", name,
               negotiated_protocol(&c.server));
            check_remote_certificate(&c, client->cert, name);
            check_data_both_ways(&c, &client_cred, &server_cred, name);
        }
        disconnect(&c);
        FreeCredentialsHandle(&client_cred);
    }

    /* SCHANNEL_CRED (TLS 1.2) carries it the same way. */
    sprintf(name, "%s, SCHANNEL_CRED", what);
    if (acquire_client_certificate(client->cert, 0, TRUE, &client_cred) == SEC_E_OK) {
        ok(connect_peers(&c, &client_cred, &server_cred, &o), "%s: handshake failed: client %08lx, server %08lx\n",
           name, c.client_status, c.server_status);
        if (c.client_status == SEC_E_OK && c.server_status == SEC_E_OK) check_remote_certificate(&c, client->cert, name);
        disconnect(&c);
        FreeCredentialsHandle(&client_cred);
    } else {
        ok(0, "%s: no credential\n", name);
    }
    FreeCredentialsHandle(&server_cred);
}

/* The server asks, the credential has no certificate: ISC returns
 * SEC_I_INCOMPLETE_CREDENTIALS, ISSUER_LIST_EX and SUPPORTED_SIGNATURES
 * answer, and the next ISC goes on without a certificate (same
 * credential) or with the certificate of a new credential. */
static void test_incomplete_credentials(PCCERT_CONTEXT server_cert, PCCERT_CONTEXT client_cert, unsigned versions)
{
    CredHandle server_cred, client_cred, answer_cred;
    struct connection c;
    struct peer_options o;
    char name[128];
    unsigned v, repeat;

    /* No resumption: a resumed handshake has no CertificateRequest. */
    if (acquire_server_sch_credentials(server_cert, SCH_CRED_DISABLE_RECONNECTS, 0, &server_cred) != SEC_E_OK) {
        ok(0, "no server credential\n");
        return;
    }
    for (v = 0; v < versions; v++) {
        if (acquire_client(client_versions[v].disabled, &client_cred) != SEC_E_OK) continue;
        for (repeat = 0; repeat < 2; repeat++) {
            /* Without a certificate. */
            sprintf(name, "%s, no certificate%s", client_versions[v].name, repeat ? ", same input again" : "");
            memset(&o, 0, sizeof(o));
            o.server_flags = ASC_FLAGS | ASC_REQ_MUTUAL_AUTH;
            o.repeat_input = repeat;
            ok(connect_peers(&c, &client_cred, &server_cred, &o), "%s: handshake failed: client %08lx, server %08lx\n",
               name, c.client_status, c.server_status);
            ok(c.incomplete_credentials == 1, "%s: SEC_I_INCOMPLETE_CREDENTIALS seen %d times\n", name,
               c.incomplete_credentials);
            ok(c.issuers_status == SEC_E_OK, "%s: ISSUER_LIST_EX returned %08lx\n", name, c.issuers_status);
            /* Our server, like Windows' by default, names no issuers. */
            ok(c.issuer_count == 0, "%s: %lu issuers\n", name, c.issuer_count);
            ok(c.signatures_status == SEC_E_OK, "%s: SUPPORTED_SIGNATURES returned %08lx\n", name,
               c.signatures_status);
            ok(c.signature_count > 0 && c.rsa_sha256_supported, "%s: %u signatures, RSA/SHA-256 %s\n", name,
               c.signature_count, c.rsa_sha256_supported ? "listed" : "missing");
            if (c.client_status == SEC_E_OK && c.server_status == SEC_E_OK) {
                ok(negotiated_protocol(&c.server) == client_versions[v].protocol, "%s: protocol %08lx\n", name,
                   negotiated_protocol(&c.server));
                check_remote_certificate(&c, NULL, name);
                check_data_both_ways(&c, &client_cred, &server_cred, name);
            }
            disconnect(&c);

            /* With a new credential holding a certificate. */
            sprintf(name, "%s, new credential%s", client_versions[v].name, repeat ? ", same input again" : "");
            if (acquire_client_certificate(client_cert, client_versions[v].disabled, FALSE, &answer_cred) != SEC_E_OK) {
                ok(0, "%s: no credential\n", name);
                continue;
            }
            o.answer_cred = &answer_cred;
            ok(connect_peers(&c, &client_cred, &server_cred, &o), "%s: handshake failed: client %08lx, server %08lx\n",
               name, c.client_status, c.server_status);
            ok(c.incomplete_credentials == 1, "%s: SEC_I_INCOMPLETE_CREDENTIALS seen %d times\n", name,
               c.incomplete_credentials);
            if (c.client_status == SEC_E_OK && c.server_status == SEC_E_OK) {
                check_remote_certificate(&c, client_cert, name);
                check_data_both_ways(&c, &answer_cred, &server_cred, name);
            }
            disconnect(&c);
            FreeCredentialsHandle(&answer_cred);
        }

        /* A context deleted while it waits for the answer goes quietly. */
        memset(&o, 0, sizeof(o));
        o.server_flags = ASC_FLAGS | ASC_REQ_MUTUAL_AUTH;
        memset(&c, 0, sizeof(c));
        c.client_status = client_step(&c, &client_cred, &o);
        c.server_status = server_step(&c, &server_cred, &o);
        c.client_status = client_step(&c, &client_cred, &o);
        if (c.client_status == SEC_I_CONTINUE_NEEDED && c.to_client.size) /* TLS 1.2: after our key exchange */
            c.client_status = client_step(&c, &client_cred, &o);
        ok(c.client_status == SEC_I_INCOMPLETE_CREDENTIALS, "%s: abandoned handshake: %08lx\n",
           client_versions[v].name, c.client_status);
        disconnect(&c);

        /* ISC_REQ_USE_SUPPLIED_CREDS: only what was supplied, no question. */
        sprintf(name, "%s, ISC_REQ_USE_SUPPLIED_CREDS", client_versions[v].name);
        memset(&o, 0, sizeof(o));
        o.server_flags = ASC_FLAGS | ASC_REQ_MUTUAL_AUTH;
        o.client_extra_flags = ISC_REQ_USE_SUPPLIED_CREDS;
        ok(connect_peers(&c, &client_cred, &server_cred, &o), "%s: handshake failed: client %08lx, server %08lx\n",
           name, c.client_status, c.server_status);
        ok(!c.incomplete_credentials, "%s: SEC_I_INCOMPLETE_CREDENTIALS\n", name);
        if (c.client_status == SEC_E_OK && c.server_status == SEC_E_OK) check_remote_certificate(&c, NULL, name);
        disconnect(&c);

        /* A server that does not ask: no question either. */
        sprintf(name, "%s, no request", client_versions[v].name);
        o.client_extra_flags = 0;
        o.server_flags = ASC_FLAGS;
        ok(connect_peers(&c, &client_cred, &server_cred, &o), "%s: handshake failed\n", name);
        ok(!c.incomplete_credentials, "%s: SEC_I_INCOMPLETE_CREDENTIALS\n", name);
        disconnect(&c);
        FreeCredentialsHandle(&client_cred);
    }
    FreeCredentialsHandle(&server_cred);
}

static void test_client_certificates(void)
{
    struct test_certificate server, client;
    CredHandle cred;
    SECURITY_STATUS status;

    if (!import_test_pfx(&server, test_pfx_rsa_base64, CRYPT_EXPORTABLE | PKCS12_NO_PERSIST_KEY)) {
        ok(0, "server PFX import failed: %08lx\n", GetLastError());
        return;
    }
    /* Outbound credentials: a certificate without a key is no credential. */
    if (make_self_signed(&client, AT_KEYEXCHANGE, CRYPT_EXPORTABLE, TRUE)) {
        status = acquire_client_certificate(client.cert, 0, FALSE, &cred);
        ok(status == SEC_E_NO_CREDENTIALS, "client certificate without a key: %08lx\n", status);
        if (status == SEC_E_OK) FreeCredentialsHandle(&cred);
    }
    free_test_certificate(&client);

    if (make_self_signed(&client, AT_KEYEXCHANGE, CRYPT_EXPORTABLE, FALSE)) {
        test_client_certificate_with(server.cert, &client, FALSE, "self-signed, exportable");
        test_incomplete_credentials(server.cert, client.cert, ARRAY_SIZE(client_versions));
    }
    free_test_certificate(&client);
    if (import_test_pfx(&client, test_pfx_rsa_base64, CRYPT_EXPORTABLE | PKCS12_NO_PERSIST_KEY))
        test_client_certificate_with(server.cert, &client, FALSE, "PFX, PKCS12_NO_PERSIST_KEY");
    free_test_certificate(&client);
    if (make_self_signed(&client, AT_SIGNATURE, 0, FALSE)) {
        test_client_certificate_with(server.cert, &client, TRUE, "self-signed, non-exportable");
        /* Given after SEC_I_INCOMPLETE_CREDENTIALS, over TLS 1.2 (the
         * provider has no RSA-PSS for TLS 1.3 under our module). */
        test_incomplete_credentials(server.cert, client.cert, 1);
    }
    free_test_certificate(&client);
    if (import_test_pfx(&client, test_pfx_rsa_base64, 0))
        test_client_certificate_with(server.cert, &client, TRUE, "PFX, default flags");
    free_test_certificate(&client);
    free_test_certificate(&server);
}

/* SslGetServerIdentity: the SNI host name inside a ClientHello (Windows
 * exports it from schannel.dll; ours from secur32.dll). */
static void test_server_identity(void)
{
    typedef SECURITY_STATUS(WINAPI * get_identity_fn)(BYTE *, DWORD, BYTE **, DWORD *, DWORD);
    get_identity_fn get_identity;
    CredHandle client_cred;
    struct connection c;
    struct peer_options o;
    BYTE *name = NULL, garbage[16];
    DWORD size = 0;
    SECURITY_STATUS status;

    get_identity = (get_identity_fn)GetProcAddress(GetModuleHandleA("secur32.dll"), "SslGetServerIdentity");
    if (!get_identity) get_identity = (get_identity_fn)GetProcAddress(LoadLibraryA("schannel.dll"), "SslGetServerIdentity");
    if (!get_identity) {
        win_skip("SslGetServerIdentity is not exported here\n");
        return;
    }
    if (acquire_client(0, &client_cred) != SEC_E_OK) return;
    memset(&o, 0, sizeof(o));
    memset(&c, 0, sizeof(c));
    client_step(&c, &client_cred, &o); /* the ClientHello for "localhost" */
    status = get_identity(c.to_server.data, c.to_server.size, &name, &size, 0);
    ok(status == SEC_E_OK, "SslGetServerIdentity returned %08lx\n", status);
    ok(size == 9 && name && name >= c.to_server.data && name + size <= c.to_server.data + c.to_server.size &&
       !memcmp(name, "localhost", 9), "server identity size %lu\n", size);
    status = get_identity(c.to_server.data, c.to_server.size - 1, &name, &size, 0);
    ok(status == SEC_E_INCOMPLETE_MESSAGE, "a cut ClientHello returned %08lx\n", status);
    status = get_identity(NULL, 10, &name, &size, 0);
    ok(status == SEC_E_INVALID_PARAMETER, "a null ClientHello returned %08lx\n", status);
    status = get_identity(c.to_server.data, c.to_server.size, NULL, &size, 0);
    ok(status == SEC_E_INVALID_PARAMETER, "a null identity pointer returned %08lx\n", status);
    memset(garbage, 0x17, sizeof(garbage));
    status = get_identity(garbage, sizeof(garbage), &name, &size, 0);
    ok(FAILED(status), "an application-data record returned %08lx\n", status);
    disconnect(&c);
    FreeCredentialsHandle(&client_cred);
}

static void test_handshakes(void)
{
    struct test_certificate t;
    if (import_test_pfx(&t, test_pfx_rsa_base64, CRYPT_EXPORTABLE | PKCS12_NO_PERSIST_KEY)) {
        test_handshakes_with(&t, "RSA (PFX)");
        test_alpn_mutual_auth_shutdown(t.cert);
        test_keying_material(t.cert);
        test_bad_accept_inputs(t.cert);
    }
    free_test_certificate(&t);
    if (make_self_signed(&t, AT_SIGNATURE, CRYPT_EXPORTABLE, FALSE))
        test_handshakes_with(&t, "RSA (self-signed, AT_SIGNATURE)");
    free_test_certificate(&t);
    if (make_self_signed(&t, AT_KEYEXCHANGE, 0, FALSE)) test_provider_signing(&t, "non-exportable AT_KEYEXCHANGE");
    free_test_certificate(&t);
    if (make_self_signed(&t, AT_SIGNATURE, 0, FALSE)) test_provider_signing(&t, "non-exportable AT_SIGNATURE");
    free_test_certificate(&t);
    if (import_test_pfx(&t, test_pfx_rsa_base64, 0)) test_provider_signing(&t, "PFX, default flags");
    free_test_certificate(&t);
    if (import_test_pfx(&t, test_pfx_ecdsa_base64, CRYPT_EXPORTABLE | PKCS12_NO_PERSIST_KEY))
        test_handshakes_with(&t, "ECDSA P-256 (PFX)");
    else
        skip("no ECDSA certificate with a key here (Wine 8.0 imports RSA keys only)\n");
    free_test_certificate(&t);
}

START_TEST(schannel_server)
{
    is_ours = GetProcAddress(GetModuleHandleA("secur32.dll"), "WineSecur32BuildInfo") != NULL;
    test_inbound_credentials();
    test_handshakes();
    test_client_certificates();
    test_server_identity();
}
