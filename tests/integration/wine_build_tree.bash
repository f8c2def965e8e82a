# Sourced by tests/integration/wine_tree.sh (not a test itself: no .sh).
#
# make_wine_build_tree OUT: assembles, from the installed Wine 8 (build.conf's
# WINE_DLLDIR, WINE_LOADER, WINE_SERVER), a directory laid out like a built
# Wine 8 BUILD tree, the layout Wine's loader uses when started from a build
# tree (loader/wine64 finds ../dlls/ntdll/ntdll.so; ntdll then takes every
# module from dlls/NAME/x86_64-windows/NAME.dll + dlls/NAME/NAME.so and
# programs/NAME/x86_64-windows/NAME.exe, nls/ and fonts/ from the tree):
#   loader/wine64, server/wineserver, dlls/ntdll/ntdll.so   copies
#   dlls/secur32/x86_64-windows/secur32.dll, dlls/secur32/secur32.so
#                                                           copies (we replace them)
#   everything else                                         symlinks
# Building Wine itself takes hours; this is the part of a build tree that
# `make install-into-wine-tree` and the loader's build-tree lookup depend on.
make_wine_build_tree() {
    local out=$1 pe64=$WINE_DLLDIR/x86_64-windows unix64=$WINE_DLLDIR/x86_64-unix f name base dir share
    share=$(cd "$(dirname "$WINE_LOADER")/../../share/wine" 2>/dev/null && pwd) || share=/usr/share/wine
    mkdir -p "$out/loader" "$out/server" "$out/dlls/ntdll" "$out/programs" || return 1
    cp "$WINE_LOADER" "$out/loader/wine64" && cp "$WINE_SERVER" "$out/server/wineserver" &&
        cp "$unix64/ntdll.so" "$out/dlls/ntdll/ntdll.so" || return 1
    ln -s "$share/wine.inf" "$out/loader/wine.inf"
    ln -s "$share/nls" "$out/nls"
    ln -s "$share/fonts" "$out/fonts"
    for f in "$pe64"/*; do
        name=$(basename "$f")
        case $name in
            *.a) continue ;;
            *.exe) base=${name%.exe} dir=$out/programs/$base ;;
            *.dll) base=${name%.dll} dir=$out/dlls/$base ;;
            *) base=${name%.*} dir=$out/dlls/$name ;;
        esac
        mkdir -p "$dir/x86_64-windows"
        ln -s "$f" "$dir/x86_64-windows/$name"
        if [ -f "$unix64/$base.so" ] && [ "$base" != ntdll ]; then ln -s "$unix64/$base.so" "$dir/$base.so"; fi
    done
    rm -f "$out/dlls/secur32/x86_64-windows/secur32.dll" "$out/dlls/secur32/secur32.so"
    cp "$pe64/secur32.dll" "$out/dlls/secur32/x86_64-windows/secur32.dll" &&
        cp "$unix64/secur32.so" "$out/dlls/secur32/secur32.so"
}
