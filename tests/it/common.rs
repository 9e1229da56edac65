//! Helpers shared by the integration tests: the repository root, schema validation, the
//! binary run as users run it, and file facts to build checks on.

use std::path::PathBuf;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A batch folder at `b` whose guidelines/ holds the demo's call `file`.
pub fn batch_with_call(b: &std::path::Path, file: &str) {
    std::fs::create_dir_all(b.join("guidelines")).unwrap();
    std::fs::copy(
        root().join("corpora/demo/guidelines").join(file),
        b.join("guidelines").join(file),
    )
    .unwrap();
}

/// A batch folder at `b` whose guidelines/ holds the demo's CAST 2022 call.
pub fn batch_with_cast_call(b: &std::path::Path) {
    batch_with_call(b, "2022-cast-reform-pilot-guide.txt");
}

/// The batch `b` run into `out` as of 2023-02-01.
pub fn run_batch(b: &std::path::Path, out: &std::path::Path) -> yanshou::batch::Summary {
    yanshou::batch::run(
        b,
        out,
        &yanshou::batch::RunOptions {
            today: Some("2023-02-01".into()),
        },
    )
    .unwrap()
}

/// Copies a folder and everything in it (a batch to change in a test).
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        let t = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).unwrap();
        }
    }
}

/// Validates a JSON document against `schemas/<schema_file>`, listing every error.
pub fn validate(schema_file: &str, doc: &serde_json::Value) {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas").join(schema_file)).unwrap(),
    )
    .unwrap();
    let v = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = v.iter_errors(doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{schema_file}: {errors:?}");
}

/// The binary, run from the repository's root.
pub fn yanshou_output(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_yanshou"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run yanshou")
}

/// The binary, run from the repository's root: exit code, stdout, stderr.
pub fn yanshou(args: &[&str]) -> (i32, Vec<u8>, String) {
    let o = yanshou_output(args);
    (
        o.status.code().unwrap_or(-1),
        o.stdout,
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The facts of a readable file with nothing in it yet: tests set the fields they need with
/// `FileFacts { counts: …, ..common::facts() }`.
pub fn facts() -> yanshou::facts::FileFacts {
    yanshou::facts::FileFacts {
        format: Some("docx".into()),
        ..Default::default()
    }
}

/// A requirement as one line the guide tests compare: `kind:label:min..max:length`, then
/// `:each` for a per-piece length and `[a/b]` for alternatives.
pub fn render_requirement(r: &yanshou::guide::Requirement) -> String {
    let f = |a: Option<u64>| a.map_or(String::new(), |x| x.to_string());
    let count = format!("{}..{}", f(r.count.min), f(r.count.max));
    let length = match &r.length {
        None => "-".to_string(),
        Some(l) if l.approx.is_some() => format!("~{}", l.approx.unwrap()),
        Some(l) => format!("{}..{}", f(l.min), f(l.max)),
    };
    let mut s = format!("{}:{}:{}:{}", r.kind.as_str(), r.label, count, length);
    if r.count.per_piece {
        s.push_str(":each");
    }
    if !r.alternatives.is_empty() {
        s.push_str(&format!("[{}]", r.alternatives.join("/")));
    }
    s
}

/// A document of the given paragraphs and kinds (no pages), for rules that read structure.
pub fn doc(lines: &[(&str, yanshou::doc::ParaKind)]) -> yanshou::doc::Document {
    let mut d = yanshou::doc::Document::new(yanshou::doc::Format::Docx);
    for (t, k) in lines {
        d.push(t, *k, None);
    }
    d
}

/// One sentence of body text (41 字) for generated documents.
pub const BODY: &str =
    "学会应当建立健全以章程为核心的内部管理制度，完善会员代表大会、理事会和监事会制度。";

/// A requirement of item 1.1 (numbered by `item`).
pub fn req(
    kind: yanshou::guide::Kind,
    label: &str,
    count: yanshou::guide::Range,
    length: Option<yanshou::guide::Length>,
) -> yanshou::guide::Requirement {
    yanshou::guide::Requirement {
        id: "1.1/1".into(),
        kind,
        label: label.into(),
        count,
        length,
        unit: None,
        alternatives: vec![],
        condition: None,
        quote: String::new(),
    }
}

/// Item 1.1 holding `reqs`, numbered 1.1/1, 1.1/2 …
pub fn item(reqs: Vec<yanshou::guide::Requirement>) -> yanshou::guide::Item {
    let requirements = reqs
        .into_iter()
        .enumerate()
        .map(|(i, mut r)| {
            r.id = format!("1.1/{}", i + 1);
            r
        })
        .collect();
    yanshou::guide::Item {
        id: "1.1".into(),
        category: None,
        title: "t".into(),
        funding_yuan: None,
        applicants: None,
        deadline: None,
        quantity: None,
        requirements,
    }
}
