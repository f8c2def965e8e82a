# Our Schannel client against a real gnutls-serv (echo mode) on loopback:
# TLS 1.2 and 1.3, data verified both ways, close_notify, and the default
# certificate validation (unknown CA, trusted CA, wrong host name).
# timeout: 240
. "$TOP_SRCDIR/tests/integration/common.bash"
[ -n "$GNUTLS_SERV" ] || skip "gnutls-serv not available (gnutls-bin)"
make_pki
client="$TEST_EXE_DIR/tls_echo_client.exe"
trust="$TEST_EXE_DIR/trust_ca.exe"

start_server gnutls-serv "$GNUTLS_SERV" --echo -p PORT --x509certfile server.pem --x509keyfile server.key

expect_ok "TLS 1.2 (SCHANNEL_CRED), 1 MB echoed" \
    "$RUN_OURS" "$client" 127.0.0.1 "$port" localhost --manual --bytes 1000000
grep -q "TLS 1.2" < <("$RUN_OURS" "$client" 127.0.0.1 "$port" localhost --manual --bytes 100) ||
    fail "SCHANNEL_CRED did not negotiate TLS 1.2"
expect_ok "TLS 1.3 (SCH_CREDENTIALS), 1 MB echoed" \
    "$RUN_OURS" "$client" 127.0.0.1 "$port" localhost --manual --sch-credentials --bytes 1000000
out=$("$RUN_OURS" "$client" 127.0.0.1 "$port" localhost --manual --sch-credentials --bytes 100)
echo "$out"
grep -q "TLS 1.3" <<< "$out" || fail "SCH_CREDENTIALS did not negotiate TLS 1.3"
# gnutls-serv sends TLS 1.3 session tickets: DecryptMessage must report them
# as SEC_I_RENEGOTIATE and the following ISC must complete with SEC_E_OK.
grep -q "SEC_I_RENEGOTIATE handled [1-9]" <<< "$out" || fail "TLS 1.3 tickets were not reported as SEC_I_RENEGOTIATE"

# Default validation: the test CA is unknown to the prefix.
expect_ok "unknown CA rejected with SEC_E_UNTRUSTED_ROOT" \
    "$RUN_OURS" "$client" 127.0.0.1 "$port" localhost --bytes 100 --expect-fail 80090325

trust_ca ca.pem
status=0
"$RUN_OURS" "$client" 127.0.0.1 "$port" localhost --bytes 100000 || status=1
"$RUN_OURS" "$client" 127.0.0.1 "$port" wrong.example --bytes 100 --expect-fail 80090322 || status=$((status | 2))
start_server gnutls-serv-expired "$GNUTLS_SERV" --echo -p PORT --x509certfile expired.pem --x509keyfile server.key
"$RUN_OURS" "$client" 127.0.0.1 "$port" localhost --bytes 100 --expect-fail 80090328 || status=$((status | 4))
"$RUN_OURS" "$client" 127.0.0.1 "$port" localhost --manual --bytes 100 || status=$((status | 8))
"$RUN_OURS" "$trust" remove ca.pem
[ $((status & 1)) = 0 ] || fail "trusted CA + matching host name was not accepted"
[ $((status & 2)) = 0 ] || fail "wrong host name was not rejected with SEC_E_WRONG_PRINCIPAL"
[ $((status & 4)) = 0 ] || fail "expired certificate was not rejected with SEC_E_CERT_EXPIRED"
[ $((status & 8)) = 0 ] || fail "expired certificate was not accepted with manual validation"
echo "all gnutls-serv cases passed"
