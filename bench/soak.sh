#!/bin/sh
# crmd soak test (issue 5, section 5): mixed read/write load for a while, then throughput,
# errors and memory growth. Not part of CI (it runs for minutes).
# Usage: bench/soak.sh [BUILD_DIR]   (default build/soak; `make FLAVOR=soak` builds it)
# Environment (defaults): SOAK_SECONDS (300), SOAK_CONNS (16 wrk connections), SOAK_THREADS
# (2 server worker threads), SOAK_SAMPLE (5: seconds between memory samples), SOAK_SYNC
# (FULL: --synchronous), SOAK_KEEP (unset: delete the temporary directory at the end).
# 1. starts crmd on a new temporary database with the demo data and an admin API key;
# 2. runs wrk with bench/soak.lua (creates, patches, touchpoints, greeting cards, searches,
#    lists, GETs) for SOAK_SECONDS while sampling the server's VmRSS and RssAnon;
# 3. prints throughput, the status counts (non-2xx and 5xx apart), RSS at start and end
#    and its growth, the database size and PRAGMA integrity_check after a clean stop.
set -eu
B=${1:-build/soak}
SECS=${SOAK_SECONDS:-300}
CONNS=${SOAK_CONNS:-16}
THREADS=${SOAK_THREADS:-2}
SAMPLE=${SOAK_SAMPLE:-5}
SYNC=${SOAK_SYNC:-FULL}
HERE=$(cd "$(dirname "$0")" && pwd)
"$HERE/../tools/deps.sh" wrk curl
[ -x "$B/crmd" ] || { echo "soak: $B/crmd not built (make FLAVOR=$(basename "$B"))"; exit 1; }

TMP=$(mktemp -d)
PID=""
SAMPLER=""
cleanup() {
    for p in $SAMPLER $PID; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    if [ -n "${SOAK_KEEP:-}" ]; then echo "soak: kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

DB=$TMP/soak.db
KEY=$("$B/crmd" keys create --db "$DB" --role admin --name "soak-$$" 2>/dev/null)
AUTH="Authorization: Bearer $KEY"
"$B/crmd" --port 0 --threads "$THREADS" --db "$DB" --demo --synchronous "$SYNC" \
    --log-level info >"$TMP/crmd.out" 2>"$TMP/crmd.log" &
PID=$!
. "$HERE/lib.sh"
wait_port "$TMP/crmd.log" "$PID" crmd
URL="http://127.0.0.1:$PORT"
curl -sf -o /dev/null -H "$AUTH" "$URL/v1/customers?limit=1" || { echo "soak: the key does not work"; exit 1; }

mem() { # pid → "VmRSS_kB RssAnon_kB"
    awk '/^VmRSS/ {r = $2} /^RssAnon/ {a = $2} END {print r + 0, a + 0}' "/proc/$1/status"
}
# a short warm-up so that the start figure includes the connections' statement caches
SOAK_RUN=1 wrk -t2 -c"$CONNS" -d2s -H "$AUTH" -s "$HERE/soak.lua" "$URL" >/dev/null 2>&1
START=$(mem "$PID")
T0=$(date +%s)
(
    while kill -0 "$PID" 2>/dev/null; do
        echo "$(($(date +%s) - T0)) $(mem "$PID")"
        sleep "$SAMPLE"
    done
) >"$TMP/rss" 2>/dev/null &
SAMPLER=$!

echo "crmd soak: ${SECS}s, wrk -t2 -c$CONNS, $THREADS server threads, synchronous $SYNC, $(nproc) cores"
OUT=$(SOAK_RUN=2 wrk -t2 -c"$CONNS" -d"${SECS}s" --timeout 10s --latency -H "$AUTH" -s "$HERE/soak.lua" "$URL" 2>&1)
END=$(mem "$PID")
kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=""
kill "$PID"
RC=0; wait "$PID" || RC=$?
PID=""

N=$(echo "$OUT" | awk '/requests in/ {print $1}')
RPS=$(echo "$OUT" | awk '/Requests\/sec/ {printf "%.0f", $2}')
COUNTS=$(echo "$OUT" | sed -n 's/^soak: //p')
LAT=$(echo "$OUT" | sed -n 's/^soak-latency: //p')
[ -n "$COUNTS" ] || { echo "soak: wrk failed:"; echo "$OUT"; exit 1; }
echo "$COUNTS" | awk -v n="${N:-0}" -v rps="${RPS:-0}" -v lat="$LAT" '{
    for (i = 1; i < NF; i += 2) v[$i] = $(i + 1)
    printf "  requests        %d (%s req/s), latency %s\n", n, rps, lat
    printf "  2xx             %d\n", v["2xx"]
    printf "  non-2xx         %d (3xx %d, 4xx %d: 404 %d, 409 %d, 429 %d)\n",
        v["3xx"] + v["4xx"] + v["5xx"], v["3xx"], v["4xx"], v["404"], v["409"], v["429"]
    printf "  5xx             %d (503 %d)\n", v["5xx"], v["503"]
    printf "  socket errors   %d, timeouts %d\n", v["socket_errors"], v["timeouts"] }'
awk -v s="$START" -v e="$END" 'BEGIN {
    split(s, a, " "); split(e, b, " ")
    printf "  RSS             start %.1f MiB, end %.1f MiB, growth %+.1f MiB\n",
        a[1] / 1024, b[1] / 1024, (b[1] - a[1]) / 1024
    printf "  RssAnon (heap)  start %.1f MiB, end %.1f MiB, growth %+.1f MiB\n",
        a[2] / 1024, b[2] / 1024, (b[2] - a[2]) / 1024 }'
# growth over the second half only: a leak keeps growing, caches level off
awk -v secs="$SECS" '$1 >= secs / 2 && !m {m = $3} {l = $3; peak = ($2 > peak ? $2 : peak)}
    END {printf "  RssAnon 2nd half %+.1f MiB (from %d samples; VmRSS peak %.1f MiB)\n",
        (l - m) / 1024, NR, peak / 1024}' "$TMP/rss"
echo "  RSS samples (s VmRSS_kB RssAnon_kB): $(awk 'NR % 12 == 1' "$TMP/rss" | tr '\n' ';')"
echo "  database        $(du -m "$DB" | cut -f1) MiB after the run; server exit code $RC"
if command -v sqlite3 >/dev/null; then
    echo "  integrity_check $(sqlite3 "$DB" 'PRAGMA integrity_check' | head -3 | tr '\n' ' ')"
    echo "  rows            customers $(sqlite3 "$DB" 'SELECT count(*) FROM customers')," \
        "touchpoints $(sqlite3 "$DB" 'SELECT count(*) FROM touchpoints')"
fi
