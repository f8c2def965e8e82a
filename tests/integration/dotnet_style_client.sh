# timeout: 300
# tests/programs/dotnet_style_client.c drives Schannel the way .NET's
# SslStream does (package by its long name, SCH_CREDENTIALS with
# SCH_SEND_AUX_RECORD and an empty CRYPTO_SETTINGS array, ISC without
# ISC_REQ_STREAM and with a 0-byte first token, SCHANNEL_SESSION
# disable-reconnects, one record per DecryptMessage with the DATA buffer
# found by scanning, 0-byte EncryptMessage, SCHANNEL_SHUTDOWN) against
# gnutls-serv --echo and openssl s_server -rev, TLS 1.2 and 1.3, every
# byte checked both ways. RFC 5705 keying material it exports must equal
# what each server prints for the same label and size.
. "$TOP_SRCDIR/tests/integration/common.bash"
[ -n "$GNUTLS_SERV" ] || skip "gnutls-serv not available (gnutls-bin)"
[ -n "$OPENSSL" ] || skip "openssl not available (openssl)"
make_pki
client="$TEST_EXE_DIR/dotnet_style_client.exe"
label=EXPERIMENTAL-wine-secur32

run_client() {  # run_client NAME ARGS...: output in NAME.out (LF line ends)
    local name=$1
    shift
    echo "--- $name: dotnet_style_client $*"
    "$RUN_OURS" "$client" 127.0.0.1 "$port" localhost "$@" > "$name.out" 2>&1 ||
        { cat "$name.out"; fail "$name: the client failed"; }
    sed -i 's/\r$//' "$name.out"
    sed 's/^/    /' "$name.out"
}
expect() {  # expect FILE PATTERN DESCRIPTION
    grep -q -- "$2" "$1" || fail "$3: expected '$2' in $1"
}
stop_last_server() {
    local pid=${server_pids[${#server_pids[@]} - 1]}
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    unset "server_pids[$((${#server_pids[@]} - 1))]"
}

for v in 2 3; do
    name=gnutls-tls1$v
    start_server $name "$GNUTLS_SERV" --echo -p PORT --x509certfile server.pem --x509keyfile server.key \
        --alpn=h2 --keymatexport=$label --keymatexportsize=48 --priority "NORMAL:-VERS-ALL:+VERS-TLS1.$v"
    run_client $name --tls1$v --alpn --echo 300000 --empty-then 2000 --keymat $label 48
    expect $name.out "^protocol: TLS 1.$v\$" "$name protocol"
    expect $name.out "^alpn: h2\$" "$name ALPN"
    expect $name.out "^reconnect: no\$" "$name SESSION_INFO"
    expect $name.out "^data: 300000 bytes sent, 300000 received and verified (echo)" "$name data"
    expect $name.out "^data: 2000 bytes sent, 2000 received and verified" "$name data after a 0-byte record"
    expect $name.out "^close_notify sent" "$name shutdown"
    theirs=$(sed -n 's/^- Key material: \([0-9a-f]*\).*/\1/p' $name.log | tail -1)
    [ -n "$theirs" ] || { cat $name.log; fail "$name: gnutls-serv printed no key material"; }
    expect $name.out "^keying material: $theirs\$" "$name keying material equals gnutls-serv's"
    stop_last_server
done

rm -f keymat.stdin && mkfifo keymat.stdin || fail "mkfifo failed"
exec 7<>keymat.stdin
for v in 2 3; do
    name=openssl-rev-tls1$v
    start_server $name "$OPENSSL" s_server -accept 127.0.0.1:PORT -cert server.pem -key server.key -tls1_$v -rev
    run_client $name --tls1$v --rev 300000 --empty-then 2000
    expect $name.out "^protocol: TLS 1.$v\$" "$name protocol"
    expect $name.out "^data: 300000 bytes sent, 300000 received and verified (reversed lines)" "$name data"
    expect $name.out "^data: 2000 bytes sent, 2000 received and verified" "$name data after a 0-byte record"
    expect $name.out "^close_notify sent" "$name shutdown"
    # s_server ends a connection closed by close_notify quietly, an abrupt
    # one with "unexpected eof" (as the start-up probe's shows).
    for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q "CONNECTION CLOSED" $name.log && break; sleep 0.2; done
    sed -n '/CONNECTION ESTABLISHED/,$p' $name.log > $name.tail
    grep -q "CONNECTION CLOSED" $name.tail && ! grep -qi "error" $name.tail ||
        { cat $name.log; fail "$name: s_server did not see a clean close_notify"; }
    stop_last_server

    # s_server prints keying material only in its interactive mode, whose
    # stdin must stay open: a FIFO this script holds open for writing. The
    # server is exec'd, so the pid start_server records is s_server's own
    # and stopping it leaves nothing behind.
    name=openssl-keymat-tls1$v
    start_server $name bash -c 'exec stdbuf -oL "$0" "$@" < keymat.stdin' "$OPENSSL" s_server \
        -accept 127.0.0.1:PORT -cert server.pem -key server.key -tls1_$v -keymatexport $label -keymatexportlen 40
    run_client $name --tls1$v --keymat $label 40
    sleep 0.5
    theirs=$(sed -n 's/^ *Keying material: \([0-9A-F]*\).*/\1/p' $name.log | tail -1 | tr A-F a-f)
    [ -n "$theirs" ] || { cat $name.log; fail "$name: s_server printed no keying material"; }
    expect $name.out "^keying material: $theirs\$" "$name keying material equals openssl's"
    stop_last_server
done
echo "the .NET-style client works against gnutls-serv and openssl s_server, TLS 1.2 and 1.3"
