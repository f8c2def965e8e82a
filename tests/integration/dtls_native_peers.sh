# Our Schannel DTLS 1.2 client (tests/programs/dtls_client.c: UDP socket,
# ISC_REQ_DATAGRAM, one datagram per call, its own retransmission timer)
# against native peers on 127.0.0.1: gnutls-serv --udp --echo (data both
# ways, verified; default MTU, SECBUFFER_DTLS_MTU 600, SCH_CREDENTIALS
# defaults, a lost handshake datagram) and openssl s_server -dtls1_2 (the
# server prints what it received); and our DTLS server
# (tests/programs/dtls_server.c: HelloVerifyRequest bound to the client's
# address, echo) against gnutls-cli --udp and openssl s_client -dtls1_2.
# timeout: 280
. "$TOP_SRCDIR/tests/integration/common.bash"
[ -n "$GNUTLS_SERV" ] || skip "gnutls-serv not available (gnutls-bin)"
make_pki
client="$TEST_EXE_DIR/dtls_client.exe"

# start_udp_server NAME COMMAND... : like start_server, for a UDP server
# (nothing to connect to: wait until the port shows up bound).
start_udp_server() {
    local name=$1 try p args arg pid
    shift
    for try in 1 2 3 4 5 6; do
        p=$(( 20000 + (RANDOM % 20000) ))
        ss -Huln "sport = :$p" 2>/dev/null | grep -q . && continue
        args=()
        for arg in "$@"; do args+=("${arg//PORT/$p}"); done
        # openssl s_server ends at the end of its stdin: a FIFO this shell
        # holds open never ends.
        [ -p stdin.fifo ] || mkfifo stdin.fifo
        exec 4<> stdin.fifo
        "${args[@]}" < stdin.fifo > "$name.log" 2>&1 &
        pid=$!
        for _ in $(seq 1 50); do
            if ss -Huln "sport = :$p" 2>/dev/null | grep -q .; then
                server_pids+=("$pid")
                port=$p
                return 0
            fi
            sleep 0.1
        done
        kill "$pid" 2>/dev/null
    done
    cat "$name.log"
    fail "could not start $name"
}

start_udp_server gnutls-serv "$GNUTLS_SERV" --udp --echo -p PORT --x509certfile server.pem --x509keyfile server.key
out=$("$RUN_OURS" "$client" 127.0.0.1 "$port" --echo --messages 20) || { echo "$out"; fail "gnutls-serv, default MTU"; }
echo "$out"
grep -q "DTLS 1.2" <<< "$out" || fail "gnutls-serv: not DTLS 1.2"
grep -q "20 messages sent and echoed back intact" <<< "$out" || fail "gnutls-serv: echo"
grep -q "header 21 trailer 16" <<< "$out" || fail "gnutls-serv: STREAM_SIZES for AES-GCM"
expect_ok "gnutls-serv, SECBUFFER_DTLS_MTU 600" "$RUN_OURS" "$client" 127.0.0.1 "$port" --echo --messages 5 --mtu 600
expect_ok "gnutls-serv, SCH_CREDENTIALS without protocol bits" \
    "$RUN_OURS" "$client" 127.0.0.1 "$port" --echo --messages 5 --sch-credentials
# The server's first flight loses a datagram: the handshake completes
# through retransmission (ours on a timer call, or the server's).
out=$("$RUN_OURS" "$client" 127.0.0.1 "$port" --echo --messages 5 --mtu 600 --drop 2) ||
    { echo "$out"; fail "gnutls-serv, a lost handshake datagram"; }
echo "$out"
grep -q "dropped handshake datagram 2" <<< "$out" || fail "nothing was dropped"

if command -v openssl > /dev/null; then
    start_udp_server openssl-s_server openssl s_server -dtls1_2 -accept 127.0.0.1:PORT -cert server.pem -key server.key
    expect_ok "openssl s_server -dtls1_2" "$RUN_OURS" "$client" 127.0.0.1 "$port" --messages 3 --mtu 600
    sleep 0.5
    for i in 0 1 2; do
        grep -q "DTLS message $i through Schannel" openssl-s_server.log ||
            { cat openssl-s_server.log; fail "openssl s_server did not receive message $i"; }
    done
else
    echo "openssl not available: s_server case skipped"
fi
# Our server: gnutls-cli --udp, then openssl s_client -dtls1_2, each sends a
# line and must get it back.
[ -n "${OPENSSL:-}" ] || OPENSSL=$(command -v openssl) || true
if [ -n "$OPENSSL" ] && GNUTLS_CLI=$(command -v gnutls-cli); then
    "$OPENSSL" pkcs12 -export -inkey server.key -in server.pem -certfile ca.pem -passout pass:pw -out server.pfx ||
        fail "PFX export failed"
    p=$(( 20000 + (RANDOM % 20000) ))
    "$RUN_OURS" "$TEST_EXE_DIR/dtls_server.exe" "$p" server.pfx pw --count 2 > ours.log 2>&1 &
    ours=$!
    server_pids+=("$ours")
    for _ in $(seq 1 600); do grep -q "^listening on" ours.log && break; sleep 0.1; done
    grep -q "^listening on" ours.log || { cat ours.log; fail "our DTLS server did not start"; }
    { echo "hello from gnutls-cli"; sleep 3; } |
        timeout 30 "$GNUTLS_CLI" --udp --insecure -p "$p" 127.0.0.1 > gnutls-cli.out 2>&1
    cat gnutls-cli.out
    grep -q "DTLS1.2" gnutls-cli.out || fail "gnutls-cli: no DTLS 1.2 handshake with our server"
    [ "$(grep -c "hello from gnutls-cli" gnutls-cli.out)" -ge 1 ] || fail "gnutls-cli: no echo"
    { echo "hello from openssl"; sleep 3; } |
        timeout 30 "$OPENSSL" s_client -dtls1_2 -connect "127.0.0.1:$p" -ign_eof > s_client.out 2>&1 &
    client=$!
    sleep 5
    kill "$client" 2>/dev/null
    wait "$client" 2>/dev/null
    grep -q "hello from openssl" s_client.out || { cat s_client.out; fail "openssl s_client: no echo"; }
    grep -q "Protocol *: DTLSv1.2" s_client.out || { cat s_client.out; fail "openssl s_client: not DTLS 1.2"; }
    sleep 1
    cat ours.log
    grep -q "connection 1: ok DTLS1.2" ours.log || fail "our server: first connection"
    grep -q "received: hello from gnutls-cli" ours.log || fail "our server did not receive gnutls-cli's line"
    grep -q "connection 1: closed" ours.log || fail "our server: gnutls-cli's close_notify"
    grep -q "received: hello from openssl" ours.log || fail "our server did not receive openssl's line"
else
    echo "gnutls-cli or openssl not available: server cases skipped"
fi
echo "all DTLS native-peer cases passed"
