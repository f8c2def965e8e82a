#!/bin/bash
# `make install` into a temporary DESTDIR, with a prefix of our choosing: the
# installed runner, started as a user with a fresh HOME, runs a program through
# the INSTALLED module (module_identity: our WineSecur32BuildInfo export, in
# the process and in a child), builds its overlay per user under
# ~/.cache/wine-secur32 (or $XDG_CACHE_HOME), creates ~/.wine-secur32 when
# WINEPREFIX is unset (as another user, nobody, when run as root); the
# installed wine-stock runs Wine's own secur32; and
# `make uninstall` removes every installed file.
# timeout: 300
. "$TOP_SRCDIR/tests/integration/common.bash"
. "$TOP_BUILDDIR/tools/build.conf"

stage=$TEST_TMPDIR/stage
prefix=/opt/wine-secur32-test
root=$stage$prefix
exe=$TEST_EXE_DIR/secur32_test.exe
[ -f "$exe" ] || fail "$exe is not built"

echo "== make install DESTDIR=$stage prefix=$prefix"
make -s -C "$TOP_BUILDDIR" install DESTDIR="$stage" prefix="$prefix" || fail "make install failed"
for f in bin/wine-secur32 bin/wine-stock \
         lib/wine-secur32/x86_64-windows/secur32.dll lib/wine-secur32/i386-windows/secur32.dll \
         lib/wine-secur32/x86_64-unix/secur32.so lib/wine-secur32/install.conf \
         lib/wine-secur32/lib/common.sh lib/wine-secur32/lib/overlay.sh \
         share/doc/wine-secur32/README share/doc/wine-secur32/CHANGELOG; do
    [ -e "$root/$f" ] || fail "make install did not install $prefix/$f"
done
cmp "$root/lib/wine-secur32/x86_64-windows/secur32.dll" "$BUILD_DIR/x86_64-windows/secur32.dll" ||
    fail "installed secur32.dll differs from the build"
# bin/ links relative into lib/, so the staged copy works where it is.
case $(readlink "$root/bin/wine-secur32") in /*) fail "bin/wine-secur32 is an absolute link" ;; esac
grep -q "$TOP_BUILDDIR" "$root/lib/wine-secur32/install.conf" &&
    fail "install.conf refers to the build tree"
find "$stage" -newer "$TOP_BUILDDIR/Makefile" -type f | sed "s|^$stage|  |"

# A user of our own: fresh HOME, nothing from the build tree in the environment.
home=$TEST_TMPDIR/home
mkdir -p "$home"
as_user() {
    ( unset WINE_SECUR32_OVERLAY WINE_SECUR32_DLL64 WINE_SECUR32_SO64 WINE_SECUR32_DLL32 \
        WINE_SECUR32_SO32 WINE_SECUR32_BUILD_CONF XDG_CACHE_HOME
      export HOME=$home
      "$@" )
}
identity() {   # RUNNER EXPECT: runs the module_identity unit, prints its summary
    local out
    out=$(WINE_SECUR32_EXPECT=$2 WINETEST_PLATFORM=windows "$1" "$exe" module_identity 2>&1)
    echo "$out" | grep -E 'secur32 at|tests executed|Test failed'
    grep -qE 'module_identity: [0-9]+ tests executed \(0 marked as todo, 0 failures\)' <<<"$out"
}

echo "== installed wine-secur32 (WINEPREFIX=$WINEPREFIX)"
cd "$home" || fail "cd"
as_user identity "$root/bin/wine-secur32" ours || fail "the installed wine-secur32 did not load our module"
overlay=$home/.cache/wine-secur32/overlay
[ -f "$overlay/.fingerprint" ] || fail "no per-user overlay in $overlay"
dll=$(find "$overlay" -path '*/x86_64-windows/secur32.dll' | head -n 1)
[ "$(readlink -f "$dll")" = "$root/lib/wine-secur32/x86_64-windows/secur32.dll" ] ||
    fail "the overlay's secur32.dll ($dll) is not the installed one: $(readlink -f "$dll")"
echo "overlay $overlay uses the installed module"

echo "== installed wine-stock"
as_user identity "$root/bin/wine-stock" stock || fail "the installed wine-stock did not load Wine's secur32"

echo "== XDG_CACHE_HOME is honoured"
as_user env XDG_CACHE_HOME="$TEST_TMPDIR/xdg" "$root/bin/wine-secur32" --prepare || fail "--prepare failed"
[ -f "$TEST_TMPDIR/xdg/wine-secur32/overlay/.fingerprint" ] || fail "no overlay under \$XDG_CACHE_HOME"

# Another user (nobody, when we are root), no WINEPREFIX: the runner makes
# ~/.wine-secur32 and its own overlay, owned by that user.
home=$TEST_TMPDIR/home2
mkdir -p "$home"
other=() who="the current user"
if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null && id nobody >/dev/null 2>&1; then
    chown nobody "$home"
    other=(runuser -u nobody --) who="user nobody"
fi
echo "== without WINEPREFIX, as $who: ~/.wine-secur32"
out=$("${other[@]}" env -i PATH=/usr/bin:/bin HOME="$home" WINE_SECUR32_EXPECT=ours WINETEST_PLATFORM=windows \
      "$root/bin/wine-secur32" "$exe" module_identity 2>&1)
echo "$out" | grep -E 'prefix|secur32 at|tests executed|Test failed'
grep -qE 'module_identity: [0-9]+ tests executed \(0 marked as todo, 0 failures\)' <<<"$out" ||
    fail "our module did not load for that user in the default prefix"
[ -f "$home/.wine-secur32/system.reg" ] || fail "no prefix in ~/.wine-secur32"
[ -f "$home/.cache/wine-secur32/overlay/.fingerprint" ] || fail "no overlay in that user's cache"
ls -ld "$home/.wine-secur32" "$home/.cache/wine-secur32/overlay"
"${other[@]}" env -i PATH=/usr/bin:/bin HOME="$home" WINEPREFIX="$home/.wine-secur32" timeout 60 "$WINE_SERVER" -k 2>/dev/null

echo "== make uninstall"
make -s -C "$TOP_BUILDDIR" uninstall DESTDIR="$stage" prefix="$prefix" || fail "make uninstall failed"
left=$(find "$stage" -type f -o -type l)
[ -z "$left" ] || fail "make uninstall left files behind: $left"
echo "all installed files removed"
