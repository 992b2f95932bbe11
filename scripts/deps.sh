#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine: redis-server,
# Chromium and a color emoji font (for the Playground UI check) and the
# pinned npm packages.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v redis-server >/dev/null || need_apt+=(redis-server)
command -v chromium >/dev/null || need_apt+=(chromium)
# Nice to have: the cards use emoji (✅ ❌ ⚠️ 📋); without a color emoji font
# Chromium draws empty boxes in the Playground screenshots, where Teams
# shows the emoji.
want_apt=()
[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || want_apt+=(fonts-noto-color-emoji)
[ -n "$(ls /usr/share/fonts/opentype/noto/NotoSansCJK* 2>/dev/null)" ] || want_apt+=(fonts-noto-cjk) # the ja/zh/ko cards of the localized screenshots
if [ "$(id -u)" != 0 ]; then
  if [ ${#need_apt[@]} -gt 0 ]; then
    echo "deps: missing ${need_apt[*]}; install them (apt-get install ${need_apt[*]}) or run as root" >&2
    exit 1
  fi
  if [ ${#want_apt[@]} -gt 0 ]; then
    echo "deps: note: ${want_apt[*]} is not installed; the e2e screenshots will show boxes for emoji" >&2
  fi
elif [ $(( ${#need_apt[@]} + ${#want_apt[@]} )) -gt 0 ]; then
  echo "deps: apt-get install ${need_apt[*]} ${want_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" "${want_apt[@]}" >/dev/null
fi

for dir in e2e cards/rendercheck manifest/validatorcheck; do
  if [ -f "$dir/package.json" ] && [ ! -d "$dir/node_modules" ]; then
    echo "deps: npm ci in $dir"
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null
  fi
done
