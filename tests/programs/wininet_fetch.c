/* Fetches a URL with WinINet (Wine's own wininet.dll, which drives secur32
 * through SSPI) and prints the status and size.
 * usage: wininet_fetch URL   exit 0 on HTTP 200 */
#include <windows.h>
#include <wininet.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    HINTERNET inet, url;
    DWORD status = 0, size = sizeof(status), got, total = 0;
    char buf[4096];

    if (argc < 2) {
        fprintf(stderr, "usage: %s URL\n", argv[0]);
        return 2;
    }
    inet = InternetOpenA("wine-secur32 test", INTERNET_OPEN_TYPE_DIRECT, NULL, NULL, 0);
    url = inet ? InternetOpenUrlA(inet, argv[1], NULL, 0, INTERNET_FLAG_RELOAD | INTERNET_FLAG_NO_CACHE_WRITE, 0)
               : NULL;
    if (!url) {
        printf("FAIL: InternetOpenUrl: error %lu\n", GetLastError());
        return 1;
    }
    HttpQueryInfoA(url, HTTP_QUERY_STATUS_CODE | HTTP_QUERY_FLAG_NUMBER, &status, &size, NULL);
    while (InternetReadFile(url, buf, sizeof(buf), &got) && got) total += got;
    printf("wininet: HTTP %lu, %lu bytes\n", status, total);
    InternetCloseHandle(url);
    InternetCloseHandle(inet);
    return status == 200 && total > 0 ? 0 : 1;
}
