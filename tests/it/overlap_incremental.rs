//! The batch's incremental overlap stage: after each edit of a batch (a file edited, a
//! passage copied into another project, files added and deleted so that a passage's holder
//! count crosses the boilerplate bound of 20 documents both ways, a damaged state), the rerun
//! must write the same overlap.json and overlap.html, and give the checks the same rows, as a
//! full run of the same folder into a fresh output folder.

use crate::common::root;

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use yanshou::batch::{RunOptions, run_with};
use yanshou::progress::Progress;

fn opts() -> RunOptions {
    RunOptions {
        today: Some("2023-02-01".into()),
    }
}

/// Remembers the phase names, which say whether the overlap stage was incremental.
#[derive(Default)]
struct Phases(Mutex<Vec<String>>);

impl Progress for Phases {
    fn phase(&self, name: &str) {
        self.0.lock().unwrap().push(name.to_string());
    }
}

impl Phases {
    /// "增量" or "全部重算", from the overlap stage's phase; None when the stage was skipped.
    fn overlap_mode(&self) -> Option<String> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .find_map(|p| p.strip_prefix("重复检测·"))
            .map(|p| p.split('（').next().unwrap_or("").to_string())
    }
}

/// Text that shares nothing with any other call of this function: Han characters drawn
/// from 100 by a fixed LCG (8-character k-grams out of 100^8 never meet by chance), with a
/// full stop every 20 characters.
fn filler(seed: u64, chars: usize) -> String {
    const HAN: &str = "学会科技服务创新人才工作组织建设发展改革管理能力提升计划项目开展活动推进体系合作交流平台政策研究咨询专家评估成果应用基层社会公众普及教育培训青年国际标准规范制度监督考核信息数据资源共享产业融合企业高校院所地方协同决策";
    let han: Vec<char> = HAN.chars().collect();
    assert!(han.len() >= 100, "{}", han.len());
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut s = String::new();
    for i in 0..chars {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        s.push(han[((x >> 33) % 100) as usize]);
        if i % 20 == 19 {
            s.push('。');
        }
    }
    s
}

/// Lines of the committed statute sample, as shared passages.
fn prose(skip: usize, take: usize) -> String {
    let s = std::fs::read_to_string(root().join("corpora/prose/laws-sample.txt")).unwrap();
    s.lines()
        .filter(|l| l.chars().count() > 60 && !l.starts_with('#'))
        .skip(skip)
        .take(take)
        .collect::<Vec<_>>()
        .join("\n")
}

fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>"))
        .collect();
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("word/document.xml", o).unwrap();
        write!(
            z,
            r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        )
        .unwrap();
        z.finish().unwrap();
    }
    buf.into_inner()
}

fn put(batch: &Path, rel: &str, bytes: &[u8]) {
    let p = batch.join("projects").join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

/// Pairs whose two documents both hold the boilerplate passage S.
fn s_pairs(out: &Path, holders: &[&str]) -> usize {
    let r: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("overlap.json")).unwrap()).unwrap();
    let held = |p: &serde_json::Value| {
        holders
            .iter()
            .any(|h| p.as_str() == Some(&format!("projects/{h}")))
    };
    r["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| held(&p["a"]) && held(&p["b"]))
        .count()
}

/// Runs the batch incrementally into `out` and fully into a fresh folder; the outputs the
/// overlap stage decides must be the same bytes. Returns the incremental run's mode.
fn same_as_full(batch: &Path, out: &Path, step: &str) -> Option<String> {
    let phases = Phases::default();
    let inc = run_with(batch, out, &opts(), &phases).unwrap();
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh_phases = Phases::default();
    let fresh = run_with(batch, fresh_dir.path(), &opts(), &fresh_phases).unwrap();
    assert_eq!(fresh_phases.overlap_mode().as_deref(), Some("全部重算"));
    for f in ["overlap.json", "overlap.html"] {
        let (a, b) = (
            std::fs::read(out.join(f)).unwrap(),
            std::fs::read(fresh_dir.path().join(f)).unwrap(),
        );
        assert!(a == b, "{step}: {f} differs from a full run");
    }
    // The rows the checks were given, and what they made of them. (The whole summary.json
    // differs by design: its time stamp, the run's statistics and the changes since the
    // last run.)
    let rows = |o: &Path| {
        let s: serde_json::Value =
            serde_json::from_slice(&std::fs::read(o.join("state.json")).unwrap()).unwrap();
        s["overlaps"].clone()
    };
    assert_eq!(rows(out), rows(fresh_dir.path()), "{step}: overlap rows");
    assert_eq!(
        serde_json::to_value(&inc.projects).unwrap(),
        serde_json::to_value(&fresh.projects).unwrap(),
        "{step}: summary projects"
    );
    let summary = |o: &Path| {
        let mut s: serde_json::Value =
            serde_json::from_slice(&std::fs::read(o.join("summary.json")).unwrap()).unwrap();
        for k in ["generated_at", "batch", "stats", "changes"] {
            s[k] = serde_json::Value::Null;
        }
        s
    };
    assert_eq!(
        summary(out),
        summary(fresh_dir.path()),
        "{step}: summary.json"
    );
    phases.overlap_mode()
}

#[test]
fn every_rerun_writes_what_a_full_run_writes() {
    let work = tempfile::tempdir().unwrap();
    let batch = work.path().join("batch");
    crate::common::batch_with_call(&batch, "2022-hunan-society-capacity-plan.txt");
    let out = work.path().join("out");
    // S: one passage in 20 documents (two in each of Q01–Q10), the most that still counts.
    let s = prose(40, 3);
    let t = prose(60, 4);
    let mut holders: Vec<String> = Vec::new();
    for q in 1..=10 {
        for f in ["a", "b"] {
            let name = format!("Q{q:02}/{f}.txt");
            let mut text = format!(
                "{}\n{s}\n{}\n",
                filler(q * 10, 300),
                filler(q * 10 + 1, 300)
            );
            if name == "Q01/a.txt" {
                // T: shared with Q11's report only.
                text.push_str(&format!("{t}\n"));
            }
            if f == "b" {
                text = format!("{}\n{text}", filler(5000 + q, 200));
            }
            put(&batch, &name, text.as_bytes());
            holders.push(name);
        }
    }
    let report_c = |edit: bool| {
        let tail = if edit {
            format!(
                "{}。{}",
                filler(7777, 80),
                t.chars().skip(t.chars().count() / 2).collect::<String>()
            )
        } else {
            t.clone()
        };
        docx(&[&filler(1100, 400), &tail, &filler(1101, 200)])
    };
    put(&batch, "Q11/c.docx", &report_c(false));
    let d = filler(1200, 500);
    put(&batch, "Q11/d.txt", d.as_bytes());
    let h: Vec<&str> = holders.iter().map(|s| s.as_str()).collect();

    assert_eq!(
        same_as_full(&batch, &out, "first run"),
        Some("全部重算".into())
    );
    // 20 documents in 10 projects: C(20,2) = 190 pairs, less the 10 within one project.
    assert_eq!(s_pairs(&out, &h), 180);

    // Nothing changed: the stage is skipped.
    assert_eq!(same_as_full(&batch, &out, "unchanged"), None);

    // 1. Q11's report is edited: half of T goes.
    put(&batch, "Q11/c.docx", &report_c(true));
    assert_eq!(same_as_full(&batch, &out, "edit"), Some("增量".into()));

    // 2. A passage of Q02/a.txt is copied into Q11/d.txt: a new pair with an untouched
    // document, whose figures change.
    let q02a = std::fs::read_to_string(batch.join("projects/Q02/a.txt")).unwrap();
    let copied: String = q02a.chars().take(150).collect();
    put(&batch, "Q11/d.txt", format!("{d}\n{copied}\n").as_bytes());
    assert_eq!(same_as_full(&batch, &out, "copy"), Some("增量".into()));

    // 3. A 21st holder of S in a new project: S is boilerplate, its 180 pairs go although
    // none of their documents changed.
    let e = format!("{}\n{s}\n", filler(1300, 300));
    put(&batch, "Q12/e.txt", e.as_bytes());
    assert_eq!(
        same_as_full(&batch, &out, "21 holders"),
        Some("增量".into())
    );
    let mut h21 = h.clone();
    h21.push("Q12/e.txt");
    assert_eq!(s_pairs(&out, &h21), 0);

    // 4. A holder deleted: 20 again, the pairs come back (with Q12's): Q12/e with the 19
    // others, and C(19,2) = 171 among those less the 9 projects that still have two.
    std::fs::remove_file(batch.join("projects/Q03/b.txt")).unwrap();
    assert_eq!(
        same_as_full(&batch, &out, "20 holders"),
        Some("增量".into())
    );
    assert_eq!(s_pairs(&out, &h21), 19 + 171 - 9);

    // 5. The 21st removed again: 19 holders, S still counts.
    std::fs::remove_dir_all(batch.join("projects/Q12")).unwrap();
    assert_eq!(
        same_as_full(&batch, &out, "19 holders"),
        Some("增量".into())
    );
    assert_eq!(s_pairs(&out, &h), 171 - 9);

    // 6. A file renamed (same content, another path).
    std::fs::rename(
        batch.join("projects/Q05/a.txt"),
        batch.join("projects/Q05/a2.txt"),
    )
    .unwrap();
    assert_eq!(same_as_full(&batch, &out, "rename"), Some("增量".into()));

    // 7. A damaged state is a full recomputation, never a wrong report.
    std::fs::write(out.join("cache/overlap-state.json"), b"{\"version\": 1, ").unwrap();
    put(&batch, "Q11/d.txt", d.as_bytes());
    assert_eq!(
        same_as_full(&batch, &out, "damaged state"),
        Some("全部重算".into())
    );
    // A truncated holder file, too.
    let holders_file = std::fs::read_dir(out.join("cache"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("overlap-holders."))
        })
        .unwrap();
    let len = std::fs::metadata(&holders_file).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&holders_file)
        .unwrap()
        .set_len(len - 12)
        .unwrap();
    put(&batch, "Q11/d.txt", format!("{d}\n{copied}\n").as_bytes());
    assert_eq!(
        same_as_full(&batch, &out, "truncated holders"),
        Some("全部重算".into())
    );
    // And the run after it is incremental again.
    let q06b = std::fs::read(batch.join("projects/Q06/b.txt")).unwrap();
    std::fs::remove_file(batch.join("projects/Q06/b.txt")).unwrap();
    assert_eq!(
        same_as_full(&batch, &out, "after rebuild"),
        Some("增量".into())
    );
    // A file that comes back: its content is in the holder file, not in the last run.
    put(&batch, "Q06/b.txt", &q06b);
    assert_eq!(
        same_as_full(&batch, &out, "back again"),
        Some("增量".into())
    );
    // Many new contents at once (more than 8 plus a sixteenth of the holder file's 21):
    // the holder file is rebuilt by a full recomputation.
    for k in 0..12 {
        let text = format!("{}\n{}\n", filler(9000 + k, 300), &copied);
        put(&batch, &format!("Q13/n{k:02}.txt"), text.as_bytes());
    }
    assert_eq!(
        same_as_full(&batch, &out, "many new"),
        Some("全部重算".into())
    );
}

/// A run stopped after writing the overlap outputs but before `state.json` (here: the
/// state put back as it was), then the inputs put back too: the outputs on disk are of
/// other inputs and must not be reused.
#[test]
fn outputs_of_an_interrupted_run_are_not_reused() {
    let work = tempfile::tempdir().unwrap();
    let batch = work.path().join("batch");
    crate::common::batch_with_call(&batch, "2022-hunan-society-capacity-plan.txt");
    let shared = prose(40, 3);
    put(
        &batch,
        "R01/a.txt",
        format!("{}\n{shared}\n", filler(1, 300)).as_bytes(),
    );
    put(
        &batch,
        "R02/b.txt",
        format!("{}\n{shared}\n", filler(2, 300)).as_bytes(),
    );
    let out = work.path().join("out");
    same_as_full(&batch, &out, "first");
    let state = std::fs::read(out.join("state.json")).unwrap();
    let b = std::fs::read(batch.join("projects/R02/b.txt")).unwrap();
    put(&batch, "R02/b.txt", filler(3, 300).as_bytes());
    same_as_full(&batch, &out, "changed");
    std::fs::write(out.join("state.json"), state).unwrap();
    put(&batch, "R02/b.txt", &b);
    assert_eq!(
        same_as_full(&batch, &out, "put back"),
        Some("增量".into()),
        "the stage runs again"
    );
}
