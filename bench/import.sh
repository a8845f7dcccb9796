#!/bin/sh
# Import bench (issue 4 section 2): records per second of POST /v1/import on
# an empty database, for a mixed NDJSON body in the bench data set's shape
# (bench/import_gen.c: per customer 1.5 vehicles and 5 touchpoints, every
# reference by external id, forward references), then the same body again
# (every line unchanged: a re-sync). One request each, timed by curl. Then
# the floor: the same rows stored by SQLite alone (bench/import_floor.c).
# Usage: bench/import.sh BUILD_DIR [CUSTOMERS]   (make bench calls it with
# 100,000 x BENCH_SCALE customers; BENCH_IMPORT_SYNC=NORMAL for --synchronous)
set -eu
B=${1:?usage: bench/import.sh BUILD_DIR [CUSTOMERS]}
NCUST=${2:-10000}
SYNC=${BENCH_IMPORT_SYNC:-FULL}
HZ=$(getconf CLK_TCK)
TMP=$(mktemp -d)
PID=""
cleanup() {
    if [ -n "$PID" ]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$B/bench/import_gen" --customers "$NCUST" >"$TMP/body.ndjson"
LINES=$(wc -l <"$TMP/body.ndjson")
MIB=$(du -m "$TMP/body.ndjson" | cut -f1)
# an admin API key in the fresh database (crmd keys create prints it last)
KEY=$("$B/crmd" keys create --db "$TMP/import.db" --role admin --name bench 2>/dev/null | tail -1) || KEY=""
"$B/crmd" --port 0 --threads 2 --db "$TMP/import.db" --synchronous "$SYNC" --log-level info \
    2>"$TMP/crmd.log" &
PID=$!
. "$(dirname "$0")/lib.sh"
wait_port "$TMP/crmd.log" "$PID" crmd
URL="http://127.0.0.1:$PORT/v1/import?report=errors"

run() { # label: one import of the body, printed as a table row
    c0=$(awk '{print $14 + $15}' "/proc/$PID/stat")
    out=$(curl -s -o "$TMP/report.json" -w '%{http_code} %{time_total}' -X POST "$URL" \
        -H 'Content-Type: application/x-ndjson' -H "Authorization: Bearer $KEY" \
        --data-binary @"$TMP/body.ndjson")
    c1=$(awk '{print $14 + $15}' "/proc/$PID/stat")
    code=${out% *}
    secs=${out#* }
    totals=$(sed -n 's/.*"totals":{\([^}]*\)}.*/\1/p' "$TMP/report.json")
    awk -v l="$1" -v n="$LINES" -v s="$secs" -v t=$((c1 - c0)) -v hz="$HZ" -v code="$code" -v tot="$totals" \
        'BEGIN { printf "  %-34s %9d %8.2f %10.0f %9.1f   HTTP %s {%s}\n", l, n, s, n / s,
                 t * 1e6 / hz / n, code, tot }'
}

echo "import bench: $LINES lines ($MIB MiB NDJSON, $NCUST customers), synchronous=$SYNC, empty database"
printf "  %-34s %9s %8s %10s %9s\n" "scenario" "records" "seconds" "records/s" "CPU µs/rec"
run "POST /v1/import (new records)"
# crmd checkpoints the import's WAL after answering (log line "checkpoint:"): wait
# for it, so the second run does not queue behind the first one's checkpoint
i=0
while ! grep -q "checkpoint:" "$TMP/crmd.log" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
echo "  (after answering: $(sed -n 's/.*info checkpoint: //p' "$TMP/crmd.log" | head -1))"
run "the same body again (unchanged)"

# The floor: the rows this import stored, copied by SQLite alone into a fresh
# database (bench/import_floor.c): what no import can beat on this machine.
kill "$PID" && wait "$PID" 2>/dev/null || true
PID=""
if [ -x "$B/bench/import_floor" ]; then
    echo "floor (bench/import_floor: the same rows by INSERT ... SELECT, no HTTP, JSON or checks):"
    "$B/bench/import_floor" "$TMP/import.db" "$TMP/floor.db" "$LINES" "$SYNC" 2>/dev/null
fi
