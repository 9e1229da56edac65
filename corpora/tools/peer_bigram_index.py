"""The peer of BENCHMARKS.md's index row: tantivy's Python binding (pip install tantivy,
0.27) building a plain character-bigram index of every file in a folder, as a user would
without yanshou: NgramTokenizer(2, 2), positions recorded, the path stored, the text not
stored (add `store` to store it too), a 100 MB writer heap on 2 threads, as yanshou's.

    python3 corpora/tools/peer_bigram_index.py FILES_DIR INDEX_DIR [store]
"""
import os
import shutil
import sys

import tantivy

src, out = sys.argv[1], sys.argv[2]
store = len(sys.argv) > 3 and sys.argv[3] == "store"
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
sb = tantivy.SchemaBuilder()
sb.add_text_field("path", stored=True, tokenizer_name="raw")
sb.add_text_field("body", stored=store, tokenizer_name="bigram")
idx = tantivy.Index(sb.build(), path=out)
idx.register_tokenizer(
    "bigram", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.ngram(2, 2, False)).build()
)
w = idx.writer(100_000_000, 2)
for name in sorted(os.listdir(src)):
    with open(os.path.join(src, name), encoding="utf-8") as f:
        w.add_document(tantivy.Document(path=name, body=f.read()))
w.commit()
w.wait_merging_threads()
