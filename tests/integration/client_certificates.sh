# timeout: 240
# Client certificates against real servers on loopback: gnutls-serv
# --require-client-cert --verify-client-cert and openssl s_server -Verify 1,
# both trusting only our client CA (and naming it in their
# CertificateRequest). Our client (tls_peer_client) presents a certificate
# from a PKCS#12 file:
#   - in its credential from the start (paCred), key exportable
#     (CRYPT_EXPORTABLE | PKCS12_NO_PERSIST_KEY) over TLS 1.2 and 1.3, or
#     non-exportable (persisted, signs through its CAPI provider: TLS 1.2);
#   - only when asked: SEC_I_INCOMPLETE_CREDENTIALS, ISSUER_LIST_EX names
#     the client CA, then a new credential with the certificate and the
#     same input again (Microsoft's sample client's way);
#   - not at all: the same credential goes on with an empty Certificate
#     message and the server refuses the connection cleanly.
# A cell passes only if data crossed both ways and the server verified the
# certificate (s_server logs the verified chain; gnutls-serv refuses an
# unverifiable one and requires one).
. "$TOP_SRCDIR/tests/integration/common.bash"
. "$TOP_SRCDIR/tests/integration/interop.bash"
[ -n "$OPENSSL" ] || skip "openssl not available (openssl): it makes the client certificate's PKCS#12 file"
make_interop_pki
trust_interop_cas

make_client_certificate

# cert_case NAME VERIFIED_PATTERN ARGS...: the client must succeed and the
# server's log must show VERIFIED_PATTERN one more time than before.
cert_case() {
    local name=$1 pattern=$2 before after
    shift 2
    before=$(grep -a -c -- "$pattern" "$server_log" || true)
    if ! run_client "$name" "$@"; then
        record "$name" FAIL "$(grep -m1 '^FAIL' "$name.out" || echo "client exit status non-zero")"
        return
    fi
    sleep 0.2
    after=$(grep -a -c -- "$pattern" "$server_log" || true)
    if [ "$after" -le "$before" ]; then
        record "$name" FAIL "the server's log does not show our verified certificate"
    else
        record "$name" PASS "$(negotiated "$name"), $(grep -m1 -o 'SEC_I_INCOMPLETE_CREDENTIALS.*' "$name.out" ||
            echo "certificate in the credential")"
    fi
}

# refused_case NAME ARGS...: we send no certificate; the server must refuse.
refused_case() {
    local name=$1
    shift
    if run_client "$name" --expect-connection-failure --expect-asked 1 "$@"; then
        record "$name" PASS "refused: $(grep -m1 -E '^(handshake failed|first )' "$name.out" |
            sed -E 's/^(handshake failed|first read failed|first EncryptMessage failed|first read): //')"
    else
        record "$name" FAIL "$(grep -m1 '^FAIL' "$name.out" || echo "client crashed or exited with an error")"
    fi
}

exportable=(--client-pfx client.p12 --pfx-flags 8001)
nonexportable=(--client-pfx client.p12 --pfx-flags 0)

# ---- openssl s_server -Verify 1 ---------------------------------------------
verified='depth=0 CN = wine-secur32 test client'
server openssl-verify stdbuf -oL -eL "$OPENSSL" s_server -accept 127.0.0.1:PORT -cert rsa.pem -key rsa.key \
    -Verify 1 -verify_return_error -CAfile ca-client.pem -rev
cert_case "openssl TLS1.2 client cert (exportable key)" "$verified" "${exportable[@]}" \
    --expect-asked 0 --rev 20000 --close --expect-protocol 1.2
cert_case "openssl TLS1.3 client cert (exportable key)" "$verified" "${exportable[@]}" --sch-credentials \
    --expect-asked 0 --rev 20000 --close --expect-protocol 1.3
cert_case "openssl TLS1.2 client cert (non-exportable key)" "$verified" "${nonexportable[@]}" \
    --rev 20000 --close --expect-protocol 1.2
cert_case "openssl SCH_CREDENTIALS non-exportable key: TLS1.2" "$verified" "${nonexportable[@]}" \
    --sch-credentials --rev 20000 --close --expect-protocol 1.2
cert_case "openssl TLS1.2 cert when asked (new credential)" "$verified" "${exportable[@]}" --cert-when-asked \
    --expect-asked 1 --expect-issuer "wine-secur32 client CA" --rev 20000 --close --expect-protocol 1.2
cert_case "openssl TLS1.3 cert when asked (new credential)" "$verified" "${exportable[@]}" --cert-when-asked \
    --sch-credentials --expect-asked 1 --expect-issuer "wine-secur32 client CA" --rev 20000 --close \
    --expect-protocol 1.3
refused_case "openssl TLS1.2 no cert sent: refused"
refused_case "openssl TLS1.3 no cert sent: refused" --sch-credentials
stop_server

# ---- gnutls-serv --require-client-cert ---------------------------------------
if [ -n "$GNUTLS_SERV" ]; then
    server gnutls-require "$GNUTLS_SERV" --echo -p PORT --x509certfile rsa.pem --x509keyfile rsa.key \
        --require-client-cert --verify-client-cert --x509cafile ca-client.pem
    # gnutls-serv refuses a missing or unverifiable certificate, so an echo
    # that works is a verified certificate; its log is checked too.
    verified='Peer.s certificate.*\|subject .CN=wine-secur32 test client\|CN=wine-secur32 test client'
    cert_case "gnutls-serv TLS1.2 client cert (exportable key)" "wine-secur32 test client" "${exportable[@]}" \
        --expect-asked 0 --echo 20000 --expect-protocol 1.2
    cert_case "gnutls-serv TLS1.3 client cert (exportable key)" "wine-secur32 test client" "${exportable[@]}" \
        --sch-credentials --expect-asked 0 --echo 20000 --expect-protocol 1.3
    cert_case "gnutls-serv TLS1.2 client cert (non-exportable key)" "wine-secur32 test client" \
        "${nonexportable[@]}" --echo 20000 --expect-protocol 1.2
    cert_case "gnutls-serv TLS1.2 cert when asked (new credential)" "wine-secur32 test client" "${exportable[@]}" \
        --cert-when-asked --expect-asked 1 --expect-issuer "wine-secur32 client CA" --echo 20000 --expect-protocol 1.2
    cert_case "gnutls-serv TLS1.3 cert when asked (new credential)" "wine-secur32 test client" "${exportable[@]}" \
        --cert-when-asked --sch-credentials --expect-asked 1 --expect-issuer "wine-secur32 client CA" --echo 20000 \
        --expect-protocol 1.3
    refused_case "gnutls-serv TLS1.2 no cert sent: refused"
    refused_case "gnutls-serv TLS1.3 no cert sent: refused" --sch-credentials
    stop_server
else
    echo "gnutls-serv not available (gnutls-bin): its cells are left out"
fi

print_matrix "client certificates"
