#!/usr/bin/env bash
# Gives the test suite a real Docker engine and a real terminal:
#   - uses the engine at $DOCKER_HOST (or the current docker context) or /var/run/docker.sock if it
#     answers; otherwise, as root on Debian, installs docker.io and starts a detached dockerd;
#   - installs tmux, busybox-static (a static /bin/busybox), openssl, iproute2, openssh-client,
#     openssh-server, docker-compose, docker-registry and apache2-utils when missing;
#   - builds the test image dockhand-test/busybox:latest FROM scratch (no registry is needed);
#   - removes leftover test containers (label dockhand.test=1).
# Idempotent and quiet on success: prints one final "engine: ..." line. Exits non-zero with the
# reason when no engine can be had.
set -euo pipefail

readonly SOCKET=/var/run/docker.sock
readonly PIDFILE=/var/run/docker.pid
readonly CONTAINERD_PIDFILE=/var/run/docker/containerd/containerd.pid
readonly DOCKERD_LOG=/tmp/dockhand-dockerd.log
readonly LOCK=/tmp/dockhand-engine.lock
readonly IMAGE=dockhand-test/busybox:latest
readonly LABEL=dockhand.test=1
readonly START_TIMEOUT_S=30

# The legacy builder is enough for a FROM scratch image; BuildKit with a docker 28.x client
# needs the buildx plugin, which is usually not installed beside the engine's own packages.
export DOCKER_BUILDKIT=0

# die, install_packages, close_inherited_fds
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

# Concurrent runs (several test processes, a developer and CI) must not start two daemons.
# Opened for reading so that users other than the lock file's owner can take it too.
[[ -e $LOCK ]] || : >"$LOCK"
exec 9<"$LOCK"
flock -w 120 9 || die "another scripts/engine.sh holds $LOCK for over 120 s"

# The image copies /bin/busybox into an empty filesystem, so it must not need a dynamic loader.
static_busybox() {
  [[ -x /bin/busybox ]] && ! ldd /bin/busybox >/dev/null 2>&1
}

engine_answers() {
  docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

# Prints the reason the docker CLI gives for not reaching the engine.
engine_error() {
  docker version --format '{{.Server.Version}}' 2>&1 >/dev/null | tail -n 5 || true
}

# True when PID is a live process named NAME: a stale pidfile may name a reused pid, and
# `kill -0` succeeds on zombies (a daemon killed under an init that does not reap, or our child).
process_alive() {
  local comm state
  read -r _ comm state _ 2>/dev/null <"/proc/$1/stat" || return 1
  [[ $comm == "($2)" && $state != Z ]]
}

dockerd_alive() {
  process_alive "$1" dockerd
}

# dockerd reuses the containerd its pidfile names while that pid exists, zombie or not, and then
# waits for it forever: a pidfile left by a killed engine must go before the next start.
remove_stale_containerd_pidfile() {
  local pid
  pid=$(cat "$CONTAINERD_PIDFILE" 2>/dev/null || true)
  [[ -n $pid ]] && process_alive "$pid" containerd && return 0
  rm -f "$CONTAINERD_PIDFILE"
}

start_dockerd() {
  command -v dockerd >/dev/null || install_packages docker.io
  # Installing docker.io may have started it already (where init scripts run).
  engine_answers && return 0
  [[ $EUID -eq 0 ]] || die "no engine answers at $SOCKET and only root can start dockerd:" "$(engine_error)"
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null || true)
  if [[ -z $pid ]] || ! dockerd_alive "$pid"; then
    # dockerd refuses to start while its pidfile names any existing process, zombies included.
    rm -f "$PIDFILE"
    remove_stale_containerd_pidfile
    # setsid + nohup: the daemon must outlive this script, its terminal and its process group.
    # Without job control the child leads no group, so setsid execs in place and $! is dockerd.
    # Every inherited descriptor above 2 is closed first: the daemon must not hold forever a lock
    # that a caller's flock (ours on 9, or `flock FILE bash scripts/engine.sh` on any) keeps open.
    (close_inherited_fds; exec setsid nohup dockerd >"$DOCKERD_LOG" 2>&1 </dev/null) &
    pid=$!
  fi
  local deadline=$((SECONDS + START_TIMEOUT_S))
  until engine_answers; do
    dockerd_alive "$pid" ||
      die "dockerd exited before answering on $SOCKET; last lines of $DOCKERD_LOG:" "$(tail -n 20 "$DOCKERD_LOG")"
    ((SECONDS < deadline)) ||
      die "dockerd did not answer on $SOCKET within ${START_TIMEOUT_S} s; last lines of $DOCKERD_LOG:" \
        "$(tail -n 20 "$DOCKERD_LOG")"
    sleep 0.2
  done
}

build_test_image() {
  docker image inspect "$IMAGE" >/dev/null 2>&1 && return 0
  local ctx
  ctx=$(mktemp -d /tmp/dockhand-image.XXXXXX)
  # Expanded now on purpose: $ctx is local and gone when the EXIT trap runs.
  # shellcheck disable=SC2064
  trap "rm -rf '$ctx'" EXIT
  cp /bin/busybox "$ctx/busybox"
  cat >"$ctx/Dockerfile" <<'EOF'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox","--install","-s","/bin"]
CMD ["sh"]
EOF
  local out
  out=$(docker build --quiet --label "$LABEL" --tag "$IMAGE" "$ctx" 2>&1) ||
    die "docker build of $IMAGE failed:" "$out"
}

remove_test_containers() {
  local ids
  ids=$(docker ps --all --quiet --filter "label=$LABEL")
  [[ -z $ids ]] && return 0
  # shellcheck disable=SC2086 # one id per word
  docker rm --force $ids >/dev/null
}

missing=()
command -v tmux >/dev/null || missing+=(tmux)
static_busybox || missing+=(busybox-static)
command -v docker >/dev/null || missing+=(docker.io)
# The TLS tests make their certificates with openssl and their bridge with ip.
command -v openssl >/dev/null || missing+=(openssl)
command -v ip >/dev/null || missing+=(iproute2)
# The ssh:// tests run an sshd of their own in front of the engine, with keys made by ssh-keygen.
command -v ssh >/dev/null && command -v ssh-keygen >/dev/null || missing+=(openssh-client)
[[ -x /usr/sbin/sshd ]] || missing+=(openssh-server)
# The Compose tests run `docker-compose up -d` and `down` on projects of their own (Debian's 1.29).
command -v docker-compose >/dev/null || missing+=(docker-compose)
# The registry tests push to and pull from registries of their own on 127.0.0.1 (Debian's
# registry 2.8, each started by the tests on a free port), one with basic auth from `htpasswd -B`.
[[ -x /usr/bin/docker-registry ]] || missing+=(docker-registry)
command -v htpasswd >/dev/null || missing+=(apache2-utils)
install_packages "${missing[@]}"
static_busybox || die "/bin/busybox is not a static binary even with busybox-static installed"

# DOCKER_HOST, DOCKER_CONTEXT or the CLI's current context decide, as for the app under test.
endpoint=$(docker context inspect --format '{{.Endpoints.docker.Host}}' 2>/dev/null || echo "${DOCKER_HOST:-unix://$SOCKET}")
if ! engine_answers; then
  # An explicit endpoint is not ours to replace with a local daemon.
  [[ $endpoint == "unix://$SOCKET" ]] || die "the engine at $endpoint does not answer:" "$(engine_error)"
  start_dockerd
fi

build_test_image
remove_test_containers

# An engine can answer and still fail every start (seen here: docker0 deleted under a running
# dockerd by another daemon on the host), so run one real container.
if ! out=$(docker run --rm --label "$LABEL" "$IMAGE" true 2>&1); then
  die "the engine at $endpoint answers but cannot run a container:" "$out" \
    "A restart of the engine usually repairs it (local root engine: kill \$(cat $PIDFILE); then rerun this script)."
fi

read -r version api < <(docker version --format '{{.Server.Version}} {{.Server.APIVersion}}')
echo "engine: $endpoint (Docker ${version%%+*}, API $api)"
