# Alerts we send: EncryptMessage with SECQOP_WRAP_OOB_DATA (a warning,
# after which the connection goes on being usable until close), and
# ApplyControlToken(SCHANNEL_ALERT) + InitializeSecurityContext (a fatal
# alert, after which EncryptMessage refuses with SEC_E_CONTEXT_EXPIRED).
# gnutls-serv reports each alert it receives.
# timeout: 120
. "$TOP_SRCDIR/tests/integration/common.bash"
[ -n "$GNUTLS_SERV" ] || skip "gnutls-serv not available (gnutls-bin)"
make_pki
client="$TEST_EXE_DIR/tls_echo_client.exe"
start_server gnutls-serv stdbuf -oL "$GNUTLS_SERV" --echo -p PORT --x509certfile server.pem --x509keyfile server.key

expect_ok "TLS 1.2 warning alert through SECQOP_WRAP_OOB_DATA" \
    "$RUN_OURS" "$client" 127.0.0.1 "$port" localhost --manual --bytes 1000 --oob-alert
sleep 0.5
grep -q "Received alert '90'" gnutls-serv.log || { cat gnutls-serv.log; fail "server did not receive user_canceled"; }

out=$("$RUN_OURS" "$client" 127.0.0.1 "$port" localhost --manual --sch-credentials --bytes 1000 --close-alert 46) ||
    { echo "$out"; fail "TLS 1.3 fatal alert through SCHANNEL_ALERT"; }
echo "$out"
grep -q "EncryptMessage after the fatal alert: 80090317" <<< "$out" || fail "EncryptMessage after a fatal alert is not SEC_E_CONTEXT_EXPIRED"
sleep 0.5
grep -q "Received alert '46'" gnutls-serv.log || { cat gnutls-serv.log; fail "server did not receive the fatal alert"; }
echo "alerts arrive as sent"
