#!/usr/bin/env bash
# Installs what the board's browser tests need, from Debian's own packages: Chromium (driven by
# playwright-core, never a browser build downloaded by Playwright) and the Noto CJK fonts so Chinese
# renders in screenshots. Does nothing when both are present. Needs root (or sudo) to install.
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
need=()
[ -x "$CHROMIUM" ] || need+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "install ok installed" || need+=(fonts-noto-cjk)

if [ ${#need[@]} -eq 0 ]; then
  echo "ensure-chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM") and fonts-noto-cjk already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "ensure-chromium: run as root or install sudo to install ${need[*]}" >&2; exit 1; }
  SUDO="sudo"
fi

echo "ensure-chromium: installing ${need[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
"$CHROMIUM" --version
