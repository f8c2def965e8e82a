# Our conformance tests compile unchanged against Wine's OWN test harness
# (include/wine/test.h from Wine's source, fetched by
# tools/fetch-wine-test-headers), link with Wine's ntdll import library, and
# pass under our module there too, with the same test counts.
# timeout: 300
. "$TOP_SRCDIR/tests/integration/common.bash"
. "$TOP_BUILDDIR/tools/build.conf"
headers="${WINE_SOURCE_INCLUDE:-$BUILD_DIR/wine-source/include}"
[ -f "$headers/wine/test.h" ] || skip "Wine's test.h not found in $headers (run tools/fetch-wine-test-headers)"
ntdll_lib="${WINE_IMPORTLIB_DIR:-$WINE_DLLDIR/x86_64-windows}/libntdll.a"
[ -f "$ntdll_lib" ] || skip "Wine's PE import library $ntdll_lib not found (libwine-dev)"
cc=$(grep '^MINGW64_CC' "$TOP_BUILDDIR/Makefile" | sed 's/.*= *//')

units=$(ls "$TOP_SRCDIR"/tests/conformance/*.c | xargs -n1 basename | sed 's/\.c$//')
{ echo '#include <windows.h>'; echo '#define STANDALONE'; echo '#include "wine/test.h"'
  for u in $units; do echo "extern void func_$u(void);"; done
  echo 'const struct test winetest_testlist[] = {'
  for u in $units; do echo "    { \"$u\", func_$u },"; done
  echo '    { 0, 0 }'; echo '};'; } > testlist.c
# Wine's headers first: the tests must pick up Wine's test.h, not ours.
"$cc" -std=gnu11 -O1 -DWINVER=0x0A00 -D_WIN32_WINNT=0x0A00 -DSECURITY_WIN32 -DWIN32_LEAN_AND_MEAN \
    -I"$headers" -I"$TOP_SRCDIR/tests/conformance" -o winetest.exe "$TOP_SRCDIR"/tests/conformance/*.c testlist.c \
    -static -lsecur32 -lcrypt32 -ladvapi32 -lws2_32 -lwinhttp -lwininet -lole32 -luser32 "$ntdll_lib" ||
    fail "conformance tests do not build against Wine's test.h"
strings winetest.exe | grep -q "as flaky" || fail "the build did not use Wine's harness"

status=0
for u in $units; do
    [ "$u" = harness ] && continue   # exercises our harness's own output format
    out=$(WINE_SECUR32_EXPECT=ours WINETEST_PLATFORM=windows "$RUN_OURS" ./winetest.exe "$u" 2>&1)
    line=$(grep -E "^([0-9a-f]+:)?$u: [0-9]+ tests executed" <<< "$out" | tail -1)
    echo "$line"
    grep -q " 0 failures)" <<< "$line" || { echo "$out" | tail -20; status=1; }
done
[ $status = 0 ] || fail "a conformance unit failed under Wine's harness"
