#!/bin/sh
# Install the Debian packages crmd needs to build, test and benchmark, if any
# is missing (apt-get; through sudo when not root). Quiet when all are there.
# Arguments are more packages: make fuzz adds clang-14 and libclang-rt-14-dev
# (libclang_rt.fuzzer), make browser chromium, make e2e prometheus (its
# promtool checks GET /metrics; where systemd runs, the package also enables
# its own prometheus.service: `systemctl disable --now prometheus` if
# unwanted). libphonenumber-dev (a C++ library, hence g++) reads phone
# numbers (server/phone.cc); libutf8proc-dev normalises text to NFC and
# folds letters for the search (server/unicode.c, server/search_norm.c).
# libsystemd-dev: sd_notify (server/service.c), readiness and stop under
# systemd's Type=notify. zlib1g-dev: gzip of answers (server/compress.c).
set -eu
PKGS="gcc g++ make pkg-config libc6-dev libmicrohttpd-dev libjansson-dev libsqlite3-dev uuid-dev
check libsubunit-dev libcurl4-openssl-dev libssl-dev libphonenumber-dev libsystemd-dev libutf8proc-dev
zlib1g-dev tzdata openssl $*"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "crmd: installing missing Debian packages:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
