#!/usr/bin/env bash
# Debian packages nianbao's optional parts use: Chromium + a CJK font (browser tests and
# screenshots), LibreOffice (.doc/.wps reports), Redis (shared crawl frontier), poppler.
# Best effort: installs only what is missing, only as root with apt-get; otherwise says so.
set -u
packages=(chromium fonts-noto-cjk fonts-wqy-microhei libreoffice-writer-nogui redis-server poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "system-deps: missing ${missing[*]} (not root or no apt-get): tests that need them will be skipped" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
  || echo "system-deps: could not install ${missing[*]}: tests that need them will be skipped" >&2
