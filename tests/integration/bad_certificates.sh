# The bad-certificate set: a server presenting each kind of bad certificate
# must be rejected by the default validation with the status Windows'
# Schannel returns, and accepted when the caller validates manually
# (SCH_CRED_MANUAL_CRED_VALIDATION). Positive controls (a good chain, the
# complete 2-level chain) show the rejections are about the certificate.
#
#   not yet valid          -> SEC_E_CERT_EXPIRED (CERT_E_EXPIRED covers both ends
#                             of the validity period)
#   expired                -> SEC_E_CERT_EXPIRED
#   self-signed            -> SEC_E_UNTRUSTED_ROOT
#   unknown CA (leaf only, or leaf + its untrusted root)
#                          -> SEC_E_UNTRUSTED_ROOT
#   missing intermediate   -> SEC_E_UNTRUSTED_ROOT (no AIA to fetch it from)
#   wrong host name        -> SEC_E_WRONG_PRINCIPAL
# timeout: 420
. "$TOP_SRCDIR/tests/integration/common.bash"
[ -n "$GNUTLS_SERV" ] || skip "gnutls-serv not available (gnutls-bin)"
make_pki
client="$TEST_EXE_DIR/tls_echo_client.exe"
trust="$TEST_EXE_DIR/trust_ca.exe"

gen_cert() { # KEY TEMPLATE OUT CA_PEM CA_KEY
    "$CERTTOOL" --generate-certificate --load-privkey "$1" --template "$2" --outfile "$3" \
        --load-ca-certificate "$4" --load-ca-privkey "$5" >/dev/null 2>&1 || fail "generating $3 failed"
}

# Not yet valid: same key and CA as server.pem, valid from 2099 on.
{ grep -v expiration_days server.tmpl
  echo 'activation_date = "2099-01-01 00:00:00 UTC"'
  echo 'expiration_date = "2100-01-01 00:00:00 UTC"'; } > notyet.tmpl
gen_cert server.key notyet.tmpl notyet.pem ca.pem ca.key

# Self-signed leaf for localhost.
"$CERTTOOL" --generate-self-signed --load-privkey server.key --template server.tmpl \
    --outfile selfsigned.pem >/dev/null 2>&1 || fail "self-signed generation failed"

# A second CA nobody trusts, and a leaf from it.
sed 's/test CA/unknown CA/' ca.tmpl > other-ca.tmpl
"$CERTTOOL" --generate-privkey --key-type=ecdsa --outfile other-ca.key >/dev/null 2>&1 &&
"$CERTTOOL" --generate-self-signed --load-privkey other-ca.key --template other-ca.tmpl \
    --outfile other-ca.pem >/dev/null 2>&1 || fail "unknown CA generation failed"
gen_cert server.key server.tmpl unknown-ca-leaf.pem other-ca.pem other-ca.key
cat unknown-ca-leaf.pem other-ca.pem > unknown-ca-chain.pem

# Trusted root -> intermediate -> leaf.
cat > intermediate.tmpl <<'T'
cn = "wine-secur32 test intermediate CA"
ca
cert_signing_key
expiration_days = 30
T
"$CERTTOOL" --generate-privkey --key-type=ecdsa --outfile intermediate.key >/dev/null 2>&1 ||
    fail "intermediate key generation failed"
gen_cert intermediate.key intermediate.tmpl intermediate.pem ca.pem ca.key
gen_cert server.key server.tmpl leaf-of-intermediate.pem intermediate.pem intermediate.key
cat leaf-of-intermediate.pem intermediate.pem > full-chain.pem

trust_ca ca.pem
trap '"$RUN_OURS" "$trust" remove ca.pem >/dev/null 2>&1; cleanup' EXIT

failures=0
# check NAME CERTFILE TARGET EXPECTED_HEX_OR_ok: one server, the default
# validation with SCHANNEL_CRED (TLS 1.2) and SCH_CREDENTIALS (TLS 1.3), then
# manual validation, which must accept whatever the certificate.
check() {
    local name=$1 cert=$2 target=$3 expected=$4 creds
    start_server "gnutls-serv-$name" "$GNUTLS_SERV" --echo -p PORT --x509certfile "$cert" --x509keyfile server.key
    for creds in "" --sch-credentials; do
        echo "--- $name ${creds:-(SCHANNEL_CRED)}: default validation, expecting $expected"
        if [ "$expected" = ok ]; then
            "$RUN_OURS" "$client" 127.0.0.1 "$port" "$target" $creds --bytes 1000 ||
                { echo "FAIL: $name was not accepted"; failures=$((failures + 1)); }
        else
            "$RUN_OURS" "$client" 127.0.0.1 "$port" "$target" $creds --bytes 100 --expect-fail "$expected" ||
                { echo "FAIL: $name was not rejected with $expected"; failures=$((failures + 1)); }
        fi
        echo "--- $name ${creds:-(SCHANNEL_CRED)}: manual validation accepts it"
        "$RUN_OURS" "$client" 127.0.0.1 "$port" "$target" $creds --manual --bytes 1000 ||
            { echo "FAIL: $name was not accepted with manual validation"; failures=$((failures + 1)); }
    done
}

check good server.pem localhost ok
check full-chain full-chain.pem localhost ok
check not-yet-valid notyet.pem localhost 80090328
check expired expired.pem localhost 80090328
check self-signed selfsigned.pem localhost 80090325
check unknown-ca-leaf-only unknown-ca-leaf.pem localhost 80090325
check unknown-ca-with-root unknown-ca-chain.pem localhost 80090325
check missing-intermediate leaf-of-intermediate.pem localhost 80090325
check wrong-host server.pem wrong.example 80090322

[ "$failures" = 0 ] || fail "$failures bad-certificate checks failed"
echo "all bad-certificate checks passed"
