# timeout: 300
# A server asking for a client certificate on an established connection
# (TLS 1.2 renegotiation, TLS 1.3 post-handshake authentication), against
# native peers on loopback, both ways:
#   - our server (tls_server.exe --renegotiate: after the request,
#     AcceptSecurityContext with ASC_REQ_MUTUAL_AUTH and an empty TOKEN,
#     then DecryptMessage / SEC_I_RENEGOTIATE / AcceptSecurityContext)
#     against openssl s_client and gnutls-cli presenting a certificate
#     (TLS 1.2; TLS 1.3 with -enable_pha / --post-handshake-auth): the
#     server must name that certificate in its response; a TLS 1.3 client
#     that did not offer post-handshake authentication, and a TLS 1.2 one
#     that refuses renegotiation (s_client -no_renegotiation: its
#     no_renegotiation alert), must give SEC_I_NO_RENEGOTIATION on the
#     server and get their response all the same;
#   - our client (tls_peer_client) against openssl s_server, whose "R"
#     (TLS 1.2 renegotiation with a certificate request) and "c" (TLS 1.3
#     CertificateRequest) commands are typed while data flows: lines
#     before, right after the request and after it must all arrive in
#     order, the server must verify our certificate (in the credential from
#     the start, or given after SEC_I_INCOMPLETE_CREDENTIALS), and our
#     "bye" must reach it afterwards.
. "$TOP_SRCDIR/tests/integration/common.bash"
. "$TOP_SRCDIR/tests/integration/interop.bash"
[ -n "$OPENSSL" ] || skip "openssl not available (openssl)"
"$OPENSSL" version
make_interop_pki

make_client_certificate
"$OPENSSL" pkcs12 -export -inkey rsa.key -in rsa.pem -certfile ca-rsa.pem -passout pass:pw -out server.pfx ||
    fail "openssl: server PFX export failed"
client_subject="CN=wine-secur32 test client"
verified_pattern="depth=0 CN = wine-secur32 test client"  # s_server's verify callback

# count PATTERN FILE: lines matching (0 when none).
count() { grep -a -c -- "$1" "$2" 2>/dev/null || true; }

# wait_for PATTERN FILE N: until more than N lines match (at most 30 s).
wait_for() {
    local _
    for _ in $(seq 1 300); do
        [ "$(count "$1" "$2")" -gt "$3" ] && return 0
        sleep 0.1
    done
    return 1
}

# ---- our server, native clients ---------------------------------------------
start_our_server ours --renegotiate
server_log=ours.log
ended='^connection [0-9]*: \(ok\|failed\)'  # our server's last line for a connection

# server_case NAME EXPECTED-LOG EXPECTED-SUBJECT COMMAND...: one request by
# a native client (its output in NAME.out); our server's next connection
# line must match EXPECTED-LOG and the response name EXPECTED-SUBJECT.
server_case() {
    local name=$1 want_log=$2 want_subject=$3 before
    shift 3
    echo "--- $name: $*"
    before=$(count "$ended" ours.log)
    # The request, then stdin stays open until our server has answered:
    # gnutls-cli ends the connection at the end of its input.
    { printf 'GET / HTTP/1.0\r\n\r\n'; wait_for "$ended" ours.log "$before"; sleep 1; } |
        timeout 60 "$@" > "$name.out" 2>&1
    wait_for "$ended" ours.log "$before" || true
    grep -a -v '^ *[0-9a-f]\{4\} - ' "$name.out" | grep -a -E 'hello from|Protocol|Cipher|renegotiat|Verify|certificate' |
        head -n 8 | sed 's/^/    /'
    if ! grep -aq "client certificate: $want_subject" "$name.out"; then
        record "$name" FAIL "the response does not name \"$want_subject\""
    elif ! tail -n 4 ours.log | grep -aq -- "$want_log"; then
        record "$name" FAIL "our server's log lacks \"$want_log\""
    else
        record "$name" PASS "$(tail -n 4 ours.log | grep -a -m1 -o -- "$want_log.*" | tr -d '\r')"
    fi
}

s_client=("$OPENSSL" s_client -connect "127.0.0.1:$port" -servername localhost -CAfile ca-rsa.pem -ign_eof)
server_case "openssl s_client TLS1.2: renegotiation" "renegotiated client_cert=$client_subject" "$client_subject" \
    "${s_client[@]}" -tls1_2 -cert client.pem -key client.key
server_case "openssl s_client TLS1.3 -enable_pha: post-handshake auth" "renegotiated client_cert=$client_subject" \
    "$client_subject" "${s_client[@]}" -tls1_3 -enable_pha -cert client.pem -key client.key
server_case "openssl s_client TLS1.2 -no_renegotiation: the client refuses" \
    "renegotiation refused by the client (SEC_I_NO_RENEGOTIATION)" "none" \
    "${s_client[@]}" -tls1_2 -no_renegotiation -cert client.pem -key client.key
server_case "openssl s_client TLS1.3 without -enable_pha: refused" "renegotiation refused (SEC_I_NO_RENEGOTIATION)" "none" \
    "${s_client[@]}" -tls1_3 -cert client.pem -key client.key
if GNUTLS_CLI=$(command -v gnutls-cli); then
    gnutls_cli=("$GNUTLS_CLI" --x509cafile ca-rsa.pem -p "$port" --x509certfile client.pem --x509keyfile client.key)
    server_case "gnutls-cli TLS1.2: renegotiation" "renegotiated client_cert=$client_subject" "$client_subject" \
        "${gnutls_cli[@]}" --priority NORMAL:-VERS-TLS1.3 localhost
    server_case "gnutls-cli TLS1.3 --post-handshake-auth" "renegotiated client_cert=$client_subject" \
        "$client_subject" "${gnutls_cli[@]}" --post-handshake-auth localhost
else
    echo "gnutls-cli not available (gnutls-bin): its cases are left out"
fi
stop_server

# ---- our client, openssl s_server -------------------------------------------
# s_server reads commands and lines to send from stdin: a FIFO this script
# holds open, one write at a time (a command must be a read of its own).
mkfifo commands
exec 3<>commands
server s_server bash -c "exec stdbuf -oL -eL '$OPENSSL' s_server -accept 127.0.0.1:PORT -cert rsa.pem \
    -key rsa.key -CAfile ca-client.pem -verify_return_error < commands"
type_line() { printf '%s\n' "$1" >&3; sleep 0.5; }

# client_reneg_case NAME COMMAND CLIENT-ARGS...: our client connects (the
# server asks for nothing), the server sends "before", then COMMAND, then
# "during" at once; once it has verified our certificate, "after" and
# "done". Our client must print all four in order and say bye.
client_reneg_case() {
    local name=$1 command=$2 hello verified byes cpid status=0
    shift 2
    hello=$(count "hello from our client" "$server_log")
    verified=$(count "$verified_pattern" "$server_log")
    byes=$(count "bye from our client" "$server_log")
    echo "--- $name: tls_peer_client $*"
    "$RUN_OURS" "$peer_client" 127.0.0.1 "$port" localhost --manual --lines-until done "$@" > "$name.out" 2>&1 &
    cpid=$!
    if ! wait_for "hello from our client" "$server_log" "$hello"; then
        kill "$cpid" 2>/dev/null
        wait "$cpid" 2>/dev/null
        sed 's/^/    /' "$name.out"
        record "$name" FAIL "our client never said hello"
        return
    fi
    type_line before
    printf '%s\n' "$command" >&3
    sleep 0.1
    type_line during
    wait_for "$verified_pattern" "$server_log" "$verified" || true
    type_line after
    type_line done
    wait "$cpid" || status=$?
    sed 's/^/    /' "$name.out"
    if [ "$status" != 0 ]; then
        record "$name" FAIL "$(grep -m1 '^FAIL' "$name.out" || echo "client exit status $status")"
    elif [ "$(grep -a '^received line: ' "$name.out" | sed 's/^received line: //' | tr -d '\r' | tr '\n' ' ')" != \
           "before during after done " ]; then
        record "$name" FAIL "lines lost or out of order"
    elif [ "$(count "$verified_pattern" "$server_log")" -le "$verified" ]; then
        record "$name" FAIL "s_server did not verify our certificate"
    elif ! wait_for "bye from our client" "$server_log" "$byes"; then
        record "$name" FAIL "our bye after the renegotiation did not reach s_server"
    elif ! grep -q "SEC_I_RENEGOTIATE handled [1-9]" "$name.out"; then
        record "$name" FAIL "no SEC_I_RENEGOTIATE"
    else
        record "$name" PASS "$(negotiated "$name"), $(grep -m1 -o 'SEC_I_RENEGOTIATE handled.*' "$name.out"), \
$(grep -m1 -o 'SEC_I_INCOMPLETE_CREDENTIALS in all.*' "$name.out")"
    fi
}

client_reneg_case "s_server R: TLS1.2 renegotiation, certificate in the credential" R \
    --client-pfx client.p12 --expect-protocol 1.2 --expect-asked-in-all 0
client_reneg_case "s_server R: TLS1.2 renegotiation, certificate when asked" R \
    --client-pfx client.p12 --cert-when-asked --expect-protocol 1.2 --expect-asked-in-all 1
client_reneg_case "s_server c: TLS1.3 post-handshake auth, certificate in the credential" c \
    --sch-credentials --client-pfx client.p12 --expect-protocol 1.3 --expect-asked-in-all 0
client_reneg_case "s_server c: TLS1.3 post-handshake auth, certificate when asked" c \
    --sch-credentials --client-pfx client.p12 --cert-when-asked --expect-protocol 1.3 --expect-asked-in-all 1
stop_server
exec 3>&-

print_matrix "renegotiation and post-handshake authentication"
