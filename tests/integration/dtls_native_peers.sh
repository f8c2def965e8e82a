# Our Schannel DTLS 1.2 client (tests/programs/dtls_client.c: UDP socket,
# ISC_REQ_DATAGRAM, one datagram per call, its own retransmission timer)
# against native peers on 127.0.0.1: gnutls-serv --udp --echo (data both
# ways, verified; default MTU, SECBUFFER_DTLS_MTU 600, SCH_CREDENTIALS
# defaults, a lost handshake datagram) and openssl s_server -dtls1_2 (the
# server prints what it received).
# timeout: 240
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
echo "all DTLS native-peer cases passed"
