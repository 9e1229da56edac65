#!/usr/bin/env bash
# The table of BENCHMARKS.md "Against the peers": each of yanshou's jobs side by side with the
# tool a user would pick instead, whole processes, in one run, alternating the two commands.
#
#   cargo build --release
#   benches/peers.sh PROSE_DIR [RUNS]      # PROSE_DIR holds laws.jsonl and tech_docs/
#
# Inputs are built once into $WORK (default /tmp/yanshou-peers): a Chinese manual
# (tech_docs/debian-reference.zh-cn.txt) made into PDF and docx by LibreOffice, the 230 MB
# statutes text, the 3,474 statutes as files, a 1,000-project batch. Needs soffice, pdftotext,
# python-docx and tantivy (pip) for the peers; a missing one skips its row with the reason.
# Prints one Markdown row per job: medians of wall time and of CPU (user + sys), the peak RSS,
# and the ratio peer / yanshou (above 1: yanshou is faster).
set -uo pipefail
PROSE=${1:?usage: benches/peers.sh PROSE_DIR [RUNS]}
RUNS=${2:-5}
WORK=${WORK:-/tmp/yanshou-peers}
Y=$(realpath "${YANSHOU:-target/release/yanshou}")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$WORK"

# One timed run: prints "wall cpu rss_kb".
timed() {
  /usr/bin/time -o "$WORK/t" -f "%e %U %S %M" "$@" >/dev/null 2>"$WORK/err" \
    || { echo "failed: $* ($(head -c 300 "$WORK/err"))" >&2; return 1; }
  awk '{ printf "%s %.3f %s\n", $1, $2 + $3, $4 }' "$WORK/t"
}
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# pair LABEL -- YANSHOU_CMD... -- PEER_CMD...: alternating runs, medians, one row.
pair() {
  local label=$1; shift; shift
  local ycmd=() pcmd=()
  while [ "$1" != "--" ]; do ycmd+=("$1"); shift; done; shift
  pcmd=("$@")
  : >"$WORK/y" ; : >"$WORK/p"
  timed "${ycmd[@]}" >/dev/null && timed "${pcmd[@]}" >/dev/null || { echo "| $label | failed | | |"; return; }
  for _ in $(seq "$RUNS"); do
    timed "${ycmd[@]}" >>"$WORK/y"
    timed "${pcmd[@]}" >>"$WORK/p"
  done
  local yw yc yr pw pc pr
  yw=$(cut -d' ' -f1 "$WORK/y" | median); yc=$(cut -d' ' -f2 "$WORK/y" | median); yr=$(cut -d' ' -f3 "$WORK/y" | sort -n | tail -1)
  pw=$(cut -d' ' -f1 "$WORK/p" | median); pc=$(cut -d' ' -f2 "$WORK/p" | median); pr=$(cut -d' ' -f3 "$WORK/p" | sort -n | tail -1)
  awk -v l="$label" -v yw="$yw" -v yc="$yc" -v yr="$yr" -v pw="$pw" -v pc="$pc" -v pr="$pr" 'BEGIN {
    printf "| %s | %.3f s / %.3f s / %d MB | %.3f s / %.3f s / %d MB | %.2f× | %.2f× |\n",
      l, yw, yc, yr / 1024, pw, pc, pr / 1024, (yw > 0 ? pw / yw : 0), (yc > 0 ? pc / yc : 0) }'
}

# Inputs, built once.
if command -v soffice >/dev/null; then
  if [ ! -f "$WORK/manual.pdf" ] || [ ! -f "$WORK/manual.docx" ]; then
    cp "$PROSE/tech_docs/debian-reference.zh-cn.txt" "$WORK/manual.txt"
    (cd "$WORK" && soffice --headless --infilter="Text (encoded):UTF8,,," --convert-to pdf manual.txt >/dev/null 2>&1 \
      && soffice --headless --infilter="Text (encoded):UTF8,,," --convert-to docx:"MS Word 2007 XML" manual.txt >/dev/null 2>&1)
  fi
fi
if [ ! -f "$WORK/laws230.txt" ]; then
  python3 - "$PROSE/laws.jsonl" "$WORK/laws230.txt" <<'PY'
import json, sys
out = open(sys.argv[2], "w"); n = 0
while n < 230_000_000:
    for l in open(sys.argv[1]):
        t = json.loads(l)["text"] + "\n"; out.write(t); n += len(t.encode())
        if n >= 230_000_000: break
PY
fi
[ -d "$WORK/lawfiles" ] || python3 "$ROOT/corpora/tools/law_files.py" "$PROSE/laws.jsonl" "$WORK/lawfiles" >/dev/null

echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $RUNS alternating runs each; $(nproc) cores."
echo
echo "| job | yanshou: wall / CPU / peak RSS | peer: wall / CPU / peak RSS | wall ratio | CPU ratio |"
echo "|---|---|---|---|---|"
if [ -f "$WORK/manual.pdf" ] && command -v pdftotext >/dev/null; then
  pages=$(pdfinfo "$WORK/manual.pdf" 2>/dev/null | awk '/^Pages/ { print $2 }')
  pair "PDF text, ${pages}-page Chinese manual (peer: pdftotext)" -- "$Y" extract "$WORK/manual.pdf" -- pdftotext "$WORK/manual.pdf" "$WORK/manual.out.txt"
else echo "| PDF text | skipped: soffice or pdftotext missing | | | |"; fi
if [ -f "$WORK/manual.docx" ] && python3 -c "import docx" 2>/dev/null; then
  pair "docx count, the manual as docx (peer: python-docx, characters of every paragraph)" -- "$Y" count "$WORK/manual.docx" -- \
    python3 -c "import docx, sys; print(sum(len(p.text) for p in docx.Document(sys.argv[1]).paragraphs))" "$WORK/manual.docx"
else echo "| docx count | skipped: soffice or python-docx missing | | | |"; fi
pair "count, 230 MB of statutes (peer: wc -m)" -- "$Y" count "$WORK/laws230.txt" -- env LC_ALL=C.UTF-8 wc -m "$WORK/laws230.txt"
if python3 -c "import tantivy" 2>/dev/null; then
  pair "search index, 3,474 statutes, 58 MB (peer: tantivy-py plain bigrams)" -- \
    sh -c 'rm -rf "$1" && exec "$2" index --index "$1" "$3"' sh "$WORK/idx-y" "$Y" "$WORK/lawfiles" -- \
    python3 "$ROOT/corpora/tools/peer_bigram_index.py" "$WORK/lawfiles" "$WORK/idx-p"
else echo "| search index | skipped: pip tantivy missing | | | |"; fi
