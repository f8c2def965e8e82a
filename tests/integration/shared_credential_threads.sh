# One credential handle shared by 8 threads making 200 TLS 1.3 connections
# concurrently (8,000 under `make stress`, STRESS=1), each echoing and
# verifying data; the shared session cache resumes most of them.
# timeout: 240
. "$TOP_SRCDIR/tests/integration/common.bash"
[ -n "$GNUTLS_SERV" ] || skip "gnutls-serv not available (gnutls-bin)"
make_pki
start_server gnutls-serv "$GNUTLS_SERV" --echo -p PORT --x509certfile server.pem --x509keyfile server.key
per_thread=25
[ -n "${STRESS:-}" ] && per_thread=1000
total=$((8 * per_thread))
out=$("$RUN_OURS" "$TEST_EXE_DIR/tls_shared_credential.exe" 127.0.0.1 "$port" localhost 8 $per_thread) || { echo "$out"; fail "shared credential run failed"; }
echo "$out"
grep -q "$total of $total connections verified" <<< "$out" || fail "not every connection was verified"
grep -Eq ", [1-9][0-9]* resumed" <<< "$out" || fail "the shared session cache resumed nothing"
