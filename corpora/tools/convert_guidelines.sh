#!/usr/bin/env bash
# Converts three of the calls in corpora/guidelines/ to .docx and .pdf with LibreOffice, as a
# reviewer would receive them; tests/guide_golden.rs checks that each reads to the same spec
# as its text. Needs libreoffice-writer and fonts-noto-cjk; the outputs are committed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=guidelines-converted
mkdir -p "$out"
for f in 2022-cast-reform-pilot-guide 2022-hunan-society-capacity-plan 2020-sci-society-governance-topics; do
  soffice --headless --convert-to 'docx:MS Word 2007 XML' --outdir "$out" "guidelines/$f.txt" >/dev/null
  soffice --headless --convert-to pdf --outdir "$out" "guidelines/$f.txt" >/dev/null
done
