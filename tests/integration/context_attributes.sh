# QueryContextAttributes against what gnutls-serv itself reports: the
# negotiated suite, and the RFC 5929 channel bindings (tls-unique and
# tls-server-end-point), which the server prints for every connection.
# timeout: 120
. "$TOP_SRCDIR/tests/integration/common.bash"
[ -n "$GNUTLS_SERV" ] || skip "gnutls-serv not available (gnutls-bin)"
make_pki
client="$TEST_EXE_DIR/tls_attributes_client.exe"

expect() {  # expect FILE PATTERN DESCRIPTION
    grep -q -- "$2" "$1" || { cat "$1"; fail "$3: expected '$2'"; }
}
server_value() {  # server_value LOG NAME: the last value of 'NAME' the server printed
    sed -n "s/.*'$2': *\([0-9a-f]*\).*/\1/p" "$1" | tail -1
}

start_server tls12 "$GNUTLS_SERV" --echo -p PORT --x509certfile server.pem --x509keyfile server.key \
    --priority "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM"
"$RUN_OURS" "$client" 127.0.0.1 "$port" localhost > tls12.out || { cat tls12.out; fail "TLS 1.2 attribute queries failed"; }
sed -i 's/\r$//' tls12.out   # the Windows program's msvcrt writes CRLF
cat tls12.out
expect tls12.out "protocol: TLS 1.2" "protocol"
expect tls12.out "suite: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 0xc02f" "CIPHER_INFO suite"
expect tls12.out "calg cipher: 660e" "CONNECTION_INFO aiCipher (CALG_AES_128)"
expect tls12.out "cipher strength: 128" "cipher strength"
expect tls12.out "calg exchange: ae06" "aiExch (CALG_ECDH_EPHEM)"
expect tls12.out "cipher: AES" "CONNECTION_INFO_EX cipher"
expect tls12.out "exchange: ECDH" "CONNECTION_INFO_EX exchange"
expect tls12.out "certificate key: RSA" "CIPHER_INFO certificate"
expect tls12.out "key info: RSA AES 128" "KEY_INFO W"
expect tls12.out "key info A: RSA AES" "KEY_INFO A"
expect tls12.out "package: Microsoft Unified Security Protocol Provider" "PACKAGE_INFO"
expect tls12.out "negotiation: complete" "NEGOTIATION_INFO"
unique=$(server_value tls12.log tls-unique)
endpoint=$(server_value tls12.log tls-server-end-point)
[ -n "$unique" ] && [ -n "$endpoint" ] || { cat tls12.log; fail "server printed no channel bindings"; }
expect tls12.out "tls-unique: $unique\$" "tls-unique equals the server's"
expect tls12.out "tls-server-end-point: $endpoint\$" "tls-server-end-point equals the server's"

start_server tls13 "$GNUTLS_SERV" --echo -p PORT --x509certfile server.pem --x509keyfile server.key \
    --priority "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+CHACHA20-POLY1305"
"$RUN_OURS" "$client" 127.0.0.1 "$port" localhost --sch-credentials > tls13.out ||
    { cat tls13.out; fail "TLS 1.3 attribute queries failed"; }
sed -i 's/\r$//' tls13.out
cat tls13.out
expect tls13.out "protocol: TLS 1.3" "protocol"
expect tls13.out "suite: TLS_CHACHA20_POLY1305_SHA256 0x1303" "CIPHER_INFO suite"
expect tls13.out "cipher: CHACHA20_POLY1305" "CONNECTION_INFO_EX cipher"
expect tls13.out "tls-unique: unavailable 80090302" "no tls-unique in TLS 1.3 (SEC_E_UNSUPPORTED_FUNCTION)"
endpoint=$(server_value tls13.log tls-server-end-point)
expect tls13.out "tls-server-end-point: $endpoint\$" "tls-server-end-point equals the server's"
echo "context attributes agree with the server"
