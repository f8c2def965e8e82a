/* Schannel conformance that needs no peer: package info, credentials, the
 * first InitializeSecurityContext steps and their buffer conventions, and
 * handle misuse. Expected values are Windows' (where older Windows differs,
 * broken() says so); the stock-Wine comparison run shows where Wine differs. */
#include <windows.h>
#include <winternl.h>
#ifndef SECURITY_WIN32
#define SECURITY_WIN32
#endif
#define SCHANNEL_USE_BLACKLISTS
#include <sspi.h>
#include <schannel.h>
#include <stdio.h>
#include <string.h>

#include "wine/test.h"

#ifndef SP_PROT_TLS1_3_CLIENT
#define SP_PROT_TLS1_3_CLIENT 0x00002000
#endif

#define CURL_REQ (ISC_REQ_SEQUENCE_DETECT | ISC_REQ_REPLAY_DETECT | ISC_REQ_CONFIDENTIALITY | \
                  ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_STREAM)
#define CURL_RET (ISC_RET_SEQUENCE_DETECT | ISC_RET_REPLAY_DETECT | ISC_RET_CONFIDENTIALITY | \
                  ISC_RET_ALLOCATED_MEMORY | ISC_RET_STREAM)

/* Calls that stock Wine does not survive (it dereferences handles) run
 * only against our module. */
static BOOL running_ours(void)
{
    return GetProcAddress(GetModuleHandleA("secur32.dll"), "WineSecur32BuildInfo") != NULL;
}

static void test_package_info(void)
{
    SecPkgInfoA *info;
    SECURITY_STATUS status;

    status = QuerySecurityPackageInfoA((SEC_CHAR *)UNISP_NAME_A, &info);
    ok(status == SEC_E_OK, "QuerySecurityPackageInfo(UNISP) returned %08lx\n", status);
    if (status != SEC_E_OK) return;
    ok(!strcmp(info->Name, UNISP_NAME_A), "name %s\n", info->Name);
    ok(info->wRPCID == UNISP_RPC_ID, "rpc id %u\n", info->wRPCID);
    ok(info->wVersion == 1, "version %u\n", info->wVersion);
    ok(info->fCapabilities & SECPKG_FLAG_STREAM, "capabilities %08lx lack STREAM\n", info->fCapabilities);
    ok(info->fCapabilities & SECPKG_FLAG_PRIVACY, "capabilities %08lx lack PRIVACY\n", info->fCapabilities);
    ok(info->cbMaxToken >= 16384, "max token %lu\n", info->cbMaxToken);
    FreeContextBuffer(info);

    status = QuerySecurityPackageInfoA((SEC_CHAR *)"Schannel", &info);
    ok(status == SEC_E_OK, "QuerySecurityPackageInfo(Schannel) returned %08lx\n", status);
    if (status == SEC_E_OK) {
        ok(!strcmp(info->Comment, "Schannel Security Package"), "comment %s\n", info->Comment);
        FreeContextBuffer(info);
    }
    status = QuerySecurityPackageInfoA((SEC_CHAR *)"No Such Package", &info);
    ok(status == SEC_E_SECPKG_NOT_FOUND, "unknown package returned %08lx\n", status);
}

static void test_credentials(void)
{
    SCHANNEL_CRED cred;
    SCH_CREDENTIALS sch;
    TLS_PARAMETERS params;
    SecPkgCred_SupportedProtocols protocols;
    CredHandle handle;
    TimeStamp expiry;
    SECURITY_STATUS status;

    status = AcquireCredentialsHandleA(NULL, NULL, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &handle, NULL);
    ok(status == SEC_E_SECPKG_NOT_FOUND, "no package returned %08lx\n", status);

    expiry.LowPart = expiry.HighPart = 0;
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL,
                                       &handle, &expiry);
    ok(status == SEC_E_OK, "default outbound credentials returned %08lx\n", status);
    if (status == SEC_E_OK) {
        status = QueryCredentialsAttributesA(&handle, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &protocols);
        ok(status == SEC_E_OK, "SUPPORTED_PROTOCOLS returned %08lx\n", status);
        if (status == SEC_E_OK) {
            ok(protocols.grbitProtocol & SP_PROT_TLS1_2_CLIENT, "protocols %08lx lack TLS 1.2\n",
               protocols.grbitProtocol);
            /* Windows 11: TLS 1.0/1.1 are off unless asked for, SSL 3 never. */
            todo_wine ok(!(protocols.grbitProtocol & (SP_PROT_TLS1_0_CLIENT | SP_PROT_TLS1_1_CLIENT | SP_PROT_SSL3_CLIENT)),
               "protocols %08lx include legacy versions\n", protocols.grbitProtocol);
        }
        ok(FreeCredentialsHandle(&handle) == SEC_E_OK, "FreeCredentialsHandle failed\n");
        if (running_ours())
            ok(FreeCredentialsHandle(&handle) == SEC_E_INVALID_HANDLE, "freeing twice did not fail\n");
    }

    memset(&cred, 0, sizeof(cred));
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &cred, NULL, NULL,
                                       &handle, NULL);
    ok(status == SEC_E_INTERNAL_ERROR || status == SEC_E_UNKNOWN_CREDENTIALS,
       "version 0 returned %08lx\n", status);

    cred.dwVersion = SCHANNEL_CRED_VERSION;
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_INBOUND, NULL, &cred, NULL, NULL,
                                       &handle, NULL);
    ok(status == SEC_E_NO_CREDENTIALS, "inbound without certificate returned %08lx\n", status);

    /* SCH_CREDENTIALS: TLS 1.3 and 1.2 by default; disabling TLS 1.3 leaves 1.2. */
    memset(&sch, 0, sizeof(sch));
    sch.dwVersion = SCH_CREDENTIALS_VERSION;
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &sch, NULL, NULL,
                                       &handle, NULL);
    ok(status == SEC_E_OK, "SCH_CREDENTIALS returned %08lx\n", status);
    if (status == SEC_E_OK) {
        status = QueryCredentialsAttributesA(&handle, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &protocols);
        todo_wine ok(status == SEC_E_OK && (protocols.grbitProtocol & SP_PROT_TLS1_3_CLIENT),
           "SCH_CREDENTIALS protocols %08lx (status %08lx)\n", protocols.grbitProtocol, status);
        FreeCredentialsHandle(&handle);
    }
    memset(&params, 0, sizeof(params));
    params.grbitDisabledProtocols = SP_PROT_TLS1_3_CLIENT;
    sch.cTlsParameters = 1;
    sch.pTlsParameters = &params;
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &sch, NULL, NULL,
                                       &handle, NULL);
    ok(status == SEC_E_OK, "SCH_CREDENTIALS without TLS 1.3 returned %08lx\n", status);
    if (status == SEC_E_OK) {
        status = QueryCredentialsAttributesA(&handle, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &protocols);
        ok(status == SEC_E_OK && !(protocols.grbitProtocol & SP_PROT_TLS1_3_CLIENT) &&
           (protocols.grbitProtocol & SP_PROT_TLS1_2_CLIENT), "protocols %08lx\n", protocols.grbitProtocol);
        FreeCredentialsHandle(&handle);
    }
}

/* SUPPORTED_ALGS of `handle` (A or W): the number of ids, or -1 on failure;
 * the ids go to `ids`. */
static int supported_algs(CredHandle *handle, BOOL wide, ALG_ID *ids, int capacity)
{
    SecPkgCred_SupportedAlgs algs;
    SECURITY_STATUS status;
    DWORD i, j;
    memset(&algs, 0, sizeof(algs));
    status = wide ? QueryCredentialsAttributesW(handle, SECPKG_ATTR_SUPPORTED_ALGS, &algs)
                  : QueryCredentialsAttributesA(handle, SECPKG_ATTR_SUPPORTED_ALGS, &algs);
    todo_wine ok(status == SEC_E_OK, "SUPPORTED_ALGS returned %08lx\n", status);
    if (status != SEC_E_OK) return -1;
    ok(algs.cSupportedAlgs > 0 && algs.palgSupportedAlgs != NULL, "%lu ids at %p\n", algs.cSupportedAlgs,
       algs.palgSupportedAlgs);
    for (i = 0; i < algs.cSupportedAlgs; i++) {
        ok(algs.palgSupportedAlgs[i] != 0, "id %lu is 0\n", i);
        for (j = 0; j < i; j++)
            ok(algs.palgSupportedAlgs[i] != algs.palgSupportedAlgs[j], "id %04x listed twice\n",
               algs.palgSupportedAlgs[i]);
        if ((int)i < capacity) ids[i] = algs.palgSupportedAlgs[i];
    }
    ok(FreeContextBuffer(algs.palgSupportedAlgs) == SEC_E_OK, "FreeContextBuffer failed\n");
    return (int)algs.cSupportedAlgs;
}

static BOOL has_alg(const ALG_ID *ids, int count, ALG_ID alg)
{
    int i;
    for (i = 0; i < count; i++)
        if (ids[i] == alg) return TRUE;
    return FALSE;
}

static void cipher_strengths(CredHandle *handle, DWORD *min_bits, DWORD *max_bits)
{
    SecPkgCred_CipherStrengths strengths;
    SECURITY_STATUS status;
    memset(&strengths, 0, sizeof(strengths));
    status = QueryCredentialsAttributesA(handle, SECPKG_ATTR_CIPHER_STRENGTHS, &strengths);
    ok(status == SEC_E_OK, "CIPHER_STRENGTHS returned %08lx\n", status);
    *min_bits = strengths.dwMinimumCipherStrength;
    *max_bits = strengths.dwMaximumCipherStrength;
}

/* QueryCredentialsAttributes SUPPORTED_ALGS / CIPHER_STRENGTHS follow the
 * credential's own cipher settings. Stock Wine 8 has no SUPPORTED_ALGS and
 * reports 40..168 bits whatever the settings (todo_wine). */
static void test_credential_algorithms(void)
{
    ALG_ID ids[64];
    ALG_ID only[] = {CALG_AES_128, CALG_ECDH_EPHEM, CALG_SHA_256};
    UNICODE_STRING aes = {6, 8, (WCHAR *)L"AES"};
    CRYPTO_SETTINGS no_aes128;
    TLS_PARAMETERS params;
    SCH_CREDENTIALS sch;
    SCHANNEL_CRED cred;
    CredHandle handle;
    DWORD min_bits, max_bits;
    SECURITY_STATUS status;
    BYTE junk[64];
    int n;

    memset(&sch, 0, sizeof(sch));
    sch.dwVersion = SCH_CREDENTIALS_VERSION;
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &sch, NULL, NULL,
                                       &handle, NULL);
    ok(status == SEC_E_OK, "SCH_CREDENTIALS returned %08lx\n", status);
    if (status != SEC_E_OK) return;
    n = supported_algs(&handle, FALSE, ids, ARRAY_SIZE(ids));
    todo_wine ok(has_alg(ids, n, CALG_AES_128) && has_alg(ids, n, CALG_AES_256), "defaults lack AES\n");
    todo_wine ok(has_alg(ids, n, CALG_ECDH_EPHEM), "defaults lack ECDHE\n");
    todo_wine ok(has_alg(ids, n, CALG_RSA_SIGN) && has_alg(ids, n, CALG_ECDSA),
                 "defaults lack RSA/ECDSA signatures\n");
    todo_wine ok(has_alg(ids, n, CALG_SHA_256), "defaults lack SHA-256\n");
    ok(supported_algs(&handle, TRUE, ids, ARRAY_SIZE(ids)) == n, "the W query lists another number of ids\n");
    cipher_strengths(&handle, &min_bits, &max_bits);
    todo_wine ok(min_bits && min_bits <= 128 && max_bits == 256, "default strengths %lu..%lu\n", min_bits, max_bits);
    /* Other attributes are not credential attributes. */
    status = QueryCredentialsAttributesA(&handle, SECPKG_ATTR_STREAM_SIZES, junk);
    ok(status == SEC_E_UNSUPPORTED_FUNCTION, "STREAM_SIZES on a credential returned %08lx\n", status);
    status = QueryCredentialsAttributesW(&handle, 0x7777, junk);
    ok(status == SEC_E_UNSUPPORTED_FUNCTION, "attribute 0x7777 returned %08lx\n", status);
    FreeCredentialsHandle(&handle);

    /* dwMinimumCipherStrength 256: no 128-bit cipher left. */
    memset(&cred, 0, sizeof(cred));
    cred.dwVersion = SCHANNEL_CRED_VERSION;
    cred.dwMinimumCipherStrength = 256;
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &cred, NULL, NULL,
                                       &handle, NULL);
    ok(status == SEC_E_OK, "minimum strength 256 returned %08lx\n", status);
    if (status == SEC_E_OK) {
        n = supported_algs(&handle, FALSE, ids, ARRAY_SIZE(ids));
        todo_wine ok(has_alg(ids, n, CALG_AES_256) && !has_alg(ids, n, CALG_AES_128) &&
                     !has_alg(ids, n, CALG_3DES),
                     "minimum 256: the ids still name a weaker cipher\n");
        cipher_strengths(&handle, &min_bits, &max_bits);
        todo_wine ok(min_bits == 256 && max_bits == 256, "minimum 256: strengths %lu..%lu\n", min_bits, max_bits);
        FreeCredentialsHandle(&handle);
    }

    /* palgSupportedAlgs: AES-128, ECDHE, SHA-256 only. */
    cred.dwMinimumCipherStrength = 0;
    cred.cSupportedAlgs = ARRAY_SIZE(only);
    cred.palgSupportedAlgs = only;
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &cred, NULL, NULL,
                                       &handle, NULL);
    ok(status == SEC_E_OK, "palgSupportedAlgs returned %08lx\n", status);
    if (status == SEC_E_OK) {
        n = supported_algs(&handle, FALSE, ids, ARRAY_SIZE(ids));
        todo_wine ok(has_alg(ids, n, CALG_AES_128) && !has_alg(ids, n, CALG_AES_256),
                     "AES-128 only: ids disagree\n");
        todo_wine ok(has_alg(ids, n, CALG_ECDH_EPHEM) && !has_alg(ids, n, CALG_RSA_KEYX) &&
                     !has_alg(ids, n, CALG_DH_EPHEM),
                     "ECDHE only: ids disagree\n");
        ok(!has_alg(ids, n, CALG_SHA1), "SHA-256 only: SHA-1 listed\n");
        cipher_strengths(&handle, &min_bits, &max_bits);
        todo_wine ok(min_bits == 128 && max_bits == 128, "AES-128 only: strengths %lu..%lu\n", min_bits, max_bits);
        FreeCredentialsHandle(&handle);
    }

    /* SCH_CREDENTIALS CRYPTO_SETTINGS: AES up to 128 bits disabled. */
    memset(&no_aes128, 0, sizeof(no_aes128));
    no_aes128.eAlgorithmUsage = TlsParametersCngAlgUsageCipher;
    no_aes128.strCngAlgId = aes;
    no_aes128.dwMaxBitLength = 128;
    memset(&params, 0, sizeof(params));
    params.cDisabledCrypto = 1;
    params.pDisabledCrypto = &no_aes128;
    sch.cTlsParameters = 1;
    sch.pTlsParameters = &params;
    status = AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_OUTBOUND, NULL, &sch, NULL, NULL,
                                       &handle, NULL);
    ok(status == SEC_E_OK, "CRYPTO_SETTINGS returned %08lx\n", status);
    if (status == SEC_E_OK) {
        n = supported_algs(&handle, TRUE, ids, ARRAY_SIZE(ids));
        todo_wine ok(!has_alg(ids, n, CALG_AES_128) && has_alg(ids, n, CALG_AES_256),
                     "AES-128 disabled: ids disagree\n");
        cipher_strengths(&handle, &min_bits, &max_bits);
        todo_wine ok(min_bits > 128 && max_bits == 256, "AES-128 disabled: strengths %lu..%lu\n", min_bits, max_bits);
        FreeCredentialsHandle(&handle);
    }
}

/* An outbound SCHANNEL_CRED credential that leaves validation to the caller. */
static BOOL acquire_manual_client(SCHANNEL_CRED *cred, CredHandle *handle)
{
    SECURITY_STATUS status;
    memset(cred, 0, sizeof(*cred));
    cred->dwVersion = SCHANNEL_CRED_VERSION;
    cred->dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, cred, NULL, NULL,
                                       handle, NULL);
    ok(status == SEC_E_OK, "AcquireCredentialsHandle returned %08lx\n", status);
    return status == SEC_E_OK;
}

static void test_first_steps(void)
{
    SCHANNEL_CRED cred;
    CredHandle cred_handle;
    CtxtHandle ctx, ctx2;
    SecBuffer out_buf, in_bufs[2];
    SecBufferDesc out_desc = {SECBUFFER_VERSION, 1, &out_buf}, in_desc = {SECBUFFER_VERSION, 2, in_bufs};
    SecPkgContext_StreamSizes sizes;
    BYTE small[8], header[4] = {0x16, 0x03, 0x03, 0x00};
    static const char http_error[] = "HTTP/1.1 400 Bad Request\r\n\r\n";
    ULONG attrs;
    SECURITY_STATUS status;

    if (!acquire_manual_client(&cred, &cred_handle)) return;

    /* No output buffer at all. */
    status = InitializeSecurityContextA(&cred_handle, NULL, (SEC_CHAR *)"localhost", ISC_REQ_CONFIDENTIALITY | ISC_REQ_STREAM,
                                        0, 0, NULL, 0, &ctx, NULL, &attrs, NULL);
    ok(status == SEC_E_INVALID_TOKEN, "no output buffer returned %08lx\n", status);

    /* A caller buffer too small for the ClientHello. */
    out_buf.BufferType = SECBUFFER_TOKEN;
    out_buf.cbBuffer = sizeof(small);
    out_buf.pvBuffer = small;
    status = InitializeSecurityContextA(&cred_handle, NULL, (SEC_CHAR *)"localhost", ISC_REQ_CONFIDENTIALITY | ISC_REQ_STREAM,
                                        0, 0, NULL, 0, &ctx, &out_desc, &attrs, NULL);
    todo_wine ok(status == SEC_E_INSUFFICIENT_MEMORY || status == SEC_E_INVALID_TOKEN, "small buffer returned %08lx\n", status);
    todo_wine ok(out_buf.cbBuffer == 0, "output size %lu not reset\n", out_buf.cbBuffer);
    if (status == SEC_I_CONTINUE_NEEDED) DeleteSecurityContext(&ctx);

    /* curl's first call. */
    out_buf.BufferType = SECBUFFER_TOKEN;
    out_buf.cbBuffer = 0;
    out_buf.pvBuffer = NULL;
    attrs = 0;
    status = InitializeSecurityContextA(&cred_handle, NULL, (SEC_CHAR *)"localhost", CURL_REQ, 0, 0, NULL, 0, &ctx,
                                        &out_desc, &attrs, NULL);
    ok(status == SEC_I_CONTINUE_NEEDED, "first call returned %08lx\n", status);
    if (status != SEC_I_CONTINUE_NEEDED) {
        FreeCredentialsHandle(&cred_handle);
        return;
    }
    ok(out_buf.pvBuffer && out_buf.cbBuffer > 5, "no ClientHello (%lu bytes)\n", out_buf.cbBuffer);
    if (out_buf.pvBuffer && out_buf.cbBuffer > 5) {
        const BYTE *hello = out_buf.pvBuffer;
        ok(hello[0] == 0x16 && hello[1] == 0x03, "not a TLS handshake record: %02x %02x\n", hello[0], hello[1]);
        ok(hello[5] == 0x01, "not a ClientHello: %02x\n", hello[5]);
        ok(out_buf.cbBuffer == 5u + (hello[3] << 8 | hello[4]), "token is not exactly one record\n");
    }
    ok(attrs == CURL_RET, "returned flags %08lx, requested %08x\n", attrs, CURL_RET);
    FreeContextBuffer(out_buf.pvBuffer);

    /* Mid-handshake: no stream sizes, no encryption. */
    status = QueryContextAttributesA(&ctx, SECPKG_ATTR_STREAM_SIZES, &sizes);
    todo_wine ok(status != SEC_E_OK, "STREAM_SIZES during the handshake returned %08lx\n", status);

    /* Continuing without input: nothing is changed. */
    ctx2.dwLower = ctx2.dwUpper = 0xdeadbeef;
    out_buf.BufferType = SECBUFFER_TOKEN;
    out_buf.cbBuffer = 1234;
    out_buf.pvBuffer = NULL;
    status = InitializeSecurityContextA(&cred_handle, &ctx, (SEC_CHAR *)"localhost", CURL_REQ, 0, 0, NULL, 0, &ctx2,
                                        &out_desc, &attrs, NULL);
    ok(status == SEC_E_INCOMPLETE_MESSAGE, "no input returned %08lx\n", status);
    ok(out_buf.cbBuffer == 1234 && out_buf.BufferType == SECBUFFER_TOKEN, "output buffer changed\n");
    ok(ctx2.dwLower == 0xdeadbeef && ctx2.dwUpper == 0xdeadbeef, "new context handle was written\n");

    /* An empty token: a whole record header is missing. */
    in_bufs[0].BufferType = SECBUFFER_TOKEN;
    in_bufs[0].pvBuffer = header;
    in_bufs[0].cbBuffer = 0;
    in_bufs[1].BufferType = SECBUFFER_EMPTY;
    in_bufs[1].pvBuffer = NULL;
    in_bufs[1].cbBuffer = 0;
    status = InitializeSecurityContextA(&cred_handle, &ctx, (SEC_CHAR *)"localhost", CURL_REQ, 0, 0, &in_desc, 0,
                                        NULL, &out_desc, &attrs, NULL);
    ok(status == SEC_E_INCOMPLETE_MESSAGE, "empty token returned %08lx\n", status);
    ok(in_bufs[1].BufferType == SECBUFFER_MISSING && in_bufs[1].cbBuffer == 5,
       "missing buffer: type %lu size %lu\n", in_bufs[1].BufferType, in_bufs[1].cbBuffer);

    /* Four bytes of a header: exactly one is missing. */
    in_bufs[0].cbBuffer = sizeof(header);
    in_bufs[1].BufferType = SECBUFFER_EMPTY;
    in_bufs[1].cbBuffer = 0;
    status = InitializeSecurityContextA(&cred_handle, &ctx, (SEC_CHAR *)"localhost", CURL_REQ, 0, 0, &in_desc, 0,
                                        NULL, &out_desc, &attrs, NULL);
    ok(status == SEC_E_INCOMPLETE_MESSAGE, "partial header returned %08lx\n", status);
    ok(in_bufs[1].BufferType == SECBUFFER_MISSING && in_bufs[1].cbBuffer == 1,
       "missing buffer: type %lu size %lu\n", in_bufs[1].BufferType, in_bufs[1].cbBuffer);

    /* A peer that is not speaking TLS. */
    in_bufs[0].pvBuffer = (void *)http_error;
    in_bufs[0].cbBuffer = sizeof(http_error) - 1;
    in_bufs[1].BufferType = SECBUFFER_EMPTY;
    in_bufs[1].cbBuffer = 0;
    out_buf.cbBuffer = 0;
    out_buf.pvBuffer = NULL;
    status = InitializeSecurityContextA(&cred_handle, &ctx, (SEC_CHAR *)"localhost", CURL_REQ, 0, 0, &in_desc, 0,
                                        NULL, &out_desc, &attrs, NULL);
    todo_wine ok(FAILED(status) && status != SEC_E_INCOMPLETE_MESSAGE, "HTTP reply returned %08lx\n", status);
    if (out_buf.pvBuffer) FreeContextBuffer(out_buf.pvBuffer);

    ok(DeleteSecurityContext(&ctx) == SEC_E_OK, "DeleteSecurityContext failed\n");
    if (running_ours()) {
        ok(DeleteSecurityContext(&ctx) == SEC_E_INVALID_HANDLE, "deleting twice did not fail\n");
        ok(QueryContextAttributesA(&ctx, SECPKG_ATTR_STREAM_SIZES, &sizes) == SEC_E_INVALID_HANDLE,
           "a deleted context was usable\n");
    }
    FreeCredentialsHandle(&cred_handle);
}

/* Output buffers as Windows treats them (Wine's schannel tests, run on
 * Windows): an ALERT buffer needs room unless memory is allocated for the
 * caller, and comes back empty; a TOKEN buffer without memory gets ours;
 * the expiry stays zero until the handshake ends; a client is always
 * granted replay and sequence detection, confidentiality and STREAM. */
static void test_output_buffers(void)
{
    SCHANNEL_CRED cred;
    CredHandle cred_handle;
    CtxtHandle ctx;
    BYTE token[4096], alert[64];
    SecBuffer out[2];
    SecBufferDesc out_desc = {SECBUFFER_VERSION, 2, out};
    TimeStamp expiry;
    ULONG attrs;
    SECURITY_STATUS status;

    if (!acquire_manual_client(&cred, &cred_handle)) return;

    out[0].BufferType = SECBUFFER_TOKEN; out[0].cbBuffer = sizeof(token); out[0].pvBuffer = token;
    out[1].BufferType = SECBUFFER_ALERT; out[1].cbBuffer = 0; out[1].pvBuffer = alert;
    ctx.dwLower = ctx.dwUpper = 0xdeadbeef;
    expiry.LowPart = expiry.HighPart = 0xdeadbeef;
    status = InitializeSecurityContextA(&cred_handle, NULL, (SEC_CHAR *)"localhost", ISC_REQ_CONFIDENTIALITY, 0, 0,
                                        NULL, 0, &ctx, &out_desc, &attrs, &expiry);
    ok(status == SEC_E_INSUFFICIENT_MEMORY, "empty ALERT buffer returned %08lx\n", status);
    ok(ctx.dwLower == 0xdeadbeef && ctx.dwUpper == 0xdeadbeef, "a context handle was written\n");
    ok(!expiry.LowPart && !expiry.HighPart, "expiry %08lx%08lx after a failure\n", expiry.HighPart, expiry.LowPart);
    if (status == SEC_I_CONTINUE_NEEDED) DeleteSecurityContext(&ctx);

    out[1].cbBuffer = sizeof(alert);
    attrs = 0;
    expiry.LowPart = expiry.HighPart = 0xdeadbeef;
    status = InitializeSecurityContextA(&cred_handle, NULL, (SEC_CHAR *)"localhost", ISC_REQ_USE_SUPPLIED_CREDS, 0, 0,
                                        NULL, 0, &ctx, &out_desc, &attrs, &expiry);
    ok(status == SEC_I_CONTINUE_NEEDED, "ALERT buffer with room returned %08lx\n", status);
    ok(out[0].cbBuffer > 5 && out[0].pvBuffer == token, "ClientHello: %lu bytes at %p\n", out[0].cbBuffer,
       out[0].pvBuffer);
    ok(out[1].cbBuffer == 0, "ALERT buffer holds %lu bytes\n", out[1].cbBuffer);
    ok(!expiry.LowPart && !expiry.HighPart, "expiry %08lx%08lx during the handshake\n", expiry.HighPart,
       expiry.LowPart);
    ok(attrs == (ISC_RET_REPLAY_DETECT | ISC_RET_SEQUENCE_DETECT | ISC_RET_CONFIDENTIALITY | ISC_RET_STREAM |
                 ISC_RET_USED_SUPPLIED_CREDS),
       "granted %08lx\n", attrs);
    if (status == SEC_I_CONTINUE_NEEDED) DeleteSecurityContext(&ctx);

    /* A TOKEN buffer with a size but no memory, without ALLOCATE_MEMORY. */
    out_desc.cBuffers = 1;
    out[0].cbBuffer = 1000;
    out[0].pvBuffer = NULL;
    status = InitializeSecurityContextA(&cred_handle, NULL, (SEC_CHAR *)"localhost",
                                        ISC_REQ_CONFIDENTIALITY | ISC_REQ_STREAM, 0, 0, NULL, 0, &ctx, &out_desc,
                                        &attrs, NULL);
    ok(status == SEC_I_CONTINUE_NEEDED, "TOKEN without memory returned %08lx\n", status);
    ok(out[0].pvBuffer != NULL && out[0].cbBuffer > 5, "no ClientHello allocated (%lu bytes)\n", out[0].cbBuffer);
    if (out[0].pvBuffer) FreeContextBuffer(out[0].pvBuffer);
    if (status == SEC_I_CONTINUE_NEEDED) DeleteSecurityContext(&ctx);

    /* A bad SCHANNEL_CRED is reported before the missing handle pointer. */
    cred.dwVersion = 0;
    status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &cred, NULL, NULL,
                                       NULL, NULL);
    ok(status == SEC_E_INTERNAL_ERROR || status == SEC_E_UNKNOWN_CREDENTIALS, "version 0, no handle: %08lx\n",
       status);
    FreeCredentialsHandle(&cred_handle);
}

/* Garbage, stale and wrong-kind handles fail cleanly (stock Wine crashes on
 * some of these, so they run against our module only). */
static void test_bad_handles(void)
{
    CredHandle garbage = {0x12345678, 0x9abcdef0}, cred;
    CtxtHandle bad_ctx = {0x12345678, 0x9abcdef0}, new_ctx;
    SecPkgContext_StreamSizes sizes;
    SecBuffer buf = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc desc = {SECBUFFER_VERSION, 1, &buf};
    ULONG attrs;

    if (!running_ours()) {
        skip("handle misuse crashes stock Wine\n");
        return;
    }
    ok(FreeCredentialsHandle(&garbage) == SEC_E_INVALID_HANDLE, "garbage credential freed\n");
    ok(FreeCredentialsHandle(NULL) == SEC_E_INVALID_HANDLE, "NULL credential freed\n");
    ok(DeleteSecurityContext(&bad_ctx) == SEC_E_INVALID_HANDLE, "garbage context deleted\n");
    ok(DeleteSecurityContext(NULL) == SEC_E_INVALID_HANDLE, "NULL context deleted\n");
    ok(QueryContextAttributesA(&bad_ctx, SECPKG_ATTR_STREAM_SIZES, &sizes) == SEC_E_INVALID_HANDLE,
       "garbage context queried\n");
    ok(EncryptMessage(&bad_ctx, 0, &desc, 0) == SEC_E_INVALID_HANDLE, "garbage context encrypted\n");
    ok(DecryptMessage(&bad_ctx, &desc, 0, NULL) == SEC_E_INVALID_HANDLE, "garbage context decrypted\n");
    ok(ApplyControlToken(&bad_ctx, &desc) == SEC_E_INVALID_HANDLE, "garbage context controlled\n");
    ok(InitializeSecurityContextA(&garbage, NULL, NULL, CURL_REQ, 0, 0, NULL, 0, &new_ctx, &desc, &attrs, NULL) ==
           SEC_E_INVALID_HANDLE, "garbage credential initialised a context\n");

    /* A credential handle is not a context handle. */
    if (AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, NULL, NULL, NULL, &cred,
                                  NULL) == SEC_E_OK) {
        ok(DeleteSecurityContext((CtxtHandle *)&cred) == SEC_E_INVALID_HANDLE, "credential deleted as a context\n");
        ok(FreeCredentialsHandle(&cred) == SEC_E_OK, "credential was harmed by the misuse\n");
    }
}

/* The administrator's protocol policy in the registry. */
#define PROTOCOLS_KEY "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols"

static BOOL set_client_protocol_policy(const char *protocol, DWORD enabled, DWORD disabled_by_default)
{
    char path[256];
    HKEY key;
    snprintf(path, sizeof(path), "%s\\%s\\Client", PROTOCOLS_KEY, protocol);
    if (RegCreateKeyExA(HKEY_LOCAL_MACHINE, path, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key, NULL)) return FALSE;
    RegSetValueExA(key, "Enabled", 0, REG_DWORD, (BYTE *)&enabled, sizeof(enabled));
    RegSetValueExA(key, "DisabledByDefault", 0, REG_DWORD, (BYTE *)&disabled_by_default, sizeof(disabled_by_default));
    RegCloseKey(key);
    return TRUE;
}

static void remove_client_protocol_policy(const char *protocol)
{
    char path[256];
    snprintf(path, sizeof(path), "%s\\%s\\Client", PROTOCOLS_KEY, protocol);
    RegDeleteKeyA(HKEY_LOCAL_MACHINE, path);
    snprintf(path, sizeof(path), "%s\\%s", PROTOCOLS_KEY, protocol);
    RegDeleteKeyA(HKEY_LOCAL_MACHINE, path);
}

/* SUPPORTED_PROTOCOLS of a fresh outbound credential, or ~0 on failure. */
static DWORD client_protocols(DWORD requested)
{
    SCHANNEL_CRED cred;
    CredHandle handle;
    SecPkgCred_SupportedProtocols protocols;
    DWORD result = ~0u;
    memset(&cred, 0, sizeof(cred));
    cred.dwVersion = SCHANNEL_CRED_VERSION;
    cred.grbitEnabledProtocols = requested;
    if (AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &cred, NULL, NULL,
                                  &handle, NULL) != SEC_E_OK)
        return result;
    if (QueryCredentialsAttributesA(&handle, SECPKG_ATTR_SUPPORTED_PROTOCOLS, &protocols) == SEC_E_OK)
        result = protocols.grbitProtocol;
    FreeCredentialsHandle(&handle);
    return result;
}

static void test_registry_protocols(void)
{
    DWORD protocols;
    HKEY existing;

    if (!RegOpenKeyExA(HKEY_LOCAL_MACHINE, PROTOCOLS_KEY "\\TLS 1.0", 0, KEY_READ, &existing) ||
        !RegOpenKeyExA(HKEY_LOCAL_MACHINE, PROTOCOLS_KEY "\\TLS 1.2", 0, KEY_READ, &existing)) {
        RegCloseKey(existing);
        skip("the prefix already has a protocol policy; not touching it\n");
        return;
    }
    /* Enabled + not disabled by default: TLS 1.0 joins the default set. */
    if (!set_client_protocol_policy("TLS 1.0", 1, 0)) {
        skip("cannot write HKLM\n");
        return;
    }
    protocols = client_protocols(0);
    ok(protocols != ~0u && (protocols & SP_PROT_TLS1_0_CLIENT), "TLS 1.0 not enabled by policy: %08lx\n", protocols);

    /* Disabled by default: only an explicit request gets it. */
    set_client_protocol_policy("TLS 1.0", 1, 1);
    protocols = client_protocols(0);
    todo_wine ok(protocols != ~0u && !(protocols & SP_PROT_TLS1_0_CLIENT), "TLS 1.0 in the default set: %08lx\n", protocols);
    protocols = client_protocols(SP_PROT_TLS1_0_CLIENT | SP_PROT_TLS1_2_CLIENT);
    ok(protocols != ~0u && (protocols & SP_PROT_TLS1_0_CLIENT), "explicit TLS 1.0 refused: %08lx\n", protocols);
    remove_client_protocol_policy("TLS 1.0");

    /* Enabled = 0 wins over an explicit request. */
    set_client_protocol_policy("TLS 1.2", 0, 1);
    protocols = client_protocols(SP_PROT_TLS1_1_CLIENT | SP_PROT_TLS1_2_CLIENT);
    todo_wine ok(protocols != ~0u && !(protocols & SP_PROT_TLS1_2_CLIENT) && (protocols & SP_PROT_TLS1_1_CLIENT),
       "TLS 1.2 disabled by policy still offered: %08lx\n", protocols);
    remove_client_protocol_policy("TLS 1.2");

    protocols = client_protocols(0);
    ok(protocols != ~0u && (protocols & SP_PROT_TLS1_2_CLIENT), "policy not undone: %08lx\n", protocols);
}

START_TEST(schannel)
{
    test_package_info();
    test_credentials();
    test_credential_algorithms();
    test_first_steps();
    test_output_buffers();
    test_bad_handles();
    test_registry_protocols();
}
