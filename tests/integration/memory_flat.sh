# Many handshakes and transfers in one process with flat memory: private
# bytes after a warm-up and at the end may differ by at most a small
# bound (tests/programs/tls_memory_stress.c). `make stress` (STRESS=1)
# runs 10,000 connections; make check a bounded 1,000.
# timeout: 1800
. "$TOP_SRCDIR/tests/integration/common.bash"
[ -n "$GNUTLS_SERV" ] || skip "gnutls-serv not available (gnutls-bin)"
make_pki
start_server gnutls-serv "$GNUTLS_SERV" --echo -p PORT --x509certfile server.pem --x509keyfile server.key
if [ -n "${STRESS:-}" ]; then
    total=10000 warmup=1000 bound_kb=2048
else
    total=1000 warmup=250 bound_kb=1024
fi
out=$("$RUN_OURS" "$TEST_EXE_DIR/tls_memory_stress.exe" 127.0.0.1 "$port" localhost $total $warmup $bound_kb) ||
    { echo "$out"; fail "memory stress run failed"; }
echo "$out"
grep -q "^$total connections (.*0 failures)" <<< "$out" || fail "not every connection succeeded"
