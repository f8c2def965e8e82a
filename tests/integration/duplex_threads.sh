# EncryptMessage on one thread and DecryptMessage on another, at once, on
# one context (Microsoft's EncryptMessage (Schannel) page allows it), for
# TLS 1.2 and TLS 1.3, 32 MB each way with every byte verified; then
# DeleteSecurityContext racing both.
# timeout: 240
. "$TOP_SRCDIR/tests/integration/common.bash"
[ -n "$GNUTLS_SERV" ] || skip "gnutls-serv not available (gnutls-bin)"
make_pki
start_server gnutls-serv "$GNUTLS_SERV" --echo -p PORT --x509certfile server.pem --x509keyfile server.key
expect_ok "TLS 1.2 duplex" "$RUN_OURS" "$TEST_EXE_DIR/tls_duplex_client.exe" 127.0.0.1 "$port" localhost 32
expect_ok "TLS 1.3 duplex" "$RUN_OURS" "$TEST_EXE_DIR/tls_duplex_client.exe" 127.0.0.1 "$port" localhost 32 --sch-credentials
# DeleteSecurityContext while two threads are inside Encrypt/DecryptMessage.
for round in 1 2 3; do
    expect_ok "delete race $round" "$RUN_OURS" "$TEST_EXE_DIR/tls_duplex_client.exe" 127.0.0.1 "$port" localhost 1 --sch-credentials --delete-race
done
