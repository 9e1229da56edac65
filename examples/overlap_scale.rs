//! Scale of the overlap stage: N documents of SIZE characters cut from a prose file, all
//! pairs, time and peak memory (run under `/usr/bin/time -v`). BENCHMARKS.md has the figures.
//!
//!     cargo run --release --example overlap_scale -- PROSE N SIZE [--query ARCHIVE_N]
//!
//! With `--query`, it also fingerprints N documents as an archive, writes the archive's
//! fingerprint index to disk, and times checking one new document against it.

use std::time::Instant;
use yanshou::overlap::{Fingerprints, fingerprint, report};

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let prose = std::fs::read_to_string(&a[0]).expect("prose file");
    let n: usize = a.get(1).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let size: usize = a.get(2).and_then(|s| s.parse().ok()).unwrap_or(30000);
    let chars: Vec<char> = prose.chars().filter(|c| *c != '\n').collect();
    // Documents are consecutive windows of the prose, wrapping around when it runs out (so
    // documents beyond the prose's length repeat earlier text: real overlaps to find).
    let step = (chars.len() / n).max(size / 3).min(size);
    let docs: Vec<String> = (0..n)
        .map(|i| {
            let start = (i * step) % chars.len();
            chars.iter().cycle().skip(start).take(size).collect()
        })
        .collect();
    let total: usize = docs.iter().map(|d| d.chars().count()).sum();
    if a.iter().any(|x| x == "--query") {
        // Archive mode: fingerprint and index all documents, then check one new document
        // (half of document 77 inside new text) against the index on disk.
        use rayon::prelude::*;
        let t = Instant::now();
        let fps: Vec<Fingerprints> = docs.par_iter().map(|d| fingerprint(d)).collect();
        let named: Vec<(String, &Fingerprints)> = fps
            .iter()
            .enumerate()
            .map(|(i, f)| (format!("d{i}"), f))
            .collect();
        let dir = std::env::temp_dir().join("yanshou-archive-bench");
        yanshou::overlap::archive::build(&dir, &named).unwrap();
        let size_on_disk = std::fs::metadata(dir.join("postings.bin")).unwrap().len();
        println!(
            "archive of {n} documents ({total} characters) indexed in {:.1} s, {} MB on disk",
            t.elapsed().as_secs_f64(),
            size_on_disk >> 20
        );
        drop(fps);
        let novel: String = chars.iter().rev().take(size / 2).collect();
        let copied: String = docs[77].chars().take(size / 2).collect();
        let query = format!("{novel}{copied}");
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            let q = fingerprint(&query);
            let mut ar = yanshou::overlap::archive::Archive::open(&dir).unwrap();
            let m = ar.query(&q, 50).unwrap();
            times.push(t.elapsed().as_secs_f64());
            assert!(m.iter().any(|x| ar.docs[x.doc].path == "d77"));
        }
        println!(
            "one {size}-character document against the archive (fingerprint + open + query): {:?} s",
            times.iter().map(|t| format!("{t:.3}")).collect::<Vec<_>>()
        );
        return;
    }
    let t = Instant::now();
    use rayon::prelude::*;
    let fps: Vec<Fingerprints> = docs.par_iter().map(|d| fingerprint(d)).collect();
    let t_fp = t.elapsed();
    let nfp: usize = fps.iter().map(|f| f.fps.len()).sum();
    let inputs: Vec<report::Input> = fps
        .iter()
        .enumerate()
        .map(|(i, f)| report::Input {
            path: format!("d{i}"),
            project: None,
            fp: f,
            text: None,
        })
        .collect();
    let t2 = Instant::now();
    let (r, _) = report::build(&inputs, 50, false);
    let t_pairs = t2.elapsed();
    println!(
        "{n} documents, {total} characters, {nfp} fingerprints: fingerprinting {:.2} s, all pairs {:.2} s, {} pairs with passages",
        t_fp.as_secs_f64(),
        t_pairs.as_secs_f64(),
        r.pairs.len()
    );
}
