#!/bin/sh
# Benchmark crmd over HTTP on loopback with wrk: /healthz (the HTTP layer),
# a plate lookup (indexed read), GET by id, and customer creation (the write
# path with synchronous=FULL and NORMAL). Prints one line per scenario and the
# server's peak RSS. Usage: bench/run.sh path/to/crmd [seconds] [connections]
set -eu
BIN=${1:?usage: bench/run.sh path/to/crmd [seconds] [connections]}
SECS=${2:-5}
CONNS=${3:-64}
HERE=$(cd "$(dirname "$0")" && pwd)
"$HERE/../tools/deps.sh" wrk curl
TMP=$(mktemp -d)
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT INT TERM

start() { # $1 = synchronous mode
    "$BIN" --demo --port 0 --threads 2 --db "$TMP/bench-$1.db" --synchronous "$1" --log-level info 2>"$TMP/log" &
    PID=$!
    i=0
    while ! grep -q "listening on" "$TMP/log"; do
        i=$((i + 1)); [ $i -gt 500 ] && { echo "crmd did not start"; cat "$TMP/log"; exit 1; }
        sleep 0.02
    done
    PORT=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$TMP/log" | head -1)
    URL="http://127.0.0.1:$PORT"
}

stop() {
    echo "  server peak RSS: $(grep VmHWM /proc/$PID/status | awk '{print $2/1024 " MiB"}')"
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
}

run() { # name, wrk args...
    name=$1; shift
    out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "$@" 2>&1)
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1=="50%" {print $2}')
    p99=$(echo "$out" | awk '$1=="99%" {print $2}')
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
    printf "  %-34s %10s req/s   p50 %-9s p99 %-9s non-2xx %s\n" "$name" "$rps" "$p50" "$p99" "${non2xx:-0}"
}

echo "crmd bench: wrk -t2 -c$CONNS -d${SECS}s on loopback, server with 2 threads ($(nproc) cores shared with wrk)"
start FULL
VID=$(curl -s "$URL/v1/vehicles?plate=MHW2022" | sed -n 's/.*"items":\[{"id":"\([^"]*\)".*/\1/p')
run "GET /healthz" "$URL/healthz"
run "GET /v1/vehicles?plate= (mixed)" -s "$HERE/plates.lua" "$URL"
[ -n "$VID" ] && run "GET /v1/vehicles/{id}" "$URL/v1/vehicles/$VID"
run "POST /v1/customers (sync=FULL)" -s "$HERE/post_customer.lua" "$URL/v1/customers"
stop
start NORMAL
run "POST /v1/customers (sync=NORMAL)" -s "$HERE/post_customer.lua" "$URL/v1/customers"
stop
