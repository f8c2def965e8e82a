#!/bin/bash
# docs/compatibility.md stays tied to the tests: every row of its table names
# at least one test in its last column, and every test named there exists
# (unit/NAME: tests/unit/NAME_test.cpp, conformance/NAME and
# conformance-i386/NAME: tests/conformance/NAME.c, integration/NAME:
# tests/integration/NAME.sh, wine-suite/UNIT: a unit tools/run-wine-suite
# lists).  Also checks that the docs the README points
# to exist.
# timeout: 60
. "$TOP_SRCDIR/tests/integration/common.bash"
doc=$TOP_SRCDIR/docs/compatibility.md
[ -f "$doc" ] || fail "docs/compatibility.md is missing"

exists() {
    case $1 in
        unit/*) [ -f "$TOP_SRCDIR/tests/unit/${1#unit/}_test.cpp" ] ;;
        conformance/*) [ -f "$TOP_SRCDIR/tests/conformance/${1#conformance/}.c" ] ;;
        conformance-i386/*) [ -f "$TOP_SRCDIR/tests/conformance/${1#conformance-i386/}.c" ] ;;
        integration/*) [ -f "$TOP_SRCDIR/tests/integration/${1#integration/}.sh" ] ;;
        wine-suite/*) "$TOP_SRCDIR/tools/run-wine-suite" --list | grep -qx "${1#wine-suite/}" ;;
        *) return 1 ;;
    esac
}

rows=0 bad=0 named=0
# Table rows: lines starting with "|", minus the header and the |---| line.
while IFS= read -r line; do
    rows=$((rows + 1))
    feature=$(cut -d'|' -f2 <<<"$line" | sed 's/^ *//;s/ *$//')
    proof=$(awk -F'|' '{print $(NF-1)}' <<<"$line")
    tests=$(grep -oE '`[a-z0-9-]+/[A-Za-z0-9_]+`' <<<"$proof" | tr -d '`')
    if [ -z "$tests" ]; then
        echo "row without a test: $feature"; bad=$((bad + 1)); continue
    fi
    for t in $tests; do
        named=$((named + 1))
        exists "$t" || { echo "row \"$feature\" names $t, which does not exist"; bad=$((bad + 1)); }
    done
done < <(grep '^|' "$doc" | tail -n +3)

echo "$rows rows, $named test references checked"
[ "$rows" -ge 10 ] || fail "the table has only $rows rows (parse error?)"
[ "$bad" = 0 ] || fail "$bad problems in docs/compatibility.md"
for f in docs/architecture.md docs/wine-tree.md docs/compatibility.md CHANGELOG; do
    [ -f "$TOP_SRCDIR/$f" ] || fail "$f is missing"
    grep -q "$f" "$TOP_SRCDIR/README" || fail "README does not point to $f"
done
echo "docs/compatibility.md names only existing tests"
