#!/bin/sh
# `make run`: start (or reuse) the private PostgreSQL cluster under var/,
# apply migrations, seed a new database and create its first admin, then
# serve until Ctrl-C, when the server and the cluster stop cleanly.
# With MAGNET_DB set, that database is used and no cluster is started.
# While it runs, var/run.db names the database, so that `build/magnet
# user add` and the other commands run beside it find it by themselves.
# The first admin's password is shown again once the server answers
# (after Kore's start-up lines) and at Ctrl-C, so the log cannot scroll
# it away unseen.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bin=build/magnet
listen=${MAGNET_LISTEN:-127.0.0.1:8080}
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

(umask 077 && printf '%s\n' "$MAGNET_DB" > var/run.db)
"$bin" migrate
if "$bin" seed-demo | grep -q 'added'; then
	echo "A new database: sample content added (marked [Sample])."
fi
admin=
admins=$(psql "$MAGNET_DB" -tAc "SELECT count(*) FROM users WHERE role = 'admin'")
if [ "$admins" = "0" ]; then
	admin=$("$bin" user add admin --role admin </dev/null)
	echo "Creating the first admin; note the password, it is shown once:"
	echo "$admin"
fi

say_admin() {
	if [ -n "$admin" ]; then
		echo "First admin (note the password): $admin"
	fi
}

"$bin" serve &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true' INT TERM
# Say where it is only once it answers (with TLS, https).
scheme=http
if grep -Eq '^[[:space:]]*tls_certificate[[:space:]]*=[[:space:]]*[^[:space:]]' \
    "${MAGNET_CONF:-conf/magnet.conf}" 2>/dev/null; then
	scheme=https
fi
i=0
while [ $i -lt 600 ] && kill -0 $pid 2>/dev/null; do
	if curl -fsSk -o /dev/null --max-time 2 "$scheme://$listen/healthz" \
	    2>/dev/null; then
		break
	fi
	sleep 0.1
	i=$((i + 1))
done
if kill -0 $pid 2>/dev/null; then
	echo
	echo "Magnet on $scheme://$listen/ (Ctrl-C stops it)"
	say_admin
	echo "Beside it, build/magnet finds this database: build/magnet user add NAME --role ROLE"
	echo
fi
rc=0
wait $pid || rc=$?
# wait returns early when the trap fires; wait again for the real exit.
while kill -0 $pid 2>/dev/null; do wait $pid || rc=$?; done
rm -f var/run.db
stop_cluster
say_admin
exit 0
