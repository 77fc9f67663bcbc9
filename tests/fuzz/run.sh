#!/bin/sh
# Run every libFuzzer target for SECONDS each (default 60) on a copy of its
# seed corpus, with its dictionary when there is one.  A crash, a leak, a
# sanitizer report or a timeout is a failure; the finding is left in
# var/fuzz/<target>/ for a look.  Ends with "fuzz: N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
seconds=${1:-60}
passed=0
failed=0
mkdir -p var/fuzz
for bin in build/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	short=${name#fuzz_}
	work=$(mktemp -d /tmp/magnet-fuzz.XXXXXX)
	[ -d "tests/fuzz/corpus/$short" ] && cp -r "tests/fuzz/corpus/$short/." "$work/"
	dict=
	[ -f "tests/fuzz/$short.dict" ] && dict="-dict=tests/fuzz/$short.dict"
	mkdir -p "var/fuzz/$short"
	# shellcheck disable=SC2086
	if "$bin" $dict -max_total_time="$seconds" -timeout=10 \
	    -rss_limit_mb=2048 -max_len=20000 -print_final_stats=1 \
	    -artifact_prefix="var/fuzz/$short/" "$work" \
	    >"var/fuzz/$short/log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' \
		    "var/fuzz/$short/log")
		echo "$name: ${runs:-?} runs in ${seconds} s, no finding"
		passed=$((passed + 1))
	else
		echo "$name: FINDING (see var/fuzz/$short/)"
		tail -30 "var/fuzz/$short/log"
		failed=$((failed + 1))
	fi
	rm -rf "$work"
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
