//! Matching files to requirements from every signal (issue 21): the vocabulary table row by
//! row, case sections whatever their numbering, and generated projects named as real folders
//! are (`corpora/fixtures/matching`, expected assignments written by hand in
//! `corpora/tools/make_matching.py`).

use std::collections::BTreeMap;

use serde_json::Value;
use yanshou::check::{LabelSource, classify_why, label_of_text};
use yanshou::doc::ParaKind;

use crate::common::{self, BODY, doc, root, validate, yanshou};

#[test]
fn vocabulary_table_rows() {
    // (file stem, label, source): strong words plainly, weak ones as 推断.
    let rows: &[(&str, Option<&str>, LabelSource)] = &[
        ("学会治理研究报告", Some("研究报告"), LabelSource::Name),
        ("总报告", Some("研究报告"), LabelSource::Name),
        ("结题报告", Some("研究报告"), LabelSource::Inferred),
        ("课题报告", Some("研究报告"), LabelSource::Inferred),
        ("项目最终成果", Some("研究报告"), LabelSource::Inferred),
        ("成果", Some("研究报告"), LabelSource::Inferred),
        ("政策建议", Some("建议报告"), LabelSource::Name),
        ("资政报告", Some("建议报告"), LabelSource::Name),
        ("决策参考", Some("建议报告"), LabelSource::Name),
        ("对策建议", Some("建议报告"), LabelSource::Name),
        ("几点建议", Some("建议报告"), LabelSource::Inferred),
        ("资政专报", Some("专报"), LabelSource::Name),
        ("内参", Some("专报"), LabelSource::Name),
        ("调查报告", Some("调研报告"), LabelSource::Name),
        ("典型做法汇编", Some("案例集"), LabelSource::Inferred),
        ("案例选编", Some("案例集"), LabelSource::Name),
        ("案例3", Some("案例"), LabelSource::Name),
        ("活动新闻稿", Some("活动总结"), LabelSource::Name),
        ("研讨会纪要", Some("会议纪要"), LabelSource::Name),
        ("会议日程", Some("议程"), LabelSource::Name),
        ("签到表", Some("签到表"), LabelSource::Name),
        ("关于举办论坛的通知", Some("活动通知"), LabelSource::Name),
        ("发表论文", Some("论文"), LabelSource::Name),
        ("学术专著书稿", Some("专著"), LabelSource::Name),
        ("成果简介", Some("成果简介"), LabelSource::Name),
        ("科普文章", Some("文章"), LabelSource::Name),
        ("项目申报书", Some("申报书"), LabelSource::Name),
        ("附件3", None, LabelSource::None),
    ];
    for (stem, label, source) in rows {
        let c = classify_why(&format!("{stem}.docx"), &common::facts());
        assert_eq!((c.label, c.source), (*label, *source), "{stem}");
        assert_eq!(
            c.reason.is_some(),
            *source == LabelSource::Inferred,
            "{stem}"
        );
    }
}

/// Every genre the call reader can ask for is one the checks know: a requirement labelled
/// with a head noun of `HEADS` finds files by the same vocabulary. A bare 报告 names no genre.
#[test]
fn the_check_vocabulary_covers_the_call_readers_heads() {
    use yanshou::guide::Kind;
    use yanshou::guide::reqs::HEADS;
    let unknown: Vec<&str> = HEADS
        .iter()
        .filter(|(_, k, _, _)| matches!(k, Kind::Report | Kind::Cases))
        .map(|h| h.0)
        .filter(|h| !["报告", "报告书"].contains(h))
        .filter(|h| label_of_text(h).is_none())
        .collect();
    assert!(unknown.is_empty(), "heads without a genre: {unknown:?}");
    for (label, want) in [
        ("决策咨询专报", "专报"),
        ("对策建议", "建议报告"),
        ("论文", "论文"),
        ("专著", "专著"),
        ("成果简介", "成果简介"),
        ("科普文章", "文章"),
    ] {
        assert_eq!(label_of_text(label), Some(want), "{label}");
    }
}

/// Case sections are counted whatever their numbering; a report's own chapters are not cases.
#[test]
fn case_sections_in_every_numbering() {
    let orgs = ["中国甲学会", "乙省科协", "丙市研究会", "丁工业大学"];
    let styles: Vec<(&str, Vec<String>)> = vec![
        (
            "（一）",
            (0..4)
                .map(|i| {
                    format!(
                        "（{}）{}：完善治理",
                        "一二三四".chars().nth(i).unwrap(),
                        orgs[i]
                    )
                })
                .collect(),
        ),
        (
            "1.",
            (0..4)
                .map(|i| format!("{}. {}——完善治理", i + 1, orgs[i]))
                .collect(),
        ),
        (
            "【案例】",
            (0..4)
                .map(|i| format!("【案例】{}的探索", orgs[i]))
                .collect(),
        ),
        (
            "bare",
            (0..4)
                .map(|i| format!("{}：以章程为核心的做法", orgs[i]))
                .collect(),
        ),
        (
            "一、",
            (0..4)
                .map(|i| format!("{}、{}", "一二三四".chars().nth(i).unwrap(), orgs[i]))
                .collect(),
        ),
    ];
    for (style, heads) in styles {
        let mut lines = vec![("典型做法", ParaKind::Title)];
        for h in &heads {
            lines.push((h.as_str(), ParaKind::Body));
            lines.push((BODY, ParaKind::Body));
        }
        let f = yanshou::facts::analyse_document(&doc(&lines));
        assert_eq!(f.case_sections.len(), 4, "{style}: {:?}", f.case_sections);
        assert_eq!(
            classify_why("汇编.docx", &f).label,
            Some("案例集"),
            "{style}"
        );
    }
    // A report's chapters name 学会 too, but no organisation: no cases, four chapters.
    let chapters = [
        "第一章 我国学会发展现状",
        "第二章 学会治理存在的问题",
        "第三章 国外学会治理经验",
        "第四章 对策建议",
    ];
    let mut lines = vec![("学会治理研究", ParaKind::Title)];
    for c in chapters {
        lines.push((c, ParaKind::Heading(1)));
        lines.push((BODY, ParaKind::Body));
    }
    let f = yanshou::facts::analyse_document(&doc(&lines));
    assert!(f.case_sections.is_empty(), "{:?}", f.case_sections);
    assert_eq!(f.chapters, 4);
}

/// Each generated project against item 1.3 of the CAST 2022 guide: which requirement lists
/// each file as evidence, each requirement's status and each file's 字数, all as
/// `make_matching.py` wrote them down.
#[test]
fn generated_projects_assign_every_file_as_expected() {
    let base = root().join("corpora/fixtures/matching");
    let expected: BTreeMap<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(base.join("expected.json")).unwrap())
            .unwrap();
    assert_eq!(expected.len(), 6);
    for (pid, want) in &expected {
        let dir = base.join("projects").join(pid);
        let (code, out, err) = yanshou(&["check", dir.to_str().unwrap(), "--json"]);
        assert!(code == 0 || code == 1, "{pid}: {err}");
        let c: Value = serde_json::from_slice(&out).unwrap();
        validate("checklist.v1.schema.json", &c);
        let reqs = c["requirements"].as_array().unwrap();
        let by_label = |l: &str| {
            reqs.iter()
                .find(|r| r["label"] == l)
                .unwrap_or_else(|| panic!("{pid}: no requirement {l}"))
        };
        for (label, status) in want["status"].as_object().unwrap() {
            assert_eq!(by_label(label)["status"], *status, "{pid} {label}: {c:#}");
        }
        for (file, label) in want["files"].as_object().unwrap() {
            let r = by_label(label.as_str().unwrap());
            assert!(
                r["evidence"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|e| e["path"] == file.as_str()),
                "{pid}: {file} is not evidence of {label}: {r:#}"
            );
        }
        for (file, words) in want["words"].as_object().unwrap() {
            let row = c["files"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["path"] == file.as_str())
                .unwrap_or_else(|| panic!("{pid}: {file} not listed"));
            assert_eq!(row["body_words"], *words, "{pid} {file}");
        }
        // Nothing delivered is reported missing; nothing is left unmatched.
        assert_eq!(c["unmatched"], serde_json::json!([]), "{pid}");
    }
}

/// Issue 21's four files: the report inferred with its 字数 and chapters shown as a reviewer
/// reads them, six cases, and `缺失` only for the 建议报告 the project did not deliver.
#[test]
fn the_four_file_project_of_issue_21() {
    let dir = root().join("corpora/fixtures/matching/projects/M01");
    let (_, out, _) = yanshou(&["check", dir.to_str().unwrap(), "--json"]);
    let c: Value = serde_json::from_slice(&out).unwrap();
    let r = |l: &str| {
        c["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["label"] == l)
            .unwrap()
            .clone()
    };
    // 32,212 字 counted by make_matching.py; grouped by hand.
    let report = r("研究报告");
    assert!(
        report["actual"]
            .as_str()
            .unwrap()
            .starts_with("推断：项目最终成果.docx（32,212字，4章）"),
        "{report:#}"
    );
    let cases = r("案例");
    assert!(
        cases["actual"].as_str().unwrap().ends_with("；6个"),
        "{cases:#}"
    );
    let missing: Vec<&str> = c["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "missing")
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["建议报告"]);
    let row = c["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "项目最终成果.docx")
        .unwrap();
    assert_eq!(row["label_source"], "推断");
    assert_eq!(row["label_reason"], "文件名含“最终成果”");
}

/// Two unnamed files that could each be the 3万字 report: neither is taken, both are named
/// ("可能为"), and the requirement is `review`, never `missing`. One alone is taken (推断).
#[test]
fn an_unassigned_file_that_could_satisfy_a_requirement_is_named() {
    use yanshou::check::{CheckSettings, Status, SubmittedFile, check_project};
    use yanshou::count::Counts;
    use yanshou::guide::{Kind, Length, Range};
    let file = |path: &str, words: u64, chapters: u32| SubmittedFile {
        path: path.into(),
        facts: yanshou::facts::FileFacts {
            counts: Some(Counts {
                words,
                ..Counts::default()
            }),
            body_counts: Some(Counts {
                words,
                ..Counts::default()
            }),
            chapters,
            ..common::facts()
        },
        ..Default::default()
    };
    let item = common::item(vec![common::req(
        Kind::Report,
        "研究报告",
        Range::exactly(1),
        Some(Length {
            min: Some(30000),
            ..Length::default()
        }),
    )]);
    let s = CheckSettings::default();
    let two = [file("甲.docx", 31000, 4), file("乙.docx", 32103, 4)];
    let r = &check_project(&item, &two, None, &s).requirements[0];
    assert_eq!(r.status, Status::Review);
    assert_eq!(
        r.actual,
        "未按名称找到；可能为：甲.docx（31,000字，4章）、乙.docx（32,103字，4章）"
    );
    // One file of 32,103 字 and four chapters: taken, as 推断.
    let one = [file("项目.docx", 32103, 4)];
    let r = &check_project(&item, &one, None, &s).requirements[0];
    assert_eq!(r.status, Status::Review);
    assert!(
        r.actual.starts_with("推断：项目.docx（32,103字，4章）"),
        "{}",
        r.actual
    );
    // A 9,000-字 note is no 3万字 report: missing.
    let short = [file("说明.docx", 9000, 0)];
    let r = &check_project(&item, &short, None, &s).requirements[0];
    assert_eq!(r.status, Status::Missing);
}

/// Cues in a short text say what it is when its name does not: a news release by its date and
/// place, a notice by 各有关单位. Proof of an event known only so is `review` ("推断").
#[test]
fn text_cues_classify_short_files_and_their_proof_is_reviewed() {
    use yanshou::check::{CheckSettings, Status, SubmittedFile, check_project};
    use yanshou::count::Counts;
    use yanshou::guide::{Kind, Range};
    let short = |head: &str| yanshou::facts::FileFacts {
        head: head.into(),
        counts: Some(Counts {
            words: 400,
            ..Counts::default()
        }),
        ..common::facts()
    };
    let news = short("学会动态\n2022年9月15日，学会规范化治理专题交流活动在北京召开。\n");
    let c = classify_why("说明.docx", &news);
    assert_eq!(
        (c.label, c.source),
        (Some("活动总结"), LabelSource::Inferred)
    );
    assert!(c.reason.unwrap().contains("9月15日"));
    let notice = short("各有关单位：\n定于2022年9月15日在北京举办专题交流活动。\n特此通知。\n");
    assert_eq!(classify_why("附件1.docx", &notice).label, Some("活动通知"));
    // The same opening in a 31,000-字 report is no news release.
    let mut long = news.clone();
    long.counts = Some(Counts {
        words: 31000,
        ..Counts::default()
    });
    assert_eq!(classify_why("说明.docx", &long).label, None);
    let item = common::item(vec![common::req(
        Kind::Event,
        "专题交流活动",
        Range::exactly(1),
        None,
    )]);
    let c = classify_why("说明.docx", &news);
    let f = SubmittedFile {
        path: "说明.docx".into(),
        facts: news,
        label: c.label,
        label_source: c.source,
        label_reason: c.reason,
        ..Default::default()
    };
    let r = &check_project(&item, &[f], None, &CheckSettings::default()).requirements[0];
    assert_eq!(r.status, Status::Review);
    assert_eq!(r.actual, "推断：1次（有佐证材料）");
}

/// Cases nothing names: an unnamed file with parallel numbered sections is pointed at
/// ("可能为"), and the requirement is `review`, not `missing`.
#[test]
fn cases_an_unnamed_file_may_hold_are_pointed_at() {
    use yanshou::check::{CheckSettings, Status, SubmittedFile, check_project};
    use yanshou::guide::{Kind, Range};
    let f = SubmittedFile {
        path: "材料.docx".into(),
        facts: yanshou::facts::FileFacts {
            numbered_headings: vec!["（一）甲".into(), "（二）乙".into(), "（三）丙".into()],
            ..common::facts()
        },
        ..Default::default()
    };
    let item = common::item(vec![common::req(
        Kind::Cases,
        "案例",
        Range {
            min: Some(6),
            max: Some(8),
            ..Range::default()
        },
        None,
    )]);
    let s = CheckSettings::default();
    let r = &check_project(&item, std::slice::from_ref(&f), None, &s).requirements[0];
    assert_eq!(r.status, Status::Review);
    assert_eq!(r.actual, "未按名称找到；可能为：材料.docx（3个编号小节）");
    let none = SubmittedFile {
        facts: common::facts(),
        ..f
    };
    let r = &check_project(&item, &[none], None, &s).requirements[0];
    assert_eq!(r.status, Status::Missing);
}
