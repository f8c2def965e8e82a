# shellcheck shell=bash
# The private Wine overlay that makes every process of a run load OUR
# secur32 instead of Wine's (see docs: /work/shared/NOTES.md §2).  Sourced by
# tools/wine-secur32 and tools/run-tests after lib/common.sh.
#
# Why an overlay: for a dll Wine itself ships, its builtin directory wins over
# WINEDLLPATH, and native overrides cannot use a unixlib.  But ntdll.so finds
# everything relative to where the running binaries really are:
#   - the loader's directory (realpath of /proc/self/exe) gives the wineserver
#     it starts, the loader for child processes, and ../../share/wine;
#   - ntdll.so's real directory gives the dll directory (…/wine/x86_64-windows,
#     …/wine/x86_64-unix), used as plain path strings afterwards.
# So the overlay mirrors the Wine installation with COPIES of the loader,
# wineserver and ntdll.so (anchoring those lookups in the overlay), symlinks to
# everything else, and symlinks to our build outputs in place of secur32.
#
# Layout (Debian's, other layouts keep their own relative positions):
#   O/lib/wine/wine64, O/lib/wine/wineserver           copies
#   O/lib/x86_64-linux-gnu/wine/x86_64-unix/ntdll.so   copy
#   O/lib/x86_64-linux-gnu/wine/*/*                    symlinks to the system files
#   O/lib/x86_64-linux-gnu/wine/x86_64-windows/secur32.dll -> build/x86_64-windows/secur32.dll
#   O/lib/x86_64-linux-gnu/wine/x86_64-unix/secur32.so     -> build/x86_64-unix/secur32.so
#   O/share/wine -> /usr/share/wine
# Because ours are symlinks, a rebuild is picked up without touching the overlay.

# Bump when the layout logic changes, so existing overlays get rebuilt.
WS_OVERLAY_LAYOUT=4

# Our module files; overridable to try the mechanism with other files.
ws_our_files() {
    WS_OURS_DLL64=${WINE_SECUR32_DLL64:-$WS_MODULE_DIR/x86_64-windows/secur32.dll}
    WS_OURS_SO64=${WINE_SECUR32_SO64:-$WS_MODULE_DIR/x86_64-unix/secur32.so}
    WS_OURS_DLL32=${WINE_SECUR32_DLL32:-$WS_MODULE_DIR/i386-windows/secur32.dll}
    WS_OURS_SO32=${WINE_SECUR32_SO32:-$WS_MODULE_DIR/i386-unix/secur32.so}
    WS_OVERLAY=${WINE_SECUR32_OVERLAY:-$WS_STATE_DIR/overlay}
}

# The directory that holds share/wine and, below it, the loader and dlls.
ws_wine_root() {
    local d=$WINE_DLLDIR
    while [ "$d" != / ] && [ -n "$d" ]; do
        d=$(dirname "$d")
        if [ -d "$d/share/wine" ]; then echo "$d"; return 0; fi
    done
    return 1
}

# The 32-bit Wine tree of a multiarch install (Debian: …/i386-linux-gnu/wine),
# if there is one.  WoW64 builds instead keep i386-windows in the 64-bit tree.
ws_wine_dlldir32() {
    local d=${WINE_DLLDIR/x86_64-linux-gnu/i386-linux-gnu}
    [ "$d" != "$WINE_DLLDIR" ] && [ -d "$d/i386-unix" ] && echo "$d"
}

# Changes whenever the system Wine, the layout logic or the chosen module
# files change; stored in the overlay and compared on every run.
ws_overlay_fingerprint() {
    local d32 dir
    d32=$(ws_wine_dlldir32)
    echo "layout $WS_OVERLAY_LAYOUT"
    echo "ours $WS_OURS_DLL64 $WS_OURS_SO64 $WS_OURS_DLL32 $WS_OURS_SO32"
    # Whether the 32-bit pair exists decides what the 32-bit tree gets.
    [ -f "$WS_OURS_DLL32" ] && echo "have dll32"
    [ -f "$WS_OURS_SO32" ] && echo "have so32"
    stat -L -c '%n %s %Y %i' "$WINE_LOADER" "$WINE_SERVER" "$WINE_DLLDIR"/*-unix/ntdll.so \
        "$(dirname "$WINE_LOADER")"/wine 2>/dev/null
    for dir in "$WINE_DLLDIR" ${d32:+"$d32"}; do
        (cd "$dir" && ls -1R) | cksum
    done
}

# Mirrors one Wine dll tree $1 (below root $2) into overlay $3: a tree of
# symlinks, except ntdll.so, which is copied (see above).  The remaining
# arguments are "arch_dir:our_file" pairs putting our secur32 files in place.
ws_mirror_tree() {
    local tree=$1 root=$2 out=$3 pair dir ours target so
    shift 3
    case $tree in "$root"/*) ;; *) ws_die "$tree is not below $root" ;; esac
    local dst=$out/${tree#"$root"/}
    mkdir -p "$dst"
    # cp -s makes absolute symlinks to each file, recreating directories.
    cp -Rs "$tree/." "$dst/" || ws_die "cannot mirror $tree"
    for so in "$dst"/*-unix/ntdll.so; do
        [ -L "$so" ] || continue
        rm -f "$so"
        cp -p "$tree/${so#"$dst"/}" "$so" || ws_die "cannot copy ntdll.so"
    done
    for pair in "$@"; do
        dir=${pair%%:*} ours=${pair#*:}
        [ -d "$dst/$dir" ] || continue
        case $dir in *-unix) target=secur32.so ;; *) target=secur32.dll ;; esac
        rm -f "$dst/$dir/$target"
        ln -s "$ours" "$dst/$dir/$target"
    done
}

# Builds a complete overlay into directory $1.
ws_build_overlay() {
    local out=$1 root rel d32 bindir
    root=$(ws_wine_root) || ws_die "cannot find share/wine above $WINE_DLLDIR"
    case $WINE_LOADER in "$root"/*) ;; *) ws_die "loader $WINE_LOADER is not below $root" ;; esac

    # Loader and wineserver: copies, so that realpath(/proc/self/exe) is here.
    bindir=$(dirname "$WINE_LOADER")
    rel=${bindir#"$root"/}
    mkdir -p "$out/$rel"
    cp -p "$WINE_LOADER" "$out/$rel/"
    # Debian's wineserver is a script exec'ing wineserver64 by absolute path,
    # which is fine: the protocol is the same, only the path lookup matters.
    cp -p "$WINE_SERVER" "$out/$rel/wineserver"
    # A 32-bit loader, if installed, is started by wine64 for 32-bit programs.
    if [ -f "$bindir/wine" ] && [ ! -L "$bindir/wine" ] && head -c 4 "$bindir/wine" | grep -q ELF; then
        cp -p "$bindir/wine" "$out/$rel/"
    fi

    # 64-bit tree.  A WoW64-style i386-windows dir in it gets our i686 PE if built.
    local pairs=("x86_64-windows:$WS_OURS_DLL64" "x86_64-unix:$WS_OURS_SO64")
    [ -f "$WS_OURS_DLL32" ] && [ ! -d "$(ws_wine_dlldir32)" ] && pairs+=("i386-windows:$WS_OURS_DLL32")
    ws_mirror_tree "$WINE_DLLDIR" "$root" "$out" "${pairs[@]}"

    # Separate 32-bit tree (multiarch): our PE there needs our 32-bit unix lib
    # too; without both, 32-bit processes keep Wine's pair (module_identity
    # then reports it honestly).
    d32=$(ws_wine_dlldir32)
    if [ -n "$d32" ]; then
        if [ -f "$WS_OURS_DLL32" ] && [ -f "$WS_OURS_SO32" ]; then
            ws_mirror_tree "$d32" "$root" "$out" "i386-windows:$WS_OURS_DLL32" "i386-unix:$WS_OURS_SO32"
        else
            ws_mirror_tree "$d32" "$root" "$out"
        fi
    fi

    mkdir -p "$out/share"
    ln -s "$root/share/wine" "$out/share/wine"
    dirname "${WINE_LOADER#"$root"/}" >"$out/.bindir"
}

# Makes sure $WS_OVERLAY is current; sets WS_OVERLAY_LOADER.  Safe against
# concurrent callers: building happens under a lock, in a scratch directory
# that is renamed into place, so nobody ever sees a half-built overlay.
ws_ensure_overlay() {
    local fp tmp old
    ws_our_files
    fp=$(ws_overlay_fingerprint)
    if [ "$(cat "$WS_OVERLAY/.fingerprint" 2>/dev/null)" != "$fp" ]; then
        ws_lock "$WS_OVERLAY.lock"
        if [ "$(cat "$WS_OVERLAY/.fingerprint" 2>/dev/null)" != "$fp" ]; then
            mkdir -p "$(dirname "$WS_OVERLAY")"
            tmp=$(mktemp -d "$WS_OVERLAY.new.XXXXXX") || ws_die "cannot create a scratch dir next to $WS_OVERLAY"
            chmod 755 "$tmp"
            ( ws_build_overlay "$tmp" ) || { rm -rf "$tmp"; ws_unlock; ws_die "building the overlay failed"; }
            echo "$fp" >"$tmp/.fingerprint"
            if [ -e "$WS_OVERLAY" ]; then
                old=$WS_OVERLAY.old.$$
                mv "$WS_OVERLAY" "$old"
            fi
            mv "$tmp" "$WS_OVERLAY"
            [ -n "${old:-}" ] && rm -rf "$old"
        fi
        ws_unlock
    fi
    WS_OVERLAY_LOADER=$WS_OVERLAY/$(cat "$WS_OVERLAY/.bindir")/$(basename "$WINE_LOADER")
    [ -x "$WS_OVERLAY_LOADER" ] || ws_die "overlay loader $WS_OVERLAY_LOADER missing"
}
