# Wine's own WinHTTP and WinINet fetch a page over HTTPS through our
# secur32 (they use SCHANNEL_CRED, so TLS 1.2), from a gnutls-serv whose CA
# the prefix trusts; and refuse a server whose CA it does not trust.
# Three requests each: gnutls-serv closes after every response, so each is a
# new TLS connection on the same process-wide credential. Wine's builtin
# clients drop a token returned with SEC_E_OK, so these connections must
# never be resumed TLS 1.2 handshakes (which end with the client's Finished):
# the server log must show three full handshakes for each client.
# timeout: 240
. "$TOP_SRCDIR/tests/integration/common.bash"
[ -n "$GNUTLS_SERV" ] || skip "gnutls-serv not available (gnutls-bin)"
make_pki
start_server https "$GNUTLS_SERV" --http -p PORT --x509certfile server.pem --x509keyfile server.key

expect_ok "WinHTTP refuses an untrusted server" bash -c "! \"$RUN_OURS\" \"$TEST_EXE_DIR/winhttp_fetch.exe\" localhost $port /"
trust_ca ca.pem
status=0
"$RUN_OURS" "$TEST_EXE_DIR/winhttp_fetch.exe" localhost "$port" / 3 || status=1
"$RUN_OURS" "$TEST_EXE_DIR/wininet_fetch.exe" "https://localhost:$port/" 3 || status=$((status | 2))
"$RUN_OURS" "$TEST_EXE_DIR/trust_ca.exe" remove ca.pem
[ $((status & 1)) = 0 ] || fail "WinHTTP fetch through our secur32 failed"
[ $((status & 2)) = 0 ] || fail "WinINet fetch through our secur32 failed"
grep -q "TLS1.2" https.log || fail "server log shows no TLS 1.2 session"
grep -qi "resumed" https.log && { grep -i resumed https.log; fail "a Wine builtin client's connection was resumed"; }
echo "WinHTTP and WinINet fetched over HTTPS through our secur32"
