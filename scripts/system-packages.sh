#!/usr/bin/env bash
# The Debian packages the portal needs to run, checked (and installed when it can)
# before anything else, so that a missing one is said at once and not after pip.
# Installs with apt-get when run as root; otherwise prints the command to run and
# stops. PORTAL_SKIP_SYSTEM_PACKAGES=1 goes on without them.
# Usage: scripts/system-packages.sh [extra packages…]
set -euo pipefail

packages=(
  python3-venv          # the virtual environment
  libpango-1.0-0        # WeasyPrint's text layout
  libpangoft2-1.0-0
  libharfbuzz-subset0   # WeasyPrint subsets the CJK font with it (about 30 times faster)
  fonts-noto-cjk        # the 申请书 PDF's Chinese serif font
  "$@"
)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "未找到 dpkg-query（非 Debian 系统）：请自行安装与这些 Debian 软件包相当的软件：${packages[*]}" >&2
  exit 0
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

command="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "${PORTAL_SKIP_SYSTEM_PACKAGES:-}" = "1" ]; then
  echo "缺少系统软件包：${missing[*]}（PORTAL_SKIP_SYSTEM_PACKAGES=1，继续运行；PDF 可能很慢或无法生成）" >&2
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "== 安装缺少的系统软件包：${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    exit 0
  fi
  echo "系统软件包安装失败。请检查网络和软件源后运行：" >&2
  echo "    $command" >&2
  exit 1
fi
echo "缺少系统软件包：${missing[*]}" >&2
echo "请先运行（需要管理员权限）：" >&2
echo "    sudo apt-get update && sudo $command" >&2
echo "然后再次运行本命令。如确需跳过，请设置 PORTAL_SKIP_SYSTEM_PACKAGES=1。" >&2
exit 1
