#!/bin/sh
# tests/cluster/run.sh quick|full: two Magnet nodes (build/magnet) behind
# haproxy on loopback, sharing one PostgreSQL cluster of their own, with
# visitors' pages cached for 5 s so that only cache invalidation (LISTEN/
# NOTIFY) can make a post show on the other node within a second.  The
# checks are in cluster.py; each prints "PASS|FAIL name: rule (figures)".
# quick (make test): streams of 3 x 5 s; full (make check-cluster):
# 3 x 20 s and more trials.  Ends with "cluster: N passed, N failed".
set -u
mode=${1:-quick}
case $mode in quick|full) ;; *) echo "usage: $0 quick|full" >&2; exit 2 ;; esac
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

work=$(mktemp -d /tmp/magnet-cluster.XXXXXX)
pgdir=$(mktemp -d /tmp/magnet-clusterdb.XXXXXX)
chmod 755 "$work" "$pgdir"
out="$work/checks.out"
: >"$work/pids"
py_pid=

# Everything this script started, by its process id: the checks'
# process, then the nodes and haproxy it recorded in $work/pids.
cleanup() {
	trap - EXIT INT TERM
	if [ -n "$py_pid" ] && kill -0 "$py_pid" 2>/dev/null; then
		kill -TERM "$py_pid" 2>/dev/null
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$py_pid" 2>/dev/null || break
			sleep 0.5
		done
		kill -KILL "$py_pid" 2>/dev/null
	fi
	for pid in $(cat "$work/pids" 2>/dev/null); do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in $(cat "$work/pids" 2>/dev/null); do
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.5
		done
		kill -KILL "$pid" 2>/dev/null
	done
	sh db/pg.sh stop "$pgdir" >/dev/null 2>&1 || true
	# MAGNET_CLUSTER_KEEP=1 keeps the logs and configurations to read.
	if [ -n "${MAGNET_CLUSTER_KEEP:-}" ]; then
		echo "kept $work"
		rm -rf "$pgdir"
	else
		rm -rf "$work" "$pgdir"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

summary() {
	p=$(grep -c '^PASS ' "$out" 2>/dev/null)
	f=$(grep -c '^FAIL ' "$out" 2>/dev/null)
	echo "cluster: ${p:-0} passed, $(( ${f:-0} + $1 )) failed"
}

fail_setup() {
	echo "FAIL setup: $1"
	echo "FAIL setup: $1" >>"$out"
	summary 0
	exit 1
}

bin=$top/build/magnet
haproxy=/usr/sbin/haproxy
[ -x "$bin" ] || fail_setup "no $bin (run make first)"
[ -x "$haproxy" ] || fail_setup "no $haproxy (apt-get install haproxy)"
command -v psql >/dev/null || fail_setup "no psql"

echo "== cluster ($mode): PostgreSQL, two nodes, haproxy $("$haproxy" -v | sed -n '1s/HAProxy version \([^ ]*\).*/\1/p')"
url=$(sh db/pg.sh start "$pgdir" 2>"$work/pg.log") ||
    fail_setup "the database did not start: $(tail -3 "$work/pg.log")"
MAGNET_DB=$url "$bin" migrate >"$work/migrate.log" 2>&1 ||
    fail_setup "magnet migrate: $(tail -3 "$work/migrate.log")"

start=$(date +%s)
MAGNET_CLUSTER_DB=$url MAGNET_CLUSTER_WORK=$work MAGNET_BIN=$bin \
    HAPROXY=$haproxy /usr/bin/python3 -u tests/cluster/cluster.py "$mode" \
    >"$out" 2>"$work/checks.err" &
py_pid=$!
# Show the lines as they come while waiting (bounded by the checks' own
# time limits, and by tests/run.sh's timeout).
shown=0
while kill -0 "$py_pid" 2>/dev/null; do
	n=$(wc -l <"$out")
	if [ "$n" -gt "$shown" ]; then
		sed -n "$((shown + 1)),${n}p" "$out"
		shown=$n
	fi
	sleep 1
done
wait "$py_pid"
rc=$?
py_pid=
sed -n "$((shown + 1)),\$p" "$out"
extra=0
if [ "$rc" -ne 0 ] && ! grep -q '^FAIL ' "$out"; then
	echo "FAIL checks: cluster.py exited with $rc without a FAIL line:"
	tail -20 "$work/checks.err"
	extra=1
fi
if grep -q '^FAIL ' "$out"; then
	echo "-- logs (last lines)"
	for f in "$work"/node-*.log "$work/haproxy.log" "$work/checks.err"; do
		[ -s "$f" ] || continue
		echo "--- $f"
		grep -v 'status=200\|path=' "$f" | tail -15
	done
fi
echo "($(( $(date +%s) - start )) s)"
summary "$extra"
