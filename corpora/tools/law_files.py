"""Writes each law of a JSONL file ({"title", "text"} per line, such as the statutes in
shared/prose/laws.jsonl) as its own UTF-8 text file, title on the first line: the 3,474-file
corpus of BENCHMARKS.md's index row.

    python3 corpora/tools/law_files.py laws.jsonl OUT_DIR
"""
import json
import os
import sys

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
n = size = 0
with open(src, encoding="utf-8") as f:
    for i, line in enumerate(f):
        v = json.loads(line)
        t = v.get("title", "") + "\n" + v["text"]
        with open(os.path.join(out, f"law{i:05}.txt"), "w", encoding="utf-8") as o:
            o.write(t)
        n += 1
        size += len(t.encode())
print(f"{n} files, {size} bytes")
