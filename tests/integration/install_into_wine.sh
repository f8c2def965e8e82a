#!/bin/bash
# `make install-into-wine` / `make uninstall-from-wine`, never on the system's
# files:
#  1. a COPY of the Wine installation (the overlay layout: copies of the
#     loader, wineserver, ntdll.so and of Wine's secur32.dll/.so, links to
#     everything else).  Before: it runs Wine's secur32.  After
#     install-into-wine WINE_DLLDIR=<copy>: stock Wine's own loader loads OUR
#     builtin from its own dll directory (module_identity, also in a child
#     process).  After uninstall-from-wine: every file is back byte for byte
#     (sha256) and Wine's secur32 runs again.
#  2. a minimal fake WoW64-style dll directory (with i386-windows/): all three
#     files replaced and restored byte for byte.
#  3. the refusals: a second install (backup exists), a file that is ours
#     already, an uninstall with nothing to restore, and an uninstall over a
#     file that is no longer ours (Wine upgraded meanwhile).
# The system's own secur32 files are checksummed before and after.
# timeout: 300
. "$TOP_SRCDIR/tests/integration/common.bash"
. "$TOP_BUILDDIR/tools/build.conf"
ws_prog=install_into_wine
. "$TOP_SRCDIR/tools/lib/common.sh"
. "$TOP_SRCDIR/tools/lib/overlay.sh"

exe=$TEST_EXE_DIR/secur32_test.exe
[ -f "$exe" ] || fail "$exe is not built"
files="x86_64-windows/secur32.dll x86_64-unix/secur32.so"
sums() {   # DIR FILES...: sha256 of each file (or MISSING), one line each
    local d=$1 f
    shift
    for f in "$@"; do
        if [ -f "$d/$f" ]; then echo "$(sha256sum <"$d/$f" | cut -c1-64) $f"; else echo "MISSING $f"; fi
    done
}
system_before=$(sums "$WINE_DLLDIR" $files)

# ---- 1. a copy of the Wine installation ------------------------------------------
copy=$TEST_TMPDIR/wine-copy
WS_OURS_DLL64=$WINE_DLLDIR/x86_64-windows/secur32.dll WS_OURS_SO64=$WINE_DLLDIR/x86_64-unix/secur32.so
WS_OURS_DLL32=/nonexistent WS_OURS_SO32=/nonexistent
( ws_build_overlay "$copy" ) || fail "could not mirror the Wine installation"
root=$(ws_wine_root)
dlldir=$copy/${WINE_DLLDIR#"$root"/}
loader=$copy/$(cat "$copy/.bindir")/$(basename "$WINE_LOADER")
# Wine's secur32 files become real copies: install-into-wine must act on them,
# and nothing may lead back to the system's files.
for f in $files; do
    cp --remove-destination "$WINE_DLLDIR/$f" "$dlldir/$f" || fail "cannot copy $f"
    [ -f "$dlldir/$f" ] && [ ! -L "$dlldir/$f" ] || fail "$dlldir/$f is not a regular file"
done
echo "copy of Wine: $copy (dll dir $dlldir, loader $loader)"

identity() {   # EXPECT: module_identity under the copy's loader, prints its summary
    local out
    out=$(WINE_SECUR32_EXPECT=$1 WINETEST_PLATFORM=windows "$loader" "$exe" module_identity 2>&1)
    echo "$out" | grep -E 'secur32 at|tests executed|Test failed'
    grep -qE 'module_identity: [0-9]+ tests executed \(0 marked as todo, 0 failures\)' <<<"$out"
}
into() { make -s -C "$TOP_BUILDDIR" "$1" WINE_DLLDIR="$2"; }

echo "== before: the copy runs Wine's secur32"
identity stock || fail "the copy of Wine does not run Wine's own secur32"
before=$(sums "$dlldir" $files)

echo "== make install-into-wine"
into install-into-wine "$dlldir" || fail "install-into-wine failed"
for f in $files; do
    [ -f "$dlldir/$f.wine-orig" ] || fail "no backup $f.wine-orig"
done
[ "$(sums "$dlldir" x86_64-windows/secur32.dll.wine-orig x86_64-unix/secur32.so.wine-orig | sed 's/\.wine-orig//')" = "$before" ] ||
    fail "the backups are not Wine's files"
cmp "$dlldir/x86_64-windows/secur32.dll" "$BUILD_DIR/x86_64-windows/secur32.dll" || fail "secur32.dll is not ours"
cmp "$dlldir/x86_64-unix/secur32.so" "$BUILD_DIR/x86_64-unix/secur32.so" || fail "secur32.so is not ours"
"$TOP_SRCDIR/tools/install-into-wine" status "$dlldir"

echo "== after install: stock Wine's loader loads our builtin from its own dll dir"
identity ours || fail "Wine did not load our secur32 from its dll directory"

echo "== a second install-into-wine refuses and changes nothing"
installed=$(sums "$dlldir" $files x86_64-windows/secur32.dll.wine-orig x86_64-unix/secur32.so.wine-orig)
into install-into-wine "$dlldir" && fail "a second install-into-wine succeeded"
[ "$(sums "$dlldir" $files x86_64-windows/secur32.dll.wine-orig x86_64-unix/secur32.so.wine-orig)" = "$installed" ] ||
    fail "the refused install changed files"

echo "== make uninstall-from-wine"
into uninstall-from-wine "$dlldir" || fail "uninstall-from-wine failed"
after=$(sums "$dlldir" $files)
echo "$after"
[ "$after" = "$before" ] || fail "not restored byte for byte: before $before, after $after"
ls "$dlldir"/*/secur32.*.wine-orig 2>/dev/null && fail "backups left behind"
identity stock || fail "after uninstall-from-wine the copy does not run Wine's secur32"

echo "== uninstall-from-wine with nothing to restore fails"
into uninstall-from-wine "$dlldir" && fail "uninstall-from-wine without backups succeeded"

# ---- 2. a WoW64-style dll dir: i386-windows/ in the 64-bit tree ---------------------
echo "== fake WoW64 dll dir"
fake=$TEST_TMPDIR/fake-wow64
all="$files i386-windows/secur32.dll"
for f in $all; do
    mkdir -p "$fake/$(dirname "$f")"
    head -c 4096 /dev/urandom >"$fake/$f"
done
# The .so must be an x86-64 library (install-into-wine checks): Wine's own.
cp "$WINE_DLLDIR/x86_64-unix/secur32.so" "$fake/x86_64-unix/secur32.so"
chmod 755 "$fake/x86_64-unix/secur32.so"
before=$(sums "$fake" $all)
modes=$(cd "$fake" && stat -c '%a %n' $all)
into install-into-wine "$fake" || fail "install-into-wine into the fake dir failed"
cmp "$fake/i386-windows/secur32.dll" "$BUILD_DIR/i386-windows/secur32.dll" || fail "i386-windows/secur32.dll is not ours"
[ "$(cd "$fake" && stat -c '%a %n' $all)" = "$modes" ] || fail "file modes changed"

echo "== uninstall refuses to put an old backup over a file that is not ours"
cp "$fake/x86_64-unix/secur32.so" "$TEST_TMPDIR/ours.so"
head -c 100 /dev/urandom >"$fake/x86_64-unix/secur32.so"    # as if Wine was upgraded
into uninstall-from-wine "$fake" && fail "uninstall restored over a file that is not ours"
[ -f "$fake/x86_64-unix/secur32.so.wine-orig" ] || fail "the refused restore removed the backup"
cp "$TEST_TMPDIR/ours.so" "$fake/x86_64-unix/secur32.so"
into uninstall-from-wine "$fake" || fail "uninstall-from-wine from the fake dir failed"
[ "$(sums "$fake" $all)" = "$before" ] || fail "fake dir not restored byte for byte"

echo "== install refuses when a file is ours already (its backup would not be Wine's)"
cp "$BUILD_DIR/x86_64-unix/secur32.so" "$fake/x86_64-unix/secur32.so"
mid=$(sums "$fake" $all)
into install-into-wine "$fake" && fail "install-into-wine over our own file succeeded"
[ "$(sums "$fake" $all)" = "$mid" ] || fail "the refused install changed files"
ls "$fake"/*/*.wine-orig 2>/dev/null && fail "the refused install left backups"

# ---- the system's files -------------------------------------------------------------
[ "$(sums "$WINE_DLLDIR" $files)" = "$system_before" ] || fail "THE SYSTEM'S WINE FILES CHANGED"
echo "system Wine files unchanged"
