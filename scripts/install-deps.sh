#!/usr/bin/env bash
# Installs the Debian packages Vigil's build and tests need, when any is missing.
# Usage: scripts/install-deps.sh [--test]   (--test adds the reference tools the tests compare against,
# and openssl, whose command makes the TLS tests' certificates)
set -euo pipefail
packages=(zlib1g-dev libssl-dev pkg-config)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(prometheus-node-exporter prometheus curl iproute2 procps python3 openssl)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
