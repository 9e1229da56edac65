//! Indexing and query latency for BENCHMARKS.md: every law of a JSONL file (`{"title","text"}`
//! per line, such as shared/prose/laws.jsonl) indexed, then a few hundred queries of 2–6
//! characters sampled from the texts, timed in-process (median and 99th percentile).
//!
//!     cargo run --release --example search_bench -- laws.jsonl INDEX_DIR [QUERIES=300]

use std::time::Instant;
use yanshou::search::{DocMeta, Filters, ToIndex, search, update};

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let src = std::fs::read_to_string(&a[0]).expect("jsonl");
    let dir = std::path::PathBuf::from(&a[1]);
    let nq: usize = a.get(2).and_then(|s| s.parse().ok()).unwrap_or(300);
    let _ = std::fs::remove_dir_all(&dir);
    let docs: Vec<(String, String)> = src
        .lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).ok()?;
            Some((
                v["title"].as_str().unwrap_or("").to_string(),
                v["text"].as_str()?.to_string(),
            ))
        })
        .collect();
    let bytes: usize = docs.iter().map(|d| d.1.len()).sum();
    let to_index: Vec<ToIndex> = docs
        .iter()
        .enumerate()
        .map(|(i, (t, x))| ToIndex {
            path: format!("law{i:05}"),
            hash: format!("{i}"),
            meta: DocMeta {
                title: Some(t.clone()),
                ..Default::default()
            },
            text: Box::new(move || Some(x.clone())),
        })
        .collect();
    let t = Instant::now();
    update(&dir, &to_index).unwrap();
    let el = t.elapsed().as_secs_f64();
    let size: u64 = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .sum();
    println!(
        "indexed {} documents, {:.1} MB of text in {el:.1} s ({:.1} MB/s); index {:.0} MB",
        docs.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / el,
        size as f64 / 1e6
    );
    // Queries: substrings of 2–6 characters of random documents.
    let mut seed = 42u64;
    let mut rnd = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as usize
    };
    let mut qs = Vec::new();
    while qs.len() < nq {
        let d: Vec<char> = docs[rnd(docs.len())]
            .1
            .chars()
            .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
            .collect();
        let len = 2 + rnd(5);
        if d.len() > len {
            let s = rnd(d.len() - len);
            qs.push(d[s..s + len].iter().collect::<String>());
        }
    }
    let mut times = Vec::new();
    let mut total_hits = 0;
    for q in &qs {
        let t = Instant::now();
        let r = search(&dir, q, 10, &Filters::default()).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1e3);
        total_hits += r.total;
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{} queries of 2–6 characters (top 10, index opened per query): median {:.2} ms, p99 {:.2} ms, mean hits {:.0}",
        qs.len(),
        times[times.len() / 2],
        times[times.len() * 99 / 100],
        total_hits as f64 / qs.len() as f64
    );
    std::fs::write(dir.join("queries.txt"), qs.join("\n")).unwrap();
}
