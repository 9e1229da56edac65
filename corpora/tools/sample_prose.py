#!/usr/bin/env python3
"""Copies a deterministic sample of Chinese statutes into corpora/prose/ (statutes are not
protected by copyright in China, Copyright Law art. 5), so benches and generators never read
../shared at build, test or run time.

Usage: python3 corpora/tools/sample_prose.py PATH/TO/laws.jsonl
"""
import json, os, sys

src = sys.argv[1]
out = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "prose", "laws-sample.txt")
budget = 1_500_000  # bytes
parts = []
with open(src, encoding="utf-8") as f:
    for i, line in enumerate(f):
        if i % 23:  # every 23rd law: spread over categories, deterministic
            continue
        d = json.loads(line)
        text = d["text"].replace("<!-- INFO END -->", "").strip()
        parts.append(text)
        if sum(len(p.encode()) for p in parts) > budget:
            break
open(out, "w", encoding="utf-8").write("\n\n".join(parts) + "\n")
print(out, sum(len(p.encode()) for p in parts))
