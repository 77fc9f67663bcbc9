#!/bin/sh
# tests/fuzz/run.sh SECONDS [JOBS]: run every libFuzzer target for SECONDS
# each (default 60) on a copy of its seed corpus, with its dictionary when
# there is one, JOBS targets at once (default 1).  A crash, a leak, a
# sanitizer report or a timeout is a failure; the finding is left in
# var/fuzz/<target>/ for a look.  Ends with "fuzz: N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
seconds=${1:-60}
jobs=${2:-1}
mkdir -p var/fuzz
results=$(mktemp -d /tmp/magnet-fuzz-results.XXXXXX)
trap 'rm -rf "$results"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# One target; its line of the report in $results/<name>.
one() {
	bin=$1
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
		cov=$(grep -o 'cov: [0-9]*' "var/fuzz/$short/log" | tail -1)
		echo "pass $name: ${runs:-?} runs in ${seconds} s (${cov:-cov: ?}), no finding" \
		    >"$results/$name"
	else
		echo "FAIL $name: FINDING (see var/fuzz/$short/)" >"$results/$name"
	fi
	rm -rf "$work"
}

running=0
for bin in build/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	if [ "$running" -ge "$jobs" ]; then
		wait	# the batch: every target runs for the same time
		running=0
	fi
	one "$bin" &
	running=$((running + 1))
done
wait

passed=0
failed=0
for r in "$results"/*; do
	[ -f "$r" ] || continue
	line=$(cat "$r")
	echo "${line#* }"
	case $line in
	pass*) passed=$((passed + 1)) ;;
	*)
		failed=$((failed + 1))
		short=$(basename "$r")
		tail -30 "var/fuzz/${short#fuzz_}/log"
		;;
	esac
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
