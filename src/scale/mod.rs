//! The archive-wide copying check on a cluster (issue 22): `yanshou overlap` split in three
//! steps so that the one step that sees every document at once, finding which pairs share
//! fingerprints, runs on Apache Spark, and the result is byte for byte what one machine
//! prints.
//!
//! 1. **Export** ([`export`], `yanshou export-fingerprints --parquet DIR PATH...`): per shard,
//!    `fps-NNNN.parquet` with one row per winnowing fingerprint (doc, hash = the u64's bits as
//!    i64, npos, start, end, cited, padding, grp) and `docs-NNNN.parquet` with one row per
//!    document (doc, path, project, grp, norm_len, body_len, padding spans). Document ids are
//!    the exporter's (`--first-doc` + the file's rank), never Spark's generated ids, so every
//!    run numbers documents alike; they follow the order `overlap` lists files in. `grp` is
//!    the project (`--across`), as a 63-bit hash of its name so shards exported on different
//!    nodes agree without talking; a file without a project is a group of its own (−1 − doc).
//!    The calls' k-grams are removed here, as the batch removes them.
//! 2. **Candidate pairs** (`scale/candidate_pairs.py`, PySpark): document frequency per hash,
//!    the boilerplate rule below, a self-join on hash for documents of different groups
//!    (doc a < doc b, as [`crate::overlap::all_pairs`] orders them), pairs with fewer seeds
//!    than any passage needs dropped ([`min_seeds`], lossless), seeds written partitioned by
//!    pair so that each part file holds whole pairs; `docs/` and `params/` copied beside them.
//! 3. **Alignment** ([`align`], `yanshou align --seeds DIR`): per part file, each pair's seeds
//!    go through the same [`crate::overlap::align_pair`] as on one machine, the texts are
//!    re-read from the paths in `docs/` for [`crate::overlap::refine`], and
//!    [`crate::overlap::report::assemble`] computes the figures: the same JSON as
//!    `yanshou overlap --json`. Split across nodes, the step is two:
//!    - [`align_parts`] (`yanshou align --seeds DIR --shard I/N`, or `--part FILE...`), per
//!      node: aligns some seed part files and writes a [`PartResult`]: the refined pairs by
//!      document id with their normalized spans and cited flags. It reads `docs/`, `params/`,
//!      its parts, and only the texts of the documents its pairs have passages in. The job
//!      range-partitions seeds by (a, b), so a part holds the pairs of a run of neighbouring
//!      lower documents: on the 2,000 statutes the parts re-read far fewer texts than parts
//!      hashed by pair would (BENCHMARKS.md, "overlap at national scale").
//!    - [`merge`] (`yanshou align --seeds DIR --merge RESULT...`), once: checks that the
//!      results cover every seed part of this run exactly once (parts carry the Spark job's
//!      name) with one `--min-chars`, and computes the per-document figures, which need all
//!      the pairs of a document and so cannot be made per part. No seeds, no texts.
//!
//! # The schema against the list
//! `fps-NNNN.parquet` has the columns (doc i32, hash i64, npos, start, end i32, cited
//! bool, group) plus `padding` bool (a fingerprint in the cover, 目录, 参考文献…: such seeds
//! make padding pairs, shown apart, as on one machine). The docs table is written per shard
//! as `docs-NNNN.parquet` (shards export on different nodes) with the doc, path,
//! norm_len, grp plus what the report prints or the figures need: `project`, `body_len`
//! and the padding spans. The group is **i64, not the i32**, on purpose: a group must
//! be the same for a project's files in every shard without the exporting nodes talking, so
//! it is a hash of the project's name; at 10⁶ projects a 31-bit hash would make about 230
//! pairs of different projects collide (never compared: copies lost silently); with 63 bits
//! the odds of one collision are about 5 × 10⁻⁸. The four bytes are not paid: in Parquet the
//! column is constant within a document and encodes to a few bytes per row group, and Spark
//! holds every fixed-width field of a row in an 8-byte word (UnsafeRow), int or long.
//!
//! # The boilerplate rule at scale
//! One machine drops a hash held by more than [`MAX_DOCS_PER_HASH`] = 20 documents. At a
//! million reports that also drops a passage copied word for word into more than 20 of them.
//! The job takes the cap as `max(--max-docs, --max-share × documents)`, and the decision is:
//! - **Keep the absolute cap, 20** (`--max-docs 20 --max-share 0`, the default): exactly the
//!   one-machine rule, so the cluster's result equals `overlap`'s (the test checks it byte
//!   for byte), and the self-join stays bounded whatever the archive's size: a hash in d ≤ 20
//!   documents makes at most 190 seeds, 9.5 per fingerprint row. A relative cap lifts that
//!   bound with the archive: at 10⁶ reports `--max-share 0.002` allows 2,000 documents per
//!   hash, up to 10⁶ seeds per fingerprint row. Measured on the 3,474 statutes, the 5,773
//!   hashes held by more than 20 (1 % of the shared hashes) would seed 39.5 M document
//!   pairs, 16 times the 2.5 M the kept hashes seed, and what they add is standard clauses
//!   (BENCHMARKS.md, "What the cap costs").
//! - **Remove what everyone quotes exactly, not by frequency**: the calls and the policy
//!   papers they cite, given to `export-fingerprints --call` (a stop list of every k-gram in
//!   them, not only the winnowed ones), so a cited paragraph seeds nothing at any cap.
//! - **Raise the cap only on evidence**: the job prints (and writes to `params/`) how many
//!   hashes lie above the cap and how many pairs they would seed; `--max-share` or a higher
//!   `--max-docs` is for an archive where that count is affordable and the hashes turn out
//!   to be copies rather than stock phrasing.
//!
//! What stays lost: a passage copied verbatim into more than 20 reports, every k-gram of it
//! in all of them. An edited copy still seeds through the k-grams the edits made rarer.
//!
//! Not chosen: a cap per call or per year. The archive-wide check exists to find a report
//! copied from another call's or another year's, a hash's documents would have to be counted
//! per call in the job (a column the fingerprints do not need otherwise), and the text a
//! call makes everyone write is better removed exactly, by `--call`, than guessed from its
//! frequency.

#[cfg(feature = "parquet")]
mod cluster;
mod part;
#[cfg(feature = "parquet")]
pub use cluster::{
    Aligned, ExportSummary, align, align_parts, export, merge, read_part_result, seed_parts,
};
pub use part::{PART_SCHEMA, PartPair, PartPassage, PartResult};

use crate::overlap::{Fingerprints, K, MAX_DOCS_PER_HASH, min_core};

/// The cap the one-machine rule uses, for reports that compare it with the job's.
pub const ONE_MACHINE_MAX_DOCS: u32 = MAX_DOCS_PER_HASH as u32;

/// The fewest seeds a pair can have and still yield a passage of `min_chars`: a passage's
/// seeded core spans at least [`min_core`] characters and its seeds' k-grams (K characters
/// each) cover at least half of it, and a cluster has at least two seeds. Dropping pairs
/// with fewer seeds before alignment changes nothing (3 for the default 50).
pub fn min_seeds(min_chars: u32) -> u32 {
    min_core(min_chars).div_ceil(2 * K as u32).max(2)
}

/// The group number of a project: the first 63 bits of its BLAKE3 hash (shards agree without
/// a shared table; two of 10⁶ projects collide with odds about 10⁻⁷). A file without a
/// project is a group of its own.
pub fn group_of(project: Option<&str>, doc: u32) -> i64 {
    match project {
        Some(p) => {
            let h = blake3::hash(p.as_bytes());
            (u64::from_le_bytes(h.as_bytes()[..8].try_into().unwrap_or([0; 8])) >> 1) as i64
        }
        None => -1 - doc as i64,
    }
}

/// The parts shard `i` of `n` aligns: the i-th of n runs of neighbouring part files, as
/// even in number as can be. The Spark job range-partitions seeds by pair (lower document
/// first), so a run of parts holds the pairs of a run of documents and a shard re-reads
/// fewer texts than every n-th part would; which shard gets which part changes nothing in
/// the result.
pub fn shard_parts(parts: &[std::path::PathBuf], i: u32, n: u32) -> Vec<std::path::PathBuf> {
    if i >= n {
        return Vec::new();
    }
    let at = |k: u32| parts.len() * k as usize / n as usize;
    parts[at(i)..at(i + 1)].to_vec()
}

/// The padding spans as text, "a-b,c-d" (normalized positions): a string column keeps the
/// schema flat, which every Parquet reader and Spark read alike.
pub fn spans_text(f: &Fingerprints) -> String {
    f.padding
        .iter()
        .map(|(a, b)| format!("{a}-{b}"))
        .collect::<Vec<_>>()
        .join(",")
}

pub fn parse_spans(s: &str) -> Option<Vec<(u32, u32)>> {
    if s.is_empty() {
        return Some(Vec::new());
    }
    s.split(',')
        .map(|x| {
            let (a, b) = x.split_once('-')?;
            Some((a.parse().ok()?, b.parse().ok()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_seeds_follows_the_passage_rules() {
        // min_chars 50: core 50 − 14 = 36; k-grams of 8 must cover 18 → 3 seeds.
        assert_eq!(min_seeds(50), 3);
        // min_chars 30: core 16 (floor 9 not reached); cover 8 → 1 seed, but a cluster needs 2.
        assert_eq!(min_seeds(30), 2);
        // min_chars 200: core 186; cover 93 → 12 seeds.
        assert_eq!(min_seeds(200), 12);
    }

    #[test]
    fn shards_take_runs_of_parts_and_together_all() {
        let parts: Vec<std::path::PathBuf> = (0..5).map(|i| format!("part-{i}").into()).collect();
        let names = |i, n| -> Vec<String> {
            shard_parts(&parts, i, n)
                .iter()
                .map(|p| p.display().to_string())
                .collect()
        };
        assert_eq!(names(0, 2), ["part-0", "part-1"]);
        assert_eq!(names(1, 2), ["part-2", "part-3", "part-4"]);
        assert_eq!(names(0, 1).len(), 5);
        // Three shards of five: 0..1, 1..3, 3..5.
        assert_eq!(names(1, 3), ["part-1", "part-2"]);
        // More shards than parts: some have nothing to do, every part is taken once.
        let all: Vec<String> = (0..7).flat_map(|i| names(i, 7)).collect();
        assert_eq!(all, ["part-0", "part-1", "part-2", "part-3", "part-4"]);
        assert!(names(0, 7).is_empty());
        assert!(names(2, 2).is_empty());
    }

    #[test]
    fn spans_round_trip_as_text() {
        let f = Fingerprints {
            padding: vec![(0, 3), (50, 1000)],
            ..Default::default()
        };
        assert_eq!(spans_text(&f), "0-3,50-1000");
        assert_eq!(parse_spans("0-3,50-1000"), Some(f.padding));
        assert_eq!(parse_spans(""), Some(vec![]));
        assert_eq!(parse_spans("3-"), None);
    }

    #[test]
    fn groups_agree_across_shards() {
        assert_eq!(group_of(Some("P01"), 0), group_of(Some("P01"), 99));
        assert_ne!(group_of(Some("P01"), 0), group_of(Some("P02"), 0));
        assert!(group_of(Some("P01"), 0) >= 0);
        assert_eq!(group_of(None, 0), -1);
        assert_ne!(group_of(None, 1), group_of(None, 2));
    }
}
