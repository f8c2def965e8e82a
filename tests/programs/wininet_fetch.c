/* Fetches a URL with WinINet (Wine's own wininet.dll, which drives secur32
 * through SSPI) and prints the status and size.
 * usage: wininet_fetch URL [COUNT]   exit 0 when every one of COUNT
 * requests (default 1; one WinINet session) gets HTTP 200 */
#include <windows.h>
#include <wininet.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    HINTERNET inet, url;
    DWORD status = 0, size, got, total;
    char buf[4096];
    int i, count = argc > 2 ? atoi(argv[2]) : 1;

    if (argc < 2) {
        fprintf(stderr, "usage: %s URL\n", argv[0]);
        return 2;
    }
    inet = InternetOpenA("wine-secur32 test", INTERNET_OPEN_TYPE_DIRECT, NULL, NULL, 0);
    for (i = 0; inet && i < count; i++) {
        url = InternetOpenUrlA(inet, argv[1], NULL, 0, INTERNET_FLAG_RELOAD | INTERNET_FLAG_NO_CACHE_WRITE, 0);
        if (!url) {
            printf("FAIL: InternetOpenUrl %d: error %lu\n", i + 1, GetLastError());
            return 1;
        }
        size = sizeof(status);
        HttpQueryInfoA(url, HTTP_QUERY_STATUS_CODE | HTTP_QUERY_FLAG_NUMBER, &status, &size, NULL);
        total = 0;
        while (InternetReadFile(url, buf, sizeof(buf), &got) && got) total += got;
        printf("wininet request %d: HTTP %lu, %lu bytes\n", i + 1, status, total);
        InternetCloseHandle(url);
        if (status != 200 || !total) return 1;
    }
    if (inet) InternetCloseHandle(inet);
    return inet ? 0 : 1;
}
