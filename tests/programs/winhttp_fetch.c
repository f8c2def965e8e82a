/* Fetches https://HOST:PORT/PATH with WinHTTP (Wine's own winhttp.dll,
 * which drives secur32 through SSPI) and prints the status and size.
 * usage: winhttp_fetch HOST PORT [PATH]   exit 0 on HTTP 200 */
#include <windows.h>
#include <winhttp.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    WCHAR host[256], path[512];
    HINTERNET session, connection, request;
    DWORD status = 0, size = sizeof(status), got, total = 0;
    char buf[4096];

    if (argc < 3) {
        fprintf(stderr, "usage: %s HOST PORT [PATH]\n", argv[0]);
        return 2;
    }
    MultiByteToWideChar(CP_ACP, 0, argv[1], -1, host, 256);
    MultiByteToWideChar(CP_ACP, 0, argc > 3 ? argv[3] : "/", -1, path, 512);

    session = WinHttpOpen(L"wine-secur32 test", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    connection = session ? WinHttpConnect(session, host, (INTERNET_PORT)atoi(argv[2]), 0) : NULL;
    request = connection ? WinHttpOpenRequest(connection, L"GET", path, NULL, NULL, NULL, WINHTTP_FLAG_SECURE) : NULL;
    if (!request) {
        printf("FAIL: WinHttpOpen/Connect/OpenRequest: error %lu\n", GetLastError());
        return 1;
    }
    if (!WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0) || !WinHttpReceiveResponse(request, NULL)) {
        printf("FAIL: request failed: error %lu\n", GetLastError());
        return 1;
    }
    WinHttpQueryHeaders(request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER, NULL, &status, &size, NULL);
    while (WinHttpReadData(request, buf, sizeof(buf), &got) && got) total += got;
    printf("winhttp: HTTP %lu, %lu bytes\n", status, total);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connection);
    WinHttpCloseHandle(session);
    return status == 200 && total > 0 ? 0 : 1;
}
