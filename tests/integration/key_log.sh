# SSLKEYLOGFILE: with it set (a Unix path, or a Windows path Wine
# translates) our secur32 appends NSS key-log lines for TLS 1.2 and 1.3;
# without it nothing is written anywhere.
# timeout: 120
. "$TOP_SRCDIR/tests/integration/common.bash"
[ -n "$GNUTLS_SERV" ] || skip "gnutls-serv not available (gnutls-bin)"
make_pki
client="$TEST_EXE_DIR/tls_echo_client.exe"
start_server gnutls-serv "$GNUTLS_SERV" --echo -p PORT --x509certfile server.pem --x509keyfile server.key

hex64='[0-9a-f]{64}'
SSLKEYLOGFILE="$PWD/keys-unix.log" "$RUN_OURS" "$client" 127.0.0.1 "$port" localhost --manual --bytes 100 ||
    fail "TLS 1.2 connection with SSLKEYLOGFILE failed"
grep -Eq "^CLIENT_RANDOM $hex64 [0-9a-f]{96}\$" keys-unix.log || { cat keys-unix.log; fail "no TLS 1.2 CLIENT_RANDOM line"; }

# The same through a Windows path (Z: is the Unix root in a Wine prefix).
winpath="Z:$(echo "$PWD/keys-win.log" | tr / '\\')"
SSLKEYLOGFILE="$winpath" "$RUN_OURS" "$client" 127.0.0.1 "$port" localhost --manual --sch-credentials --bytes 100 ||
    fail "TLS 1.3 connection with SSLKEYLOGFILE failed"
for label in CLIENT_HANDSHAKE_TRAFFIC_SECRET SERVER_HANDSHAKE_TRAFFIC_SECRET CLIENT_TRAFFIC_SECRET_0 \
             SERVER_TRAFFIC_SECRET_0; do
    grep -Eq "^$label $hex64 [0-9a-f]{64,96}\$" keys-win.log || { cat keys-win.log; fail "no $label line"; }
done
# Every line of one handshake carries the same client random.
[ "$(awk '{print $2}' keys-win.log | sort -u | wc -l)" = 1 ] || fail "lines of one connection disagree on the client random"

# Unset: no key log (the file named before must not grow either).
before=$(wc -c < keys-unix.log)
env -u SSLKEYLOGFILE "$RUN_OURS" "$client" 127.0.0.1 "$port" localhost --manual --bytes 100 || fail "plain connection failed"
[ "$(wc -c < keys-unix.log)" = "$before" ] || fail "secrets were written without SSLKEYLOGFILE"
echo "key log lines written only on request"
