//! The body a person would mark, on the layouts real reports have (`corpora/fixtures/layouts`,
//! made by `corpora/tools/make_layouts.py`): 目录 with dot leaders, with tabs, as Word's TOC
//! field, without page numbers; a GB/T standard draft; a thesis; 附件 listed in the 目录;
//! references after each chapter; "详见附录A" in body sentences; an appendix between chapters.
//!
//! Each layout's `NAME.expected.json` holds the 字数 of every part, counted by the generator
//! from the paragraphs it assigned to that part (not by yanshou). The .docx, LibreOffice's PDF
//! of it and its extracted text must all split the same way.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use yanshou::report::{CountOptions, FileCount, count_path};

const LAYOUTS: [&str; 10] = [
    "toc-dots",
    "toc-tab",
    "toc-field",
    "toc-nonum",
    "gbt-draft",
    "thesis",
    "attachments",
    "refs-per-chapter",
    "see-appendix",
    "appendix-middle",
];

fn expected(name: &str) -> BTreeMap<String, u64> {
    let path = common::root()
        .join("corpora/fixtures/layouts")
        .join(format!("{name}.expected.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The parts of a counted file as the expected files name them.
fn parts(row: &FileCount) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    out.insert("body".to_string(), row.body_counts.expect("counted").words);
    for e in &row.excluded {
        let v = serde_json::to_value(e.section).unwrap();
        *out.entry(v.as_str().unwrap().to_string()).or_default() += e.words;
    }
    out
}

fn check(name: &str, path: &Path) {
    let row = count_path(path, CountOptions::default());
    assert!(row.error.is_none(), "{name}: {:?}", row.error);
    let want = expected(name);
    assert_eq!(parts(&row), want, "{}", path.display());
    // The guard stays quiet on a report whose body was found.
    assert!(
        !row.warnings.iter().any(|w| w.contains("正文识别可疑")),
        "{name}: {:?}",
        row.warnings
    );
}

#[test]
fn every_layout_splits_as_a_person_would_in_docx() {
    for name in LAYOUTS {
        check(
            name,
            &common::root().join(format!("corpora/fixtures/layouts/{name}.docx")),
        );
    }
}

#[test]
fn every_layout_splits_as_a_person_would_in_pdf() {
    for name in LAYOUTS {
        check(
            name,
            &common::root().join(format!("corpora/fixtures/layouts/{name}.pdf")),
        );
    }
}

#[test]
fn every_layout_splits_as_a_person_would_as_text() {
    // The extracted text, one paragraph per line, counted by the streaming text counter.
    let dir = tempfile::tempdir().unwrap();
    for name in LAYOUTS {
        let src = common::root().join(format!("corpora/fixtures/layouts/{name}.docx"));
        let doc = yanshou::extract::extract_path(&src).unwrap();
        let txt = dir.path().join(format!("{name}.txt"));
        std::fs::write(&txt, &doc.text).unwrap();
        check(name, &txt);
    }
}

#[test]
fn a_toc_entry_for_the_appendix_does_not_empty_the_body() {
    // The issue's own shapes, as text: three TOC styles that list an appendix.
    let body = "第一章 总论\n这是正文第一段。\n第二章 做法\n这是正文第二段。\n";
    // 第一章总论 5 + 这是正文第一段。8 + 第二章做法 5 + 这是正文第二段。8 = 26.
    for toc in [
        "附录 调查问卷……13",
        "附录A 调查问卷\t13",
        "附\u{3000}录\u{3000}A （资料性附录） 安全要素关联矩阵\t7",
    ] {
        let text = format!(
            "目录\n第一章 总论……1\n第二章 做法……5\n{toc}\n{body}附录A 调查问卷\n问题一：会员规模？\n"
        );
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.txt");
        std::fs::write(&p, &text).unwrap();
        let row = count_path(&p, CountOptions::default());
        assert_eq!(row.body_counts.unwrap().words, 26, "{toc}");
    }
}

#[test]
fn the_count_row_says_when_the_body_is_doubtful() {
    // A report whose chapters all follow an appendix heading that is no TOC entry: 引言 2 +
    // 说明 2 + 附录 2 + 第一章正文 5 + 这是正文第一段。8 + 第二章正文 5 + 这是正文第二段。8 = 32
    // in all; the chapters restart no numbering the body had, so the body is 引言 and 说明: 4.
    let text = "引言\n说明\n附录\n第一章 正文\n这是正文第一段。\n第二章 正文\n这是正文第二段。\n";
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.txt");
    std::fs::write(&p, text).unwrap();
    let row = count_path(&p, CountOptions::default());
    assert_eq!(row.counts.unwrap().words, 32);
    assert_eq!(row.body_counts.unwrap().words, 4);
    assert!(
        row.warnings
            .iter()
            .any(|w| w.contains("正文识别可疑") && w.contains("正文4字") && w.contains("全文32字")),
        "{:?}",
        row.warnings
    );
}
