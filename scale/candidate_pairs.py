"""Candidate pairs for the archive-wide copying check (issue 22), step 2 of 3.

    spark-submit scale/candidate_pairs.py FPS_DIR SEEDS_DIR [--max-docs 20] [--max-share 0]
                 [--min-seeds 3] [--parts 8]

FPS_DIR holds what `yanshou export-fingerprints --parquet FPS_DIR` wrote (fps-*.parquet,
docs-*.parquet); SEEDS_DIR gets seeds/ (range-partitioned by pair: every part file holds
whole pairs of neighbouring documents, so `yanshou align --shard I/N` can align some parts on
any node and `yanshou align --merge` combine the results), docs/ and params/. Both may be local
paths or HDFS/S3 URIs. Runs unchanged with spark-submit on a cluster and as
`python3 scale/candidate_pairs.py ...` (local[*]) with pyspark installed.

The rule is the one of `all_pairs` (src/overlap/mod.rs): a hash held by 2..=cap distinct
documents seeds every pair of its holders that are of different groups, doc a < doc b; the
cap is max(--max-docs, --max-share x documents), 20 by default as on one machine (the rule
at scale is argued in src/scale/mod.rs); the hashes above the cap and the document pairs they
would seed are printed and written to params/, to choose the cap on evidence. Pairs with
fewer seeds than any passage needs (--min-seeds, 3 for passages of 50 characters) are
dropped: that loses nothing.
"""
import argparse
import math

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

SIDE = ["doc", "npos", "start", "end", "cited", "padding", "grp", "hash"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fps_dir")
    ap.add_argument("seeds_dir")
    ap.add_argument("--max-docs", type=int, default=20)
    ap.add_argument("--max-share", type=float, default=0.0)
    ap.add_argument("--min-seeds", type=int, default=3)
    ap.add_argument("--parts", type=int, default=8)
    args = ap.parse_args()
    # local[*] unless spark-submit (or the environment) named a master.
    spark = SparkSession.builder.appName("yanshou-candidate-pairs").getOrCreate()
    fps = spark.read.option("pathGlobFilter", "fps-*.parquet").parquet(args.fps_dir)
    docs = spark.read.option("pathGlobFilter", "docs-*.parquet").parquet(args.fps_dir)
    n_docs = docs.count()
    cap = max(args.max_docs, math.ceil(args.max_share * n_docs))

    df = fps.groupBy("hash").agg(F.countDistinct("doc").alias("df")).cache()
    kept = df.where((F.col("df") >= 2) & (F.col("df") <= cap)).select("hash")
    # What the cap leaves out, for choosing it: hashes above it and the document pairs they
    # would seed (d(d-1)/2 each, before the group rule).
    over = df.where(F.col("df") > cap).agg(
        F.count("*").alias("n"), F.sum(F.col("df") * (F.col("df") - 1) / 2).alias("pairs")
    ).first()
    over_hashes, over_pairs = over["n"], int(over["pairs"] or 0)
    print(f"cap {cap} documents per hash: {over_hashes} hashes above it, "
          f"{over_pairs} document pairs they would seed, left out")
    f = fps.join(kept, "hash")
    a = f.select([F.col(c).alias("a_" + c) for c in SIDE])
    b = f.select([F.col(c).alias("b_" + c) for c in SIDE])
    seeds = a.join(
        b,
        (F.col("a_hash") == F.col("b_hash"))
        & (F.col("a_doc") < F.col("b_doc"))
        & (F.col("a_grp") != F.col("b_grp")),
    ).select(
        F.col("a_doc").alias("a"),
        F.col("b_doc").alias("b"),
        *[F.col(s + "_" + c) for s in "ab" for c in SIDE[1:6]],
    )
    counts = seeds.groupBy("a", "b").count().where(F.col("count") >= args.min_seeds)
    seeds = seeds.join(counts.select("a", "b"), ["a", "b"])
    # By range of (a, b), lower document first: a pair's seeds stay in one part, and a part
    # holds the pairs of a run of neighbouring documents, so aligning it re-reads the texts of
    # those documents and their partners, not of the whole archive as hashing would spread
    # them. Ranges are sampled to hold about as many seeds each.
    (
        seeds.repartitionByRange(args.parts, "a", "b")
        .sortWithinPartitions("a", "b", "a_npos", "b_npos")
        .write.mode("overwrite")
        .parquet(args.seeds_dir.rstrip("/") + "/seeds")
    )
    docs.coalesce(1).write.mode("overwrite").parquet(args.seeds_dir.rstrip("/") + "/docs")
    params = spark.createDataFrame(
        [(args.min_seeds, cap, n_docs, over_hashes, over_pairs)],
        "min_seeds int, max_docs int, docs long, over_cap_hashes long, over_cap_pairs long",
    )
    params.coalesce(1).write.mode("overwrite").parquet(args.seeds_dir.rstrip("/") + "/params")
    spark.stop()


if __name__ == "__main__":
    main()
