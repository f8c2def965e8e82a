# Caller cipher policy reaches the wire: dwMinimum/MaximumCipherStrength and
# palgSupportedAlgs (SCHANNEL_CRED), TLS_PARAMETERS.pDisabledCrypto
# (SCH_CREDENTIALS). The server prefers AES-128 (server precedence), so
# anything else negotiated shows our policy at work.
# timeout: 180
. "$TOP_SRCDIR/tests/integration/common.bash"
[ -n "$GNUTLS_SERV" ] || skip "gnutls-serv not available (gnutls-bin)"
make_pki
client="$TEST_EXE_DIR/tls_echo_client.exe"
start_server prefers-aes128 "$GNUTLS_SERV" --echo -p PORT --x509certfile server.pem --x509keyfile server.key \
    --priority "NORMAL:%SERVER_PRECEDENCE:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305"

suite() {  # suite EXPECTED_ID DESCRIPTION CLIENT_ARGS...
    local want=$1 what=$2 out
    shift 2
    out=$("$RUN_OURS" "$client" 127.0.0.1 "$port" localhost --manual --bytes 200 "$@") || { echo "$out"; fail "$what: client failed"; }
    grep -q "(0x$want)" <<< "$out" || { echo "$out"; fail "$what: expected suite 0x$want"; }
    echo "ok: $what (0x$want)"
}
suite c02f "defaults take the server's choice"
suite c030 "dwMinimumCipherStrength 256" --min-strength 256
suite c02f "dwMaximumCipherStrength 128" --max-strength 128
suite c030 "palgSupportedAlgs {CALG_AES_256}" --algs 6610
suite 1301 "SCH_CREDENTIALS defaults (TLS 1.3)" --sch-credentials
suite 1303 "CRYPTO_SETTINGS disables AES" --sch-credentials --disable-cipher AES
suite 1303 "CRYPTO_SETTINGS disables AES-GCM" --sch-credentials --disable-cipher AES:ChainingModeGCM

expect_ok "no cipher strong enough: SEC_E_ALGORITHM_MISMATCH" \
    "$RUN_OURS" "$client" 127.0.0.1 "$port" localhost --manual --min-strength 512 --expect-fail 80090331

start_server aes128-only "$GNUTLS_SERV" --echo -p PORT --x509certfile server.pem --x509keyfile server.key \
    --priority "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+AES-128-GCM"
expect_ok "no common cipher with the server: SEC_E_ALGORITHM_MISMATCH" \
    "$RUN_OURS" "$client" 127.0.0.1 "$port" localhost --manual --algs 6610 --expect-fail 80090331
echo "cipher policy reaches the handshake"
