#!/usr/bin/env bash
# Screenshots of the report site for the README: runs the demo batch, serves it, and has
# headless Chromium photograph each page. Needs Debian's `chromium` (and fonts-noto-cjk).
#   docs/screenshots.sh [path/to/yanshou]   (default: target/debug/yanshou; build it first)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/debug/yanshou}
out=$(mktemp -d)
profile=$(mktemp -d)
"$bin" batch corpora/demo --out "$out/out" --today 2023-02-01 --quiet >/dev/null || true
"$bin" serve "$out/out" --addr 127.0.0.1:0 >"$out/url" 2>/dev/null &
pid=$!
trap 'kill $pid; rm -rf "$out" "$profile"' EXIT
for _ in $(seq 50); do [ -s "$out/url" ] && break; sleep 0.1; done
url=$(head -1 "$out/url")
shot() { # name, path, height
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
    --virtual-time-budget=2000 --window-size=1280,"$3" --screenshot="docs/$1.png" "$url$2" >/dev/null 2>&1
}
report=$(grep -o 'href="file-[0-9a-f]*\.html">学会科技奖项影响力提升研究报告' "$out/out/site/P02/index.html" | head -1 | cut -d'"' -f2)
shot site-dashboard "" 1900
shot site-project "site/P02/index.html" 1300
shot site-file-view "site/P02/$report" 1100
shot site-copying "site/P01/copying.html" 1250
shot site-search "search.html?q=%E7%A7%91%E6%8A%80%E4%BC%A6%E7%90%86" 520
ls -l docs/*.png
