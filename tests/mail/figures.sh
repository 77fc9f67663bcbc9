#!/bin/sh
# Mail figures (README "Mail"): a throw-away PostgreSQL, the server BIN
# (default the release build) sending to aiosmtpd on loopback; prints the
# latency from commit to relay and one sender's mails per second.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
pgdir=$(mktemp -d /tmp/magnet-mailfig.XXXXXX)
chmod 755 "$pgdir"
trap 'sh db/pg.sh stop "$pgdir" >/dev/null 2>&1; rm -rf "$pgdir"' EXIT INT TERM
MAGNET_TEST_DB=$(sh db/pg.sh start "$pgdir") || exit 1
export MAGNET_TEST_DB MAGNET_TEST_PGDIR="$pgdir"
export MAGNET_BIN="${BIN:-$top/build/magnet}"
/usr/bin/python3 -m pytest -q -s -p no:cacheprovider tests/mail/test_figures.py
