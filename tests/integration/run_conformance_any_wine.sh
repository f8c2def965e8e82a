#!/bin/bash
# tools/run-conformance runs our conformance units under whatever WINE names
# (README: "Running the conformance tests against any Wine"): under our
# runner, under the plain system Wine (Wine's own secur32), and it reports a
# failing unit with a non-zero exit status.
# timeout: 200
. "$TOP_SRCDIR/tests/integration/common.bash"
. "$TOP_BUILDDIR/tools/build.conf"
rc_tool=$TOP_SRCDIR/tools/run-conformance

echo "== WINE=$RUN_OURS (our module)"
WINE=$RUN_OURS WINETEST_PLATFORM=windows WINE_SECUR32_EXPECT=ours "$rc_tool" module_identity packages ||
    fail "run-conformance under our runner failed"

echo "== WINE=$WINE_LOADER (stock Wine, Wine's own secur32)"
out=$(WINE=$WINE_LOADER WINE_SECUR32_EXPECT=stock "$rc_tool" module_identity 2>&1) ||
    { echo "$out"; fail "run-conformance under stock Wine failed"; }
echo "$out"
grep -q "stock (no WineSecur32BuildInfo)" <<<"$out" || fail "stock Wine did not run Wine's secur32"
grep -q "WINE=$WINE_LOADER " <<<"$out" || fail "WINE was not used"

echo "== a failing unit makes it fail"
WINE=$WINE_LOADER WINE_SECUR32_EXPECT=ours "$rc_tool" module_identity && fail "a failing unit was not reported"
WINE=/nonexistent/wine "$rc_tool" module_identity && fail "a missing WINE was accepted"
echo "failures are reported"
