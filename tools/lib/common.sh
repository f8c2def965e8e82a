# shellcheck shell=bash
# Shared by tools/wine-secur32, tools/wine-stock and tools/run-tests: reading
# the configured paths, the Wine prefix, and environment defaults.  Sourced,
# never executed.  Functions are prefixed ws_ to stay out of callers' way.

ws_prog=${ws_prog:-$(basename "$0")}
ws_tools_dir=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

# Errors of the wrapper itself use 125 so they cannot be confused with the
# exit status of the program being run (which passes through unchanged).
ws_die() {
    echo "$ws_prog: $*" >&2
    exit 125
}

ws_note() {
    echo "$ws_prog: $*" >&2
}

# Reads the configuration: install.conf next to these scripts when they were
# installed by `make install`, else tools/build.conf (written by ./configure),
# looked up next to these scripts, then in ./tools (make runs us from the
# build directory), unless WINE_SECUR32_BUILD_CONF names one.  Sets
#   WS_MODULE_DIR      holds x86_64-windows/secur32.dll, x86_64-unix/secur32.so ...
#   WS_STATE_DIR       overlay, locks and logs (writable by the current user)
#   WS_DEFAULT_PREFIX  the Wine prefix used when WINEPREFIX is not set
# and, in a build tree, WS_BUILD and WS_SRCDIR.
ws_load_config() {
    local conf=${WINE_SECUR32_BUILD_CONF:-}
    if [ -z "$conf" ]; then
        for conf in "$ws_tools_dir/install.conf" "$ws_tools_dir/build.conf" "$PWD/tools/build.conf"; do
            [ -r "$conf" ] && break
        done
    fi
    [ -r "$conf" ] || ws_die "cannot find tools/build.conf: run ./configure first"
    # shellcheck disable=SC1090
    . "$conf"
    if [ "${ws_installed:-}" = yes ]; then
        # Installed: the modules live next to the scripts (so a DESTDIR staging
        # copy works too); everything written is per user.
        [ -n "${HOME:-}" ] || [ -n "${XDG_CACHE_HOME:-}" ] || ws_die "neither HOME nor XDG_CACHE_HOME is set"
        WS_MODULE_DIR=$ws_tools_dir
        WS_STATE_DIR=${XDG_CACHE_HOME:-$HOME/.cache}/wine-secur32
        WS_DEFAULT_PREFIX=${HOME:-$WS_STATE_DIR}/.wine-secur32
        return 0
    fi
    [ -n "${abs_top_builddir:-}" ] || ws_die "$conf does not set abs_top_builddir"
    WS_BUILD=$abs_top_builddir/build
    WS_SRCDIR=${abs_top_srcdir:-$abs_top_builddir}
    WS_MODULE_DIR=$WS_BUILD WS_STATE_DIR=$WS_BUILD WS_DEFAULT_PREFIX=$WS_BUILD/prefix
}

# Environment shared by both runners.  Anything the user set explicitly wins.
ws_setup_env() {
    export WINEPREFIX=${WINEPREFIX:-$WS_DEFAULT_PREFIX}
    # Wine's own debug channels are noise for test output; WINEDEBUG= (empty)
    # or any other value from the user is respected.
    if [ -z "${WINEDEBUG+set}" ]; then export WINEDEBUG=-all; fi
    # Without this a new or updated prefix offers to download Mono and Gecko
    # (a dialog that blocks headless runs), and winemenubuilder writes desktop
    # entries.  A user-provided WINEDLLOVERRIDES replaces it entirely.
    if [ -z "${WINEDLLOVERRIDES+set}" ]; then
        export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
    fi
    # ntdll recomputes WINELOADER from the binary that runs; a stale value from
    # the caller's environment must not leak into our processes either.
    unset WINELOADER WINESERVERSOCKET
}

# Serialises a critical section across concurrent invocations:
#   ws_lock FILE  ...  ws_unlock
ws_lock() {
    mkdir -p "$(dirname "$1")"
    exec 9>"$1" || ws_die "cannot open lock file $1"
    flock 9 || ws_die "cannot lock $1"
}

ws_unlock() {
    exec 9>&-
}

# Creates the Wine prefix on first use (wineboot -i), with the stock loader so
# that a broken build of ours cannot leave a half-initialised prefix behind.
ws_ensure_prefix() {
    [ -f "$WINEPREFIX/system.reg" ] && return 0
    ws_lock "$WS_STATE_DIR/.prefix.lock"
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
        local log=$WS_STATE_DIR/wineboot.log loader=${WINE_LOADER:-$STOCK_WINE}
        ws_note "creating Wine prefix $WINEPREFIX (first use, takes a few seconds)"
        mkdir -p "$(dirname "$WINEPREFIX")"
        if ! "$loader" wineboot -i >"$log" 2>&1; then
            ws_note "wineboot failed; log follows"
            cat "$log" >&2
            ws_unlock
            exit 125
        fi
        # wineboot returns before the registry is flushed to disk.
        "$WINE_SERVER" -w >>"$log" 2>&1 || true
        [ -f "$WINEPREFIX/system.reg" ] || { cat "$log" >&2; ws_unlock; ws_die "prefix $WINEPREFIX was not created"; }
    fi
    ws_unlock
}

# An existing file argument becomes an absolute path, so that the program can
# be named relative to any working directory; anything else (e.g. "cmd",
# "C:\\path\\x.exe") is passed to Wine unchanged.
ws_program_path() {
    if [ -f "$1" ]; then
        echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
    else
        echo "$1"
    fi
}

# Usage text shared by the two runners; $1 describes which secur32 is used.
ws_usage() {
    cat <<EOF
Usage: $ws_prog PROGRAM.exe [ARGS...]
       $ws_prog --prepare      create the Wine prefix (and overlay) now, run nothing
       $ws_prog --wait-idle    wait until the prefix's Wine processes and server have ended

Runs a Windows program under the system Wine using $1.
The program's exit status is passed through; errors of $ws_prog itself exit 125.

Environment:
  WINEPREFIX        Wine prefix to use (created on first use; default: build/prefix in a
                    build tree, ~/.wine-secur32 when installed)
  WINEDEBUG         default -all
  WINEDLLOVERRIDES  default "mscoree,mshtml=;winemenubuilder.exe=d"
EOF
}
