# One credential handle shared by 8 threads making 200 TLS 1.3 connections
# concurrently, each echoing and verifying data; the shared session cache
# resumes most of them.
# timeout: 240
. "$TOP_SRCDIR/tests/integration/common.bash"
[ -n "$GNUTLS_SERV" ] || skip "gnutls-serv not available (gnutls-bin)"
make_pki
start_server gnutls-serv "$GNUTLS_SERV" --echo -p PORT --x509certfile server.pem --x509keyfile server.key
out=$("$RUN_OURS" "$TEST_EXE_DIR/tls_shared_credential.exe" 127.0.0.1 "$port" localhost 8 25) || { echo "$out"; fail "shared credential run failed"; }
echo "$out"
grep -q "200 of 200 connections verified" <<< "$out" || fail "not every connection was verified"
grep -Eq ", [1-9][0-9]* resumed" <<< "$out" || fail "the shared session cache resumed nothing"
