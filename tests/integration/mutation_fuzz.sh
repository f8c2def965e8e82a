# Mutation fuzzing under Wine: captured flights and records of our own
# client and server, mutated, into InitializeSecurityContext,
# AcceptSecurityContext and DecryptMessage; every result must be a
# documented code and nothing may crash (tests/programs/tls_mutation_fuzz.c).
# 2,000 mutated inputs in make check, 100,000 under make stress (STRESS=1).
# timeout: 1800
. "$TOP_SRCDIR/tests/integration/common.bash"
iterations=2000
[ -n "${STRESS:-}" ] && iterations=100000
out=$("$RUN_OURS" "$TEST_EXE_DIR/tls_mutation_fuzz.exe" $iterations 1) || { echo "$out"; fail "mutation fuzzing failed"; }
echo "$out"
grep -q "^$iterations mutated inputs, .* 0 undocumented results" <<< "$out" || fail "no summary line"
