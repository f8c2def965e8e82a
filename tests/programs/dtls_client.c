/* Integration client: DTLS 1.2 through Schannel over a UDP socket, as a
 * Windows program does it: ISC_REQ_DATAGRAM, one datagram per
 * InitializeSecurityContext call (SEC_I_MESSAGE_FRAGMENT: call again
 * without input), a receive timeout that makes it call again without input
 * (retransmission), EncryptMessage/DecryptMessage one record per datagram,
 * close_notify at the end.
 *
 * usage: dtls_client HOST PORT [--mtu N] [--sch-credentials] [--messages N]
 *                    [--echo] [--drop N]
 *   --echo     expect each message back (gnutls-serv --echo) and verify it
 *   --drop N   ignore the Nth datagram received during the handshake (lost),
 *              so the handshake needs a retransmission
 * Prints the protocol, suite, STREAM_SIZES and counts; exit status 0 on
 * success. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#ifndef SECURITY_WIN32
#define SECURITY_WIN32
#endif
#define SCHANNEL_USE_BLACKLISTS
#include <sspi.h>
#include <schannel.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream_record.h"

static SOCKET sock;
static ULONG mtu = 1096;
static int datagrams_sent, oversized, retransmit_calls;

static int wait_datagram(BYTE *buf, int size, int timeout_ms)
{
    fd_set set;
    struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    FD_ZERO(&set);
    FD_SET(sock, &set);
    if (select(0, &set, NULL, NULL, &tv) <= 0) return 0;
    return recv(sock, (char *)buf, size, 0);
}

static void send_datagram(const void *data, ULONG size)
{
    datagrams_sent++;
    if (size > mtu) oversized++;
    send(sock, data, (int)size, 0);
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    struct addrinfo hints, *ai;
    SCHANNEL_CRED cred;
    SCH_CREDENTIALS sch;
    CredHandle cred_handle;
    CtxtHandle ctx;
    BOOL have_ctx = FALSE;
    SECURITY_STATUS status;
    ULONG flags = ISC_REQ_DATAGRAM | ISC_REQ_CONFIDENTIALITY | ISC_REQ_ALLOCATE_MEMORY | ISC_REQ_EXTENDED_ERROR |
                  ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT | ISC_REQ_MANUAL_CRED_VALIDATION;
    ULONG attrs;
    int use_sch = 0, messages = 5, echo = 0, drop = 0, received = 0, i, timeouts = 0;
    BYTE in[65536];
    int in_len = -1; /* -1: no input */
    SecPkgContext_ConnectionInfo info;
    SecPkgContext_CipherInfo cipher;
    SecPkgContext_StreamSizes sizes;

    if (argc < 3) {
        fprintf(stderr, "usage: %s HOST PORT [--mtu N] [--sch-credentials] [--messages N] [--echo] [--drop N]\n",
                argv[0]);
        return 2;
    }
    for (i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--mtu") && i + 1 < argc) mtu = strtoul(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--sch-credentials")) use_sch = 1;
        else if (!strcmp(argv[i], "--messages") && i + 1 < argc) messages = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--echo")) echo = 1;
        else if (!strcmp(argv[i], "--drop") && i + 1 < argc) drop = atoi(argv[++i]);
        else {
            fprintf(stderr, "unknown option %s\n", argv[i]);
            return 2;
        }
    }

    WSAStartup(MAKEWORD(2, 2), &wsa);
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_DGRAM;
    if (getaddrinfo(argv[1], argv[2], &hints, &ai)) {
        fprintf(stderr, "cannot resolve %s\n", argv[1]);
        return 1;
    }
    sock = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    if (connect(sock, ai->ai_addr, (int)ai->ai_addrlen)) {
        fprintf(stderr, "connect failed\n");
        return 1;
    }

    if (use_sch) {
        memset(&sch, 0, sizeof(sch));
        sch.dwVersion = SCH_CREDENTIALS_VERSION;
        sch.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
        status = AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)UNISP_NAME_W, SECPKG_CRED_OUTBOUND, NULL, &sch, NULL,
                                           NULL, &cred_handle, NULL);
    } else {
        memset(&cred, 0, sizeof(cred));
        cred.dwVersion = SCHANNEL_CRED_VERSION;
        cred.grbitEnabledProtocols = SP_PROT_DTLS1_2_CLIENT;
        cred.dwFlags = SCH_CRED_MANUAL_CRED_VALIDATION | SCH_CRED_NO_DEFAULT_CREDS;
        status = AcquireCredentialsHandleA(NULL, (SEC_CHAR *)UNISP_NAME_A, SECPKG_CRED_OUTBOUND, NULL, &cred, NULL,
                                           NULL, &cred_handle, NULL);
    }
    if (status != SEC_E_OK) {
        fprintf(stderr, "AcquireCredentialsHandle failed: %08lx\n", status);
        return 1;
    }

    for (;;) {
        SecBuffer ib[3], ob[2];
        SecBufferDesc idesc = {SECBUFFER_VERSION, 0, ib}, odesc = {SECBUFFER_VERSION, 2, ob};
        SEC_DTLS_MTU path = {(unsigned short)mtu};
        if (in_len >= 0) {
            ib[idesc.cBuffers].BufferType = SECBUFFER_TOKEN;
            ib[idesc.cBuffers].pvBuffer = in;
            ib[idesc.cBuffers++].cbBuffer = (ULONG)in_len;
            ib[idesc.cBuffers].BufferType = SECBUFFER_EMPTY;
            ib[idesc.cBuffers].pvBuffer = NULL;
            ib[idesc.cBuffers++].cbBuffer = 0;
        }
        if (!have_ctx) {
            ib[idesc.cBuffers].BufferType = SECBUFFER_DTLS_MTU;
            ib[idesc.cBuffers].pvBuffer = &path;
            ib[idesc.cBuffers++].cbBuffer = sizeof(path);
        }
        ob[0].BufferType = SECBUFFER_TOKEN;
        ob[0].pvBuffer = NULL;
        ob[0].cbBuffer = 0;
        ob[1].BufferType = SECBUFFER_ALERT;
        ob[1].pvBuffer = NULL;
        ob[1].cbBuffer = 0;
        status = InitializeSecurityContextA(&cred_handle, have_ctx ? &ctx : NULL, (SEC_CHAR *)argv[1], flags, 0, 0,
                                            idesc.cBuffers ? &idesc : NULL, 0, &ctx, &odesc, &attrs, NULL);
        if (!have_ctx && !FAILED(status)) have_ctx = TRUE;
        if (ob[0].pvBuffer && ob[0].cbBuffer) send_datagram(ob[0].pvBuffer, ob[0].cbBuffer);
        if (ob[0].pvBuffer) FreeContextBuffer(ob[0].pvBuffer);
        if (ob[1].pvBuffer) FreeContextBuffer(ob[1].pvBuffer);
        if (status == SEC_E_OK) break;
        if (status == SEC_I_MESSAGE_FRAGMENT) {
            in_len = -1;
            continue;
        }
        if (status != SEC_I_CONTINUE_NEEDED && status != SEC_E_INCOMPLETE_MESSAGE) {
            fprintf(stderr, "InitializeSecurityContext failed: %08lx\n", status);
            return 1;
        }
        for (;;) {
            in_len = wait_datagram(in, sizeof(in), 1000);
            if (in_len <= 0) {
                /* Our retransmission timer. */
                if (++timeouts > 10) {
                    fprintf(stderr, "handshake timed out\n");
                    return 1;
                }
                retransmit_calls++;
                in_len = -1;
                break;
            }
            if (++received == drop) {
                printf("dropped handshake datagram %d (%d bytes)\n", received, in_len);
                continue;
            }
            break;
        }
    }
    if (!(attrs & ISC_RET_DATAGRAM)) {
        fprintf(stderr, "ISC_RET_DATAGRAM missing from %08lx\n", attrs);
        return 1;
    }

    QueryContextAttributesA(&ctx, SECPKG_ATTR_CONNECTION_INFO, &info);
    memset(&cipher, 0, sizeof(cipher));
    QueryContextAttributesA(&ctx, SECPKG_ATTR_CIPHER_INFO, &cipher);
    QueryContextAttributesA(&ctx, SECPKG_ATTR_STREAM_SIZES, &sizes);
    printf("protocol %s (%08lx), suite %ls\n", info.dwProtocol == SP_PROT_DTLS1_2_CLIENT ? "DTLS 1.2" : "other",
           info.dwProtocol, cipher.szCipherSuite);
    printf("STREAM_SIZES header %lu trailer %lu max %lu; handshake: %d datagrams sent (%d over MTU %lu), "
           "%d timer calls\n",
           sizes.cbHeader, sizes.cbTrailer, sizes.cbMaximumMessage, datagrams_sent, oversized, mtu, retransmit_calls);
    if (info.dwProtocol != SP_PROT_DTLS1_2_CLIENT || oversized) return 1;

    for (i = 0; i < messages; i++) {
        char text[128];
        BYTE buf[65536];
        SecBuffer b[4];
        SecBufferDesc desc = {SECBUFFER_VERSION, 4, b};
        ULONG len = (ULONG)sprintf(text, "DTLS message %d through Schannel\n", i);
        int tries;

        memcpy(buf + sizes.cbHeader, text, len);
        stream_record_buffers(b, buf, &sizes, len);
        status = EncryptMessage(&ctx, 0, &desc, 0);
        if (status != SEC_E_OK) {
            fprintf(stderr, "EncryptMessage failed: %08lx\n", status);
            return 1;
        }
        send_datagram(buf, stream_record_size(b));
        if (!echo) continue;
        for (tries = 0; tries < 5; tries++) {
            int n = wait_datagram(buf, sizeof(buf), 2000);
            if (n <= 0) {
                fprintf(stderr, "no echo for message %d\n", i);
                return 1;
            }
            memset(b, 0, sizeof(b));
            b[0].BufferType = SECBUFFER_DATA;
            b[0].pvBuffer = buf;
            b[0].cbBuffer = (ULONG)n;
            status = DecryptMessage(&ctx, &desc, 0, NULL);
            if (status == SEC_E_OUT_OF_SEQUENCE || status == SEC_E_INVALID_TOKEN) continue; /* dropped */
            if (status != SEC_E_OK) {
                fprintf(stderr, "DecryptMessage failed: %08lx\n", status);
                return 1;
            }
            if (b[1].BufferType != SECBUFFER_DATA || b[1].cbBuffer != len || memcmp(b[1].pvBuffer, text, len)) {
                fprintf(stderr, "echo of message %d differs (%lu bytes)\n", i, b[1].cbBuffer);
                return 1;
            }
            break;
        }
    }
    printf("%d messages sent%s\n", messages, echo ? " and echoed back intact" : "");

    {
        DWORD type = SCHANNEL_SHUTDOWN;
        SecBuffer b = {sizeof(type), SECBUFFER_TOKEN, &type};
        SecBufferDesc d = {SECBUFFER_VERSION, 1, &b};
        SecBuffer ob = {0, SECBUFFER_TOKEN, NULL};
        SecBufferDesc odesc = {SECBUFFER_VERSION, 1, &ob};
        ApplyControlToken(&ctx, &d);
        status = InitializeSecurityContextA(&cred_handle, &ctx, NULL, flags, 0, 0, NULL, 0, &ctx, &odesc, &attrs, NULL);
        if (ob.pvBuffer && ob.cbBuffer) send_datagram(ob.pvBuffer, ob.cbBuffer);
        if (ob.pvBuffer) FreeContextBuffer(ob.pvBuffer);
        printf("close_notify sent (%08lx)\n", status);
    }
    DeleteSecurityContext(&ctx);
    FreeCredentialsHandle(&cred_handle);
    closesocket(sock);
    return 0;
}
