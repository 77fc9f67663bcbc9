#!/bin/sh
# tests/faults/run.sh quick|full: the fault checks of issue 7 (make
# check-faults runs "full"; make test runs "quick" through tests/run.sh).
#
# Starts its own PostgreSQL cluster and Magnet servers (the release build,
# build/magnet) on free ports, runs tests/faults/faults.py, which prints
# one "PASS name: rule (figures)" or "FAIL name: rule (what happened)"
# line a check and ends with "faults: N passed, N failed".  Everything it
# started is stopped on exit, also when interrupted.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
mode=${1:-quick}
case $mode in quick|full) ;; *) echo "usage: $0 quick|full" >&2; exit 2 ;; esac

pgdir=$(mktemp -d /tmp/magnet-faults.XXXXXX)
chmod 755 "$pgdir"
driver=

cleanup() {
	trap - EXIT INT TERM
	if [ -n "$driver" ]; then
		kill -TERM "$driver" 2>/dev/null
		wait "$driver" 2>/dev/null
	fi
	# SIGSTOP is the freeze check's: never leave the cluster stopped.
	sh tests/faults/pgpids.sh "$pgdir" 2>/dev/null | xargs -r kill -CONT 2>/dev/null
	sh db/pg.sh stop "$pgdir" >/dev/null 2>&1 || true
	sh db/pg.sh destroy "$pgdir" >/dev/null 2>&1 || true
	rm -rf "$pgdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for f in build/magnet /usr/bin/slowhttptest; do
	if [ ! -x "$f" ]; then
		echo "FAIL setup: $f is needed (make all; db/deps.sh)"
		echo "faults: 0 passed, 1 failed"
		exit 1
	fi
done
url=$(sh db/pg.sh start "$pgdir") || {
	echo "FAIL setup: could not start PostgreSQL"
	echo "faults: 0 passed, 1 failed"
	exit 1
}
/usr/bin/python3 -u tests/faults/faults.py "$mode" "$pgdir" "$url" &
driver=$!
wait "$driver"
rc=$?
driver=
exit "$rc"
