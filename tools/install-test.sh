#!/bin/sh
# make install-test: install into a temporary DESTDIR and check what landed:
# the exact file list, the binary runs and reports the version, the man page
# lints clean and names every option and variable of `crmd --help`, the
# systemd unit is Type=notify and verifies (systemd-analyze, when there) and scores as
# sandboxed; then make uninstall leaves nothing behind.
# Usage: tools/install-test.sh FLAVOR VERSION (from the Makefile).
set -eu
flavor=$1
version=$2
make=${MAKE:-make}
cd "$(dirname "$0")/.."
./tools/deps.sh mandoc

tmp=$(mktemp -d /tmp/crmd-install-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0
pass=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
fail() { fails=$((fails + 1)); echo "FAIL: $*"; }

$make --no-print-directory FLAVOR="$flavor" DESTDIR="$tmp/root" PREFIX=/usr/local install >"$tmp/install.log"

# 1. exactly these files
want="/etc/crmd/crmd.env
/usr/local/lib/systemd/system/crmd.service
/usr/local/sbin/crmd
/usr/local/share/man/man8/crmd.8"
got=$(cd "$tmp/root" && find . -type f | sed 's/^\.//' | LC_ALL=C sort)
if [ "$got" = "$want" ]; then ok "installed files: $(echo "$got" | tr '\n' ' ')"; else
    fail "installed files differ:"; echo "$got"; fi
[ "$(stat -c %a "$tmp/root/usr/local/sbin/crmd")" = 755 ] && ok "crmd is mode 755" || fail "crmd mode"
[ "$(stat -c %a "$tmp/root/etc/crmd/crmd.env")" = 640 ] && ok "crmd.env is mode 640" ||
    fail "crmd.env mode"

# 2. the installed binary runs and knows its version
bin="$tmp/root/usr/local/sbin/crmd"
v=$("$bin" --version)
[ "$v" = "crmd $version" ] && ok "--version: $v" || fail "--version says '$v', want 'crmd $version'"

# 3. the man page: lint, and every option and variable of --help in it
man="$tmp/root/usr/local/share/man/man8/crmd.8"
if out=$(mandoc -T lint -W warning "$man" 2>&1) && [ -z "$out" ]; then ok "mandoc -T lint: clean"; else
    fail "mandoc -T lint:"; echo "$out"; fi
if out=$(groff -man -z -w all "$man" 2>&1) && [ -z "$out" ]; then ok "groff -w all: clean"; else
    fail "groff -w all:"; echo "$out"; fi
text=$(mandoc -T ascii -O width=250 "$man" | sed 's/.\x08//g')
missing=""
n=0
for word in $("$bin" --help | awk '$1 ~ /^--/ { print $1; if ($2 ~ /^CRMD_/) print $2 }') --probe --timeout; do
    n=$((n + 1))
    printf '%s\n' "$text" | grep -q -w -F -e "$word" || missing="$missing $word"
done
[ -z "$missing" ] && ok "man page names all $n options and variables of --help" ||
    fail "man page lacks:$missing"
# and every command of "other commands" (crmd --probe, crmd keys create, ...)
missing=""
for cmd in $("$bin" --help | awk '/^  crmd / { print $2 "_" $3 }'); do
    cmd=$(echo "$cmd" | sed 's/_\[.*//; s/_$//; s/_/ /')
    printf '%s\n' "$text" | grep -q -F -e "crmd $cmd" || missing="$missing, crmd $cmd"
done
[ -z "$missing" ] && ok "man page names every command of --help" ||
    fail "man page lacks${missing#,}"
nodefault=$("$bin" --help | awk '$1 ~ /^--/ && $1 != "--help" && $1 != "--version" && !/default/ { print $1 }')
[ -z "$nodefault" ] && ok "--help states the default of every option" ||
    fail "--help names no default for: $nodefault"
grep -q '^ExecStart=/usr/local/sbin/crmd$' "$tmp/root/usr/local/lib/systemd/system/crmd.service" &&
    ok "unit: ExecStart=/usr/local/sbin/crmd" || fail "unit ExecStart not filled in"
grep -q '^EnvironmentFile=-/etc/crmd/crmd.env$' "$tmp/root/usr/local/lib/systemd/system/crmd.service" &&
    ok "unit: EnvironmentFile=-/etc/crmd/crmd.env" || fail "unit EnvironmentFile not filled in"
grep -q '^Type=notify$' "$tmp/root/usr/local/lib/systemd/system/crmd.service" &&
    grep -q '^NotifyAccess=main$' "$tmp/root/usr/local/lib/systemd/system/crmd.service" &&
    ok "unit: Type=notify, NotifyAccess=main (sd_notify)" || fail "unit is not Type=notify"

# 4. the unit: systemd-analyze verify (against the binary in DESTDIR) and its exposure score
if command -v systemd-analyze >/dev/null 2>&1; then
    mkdir -p "$tmp/unit"
    sed "s|^ExecStart=/usr/local/sbin/crmd|ExecStart=$bin|" \
        "$tmp/root/usr/local/lib/systemd/system/crmd.service" >"$tmp/unit/crmd.service"
    if out=$(systemd-analyze verify --man=no "$tmp/unit/crmd.service" 2>&1); then
        ok "systemd-analyze verify: clean"; else fail "systemd-analyze verify:"; echo "$out"; fi
    score=$(systemd-analyze security --offline=true "$tmp/unit/crmd.service" 2>/dev/null |
        sed -n 's/.*Overall exposure level for crmd.service: \([0-9.]*\).*/\1/p')
    if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'; then
        ok "systemd-analyze security: exposure $score (at most 2.0)"
    else fail "systemd-analyze security: exposure '$score', want at most 2.0"; fi
else
    echo "skip: systemd-analyze is not installed"
fi

# 5. a second install keeps an edited configuration; uninstall removes the rest
echo "CRMD_PORT=9999" >>"$tmp/root/etc/crmd/crmd.env"
$make --no-print-directory FLAVOR="$flavor" DESTDIR="$tmp/root" PREFIX=/usr/local install >/dev/null
grep -q CRMD_PORT=9999 "$tmp/root/etc/crmd/crmd.env" && ok "reinstall keeps an edited crmd.env" ||
    fail "reinstall overwrote crmd.env"
$make --no-print-directory DESTDIR="$tmp/root" PREFIX=/usr/local uninstall >/dev/null
left=$(cd "$tmp/root" && find . -type f | sed 's/^\.//')
[ "$left" = "/etc/crmd/crmd.env" ] && ok "uninstall leaves only the edited crmd.env" ||
    fail "after uninstall: $left"
cp dist/crmd.env "$tmp/root/etc/crmd/crmd.env"
$make --no-print-directory DESTDIR="$tmp/root" PREFIX=/usr/local uninstall >/dev/null
left=$(cd "$tmp/root" && find . -type f)
[ -z "$left" ] && ok "uninstall removes an unchanged crmd.env" || fail "after uninstall: $left"

echo "install-test: $pass passed, $fails failed"
[ "$fails" -eq 0 ]
