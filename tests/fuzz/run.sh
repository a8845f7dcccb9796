#!/bin/sh
# make fuzz: replay every input in tests/fuzz/regressions (each must pass), then
# fuzz for SECONDS on a copy of tests/fuzz/corpus (the committed seeds stay as
# they are). Crashes land in DIR/artifacts; prints the number of executions.
# Usage: tests/fuzz/run.sh DIR SECONDS   (DIR holds fuzz_request: build/fuzz)
set -eu
dir=$1
secs=$2
here=$(dirname "$0")
bin=$dir/fuzz_request
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# the target's temporary databases (in memory when /dev/shm is there); libFuzzer may skip atexit
FUZZ_DB_DIR=$(mktemp -d /dev/shm/crmd-fuzz.XXXXXX 2>/dev/null || mktemp -d)
export FUZZ_DB_DIR
trap 'rm -rf "$FUZZ_DB_DIR"' EXIT

regs=$(find "$here/regressions" -type f ! -name README -print 2>/dev/null | sort)
if [ -n "$regs" ]; then
    # shellcheck disable=SC2086
    "$bin" -runs=1 $regs >"$dir/regressions.log" 2>&1 || { cat "$dir/regressions.log"; exit 1; }
    echo "fuzz: $(echo "$regs" | wc -l) regression inputs pass"
fi

rm -rf "$dir/corpus"
mkdir -p "$dir/corpus" "$dir/artifacts"
cp "$here"/corpus/* "$dir/corpus/"
status=0
"$bin" -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -dict="$here/request.dict" -artifact_prefix="$dir/artifacts/" -print_final_stats=1 \
    "$dir/corpus" >"$dir/fuzz.log" 2>&1 || status=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log")
if [ "$status" -ne 0 ]; then
    tail -n 60 "$dir/fuzz.log"
    echo "fuzz: FAILED after ${execs:-?} executions; the input is in $dir/artifacts/ (log: $dir/fuzz.log)"
    exit 1
fi
echo "fuzz: ${execs:-?} executions in $secs s, $(find "$dir/corpus" -type f | wc -l) corpus entries, no crash"
