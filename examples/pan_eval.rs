//! Runs the PAN-style overlap harness and prints the figures recorded in BENCHMARKS.md.
//!
//!     cargo run --release --example pan_eval -- [SOURCES=60] [SIZE=6000] [PER_EVASION=25] [SEED=1] [PROSE=corpora/prose/laws-sample.txt]

use yanshou::overlap::harness::{EVASIONS, detect, generate, score};

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, d: usize| a.get(i).and_then(|s| s.parse().ok()).unwrap_or(d);
    let (sources, size, per, seed) = (arg(0, 60), arg(1, 6000), arg(2, 25), arg(3, 1) as u64);
    let prose_path = a
        .get(4)
        .cloned()
        .unwrap_or_else(|| "corpora/prose/laws-sample.txt".into());
    let prose = std::fs::read_to_string(&prose_path).expect("prose");
    let corpus = generate(&prose, sources, size, per, seed);
    let chars: usize = corpus.docs.iter().map(|d| d.chars().count()).sum();
    let t = std::time::Instant::now();
    let dets = detect(&corpus, 30);
    let el = t.elapsed();
    println!(
        "{} documents, {} characters, {} cases, {} detections in {:.2} s",
        corpus.docs.len(),
        chars,
        corpus.cases.len(),
        dets.len(),
        el.as_secs_f64()
    );
    println!("| evasion | cases | precision | recall | granularity | plagdet |");
    println!("|---|---|---|---|---|---|");
    for ev in EVASIONS {
        let cs: Vec<_> = corpus.cases.iter().filter(|c| c.evasion == ev).collect();
        let s = score(&cs, &dets, false);
        println!(
            "| {} | {} | {:.3} | {:.3} | {:.3} | {:.3} |",
            ev.name(),
            s.cases,
            s.precision,
            s.recall,
            s.granularity,
            s.plagdet
        );
    }
    if std::env::var_os("PAN_SHOW_FALSE").is_some() {
        // Detections that touch no planted case, with both texts: to see what goes wrong.
        let mut shown = 0;
        for d in &dets {
            let hit = corpus.cases.iter().any(|c| {
                let same = (d.a == c.susp && d.b == c.src) || (d.b == c.susp && d.a == c.src);
                let (s0, s1) = if d.a == c.susp {
                    (d.a_start, d.a_end)
                } else {
                    (d.b_start, d.b_end)
                };
                same && s0 < c.susp_end && c.susp_start < s1
            });
            if !hit && shown < 8 {
                shown += 1;
                let t = |i: usize, a: u32, b: u32| -> String {
                    corpus.docs[i]
                        .chars()
                        .skip(a as usize)
                        .take((b - a) as usize)
                        .collect()
                };
                println!(
                    "FALSE {}:{}-{} <> {}:{}-{}\n  A: {}\n  B: {}",
                    d.a,
                    d.a_start,
                    d.a_end,
                    d.b,
                    d.b_start,
                    d.b_end,
                    t(d.a, d.a_start, d.a_end),
                    t(d.b, d.b_start, d.b_end)
                );
            }
        }
    }
    if std::env::var_os("PAN_SHOW_WIDE").is_some() {
        for c in &corpus.cases {
            for d in &dets {
                let (s0, s1, r0, r1) = if d.a == c.susp && d.b == c.src {
                    (d.a_start, d.a_end, d.b_start, d.b_end)
                } else if d.b == c.susp && d.a == c.src {
                    (d.b_start, d.b_end, d.a_start, d.a_end)
                } else {
                    continue;
                };
                if s0 < c.susp_end && c.susp_start < s1 {
                    let extra = (c.susp_start.saturating_sub(s0))
                        + s1.saturating_sub(c.susp_end)
                        + c.src_start.saturating_sub(r0)
                        + r1.saturating_sub(c.src_end);
                    if extra > 30 {
                        println!(
                            "WIDE {:?} case s {}-{} r {}-{} det s {}-{} r {}-{}",
                            c.evasion,
                            c.susp_start,
                            c.susp_end,
                            c.src_start,
                            c.src_end,
                            s0,
                            s1,
                            r0,
                            r1
                        );
                    }
                }
            }
        }
    }
    let all: Vec<_> = corpus.cases.iter().collect();
    let s = score(&all, &dets, true);
    println!(
        "| **all** (every detection) | {} | {:.3} | {:.3} | {:.3} | {:.3} |",
        s.cases, s.precision, s.recall, s.granularity, s.plagdet
    );
}
