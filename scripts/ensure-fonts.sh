#!/bin/sh
# Make sure the BIZ UD fonts named in fonts/manifest.yaml can be found; install them on Debian.
set -eu
docgen=${1:-docgen}
if "$docgen" fonts >/dev/null 2>&1; then
    exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "BIZ UD フォントを入れます (fonts-morisawa-bizud-mincho, fonts-morisawa-bizud-gothic)…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-morisawa-bizud-mincho fonts-morisawa-bizud-gothic >/dev/null
fi
if ! "$docgen" fonts; then
    echo "" >&2
    echo "BIZ UD明朝・BIZ UDゴシックが必要です。" >&2
    echo "  Debian/Ubuntu: apt-get install fonts-morisawa-bizud-mincho fonts-morisawa-bizud-gothic" >&2
    echo "  それ以外: https://github.com/googlefonts/morisawa-biz-ud-mincho と" >&2
    echo "            https://github.com/googlefonts/morisawa-biz-ud-gothic から TTF を入手し、fonts/ に置いてください。" >&2
    exit 1
fi
