# timeout: 240
# Interop matrix: our Schannel client against openssl s_server (OpenSSL 3)
# on loopback. Every cell forces one thing on the server side and asserts,
# in tls_peer_client, what CONNECTION_INFO / CIPHER_INFO / STREAM_SIZES
# report and that every byte crossed intact both ways:
#   - TLS 1.2 and 1.3 x RSA-2048 / ECDSA P-256 certificates x AES-128-GCM /
#     AES-256-GCM / ChaCha20-Poly1305, each ended by the server's
#     close_notify (s_server -rev closes on "CLOSE"), which DecryptMessage
#     must report as SEC_I_CONTEXT_EXPIRED after all the data before it;
#   - > 1 MB both ways through -rev (one record per line, 1 to 6000 bytes)
#     and a 2 MB download through -WWW (full-size records), compared byte
#     for byte;
#   - a HelloRetryRequest (the server accepts only P-384 or ffdhe2048, for
#     which GnuTLS sends no key share first), checked in the server's trace;
#   - SCH_CREDENTIALS against a TLS 1.2-only server;
#   - a server that asks for a client certificate: SEC_I_INCOMPLETE_CREDENTIALS,
#     then the same credential goes on without one and must still work
#     (client_certificates.sh sends certificates to s_server).
# Certificate validation is the default (automatic), with our test CAs
# trusted in the prefix for the duration of the script.
. "$TOP_SRCDIR/tests/integration/common.bash"
. "$TOP_SRCDIR/tests/integration/interop.bash"
[ -n "$OPENSSL" ] || skip "openssl not available (openssl)"
"$OPENSSL" version
make_interop_pki
trust_interop_cas

# s_server output is line-buffered so the log is complete when we read it.
ossl() {
    local name=$1
    shift
    server "$name" stdbuf -oL -eL "$OPENSSL" s_server -accept 127.0.0.1:PORT "$@"
}

# The server's own view, for the log.
server_view() {
    grep -a -E '^(Protocol version|Ciphersuite|Supported groups):' "$server_log" | sed 's/^/    server: /'
}

# ---- the cipher / certificate / version matrix -----------------------------
for cert in rsa ecdsa; do
    CERT=$(tr a-z A-Z <<< $cert)
    for cipher in AES128-GCM AES256-GCM CHACHA20; do
        case $cipher in
            AES128-GCM) ossl12=ECDHE-$CERT-AES128-GCM-SHA256 ossl13=TLS_AES_128_GCM_SHA256 ;;
            AES256-GCM) ossl12=ECDHE-$CERT-AES256-GCM-SHA384 ossl13=TLS_AES_256_GCM_SHA384 ;;
            CHACHA20)   ossl12=ECDHE-$CERT-CHACHA20-POLY1305 ossl13=TLS_CHACHA20_POLY1305_SHA256 ;;
        esac
        name="openssl TLS1.2 $CERT $ossl12"
        ossl tls12-$cert-$cipher -cert $cert.pem -key $cert.key -tls1_2 -cipher "$ossl12" -rev
        # shellcheck disable=SC2046
        client_case "$name" --rev 100000 --close $(suite_expectations 1.2 "ECDHE-$CERT-$cipher")
        server_view
        stop_server

        name="openssl TLS1.3 $CERT $ossl13"
        ossl tls13-$cert-$cipher -cert $cert.pem -key $cert.key -tls1_3 -ciphersuites "$ossl13" -rev
        # shellcheck disable=SC2046
        client_case "$name" --sch-credentials --rev 100000 --close $(suite_expectations 1.3 "$ossl13")
        server_view
        stop_server
    done
done

# ---- large transfers -------------------------------------------------------
ossl rev-large -cert rsa.pem -key rsa.key -rev
client_case "openssl TLS1.2 RSA -rev 1.1 MB both ways + close_notify" \
    --rev 1100000 --close --expect-protocol 1.2
client_case "openssl TLS1.3 RSA -rev 1.1 MB both ways + close_notify" \
    --sch-credentials --rev 1100000 --close --expect-protocol 1.3
stop_server

head -c 2000000 /dev/urandom > download.bin
ossl www-ecdsa -cert ecdsa.pem -key ecdsa.key -WWW
for version in 1.2 1.3; do
    name="openssl TLS$version ECDSA -WWW 2 MB download + close_notify"
    rm -f got-$version.bin
    opts=(--expect-protocol $version --get download.bin --save got-$version.bin)
    [ $version = 1.3 ] && opts+=(--sch-credentials)
    if ! run_client "$name" "${opts[@]}"; then
        record "$name" FAIL "$(grep -m1 '^FAIL' "$name.out" || echo "client exit status non-zero")"
    elif ! cmp download.bin got-$version.bin; then
        record "$name" FAIL "the saved body differs from the served file"
    else
        record "$name" PASS "$(negotiated "$name"), 2000000 bytes identical"
    fi
done
stop_server

# ---- HelloRetryRequest -----------------------------------------------------
# The HRR is a ServerHello whose random is SHA-256("HelloRetryRequest").
hrr_random=E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C
for group in P-384 ffdhe2048; do
    name="openssl TLS1.3 HelloRetryRequest (server: -groups $group)"
    ossl hrr-$group -cert rsa.pem -key rsa.key -tls1_3 -groups $group -trace -rev
    if ! run_client "$name" --sch-credentials --rev 20000 --close --expect-protocol 1.3; then
        record "$name" FAIL "$(grep -m1 '^FAIL' "$name.out" || echo "client exit status non-zero")"
    elif ! grep -q "$hrr_random" "$server_log"; then
        # Not our module's fault, but then this cell tests nothing.
        record "$name" FAIL "the server sent no HelloRetryRequest: the case does not test HRR"
    else
        record "$name" PASS "$(negotiated "$name"), HRR seen in the server trace"
    fi
    grep -a -o 'NamedGroup: [^(]*([^)]*)' "$server_log" | sort | uniq -c | sed 's/^/    server trace: /'
    stop_server
done

# ---- version negotiation ---------------------------------------------------
ossl tls12-only -cert ecdsa.pem -key ecdsa.key -tls1_2 -rev
client_case "openssl TLS1.2-only server, SCH_CREDENTIALS client" --sch-credentials --rev 50000 --close \
    --expect-protocol 1.2
stop_server

# ---- client certificates ---------------------------------------------------
ossl verify-optional -cert rsa.pem -key rsa.key -verify 1 -CAfile ca-rsa.pem -rev
client_case "openssl TLS1.2 server asks (-verify), we send none" --expect-asked 1 --rev 20000 --close \
    --expect-protocol 1.2
client_case "openssl TLS1.3 server asks (-verify), we send none" --expect-asked 1 --sch-credentials --rev 20000 \
    --close --expect-protocol 1.3
stop_server

print_matrix "openssl s_server"
