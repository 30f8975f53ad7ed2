#!/usr/bin/env bash
# Installs what the board's browser tests need, from Debian's own packages: Chromium (driven by
# playwright-core, never a browser build downloaded by Playwright) and the Noto CJK fonts so Chinese
# renders in screenshots. Runs before every `npm test` (the pretest script) and does nothing when both
# are present. Installing needs root or sudo; without either it stops and prints the command to run.
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
need=()
[ -x "$CHROMIUM" ] || need+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "install ok installed" || need+=(fonts-noto-cjk)

# The version comes from dpkg, not from running /usr/bin/chromium: Debian's launcher sources
# /etc/chromium.d/dev-shm, whose `[ $shm_avail -lt … ]` breaks ("[: …: unexpected operator") where
# /dev/shm is mounted twice, as in many containers. The tests pass --disable-dev-shm-usage themselves,
# which is all that check would add.
version() {
  dpkg-query -W -f='chromium ${Version}' chromium 2>/dev/null || echo "$CHROMIUM"
}

if [ ${#need[@]} -eq 0 ]; then
  echo "ensure-chromium: $(version) and fonts-noto-cjk already installed"
  exit 0
fi

command_line="apt-get update && apt-get install -y --no-install-recommends ${need[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "ensure-chromium: 测试需要 ${need[*]}，当前用户既不是 root 也没有 sudo，无法自动安装。" >&2
    echo "请以 root 身份执行：${command_line}" >&2
    echo "然后重新运行 npm test。" >&2
    exit 1
  fi
  # A sudo that wants a password cannot ask for it without a terminal (CI, IDE test runners).
  if ! sudo -n true 2>/dev/null && [ ! -t 0 ]; then
    echo "ensure-chromium: 测试需要 ${need[*]}，sudo 需要密码而当前没有终端可输入。" >&2
    echo "请执行：sudo sh -c '${command_line}'" >&2
    echo "然后重新运行 npm test。" >&2
    exit 1
  fi
  SUDO="sudo"
fi
if ! command -v apt-get >/dev/null; then
  echo "ensure-chromium: 本机没有 apt-get（非 Debian 系统），请自行安装 Chromium 和 Noto CJK 字体，并以 CHROMIUM_PATH 指明 Chromium 的路径。" >&2
  exit 1
fi

echo "ensure-chromium: installing ${need[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
echo "ensure-chromium: $(version) installed"
