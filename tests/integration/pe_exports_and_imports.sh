# The drop-in promise, checked on the built files:
# - our secur32.dll (x86_64 and i686) exports every name (and the numbered
#   ordinals) of the installed Wine's secur32.dll;
# - it imports only DLLs Wine ships (no libstdc++, libgcc, winpthread);
# - it is marked as a Wine builtin;
# - secur32.so exports the unixlib tables.
. "$TOP_SRCDIR/tests/integration/common.bash"
. "$TOP_BUILDDIR/tools/build.conf"
command -v winedump >/dev/null || skip "winedump not available (wine64-tools)"
objdump=$(command -v x86_64-w64-mingw32-objdump || command -v objdump)

exports() {  # name list (and "@ordinal name" for numbered ones) of a PE
    winedump -j export "$1" | awk '/^ +[0-9A-F]+ +[0-9]+ /{print $3}' | sort -u
}
wine_dll="$WINE_DLLDIR/x86_64-windows/secur32.dll"
[ -f "$wine_dll" ] || skip "no Wine secur32.dll at $wine_dll"
exports "$wine_dll" > wine.exports
[ -s wine.exports ] || fail "could not list Wine's exports"

status=0
for arch in x86_64-windows i386-windows; do
    ours="$BUILD_DIR/$arch/secur32.dll"
    [ -f "$ours" ] || fail "$ours not built"
    exports "$ours" > ours.$arch.exports
    missing=$(comm -23 wine.exports ours.$arch.exports)
    if [ -n "$missing" ]; then echo "$arch misses exports: $missing"; status=1; fi
    echo "$arch: $(wc -l < ours.$arch.exports) exports, Wine has $(wc -l < wine.exports)"
    for n in 1:SecDeleteUserModeContext 2:SecInitUserModeContext; do
        winedump -j export "$ours" | grep -Eq "^ +[0-9A-F]+ +${n%%:*} +${n#*:}\$" ||
            { echo "$arch: ${n#*:} is not ordinal ${n%%:*}"; status=1; }
    done
    imports=$("$objdump" -p "$ours" | awk '/DLL Name:/{print tolower($3)}' | sort -u | tr '\n' ' ')
    echo "$arch imports: $imports"
    for dll in $imports; do
        case $dll in
            libstdc++*|libgcc*|libwinpthread*) echo "$arch imports $dll"; status=1; continue ;;
        esac
        [ -f "$WINE_DLLDIR/x86_64-windows/$dll" ] || { echo "$arch imports $dll, which Wine does not ship"; status=1; }
    done
    grep -aq "Wine builtin DLL" "$ours" || { echo "$arch: not marked as a Wine builtin"; status=1; }
done
for table in __wine_unix_call_funcs __wine_unix_call_wow64_funcs; do
    nm -D --defined-only "$BUILD_DIR/x86_64-unix/secur32.so" | grep -q " $table\$" ||
        { echo "secur32.so does not export $table"; status=1; }
done
[ $status = 0 ] || fail "drop-in checks failed"
echo "exports are a superset of Wine's; imports are Wine's own dlls"
