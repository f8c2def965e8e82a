# TLS 1.3 HelloRetryRequest: servers that accept only a group our client
# offers but sends no key share for (GnuTLS sends shares for secp256r1 and
# x25519 first) answer the ClientHello with a HelloRetryRequest. The
# handshake must still complete through InitializeSecurityContext's loop
# (a second ClientHello token, then the rest), data must flow both ways,
# and the server's log must show that the retry really happened.
# timeout: 200
. "$TOP_SRCDIR/tests/integration/common.bash"
[ -n "$GNUTLS_SERV" ] || skip "gnutls-serv not available (gnutls-bin)"
make_pki

trust_ca ca.pem
trap '"$RUN_OURS" "$TEST_EXE_DIR/trust_ca.exe" remove ca.pem >/dev/null 2>&1; cleanup' EXIT

for group in SECP384R1 SECP521R1 FFDHE2048; do
    start_server "gnutls-serv-$group" "$GNUTLS_SERV" --echo -p PORT --x509certfile server.pem \
        --x509keyfile server.key -d 4 --priority "NORMAL:-GROUP-ALL:+GROUP-$group"
    expect_ok "gnutls-serv accepting only $group: TLS 1.3 handshake and 200 KB echoed" \
        "$RUN_OURS" "$TEST_EXE_DIR/tls_echo_client.exe" 127.0.0.1 "$port" localhost --sch-credentials --bytes 200000
    grep -q "requesting retry with group $group" "gnutls-serv-$group.log" ||
        fail "gnutls-serv did not send a HelloRetryRequest for $group (the test proves nothing)"
    echo "gnutls-serv sent a HelloRetryRequest for $group"
done

if [ -n "$OPENSSL" ]; then
    start_server openssl-hrr "$OPENSSL" s_server -accept PORT -cert server.pem -key server.key \
        -groups secp384r1 -msg -rev
    expect_ok "openssl s_server accepting only secp384r1: TLS 1.3 handshake, reversed lines verified" \
        "$RUN_OURS" "$TEST_EXE_DIR/tls_peer_client.exe" 127.0.0.1 "$port" localhost --sch-credentials \
        --expect-protocol 1.3 --rev 30000
    # The HelloRetryRequest is a ServerHello on the wire: the server sent two.
    hellos=$(grep -c '^>>> .*ServerHello' openssl-hrr.log || true)
    [ "$hellos" -ge 2 ] || fail "openssl s_server sent $hellos ServerHello messages, expected a retry first"
    echo "openssl s_server sent a HelloRetryRequest ($hellos ServerHello messages)"
else
    echo "openssl not available: only gnutls-serv checked"
fi
echo "HelloRetryRequest handled"
