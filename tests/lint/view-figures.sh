#!/bin/sh
# The figures of issue 18 (the view layer) for a tree: how much of the C
# in app/ is glue between results and templates.  Usage:
#   sh tests/lint/view-figures.sh [TREE]      (default: this checkout)
# Page handlers are the domain modules: app/*.c but the engine and the
# platform (db, tmpl, html, buf, server, request, param, i18n, log, conf,
# route, cache, main, mdb, mdmain, md*).
tree=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$tree/app" || exit 1
pages=$(ls *.c | grep -Ev '^(db|tmpl|html|buf|server|request|param|i18n|log|conf|route|cache|main|mdb|mdmain|md|md_.*|seed)\.c$')
count() { cat $pages | grep -c -- "$1"; }
printf 'PQclear in page modules          %s\n' "$(count PQclear)"
printf 'positional reads (db_val/db_ll)  %s\n' "$(cat $pages | grep -o 'db_\(val\|ll\)([^;]*, [0-9][0-9]*)' | wc -l)"
printf 'named reads (db_get*)            %s\n' "$(cat $pages | grep -o 'db_get\(_ll\|_bool\)\?(' | wc -l)"
printf '*_row.html templates             %s\n' "$(ls ../assets/templates/*_row.html 2>/dev/null | wc -l)"
printf 'copy() definitions               %s\n' "$(grep -l '^copy(' *.c 2>/dev/null | wc -l)"
printf 'tmpl_set_raw calls               %s\n' "$(cat *.c | grep -c 'tmpl_set_raw(')"
printf 'strcmp(.., "t") for booleans     %s\n' "$(cat *.c | grep -c '"t") == 0')"
printf "files naming 'Asia/Baghdad'      %s\n" "$(grep -l 'Asia/Baghdad' *.c ../db/migrations/*.sql | wc -l)"
printf 'lines of C in page modules       %s\n' "$(cat $pages | wc -l)"
printf 'largest page module              %s\n' "$(wc -l $pages | sort -n | tail -2 | head -1 | awk '{print $2 " " $1}')"
if command -v duplicates >/dev/null 2>&1; then
	printf 'duplicates in app/               %s\n' "$(duplicates --seconds 120 --most 1 | head -1)"
fi
