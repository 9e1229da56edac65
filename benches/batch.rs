//! The batch stages on the bundled demo: reading a call, a full run (extraction included)
//! against an unchanged rerun of the same batch, in one process so their ratio is fair on a
//! noisy machine. The 1,000-project figures come from `corpora/tools/make_big_batch.py`;
//! how they were taken is in BENCHMARKS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn guide(c: &mut Criterion) {
    let text =
        std::fs::read_to_string(root().join("corpora/guidelines/2022-cast-reform-pilot-guide.txt"))
            .unwrap();
    c.bench_function("guide/cast-reform-2022", |b| {
        b.iter(|| {
            let s = yanshou::guide::parse_text("g", black_box(&text));
            assert_eq!(s.items.len(), 20);
        })
    });
}

fn batch(c: &mut Criterion) {
    let demo = root().join("corpora/demo");
    let opts = yanshou::batch::RunOptions {
        today: Some("2023-02-01".into()),
    };
    let mut g = c.benchmark_group("batch/demo");
    g.sample_size(10);
    g.bench_function("full", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |out| {
                let s = yanshou::batch::run(&demo, out.path(), &opts).unwrap();
                assert_eq!(s.stats.projects_rechecked, 10);
            },
            criterion::BatchSize::PerIteration,
        )
    });
    let out = tempfile::tempdir().unwrap();
    yanshou::batch::run(&demo, out.path(), &opts).unwrap();
    g.bench_function("unchanged-rerun", |b| {
        b.iter(|| {
            let s = yanshou::batch::run(&demo, out.path(), &opts).unwrap();
            assert_eq!(s.stats.extracted, 0);
            assert_eq!(s.stats.projects_unchanged, 10);
        })
    });
    g.finish();
}

criterion_group!(benches, guide, batch);
criterion_main!(benches);
