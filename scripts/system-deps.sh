#!/usr/bin/env bash
# Installs the Debian packages Spoolcast needs when any is missing. Needs root (as in CI and on
# a fresh Debian machine); otherwise says what to install.
#   bash scripts/system-deps.sh                  # everything the test suite needs
#   bash scripts/system-deps.sh espeak-ng sox    # only these (what `npm run demo` needs)
set -euo pipefail
wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(chromium postgresql openssh-server espeak-ng sox)
missing=()
for pkg in "${wanted[@]}"; do
  case "$pkg" in
    chromium) [ -x /usr/bin/chromium ] || missing+=(chromium) ;;
    postgresql) ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql) ;;
    openssh-server) [ -x /usr/sbin/sshd ] || missing+=(openssh-server) ;;
    espeak-ng | sox) command -v "$pkg" >/dev/null 2>&1 || missing+=("$pkg") ;;
    *) echo "system-deps.sh: unknown package $pkg" >&2; exit 2 ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "› Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
