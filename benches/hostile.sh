#!/usr/bin/env bash
# The hostile set of BENCHMARKS.md: time and peak memory of each command on each file.
#   python3 corpora/tools/make_hostile.py /tmp/hostile && cargo build --release && benches/hostile.sh /tmp/hostile
set -uo pipefail
H=${1:-/tmp/hostile}
Y=${YANSHOU:-target/release/yanshou}
row() { # label, command...
  local label=$1; shift
  timeout 600 /usr/bin/time -o /tmp/hostile.time -f "%e s, %M KB" "$@" >/dev/null 2>/tmp/hostile.err
  local t; t=$(tail -1 /tmp/hostile.time)
  local why; why=$(grep -v "^\s*$" /tmp/hostile.err | head -1 | python3 -c 'import sys; s=sys.stdin.read().strip(); print(s[:70] + ("…" if len(s) > 70 else ""))')
  local cmd="$*"
  printf '| %s | `%s` | %s | %s |\n' "$label" "yanshou ${cmd#"$Y "}" "$t" "$why"
}
echo "| input | command | time, peak RSS | first line on stderr |"
echo "|---|---|---|---|"
row "PDF form drawing itself 40× (7 KB)" "$Y" count "$H/self-drawing-form.pdf"
row "PDF /Contents = one stream × 1 M" "$Y" count "$H/million-contents.pdf"
row "PDF with one 60 MB Tj string" "$Y" count "$H/huge-tj.pdf"
row "docx expanding to 30 M characters" "$Y" count "$H/expands-30m.docx"
row "200 MB prose .txt" "$Y" count "$H/prose-200mb.txt"
row "200 MB prose .txt" "$Y" extract "$H/prose-200mb.txt"
row "200 MB of one-character lines" "$Y" count "$H/one-char-lines-200mb.txt"
row "200 MB of one-character lines" "$Y" extract "$H/one-char-lines-200mb.txt"
row "zip bomb (300 MiB document.xml in 300 KiB)" "$Y" count corpora/bad/zip-bomb.docx
row "billion laughs" "$Y" count corpora/bad/billion-laughs.docx
row "folder with two loops and a link to /etc/shadow" "$Y" count "$H/loops"
row "same folder" "$Y" index --index /tmp/hostile-index "$H/loops"
