#!/usr/bin/env python3
"""An archive for the cluster benchmarks (issue 22, BENCHMARKS.md "overlap at national scale"):
the first N statutes of a laws.jsonl (one JSON object per line with a "text" field) as N text
files OUT/lawNNNNN.txt, each a group of its own. Statutes amend and copy each other, so the
archive holds real repeated text, not planted copies. Written to /tmp, never committed:

    python3 corpora/tools/make_scale_archive.py /work/shared/prose/laws.jsonl 2000 /tmp/scale-2000
"""
import json
import os
import sys


def main():
    src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    chars = 0
    with open(src, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i == n:
                break
            text = json.loads(line)["text"]
            chars += len(text)
            with open(os.path.join(out, f"law{i:05}.txt"), "w", encoding="utf-8") as o:
                o.write(text)
    print(f"{min(i + 1, n)} files, {chars} characters in {out}")


if __name__ == "__main__":
    main()
