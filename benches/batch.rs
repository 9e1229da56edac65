//! The batch stages on the bundled demo: reading a call, a full run (extraction included)
//! against an unchanged rerun of the same batch, in one process so their ratio is fair on a
//! noisy machine; and a full run of a generated batch of 100 projects (500 docx, by
//! `corpora/tools/make_big_batch.py`), whose stage timings are printed once. The 1,000-project
//! figures come from `benches/batch_big.sh`; how they were taken is in BENCHMARKS.md.

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
                assert_eq!(s.stats.projects_rechecked, 11);
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
            assert_eq!(s.stats.projects_unchanged, 11);
        })
    });
    g.finish();
}

/// Prints each stage's wall time as the run ends it.
struct Stages(std::sync::Mutex<std::time::Instant>);

impl yanshou::progress::Progress for Stages {
    fn phase(&self, name: &str) {
        let mut last = self.0.lock().unwrap();
        eprintln!("  {name}: {:.0} ms", last.elapsed().as_secs_f64() * 1e3);
        *last = std::time::Instant::now();
    }
}

fn generated(c: &mut Criterion) {
    const N: usize = 100;
    let work = tempfile::tempdir().unwrap();
    let batch = work.path().join("batch");
    let made = std::process::Command::new("python3")
        .arg(root().join("corpora/tools/make_big_batch.py"))
        .arg(&batch)
        .arg(N.to_string())
        .output();
    if !made.as_ref().is_ok_and(|o| o.status.success()) {
        eprintln!("batch/generated skipped: make_big_batch.py did not run ({made:?})");
        return;
    }
    let opts = yanshou::batch::RunOptions {
        today: Some("2023-02-01".into()),
    };
    let out = tempfile::tempdir().unwrap();
    eprintln!("stages of a full run of {N} generated projects:");
    let stages = Stages(std::sync::Mutex::new(std::time::Instant::now()));
    yanshou::batch::run_with(&batch, out.path(), &opts, &stages).unwrap();
    let mut g = c.benchmark_group(format!("batch/generated-{N}"));
    g.sample_size(10);
    g.bench_function("full", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |out| {
                let s = yanshou::batch::run(&batch, out.path(), &opts).unwrap();
                assert_eq!(s.stats.projects_rechecked, N as u64);
            },
            criterion::BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, guide, batch, generated);
criterion_main!(benches);
