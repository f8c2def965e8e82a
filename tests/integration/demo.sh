# The README's main job (tools/demo/run-demo) works: a Windows program
# fetches a page over HTTPS through our secur32, TLS 1.2 and TLS 1.3, with
# default certificate validation against a CA it trusts in the prefix.
# timeout: 180
. "$TOP_SRCDIR/tests/integration/common.bash"
[ -n "$GNUTLS_SERV" ] || skip "gnutls-serv not available (gnutls-bin)"
"$TOP_SRCDIR/tools/demo/run-demo" > demo.out 2>&1 || { cat demo.out; fail "run-demo failed"; }
cat demo.out
grep -q "secur32:     wine-secur32" demo.out || fail "the demo did not run through our module"
grep -q "protocol:    TLS 1.2" demo.out || fail "no TLS 1.2 fetch"
grep -q "protocol:    TLS 1.3" demo.out || fail "no TLS 1.3 fetch"
[ "$(grep -c 'response:    HTTP/1.0 200 OK' demo.out)" = 2 ] || fail "expected two successful fetches"
