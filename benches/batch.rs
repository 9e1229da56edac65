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
    // Issue 17's "rerun after one report changed": one project's report gets a paragraph
    // more, by turns, and the batch is run again into the same folder.
    let report = batch.join("projects/B0001/研究报告.docx");
    let own = std::fs::read(&report).unwrap();
    let edited = with_paragraph(
        &own,
        "本段为验收前补充的一段说明文字，用于测量只改动一份报告时的重新运行。",
    );
    let mut turn = false;
    g.bench_function("one-report-changed", |b| {
        b.iter(|| {
            turn = !turn;
            std::fs::write(&report, if turn { &edited } else { &own }).unwrap();
            let s = yanshou::batch::run(&batch, out.path(), &opts).unwrap();
            assert!(s.stats.extracted <= 1, "{:?}", s.stats);
        })
    });
    std::fs::write(&report, &own).unwrap();
    g.finish();
}

/// A docx with one paragraph more at the end of its body.
fn with_paragraph(docx: &[u8], text: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut zout = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == "word/document.xml" {
            let xml = String::from_utf8(data).unwrap().replacen(
                "</w:body>",
                &format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body>"),
                1,
            );
            data = xml.into_bytes();
        }
        zout.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zout.write_all(&data).unwrap();
    }
    zout.finish().unwrap().into_inner()
}

criterion_group!(benches, guide, batch, generated);
criterion_main!(benches);
