#!/bin/sh
# `make test`: every suite against a throw-away PostgreSQL cluster, ending
# in one line "N passed, N failed".  Exit status 0 only when nothing failed.
#
#   unit   cmocka tests of app/ modules, built with ASan and UBSan
#   http   pytest against the real server (sanitizer build) and database
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
results=$(mktemp -d /tmp/magnet-results.XXXXXX)
pgdir=$(mktemp -d /tmp/magnet-testdb.XXXXXX)
chmod 755 "$pgdir"
passed=0
failed=0

cleanup() {
	sh db/pg.sh stop "$pgdir" >/dev/null 2>&1 || true
	rm -rf "$pgdir" "$results"
}
trap cleanup EXIT INT TERM

MAGNET_TEST_DB=$(sh db/pg.sh start "$pgdir") || {
	echo "could not start the test database"
	echo "0 passed, 1 failed"
	exit 1
}
export MAGNET_TEST_DB MAGNET_TEST_PGDIR="$pgdir"
export MAGNET_BIN="$top/build/san/magnet"
export ASAN_OPTIONS="abort_on_error=0:detect_leaks=1:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp"

echo "== unit tests (cmocka, ASan+UBSan)"
make --no-print-directory SANITIZE=address,undefined unit >"$results/unit-build.log" 2>&1 || {
	cat "$results/unit-build.log"
	failed=$((failed + 1))
}
for t in build/san/unit/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	if "$t" >"$results/$name.log" 2>&1; then rc=0; else rc=$?; fi
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$results/$name.log" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$results/$name.log" | tail -1)
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	echo "$name: $p passed, $f failed"
	[ "$f" -eq 0 ] || cat "$results/$name.log"
	passed=$((passed + p))
	failed=$((failed + f))
done

echo "== http tests (pytest, real server and PostgreSQL)"
/usr/bin/python3 -m pytest -q -p no:cacheprovider \
	--junitxml="$results/http.xml" tests/http
counts=$(/usr/bin/python3 - "$results/http.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except Exception:
    print(0, 1); sys.exit()
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
t = sum(int(s.get("tests", 0)) for s in suites)
f = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
sk = sum(int(s.get("skipped", 0)) for s in suites)
# A skipped test did not pass: count it as failed.
print(t - f - sk, f + sk if t else 1)
PY
)
set -- $counts
passed=$((passed + $1))
failed=$((failed + $2))

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
