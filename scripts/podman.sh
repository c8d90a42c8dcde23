#!/usr/bin/env bash
# Gives the Podman pass of the test suite Podman's Docker-compatible API on a socket of its own:
#   - installs Debian's podman when missing (as root);
#   - runs `podman system service --time=0` on $PODMAN_SOCKET, detached, with a containers.conf
#     whose default ulimits these machines need (podman's defaults exceed what runc may set here)
#     and a registries.conf that lets it reach the tests' registries on 127.0.0.1 over plain http
#     (Docker treats 127.0.0.0/8 as insecure by itself; Podman only registries.conf's `insecure`);
#   - loads the test image from the Docker engine (`docker save | podman load`: no registry);
#   - removes leftover test containers (label dockhand.test=1).
# Run after scripts/engine.sh (the image comes from the Docker engine). Idempotent; prints one
# final "podman: ..." line. The socket is for the tests: a user's own Podman is left alone.
set -euo pipefail

readonly DIR=/tmp/dockhand-podman
readonly SOCKET=${PODMAN_SOCKET:-$DIR/podman.sock}
readonly CONF=$DIR/containers.conf
readonly REGISTRIES_CONF=$DIR/registries.conf
readonly SERVICE_LOG=$DIR/service.log
readonly LOCK=/tmp/dockhand-podman.lock
readonly IMAGE=dockhand-test/busybox:latest
readonly LABEL=dockhand.test=1
readonly START_TIMEOUT_S=30

# die, install_packages, close_inherited_fds
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

[[ -e $LOCK ]] || : >"$LOCK"
exec 9<"$LOCK"
flock -w 120 9 || die "another scripts/podman.sh holds $LOCK for over 120 s"

command -v podman >/dev/null || install_packages podman
mkdir -p "$DIR"

# The docker CLI, aimed at the Podman service (it speaks the same API).
on_podman() {
  DOCKER_HOST="unix://$SOCKET" docker "$@"
}

podman_answers() {
  on_podman version --format '{{.Server.Version}}' >/dev/null 2>&1
}

if ! podman_answers; then
  cat >"$CONF" <<'CONF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
CONF
  # A location without a port matches the host at every port (containers/image compares up to a
  # ':'), and the test registries take a free port each. Nothing else changes: no search registries.
  cat >"$REGISTRIES_CONF" <<'CONF'
[[registry]]
location = "127.0.0.1"
insecure = true
CONF
  rm -f "$SOCKET"
  # Started in its own directory: conmon 2.1.6 writes a container's `oom` marker into its working
  # directory (Podman does not find it there, so an OOM kill reads OOMKilled false), and that must
  # not be the caller's.
  (close_inherited_fds; cd "$DIR"; CONTAINERS_CONF=$CONF CONTAINERS_REGISTRIES_CONF=$REGISTRIES_CONF \
    exec setsid nohup podman system service --time=0 "unix://$SOCKET" >"$SERVICE_LOG" 2>&1 </dev/null) &
  deadline=$((SECONDS + START_TIMEOUT_S))
  until podman_answers; do
    ((SECONDS < deadline)) ||
      die "podman system service did not answer on $SOCKET within ${START_TIMEOUT_S} s; last lines of $SERVICE_LOG:" \
        "$(tail -n 20 "$SERVICE_LOG")"
    sleep 0.2
  done
fi

if ! podman image exists "$IMAGE"; then
  docker save "$IMAGE" | podman load >/dev/null || die "could not copy $IMAGE from the Docker engine into Podman"
fi

ids=$(on_podman ps --all --quiet --filter "label=$LABEL")
# shellcheck disable=SC2086 # one id per word
[[ -z $ids ]] || on_podman rm --force $ids >/dev/null

if ! out=$(on_podman run --rm --label "$LABEL" "$IMAGE" true 2>&1); then
  die "Podman at unix://$SOCKET answers but cannot run a container:" "$out"
fi
echo "podman: unix://$SOCKET (Podman $(on_podman version --format '{{.Server.Version}}'))"
