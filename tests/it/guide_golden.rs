//! Golden specs for the five real documents in `corpora/guidelines/`, written by hand from
//! the text. Each item is given as id, title and its requirements in the notation of
//! `guide_phrases.rs` (`kind:label:count:length`); comments say where each figure comes from.

use std::path::Path;
use yanshou::guide::{Item, Range, Spec, parse_path, parse_text};

fn spec(name: &str) -> Spec {
    parse_path(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpora/guidelines")
            .join(name),
    )
    .expect("guideline reads")
}

use crate::common::render_requirement as render;

/// Requirements of an item, qualitative ones shown as `qualitative` only (their label is a
/// shortened quote).
fn reqs(it: &Item) -> Vec<String> {
    it.requirements
        .iter()
        .map(|r| match r.kind {
            yanshou::guide::Kind::Qualitative => "qualitative".to_string(),
            _ => render(r),
        })
        .collect()
}

fn item<'a>(s: &'a Spec, id: &str) -> &'a Item {
    s.items
        .iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("item {id} missing; have {:?}", ids(s)))
}

fn ids(s: &Spec) -> Vec<&str> {
    s.items.iter().map(|i| i.id.as_str()).collect()
}

fn r(min: Option<u64>, max: Option<u64>) -> Option<Range> {
    Some(Range {
        min,
        max,
        per_piece: false,
    })
}

#[test]
fn cast_reform_pilot_guide_2022() {
    let s = spec("2022-cast-reform-pilot-guide.txt");
    // Lines 3-4 of the file: "2022年科协深化改革试点示范与研究项目" / "申报指南".
    assert_eq!(s.title, "2022年科协深化改革试点示范与研究项目申报指南");
    // 一 has items 1-8, 二 has 1-6, 三 has 1-6: ids are category.item.
    let mut want_ids = Vec::new();
    for (c, n) in [(1, 8), (2, 6), (3, 6)] {
        for i in 1..=n {
            want_ids.push(format!("{c}.{i}"));
        }
    }
    assert_eq!(ids(&s), want_ids);
    let titles = [
        (
            "1.1",
            "现代化强国建设背景下学会服务理念转变和参与科技治理机制",
        ),
        ("1.2", "学会服务青年科技工作者成长成才机制"),
        ("1.3", "学会规范化治理及社会公信力提升研究"),
        ("1.6", "学会在科技伦理治理体系中的作用和参与机制"),
        ("1.8", "智慧学会建设模式"),
        ("2.1", "新时代科技工作者联系服务机制创新"),
        ("2.6", "国际科技合作机制创新"),
        ("3.4", "科协融入国家创新体系路径模式研究"),
        ("3.6", "开放科学对科技社团发展与治理的影响研究"),
    ];
    for (id, t) in titles {
        assert_eq!(item(&s, id).title, t, "{id}");
    }
    // Every item of 一 says "挖掘6-8个学会相关案例并整理相关专报，形成1篇3万字以上研究报告、
    // 1篇3000字左右建议报告"; items 3-8 first "组织1次专题交流活动"; items 6-8 ask for a
    // 调研报告 instead of a 研究报告. 3万 = 30000; 3000字左右 is approximate.
    for i in 1..=8 {
        let it = item(&s, &format!("1.{i}"));
        let report = if i >= 6 {
            "调研报告"
        } else {
            "研究报告"
        };
        let mut want = Vec::new();
        if i >= 3 {
            want.push("event:专题交流活动:1..1:-".to_string());
        }
        want.extend([
            "cases:案例:6..8:-".to_string(),
            "report:专报:1..:-".to_string(),
            format!("report:{report}:1..1:30000.."),
            "report:建议报告:1..1:~3000".to_string(),
        ]);
        assert_eq!(reqs(it), want, "1.{i}");
        assert_eq!(it.category.as_deref(), Some("学会改革前瞻调研类项目"));
        // "申报对象为全国学会，每个项目经费30万元" — a per-project cap.
        assert_eq!(it.applicants.as_deref(), Some("全国学会"));
        assert_eq!(it.funding_yuan, r(None, Some(300_000)));
        assert_eq!(it.deadline, None, "the call names no completion date");
    }
    // 二: "探索形成1项以上…制度化改革成果，组织1次专题研讨，挖掘5个以上典型案例，形成若干篇专报
    // 和1篇4万字以上研究报告"; 经费额度为30万元.
    for i in 1..=6 {
        let it = item(&s, &format!("2.{i}"));
        assert_eq!(
            reqs(it),
            [
                "indicator:可复制可推广的制度化改革成果:1..:-",
                "event:专题研讨:1..1:-",
                "cases:典型案例:5..:-",
                "report:专报:1..:-",
                "report:研究报告:1..1:40000..",
            ],
            "2.{i}"
        );
        assert_eq!(
            it.applicants.as_deref(),
            Some("省级、副省级科协，以及具有较好工作基础的地市级科协")
        );
        assert_eq!(it.funding_yuan, r(None, Some(300_000)));
    }
    // 三: "形成1篇3万字以上研究报告、若干分报告、1篇3000字左右建议报告"; 20万元.
    for i in 1..=6 {
        let it = item(&s, &format!("3.{i}"));
        assert_eq!(
            reqs(it),
            [
                "report:研究报告:1..1:30000..",
                "report:分报告:1..:-",
                "report:建议报告:1..1:~3000",
            ],
            "3.{i}"
        );
        assert_eq!(it.funding_yuan, r(None, Some(200_000)));
        assert_eq!(it.category.as_deref(), Some("新时代科协改革规律研究类项目"));
    }
    // Quotes are the call's own words.
    let q: Vec<&str> = item(&s, "1.1")
        .requirements
        .iter()
        .map(|r| r.quote.as_str())
        .collect();
    assert_eq!(
        q,
        [
            "挖掘6-8个学会相关案例",
            "整理相关专报",
            "形成1篇3万字以上研究报告",
            "1篇3000字左右建议报告"
        ]
    );
    assert!(s.warnings.is_empty());
}

#[test]
fn society_governance_topics_2020() {
    let s = spec("2020-sci-society-governance-topics.txt");
    assert_eq!(s.title, "科技社团改革与国家治理现代化系列研究课题申报指南");
    // 课题1-4, no categories.
    assert_eq!(ids(&s), ["1", "2", "3", "4"]);
    assert_eq!(
        item(&s, "1").title,
        "坚持和加强党对科技社团的全面领导，引领科技社团正确发展方向"
    );
    assert_eq!(
        item(&s, "4").title,
        "强化科技社团价值引领作用，广泛融入文化建设与社会治理"
    );
    for it in &s.items {
        assert_eq!(it.category, None);
        // "本课题实施周期：2020年4月-2020年9月" → the end of September.
        assert_eq!(it.deadline.as_deref(), Some("2020-09-30"), "{}", it.id);
        // 考核指标 1 "形成并提交研究报告，字数5万字左右" (no count → 1..); 2-6 have no figure:
        // 系统梳理…政策文件, 提出…建议 (three lines), 有效支撑…起草过程.
        assert_eq!(
            reqs(it),
            [
                "report:研究报告:1..:~50000",
                "qualitative",
                "qualitative",
                "qualitative",
                "qualitative",
                "qualitative"
            ],
            "{}",
            it.id
        );
        // The 研究内容 paragraph is not read as deliverables when 考核指标 exist
        // (课题3 says "收集整理…典型案例" as research content).
        assert!(it.requirements.iter().all(|r| r.label != "典型案例"));
    }
    let q = &item(&s, "1").requirements[1].quote;
    assert_eq!(
        q,
        "系统梳理党的十八大以来中央、有关部门以及部分地方党政关于科技社团政治引领和党建工作的政策文件和工作部署"
    );
}

#[test]
fn hunan_society_capacity_plan_2022() {
    let s = spec("2022-hunan-society-capacity-plan.txt");
    assert_eq!(s.title, "2022年度学会服务能力提升计划项目申报指南");
    // 四、项目内容及要求 wraps every item, so ids start at （一）（二）（三）.
    assert_eq!(
        ids(&s),
        ["1", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4"]
    );
    // 一、申报要求 4: "所有申报项目应于2022年12月底前完成" applies to every item.
    for it in &s.items {
        assert_eq!(it.deadline.as_deref(), Some("2022-12-31"), "{}", it.id);
    }
    let one = item(&s, "1");
    assert_eq!(one.title, "第24届中国科协年会服务引导项目");
    assert_eq!(one.applicants.as_deref(), Some("省级学会、市州科协"));
    // "项目数量：5-8个。" "经费安排：50万元，5-10万元/个。"
    assert_eq!(one.quantity, r(Some(5), Some(8)));
    assert_eq!(one.funding_yuan, r(Some(50_000), Some(100_000)));
    // "项目要求：为第24届中国科协年会有关专题活动提供服务。" — no figure.
    assert_eq!(reqs(one), ["qualitative"]);

    let it = item(&s, "2.1");
    assert_eq!(it.title, "湖南科技论坛及院士专家市州行活动");
    assert_eq!(it.category.as_deref(), Some("“科创中国”湖南行动引导项目"));
    assert_eq!(it.quantity, r(Some(4), Some(4)));
    assert_eq!(it.funding_yuan, r(None, Some(100_000)), "10万元/个");
    // "要求参加活动的院士专家5名以上"
    assert_eq!(reqs(it), ["indicator:院士专家:5..:-"]);

    // "经费安排：100万元，20-30万元/个。"
    assert_eq!(
        item(&s, "2.2").funding_yuan,
        r(Some(200_000), Some(300_000))
    );

    let it = item(&s, "2.3");
    assert_eq!(it.title, "“科创中国”湖南中心建设");
    assert_eq!(it.applicants.as_deref(), Some("省级学会"));
    assert_eq!(it.funding_yuan, r(None, Some(600_000)), "60万元/个");
    // The 项目内容 paragraph, figure by figure.
    assert_eq!(
        reqs(it),
        [
            "indicator:成果等创新资源入驻网络平台:10000..10000:-", // 新增1万家（人、件）
            "indicator:创新达人:100..100:-",                       // 评选“创新达人”100人
            "event:创新方法培训和创新工程师培训:4..:-",            // …培训4次以上
            "indicator:培训人员:400..:-",                          // 培训人员400人以上
            "event:专家技术进园区入企业服务活动:4..:-",            // …服务活动4次以上
            "event:“揭榜挂帅”活动:1..:-",                          // 组织“揭榜挂帅”活动1次以上
            "event:企业科协人员业务培训:2..:-",                    // 举办…业务培训2次以上
            "indicator:培训人员:100..:-",                          // 培训人员100人以上
            "indicator:企业科协服务企业技术创新典型示范工作:2..:-", // 开展2个片区以上…
            "indicator:技术服务:4..:-",                            // 提供技术服务4次以上
        ]
    );

    let it = item(&s, "3.2");
    assert_eq!(it.title, "科技服务");
    assert_eq!(it.category.as_deref(), Some("学会创新发展引导项目"));
    assert_eq!(it.quantity, r(Some(10), Some(10)));
    assert_eq!(
        reqs(it),
        [
            "indicator:专家团队:50..:-",           // 建立50人以上专家团队
            "indicator:线上服务次数:50..:-",       // 线上服务次数不少于50次
            "event:线下活动:5..:-",                // 线下活动不少于5次
            "indicator:科技志愿者注册人数:50..:-", // 注册人数不少于50人
            "event:科技志愿服务活动:4..:-",        // 开展科技志愿服务活动不少于4次
        ]
    );
    // 3.1, 3.3, 3.4 and 2.2 state no figure: one qualitative requirement from their content.
    for id in ["2.2", "3.1", "3.3", "3.4"] {
        assert_eq!(reqs(item(&s, id)), ["qualitative"], "{id}");
    }
    // "（3）项目数量：14个。其中学会党建3个…"; "5-20万元/个".
    assert_eq!(item(&s, "3.3").quantity, r(Some(14), Some(14)));
    assert_eq!(item(&s, "3.3").funding_yuan, r(Some(50_000), Some(200_000)));
}

#[test]
fn xuzhou_society_capacity_plan_2022() {
    let s = spec("2022-xuzhou-society-capacity-plan.txt");
    // The text has "2022 年度徐州市科协提升学会服务科技创新 能力计划项目指南" with stray spaces.
    assert_eq!(
        s.title,
        "2022年度徐州市科协提升学会服务科技创新能力计划项目指南"
    );
    assert_eq!(ids(&s), ["1", "2.1", "2.2", "2.3", "3.1", "3.2"]);
    // "于2022年6月5日前完成申报；…于2022年11月10日前完成申报" are application deadlines, and
    // the call names no completion date ("年末进行验收考核").
    let app: Vec<&str> = s
        .application_deadlines
        .iter()
        .map(|d| d.date.as_str())
        .collect();
    assert_eq!(app, ["2022-06-05", "2022-11-10"]);
    assert!(s.items.iter().all(|i| i.deadline.is_none()));

    let it = item(&s, "1");
    assert_eq!(it.title, "一流学会建设");
    // 相关要求: 1) 评估等级不低于4A级 and 2) 保障机制 have no deliverable figure; (3) "项目考核须
    // 提交项目总结报告，并提供一个突破性工作案例或一项品牌建设案例" is a report and an
    // either/or case.
    assert_eq!(
        reqs(it),
        [
            "qualitative",
            "qualitative",
            "report:项目总结报告:1..:-",
            "cases:案例:1..1:-[突破性工作案例/品牌建设案例]",
        ]
    );
    let alt = &it.requirements[3];
    assert_eq!(alt.quote, "提供一个突破性工作案例或一项品牌建设案例");

    let it = item(&s, "2.2");
    assert_eq!(it.title, "学术和科技服务特色学会");
    assert_eq!(it.category.as_deref(), Some("创新特色学会"));
    // (2) is split over two lines by the PDF converter ("…位居" / "前列；") and stays one.
    assert_eq!(
        reqs(it),
        [
            "qualitative",
            "qualitative",
            "event:学术交流活动:2..:-", // 主办或承办学术交流活动不少于2场
            "event:全国或全省(区域)性学术交流活动:1..:-", // 且至少一场是全国或全省…
            "cases:典型案例:1..:-",     // 服务产业链发展中形成典型案例
            // 四、相关要求 （二）: "考核须提交总结报告等材料" holds for every item; item 1
            // already asks for its 项目总结报告, so it is not added there.
            "report:总结报告:1..:-",
        ]
    );
    let shared = item(&s, "2.2").requirements.last().unwrap();
    assert_eq!(shared.quote, "提交总结报告");
    // (3) "牵头组织的科普活动不少于3场次/年" among four qualitative lines.
    assert_eq!(
        reqs(item(&s, "2.3")),
        [
            "qualitative",
            "qualitative",
            "event:科普活动:3..:-",
            "qualitative",
            "qualitative",
            "report:总结报告:1..:-",
        ]
    );
    for (id, n) in [("2.1", 4), ("3.1", 3), ("3.2", 3)] {
        let mut want = vec!["qualitative"; n];
        want.push("report:总结报告:1..:-");
        assert_eq!(reqs(item(&s, id)), want, "{id}");
    }
}

#[test]
fn policy_paper_has_no_items_and_says_so() {
    let s = spec("14th-fyp-cast-reform-tasks-policy.txt");
    assert_eq!(s.title, "“十四五”时期推进科协系统深化改革重点任务工作方案");
    assert!(s.items.is_empty(), "{:?}", ids(&s));
    assert_eq!(s.warnings.len(), 1);
    assert!(s.warnings[0].contains("政策文件"));
}

/// The cast-reform call as a web-page copy would garble it: stray spaces, full-width digits,
/// Traditional characters, a page number, converter junk, and two items run together in one
/// paragraph. The spec must not change.
#[test]
fn messy_copy_reads_like_the_clean_text() {
    let clean = "2022年科协深化改革试点示范与研究项目申报指南\n\
一、学会改革前瞻调研类项目\n\
此类项目申报对象为全国学会，每个项目经费30万元。\n\
1.智慧学会建设模式。组织1次专题交流活动，挖掘6-8个学会相关案例并整理相关专报，形成1篇3万字以上调研报告、1篇3000字左右建议报告。\n\
2.学会融入全球创新治理的路径和策略。组织1次专题交流活动，形成1篇3万字以上研究报告。\n";
    let messy = "[bookmark: _Hlk1]2022年科协深化改革试点示范与研究项目申报指南\n\
一、学会改革前瞻调研类项目\n\
此类项目申报对象为全国学会，每个项目经费３０萬元。\n\
- 3 -\n\
1．智慧学会建设模式。组织 1 次专题交流活动，挖掘６～８个学会相关案例并整理相关專報，形成1篇3萬字以上調研報告、1篇3000字左右建议报告。2.学会融入全球创新治理的路径和策略。组织1次专题交流活动，形成1篇 3 万字以上研究报告。\n";
    let a = parse_text("a", clean);
    let b = parse_text("a", messy);
    assert_eq!(ids(&a), ["1.1", "1.2"]);
    assert_eq!(ids(&b), ids(&a));
    for (x, y) in a.items.iter().zip(&b.items) {
        assert_eq!(x.title, y.title);
        assert_eq!(x.funding_yuan, y.funding_yuan);
        assert_eq!(reqs(x), reqs(y));
    }
    assert_eq!(
        reqs(&b.items[0]),
        [
            "event:专题交流活动:1..1:-",
            "cases:案例:6..8:-",
            "report:专报:1..:-",
            "report:调研报告:1..1:30000..",
            "report:建议报告:1..1:~3000"
        ]
    );
    // The quote is the messy original, so a reviewer can find it in the file.
    assert_eq!(b.items[0].requirements[1].quote, "挖掘６～８个学会相关案例");
}

/// The same calls as Word and PDF files (converted by LibreOffice, see
/// corpora/tools/convert_guidelines.sh) read to the same spec as their text.
#[test]
fn docx_and_pdf_calls_read_like_their_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora");
    let strip = |mut s: Spec| {
        s.source = String::new();
        s
    };
    for name in [
        "2022-cast-reform-pilot-guide",
        "2022-hunan-society-capacity-plan",
        "2020-sci-society-governance-topics",
    ] {
        let txt = strip(spec(&format!("{name}.txt")));
        for ext in ["docx", "pdf"] {
            let other = strip(
                parse_path(
                    &dir.join("guidelines-converted")
                        .join(format!("{name}.{ext}")),
                )
                .unwrap(),
            );
            assert_eq!(other, txt, "{name}.{ext}");
        }
    }
}

/// PDF paragraph joining runs a 课题 heading into its 研究内容 line; the spec must not change.
#[test]
fn a_heading_run_into_its_first_field() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpora/guidelines/2020-sci-society-governance-topics.txt"),
    )
    .unwrap();
    let joined = text.replace("方向\n研究内容：", "方向研究内容：");
    assert_ne!(joined, text);
    let a = parse_text("a", &text);
    let b = parse_text("a", &joined);
    assert_eq!(
        b.items[0].title,
        "坚持和加强党对科技社团的全面领导，引领科技社团正确发展方向"
    );
    assert_eq!(
        a.items.iter().map(reqs).collect::<Vec<_>>(),
        b.items.iter().map(reqs).collect::<Vec<_>>()
    );
}

#[test]
fn spec_round_trips_through_json_and_hand_edits() {
    let s = spec("2022-cast-reform-pilot-guide.txt");
    let json = serde_json::to_string_pretty(&s).unwrap();
    let back: Spec = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    // A reviewer edits the length of one requirement by hand; it loads back as edited.
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["items"][0]["requirements"][2]["length"]["min"] = serde_json::json!(25000);
    let edited: Spec = serde_json::from_value(v).unwrap();
    assert_eq!(
        edited.items[0].requirements[2].length.as_ref().unwrap().min,
        Some(25000)
    );
    let again: Spec = serde_json::from_str(&serde_json::to_string(&edited).unwrap()).unwrap();
    assert_eq!(again, edited);
}

#[test]
fn every_spec_validates_against_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/spec.v1.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    for e in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/guidelines")).unwrap()
    {
        let p = e.unwrap().path();
        let s = parse_path(&p).unwrap();
        let json = serde_json::to_value(&s).unwrap();
        let errs: Vec<String> = v.iter_errors(&json).map(|e| e.to_string()).collect();
        assert!(errs.is_empty(), "{}: {errs:?}", p.display());
    }
}

#[test]
fn items_are_found_by_id_title_or_unique_part() {
    let s = spec("2022-cast-reform-pilot-guide.txt");
    assert_eq!(s.find_item("1.8").unwrap().title, "智慧学会建设模式");
    assert_eq!(s.find_item("智慧学会建设模式").unwrap().id, "1.8");
    assert_eq!(s.find_item("科技伦理").unwrap().id, "1.6");
    // 学会 is in many titles: ambiguous, and the message lists the candidates.
    let e = s.find_item("学会").unwrap_err().to_string();
    assert!(e.contains("多个项目") && e.contains("1.1"), "{e}");
    assert!(s.find_item("不存在的题目").is_err());
}

#[test]
fn a_docx_call_reads_like_its_text() {
    use std::io::Write;
    let body: String = [
        "2022年科协深化改革试点示范与研究项目申报指南",
        "一、学会改革前瞻调研类项目",
        "此类项目申报对象为全国学会，每个项目经费30万元。",
        "1.智慧学会建设模式。组织1次专题交流活动，形成1篇3万字以上调研报告。",
    ]
    .iter()
    .map(|t| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>"))
    .collect();
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("word/document.xml", o).unwrap();
        write!(z, r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#).unwrap();
        z.finish().unwrap();
    }
    let doc = yanshou::extract::extract_bytes(buf.into_inner(), "docx").unwrap();
    let s = yanshou::guide::parse_document("call.docx", &doc);
    assert_eq!(ids(&s), ["1.1"]);
    assert_eq!(
        reqs(&s.items[0]),
        ["event:专题交流活动:1..1:-", "report:调研报告:1..1:30000.."]
    );
}

mod never_panics {
    use proptest::prelude::*;
    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        /// Arbitrary lines over the characters the parser reacts to never panic it.
        #[test]
        fn on_arbitrary_calls(s in "[一二三十（）()、.．1234５６万字篇个次以上左右至-～课题：:研究报告案例组织形成。；，\n 不少于约或和年月日底]{0,200}") {
            let _ = yanshou::guide::parse_text("p", &s);
        }
    }
}

/// A call in another house style (written for this test, not one of the five): 课题一 with
/// 成果形式 / 完成时间 / 资助金额 lines, Traditional characters, counts after the noun, lengths in
/// parentheses, an application deadline that must not become a requirement.
#[test]
fn another_house_style() {
    let text = "附件2\n2023年度省科协决策咨询课题指南\n一、重点课题\n课题一：科技社团参与基层社会治理研究\n\
研究内容：分析科技社团参与基层治理的现状和问题。\n\
成果形式：提交不少于2萬字的研究報告1份，政策建议报告1份（3000-5000字）；召开专题研讨会不少于2场；形成典型案例10个以上。\n\
完成时间：2023年11月30日前。\n课题二：青年科技人才成长环境调查\n研究内容：开展问卷调查，样本量不少于2000份。\n\
成果形式：调研报告1篇（1.5万字左右），专报2期。\n资助金额：每项5万元。\n二、一般课题\n（一）学会数字化转型路径研究\n\
成果要求：形成研究报告1篇，字数不少于1万字。\n申报截止时间：2023年5月31日。\n";
    let s = parse_text("t", text);
    assert_eq!(s.title, "2023年度省科协决策咨询课题指南");
    assert_eq!(ids(&s), ["1.1", "1.2", "2.1"]);
    let it = item(&s, "1.1");
    assert_eq!(it.category.as_deref(), Some("重点课题"));
    assert_eq!(it.deadline.as_deref(), Some("2023-11-30"));
    // 2萬字 = 20000; "不少于2000份" is 研究内容, not a deliverable, since 成果形式 is given.
    assert_eq!(
        reqs(it),
        [
            "report:研究报告:1..1:20000..",
            "report:政策建议报告:1..1:3000..5000",
            "event:专题研讨会:2..:-",
            "cases:典型案例:10..:-",
        ]
    );
    let it = item(&s, "1.2");
    assert_eq!(it.funding_yuan, r(None, Some(50_000)), "每项5万元");
    assert_eq!(
        reqs(it),
        ["report:调研报告:1..1:~15000", "report:专报:2..2:-"]
    );
    // The application deadline is kept apart, not read as a requirement of 2.1.
    assert_eq!(reqs(item(&s, "2.1")), ["report:研究报告:1..1:10000.."]);
    assert_eq!(s.application_deadlines[0].date, "2023-05-31");
    assert_eq!(item(&s, "2.1").deadline, None);
}
