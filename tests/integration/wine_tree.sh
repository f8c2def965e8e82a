#!/bin/bash
# Building for a Wine BUILD tree (docs/wine-tree.md):
#  1. `configure --with-wine-tree=DIR` recognises the tree, takes the tree's
#     own winebuild and reports its Wine version (VERSION from Debian's wine
#     source when tools/fetch-wine-test-headers fetched it);
#  2. `make install-into-wine-tree` puts our module where a Wine 8 build tree
#     keeps secur32 (dlls/secur32/x86_64-windows/secur32.dll,
#     dlls/secur32/secur32.so), and Wine's loader STARTED FROM THE TREE loads
#     it (module_identity, also in a child process);
#  3. `make uninstall-from-wine-tree` restores Wine's files byte for byte.
# The tree is assembled from the installed Wine's files in build-tree layout
# (tests/integration/wine_build_tree.bash): compiling all of Wine is out of
# reach for a test run, so Wine's own make rules are not exercised here.
# timeout: 300
. "$TOP_SRCDIR/tests/integration/common.bash"
. "$TOP_BUILDDIR/tools/build.conf"
. "$TOP_SRCDIR/tests/integration/wine_build_tree.bash"

exe=$TEST_EXE_DIR/secur32_test.exe
[ -f "$exe" ] || fail "$exe is not built"
tree=$TEST_TMPDIR/wine-build
files="dlls/secur32/x86_64-windows/secur32.dll dlls/secur32/secur32.so"
sums() { (cd "$1" && sha256sum $files); }

echo "== assembling a Wine 8 build tree in $tree"
make_wine_build_tree "$tree" || fail "could not assemble the build tree"
mkdir -p "$tree/tools/winebuild"
winebuild=$(sed -n "s/^WINEBUILD *= *//p" "$TOP_BUILDDIR/Makefile")
ln -s "$winebuild" "$tree/tools/winebuild/winebuild"
version_file=$BUILD_DIR/wine-source/VERSION
[ -f "$version_file" ] && cp "$version_file" "$tree/VERSION"

echo "== configure --with-wine-tree"
mkdir -p cfg
(cd cfg && "$TOP_SRCDIR/configure" --with-wine-tree="$tree" >configure.out 2>&1) ||
    { cat cfg/configure.out; fail "configure --with-wine-tree failed"; }
grep -i "wine build tree" cfg/configure.out
grep -q "^WINE_TREE *= *$tree\$" cfg/Makefile || fail "configure did not record WINE_TREE"
grep -q "^WINEBUILD *= *$tree/tools/winebuild/winebuild\$" cfg/Makefile || fail "configure did not take the tree's winebuild"
if [ -f "$version_file" ]; then
    v=$(sed -n 's/^Wine version //p' "$version_file")
    grep -q "Wine $v\$" cfg/configure.out || fail "configure did not report Wine $v"
else
    echo "(no $version_file: run tools/fetch-wine-test-headers to check version detection too)"
fi
(cd cfg && "$TOP_SRCDIR/configure" --with-wine-tree="$TEST_TMPDIR/nowhere" >bad.out 2>&1) &&
    fail "configure accepted a directory that is not a Wine tree"
grep "not a Wine build tree" cfg/bad.out || fail "configure did not say why it refused"

identity() {   # EXPECT: module_identity run by the tree's own loader
    local out
    out=$(WINE_SECUR32_EXPECT=$1 WINETEST_PLATFORM=windows "$tree/loader/wine64" "$exe" module_identity 2>&1)
    echo "$out" | grep -E 'secur32 at|tests executed|Test failed'
    grep -qE 'module_identity: [0-9]+ tests executed \(0 marked as todo, 0 failures\)' <<<"$out"
}

echo "== before: the tree runs Wine's secur32"
identity stock || fail "the build tree does not run Wine's own secur32"
before=$(sums "$tree")

echo "== make install-into-wine-tree"
make -s -C "$TOP_BUILDDIR" install-into-wine-tree WINE_TREE="$tree" || fail "install-into-wine-tree failed"
cmp "$tree/dlls/secur32/x86_64-windows/secur32.dll" "$BUILD_DIR/x86_64-windows/secur32.dll" || fail "PE not installed"
cmp "$tree/dlls/secur32/secur32.so" "$BUILD_DIR/x86_64-unix/secur32.so" || fail ".so not installed"
identity ours || fail "the tree's loader did not load our secur32"

echo "== make uninstall-from-wine-tree"
make -s -C "$TOP_BUILDDIR" uninstall-from-wine-tree WINE_TREE="$tree" || fail "uninstall-from-wine-tree failed"
[ "$(sums "$tree")" = "$before" ] || fail "not restored byte for byte"
sums "$tree"
identity stock || fail "after uninstall the tree does not run Wine's secur32"
