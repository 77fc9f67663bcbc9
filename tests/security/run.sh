#!/bin/sh
# tests/security/run.sh quick|full: Magnet under attack from outside.
#
#   access   every route of the route table (`magnet routes`) as visitor,
#            returnee, employer, partner office, moderator and admin, on
#            objects of the account itself and of a second account of the
#            same role,
#            against the intended answers in access.py
#   sqlmap   signed in as each role: no parameter injectable
#   wapiti   xss, permanentxss, sql, blindsql, exec, crlf, redirect, csrf,
#            methods, backup, signed in: no finding in its JSON report
#   server   the server's log: no sanitizer report, no 500
#
# quick (make test): sqlmap --forms --crawl at level 1 on a few forms and
# query parameters as two roles, wapiti crawling for about two minutes as
# one role.
# full (make check-security): targets.py crawls the site as every role and
# lists every form and query parameter, once per route (and the path of
# routes with a {slug}); sqlmap attacks each parameter at level 5, risk 3
# (two runs at once, MAGNET_SQLMAP_JOBS), plus the request headers and
# cookies as each role; wapiti attacks the same list as each role.  The
# full run is unbounded unless MAGNET_SQLMAP_SECONDS (the whole sqlmap
# stage) or MAGNET_WAPITI_SECONDS (one role's wapiti) is set; a run
# stopped by a bound fails, since it did not test everything.
#
# Its own PostgreSQL cluster, `magnet migrate` and `seed-demo`, and the
# ASan/UBSan server (build/san/magnet) with tests/security/scan.conf on a
# free port; everything it started is stopped on exit, even on a signal.
# Ends with "security: N passed, N failed".
set -u
mode=${1:-quick}
case $mode in quick|full) ;; *) echo "usage: $0 quick|full" >&2; exit 2 ;; esac
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
PY=/usr/bin/python3
work=$(mktemp -d /tmp/magnet-sec.XXXXXX)
chmod 755 "$work"
pgdir=$work/pg
mkdir -p "$pgdir"
chmod 755 "$pgdir"
passed=0
failed=0
server_pid=
job_pid=
started=$(date +%s)

cleanup() {
	[ -n "$job_pid" ] && kill -TERM "$job_pid" 2>/dev/null
	[ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null
	[ -n "$server_pid" ] && sleep 1 && kill -KILL "$server_pid" 2>/dev/null
	sh db/pg.sh stop "$pgdir" >/dev/null 2>&1 || true
	if [ -n "${MAGNET_SECURITY_KEEP:-}" ]; then
		echo "security: kept $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }
finish() {
	echo "security ($mode) took $(( $(date +%s) - started )) s"
	echo "security: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}

# Run a command in the background and wait, so that a signal reaches
# the trap at once and the trap can stop the command.
run_job() {
	"$@" &
	job_pid=$!
	wait "$job_pid"
	_rc=$?
	job_pid=
	return $_rc
}

export ASAN_OPTIONS="abort_on_error=0:detect_leaks=1:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp"
BIN=$top/build/san/magnet
[ -x "$BIN" ] || { fail "setup: $BIN is missing (make SANITIZE=address,undefined all)"; finish; }

# ---- database, sample data, server --------------------------------------
db=$(sh db/pg.sh start "$pgdir" 2>"$work/pg.log") || {
	cat "$work/pg.log"
	fail "setup: the database did not start"
	finish
}
log=$work/server.log
export MAGNET_DB="$db" MAGNET_CONF="$top/tests/security/scan.conf"
if ! "$BIN" migrate >"$log" 2>&1 || ! "$BIN" seed-demo >>"$log" 2>&1 ||
    ! psql "$db" -qtAc "UPDATE settings SET value = '0'
	WHERE key IN ('new_user_holds', 'new_user_post_interval')" >>"$log" 2>&1
then
	tail -20 "$log"
	fail "setup: migrate and seed-demo"
	finish
fi
port=$($PY -c 'import socket; s = socket.socket()
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
MAGNET_LISTEN="127.0.0.1:$port" "$BIN" serve >>"$log" 2>&1 &
server_pid=$!
up=0
for _ in $(seq 1 120); do
	if curl -fs --max-time 2 "$base/healthz" >/dev/null 2>&1; then
		up=1
		break
	fi
	kill -0 "$server_pid" 2>/dev/null || break
	sleep 0.5
done
if [ "$up" -ne 1 ]; then
	tail -20 "$log"
	fail "setup: the server did not start"
	finish
fi
echo "security: server $base (ASan+UBSan), database $pgdir, mode $mode"

# ---- accounts and objects, then the access sweep ------------------------
# access.py makes two accounts of every role (`magnet user add`, as
# tests/http/conftest.py's make_user) and objects owned by each, sweeps
# every route, and leaves signed-in cookies for the scanners in
# $work/sessions.json.
export MAGNET_BIN="$BIN" MAGNET_SEC_BASE="$base" MAGNET_SEC_WORK="$work"
run_job timeout -k 5 600 $PY tests/security/access.py >"$work/access.log" 2>&1
rc=$?
grep -v '^PASS\|^FAIL' "$work/access.log" | tail -60
line=$(grep '^PASS \|^FAIL ' "$work/access.log" | tail -1)
case $line in
"PASS "*) pass "${line#PASS }" ;;
"FAIL "*) fail "${line#FAIL }" ;;
*) fail "access: the sweep stopped (exit $rc) before its result" ;;
esac
if [ ! -s "$work/sessions.json" ]; then
	fail "setup: no signed-in accounts for the scanners"
	finish
fi

# ---- what the full scan attacks ---------------------------------------------
# targets.py crawls as each role and keeps one request for each route and
# set of parameter names (tests/security/targets.py says why).
if [ "$mode" = full ]; then
	run_job timeout -k 5 600 $PY tests/security/targets.py >"$work/targets.log" 2>&1
	rc=$?
	cat "$work/targets.log" | tail -20
	if [ "$rc" -ne 0 ] || [ ! -s "$work/targets.json" ]; then
		fail "setup: targets.py found nothing to attack (exit $rc)"
		finish
	fi
fi

# ---- sqlmap ---------------------------------------------------------------
$PY tests/security/scanners.py sqlmap "$mode" >"$work/sqlmap.out" 2>&1 &
job_pid=$!
wait "$job_pid"
job_pid=
grep -v '^PASS\|^FAIL' "$work/sqlmap.out" | tail -30
line=$(grep '^PASS \|^FAIL ' "$work/sqlmap.out" | tail -1)
case $line in
"PASS "*) pass "${line#PASS }" ;;
"FAIL "*) fail "${line#FAIL }" ;;
*) fail "sqlmap: no result" ;;
esac

# ---- wapiti ---------------------------------------------------------------
$PY tests/security/scanners.py wapiti "$mode" >"$work/wapiti.out" 2>&1 &
job_pid=$!
wait "$job_pid"
job_pid=
grep -v '^PASS\|^FAIL' "$work/wapiti.out" | tail -30
line=$(grep '^PASS \|^FAIL ' "$work/wapiti.out" | tail -1)
case $line in
"PASS "*) pass "${line#PASS }" ;;
"FAIL "*) fail "${line#FAIL }" ;;
*) fail "wapiti: no result" ;;
esac

# ---- the server's own account of it --------------------------------------
kill -TERM "$server_pid" 2>/dev/null
src=0
for _ in $(seq 1 60); do
	kill -0 "$server_pid" 2>/dev/null || break
	sleep 0.5
done
if kill -0 "$server_pid" 2>/dev/null; then
	kill -KILL "$server_pid" 2>/dev/null
	src=stuck
fi
wait "$server_pid" 2>/dev/null || { [ "$src" = stuck ] || src=$?; }
server_pid=
requests=$(grep -c ' status=' "$log")
n500=$(grep ' status=500 ' "$log" | wc -l | tr -d ' ')
nsan=$(grep -cE 'AddressSanitizer|LeakSanitizer|runtime error:' "$log")
rule="server: no sanitizer report, no 500 in the access log, clean stop"
if [ "$nsan" -eq 0 ] && [ "$n500" -eq 0 ] && [ "$src" = 0 ]; then
	pass "$rule ($requests requests logged, 0 answered 500, 0 sanitizer reports, exit 0)"
else
	grep ' status=500 ' "$log" | head -10
	grep -E -A30 'AddressSanitizer|LeakSanitizer|runtime error:' "$log" | head -60
	fail "$rule ($requests requests, $n500 answered 500, $nsan sanitizer reports, exit $src)"
fi
finish
