#!/bin/sh
# db/deps.sh: install the Debian packages Magnet needs, only those missing.
# The common case (everything installed) costs one dpkg-query call.
# MAGNET_SKIP_DEPS=1 skips the whole thing.
set -eu

# One package per line; append new ones here.
PACKAGES='
build-essential
pkg-config
kore
libpq-dev
libsodium-dev
libmarkdown2-dev
zlib1g-dev
libunistring-dev
libcmocka-dev
libcurl4-openssl-dev
gettext
postgresql
postgresql-contrib
postgresql-15-rum
python3-pytest
python3-requests
python3-aiosmtpd
curl
chromium
clang
libclang-rt-14-dev
tidy
nodejs
npm
wrk
sqlmap
wapiti
haproxy
slowhttptest
'

say() { printf 'deps: %s\n' "$*" >&2; }

[ "${MAGNET_SKIP_DEPS:-0}" = 1 ] && exit 0

if ! command -v dpkg-query >/dev/null 2>&1; then
	say "not a Debian system (no dpkg-query); make sure these are installed:"
	# shellcheck disable=SC2086
	say "$(printf '%s ' $PACKAGES)"
	exit 0
fi

# "ii " means installed and configured; anything else (or unknown) is missing.
# shellcheck disable=SC2086
installed=$(dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' $PACKAGES \
	2>/dev/null | awk '$1 == "ii" { printf " %s", $2 }') || true
missing=
for p in $PACKAGES; do
	case "$installed " in
	*" $p "*) continue ;;
	esac
	# A Node.js from elsewhere (NodeSource's nodejs brings its own npm)
	# serves as well; Debian's npm would conflict with it.
	case $p in
	nodejs) command -v node >/dev/null 2>&1 && continue ;;
	npm) command -v npm >/dev/null 2>&1 && continue ;;
	esac
	missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1; then
	SUDO=sudo
else
	say "missing packages:$missing"
	say "installing them needs root or sudo; neither is available."
	say "ask an administrator to run: apt-get install$missing"
	exit 1
fi

say "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -qq update >&2 || {
	say "apt-get update failed"; exit 1; }
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -y -qq \
	-o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confdef \
	-o Dpkg::Options::=--force-confold install $missing >&2 </dev/null || {
	say "apt-get install failed for:$missing"; exit 1; }
say "done"
