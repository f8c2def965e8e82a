# Remembered certificate validations (dlls/secur32/schannel_validation_cache):
# within one process, a chain validated for one host name is still rejected
# for another, and an expired chain with the same key is still rejected.
# timeout: 120
. "$TOP_SRCDIR/tests/integration/common.bash"
[ -n "$GNUTLS_SERV" ] || skip "gnutls-serv not available (gnutls-bin)"
make_pki
trust="$TEST_EXE_DIR/trust_ca.exe"
start_server good "$GNUTLS_SERV" --echo -p PORT --x509certfile server.pem --x509keyfile server.key
good_port=$port
start_server expired "$GNUTLS_SERV" --echo -p PORT --x509certfile expired.pem --x509keyfile server.key
expired_port=$port
trust_ca ca.pem
status=0
"$RUN_OURS" "$TEST_EXE_DIR/validation_reuse_client.exe" 127.0.0.1 "$good_port" "$expired_port" || status=1
"$RUN_OURS" "$trust" remove ca.pem
[ $status = 0 ] || fail "a remembered validation let a bad connection through (or rejected a good one)"
echo "ok"
