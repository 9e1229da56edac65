//! Throughput of counting and extraction on realistic Chinese text (corpora/prose is a sample
//! of real statutes). Each bench asserts what it measures, so a broken reader cannot look fast.
//! Figures and how they were taken: BENCHMARKS.md.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn corpus(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpora")
        .join(name)
}

fn count(c: &mut Criterion) {
    let sample = std::fs::read_to_string(corpus("prose/laws-sample.txt")).unwrap();
    // About 24 MB: large enough that the parallel split matters, small enough for CI.
    let text = sample.repeat(16);
    let want = yanshou::count::count_str(&sample).words * 16;
    let mut g = c.benchmark_group("count");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.bench_function("serial", |b| {
        b.iter(|| {
            let n = yanshou::count::count_str(black_box(&text));
            assert_eq!(n.words, want);
        })
    });
    g.bench_function("parallel", |b| {
        b.iter(|| {
            let n = yanshou::count::count_str_parallel(black_box(&text));
            assert_eq!(n.words, want);
        })
    });
    // What `count FILE.txt` does, from bytes in memory: the streaming path (validation,
    // counting and section markers in one pass) against the document path it replaces.
    let bytes = text.as_bytes().to_vec();
    g.bench_function("text_streamed", |b| {
        b.iter(|| {
            let r = std::io::Cursor::new(black_box(&bytes));
            let n = yanshou::textcount::count_reader(r, yanshou::textcount::PIECE)
                .unwrap()
                .unwrap();
            assert_eq!(n.counts.words, want);
        })
    });
    g.bench_function("text_document_path", |b| {
        b.iter(|| {
            let doc = yanshou::extract::extract_bytes(black_box(bytes.clone()), "txt").unwrap();
            let (body, excluded) = yanshou::sections::split_counts(&doc);
            let words = body.words + excluded.iter().map(|(_, c)| c.words).sum::<u64>();
            assert_eq!(words, want);
        })
    });
    g.finish();
}

fn extract(c: &mut Criterion) {
    let mut g = c.benchmark_group("extract");
    for name in ["fixtures/report.docx", "fixtures/report.pdf"] {
        let bytes = std::fs::read(corpus(name)).unwrap();
        let ext = name.rsplit('.').next().unwrap().to_string();
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                let d = yanshou::extract::extract_bytes(bytes.clone(), &ext).unwrap();
                assert_eq!(d.counts().words, 328);
            })
        });
    }
    g.finish();
}

/// The search index: the statute sample cut into 60 documents of about 8,000 characters,
/// indexed from scratch into a fresh folder (what `index` and the batch's index stage do).
/// Asserts that every document is searchable by a phrase of its own.
fn search_index(c: &mut Criterion) {
    use yanshou::search::{DocMeta, Filters, ToIndex, search, update};
    let sample = std::fs::read_to_string(corpus("prose/laws-sample.txt")).unwrap();
    let chars: Vec<char> = sample.chars().collect();
    let docs: Vec<String> = chars
        .chunks(8_000)
        .take(60)
        .map(|c| c.iter().collect())
        .collect();
    let bytes: usize = docs.iter().map(String::len).sum();
    let probe: String = docs[17].chars().skip(4_000).take(8).collect();
    let mut g = c.benchmark_group("search");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("index_from_scratch", |b| {
        b.iter(|| {
            let dir = tempfile::tempdir().unwrap();
            let to_index: Vec<ToIndex> = docs
                .iter()
                .enumerate()
                .map(|(i, t)| ToIndex {
                    path: format!("d{i:03}"),
                    hash: i.to_string(),
                    meta: DocMeta::default(),
                    text: Box::new(move || Some(t.clone())),
                })
                .collect();
            let s = update(dir.path(), &to_index).unwrap();
            assert_eq!(s.added, docs.len());
            let r = search(dir.path(), &probe, 100, &Filters::default()).unwrap();
            assert!(r.hits.iter().any(|h| h.path == "d017"), "{probe}");
        })
    });
    g.finish();
}

criterion_group!(benches, count, extract, search_index);
criterion_main!(benches);
