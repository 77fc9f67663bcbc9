#!/bin/sh
# shellcheck disable=SC2015,SC2012,SC2016
# db/pg.sh: Magnet's private PostgreSQL cluster.  See db/README-pg.md.
#
#   db/pg.sh start DIR           init (first time) and start; print conn string
#   db/pg.sh stop DIR            fast shutdown, wait
#   db/pg.sh stop-immediate DIR  immediate shutdown (crash-like; WAL recovery next start)
#   db/pg.sh status DIR          exit 0 if running, 3 if not
#   db/pg.sh url DIR             print the conn string of the magnet database
#   db/pg.sh newdb DIR NAME      (re)create empty database NAME owned by magnet
#   db/pg.sh dropdb DIR NAME     drop database NAME if it exists
#   db/pg.sh destroy DIR         stop and delete the cluster (wherever it lives)
#
# stdout carries exactly the one line asked for (a libpq connection string)
# or nothing; every message goes to stderr.  When run as root, the cluster
# runs as the `postgres` system user.  If that user (or `nobody`, whom the
# server becomes after dropping privileges) cannot reach DIR, the cluster
# lives under /var/lib/magnet-pg/<hash>/ and DIR/cluster points to it.
set -eu
umask 022

PORT=5432
ROLE=magnet
DB=magnet

exec 3>&1 1>&2          # fd 3 = the real stdout; plain output -> stderr
out() { printf '%s\n' "$*" >&3; }
say() { printf 'pg: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

usage() {
	sed -n '4,12s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

CMD=${1:-}
DIR=${2:-}
NAME=${3:-}
[ -n "$CMD" ] && [ -n "$DIR" ] || usage
case $CMD in
start|stop|stop-immediate|status|url|destroy) [ $# -eq 2 ] || usage ;;
newdb|dropdb) [ $# -eq 3 ] || usage ;;
*) usage ;;
esac

# Our own calls must not be redirected by the caller's libpq environment.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGSERVICE PGDATA PGOPTIONS \
	PGPASSFILE PGSERVICEFILE 2>/dev/null || true

if [ "$(id -u)" -eq 0 ]; then IS_ROOT=1; else IS_ROOT=; fi

# ---- helpers ---------------------------------------------------------------

# as USER CMD...: run CMD as USER (from /, so an unreadable cwd is harmless).
as() {
	_u=$1; shift
	if command -v runuser >/dev/null 2>&1; then
		(cd / && runuser -u "$_u" -- "$@")
	else
		# su needs one shell string; quote every argument.
		_s=
		for _a in "$@"; do
			_s="$_s '$(printf '%s' "$_a" | sed "s/'/'\\\\''/g")'"
		done
		(cd / && su -s /bin/sh "$_u" -c "exec $_s")
	fi
}

# can USER reach PATH (search permission on it and every ancestor)?
can_reach() { as "$1" test -x "$2" 2>/dev/null; }

# run CMD... as the cluster's OS user.
run_pg() {
	if [ -n "$RUNAS" ]; then as "$RUNAS" "$@"; else "$@"; fi
}

# Directory of initdb/pg_ctl/psql.  Debian keeps them in
# /usr/lib/postgresql/<major>/bin; prefer the major of an existing data
# directory, else the newest installed.  PG_BINDIR overrides.
find_bindir() {
	_want=
	[ -r "$DATA/PG_VERSION" ] && _want=$(cat "$DATA/PG_VERSION")
	if [ -n "${PG_BINDIR:-}" ]; then
		BIN=$PG_BINDIR
	elif [ -n "$_want" ] && [ -x "/usr/lib/postgresql/$_want/bin/pg_ctl" ]; then
		BIN=/usr/lib/postgresql/$_want/bin
	else
		BIN=
		for _v in $(ls /usr/lib/postgresql 2>/dev/null | sort -n); do
			[ -x "/usr/lib/postgresql/$_v/bin/initdb" ] &&
				BIN=/usr/lib/postgresql/$_v/bin
		done
		if [ -z "$BIN" ] && command -v pg_config >/dev/null 2>&1; then
			_b=$(pg_config --bindir 2>/dev/null || true)
			[ -x "$_b/initdb" ] && BIN=$_b
		fi
		if [ -z "$BIN" ] && command -v initdb >/dev/null 2>&1; then
			BIN=$(dirname "$(command -v initdb)")
		fi
	fi
	[ -n "$BIN" ] && [ -x "$BIN/pg_ctl" ] ||
		die "PostgreSQL server binaries not found (run db/deps.sh, or set PG_BINDIR)"
	if [ -n "$_want" ] && [ -x "$BIN/postgres" ]; then
		_have=$("$BIN/postgres" -V | awk '{ split($3, v, "."); print v[1] }')
		[ "$_have" = "$_want" ] ||
			die "$DATA is PostgreSQL $_want but $BIN is $_have; install postgresql-$_want or set PG_BINDIR"
	fi
}

hash_of() {
	if command -v sha256sum >/dev/null 2>&1; then
		printf '%s' "$1" | sha256sum | cut -c1-12
	else
		printf '%s' "$1" | cksum | awk '{ print $1 }'
	fi
}

# Set R (cluster root: data/ sock/ log/), DATA, SOCK, LOG.
# $1 = 1: decide and create the location when there is none yet.
# Returns 1 when there is no cluster and $1 != 1.
locate() {
	if [ "$1" = 1 ]; then mkdir -p "$DIR"; fi
	[ -d "$DIR" ] || return 1
	ABS=$(cd "$DIR" && pwd -P)
	if [ -L "$ABS/cluster" ]; then
		_t=$(readlink "$ABS/cluster")
		case $_t in /*) ;; *) _t=$ABS/$_t ;; esac
		if [ ! -d "$_t" ]; then
			[ "$1" = 1 ] || return 1
			say "cluster target $_t is gone; creating a new cluster there"
			mkdir -p "$_t"
		fi
		R=$(cd "$_t" && pwd -P)
	elif [ -d "$ABS/data" ]; then
		R=$ABS
	else
		[ "$1" = 1 ] || return 1
		_why=
		case $ABS in *[!A-Za-z0-9/._+-]*) _why="its path has characters unsafe in a socket path" ;; esac
		# socket path = DIR/sock/.s.PGSQL.5432, at most 107 bytes
		[ ${#ABS} -gt 88 ] && _why="its path is too long for a unix socket"
		if [ -n "$IS_ROOT" ]; then
			_who=
			can_reach "$RUNAS" "$ABS" || _who=$RUNAS
			can_reach nobody "$ABS" || _who="${_who:+$_who and }nobody"
			[ -n "$_who" ] && _why="$_who cannot reach it"
		fi
		if [ -z "$_why" ]; then
			R=$ABS
		else
			if [ -n "$IS_ROOT" ]; then
				_base=${MAGNET_PG_BASE:-/var/lib/magnet-pg}
			else
				_base=${MAGNET_PG_BASE:-/var/tmp/magnet-pg-$(id -u)}
			fi
			mkdir -p "$_base"
			[ -n "$IS_ROOT" ] && chmod 755 "$_base"
			R=$(cd "$_base" && pwd -P)/$(hash_of "$ABS")
			if [ -e "$R" ]; then
				# Left over from an earlier DIR at this same path that was
				# deleted (rm -rf var): nothing refers to it any more.
				_o=$(cat "$R/origin" 2>/dev/null || true)
				[ -z "$_o" ] || [ "$_o" = "$ABS" ] ||
					die "$R exists and belongs to '${_o:-?}', not $ABS; remove it"
				say "removing orphaned cluster $R (its DIR was deleted)"
				DATA=$R/data SOCK=$R/sock LOG=$R/log
				if [ -f "$DATA/PG_VERSION" ]; then
					owner_of_data
					find_bindir
					if is_running; then
						run_pg "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >&2 || true
					fi
				fi
				rm -rf "$R"
			fi
			say "$ABS: $_why; keeping the cluster in $R (link: $ABS/cluster)"
			mkdir -p "$R"
			printf '%s\n' "$ABS" > "$R/origin"
			ln -s "$R" "$ABS/cluster"
		fi
	fi
	DATA=$R/data SOCK=$R/sock LOG=$R/log
	return 0
}

# RUNAS: the OS user the cluster runs as (empty = ourselves).
owner_of_data() {
	RUNAS=
	[ -n "$IS_ROOT" ] || return 0
	RUNAS=postgres
	if [ -d "$DATA" ]; then
		_o=$(stat -c %U "$DATA")
		[ "$_o" = root ] && die "$DATA is owned by root; PostgreSQL will not run as root"
		RUNAS=$_o
	fi
	id "$RUNAS" >/dev/null 2>&1 ||
		die "no '$RUNAS' user; install postgresql (db/deps.sh creates it) first"
}

is_zombie() {
	_st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d ' ' -f 1)
	case $_st in Z|X|x) return 0 ;; *) return 1 ;; esac
}

# Is PID a live PostgreSQL process?  pg_ctl only asks kill(PID, 0), which a
# zombie (a killed postmaster not yet reaped, common in containers) or a
# recycled PID also passes.
pid_is_postgres() {
	[ -d /proc/self ] || return 0        # no /proc: trust pg_ctl
	[ -r "/proc/$1/stat" ] || return 1
	is_zombie "$1" && return 1
	case $(cat "/proc/$1/comm" 2>/dev/null) in
	postgres|postmaster) return 0 ;;
	*) return 1 ;;
	esac
}

is_running() {
	[ -f "$DATA/PG_VERSION" ] || return 1
	run_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1 || return 1
	_pid=$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null || true)
	[ -n "$_pid" ] && pid_is_postgres "$_pid"
}

# Any live PostgreSQL process working in $DATA (orphaned backends)?
live_backends() {
	for _p in /proc/[0-9]*; do
		[ "$(readlink "$_p/cwd" 2>/dev/null)" = "$DATA" ] || continue
		pid_is_postgres "${_p#/proc/}" && return 0
	done
	return 1
}

# Before a start: PostgreSQL itself ignores a postmaster.pid whose PID is
# dead, but refuses one whose PID exists.  That is a crashed postmaster not
# yet reaped (a zombie; containers reap late) or a PID recycled after a
# reboot.  Wait for a zombie to go; remove the file only when no process of
# the old server is left (the file also guards against orphaned backends).
clear_stale_pid() {
	_pid=$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null || true)
	[ -n "$_pid" ] && [ -d "/proc/$_pid" ] || return 0
	_i=0
	while [ $_i -lt 50 ] && is_zombie "$_pid"; do
		sleep 0.1; _i=$((_i + 1))
	done
	[ -d "/proc/$_pid" ] || return 0
	if live_backends; then
		say "postmaster $_pid is gone but its backends still run in $DATA;"
		say "PostgreSQL will refuse to start until they exit"
		return 0
	fi
	say "stale postmaster.pid (PID $_pid is not a live PostgreSQL); removing it"
	rm -f "$DATA/postmaster.pid"
}

conn() { printf 'host=%s port=%s dbname=%s user=%s' "$SOCK" "$PORT" "$1" "$ROLE"; }

psql_admin() {
	_db=$1; shift
	run_pg env PGOPTIONS='-c client_min_messages=warning' \
		"$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p "$PORT" \
		-U postgres -d "$_db" "$@"
}

init_cluster() {
	if [ -f "$R/.initdb-incomplete" ]; then
		say "an earlier initdb of $DATA was interrupted; starting over"
		rm -rf "$DATA"
	elif [ -d "$DATA" ] && [ -n "$(ls -A "$DATA" 2>/dev/null)" ]; then
		die "$DATA exists but holds no cluster; remove it and retry"
	fi
	: > "$R/.initdb-incomplete"
	mkdir -p "$DATA" "$SOCK" "$LOG"
	chmod 700 "$DATA"
	chmod 755 "$R" "$SOCK" "$LOG"
	[ -n "$RUNAS" ] && chown "$RUNAS:" "$DATA" "$SOCK" "$LOG"

	if locale -a 2>/dev/null | grep -qix 'c\.utf-\{0,1\}8'; then
		_loc=C.UTF-8
	else
		_loc=C
		say "locale C.UTF-8 not available; using C (pg_trgm will ignore non-ASCII letters)"
	fi
	say "initdb $DATA (PostgreSQL $("$BIN/postgres" -V | awk '{ print $3 }'), locale $_loc)"
	# lc_ctype C.UTF-8 so pg_trgm/upper()/lower() know non-ASCII letters;
	# lc_collate C: byte order, fastest sorts, LIKE 'x%' can use btree.
	run_pg "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale="$_loc" \
		--lc-collate=C --auth-local=peer --auth-host=reject \
		--data-checksums >"$LOG/initdb.log" 2>&1 || {
		tail -n 20 "$LOG/initdb.log" >&2
		die "initdb failed (full output: $LOG/initdb.log)"
	}

	_me=${RUNAS:-$(id -un)}
	cat >> "$DATA/postgresql.conf" <<EOF

# ---- Magnet local cluster (written by db/pg.sh) ----
listen_addresses = ''			# unix socket only
port = $PORT
unix_socket_directories = '$SOCK'	# pg.sh also passes -k on every start
unix_socket_permissions = 0777		# the server connects as nobody
max_connections = 100
shared_buffers = 128MB
fsync = on				# durability is tested: keep these on
synchronous_commit = on
full_page_writes = on
logging_collector = off			# pg_ctl -l writes $LOG/postgresql.log
log_line_prefix = '%m [%p] %q%u@%d '
EOF
	cat > "$DATA/pg_hba.conf" <<EOF
# Magnet local cluster (db/pg.sh).  No TCP: listen_addresses = ''.
# The superuser only through peer auth (OS users $_me and root);
# every other role by trust on the unix socket.
# TYPE  DATABASE  USER      METHOD
local   all       postgres  peer map=admin
local   all       all       trust
EOF
	{
		echo "# MAP   OS-USER   PG-USER"
		echo "admin   $_me   postgres"
		[ "$_me" = root ] || echo "admin   root   postgres"
	} > "$DATA/pg_ident.conf"
	[ -n "$RUNAS" ] && chown "$RUNAS:" "$DATA/postgresql.conf" \
		"$DATA/pg_hba.conf" "$DATA/pg_ident.conf"
	rm -f "$R/.initdb-incomplete"
}

start_cluster() {
	is_running && return 0
	if [ ! -f "$DATA/PG_VERSION" ] || [ -f "$R/.initdb-incomplete" ]; then
		init_cluster
	fi
	clear_stale_pid
	# Nothing but this cluster uses SOCK; it is down, so these are stale.
	rm -f "$SOCK/.s.PGSQL.$PORT" "$SOCK/.s.PGSQL.$PORT.lock"
	say "starting cluster $DATA"
	set -- "$BIN/pg_ctl" -D "$DATA" -l "$LOG/postgresql.log" -w -t 30 \
		-o "-k $SOCK" start
	# The postmaster must not inherit any descriptor of ours or our
	# caller's but 0-2 (which pg_ctl points at /dev/null and the log): a
	# caller's $(db/pg.sh start) would otherwise wait for it forever, and
	# it would hold our flock.  sh can only close fds 0-9; bash can do all.
	if command -v bash >/dev/null 2>&1 && [ -d /proc/self/fd ]; then
		set -- bash -c 'for f in /proc/$$/fd/*; do n=${f##*/}
			[ "$n" -gt 2 ] && eval "exec $n>&-"; done 2>/dev/null
			exec "$@"' pg_ctl "$@"
	fi
	run_pg "$@" >&2 3>&- 9>&- || {
		tail -n 20 "$LOG/postgresql.log" >&2 2>/dev/null || true
		die "could not start PostgreSQL (log: $LOG/postgresql.log)"
	}
}

ensure_role() {
	psql_admin postgres <<EOF
SELECT 'CREATE ROLE $ROLE LOGIN CREATEDB'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ROLE') \gexec
EOF
}

# $1 = name; create (owned by ROLE, with pg_trgm and rum) if missing.  rum
# (search's index, migration 0026) is not a trusted extension: only the
# superuser may create it, so it is made here, before `magnet migrate`.
ensure_db() {
	psql_admin postgres -v db="$1" <<EOF
SELECT format('CREATE DATABASE %I OWNER $ROLE TEMPLATE template0', :'db')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
EOF
	psql_admin "$1" -c 'CREATE EXTENSION IF NOT EXISTS pg_trgm'
	psql_admin "$1" -c 'CREATE EXTENSION IF NOT EXISTS rum' ||
		die "no rum extension: install postgresql-$("$BIN/postgres" -V |
		    awk '{ split($3, v, "."); print v[1] }')-rum (db/deps.sh)"
}

check_name() {
	case $NAME in
	''|[!a-z_]*|*[!a-z0-9_]*) die "database name must match [a-z_][a-z0-9_]*: '$NAME'" ;;
	postgres|template0|template1|"$DB") die "refusing to replace database '$NAME'" ;;
	esac
	[ ${#NAME} -le 63 ] || die "database name longer than 63 bytes"
}

lock() {
	command -v flock >/dev/null 2>&1 || return 0
	exec 9>"$ABS/.pg.lock"
	flock -w 120 9 || die "timed out waiting for another db/pg.sh on $DIR"
}

# ---- commands --------------------------------------------------------------

RUNAS=
case $CMD in
start|newdb)
	[ -n "$IS_ROOT" ] && RUNAS=postgres
	# the lock must come before locate() may create anything
	mkdir -p "$DIR"; ABS=$(cd "$DIR" && pwd -P); lock
	DATA=/nonexistent
	locate 1
	owner_of_data
	find_bindir
	start_cluster
	ensure_role
	if [ "$CMD" = start ]; then
		ensure_db "$DB"
		out "$(conn "$DB")"
	else
		check_name
		psql_admin postgres -v db="$NAME" <<EOF
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'db') \gexec
EOF
		ensure_db "$NAME"
		out "$(conn "$NAME")"
	fi
	;;
stop|stop-immediate)
	locate 0 && [ -f "$DATA/PG_VERSION" ] || { say "no cluster in $DIR"; exit 0; }
	lock
	owner_of_data
	find_bindir
	is_running || { say "not running"; exit 0; }
	_mode=fast; [ "$CMD" = stop-immediate ] && _mode=immediate
	run_pg "$BIN/pg_ctl" -D "$DATA" -m "$_mode" -w -t 60 stop >&2
	;;
status)
	locate 0 && [ -f "$DATA/PG_VERSION" ] || { say "no cluster in $DIR"; exit 3; }
	owner_of_data
	find_bindir
	if is_running; then say "running: $(conn "$DB")"; exit 0; fi
	say "stopped ($DATA)"; exit 3
	;;
url)
	locate 0 && [ -f "$DATA/PG_VERSION" ] ||
		die "no cluster in $DIR (run: db/pg.sh start $DIR)"
	out "$(conn "$DB")"
	;;
destroy)
	locate 0 || { say "no cluster in $DIR"; exit 0; }
	lock
	if [ -f "$DATA/PG_VERSION" ]; then
		owner_of_data
		find_bindir
		if is_running; then
			run_pg "$BIN/pg_ctl" -D "$DATA" -m immediate -w -t 60 stop >&2
		fi
	fi
	if [ "$R" = "$ABS" ]; then
		rm -rf "$DATA" "$SOCK" "$LOG" "$R/.initdb-incomplete"
	else
		rm -rf "$R"
		rm -f "$ABS/cluster"
	fi
	rm -f "$ABS/.pg.lock"
	rmdir "$ABS" 2>/dev/null || true
	say "destroyed the cluster of $DIR"
	;;
dropdb)
	locate 0 && [ -f "$DATA/PG_VERSION" ] || die "no cluster in $DIR"
	check_name
	ABS=$(cd "$DIR" && pwd -P); lock
	owner_of_data
	find_bindir
	is_running || die "cluster in $DIR is not running"
	psql_admin postgres -v db="$NAME" <<EOF
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'db') \gexec
EOF
	;;
esac
