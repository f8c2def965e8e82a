# Hostile peers: a native server (tests/hostile/hostile_peer.cpp) sends
# truncated, oversized and tampered records, alerts, a renegotiation
# request, downgrade attempts, an untrusted certificate, a flood of empty
# records, garbage, and closes mid-handshake; the Windows client
# (tests/programs/tls_hostile_client.c) expects the exact SEC_E_* for each
# and makes a good connection after every one.
# timeout: 300
. "$TOP_SRCDIR/tests/integration/common.bash"
peer=$BUILD_DIR/tests/native/hostile_peer
[ -x "$peer" ] || fail "$peer is not built"
scenarios="truncated_record oversized_record oversized_record_tls13 bad_mac unexpected_alert alert_in_handshake
    renegotiate downgrade_tls10 downgrade_sentinel invalid_certificate empty_records close_mid_handshake
    garbage_handshake oversized_handshake_record"
# shellcheck disable=SC2086
"$peer" port.txt $scenarios 2> peer.log &
peer_pid=$!
server_pids+=("$peer_pid")
for _ in $(seq 1 100); do [ -s port.txt ] && break; sleep 0.1; done
[ -s port.txt ] || { cat peer.log; fail "the hostile peer did not start"; }
# shellcheck disable=SC2086
out=$("$RUN_OURS" "$TEST_EXE_DIR/tls_hostile_client.exe" 127.0.0.1 "$(cat port.txt)" $scenarios)
rc=$?
echo "$out"
[ $rc = 0 ] || { echo "--- peer log"; cat peer.log; fail "hostile peer scenarios failed"; }
wait "$peer_pid" || fail "the hostile peer failed"
