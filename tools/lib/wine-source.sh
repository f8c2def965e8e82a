# shellcheck shell=bash disable=SC2034
# The few files of Wine's source the tests use, from Debian's `wine` source
# package, downloaded once per user and kept outside the tree: Wine's test
# harness (include/wine/test.h, include/wine/debug.h), its VERSION file and
# its secur32 conformance tests (dlls/secur32/tests/).  Used by
# tools/fetch-wine-test-headers and tools/run-wine-suite.  Sourced, never
# executed; the files stay in the cache (they are Wine's, never committed).
#
#   ws_wine_source --download | --no-download
#       On success sets WS_WINE_SOURCE to a directory holding
#       include/wine/{test,debug}.h, VERSION and dlls/secur32/tests/*, and
#       WS_WINE_SOURCE_VERSION to the Debian source version (or "local");
#       returns 0.  Otherwise sets WS_WINE_SOURCE_WHY to the reason and
#       returns 1.  Progress goes to stderr.
#
# Environment:
#   WINE_SECUR32_WINE_SOURCE  a Wine source tree to use as it is (no download)
#   XDG_CACHE_HOME, HOME      the cache is ${XDG_CACHE_HOME:-~/.cache}/wine-secur32/wine-source
#
# Fetching: `apt-get source --download-only wine` (the installed Wine's
# version first, else the newest the sources offer).  Without a deb-src entry
# and as root, one is added for Debian's archive (suite from /etc/os-release,
# the keyring of Debian's own entries) and only that source is updated.  The
# downloaded archives are deleted once the files are extracted.

ws_wine_source_dir() {
    if [ -n "${XDG_CACHE_HOME:-}" ]; then
        echo "$XDG_CACHE_HOME/wine-secur32/wine-source"
    elif [ -n "${HOME:-}" ]; then
        echo "$HOME/.cache/wine-secur32/wine-source"
    else
        return 1
    fi
}

# A directory has what we need.
ws_wine_source_complete() {
    [ -f "$1/include/wine/test.h" ] && [ -f "$1/include/wine/debug.h" ] && [ -f "$1/VERSION" ] &&
        [ -f "$1/dlls/secur32/tests/Makefile.in" ]
}

ws_wine_source() {
    local no_download=0 dir stamp tmp
    [ "${1:-}" = --no-download ] && no_download=1
    WS_WINE_SOURCE='' WS_WINE_SOURCE_VERSION='' WS_WINE_SOURCE_WHY=''
    if [ -n "${WINE_SECUR32_WINE_SOURCE:-}" ]; then
        if ws_wine_source_complete "$WINE_SECUR32_WINE_SOURCE"; then
            WS_WINE_SOURCE=$WINE_SECUR32_WINE_SOURCE WS_WINE_SOURCE_VERSION=local
            return 0
        fi
        WS_WINE_SOURCE_WHY="WINE_SECUR32_WINE_SOURCE=$WINE_SECUR32_WINE_SOURCE lacks include/wine/test.h, include/wine/debug.h, VERSION or dlls/secur32/tests/"
        return 1
    fi
    dir=$(ws_wine_source_dir) || { WS_WINE_SOURCE_WHY="neither XDG_CACHE_HOME nor HOME is set (no cache directory)"; return 1; }
    stamp=$dir/.debian-version
    if [ -f "$stamp" ] && ws_wine_source_complete "$dir"; then
        WS_WINE_SOURCE=$dir WS_WINE_SOURCE_VERSION=$(cat "$stamp")
        return 0
    fi
    if [ "$no_download" = 1 ]; then
        WS_WINE_SOURCE_WHY="Wine's source is not in $dir (not downloaded yet)"
        return 1
    fi
    mkdir -p "$(dirname "$dir")" || { WS_WINE_SOURCE_WHY="cannot create $(dirname "$dir")"; return 1; }
    # One download at a time per user; whoever waited finds it done.
    (
        flock 8 || exit 1
        if [ -f "$stamp" ] && ws_wine_source_complete "$dir"; then exit 0; fi
        tmp=$(mktemp -d "$dir.download.XXXXXX") || exit 1
        trap 'rm -rf "$tmp"' EXIT
        ws_wine_source_fetch_into "$tmp" "$dir"
    ) 8>"$dir.lock" || {
        WS_WINE_SOURCE_WHY=$(cat "$dir.why" 2>/dev/null)
        WS_WINE_SOURCE_WHY=${WS_WINE_SOURCE_WHY:-could not download Wine\'s source}
        rm -f "$dir.why"
        return 1
    }
    rm -f "$dir.why"
    WS_WINE_SOURCE=$dir WS_WINE_SOURCE_VERSION=$(cat "$stamp")
}

# ws_wine_source_fetch_into TMP DIR (in a subshell, under the lock): downloads
# into TMP, extracts, replaces DIR.  On failure writes the reason to DIR.why.
ws_wine_source_fetch_into() {
    local tmp=$1 dir=$2 installed orig top_dir version
    why() { echo "$*" >"$dir.why"; echo "wine-source: $*" >&2; exit 1; }
    command -v apt-get >/dev/null || why "apt-get not found: Wine's source comes from Debian's wine source package (or set WINE_SECUR32_WINE_SOURCE to a Wine source tree)"
    command -v xz >/dev/null || why "xz not found (Debian package xz-utils), needed to unpack Wine's source"
    echo "wine-source: downloading Debian's wine source package (about 85 MB, once) into $dir" >&2
    installed=$(dpkg-query -W -f '${source:Version}' wine 2>/dev/null)
    if ! ws_wine_source_download "$tmp" "$installed"; then
        [ "$(id -u)" = 0 ] || {
            ws_wine_source_has_deb_src ||
                why "no deb-src entry in APT's sources, so \`apt-get source wine\` cannot work; as root, tools/fetch-wine-test-headers adds one (or add a deb-src line for your Debian suite and run apt-get update)"
            why "\`apt-get source --download-only wine\` failed: $(ws_wine_source_apt_errors "$tmp")"
        }
        if ws_wine_source_has_deb_src; then
            # The entry may be there without its lists (never updated).
            echo "wine-source: apt-get update" >&2
            timeout 600 apt-get update -q >&2
        else
            ws_wine_source_add_deb_src || why "could not add a deb-src entry and update it (no network?)"
        fi
        ws_wine_source_download "$tmp" "$installed" ||
            why "\`apt-get source --download-only wine\` failed (no network?): $(ws_wine_source_apt_errors "$tmp")"
    fi
    local found=("$tmp"/wine_*.orig.tar.*) dsc=("$tmp"/wine_*.dsc)
    orig=${found[0]}
    [ -f "$orig" ] || why "apt-get source wine left no wine_*.orig.tar.* in $tmp"
    version=$(basename "${dsc[0]}" .dsc)
    version=${version#wine_}
    top_dir=$(tar tf "$orig" 2>/dev/null | head -n 1 | cut -d/ -f1)
    [ -n "$top_dir" ] || why "cannot read $orig"
    echo "wine-source: extracting the test harness and dlls/secur32/tests from $(basename "$orig")" >&2
    tar xf "$orig" -C "$tmp" --wildcards "$top_dir/include/wine/test.h" "$top_dir/include/wine/debug.h" \
        "$top_dir/VERSION" "$top_dir/dlls/secur32/tests/*" ||
        why "could not extract the files from $orig"
    ws_wine_source_complete "$tmp/$top_dir" || why "$orig lacks some of the files"
    echo "$version" >"$tmp/$top_dir/.debian-version"
    rm -rf "$dir" || why "could not remove the old $dir"
    mv "$tmp/$top_dir" "$dir" || why "could not move the files into $dir"
    echo "wine-source: Wine's source $version is in $dir" >&2
}

# Downloads the source package into $1 (the installed version $2 if it can,
# else the newest); apt's output in $1/apt.log.
ws_wine_source_download() {
    local rc=1
    if [ -n "$2" ]; then
        (cd "$1" && timeout 900 apt-get source -q --download-only "wine=$2") >"$1/apt.log" 2>&1 && rc=0
    fi
    if [ $rc != 0 ]; then
        (cd "$1" && timeout 900 apt-get source -q --download-only wine) >>"$1/apt.log" 2>&1 && rc=0
    fi
    return $rc
}

# The first error apt printed.
ws_wine_source_apt_errors() {
    grep -m 1 -E '^E:' "$1/apt.log" 2>/dev/null | sed -E 's/^E: *//; s/  +/: /'
}

ws_wine_source_has_deb_src() {
    grep -rqsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/
}

# As root: a deb-src entry for Debian's archive, then an update of that one
# source only (other sources' lists stay as they are).
ws_wine_source_add_deb_src() {
    local codename id file=/etc/apt/sources.list.d/wine-secur32-deb-src.sources
    id=$(. /etc/os-release && echo "${ID:-}")
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    if [ "$id" != debian ] || [ -z "$codename" ]; then
        echo "wine-source: not Debian ($id $codename): add a deb-src entry for the wine source package yourself" >&2
        return 1
    fi
    echo "wine-source: adding $file (deb-src, $codename) and updating it" >&2
    printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$codename" >"$file" || return 1
    timeout 600 apt-get update -q -o Dir::Etc::SourceList="$file" -o Dir::Etc::SourceParts=- \
        -o APT::Get::List-Cleanup=0 >&2
}
