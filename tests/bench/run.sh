#!/bin/sh
# tests/bench/run.sh: `make bench`.  Measures Magnet against nginx serving
# the same thread page, in one run, on loopback; prints a table and saves
# it under var/bench/.  See tests/bench/README.md.
#
# Environment (all optional):
#   BENCH_DURATION=10     seconds of each measurement
#   BENCH_CONNECTIONS=32  wrk connections;  BENCH_WRK_THREADS=2  wrk threads
#   BENCH_GZIP=1          send Accept-Encoding: gzip (as browsers do); 0: not
#   BENCH_THREADS=100000 BENCH_POSTS=1000000 BENCH_USERS=2000   large database
#   BENCH_KEEP_POSTS=1    keep the replies the posting measurement made
#   BENCH_REGENERATE=1    generate the databases again even if current
#
# The report never fails the build: a target NOT MET is printed, and the
# exit status is 0 unless the bench itself could not run.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
here=tests/bench
B=$top/var/bench
mkdir -p "$B"

DUR=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNECTIONS:-32}
WT=${BENCH_WRK_THREADS:-2}
GZIP=${BENCH_GZIP:-1}
L_THREADS=${BENCH_THREADS:-100000}
L_POSTS=${BENCH_POSTS:-1000000}
L_USERS=${BENCH_USERS:-2000}
S_THREADS=100 S_POSTS=1000 S_USERS=50
# The bench accounts' password (loopback-only throw-away databases).
PW='magnet-bench-Kq7-horse-lamp'
SEED=0.42
if [ "$GZIP" = 1 ]; then AE=gzip; else AE=; fi
export BENCH_AE="$AE"

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# ---- tools ------------------------------------------------------------------

find_nginx() {
	NGINX=$(command -v nginx 2>/dev/null || true)
	[ -z "$NGINX" ] && [ -x /usr/sbin/nginx ] && NGINX=/usr/sbin/nginx
	[ -n "$NGINX" ]
}

install_tools() {
	missing=
	command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
	find_nginx || missing="$missing nginx"
	command -v curl >/dev/null 2>&1 || missing="$missing curl"
	command -v psql >/dev/null 2>&1 || missing="$missing postgresql-client"
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" -eq 0 ]; then SUDO=
	elif command -v sudo >/dev/null 2>&1; then SUDO=sudo
	else die "missing:$missing; installing needs root or sudo"
	fi
	command -v apt-get >/dev/null 2>&1 ||
		die "missing:$missing (not a Debian system; install them)"
	say "installing:$missing"
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -qq update >&2 ||
		die "apt-get update failed"
	pkgs=
	for p in $missing; do
		if [ "$p" = nginx ]; then
			# nginx-light is enough (static files, gzip); later
			# Debian releases only have nginx
			if apt-cache show nginx-light >/dev/null 2>&1; then
				p=nginx-light
			fi
		fi
		pkgs="$pkgs $p"
	done
	# The package would start a system nginx on port 80: refuse service
	# starts (policy-rc.d, honoured by invoke-rc.d and deb-systemd-invoke)
	# for the length of this install, unless the machine has its own.
	policy=
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' |
			$SUDO tee /usr/sbin/policy-rc.d >/dev/null &&
			$SUDO chmod 755 /usr/sbin/policy-rc.d && policy=1
	fi
	rc=0
	# shellcheck disable=SC2086
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -y -qq \
		-o Dpkg::Use-Pty=0 install --no-install-recommends $pkgs \
		>&2 </dev/null || rc=$?
	[ -n "$policy" ] && $SUDO rm -f /usr/sbin/policy-rc.d
	[ $rc -eq 0 ] || die "apt-get install failed for:$pkgs"
	command -v wrk >/dev/null 2>&1 || die "wrk is still missing"
	find_nginx || die "nginx is still missing"
}

install_tools

# ---- clean-up ---------------------------------------------------------------

TMP=
MPID='' SPID='' NPID='' WPID=''
PG_STARTED=
PGDIR=$B/pg

stop_pid() {  # PID: TERM, wait up to 15 s, then KILL
	[ -n "$1" ] || return 0
	kill -TERM "$1" 2>/dev/null || return 0
	_i=0
	while kill -0 "$1" 2>/dev/null && [ $_i -lt 150 ]; do
		sleep 0.1; _i=$((_i + 1))
	done
	kill -KILL "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

cleanup() {
	trap - EXIT INT TERM HUP
	stop_pid "$WPID"
	stop_pid "$MPID"
	stop_pid "$SPID"
	stop_pid "$NPID"
	if [ -n "$PG_STARTED" ]; then
		sh db/pg.sh stop "$PGDIR" >/dev/null 2>&1 || true
	fi
	[ -n "$TMP" ] && rm -rf "$TMP"
}
trap cleanup EXIT
trap 'say interrupted; exit 130' INT TERM HUP

TMP=$(mktemp -d "${TMPDIR:-/tmp}/magnet-bench.XXXXXX")
chmod 755 "$TMP"		# nginx's workers and the server may not be root

# A copy of the binary: a rebuild in the tree during the run cannot change
# what is measured (md-workers are started from /proc/self/exe).
[ -x build/magnet ] || die "build/magnet is missing (run make)"
MAGNET=$TMP/magnet
cp build/magnet "$MAGNET"

# ---- the cluster and the databases -----------------------------------------

sh db/pg.sh status "$PGDIR" >/dev/null 2>&1 || PG_STARTED=1
CONN=$(sh db/pg.sh start "$PGDIR")
SOCK=$(printf '%s\n' "$CONN" | sed 's/.*host=\([^ ]*\).*/\1/')
su_psql() {
	psql -X -q -v ON_ERROR_STOP=1 -h "$SOCK" -p 5432 -U postgres \
		-d postgres "$@"
}

# The bench cluster loads a gigabyte in one transaction: with
# wal_level = minimal that writes no WAL (fsync and synchronous_commit stay
# on; the measured server commits durably as in production).  Statements
# over 5 ms are logged, and the report lists them.
if [ "$(su_psql -Atc "SELECT string_agg(setting, ',' ORDER BY name) FROM pg_settings
    WHERE name IN ('wal_level', 'log_min_duration_statement')")" != "5,minimal" ]; then
	say "configuring the bench cluster (wal_level = minimal, log statements over 5 ms) and restarting it"
	su_psql <<'EOF'
ALTER SYSTEM SET wal_level = minimal;
ALTER SYSTEM SET max_wal_senders = 0;
ALTER SYSTEM SET max_wal_size = '8GB';
ALTER SYSTEM SET checkpoint_timeout = '30min';
ALTER SYSTEM SET log_min_duration_statement = 5;
EOF
	sh db/pg.sh stop "$PGDIR" >&2
	CONN=$(sh db/pg.sh start "$PGDIR")
	PG_STARTED=1
fi
PGLOG=$PGDIR/log/postgresql.log
[ -f "$PGLOG" ] || PGLOG=$PGDIR/cluster/log/postgresql.log
log_size() { wc -c < "$PGLOG" 2>/dev/null | tr -d ' ' || echo 0; }

dbconn() { printf '%s\n' "$CONN" | sed "s/dbname=[^ ]*/dbname=$1/"; }

# What a database must have been made from to be used again.
# The schema: the newest migration's number, how many there are (numbers
# are not always added in order) and a checksum of them all (a migration
# edited before release changes it too).
# shellcheck disable=SC2012
SCHEMA=$(ls db/migrations | sed -n 's/^0*\([0-9][0-9]*\)_.*\.sql$/\1/p' |
	sort -n | awk '{ n++; m = $1 } END { print m "/" n }')
SCHEMA=$SCHEMA/$(cat db/migrations/*.sql | cksum | awk '{ print $1 }')
GENSUM=$(cksum < "$here/gen.sql" | awk '{ print $1 }')

BENCH_CONF=$B/magnet.conf
# conf/magnet.conf with the settings of tests/bench/magnet.conf replaced.
awk 'function key(l) { sub(/[ \t]*=.*/, "", l); return l }
	NR == FNR { if ($0 ~ /^[a-z_]+[ \t]*=/) over[key($0)] = 1; next }
	$0 ~ /^[a-z_]+[ \t]*=/ && (key($0) in over) { next }
	{ print }' "$here/magnet.conf" conf/magnet.conf > "$BENCH_CONF"
{
	echo "# ---- tests/bench/magnet.conf ----"
	grep -E '^[a-z_]+[[:space:]]*=' "$here/magnet.conf"
} >> "$BENCH_CONF"

magnet() {  # DBCONN ARGS...: build/magnet with the bench conf
	_db=$1; shift
	MAGNET_CONF=$BENCH_CONF MAGNET_DB=$_db "$MAGNET" "$@"
}

meta() {  # DBCONN KEY
	psql -X -Atq "$1" -c "SELECT value FROM bench_meta WHERE key = '$2'" \
		2>/dev/null || true
}

# ensure_db NAME THREADS POSTS USERS: generate unless current.
ensure_db() {
	_want="schema=$SCHEMA gen=$GENSUM threads=$2 posts=$3 users=$4 seed=$SEED"
	_c=$(dbconn "$1")
	if [ "${BENCH_REGENERATE:-0}" != 1 ] && [ "$(meta "$_c" stamp)" = "$_want" ]; then
		return 0
	fi
	say "generating database $1: $2 threads, $3 posts, $4 users (first run: a few minutes)"
	: > "$B/gen-$1.log"
	_c=$(sh db/pg.sh newdb "$PGDIR" "$1")
	magnet "$_c" migrate >>"$B/gen-$1.log" 2>&1 ||
		{ tail -n 5 "$B/gen-$1.log" >&2; die "migrate failed (log: $B/gen-$1.log)"; }
	printf '%s\n' "$PW" | magnet "$_c" user add benchuser --role returnee \
		>>"$B/gen-$1.log" 2>&1 || die "user add failed (log: $B/gen-$1.log)"
	printf '%s\n' "$PW" | magnet "$_c" user add benchmod --role moderator \
		>>"$B/gen-$1.log" 2>&1 || die "user add failed (log: $B/gen-$1.log)"
	_t0=$(date +%s)
	psql -X -q -v ON_ERROR_STOP=1 -v nthreads="$2" -v nposts="$3" \
		-v nusers="$4" -v seed="$SEED" -f "$here/gen.sql" "$_c" \
		>>"$B/gen-$1.log" 2>&1 ||
		{ tail -n 5 "$B/gen-$1.log" >&2; die "gen.sql failed (log: $B/gen-$1.log)"; }
	_t1=$(date +%s)
	psql -X -q -v ON_ERROR_STOP=1 "$_c" -c "INSERT INTO bench_meta VALUES
		('gen_seconds', '$((_t1 - _t0))'), ('stamp', '$_want')"
	say "database $1 generated in $((_t1 - _t0)) s"
}

ensure_db bench_large "$L_THREADS" "$L_POSTS" "$L_USERS"
ensure_db bench_small "$S_THREADS" "$S_POSTS" "$S_USERS"
LARGE=$(dbconn bench_large)
SMALL=$(dbconn bench_small)

# ---- servers -----------------------------------------------------------------

free_port() {  # a loopback port nothing answers on
	_n=0
	while [ $_n -lt 200 ]; do
		_p=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 30000 + 20000 ))
		_rc=0
		curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$_p/" || _rc=$?
		if [ $_rc -eq 7 ]; then echo "$_p"; return 0; fi
		_n=$((_n + 1))
	done
	die "no free loopback port found"
}

status_of() {  # URL [curl args]: the HTTP status, 000 when none
	_u=$1; shift
	curl -s -o /dev/null --max-time 10 -w '%{http_code}' "$@" "$_u" || true
}

start_magnet() {  # DBCONN LOGNAME: sets MPID, PORT, BASE
	PORT=$(free_port)
	BASE=http://127.0.0.1:$PORT
	MAGNET_CONF=$BENCH_CONF MAGNET_DB=$1 MAGNET_LISTEN=127.0.0.1:$PORT \
		"$MAGNET" serve >"$B/server-$2.log" 2>&1 &
	MPID=$!
	_i=0
	while :; do
		case $(status_of "$BASE/healthz") in 200) break ;; esac
		kill -0 "$MPID" 2>/dev/null ||
			{ tail -n 5 "$B/server-$2.log" >&2; die "the server exited (log: $B/server-$2.log)"; }
		_i=$((_i + 1))
		[ $_i -lt 600 ] || die "the server did not answer /healthz within 60 s"
		sleep 0.1
	done
}

# login USER: signs in; sets COOKIE (a Cookie header) and CSRF (the form token
# of the new session).
login() {
	_jar=$TMP/jar-$1
	rm -f "$_jar"
	_csrf=$(curl -s --max-time 10 -c "$_jar" -b "$_jar" "$BASE/login" |
		sed -n 's/.*name="csrf" value="\([0-9a-f]\{64\}\)".*/\1/p' | head -n 1)
	[ -n "$_csrf" ] || { say "no csrf field on /login"; return 1; }
	_st=$(curl -s -o /dev/null --max-time 10 -w '%{http_code}' \
		-c "$_jar" -b "$_jar" -H "Origin: $BASE" \
		--data-urlencode "username=$1" --data-urlencode "password=$PW" \
		--data-urlencode "csrf=$_csrf" "$BASE/login" || true)
	[ "$_st" = 303 ] || { say "login as $1 answered $_st, not 303"; return 1; }
	# Netscape cookie file; curl writes HttpOnly cookies as #HttpOnly_host
	COOKIE=$(sed 's/^#HttpOnly_//' "$_jar" | awk -F '\t' '
		/^#/ || NF < 7 { next }
		{ printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }')
	CSRF=$(curl -s --max-time 10 -H "Cookie: $COOKIE" "$BASE/" |
		sed -n 's/.*name="csrf" value="\([0-9a-f]\{64\}\)".*/\1/p' | head -n 1)
	case $COOKIE in *mg_session=*) ;; *) say "no mg_session cookie after login"; return 1 ;; esac
	return 0
}

# ---- measuring ---------------------------------------------------------------

# name, status, rps, p50_us, p99_us, requests, bad, errors, note, bytes/response
RES=$TMP/results.tsv
: > "$RES"

median3() { printf '%s\n%s\n%s\n' "$1" "$2" "$3" | sort -n | sed -n 2p; }

wv() {  # KEY: its number in the BENCH line $_line
	printf '%s\n' "$_line" | tr ' ' '\n' | sed -n "s/^$1=\\([0-9.]*\\)\$/\\1/p"
}

# wrk_run NAME URL SCRIPT CONNS THREADS SECONDS: run wrk, parse its BENCH line
# into W_* variables.
wrk_run() {
	_out=$TMP/wrk-$1.out
	wrk -t"$5" -c"$4" -d"$6"s --timeout 5s -s "$here/$3" "$2" >"$_out" 2>&1 &
	WPID=$!
	wait "$WPID" || true
	WPID=
	_line=$(grep '^BENCH ' "$_out" | tail -n 1)
	if [ -z "$_line" ]; then
		say "wrk gave no result for $1:"; cat "$_out" >&2
		W_RPS=0 W_P50=0 W_P99=0 W_REQ=0 W_BAD=0 W_ERR=0 W_BYTES=0
		return 1
	fi
	W_REQ=$(wv requests) W_P50=$(wv p50_us) W_P99=$(wv p99_us)
	W_BAD=$(wv err_status)
	# shellcheck disable=SC2034
	W_US=$(wv duration_us) W_BYTESUM=$(wv bytes)
	W_BYTES=$(awk -v b="$W_BYTESUM" -v r="$W_REQ" 'BEGIN { printf("%.0f", (r > 0) ? b / r : 0) }')
	W_ERR=$(( $(wv err_connect) + $(wv err_read) + $(wv err_write) + $(wv err_timeout) ))
	W_RPS=$(awk -v r="$W_REQ" -v d="$(wv duration_us)" \
		'BEGIN { printf("%.0f", (d > 0) ? r / (d / 1e6) : 0) }')
	return 0
}

# measure NAME URL SCRIPT EXPECT [NOTE]: check the page answers EXPECT, warm up,
# measure, record.  Environment for the Lua script is set by the caller.
measure() {
	_name=$1 _url=$2 _script=$3 _expect=$4 _note=${5:-}
	if [ "$_script" = get.lua ]; then
		_st=$(status_of "$_url" -H "Cookie: ${BENCH_COOKIE:-}")
		if [ "$_st" != "$_expect" ]; then
			say "$_name: $_url answers $_st; skipped"
			printf '%s\tskipped (HTTP %s)\t\t\t\t\t\t\t%s\n' "$_name" "$_st" "$_note" >> "$RES"
			return 0
		fi
		wrk_run "$_name-warm" "$_url" "$_script" "$CONNS" "$WT" 2 || true
	fi
	say "measuring $_name: $_url (${DUR} s, $CONNS connections)"
	if wrk_run "$_name" "$_url" "$_script" "$CONNS" "$WT" "$DUR"; then
		printf '%s\tok\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$_name" "$W_RPS" \
			"$W_P50" "$W_P99" "$W_REQ" "$W_BAD" "$W_ERR" "$_note" \
			"$W_BYTES" >> "$RES"
	else
		printf '%s\tfailed\t\t\t\t\t\t\t%s\n' "$_name" "$_note" >> "$RES"
	fi
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# ---- the run ---------------------------------------------------------------

BT=$(meta "$LARGE" bench_thread)
PT=$(meta "$LARGE" post_thread)
WORD=$(meta "$LARGE" search_word)
NPOSTS=$(meta "$LARGE" posts)
SBT=$(meta "$SMALL" bench_thread)
{ [ -n "$BT" ] && [ -n "$PT" ]; } || die "bench_meta incomplete; run with BENCH_REGENERATE=1"

start_magnet "$LARGE" large
say "server pid $MPID on $BASE (database bench_large: $NPOSTS posts)"

# The thread page's exact bytes, for nginx: as Magnet sends them without
# compression (nginx gzips them on the fly, at Magnet's level 5, when asked),
# and as Magnet sends them gzipped (nginx's gzip_static serves that file: the
# ceiling, a page compressed once).
mkdir -p "$TMP/www/pre" "$TMP/nginx"
THREAD_URL=$BASE/t/$BT
tst=$(curl -s --max-time 10 -o "$TMP/www/thread.html" -w '%{http_code}' "$THREAD_URL" || true)
if [ "$tst" != 200 ]; then
	say "GET /t/$BT answers $tst: nginx serves a placeholder of 20 KB instead"
	awk 'BEGIN { for (i = 0; i < 400; i++) printf "<p>placeholder line %05d of the thread page</p>\n", i }' \
		> "$TMP/www/thread.html"
	NGINX_NOTE="placeholder 20 KB (thread page answered $tst)"
else
	NGINX_NOTE="saved /t/$BT, $(wc -c < "$TMP/www/thread.html") bytes"
fi
cp "$TMP/www/thread.html" "$TMP/www/pre/thread.html"
PRE_NOTE=
if [ "$tst" = 200 ] && [ "$GZIP" = 1 ]; then
	enc=$(curl -s --max-time 10 -H 'Accept-Encoding: gzip' -D - \
		-o "$TMP/www/pre/thread.html.gz" "$THREAD_URL" |
		tr -d '\r' | awk 'tolower($1) == "content-encoding:" { print $2 }')
	if [ "$enc" = gzip ]; then
		PRE_NOTE="Magnet's gzip bytes, $(wc -c < "$TMP/www/pre/thread.html.gz") bytes, gzip_static"
	else
		rm -f "$TMP/www/pre/thread.html.gz"
	fi
fi
chmod -R a+rX "$TMP/www"

NPORT=$(free_port)
gz=off; [ "$GZIP" = 1 ] && gz=on
{
	[ "$(id -u)" -eq 0 ] && if getent group nogroup >/dev/null 2>&1; then
		echo "user nobody nogroup;"; else echo "user nobody;"; fi
	cat <<EOF
worker_processes auto;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	types { }
	default_type text/html;
	charset utf-8;
	sendfile on;
	tcp_nopush on;
	tcp_nodelay on;
	keepalive_requests 1000000;
	keepalive_timeout 65;
	gzip $gz;
	gzip_comp_level 5;
	gzip_min_length 512;
	client_body_temp_path $TMP/nginx/body;
	proxy_temp_path $TMP/nginx/proxy;
EOF
	for m in fastcgi uwsgi scgi; do
		"$NGINX" -V 2>&1 | grep -q "without-http_${m}_module" ||
			echo "	${m}_temp_path $TMP/nginx/$m;"
	done
	cat <<EOF
	server {
		listen 127.0.0.1:$NPORT;
		root $TMP/www;
		location /pre/ {
			gzip off;
			gzip_static on;
		}
	}
}
EOF
} > "$TMP/nginx/nginx.conf"
"$NGINX" -p "$TMP/nginx" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" \
	>"$TMP/nginx/stdout.log" 2>&1 &
NPID=$!
i=0
until [ "$(status_of "http://127.0.0.1:$NPORT/thread.html")" = 200 ]; do
	kill -0 "$NPID" 2>/dev/null ||
		{ cat "$TMP/nginx/error.log" "$TMP/nginx/stdout.log" >&2 2>/dev/null; die "nginx did not start"; }
	i=$((i + 1)); [ $i -lt 100 ] || die "nginx did not answer"
	sleep 0.1
done

# Sign in: benchuser reads, benchmod (a moderator: no posting interval, no
# holds) posts.
USER_COOKIE='' MOD_COOKIE='' MOD_CSRF=''
if login benchuser; then USER_COOKIE=$COOKIE; fi
if login benchmod; then MOD_COOKIE=$COOKIE MOD_CSRF=$CSRF; fi

unset BENCH_COOKIE
LOG_FROM=$(log_size)
measure home "$BASE/" get.lua 200
measure board "$BASE/b/erbil" get.lua 200

# The rows the targets compare: nginx, and the thread page anonymous and
# signed in, measured interleaved (three rounds of a third of the time
# each, in turn), so that a change in the rest of the machine's load during
# the run falls on all three alike.  req/s = all requests / all time; p50 and
# p99 = the median of the three rounds'.
row_setup() {  # ROW: sets _url, _note, BENCH_COOKIE
	unset BENCH_COOKIE
	case $1 in
	nginx) _url=http://127.0.0.1:$NPORT/thread.html _note=$NGINX_NOTE ;;
	thread_anon) _url=$THREAD_URL _note="20 posts" ;;
	thread_user) _url=$THREAD_URL _note="20 posts, signed in"
		BENCH_COOKIE=$USER_COOKIE; export BENCH_COOKIE ;;
	esac
}
ROWS=''
for row in nginx thread_anon thread_user; do
	row_setup "$row"
	if [ "$row" = thread_user ] && [ -z "$USER_COOKIE" ]; then
		printf 'thread_user\tskipped (no sign-in)\t\t\t\t\t\t\t\n' >> "$RES"
		continue
	fi
	st=$(status_of "$_url" -H "Cookie: ${BENCH_COOKIE:-}")
	if [ "$st" != 200 ]; then
		say "$row: $_url answers $st; skipped"
		printf '%s\tskipped (HTTP %s)\t\t\t\t\t\t\t%s\n' "$row" "$st" "$_note" >> "$RES"
		continue
	fi
	wrk_run "$row-warm" "$_url" get.lua "$CONNS" "$WT" 2 || true
	ROWS="$ROWS $row"
	eval "A_${row}_req=0 A_${row}_us=0 A_${row}_bytes=0 A_${row}_bad=0 A_${row}_err=0 A_${row}_p50='' A_${row}_p99='' A_${row}_ok=1"
done
SLICE=$(( (DUR + 2) / 3 )); [ "$SLICE" -ge 2 ] || SLICE=2
for round in 1 2 3; do
	for row in $ROWS; do
		row_setup "$row"
		say "measuring $row, round $round: $_url ($SLICE s, $CONNS connections)"
		if wrk_run "$row-$round" "$_url" get.lua "$CONNS" "$WT" "$SLICE"; then
			eval "A_${row}_req=\$((A_${row}_req + W_REQ))"
			eval "A_${row}_us=\$((A_${row}_us + W_US))"
			eval "A_${row}_bytes=\$((A_${row}_bytes + W_BYTESUM))"
			eval "A_${row}_bad=\$((A_${row}_bad + W_BAD))"
			eval "A_${row}_err=\$((A_${row}_err + W_ERR))"
			eval "A_${row}_p50=\"\$A_${row}_p50 $W_P50\""
			eval "A_${row}_p99=\"\$A_${row}_p99 $W_P99\""
		else
			eval "A_${row}_ok=''"
		fi
	done
done
unset BENCH_COOKIE
# shellcheck disable=SC2154
for row in $ROWS; do
	row_setup "$row"
	eval "ok=\$A_${row}_ok req=\$A_${row}_req us=\$A_${row}_us bytes=\$A_${row}_bytes"
	eval "bad=\$A_${row}_bad err=\$A_${row}_err p50s=\$A_${row}_p50 p99s=\$A_${row}_p99"
	if [ -z "$ok" ]; then
		printf '%s\tfailed\t\t\t\t\t\t\t%s\n' "$row" "$_note" >> "$RES"
		continue
	fi
	# shellcheck disable=SC2086
	printf '%s\tok\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$row" \
		"$(awk -v r="$req" -v d="$us" 'BEGIN { printf("%.0f", (d > 0) ? r / (d / 1e6) : 0) }')" \
		"$(median3 $p50s)" "$(median3 $p99s)" "$req" "$bad" "$err" \
		"$_note" "$(( req > 0 ? bytes / req : 0 ))" >> "$RES"
done
unset BENCH_COOKIE
if [ -n "$PRE_NOTE" ]; then
	measure nginx_pre "http://127.0.0.1:$NPORT/pre/thread.html" get.lua 200 "$PRE_NOTE"
fi
measure search "$BASE/search?q=$WORD" get.lua 200 "q=$WORD"

# Put the replies' thread back: remove the replies and their notifications,
# restore the thread's and the board's rows.  As the superuser with
# session_replication_role = replica: nothing else refers to the new posts,
# and the foreign-key checks of a DELETE from posts would each scan the
# table (posts.quote_of has no index).
restore_replies() {
	su_psql -d bench_large >"$TMP/restore.log" 2>&1 <<EOF
SET session_replication_role = replica;
BEGIN;
CREATE TEMP TABLE gone AS SELECT id FROM posts WHERE thread_id = $PT
	AND seq > (SELECT post_count FROM bench_saved_thread);
DELETE FROM notifications WHERE post_id IN (SELECT id FROM gone);
DELETE FROM posts WHERE id IN (SELECT id FROM gone);
SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) AS cols
FROM pg_attribute WHERE attrelid = 'threads'::regclass AND attnum > 0
	AND NOT attisdropped AND attname <> 'id' \gset
UPDATE threads SET (:cols) = (SELECT :cols FROM bench_saved_thread)
	WHERE id = $PT;
SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) AS cols
FROM pg_attribute WHERE attrelid = 'boards'::regclass AND attnum > 0
	AND NOT attisdropped AND attname <> 'id' \gset
UPDATE boards SET (:cols) = (SELECT :cols FROM bench_saved_board)
	WHERE id = (SELECT id FROM bench_saved_board);
DROP TABLE bench_saved_thread, bench_saved_board;
COMMIT;
VACUUM ANALYZE posts, threads, notifications;
EOF
}
saved_exists() {
	[ -n "$(psql -X -Atq "$LARGE" -c "SELECT 1 FROM pg_tables WHERE tablename = 'bench_saved_thread'")" ]
}

# Posting: replies to thread PT (not the measured one), as benchmod.  The
# thread and its board are saved first and put back after, with the replies
# removed, so the database stays as generated.
if [ -n "$MOD_COOKIE" ] && [ -n "$MOD_CSRF" ]; then
	# an interrupted run left its replies: remove them first
	if saved_exists && ! restore_replies; then
		cat "$TMP/restore.log" >&2
		die "could not remove an earlier run's replies; run with BENCH_REGENERATE=1"
	fi
	psql -X -q -v ON_ERROR_STOP=1 "$LARGE" <<EOF
CREATE TABLE bench_saved_thread AS SELECT * FROM threads WHERE id = $PT;
CREATE TABLE bench_saved_board AS SELECT * FROM boards
	WHERE id = (SELECT board_id FROM threads WHERE id = $PT);
EOF
	pst=$(curl -s -o /dev/null --max-time 10 -w '%{http_code}' \
		-H "Cookie: $MOD_COOKIE" -H "Origin: $BASE" \
		--data-urlencode "body=bench check" --data-urlencode "csrf=$MOD_CSRF" \
		--data-urlencode "idem=bench-check-$$-$(date +%s)" \
		"$BASE/t/$PT/reply" || true)
	if [ "$pst" = 303 ]; then
		BENCH_PATH=/t/$PT/reply BENCH_ORIGIN=$BASE BENCH_COOKIE=$MOD_COOKIE \
			BENCH_CSRF=$MOD_CSRF
		export BENCH_PATH BENCH_ORIGIN BENCH_COOKIE BENCH_CSRF
		measure reply "$BASE/t/$PT/reply" post.lua 303 "new post each, as a moderator"
		unset BENCH_COOKIE
	else
		say "reply: POST /t/$PT/reply answers $pst; skipped"
		printf 'reply\tskipped (HTTP %s)\t\t\t\t\t\t\t\n' "$pst" >> "$RES"
	fi
else
	printf 'reply\tskipped (no moderator sign-in)\t\t\t\t\t\t\t\n' >> "$RES"
fi

LOG_TO=$(log_size)

# Memory after the load: the server and each child (the md-workers).
RSS_MAIN=$(rss_kb "$MPID") HWM_MAIN=$(hwm_kb "$MPID")
CHILDREN=
RSS_KIDS=0
for s in /proc/[0-9]*/status; do
	p=${s#/proc/}; p=${p%/status}
	[ "$(awk '/^PPid:/ { print $2 }' "$s" 2>/dev/null)" = "$MPID" ] || continue
	k=$(rss_kb "$p")
	n=$(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | sed 's/ *$//')
	CHILDREN="$CHILDREN$p:${k}:${n:-?};"
	RSS_KIDS=$((RSS_KIDS + k))
done

# Unloaded latency of the thread page on the large and the small database
# (a second server on bench_small): one connection, 3 s each, alternating,
# three rounds; the median of each side's p50 and p99, so that noise from
# the rest of the machine falls on both.
LAT_L50='' LAT_L99='' LAT_S50='' LAT_S99=''
SPID=$MPID L_BASE=$BASE	# the large one, in SPID while the small one starts
start_magnet "$SMALL" small
x=$MPID; MPID=$SPID; SPID=$x; S_BASE=$BASE; BASE=$L_BASE
if [ "$(status_of "$THREAD_URL")" = 200 ] &&
    [ "$(status_of "$S_BASE/t/$SBT")" = 200 ]; then
	say "measuring thread latency, one connection, large and small database"
	ll50='' ll99='' ls50='' ls99='' ok=1
	for r in 1 2 3; do
		if wrk_run "lat-large-$r" "$THREAD_URL" get.lua 1 1 3; then
			ll50="$ll50 $W_P50" ll99="$ll99 $W_P99"
		else ok=''; fi
		if wrk_run "lat-small-$r" "$S_BASE/t/$SBT" get.lua 1 1 3; then
			ls50="$ls50 $W_P50" ls99="$ls99 $W_P99"
		else ok=''; fi
	done
	if [ -n "$ok" ]; then
		# shellcheck disable=SC2086
		LAT_L50=$(median3 $ll50) LAT_L99=$(median3 $ll99)
		# shellcheck disable=SC2086
		LAT_S50=$(median3 $ls50) LAT_S99=$(median3 $ls99)
	fi
fi
stop_pid "$SPID"; SPID=''

stop_pid "$MPID"; MPID=''
if saved_exists; then
	if [ "${BENCH_KEEP_POSTS:-0}" = 1 ]; then
		say "the replies stay in bench_large (until BENCH_REGENERATE=1)"
		psql -X -q "$LARGE" -c "DROP TABLE bench_saved_thread, bench_saved_board"
	elif ! restore_replies; then
		say "could not remove the bench's replies (see below); the next run regenerates"
		cat "$TMP/restore.log" >&2
		psql -X -q "$LARGE" -c "DELETE FROM bench_meta WHERE key = 'stamp'" || true
	fi
fi

stop_pid "$NPID"; NPID=''

# ---- the report --------------------------------------------------------------

# The server's statements over 5 ms during the measurements, by name.
SLOW=$TMP/slow.tsv
: > "$SLOW"
if [ -r "$PGLOG" ] && [ "${LOG_TO:-0}" -gt "${LOG_FROM:-0}" ]; then
	tail -c +"$((LOG_FROM + 1))" "$PGLOG" | head -c "$((LOG_TO - LOG_FROM))" |
	awk '/@bench_large .*duration: [0-9.]+ ms/ {
		d = $0; sub(/.*duration: /, "", d); ms = d + 0
		s = d; sub(/^[0-9.]+ ms +/, "", s)
		if (s ~ /^(execute|bind|parse) [^:]*:/) { k = s; sub(/:.*/, "", k) }
		else { k = substr(s, 1, 60) }
		gsub(/\t/, " ", k)
		n[k]++; t[k] += ms; if (ms > m[k]) m[k] = ms
	}
	END { for (k in n) printf "%s\t%d\t%.1f\t%.1f\n", k, n[k], t[k] / n[k], m[k] }' |
	sort -t "$(printf '\t')" -k2,2nr | head -n 15 > "$SLOW" || true
fi

STAMP=$(date +%Y%m%d-%H%M%S)
OUT=$B/results-$STAMP
{
	printf 'commit\t%s\n' "$(git rev-parse --short HEAD 2>/dev/null || echo none)"
	printf 'when\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	printf 'cpus\t%s\n' "$(nproc 2>/dev/null || echo '?')"
	printf 'posts\t%s\n' "$NPOSTS"
	printf 'small_posts\t%s\n' "$(meta "$SMALL" posts)"
	printf 'duration\t%s\n' "$DUR"
	printf 'connections\t%s\n' "$CONNS"
	printf 'wrk_threads\t%s\n' "$WT"
	printf 'gzip\t%s\n' "$GZIP"
	printf 'rss_main_kb\t%s\n' "$RSS_MAIN"
	printf 'hwm_main_kb\t%s\n' "$HWM_MAIN"
	printf 'rss_children_kb\t%s\n' "$RSS_KIDS"
	printf 'children\t%s\n' "$CHILDREN"
	printf 'lat_large_p50_us\t%s\n' "$LAT_L50"
	printf 'lat_large_p99_us\t%s\n' "$LAT_L99"
	printf 'lat_small_p50_us\t%s\n' "$LAT_S50"
	printf 'lat_small_p99_us\t%s\n' "$LAT_S99"
} > "$TMP/facts.tsv"

awk -F '\t' -v json="$OUT.json" -f "$here/report.awk" \
	"$TMP/facts.tsv" "$SLOW" "$RES" | tee "$OUT.txt"
say "saved $OUT.txt and $OUT.json"
