#!/usr/bin/env bash
# Installs the Debian packages the host tests drive for real: cloud-init's schema check,
# sshd -t, nft, wireguard-go, nginx, openssl and curl, iproute2 for network namespaces.
# Needs root (the tests create network namespaces, so they run as root too).
set -euo pipefail
PACKAGES=(cloud-init openssh-server openssh-client nftables wireguard-tools wireguard-go iproute2 procps nginx openssl curl netcat-openbsd)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "host tools: all ${#PACKAGES[@]} packages present"
  exit 0
fi
echo "host tools: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
