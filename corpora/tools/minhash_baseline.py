#!/usr/bin/env python3
"""Baseline for BENCHMARKS.md: datasketch's MinHashLSH finding candidate pairs on the same
corpus as `cargo run --release --example overlap_scale -- PROSE N SIZE` (the same windows of
the same prose, 8-character shingles of the text without line breaks).

    pip install datasketch
    /usr/bin/time -v python3 corpora/tools/minhash_baseline.py PROSE N SIZE
"""
import sys, time
from datasketch import MinHash, MinHashLSH

prose = open(sys.argv[1], encoding="utf-8").read().replace("\n", "")
n = int(sys.argv[2]); size = int(sys.argv[3])
step = min(max(len(prose) // n, size // 3), size)
docs = []
for i in range(n):
    start = (i * step) % len(prose)
    d = (prose[start:] + prose)[:size] if start + size > len(prose) else prose[start:start + size]
    docs.append(d)
t = time.time()
lsh = MinHashLSH(threshold=0.05, num_perm=128)
hashes = []
for i, d in enumerate(docs):
    m = MinHash(num_perm=128)
    m.update_batch([d[j:j + 8].encode("utf-8") for j in range(len(d) - 7)])
    lsh.insert(str(i), m)
    hashes.append(m)
t_index = time.time() - t
t = time.time()
pairs = set()
for i, m in enumerate(hashes):
    for j in lsh.query(m):
        j = int(j)
        if j != i:
            pairs.add((min(i, j), max(i, j)))
t_query = time.time() - t
print(f"{n} documents x {size}: MinHash+index {t_index:.1f} s, candidate query {t_query:.1f} s, {len(pairs)} candidate pairs (no passages, no offsets)")
