#!/bin/sh
# `make run`: start (or reuse) the private PostgreSQL cluster under var/,
# apply migrations, seed a new database and create its first admin, then
# serve until Ctrl-C, when the server and the cluster stop cleanly.
# With MAGNET_DB set, that database is used and no cluster is started.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin=build/magnet
mkdir -p var

own_cluster=
if [ -z "${MAGNET_DB:-}" ]; then
	MAGNET_DB=$(sh db/pg.sh start "$top/var/pg")
	export MAGNET_DB
	own_cluster=1
fi

stop_cluster() {
	if [ -n "$own_cluster" ]; then
		sh db/pg.sh stop "$top/var/pg" || true
	fi
}

"$bin" migrate
if "$bin" seed-demo | grep -q 'added'; then
	echo "A new database: sample content added (marked [Sample])."
fi
admins=$(psql "$MAGNET_DB" -tAc "SELECT count(*) FROM users WHERE role = 'admin'")
if [ "$admins" = "0" ]; then
	echo "Creating the first admin; note the password, it is shown once:"
	"$bin" user add admin --role admin </dev/null
fi

echo "Magnet on http://${MAGNET_LISTEN:-127.0.0.1:8080}/ (Ctrl-C stops it)"
"$bin" serve &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true' INT TERM
rc=0
wait $pid || rc=$?
# wait returns early when the trap fires; wait again for the real exit.
while kill -0 $pid 2>/dev/null; do wait $pid || rc=$?; done
stop_cluster
exit 0
