#!/bin/sh
# Install the API tooling of tools/api (Redocly CLI, ajv) with `npm ci` from the
# committed package-lock.json. Installs Debian's nodejs and npm first when the
# node or npm command is missing (apt-get; through sudo when not root). The
# stamp in node_modules makes it rerun only when the lock file changes; a lock
# keeps parallel builds from running npm ci at the same time.
set -eu
dir=$(cd "$(dirname "$0")" && pwd)
stamp="$dir/node_modules/.crmd-installed"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "crmd: installing Debian packages nodejs npm (for the API tooling in tools/api)"
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
echo "crmd: npm ci in tools/api (node $(node --version))"
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
touch "$stamp"
