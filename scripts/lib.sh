# Shared by scripts/engine.sh and scripts/podman.sh (sourced, not run).

readonly APT_LOG=/tmp/dockhand-apt.log

# die SUMMARY [DETAIL...]: the summary line is prefixed, details (logs, CLI errors) are not.
die() {
  printf '%s: %s\n' "$(basename "$0")" "$1" >&2
  shift
  (($# == 0)) || printf '%s\n' "$@" >&2
  exit 1
}

apt_updated=0
install_packages() {
  (($# > 0)) || return 0
  [[ $EUID -eq 0 ]] || die "missing packages: $*" "run as root or install them: apt-get install -y $*"
  command -v apt-get >/dev/null || die "missing packages: $*" "no apt-get here (not Debian?): install them by hand"
  if ((apt_updated == 0)); then
    DEBIAN_FRONTEND=noninteractive apt-get update >"$APT_LOG" 2>&1 ||
      die "apt-get update failed (log: $APT_LOG):" "$(tail -n 20 "$APT_LOG")"
    apt_updated=1
  fi
  # Recommends stay: dockerd needs apparmor_parser on kernels with AppArmor enabled.
  DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >>"$APT_LOG" 2>&1 ||
    die "apt-get install $* failed (log: $APT_LOG):" "$(tail -n 20 "$APT_LOG")"
}

# A daemon started from here outlives the script: every inherited descriptor above 2 is closed
# first, so it cannot hold forever a lock that a caller's flock keeps open on one of them.
close_inherited_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    if ((fd > 2)); then eval "exec ${fd}>&-"; fi
  done
}
