#!/bin/bash
# docker/test.sh DIR VERSION: make docker-test. Builds docker/Dockerfile with
# podman FROM the debootstrap base (docker/base.sh), which runs every test in
# the build stage, then runs the image as docker/compose.yaml does (read-only
# root, tmpfs /tmp, no capabilities, no-new-privileges, port on 127.0.0.1, a
# named volume) and checks: the image's settings, /healthz, the HEALTHCHECK
# (crmd --probe), a write that survives a restart and a new container on the
# same volume, graceful stops (exit 0 well within the stop timeout), and
# docker/compose.yaml itself with podman-compose. Containers, volumes and
# networks are removed at the end; the images stay cached in DIR.
# DOCKER_TEST_BUILD=no checks the image of the last run without building again.
set -eu
dir=$(mkdir -p "$1" && cd "$1" && pwd)
version=$2
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/.." && pwd)
"$src/tools/deps.sh" podman runc podman-compose curl
podman="$here/podman.sh $dir"
base=localhost/crmd-base:bookworm
tag=localhost/crmd:test
name=crmd-test-$$
vol=crmd-test-data-$$
stop_timeout=30
t0=$(date +%s)
pass=0
fails=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
fail() { fails=$((fails + 1)); echo "FAIL: $*"; }

# At most this machine's soft limits (podman's defaults exceed them; runc cannot raise them).
limit() { l=$1; [ "$l" = unlimited ] || [ "$l" -gt 16384 ] && l=16384; echo "$l"; }
nofile=$(limit "$(ulimit -Sn)")
nproc=$(limit "$(ulimit -Su)")
ulimits="--ulimit nofile=$nofile:$nofile --ulimit nproc=$nproc:$nproc"

project=crmd-test-$$
compose="podman-compose --podman-path $dir/podman -p $project -f $src/docker/compose.yaml"
cleanup() {
    $podman rm -f -t 0 "$name" >/dev/null 2>&1 || true
    $podman volume rm -f "$vol" >/dev/null 2>&1 || true
    if [ -x "$dir/podman" ]; then
        $compose down -v >/dev/null 2>&1 || true
        $podman network rm -f "${project}_default" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

# ---- build (the build stage runs make test)
t=$(date +%s)
want_version="crmd $version"
# npm ci in the build stage trusts what this machine trusts (a proxy's CA, if any).
ca=${DOCKER_TEST_CA:-/etc/ssl/certs/ca-certificates.crt}
secret=""
[ -s "$ca" ] && secret="--secret id=ca,src=$ca"
# shellcheck disable=SC2086
if [ "${DOCKER_TEST_BUILD:-yes}" = no ] && $podman image exists "$tag"; then
    echo "docker-test: DOCKER_TEST_BUILD=no: checking the image built before"
    want_version=""
elif echo "docker-test: building $tag from $base (log: $dir/build.log)" &&
    $podman build --isolation chroot --format docker $ulimits $secret --build-arg BASE="$base" \
    --build-arg VERSION="$version" -f "$src/docker/Dockerfile" -t "$tag" "$src" \
    >"$dir/build.log" 2>&1; then
    ok "image built in $(($(date +%s) - t)) s; make test passed in the build stage (Check:" \
        "$(grep -o 'Checks: [0-9]*, Failures: 0' "$dir/build.log" | awk '{ print $2 }' |
            tr -d , | paste -sd ' ') checks; contract:" \
        "$(grep -o '[0-9]* exchanges checked' "$dir/build.log" | tail -n 1))"
else
    tail -n 40 "$dir/build.log"
    fail "podman build (see $dir/build.log)"
    echo "docker-test: $pass passed, $fails failed"
    exit 1
fi
size=$($podman image inspect --format '{{.Size}}' "$tag")
echo "docker-test: image size $((size / 1000000)) MB"

# ---- the image's settings
check_inspect() {
    got=$($podman image inspect --format "$1" "$tag")
    [ "$got" = "$2" ] && ok "image $1 = $got" || fail "image $1 = '$got', want '$2'"
}
check_inspect '{{.Config.User}}' 'crmd:crmd'
check_inspect '{{.Config.Entrypoint}}' '[/usr/local/sbin/crmd]'
check_inspect '{{.Config.StopSignal}}' 'SIGTERM'
check_inspect '{{json .Config.Healthcheck.Test}}' \
    '["CMD","/usr/local/sbin/crmd","--probe","--timeout","5"]'
check_inspect '{{json .Config.ExposedPorts}}' '{"8080/tcp":{}}'
check_inspect '{{json .Config.Volumes}}' '{"/var/lib/crmd":{}}'

# ---- run it as compose.yaml does. Without systemd podman cannot time health checks
# (it complains into podman.log); `podman healthcheck run` runs the HEALTHCHECK below.
start() {
    # shellcheck disable=SC2086
    $podman run -d --name "$name" $ulimits --read-only --tmpfs /tmp:rw,size=64m,mode=1777 \
        --cap-drop ALL --security-opt no-new-privileges -p 127.0.0.1::8080 \
        -v "$vol:/var/lib/crmd" --stop-timeout "$stop_timeout" --health-interval disable "$tag" \
        >/dev/null 2>>"$dir/podman.log"
}
# Wait for /healthz through the published port; sets url.
await() {
    url="http://$($podman port "$name" 8080/tcp)"
    i=0
    until curl -fsS -o /dev/null "$url/healthz" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -gt 300 ]; then
            $podman logs "$name" 2>&1 | tail -n 20
            return 1
        fi
        sleep 0.2
    done
}
# Stop with SIGTERM; ok when it exits 0 well before the stop timeout.
stop() {
    t=$(date +%s.%N)
    $podman stop -t "$stop_timeout" "$name" >/dev/null 2>>"$dir/podman.log"
    took=$(awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    code=$($podman inspect --format '{{.State.ExitCode}}' "$name")
    if [ "$code" = 0 ] && [ "${took%.*}" -lt $((stop_timeout / 2)) ]; then
        ok "$1: stopped with exit 0 in $took s (timeout $stop_timeout s)"
    else
        fail "$1: exit $code after $took s"
        $podman logs "$name" 2>&1 | tail -n 10
    fi
}

$podman volume create "$vol" >/dev/null
start
if await; then ok "container up: $url/healthz answers"; else fail "container not up"; fi
uid=$($podman exec "$name" id -u)
[ "$uid" = 10001 ] && ok "runs as uid 10001 (crmd)" || fail "runs as uid $uid"
got=$($podman exec "$name" /usr/local/sbin/crmd --version)
case $got in
"${want_version:-crmd }"*) ok "version: $got" ;;
*) fail "version '$got', want '$want_version'" ;;
esac
if out=$($podman healthcheck run "$name" 2>&1); then ok "HEALTHCHECK (crmd --probe): healthy"; else
    fail "HEALTHCHECK: $out"; fi
if $podman exec "$name" touch /usr/local/sbin/x 2>/dev/null; then fail "root file system is writable"; else
    ok "root file system is read-only"; fi

# An API key when this crmd has them (crmd keys), made inside the container on the volume.
auth=()
if $podman exec "$name" /usr/local/sbin/crmd keys --help >/dev/null 2>&1; then
    key=$($podman exec "$name" /usr/local/sbin/crmd keys create --role manager --name docker-test \
        2>/dev/null)
    [ -n "$key" ] && ok "crmd keys create: a key for the checks" || fail "crmd keys create"
    auth=(-H "Authorization: Bearer $key")
fi
body='{"kind": "person", "given_name": "Dora", "family_name": "Container"}'
code=$(curl -sS -o "$dir/post.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    "${auth[@]}" -d "$body" "$url/v1/customers")
id=$(sed -n 's/^{"id":"\([0-9a-f-]*\)".*/\1/p' "$dir/post.json")
[ "$code" = 201 ] && [ -n "$id" ] && ok "POST /v1/customers: 201, id $id" || fail "POST: $code"

check_customer() {
    code=$(curl -sS -o "$dir/get.json" -w '%{http_code}' "${auth[@]}" "$url/v1/customers/$id")
    if [ "$code" = 200 ] && grep -q '"family_name":"Container"' "$dir/get.json"; then
        ok "$1: GET /v1/customers/$id: 200, the write is there"
    else fail "$1: GET: $code $(cat "$dir/get.json")"; fi
}

stop "first run"
$podman start "$name" >/dev/null 2>>"$dir/podman.log"
if await; then ok "restarted: $url/healthz answers"; else fail "not up after restart"; fi
check_customer "after a restart"
stop "restarted container"
$podman rm "$name" >/dev/null 2>>"$dir/podman.log"
start
if await; then ok "new container on the same volume: up"; else fail "new container not up"; fi
check_customer "in a new container"
$podman logs "$name" 2>&1 | grep -q 'schema version' && ok "log goes to stdout/stderr" ||
    fail "no log lines"
stop "new container"
$podman logs "$name" 2>&1 | tail -n 1 | grep -q 'stopped' && ok "last log line: stopped" ||
    fail "last log line: $($podman logs "$name" 2>&1 | tail -n 1)"

# ---- docker/compose.yaml itself, with podman-compose, on the image just built
printf '#!/bin/sh\nexec %s %s "$@"\n' "$here/podman.sh" "$dir" >"$dir/podman"
chmod +x "$dir/podman"
$podman tag "$tag" localhost/crmd:latest
cport=$((20000 + $$ % 10000))
# shellcheck disable=SC2086
if CRMD_HOST_PORT=$cport $compose --podman-run-args "$ulimits --health-interval disable" \
    up -d --no-build >"$dir/compose.log" 2>&1; then
    cname=$($podman ps --filter "label=io.podman.compose.project=$project" --format '{{.Names}}')
    i=0
    until curl -fsS -o /dev/null "http://127.0.0.1:$cport/readyz" 2>/dev/null || [ $i -gt 300 ]; do
        i=$((i + 1))
        sleep 0.2
    done
    curl -fsS -o /dev/null "http://127.0.0.1:$cport/readyz" &&
        ok "compose.yaml: up with podman-compose, /readyz on 127.0.0.1:$cport" ||
        fail "compose.yaml: /readyz on 127.0.0.1:$cport does not answer"
    got="$($podman inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$cname")"
    got="$got $($podman exec "$cname" sed -n 's/^CapBnd:[[:space:]]*//p' /proc/1/status)"
    [ "$got" = "true 0000000000000000" ] &&
        ok "compose.yaml: read-only root, no capabilities (bounding set 0)" ||
        fail "compose.yaml container: read-only, bounding set: $got"
    $compose down -v >>"$dir/compose.log" 2>&1 && ok "compose.yaml: down" || fail "compose down"
else
    tail -n 20 "$dir/compose.log"
    fail "podman-compose up (see $dir/compose.log)"
fi

echo "docker-test: $(($(date +%s) - t0)) s in all"
echo "docker-test: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
