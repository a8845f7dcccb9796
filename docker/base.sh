#!/bin/sh
# docker/base.sh DIR: the Debian 12 (bookworm) base image for podman when no
# registry is reachable: debootstrap (minbase) from the mirror this machine's
# apt uses, cached as DIR/bookworm.tar (made once; minutes), imported into the
# podman storage under DIR as localhost/crmd-base:bookworm.
# DEBIAN_MIRROR and DEBIAN_SECURITY_MIRROR override the mirrors.
set -eu
dir=$(mkdir -p "$1" && cd "$1" && pwd)
image=localhost/crmd-base:bookworm
here=$(cd "$(dirname "$0")" && pwd)
"$here/../tools/deps.sh" debootstrap podman runc
podman="$here/podman.sh $dir"

# The first Debian mirror of apt's sources (deb822 or one-line); none is an error.
mirror=${DEBIAN_MIRROR:-$(
    { grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{ print $2 }'
      awk '$1 == "deb" { print ($2 ~ /^\[/ ? $3 : $2) }' /etc/apt/sources.list 2>/dev/null
    } | grep -v -e security -e '^$' | grep '/debian/*$' | head -n 1)}
[ -n "$mirror" ] || {
    echo "docker/base.sh: no Debian mirror in /etc/apt/sources.list(.d); set DEBIAN_MIRROR" >&2
    exit 1
}
mirror=${mirror%/}
security=$( { grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{ print $2 }'
    awk '$1 == "deb" { print ($2 ~ /^\[/ ? $3 : $2) }' /etc/apt/sources.list 2>/dev/null
    } | grep -e '-security/*$' | head -n 1)
security=${DEBIAN_SECURITY_MIRROR:-${security:-$mirror-security}}
security=${security%/}

if [ ! -s "$dir/bookworm.tar" ]; then
    echo "docker/base.sh: debootstrap bookworm from $mirror (once; a few minutes)"
    root="$dir/rootfs"
    rm -rf "$root"
    debootstrap --variant=minbase bookworm "$root" "$mirror" >"$dir/debootstrap.log" 2>&1 || {
        tail -n 20 "$dir/debootstrap.log"
        exit 1
    }
    rm -f "$root/etc/apt/sources.list"
    cat >"$root/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/tmp/*
    tar --numeric-owner -C "$root" -cf "$dir/bookworm.tar.part" .
    mv "$dir/bookworm.tar.part" "$dir/bookworm.tar"
    rm -rf "$root"
fi
if ! $podman image exists "$image"; then
    $podman import -q --change 'CMD ["/bin/bash"]' "$dir/bookworm.tar" "$image" >/dev/null
    echo "docker/base.sh: imported $dir/bookworm.tar as $image"
fi
