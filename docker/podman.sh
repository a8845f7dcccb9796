#!/bin/sh
# docker/podman.sh DIR ARGS...: podman as it works on a machine without a
# registry, systemd or overlay mounts (CI and the development machines): its
# own storage under DIR (vfs driver), the runc runtime, cgroupfs, events in
# a file. make docker-test uses it; use it the same way to look around:
#   docker/podman.sh build/docker images
set -eu
dir=$(cd "$1" && pwd)
shift
exec podman --root "$dir/storage" --runroot "$dir/run" --storage-driver vfs --runtime runc \
    --cgroup-manager cgroupfs --events-backend file "$@"
