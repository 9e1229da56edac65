//! Whole calls written for these tests (issue 12), one per shape a real call takes: a
//! notice for one project copied as one long line, a length in a sentence of its own, a
//! table of indicators, eligibility beside requirements, a sentence that cannot be read.
//! The expected specs are worked out by hand from the texts below, in the notation of
//! `guide_phrases.rs` (`kind:label:count:length`).

use yanshou::doc::{Document, Format, ParaKind};
use yanshou::guide::{Item, Spec, parse_document, parse_text};

use crate::common::render_requirement as render;

fn reqs(it: &Item) -> Vec<String> {
    it.requirements.iter().map(render).collect()
}

fn unread(s: &Spec) -> Vec<&str> {
    s.warnings
        .iter()
        .filter_map(|w| w.strip_prefix("未读懂的要求："))
        .collect()
}

/// A notice for one project, as a web page copy gives it: one line, no numbered project
/// items. The whole call is one item; eligibility ("发表论文2篇以上") is not a requirement,
/// application copies ("一式三份") are not a count.
#[test]
fn a_one_line_notice_is_one_item() {
    let text = "关于开展2025年度某市社科联应用课题研究的通知各有关单位：现将有关事项通知如下：\
一、研究内容与要求：围绕城乡融合发展开展专题调研，形成4000字左右的对策建议和不少于2万字的研究报告。\
二、申报条件：申报人须具有中级以上职称，近三年发表论文2篇以上。\
三、其他事项：申报书一式三份，于2025年5月31日前报送。";
    let s = parse_text("notice", text);
    assert_eq!(s.items.len(), 1, "{:#?}", s.items);
    let it = &s.items[0];
    assert_eq!(it.id, "1");
    // 4000字左右 → ≈4000; 不少于2万字 → ≥20000; neither has a written count.
    assert_eq!(
        reqs(it),
        ["report:对策建议:1..:~4000", "report:研究报告:1..:20000.."]
    );
    assert_eq!(it.requirements[0].quote, "形成4000字左右的对策建议");
    assert!(unread(&s).is_empty(), "{:?}", s.warnings);
}

/// "篇幅一般不超过6000字" names no deliverable: it belongs to the one the call is about,
/// named two sections earlier.
#[test]
fn a_length_in_a_sentence_of_its_own() {
    let text = "关于征集2025年度决策咨询报告的通知\n\
一、征集内容\n\
围绕本市重点工作，征集具有针对性的决策咨询报告。\n\
二、写作要求\n\
1.问题导向。要有问题、有分析、有建议。\n\
2.文风朴实，篇幅一般不超过6000字。\n";
    let s = parse_text("call", text);
    assert_eq!(s.items.len(), 1, "{:#?}", s.items);
    assert_eq!(s.items[0].title, "关于征集2025年度决策咨询报告的通知");
    assert_eq!(reqs(&s.items[0]), ["report:决策咨询报告:1..:..6000"]);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

/// The count in one sentence, the length in the next; the second sentence says 报告 for
/// the 咨询报告 of the first.
#[test]
fn count_and_length_in_two_sentences() {
    let text = "关于委托开展养老服务课题研究的通知\n\
课题组须提交咨询报告一篇。咨询报告应提出可操作的建议，字数为1.5万字左右。\n";
    let s = parse_text("call", text);
    assert_eq!(reqs(&s.items[0]), ["report:咨询报告:1..1:~15000"]);
}

/// Alternatives in one sentence list and per-piece lengths.
#[test]
fn per_piece_lengths() {
    let text = "关于开展2025年度智库课题研究的通知\n\
课题成果为1份3万字以上的总报告和3份各2500字左右的决策咨询专报。\n";
    let s = parse_text("call", text);
    assert_eq!(
        reqs(&s.items[0]),
        [
            "report:总报告:1..1:30000..",
            "report:决策咨询专报:3..3:~2500:each"
        ]
    );
}

/// 申报条件 is who may apply: its "发表论文2篇以上" neither becomes a requirement nor hides
/// the item's 考核指标.
#[test]
fn eligibility_does_not_block_requirements() {
    let text = "2025年度城市研究课题指南\n\
课题1：城市更新机制研究\n\
研究内容：城市更新的体制机制。\n\
申报条件：申报人近三年发表论文2篇以上。\n\
考核指标：形成1篇3万字以上研究报告。\n\
课题2：老旧小区改造研究\n\
研究内容：改造资金的来源。\n\
考核指标：形成1篇2万字以上研究报告、2篇专报。\n";
    let s = parse_text("guide", text);
    let ids: Vec<&str> = s.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["1", "2"]);
    assert_eq!(reqs(&s.items[0]), ["report:研究报告:1..1:30000.."]);
    assert_eq!(
        reqs(&s.items[1]),
        ["report:研究报告:1..1:20000..", "report:专报:2..2:-"]
    );
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

/// A section outside the items that states results ("三、结项要求") applies to every item.
#[test]
fn a_results_section_applies_to_all_items() {
    let text = "2025年度科普项目指南\n\
一、项目类别\n\
1.科普短视频创作。形成5个以上科普短视频案例。\n\
2.科普讲座进社区。举办科普讲座不少于6场。\n\
二、结项要求\n\
项目结项时须提交1份3000字以上的工作总结。\n";
    let s = parse_text("guide", text);
    assert_eq!(s.items.len(), 2, "{:#?}", s.items);
    assert_eq!(
        reqs(&s.items[0]),
        ["cases:科普短视频案例:5..:-", "report:工作总结:1..1:3000.."]
    );
    assert_eq!(
        reqs(&s.items[1]),
        ["event:科普讲座:6..:-", "report:工作总结:1..1:3000.."]
    );
}

/// Never silent: a length the reader cannot place is listed, quoted as written.
#[test]
fn an_unread_length_is_a_warning() {
    let text = "2025年度课题指南\n\
一、课题方向\n\
1.乡村治理路径研究。形成1篇2万字以上研究报告。\n\
2.社区服务创新研究。形成1篇2万字以上研究报告。\n\
二、申报要求\n\
申请书活页正文不超过 3000 字。\n";
    let s = parse_text("guide", text);
    assert_eq!(s.items.len(), 2);
    assert_eq!(unread(&s), ["申请书活页正文不超过 3000 字"]);
    let table = yanshou::guide::render_table(&s);
    assert!(
        table.contains("未读懂的要求：申请书活页正文不超过 3000 字"),
        "{table}"
    );
}

/// A text with nothing to deliver is still a policy paper: no items, one warning.
#[test]
fn a_policy_paper_still_has_no_items() {
    let text = "关于加强科普工作的意见\n一、总体要求\n坚持以人民为中心。\n二、重点任务\n推进科普基础设施建设，建设100个科普基地。\n";
    let s = parse_text("policy", text);
    assert!(s.items.is_empty(), "{:#?}", s.items);
    assert_eq!(s.warnings.len(), 1);
    assert!(s.warnings[0].contains("政策文件"));
}

/// A Word call's indicator table (指标名称 | 指标值 | 考核方式), as extraction gives it: one
/// paragraph per cell. Each row is read as one phrase.
#[test]
fn an_indicator_table_is_read_row_by_row() {
    let mut doc = Document::new(Format::Docx);
    doc.push(
        "关于下达2025年度示范课题考核指标的通知",
        ParaKind::Body,
        None,
    );
    doc.push("考核指标", ParaKind::Body, None);
    for cell in [
        "序号",
        "指标名称",
        "指标值",
        "考核方式",
        "1",
        "调研报告",
        "1篇，不少于2万字",
        "专家评审",
        "2",
        "政策建议",
        "2份，每份2000字左右",
        "提交文本",
        "3",
        "服务企业数量",
        "不少于15家",
        "提供名单",
    ] {
        doc.push(cell, ParaKind::TableCell, None);
    }
    doc.push("联系人：王五", ParaKind::Body, None);
    let s = parse_document("table.docx", &doc);
    assert_eq!(s.items.len(), 1, "{:#?}", s.items);
    assert_eq!(
        reqs(&s.items[0]),
        [
            "report:调研报告:1..1:20000..",
            "report:政策建议:2..2:~2000:each",
            "indicator:服务企业数量:15..:-",
        ]
    );
}

/// "以研究报告形式结项的…；以专报形式结项的…": each form's requirements carry its condition,
/// and the check takes the item as met when one form is complete.
#[test]
fn alternative_forms_of_result() {
    use yanshou::check::{
        CheckSettings, LabelSource, Status, SubmittedFile, Verdict, check_project,
    };
    use yanshou::count::Counts;
    use yanshou::facts::FileFacts;

    let text = "关于2025年度社科课题结项的通知\n\
一、结项成果要求\n\
1）以研究报告形式结项的，研究报告字数不少于3万字；\n\
2）以专报形式结项的，须提交专报不少于2篇，并发表论文不少于1篇。\n";
    let s = parse_text("call", text);
    assert_eq!(s.items.len(), 1, "{:#?}", s.items);
    let it = &s.items[0];
    assert_eq!(
        reqs(it),
        [
            "report:研究报告:1..:30000..",
            "report:专报:2..:-",
            "report:论文:1..:-"
        ]
    );
    let conds: Vec<Option<&str>> = it
        .requirements
        .iter()
        .map(|r| r.condition.as_deref())
        .collect();
    assert_eq!(
        conds,
        [
            Some("以研究报告形式结项的"),
            Some("以专报形式结项的"),
            Some("以专报形式结项的")
        ]
    );

    let facts = |words: u64| FileFacts {
        counts: Some(Counts {
            words,
            cjk_chars: words,
            ..Counts::default()
        }),
        body_counts: Some(Counts {
            words,
            cjk_chars: words,
            ..Counts::default()
        }),
        ..crate::common::facts()
    };
    let file = |path: &str, label: &'static str, words: u64| SubmittedFile {
        path: path.into(),
        facts: facts(words),
        label: Some(label),
        label_source: LabelSource::Name,
        ..Default::default()
    };
    let settings = CheckSettings::default();
    // The report form complete (a 32000-word report): met, though no 专报 and no paper.
    let c = check_project(it, &[file("报告.docx", "研究报告", 32000)], None, &settings);
    assert_eq!(c.verdict, Verdict::Pass, "{:#?}", c.requirements);
    assert_eq!(c.requirements[1].status, Status::Pass);
    assert!(c.requirements[1].actual.contains("以研究报告形式结项的"));
    // The report too short and no 专报: no form is complete.
    let c = check_project(it, &[file("报告.docx", "研究报告", 20000)], None, &settings);
    assert_eq!(c.verdict, Verdict::Fail, "{:#?}", c.requirements);
}

/// Specs with the fields issue 12 added (per_piece, condition, unread warnings) validate
/// against the schema, and read back unchanged.
#[test]
fn new_fields_validate_against_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/spec.v1.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let texts = [
        "关于开展智库课题研究的通知\n课题成果为1份3万字以上的总报告和3份各2500字左右的决策咨询专报。\n",
        "关于课题结项的通知\n1）以研究报告形式结项的，研究报告字数不少于3万字；\n2）以专报形式结项的，须提交专报不少于2篇。\n",
        "2025年度课题指南\n一、课题方向\n1.乡村治理路径研究。形成1篇2万字以上研究报告。\n二、申报要求\n申请书活页正文不超过3000字。\n",
    ];
    for t in texts {
        let s = parse_text("t", t);
        let json = serde_json::to_value(&s).unwrap();
        let errs: Vec<String> = v.iter_errors(&json).map(|e| e.to_string()).collect();
        assert!(errs.is_empty(), "{t}: {errs:?}");
        let back: Spec = serde_json::from_value(json).unwrap();
        assert_eq!(back, s);
    }
}

/// A project whose name holds a deliverable noun ("学会发展报告编写") is still a project; a
/// heading that is nothing but a deliverable ("（三）研究报告：") is not.
#[test]
fn project_names_and_deliverable_headings() {
    let text = "2025年度学会项目指南\n\
一、项目类别\n\
1.学会发展报告编写。形成1篇5万字以上发展报告。\n\
2.学会典型经验挖掘。挖掘10个典型案例。\n";
    let s = parse_text("guide", text);
    let ids: Vec<&str> = s.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["1.1", "1.2"]);
    assert_eq!(s.items[0].title, "学会发展报告编写");
    assert_eq!(reqs(&s.items[0]), ["report:发展报告:1..1:50000.."]);
    assert_eq!(reqs(&s.items[1]), ["cases:典型案例:10..10:-"]);

    let text = "关于课题结项的通知\n\
一、结项材料\n\
（一）研究报告：含2万字左右的总报告、5000字左右的对策建议。\n\
（二）成果简介：1份，3000字以内。\n";
    let s = parse_text("call", text);
    assert_eq!(s.items.len(), 1, "{:#?}", s.items);
    assert_eq!(
        reqs(&s.items[0]),
        [
            "report:总报告:1..:~20000",
            "report:对策建议:1..:~5000",
            "report:成果简介:1..1:..3000"
        ]
    );
}

/// A list of 结题材料 numbered inside one paragraph: the entries are demands, not project
/// items, and all of them belong to the one item of the notice.
#[test]
fn a_numbered_list_of_materials_is_not_a_list_of_projects() {
    let text = "关于做好2025年度社科基金课题结题工作的通知\n\
各课题负责人：\n\
结题材料：1.结题审批书1份；2.研究报告1份（不少于2万字）；3.成果简介1份（1500字左右）。\n";
    let s = parse_text("call", text);
    assert_eq!(s.items.len(), 1, "{:#?}", s.items);
    assert_eq!(
        reqs(&s.items[0]),
        [
            "report:结题审批书:1..1:-",
            "report:研究报告:1..1:20000..",
            "report:成果简介:1..1:~1500"
        ]
    );
}

/// A results section after the items gives lengths for the deliverables the items name
/// ("研究报告字数一般不少于2万字"); a length for one an item does not ask for adds nothing.
#[test]
fn a_results_section_gives_lengths_to_the_items() {
    let text = "2026年度学会课题指南\n\
一、课题方向\n\
1.学会服务乡村振兴路径研究。形成研究报告1篇、决策咨询专报2篇。\n\
2.学会人才举荐机制研究。形成研究报告1篇。\n\
二、成果要求\n\
研究报告字数一般不少于2万字。专报篇幅一般不超过3000字。\n";
    let s = parse_text("guide", text);
    assert_eq!(
        reqs(&s.items[0]),
        [
            "report:研究报告:1..1:20000..",
            "report:决策咨询专报:2..2:..3000"
        ]
    );
    assert_eq!(reqs(&s.items[1]), ["report:研究报告:1..1:20000.."]);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

/// Items of one list are items alike: one that asks only for counted targets (short videos)
/// is an item beside those that ask for documents; a 读物 is a document.
#[test]
fn siblings_of_items_are_items() {
    let text = "2024年度社科普及项目申报指南\n\
（一）社科普及讲座类。每个项目举办讲座不少于5场。\n\
（二）社科普及读物类。每个项目出版科普读物1部，字数不少于8万字。\n\
（三）短视频类。每个项目制作短视频不少于10个。\n\
申报书一式三份。\n";
    let s = parse_text("guide", text);
    let ids: Vec<&str> = s.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    assert_eq!(reqs(&s.items[0]), ["event:讲座:5..:-"]);
    assert_eq!(reqs(&s.items[1]), ["report:科普读物:1..1:80000.."]);
    assert_eq!(reqs(&s.items[2]), ["indicator:短视频:10..:-"]);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

/// "…前报送" sends the application or the results, by what the sentence sends: the 申报书's
/// date is the application deadline, the 研究成果's is the item's completion deadline.
#[test]
fn a_submission_date_belongs_to_what_is_submitted() {
    let text = "关于开展2025年度社科普及课题研究的通知\n\
一、研究内容：围绕基层科普开展调研，形成1篇不少于1万字的研究报告。\n\
二、申报要求：申报书一式两份，于2025年4月30日前报送。\n\
三、结项要求：研究成果须于2025年11月30日前报送市社科联。\n";
    let s = parse_text("call", text);
    let apps: Vec<&str> = s
        .application_deadlines
        .iter()
        .map(|d| d.date.as_str())
        .collect();
    assert_eq!(apps, ["2025-04-30"]);
    assert_eq!(s.items.len(), 1, "{:#?}", s.items);
    assert_eq!(s.items[0].deadline.as_deref(), Some("2025-11-30"));
}
