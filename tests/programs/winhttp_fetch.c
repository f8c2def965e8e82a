/* Fetches https://HOST:PORT/PATH with WinHTTP (Wine's own winhttp.dll,
 * which drives secur32 through SSPI) and prints the status and size.
 * usage: winhttp_fetch HOST PORT [PATH [COUNT]]   exit 0 when every one of
 * COUNT requests (default 1; one session, so TLS state is shared) gets
 * HTTP 200 */
#include <windows.h>
#include <winhttp.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    WCHAR host[256], path[512];
    HINTERNET session, connection, request;
    DWORD status = 0, size, got, total;
    char buf[4096];
    int i, count = argc > 4 ? atoi(argv[4]) : 1;

    if (argc < 3) {
        fprintf(stderr, "usage: %s HOST PORT [PATH]\n", argv[0]);
        return 2;
    }
    MultiByteToWideChar(CP_ACP, 0, argv[1], -1, host, 256);
    MultiByteToWideChar(CP_ACP, 0, argc > 3 ? argv[3] : "/", -1, path, 512);

    session = WinHttpOpen(L"wine-secur32 test", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    connection = session ? WinHttpConnect(session, host, (INTERNET_PORT)atoi(argv[2]), 0) : NULL;
    if (!connection) {
        printf("FAIL: WinHttpOpen/Connect: error %lu\n", GetLastError());
        return 1;
    }
    for (i = 0; i < count; i++) {
        request = WinHttpOpenRequest(connection, L"GET", path, NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
        if (!request || !WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0) || !WinHttpReceiveResponse(request, NULL)) {
            printf("FAIL: request %d failed: error %lu\n", i + 1, GetLastError());
            return 1;
        }
        size = sizeof(status);
        WinHttpQueryHeaders(request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER, NULL, &status, &size, NULL);
        total = 0;
        while (WinHttpReadData(request, buf, sizeof(buf), &got) && got) total += got;
        printf("winhttp request %d: HTTP %lu, %lu bytes\n", i + 1, status, total);
        WinHttpCloseHandle(request);
        if (status != 200 || !total) return 1;
    }
    WinHttpCloseHandle(connection);
    WinHttpCloseHandle(session);
    return 0;
}
