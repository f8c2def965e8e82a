# timeout: 280
# Our Schannel SERVER (tests/programs/tls_server.c: AcceptSecurityContext
# driven the way .NET's SslStream and schannel-rs drive it) under Wine,
# with a CA-signed RSA certificate from a PFX, against native clients:
#   - gnutls-cli: TLS 1.3 and TLS 1.2 requests (the server reads the SNI
#     name with SslGetServerIdentity), ALPN chosen by the
#     server's preference, session resumption (--resume), a client
#     certificate sent to a server that asks for one (ASC_REQ_MUTUAL_AUTH),
#     RFC 5705 keying material equal on both ends (TLS 1.3 and 1.2),
#     TLS 1.2 renegotiation refused with a no_renegotiation alert;
#   - openssl s_client verifying the chain against the test CA (so the
#     server sent its chain), by host name;
#   - Wine's WinHTTP in another process, also through our secur32, fetching
#     from it (TLS 1.2: WinHTTP uses SCHANNEL_CRED);
#   - a key imported without CRYPT_EXPORTABLE, used through its provider
#     (TLS 1.2: CAPI has no RSA-PSS);
#   - sslscan (when installed): no SSL 2/3, TLS 1.0/1.1, or weak suite
#     enabled by default.
. "$TOP_SRCDIR/tests/integration/common.bash"
[ -n "$OPENSSL" ] || skip "openssl not available (openssl)"
GNUTLS_CLI=$(command -v gnutls-cli) || skip "gnutls-cli not available (gnutls-bin)"
make_pki
"$OPENSSL" pkcs12 -export -inkey server.key -in server.pem -certfile ca.pem -passout pass:pw -out server.pfx ||
    fail "PFX export failed"
# A client certificate for the mutual-authentication case.
cat > client.tmpl <<'T'
cn = "test client"
tls_www_client
signing_key
expiration_days = 30
T
"$CERTTOOL" --generate-privkey --key-type=ecdsa --outfile client.key >/dev/null 2>&1 &&
"$CERTTOOL" --generate-certificate --load-privkey client.key --load-ca-certificate ca.pem --load-ca-privkey ca.key \
    --template client.tmpl --outfile client.pem >/dev/null 2>&1 || fail "client certificate generation failed"

# request NAME CLIENT-ARGS...: one HTTP request with gnutls-cli, output in NAME.out.
request() {
    local name=$1
    shift
    printf 'GET / HTTP/1.0\r\nHost: localhost\r\n\r\n' |
        timeout 30 "$GNUTLS_CLI" --x509cafile ca.pem -p "$port" "$@" localhost > "$name.out" 2>&1
}

start_our_server main --alpn h2,http/1.1 --keymat EXPERIMENTAL-wine-secur32 40

# keymat_agrees NAME: the RFC 5705 export gnutls-cli printed for request
# NAME equals the one our server printed for its latest connection.
keymat_agrees() {
    local theirs ours
    theirs=$(sed -n 's/^- Key material: \([0-9a-f]*\).*/\1/p' "$1.out" | tail -1)
    ours=$(sed -n 's/^connection [0-9]*: keying material \([0-9a-f]*\).*/\1/p' main.log | tr -d '\r' | tail -1)
    [ -n "$theirs" ] && [ "$theirs" = "$ours" ] ||
        { cat "$1.out" main.log; fail "$1: keying material: gnutls-cli '$theirs', our server '$ours'"; }
    echo "$1: keying material agrees ($ours)"
}
keymat=(--keymatexport=EXPERIMENTAL-wine-secur32 --keymatexportsize=40)

expect_ok "gnutls-cli, TLS 1.3" request tls13 "${keymat[@]}"
grep -q "hello from wine-secur32 server: TLS1.3 TLS_AES" tls13.out || { cat tls13.out; fail "no TLS 1.3 response"; }
keymat_agrees tls13

grep -q "sni=localhost" main.log || { cat main.log; fail "the server did not see the client's SNI (SslGetServerIdentity)"; }

expect_ok "gnutls-cli, TLS 1.2" request tls12 --priority NORMAL:-VERS-TLS1.3 "${keymat[@]}"
grep -q "hello from wine-secur32 server: TLS1.2 TLS_ECDHE_RSA" tls12.out || { cat tls12.out; fail "no TLS 1.2 response"; }
keymat_agrees tls12

expect_ok "gnutls-cli, ALPN" request alpn --alpn http/1.1 --alpn h2
grep -q "alpn=h2" alpn.out || { cat alpn.out; fail "the server's ALPN preference (h2) was not chosen"; }

expect_ok "gnutls-cli, resumption (TLS 1.3)" request resume --resume
grep -q "This is a resumed session" resume.out || { cat resume.out; fail "TLS 1.3 session not resumed"; }
expect_ok "gnutls-cli, resumption (TLS 1.2)" request resume12 --resume --priority NORMAL:-VERS-TLS1.3
grep -q "This is a resumed session" resume12.out || { cat resume12.out; fail "TLS 1.2 session not resumed"; }
grep -q "resumed=1" main.log || fail "the server never reported a resumed session"

echo "--- TLS 1.2 client-initiated renegotiation is refused (no_renegotiation), not hung"
request reneg --rehandshake --priority NORMAL:-VERS-TLS1.3 || true
grep -q "Received alert \[100\]" reneg.out || { cat reneg.out; fail "renegotiation was not refused with no_renegotiation"; }

echo "--- openssl s_client verifies the chain for localhost"
printf 'GET / HTTP/1.0\r\n\r\n' | timeout 30 "$OPENSSL" s_client -connect "127.0.0.1:$port" -servername localhost \
    -verify_hostname localhost -verify_return_error -CAfile ca.pem -ign_eof > s_client.out 2>&1 ||
    { cat s_client.out; fail "openssl s_client failed"; }
grep -q "Verify return code: 0 (ok)" s_client.out || { cat s_client.out; fail "chain not verified"; }
grep -q "hello from wine-secur32 server" s_client.out || fail "no response to openssl s_client"

echo "--- WinHTTP (another process, our secur32) fetches from our server"
trust_ca ca.pem
status=0
"$RUN_OURS" "$TEST_EXE_DIR/winhttp_fetch.exe" localhost "$port" / 2 || status=1
"$RUN_OURS" "$TEST_EXE_DIR/trust_ca.exe" remove ca.pem
[ "$status" = 0 ] || { cat main.log; fail "WinHTTP could not fetch from our server"; }

if command -v sslscan >/dev/null; then
    echo "--- sslscan: nothing weak enabled by default"
    timeout 200 sslscan --no-colour --no-heartbleed "127.0.0.1:$port" > sslscan.out 2>&1 || true
    cat sslscan.out
    grep -q "TLSv1.3 *enabled" sslscan.out || fail "sslscan did not find TLS 1.3"
    grep -Eq "^(SSLv2|SSLv3|TLSv1.0|TLSv1.1) +enabled" sslscan.out && fail "a legacy protocol is enabled"
    grep -E "^(Preferred|Accepted)" sslscan.out > suites.txt || fail "sslscan found no cipher suite"
    grep -Ei "RC4|DES|NULL|EXP|ANON|MD5" suites.txt && fail "a weak cipher suite is enabled"
    awk '$3 < 128 { print; bad = 1 } END { exit bad }' suites.txt || fail "a suite below 128 bits is enabled"
else
    echo "--- sslscan not installed: scan skipped"
fi
kill "${server_pids[@]}" 2>/dev/null

echo "--- ASC_REQ_MUTUAL_AUTH: the server sees the client's certificate"
server_pids=()
start_our_server mutual --mutual
expect_ok "gnutls-cli with a client certificate" request mutual --x509certfile client.pem --x509keyfile client.key
grep -q "hello from wine-secur32 server" mutual.out || { cat mutual.out; fail "no response with a client certificate"; }
grep -q "client_cert=1" mutual.log || { cat mutual.log; fail "the server did not see the client certificate"; }
expect_ok "gnutls-cli without one still connects" request anonymous
grep -q "client_cert=0" mutual.log || { cat mutual.log; fail "a client without certificate was refused"; }
kill "${server_pids[@]}" 2>/dev/null

echo "--- a non-exportable key (PFX imported without CRYPT_EXPORTABLE) signs through its provider: TLS 1.2"
server_pids=()
start_our_server provider --not-exportable
expect_ok "gnutls-cli against a provider-held key" request provider
grep -q "hello from wine-secur32 server: TLS1.2 TLS_ECDHE_RSA" provider.out ||
    { cat provider.out provider.log; fail "no TLS 1.2 response with a provider-held key"; }
expect_ok "openssl s_client verifies it" bash -c "printf 'GET / HTTP/1.0\r\n\r\n' | timeout 30 \"$OPENSSL\" s_client \
    -connect 127.0.0.1:$port -verify_return_error -CAfile ca.pem -ign_eof 2>&1 | grep -q 'hello from wine-secur32'"
cat main.log mutual.log provider.log
echo "our Schannel server served gnutls-cli, openssl s_client and WinHTTP"
