# Helpers for the peer-matrix scripts (openssl_s_server_client.sh,
# gnutls_serv_matrix.sh); sourced after common.bash. Each case starts its
# own server (the forced suite or group is server configuration), runs
# tls_peer_client.exe against it, and records PASS or FAIL; the script goes
# on through the whole matrix so one broken cell does not hide the others,
# prints the matrix, and fails if any cell failed.

peer_client="$TEST_EXE_DIR/tls_peer_client.exe"
trust="$TEST_EXE_DIR/trust_ca.exe"
matrix=()
matrix_failures=0
trusted_cas=()

# A PEM left trusted in the shared prefix would outlive this script.
interop_cleanup() {
    local ca
    for ca in "${trusted_cas[@]:-}"; do [ -n "$ca" ] && "$RUN_OURS" "$trust" remove "$ca" >/dev/null 2>&1; done
    cleanup
}
trap interop_cleanup EXIT

# make_interop_pki: RSA-2048 and ECDSA P-256 server certificates for
# localhost/127.0.0.1 (rsa.pem/rsa.key, ecdsa.pem/ecdsa.key), each signed by
# a CA of its own key type (ca-rsa.pem, ca-ecdsa.pem), so every signature in
# a chain is of the kind the case names. openssl if present, else certtool.
make_interop_pki() {
    local kind
    if [ -n "${OPENSSL:-}" ]; then
        printf '%s\n' 'subjectAltName = DNS:localhost, IP:127.0.0.1' 'extendedKeyUsage = serverAuth' \
            'basicConstraints = CA:FALSE' > leaf.ext
        for kind in rsa ecdsa; do
            local newkey=(-newkey rsa:2048)
            [ $kind = ecdsa ] && newkey=(-newkey ec -pkeyopt ec_paramgen_curve:P-256)
            "$OPENSSL" req -x509 "${newkey[@]}" -nodes -keyout ca-$kind.key -out ca-$kind.pem -days 30 \
                -subj "/CN=wine-secur32 interop $kind CA" >/dev/null 2>&1 &&
            "$OPENSSL" req -new "${newkey[@]}" -nodes -keyout $kind.key -out $kind.csr -subj /CN=localhost \
                >/dev/null 2>&1 &&
            "$OPENSSL" x509 -req -in $kind.csr -CA ca-$kind.pem -CAkey ca-$kind.key -CAcreateserial -days 30 \
                -extfile leaf.ext -out $kind.pem >/dev/null 2>&1 || fail "openssl: $kind certificate generation failed"
        done
    elif [ -n "${CERTTOOL:-}" ]; then
        printf '%s\n' 'cn = "localhost"' 'dns_name = "localhost"' 'ip_address = "127.0.0.1"' tls_www_server \
            signing_key encryption_key 'expiration_days = 30' > leaf.tmpl
        for kind in rsa ecdsa; do
            local keytype=(--key-type=rsa --bits=2048)
            [ $kind = ecdsa ] && keytype=(--key-type=ecdsa --curve=secp256r1)
            printf '%s\n' "cn = \"wine-secur32 interop $kind CA\"" ca cert_signing_key 'expiration_days = 30' \
                > ca-$kind.tmpl
            "$CERTTOOL" --generate-privkey "${keytype[@]}" --outfile ca-$kind.key >/dev/null 2>&1 &&
            "$CERTTOOL" --generate-self-signed --load-privkey ca-$kind.key --template ca-$kind.tmpl \
                --outfile ca-$kind.pem >/dev/null 2>&1 &&
            "$CERTTOOL" --generate-privkey "${keytype[@]}" --outfile $kind.key >/dev/null 2>&1 &&
            "$CERTTOOL" --generate-certificate --load-privkey $kind.key --load-ca-certificate ca-$kind.pem \
                --load-ca-privkey ca-$kind.key --template leaf.tmpl --outfile $kind.pem >/dev/null 2>&1 ||
                fail "certtool: $kind certificate generation failed"
        done
    else
        skip "neither openssl nor certtool available to make certificates"
    fi
}

# make_client_certificate: a client CA of its own (ca-client.pem) and a
# client-authentication certificate it signed, CN "wine-secur32 test client"
# (client.pem/client.key, and client.p12 with password "wine" for
# tls_peer_client). Needs openssl.
make_client_certificate() {
    printf '%s\n' 'extendedKeyUsage = clientAuth' 'basicConstraints = CA:FALSE' > client.ext
    "$OPENSSL" req -x509 -newkey rsa:2048 -nodes -keyout ca-client.key -out ca-client.pem -days 30 \
        -subj "/CN=wine-secur32 client CA" >/dev/null 2>&1 &&
    "$OPENSSL" req -new -newkey rsa:2048 -nodes -keyout client.key -out client.csr \
        -subj "/CN=wine-secur32 test client" >/dev/null 2>&1 &&
    "$OPENSSL" x509 -req -in client.csr -CA ca-client.pem -CAkey ca-client.key -CAcreateserial -days 30 \
        -extfile client.ext -out client.pem >/dev/null 2>&1 &&
    "$OPENSSL" pkcs12 -export -in client.pem -inkey client.key -passout pass:wine -out client.p12 ||
        fail "openssl: client certificate generation failed"
}

# trust_interop_cas: the cases use default (automatic) validation, as real
# clients do, so crypt32 must accept both chains.
trust_interop_cas() {
    local ca
    for ca in ca-rsa.pem ca-ecdsa.pem; do
        trust_ca "$ca"
        trusted_cas+=("$ca")
    done
}

# suite_expectations VERSION SUITE: tls_peer_client options asserting
# CONNECTION_INFO's protocol, CIPHER_INFO's IANA id and name, the key size
# and STREAM_SIZES' header/trailer (TLS 1.2 GCM carries an 8-byte explicit
# nonce in the header, ChaCha20 none; TLS 1.3 adds the content-type byte).
suite_expectations() {
    local version=$1 suite=$2 id name bits sizes
    case $suite in
        ECDHE-RSA-AES128-GCM)     id=c02f name=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 bits=128 ;;
        ECDHE-RSA-AES256-GCM)     id=c030 name=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 bits=256 ;;
        ECDHE-RSA-CHACHA20)       id=cca8 name=TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 bits=256 ;;
        ECDHE-ECDSA-AES128-GCM)   id=c02b name=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 bits=128 ;;
        ECDHE-ECDSA-AES256-GCM)   id=c02c name=TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 bits=256 ;;
        ECDHE-ECDSA-CHACHA20)     id=cca9 name=TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 bits=256 ;;
        DHE-RSA-AES128-GCM)       id=009e name=TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 bits=128 ;;
        RSA-AES128-GCM)           id=009c name=TLS_RSA_WITH_AES_128_GCM_SHA256 bits=128 ;;
        TLS_AES_128_GCM_SHA256)       id=1301 name=$suite bits=128 ;;
        TLS_AES_256_GCM_SHA384)       id=1302 name=$suite bits=256 ;;
        TLS_CHACHA20_POLY1305_SHA256) id=1303 name=$suite bits=256 ;;
        *) fail "suite_expectations: unknown suite $suite" ;;
    esac
    case $version/$suite in
        1.3/*) sizes=5/17 ;;
        1.2/*CHACHA20*) sizes=5/16 ;;
        1.2/*) sizes=13/16 ;;
    esac
    echo "--expect-protocol $version --expect-suite $id --expect-suite-name $name --expect-bits $bits --expect-sizes $sizes"
}

# server NAME COMMAND... : starts a peer for one case (the word PORT in the
# command becomes its port; its output goes to NAME.log); stop_server ends it.
server() {
    start_server "$@"
    server_pid=${server_pids[${#server_pids[@]} - 1]}
    server_log=$1.log
}
stop_server() {
    local i
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
    # Forget it, so the exit trap cannot signal a recycled pid.
    for i in "${!server_pids[@]}"; do [ "${server_pids[$i]}" = "$server_pid" ] && unset "server_pids[$i]"; done
}

# run_client NAME ARGS... : tls_peer_client against the current server,
# output in NAME.out and in the log; returns the client's status.
run_client() {
    local name=$1 status=0 start=$EPOCHREALTIME
    shift
    echo "--- $name: tls_peer_client $*"
    "$RUN_OURS" "$peer_client" 127.0.0.1 "$port" localhost "$@" > "$name.out" 2>&1 || status=$?
    # tls_peer_client prints a line on every path, so a failure with no
    # output at all means the process was ended from outside (seen once
    # on a fresh CI machine: exit 1, 0.12 s, nothing printed, the server
    # saw a connection close). Say so and run the case once more.
    if [ "$status" != 0 ] && [ ! -s "$name.out" ]; then
        echo "    (exit status $status with no output at all: the process was ended from outside; once more)"
        status=0
        "$RUN_OURS" "$peer_client" 127.0.0.1 "$port" localhost "$@" > "$name.out" 2>&1 || status=$?
    fi
    sed 's/^/    /' "$name.out"
    echo "    (exit status $status, $(awk "BEGIN { printf \"%.2f\", $EPOCHREALTIME - $start }") s)"
    return $status
}

# record NAME PASS|FAIL DETAIL : one cell of the matrix; a failure shows the
# end of the server's log next to it.
record() {
    local name=$1 result=$2 detail=$3
    matrix+=("$(printf '%-4s %-58s %s' "$result" "$name" "$detail")")
    if [ "$result" != PASS ]; then
        matrix_failures=$((matrix_failures + 1))
        echo "    FAIL: $name: $detail"
        if [ -n "${server_log:-}" ] && [ -f "$server_log" ]; then
            echo "    server log ($server_log), last lines:"
            grep -av '^ *[0-9a-f]\{4\} - ' "$server_log" | tail -n 15 | sed 's/^/      | /'
        fi
    fi
}

# negotiated NAME: what the client reported, for the matrix.
negotiated() {
    sed -n 's/^negotiated: \([^,]*\), \([^ ]*\) .*/\1 \2/p' "$1.out" | head -n 1
}

# client_case NAME ARGS... : run_client, then record by its status.
client_case() {
    local name=$1
    if run_client "$@"; then
        record "$name" PASS "$(negotiated "$name")"
    else
        record "$name" FAIL "$(grep -m1 '^FAIL' "$name.out" || echo "client exit status non-zero")"
    fi
}

print_matrix() {
    local line
    echo
    echo "=== interop matrix ($1)"
    for line in "${matrix[@]}"; do echo "$line"; done
    echo "${#matrix[@]} cases, $matrix_failures failed"
    [ "$matrix_failures" = 0 ] || fail "$matrix_failures interop case(s) failed"
}
