# Shared helpers for integration scripts (sourced, not run).
# Everything lives in $TEST_TMPDIR; servers started here are killed on exit.

set -u
server_pids=()
cleanup() {
    local pid
    for pid in "${server_pids[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null; done
    wait 2>/dev/null
}
trap cleanup EXIT

skip() { echo "$1"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

# make_pki: a CA (ca.pem), a server certificate for localhost/127.0.0.1
# signed by it (server.pem/server.key), and an expired one with the same key
# (expired.pem, valid during 2019 only).
make_pki() {
    [ -n "$CERTTOOL" ] || skip "certtool not available (gnutls-bin)"
    cat > ca.tmpl <<'T'
cn = "wine-secur32 test CA"
ca
cert_signing_key
expiration_days = 30
T
    cat > server.tmpl <<'T'
cn = "localhost"
dns_name = "localhost"
ip_address = "127.0.0.1"
tls_www_server
signing_key
encryption_key
expiration_days = 30
T
    "$CERTTOOL" --generate-privkey --key-type=ecdsa --outfile ca.key >/dev/null 2>&1 &&
    "$CERTTOOL" --generate-self-signed --load-privkey ca.key --template ca.tmpl --outfile ca.pem >/dev/null 2>&1 &&
    "$CERTTOOL" --generate-privkey --key-type=rsa --bits=2048 --outfile server.key >/dev/null 2>&1 &&
    "$CERTTOOL" --generate-certificate --load-privkey server.key --load-ca-certificate ca.pem \
        --load-ca-privkey ca.key --template server.tmpl --outfile server.pem >/dev/null 2>&1 ||
        fail "certificate generation failed"
    { grep -v expiration_days server.tmpl
      echo 'activation_date = "2019-01-01 00:00:00 UTC"'
      echo 'expiration_date = "2020-01-01 00:00:00 UTC"'; } > expired.tmpl
    "$CERTTOOL" --generate-certificate --load-privkey server.key --load-ca-certificate ca.pem \
        --load-ca-privkey ca.key --template expired.tmpl --outfile expired.pem >/dev/null 2>&1 ||
        fail "expired certificate generation failed"
}

# start_server NAME COMMAND... : starts a TLS server whose command line
# contains the word PORT (replaced by a free port); sets $port once it
# accepts connections on 127.0.0.1.
start_server() {
    local name=$1 try p args arg pid
    shift
    for try in 1 2 3 4 5 6 7 8; do
        p=$(( 20000 + (RANDOM % 20000) ))
        # A port someone already listens on would let the probe below reach
        # their server instead of ours (seen with several suites running).
        if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then continue; fi
        args=()
        for arg in "$@"; do args+=("${arg//PORT/$p}"); done
        "${args[@]}" > "$name.log" 2>&1 &
        pid=$!
        for _ in $(seq 1 50); do
            if ! kill -0 "$pid" 2>/dev/null; then break; fi
            if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
                # Still alive a moment later: it bound the port, not a
                # server that grabbed it between our check and its start.
                sleep 0.2
                kill -0 "$pid" 2>/dev/null || break
                server_pids+=("$pid")
                port=$p
                return 0
            fi
            sleep 0.1
        done
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    cat "$name.log"
    fail "could not start $name"
}

# start_our_server NAME ARGS...: our tls_server.exe (server.pfx, password
# pw, then ARGS) on a free port, output in NAME.log; sets $port and
# $server_pid once it prints that it listens. Wine takes a while to start,
# and a connection probe as in start_server would count as a connection.
start_our_server() {
    local name=$1 try p pid
    shift
    for try in 1 2 3 4; do
        p=$(( 20000 + (RANDOM % 20000) ))
        "$RUN_OURS" "$TEST_EXE_DIR/tls_server.exe" "$p" server.pfx pw "$@" > "$name.log" 2>&1 &
        pid=$!
        for _ in $(seq 1 600); do
            grep -q "^listening on" "$name.log" && { server_pids+=("$pid"); server_pid=$pid; port=$p; return 0; }
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    cat "$name.log"
    fail "could not start our server ($name)"
}

# trust_ca PEM: makes the CA trusted in the shared prefix (current user's
# Root store), then waits for the prefix's wineserver to end, so the entry is
# saved before a later program can start a server of its own.
trust_ca() {
    "$RUN_OURS" "$TEST_EXE_DIR/trust_ca.exe" add "$1" || fail "could not trust $1"
    "$RUN_OURS" --wait-idle || true
}

# expect_ok DESCRIPTION COMMAND... : runs a command, fails the script if it fails.
expect_ok() {
    local what=$1
    shift
    echo "--- $what"
    "$@" || fail "$what"
}
