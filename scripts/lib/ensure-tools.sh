# Shared by the front-door scripts: installs Debian packages the tests and the bench need, when missing.
# Installing needs root and apt; where either is missing the tests that need a tool skip and say so.

_meld_apt_updated=0

ensure_pkg() { # ensure_pkg COMMAND PACKAGE
  local cmd=$1 pkg=$2
  command -v "$cmd" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "note: $cmd is missing and cannot be installed here (apt-get install -y $pkg); tests that need it will skip" >&2
    return 0
  fi
  if [ $_meld_apt_updated = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null || true
    _meld_apt_updated=1
  fi
  echo "installing $pkg (for $cmd)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$pkg" >/dev/null || echo "note: installing $pkg failed" >&2
}

ensure_test_tools() {
  ensure_pkg chromium chromium   # chaos-bench renders report.html headless and looks at it
  ensure_pkg redis-cli redis-tools # node: RedisCliTest scripts redis-cli against the RESP port
  ensure_pkg faketime faketime   # chaos-bench clock faults preload libfaketime into node processes
}

# What scripts/chaos needs beyond a JDK: libfaketime for the clock scenarios (skipped without it).
ensure_chaos_tools() {
  ensure_pkg faketime faketime
}
