# Session resumption through the credential's session cache (TLS 1.2 and
# TLS 1.3), SECPKG_ATTR_SESSION_INFO's reconnect flag, SCHANNEL_SESSION
# with SSL_SESSION_DISABLE_RECONNECTS, and ALPN (offered through
# SECBUFFER_APPLICATION_PROTOCOLS, read back with
# SECPKG_ATTR_APPLICATION_PROTOCOL), against gnutls-serv.
# timeout: 240
. "$TOP_SRCDIR/tests/integration/common.bash"
[ -n "$GNUTLS_SERV" ] || skip "gnutls-serv not available (gnutls-bin)"
make_pki
client="$TEST_EXE_DIR/tls_echo_client.exe"
start_server alpn-server "$GNUTLS_SERV" --echo --alpn=h2 --alpn=http/1.1 -p PORT \
    --x509certfile server.pem --x509keyfile server.key

check() {  # check DESCRIPTION PATTERN... -- CLIENT ARGS...
    local what=$1 out pattern patterns=()
    shift
    while [ "$1" != -- ]; do patterns+=("$1"); shift; done
    shift
    out=$("$RUN_OURS" "$client" 127.0.0.1 "$port" localhost --manual --bytes 1000 "$@") || { echo "$out"; fail "$what: client failed"; }
    for pattern in "${patterns[@]}"; do
        grep -q "$pattern" <<< "$out" || { echo "$out"; fail "$what: expected '$pattern'"; }
    done
    echo "ok: $what"
}

check "TLS 1.2 resumes on the same credential" "TLS 1.2" "connection 1: full handshake" \
    "connection 2: resumed" "connection 3: resumed" -- --connections 3
check "TLS 1.3 resumes with the server's ticket" "TLS 1.3" "connection 1: full handshake" \
    "connection 2: resumed" -- --sch-credentials --connections 2
check "SSL_SESSION_DISABLE_RECONNECTS keeps the session out of the cache" \
    "connection 2: full handshake" -- --connections 2 --disable-reconnects
check "ALPN: server's choice among the offered protocols" "alpn: h2" -- --alpn h2,http/1.1
check "ALPN: the one protocol offered" "alpn: http/1.1" -- --alpn http/1.1
check "ALPN over TLS 1.3" "alpn: h2" "TLS 1.3" -- --alpn h2 --sch-credentials
check "no ALPN offered, none negotiated" "alpn: none" --

# A server that insists on a protocol we do not offer ends the handshake.
start_server alpn-fatal "$GNUTLS_SERV" --echo --alpn=h2 --alpn-fatal -p PORT \
    --x509certfile server.pem --x509keyfile server.key
out=$("$RUN_OURS" "$client" 127.0.0.1 "$port" localhost --manual --bytes 100 --alpn spdy/1) &&
    { echo "$out"; fail "handshake succeeded although the server requires h2"; }
echo "$out"
grep -q "InitializeSecurityContext failed" <<< "$out" || fail "ALPN mismatch did not fail the handshake cleanly"
echo "ok: ALPN mismatch fails the handshake"
