#!/bin/sh
# crmd benchmark (issue 3, section 6), all on loopback, bounded in time.
# Usage: bench/run.sh BUILD_DIR   (make bench calls it with build/<flavour>)
# Environment (defaults): BENCH_SCALE (0.1 = 100,000 customers; 1 = the full
# 1,000,000), BENCH_SECS per scenario and round (3), BENCH_ROUNDS (5),
# BENCH_CONNS (64), BENCH_DATA (build/bench/data), BENCH_OLD=0 skips table 2,
# BENCH_IMPORT=0 skips table 3 (the bulk import, bench/import.sh).
# 1. generates the data set once per scale (cached, keyed by the generator's and
#    the schema's sources);
# 2. table 1, in short interleaved rounds so that a busy neighbour on a shared
#    machine hits every scenario alike: bare libmicrohttpd, /healthz, greeting
#    card over HTTP, the same cards in-process, search over HTTP and in-process;
#    then the target ratios (median of the rounds' ratios) and the server's memory;
# 3. table 2: the issue 2 scenarios on the demo data (plate lookup, GET by id,
#    customer creation with synchronous FULL and NORMAL).
set -eu
B=${1:?usage: bench/run.sh BUILD_DIR}
HZ=$(getconf CLK_TCK)
SCALE=${BENCH_SCALE:-0.1}
SECS=${BENCH_SECS:-3}
ROUNDS=${BENCH_ROUNDS:-5}
CONNS=${BENCH_CONNS:-64}
DATA=${BENCH_DATA:-build/bench/data}
THREADS=2
HERE=$(cd "$(dirname "$0")" && pwd)
"$HERE/../tools/deps.sh" wrk curl

TMP=$(mktemp -d)
PID=""
BARE=""
cleanup() {
    for p in $PID $BARE; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
T0=$(date +%s)

# ---- data: generated once per scale and generator version ----
KEY=$(cat "$HERE"/gen*.c "$HERE"/gen.h "$HERE"/../schema/*.sql | cksum | cut -d' ' -f1)
DB=$DATA/crm-s$SCALE-$KEY.db
PLATES=$DATA/plates-s$SCALE-$KEY.txt
QUERIES=$DATA/queries-s$SCALE-$KEY.txt
mkdir -p "$DATA"
if [ -f "$DB" ] && [ -f "$PLATES" ] && [ -f "$QUERIES" ]; then
    echo "data: reusing $DB ($(du -m "$DB" | cut -f1) MiB, scale $SCALE)"
else
    rm -f "$DATA"/crm-s"$SCALE"-*.db* "$DATA"/plates-s"$SCALE"-*.txt "$DATA"/queries-s"$SCALE"-*.txt
    "$B/bench/gen" --scale "$SCALE" --db "$DB" --plates "$PLATES" --queries "$QUERIES"
    echo "data: generated in $(($(date +%s) - T0)) s: $DB ($(du -m "$DB" | cut -f1) MiB)"
fi

# ---- helpers ----
. "$HERE/lib.sh" # wait_port

start_crmd() { # db, extra flags...
    db=$1; shift
    # an admin key in that database; wrk and curl send it (docs/operators.md "Security model")
    AUTH="Authorization: Bearer $("$B/crmd" keys create --db "$db" --role admin --name "bench-$$-$(date +%s%N)" 2>/dev/null)"
    "$B/crmd" --port 0 --threads $THREADS --db "$db" --log-level info "$@" 2>"$TMP/crmd.log" &
    PID=$!
    wait_port "$TMP/crmd.log" "$PID" crmd
    URL="http://127.0.0.1:$PORT"
}

stop() { # pid
    kill "$1"; wait "$1" 2>/dev/null || true
}

to_ms() { # wrk latency ("812.00us", "1.20ms", "1.02s") → milliseconds
    echo "$1" | awk '/us$/ {printf "%.2f", $0 / 1000; next} /ms$/ {printf "%.2f", $0 + 0; next}
                     /s$/ {printf "%.2f", $0 * 1000; next} {print "-"}'
}

row() { # name, req/s, p50 ms, p99 ms, CPU µs per request, note
    printf "  %-36s %8s %8s %8s %8s   %s\n" "$1" "$2" "$3" "$4" "$5" "$6"
}

cpu_ticks() { # pid → user + system clock ticks so far
    awk '{print $14 + $15}' "/proc/$1/stat"
}

# A measurement appends "req/s p50_ms p99_ms cpu_us note..." to $TMP/<key> and prints its rate.
# cpu_us: the server's CPU time (user + system, from /proc) per request; wrk's own is not counted.
wrk_run() { # key, server pid, wrk args...
    key=$1; pid=$2; shift 2
    c0=$(cpu_ticks "$pid")
    out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -H "$AUTH" "$@" 2>&1)
    c1=$(cpu_ticks "$pid")
    rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%.0f", $2}')
    n=$(echo "$out" | awk '/requests in/ {print $1}')
    bad=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
    errs=$(echo "$out" | awk '/Socket errors/ {sub(/.*Socket errors: /, ""); print}')
    echo "${rps:-0} $(to_ms "$(echo "$out" | awk '$1=="50%" {print $2}')")" \
        "$(to_ms "$(echo "$out" | awk '$1=="99%" {print $2}')")" \
        "$(awk -v t=$((c1 - c0)) -v hz="$HZ" -v n="${n:-0}" 'BEGIN {printf "%.0f", (n > 0 ? t * 1e6 / hz / n : 0)}')" \
        "4xx/5xx ${bad:-0}${errs:+; socket errors $errs}" >>"$TMP/$key"
    printf " %s %s" "$key" "${rps:-0}"
}

inproc_run() { # key, mode, inputs
    # a fresh process: warm up as long as it measures, over the same inputs (page faults of the
    # mmap and of the allocator's arenas otherwise count against it; crmd is warm by then)
    out=$("$B/bench/inproc" --db "$DB" --inputs "$3" --mode "$2" --threads $THREADS --seconds "$SECS" \
        --warmup "$SECS")
    echo "$out" | awk '{for (i = 1; i < NF; i++) v[$i] = $(i + 1)
        printf "%.0f %.2f %.2f %.0f 200/300/404 %s/%s/%s, avg %s bytes\n", v["rate"], v["p50_us"] / 1000,
            v["p99_us"] / 1000, v["cpu_us"], v["status_200"], v["status_300"], v["status_404"],
            v["avg_bytes"]}' >>"$TMP/$1"
    printf " %s %s" "$1" "$(tail -1 "$TMP/$1" | cut -d' ' -f1)"
}

summary() { # key, name: mean req/s, medians of p50, p99 and CPU per request, note of the last round
    awk -v name="$2" '
        { rps += $1; p50[NR] = $2; p99[NR] = $3; cpu[NR] = $4
          note = ""; for (i = 5; i <= NF; i++) note = note " " $i }
        END { n = NR; m = int((n + 1) / 2) # medians: the rows are few; sort the columns by hand
              for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) {
                  if (p50[j] < p50[i]) { t = p50[i]; p50[i] = p50[j]; p50[j] = t }
                  if (p99[j] < p99[i]) { t = p99[i]; p99[i] = p99[j]; p99[j] = t }
                  if (cpu[j] < cpu[i]) { t = cpu[i]; cpu[i] = cpu[j]; cpu[j] = t } }
              printf "  %-36s %8.0f %8.2f %8.2f %8.0f  %s\n", name, rps / n, p50[m], p99[m], cpu[m], note }' "$TMP/$1"
}

verdict() { # label, numerator key, denominator key, minimum percent: median of the round ratios
    paste -d'|' "$TMP/$2" "$TMP/$3" | awk -F'|' -v min="$4" -v label="$1" '
        { split($1, x, " "); split($2, y, " "); r[NR] = y[1] > 0 ? 100 * x[1] / y[1] : 0
          list = list (NR > 1 ? " " : "") sprintf("%.0f", r[NR]) }
        END { n = NR
              for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
              med = n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2
              printf "  %-44s %6.1f %%  (rounds: %s)  target >= %d %%  %s\n", label, med, list, min,
                  (med >= min ? "met" : "NOT MET") }'
}

median_cpu() { # key → median CPU µs per request over the rounds
    cut -d' ' -f4 "$TMP/$1" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}

cpu_ratio() { # label, numerator key, denominator key: the same ratio from CPU per request
    awk -v a="$(median_cpu "$2")" -v b="$(median_cpu "$3")" -v label="$1" -v ka="$2" -v kb="$3" 'BEGIN {
        printf "  %-44s %6.1f %%  (CPU per request: %s %d µs, %s %d µs)\n", label,
            (a > 0 ? 100 * b / a : 0), ka, a, kb, b }'
}

memory() { # pid → the server's memory
    awk '/^VmHWM|^VmRSS|^RssAnon|^RssFile|^RssShmem/ {v[$1] = $2}
         END {
            anon = v["RssAnon:"] / 1024
            printf "  server memory after the run: VmHWM %.0f MiB, VmRSS %.0f MiB = anon %.0f + file %.0f + shmem %.0f MiB\n",
                v["VmHWM:"] / 1024, v["VmRSS:"] / 1024, anon, v["RssFile:"] / 1024, v["RssShmem:"] / 1024
            printf "  %-44s %6.0f MiB  target <= 200 MiB  %s\n", "RSS beyond page cache/mmap (RssAnon)", anon,
                (anon <= 200 ? "met" : "NOT MET") }' "/proc/$1/status"
}

# ---- table 1 ----
echo
echo "crmd bench: scale $SCALE, $ROUNDS rounds of ${SECS}s per scenario, wrk -t2 -c$CONNS on loopback;"
echo "servers and in-process runs with $THREADS threads on $(nproc) cores (shared with wrk)"
"$B/bench/bare" --port 0 --threads $THREADS 2>"$TMP/bare.log" &
BARE=$!
wait_port "$TMP/bare.log" "$BARE" bare
BARE_URL="http://127.0.0.1:$PORT/"
start_crmd "$DB"
export BENCH_INPUTS BENCH_WALKERS=$THREADS
# warm-up (not measured): every worker's connection, statement cache and the page cache
BENCH_INPUTS=$PLATES
wrk -t2 -c"$CONNS" -d3s -H "$AUTH" -s "$HERE/greeting.lua" "$URL" >/dev/null 2>&1
BENCH_INPUTS=$QUERIES
wrk -t2 -c"$CONNS" -d1s -H "$AUTH" -s "$HERE/search.lua" "$URL" >/dev/null 2>&1
r=1
while [ $r -le "$ROUNDS" ]; do
    printf "  round %d/%d req/s:" "$r" "$ROUNDS"
    wrk_run bare "$BARE" "$BARE_URL"
    wrk_run healthz "$PID" "$URL/healthz"
    BENCH_INPUTS=$PLATES
    wrk_run greeting "$PID" -s "$HERE/greeting.lua" "$URL"
    inproc_run inproc greeting "$PLATES"
    BENCH_INPUTS=$QUERIES
    wrk_run search "$PID" -s "$HERE/search.lua" "$URL"
    inproc_run inproc_search search "$QUERIES"
    echo
    r=$((r + 1))
done
MEM=$(memory "$PID")
stop "$PID"; PID=""
stop "$BARE"; BARE=""
echo
row "scenario (mean of rounds; medians)" "req/s" "p50 ms" "p99 ms" "CPU µs" "(CPU per request: the server's, or inproc's)"
summary bare "bare libmicrohttpd, fixed 3 KB body"
summary healthz "GET /healthz"
summary greeting "GET /v1/greeting?plate= (mixed)"
summary inproc "in-process greeting card (no HTTP)"
summary search "GET /v1/search?q="
summary inproc_search "in-process search (no HTTP)"
echo
echo "targets (ratios within this run, median of the rounds):"
verdict "/healthz vs bare server" healthz bare 60
verdict "greeting over HTTP vs in-process card rate" greeting inproc 75
verdict "search vs greeting (both over HTTP)" search greeting 50
echo "$MEM"
echo "the same ratios from CPU time per request (steadier when neighbours load the machine):"
cpu_ratio "/healthz vs bare server" healthz bare
cpu_ratio "greeting over HTTP vs in-process card rate" greeting inproc
cpu_ratio "search vs greeting (both over HTTP)" search greeting
cpu_ratio "search over HTTP vs in-process search" search inproc_search

# ---- table 2: the issue 2 scenarios on the demo data ----
if [ "${BENCH_OLD:-1}" != 0 ]; then
    echo
    echo "issue 2 scenarios (demo data, a fresh database per synchronous mode, ${SECS}s each):"
    start_crmd "$TMP/demo-full.db" --demo --synchronous FULL
    VID=$(curl -s -H "$AUTH" "$URL/v1/vehicles?plate=MHW2022" | sed -n 's/.*"items":\[{"id":"\([^"]*\)".*/\1/p')
    printf "  req/s:"
    wrk_run plate "$PID" -s "$HERE/plates.lua" "$URL"
    if [ -n "$VID" ]; then wrk_run byid "$PID" "$URL/v1/vehicles/$VID"; fi
    wrk_run post_full "$PID" -s "$HERE/post_customer.lua" "$URL/v1/customers"
    stop "$PID"
    start_crmd "$TMP/demo-normal.db" --demo --synchronous NORMAL
    wrk_run post_normal "$PID" -s "$HERE/post_customer.lua" "$URL/v1/customers"
    stop "$PID"; PID=""
    echo
    row "scenario" "req/s" "p50 ms" "p99 ms" "CPU µs" ""
    summary plate "GET /v1/vehicles?plate= (mixed)"
    if [ -n "$VID" ]; then summary byid "GET /v1/vehicles/{id}"; fi
    summary post_full "POST /v1/customers (sync=FULL)"
    summary post_normal "POST /v1/customers (sync=NORMAL)"
fi
# ---- table 3: the bulk import (bench/import.sh), 100,000 x scale customers ----
if [ "${BENCH_IMPORT:-1}" != 0 ]; then
    echo
    "$HERE/import.sh" "$B" "$(awk -v s="$SCALE" 'BEGIN {printf "%d", 100000 * s}')"
fi
echo
echo "bench done in $(($(date +%s) - T0)) s"
