#!/usr/bin/env bash
# Prepares this machine for Meld's containers, idempotently:
#   1. installs docker.io when no docker CLI is present (apt, as root);
#   2. starts dockerd when no engine answers, and waits for it;
#   3. builds the two local base images when missing (no registry is needed):
#        meld-jre:bookworm         Debian bookworm minbase + openjdk-17-jre-headless (production base)
#        meld-debug-base:bookworm  the same + iptables, iproute2, procps, faketime      (debug base)
#   4. unless --no-images, builds meld-node:dev and meld-node-debug:dev from node/target/meld-node.jar
#      (building the jar with Maven when it is missing).
#
#   debug-image/setup.sh [--no-images]
#
# When MELD_DOCKER_SETUP names a directory, progress goes to $MELD_DOCKER_SETUP/setup.log and the
# outcome to $MELD_DOCKER_SETUP/status: "running", then "ready" or "failed: <why>". Tests read that
# file to wait for a setup started in the background (dev.meld.testcontainers.MeldDocker).
# Exit code 0 when everything is ready, 1 otherwise (with the reason on stderr).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

images=1
for arg in "$@"; do
  case "$arg" in
    --no-images) images=0 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "setup: unknown option $arg (expected: --no-images)" >&2; exit 2 ;;
  esac
done

status_dir=${MELD_DOCKER_SETUP:-}
if [ -n "$status_dir" ]; then
  mkdir -p "$status_dir"
  echo running >"$status_dir/status"
  exec >>"$status_dir/setup.log" 2>&1
fi
fail() {
  echo "setup: $*" >&2
  [ -n "$status_dir" ] && echo "failed: $*" >"$status_dir/status"
  exit 1
}
step() { echo "setup: $(date +%T) $*" >&2; }

as_root() { [ "$(id -u)" = 0 ] || fail "$1 needs root (run as root, or do it by hand: $2)"; }

apt_updated=0
apt_install() {
  as_root "installing $*" "apt-get install -y $*"
  command -v apt-get >/dev/null || fail "apt-get is missing; install $* by hand"
  if [ $apt_updated = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq || true; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@" >/dev/null || fail "apt-get install $* failed"
}

# 1. the CLI and the engine
if ! command -v dockerd >/dev/null 2>&1; then
  step "installing docker.io"
  apt_install docker.io
fi
engine_up() { timeout 10 docker info >/dev/null 2>&1; }
if ! engine_up; then
  as_root "starting dockerd" "dockerd &"
  # A pid file left by a dead daemon makes dockerd refuse to start.
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    rm -f /var/run/docker.pid
  fi
  for attempt in 1 2; do
    if ! pgrep -x dockerd >/dev/null; then
      step "starting dockerd (attempt $attempt)"
      setsid nohup dockerd --pidfile /var/run/docker.pid >>/var/log/dockerd.log 2>&1 </dev/null &
    fi
    for _ in $(seq 1 60); do engine_up && break 2; sleep 0.5; done
    # Right after a killed daemon the first start can time out on containerd; a second one works.
    pkill -x dockerd || true; sleep 1; rm -f /var/run/docker.pid
  done
  engine_up || fail "dockerd did not answer within 60 s (see /var/log/dockerd.log)"
fi
step "engine answers: $(docker version --format '{{.Server.Version}}')"

# 2. the bases, from Debian packages: no image registry is needed.
have_image() { docker image inspect "$1" >/dev/null 2>&1; }
import_dir() { # import_dir DIR NAME
  rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*
  tar -C "$1" -c . | docker import - "$2" >/dev/null
}
if ! have_image meld-jre:bookworm || ! have_image meld-debug-base:bookworm; then
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
  as_root "building base images" "debootstrap"
  work=$(mktemp -d /var/tmp/meld-base.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  mirror=${MELD_DEBIAN_MIRROR:-http://deb.debian.org/debian}
  step "debootstrap bookworm + openjdk-17-jre-headless (about 40 s)"
  nice debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
    bookworm "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap failed"; }
  if ! have_image meld-jre:bookworm; then
    step "importing meld-jre:bookworm"
    import_dir "$work/root" meld-jre:bookworm
  fi
  if ! have_image meld-debug-base:bookworm; then
    step "adding the fault tools for meld-debug-base:bookworm"
    # The debug base is the production base plus the tools; apt runs inside the new root.
    mount -t proc proc "$work/root/proc" 2>/dev/null || true
    chroot "$work/root" /bin/sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends iptables iproute2 procps faketime >/dev/null' \
      || { umount "$work/root/proc" 2>/dev/null || true; fail "installing the fault tools in the debug base failed"; }
    umount "$work/root/proc" 2>/dev/null || true
    import_dir "$work/root" meld-debug-base:bookworm
  fi
  rm -rf "$work"; trap - EXIT
fi
step "bases ready: meld-jre:bookworm, meld-debug-base:bookworm"

# 3. the node images
if [ $images = 1 ]; then
  jar="$root/node/target/meld-node.jar"
  if [ ! -f "$jar" ]; then
    step "building the node jar"
    (cd "$root" && mvn -B -q -pl node -am package -DskipTests) || fail "building node/target/meld-node.jar failed"
  fi
  "$here/build-images.sh" "$jar" dev || fail "building the node images failed"
fi

[ -n "$status_dir" ] && echo ready >"$status_dir/status"
step "ready"
