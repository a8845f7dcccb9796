#!/bin/sh
# Install the pinned npm packages of one folder (tools/api: Redocly CLI, ajv;
# desk: the chart library, Playwright, axe-core, TypeScript) with `npm ci` from
# its committed package-lock.json. Installs Debian's nodejs and npm first when
# the node or npm command is missing (apt-get; through sudo when not root). The
# stamp in node_modules makes it rerun only when the lock file changes; a lock
# keeps parallel builds from running npm ci at the same time.
# Usage: tools/npm-ci.sh DIR
set -eu
dir=$(cd "$1" && pwd)
stamp="$dir/node_modules/.crmd-installed"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "crmd: installing Debian packages nodejs npm (for the npm tooling in $1)"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi

exec 9>"$dir/.install.lock"
flock 9
if [ -f "$stamp" ] && [ ! "$dir/package-lock.json" -nt "$stamp" ] && [ ! "$0" -nt "$stamp" ]; then
    exit 0
fi
echo "crmd: npm ci in $1 (node $(node --version))"
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
touch "$stamp"
