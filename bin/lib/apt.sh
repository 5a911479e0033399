# Sourced by bin/test and bin/bench: installs Debian packages the tests need, once.

eyes_sudo() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"; else
    echo "eyes: need root (or passwordless sudo) to run: $*" >&2; return 1; fi
}

eyes_have_pkg() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

eyes_apt_updated=0
eyes_apt_get() {
  # apt-get install with one `apt-get update` retry for stale or missing package lists
  if DEBIAN_FRONTEND=noninteractive eyes_sudo apt-get install -y -q --no-install-recommends "$@" >&2; then
    return 0
  fi
  if [ "$eyes_apt_updated" = 0 ]; then
    eyes_apt_updated=1
    DEBIAN_FRONTEND=noninteractive eyes_sudo apt-get update -q >&2 || true
    DEBIAN_FRONTEND=noninteractive eyes_sudo apt-get install -y -q --no-install-recommends "$@" >&2 && return 0
  fi
  return 1
}

# eyes_apt_install PKG...: installs the packages that are missing.
eyes_apt_install() {
  local missing=() p
  for p in "$@"; do eyes_have_pkg "$p" || missing+=("$p"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "eyes: these Debian packages are needed and apt-get is not available: ${missing[*]}" >&2
    return 1
  fi
  echo "eyes: installing ${missing[*]}" >&2
  eyes_apt_get "${missing[@]}"
}

# systemd-journal-remote must match the installed systemd; pin it to that version when
# the archive still has it, otherwise let apt upgrade systemd together with it.
eyes_install_journal_remote() {
  eyes_have_pkg systemd-journal-remote && return 0
  local v
  v=$(dpkg-query -W -f='${Version}' systemd 2>/dev/null || true)
  if [ -n "$v" ] && eyes_apt_get "systemd-journal-remote=$v" 2>/dev/null; then
    return 0
  fi
  eyes_apt_get systemd-journal-remote
}
