#!/bin/sh
# tests/faults/pgpids.sh DIR: the process ids of the PostgreSQL cluster
# db/pg.sh runs for DIR (the postmaster and every process it started),
# one a line, for the freeze check's kill -STOP and kill -CONT.
set -eu
dir=$1
if [ -L "$dir/cluster" ]; then dir=$(readlink -f "$dir/cluster"); fi
pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null) || exit 0
[ -n "$pid" ] && [ -d "/proc/$pid" ] || exit 0
echo "$pid"
for p in /proc/[0-9]*; do
	n=${p#/proc/}
	pp=$(awk '/^PPid:/ { print $2 }' "$p/status" 2>/dev/null) || continue
	[ "$pp" = "$pid" ] && echo "$n"
done
exit 0
