# Shell helpers of the bench scripts (run.sh, import.sh, soak.sh); sourced, not run.

wait_port() { # log file, pid, name → sets PORT once the server logged "listening on" (30 s at most)
    i=0
    while ! grep -q "listening on" "$1" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -gt 1500 ] || ! kill -0 "$2" 2>/dev/null; then echo "$3 did not start:"; cat "$1"; exit 1; fi
        sleep 0.02
    done
    PORT=$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' "$1" | head -1)
}
