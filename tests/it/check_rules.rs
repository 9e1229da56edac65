//! The acceptance checks on hand-made file facts: each rule with its boundary cases, the
//! figures worked out by hand (3000字左右 with ±20% allows 2400–3600 inclusive).

use yanshou::check::{CheckSettings, LabelSource, Status, SubmittedFile, Verdict, check_project};
use yanshou::count::Counts;
use yanshou::facts::FileFacts;

use crate::common::{self, item, req};
use yanshou::guide::{Kind, Length, Range, Requirement};
use yanshou::report::{FileStatus, TextSource};

fn counts(words: u64) -> Counts {
    Counts {
        words,
        cjk_chars: words,
        ..Counts::default()
    }
}

fn facts(words: u64, body: u64) -> FileFacts {
    FileFacts {
        counts: Some(counts(words)),
        body_counts: Some(counts(body)),
        excluded: if words > body {
            vec![("附录".into(), words - body)]
        } else {
            vec![]
        },
        ..common::facts()
    }
}

fn file(path: &str, label: &'static str, f: FileFacts) -> SubmittedFile {
    SubmittedFile {
        path: path.into(),
        facts: f,
        label: Some(label),
        label_source: LabelSource::Name,
        ..Default::default()
    }
}

fn status_of(r: Requirement, files: &[SubmittedFile]) -> Status {
    check_project(&item(vec![r]), files, None, &CheckSettings::default()).requirements[0].status
}

fn approx(a: u64) -> Option<Length> {
    Some(Length {
        approx: Some(a),
        ..Length::default()
    })
}

fn at_least(n: u64) -> Option<Length> {
    Some(Length {
        min: Some(n),
        ..Length::default()
    })
}

#[test]
fn approximate_length_tolerance_boundaries() {
    // 3000 × 0.8 = 2400 and 3000 × 1.2 = 3600 are inside; one 字 beyond is not.
    for (words, want) in [
        (2399, Status::Fail),
        (2400, Status::Pass),
        (3000, Status::Pass),
        (3600, Status::Pass),
        (3601, Status::Fail),
    ] {
        let r = req(Kind::Report, "建议报告", Range::exactly(1), approx(3000));
        let f = [file("a.docx", "建议报告", facts(words, words))];
        assert_eq!(status_of(r, &f), want, "{words}");
    }
    // With a 10% tolerance 3301 is out.
    let s = CheckSettings {
        approx_tolerance: 0.1,
        ..CheckSettings::default()
    };
    let r = req(Kind::Report, "建议报告", Range::exactly(1), approx(3000));
    let f = [file("a.docx", "建议报告", facts(3301, 3301))];
    assert_eq!(
        check_project(&item(vec![r]), &f, None, &s).requirements[0].status,
        Status::Fail
    );
}

#[test]
fn minimum_length_is_checked_on_the_body() {
    let r = || req(Kind::Report, "研究报告", Range::exactly(1), at_least(30000));
    // 32,000 in all but 29,999 without the appendix: the appendix does not pad it over.
    let padded = [file("r.docx", "研究报告", facts(32000, 29999))];
    let res = check_project(&item(vec![r()]), &padded, None, &CheckSettings::default());
    assert_eq!(res.requirements[0].status, Status::Fail);
    assert!(res.requirements[0].actual.contains("29,999字"));
    assert!(res.requirements[0].evidence[0].detail.contains("附录"));
    assert_eq!(res.verdict, Verdict::Fail);
    // Exactly 30,000 in the body passes.
    let f = [file("r.docx", "研究报告", facts(30500, 30000))];
    assert_eq!(status_of(r(), &f), Status::Pass);
    // length_scope = total counts the whole file.
    let s = CheckSettings {
        length_scope: yanshou::check::LengthScope::Total,
        ..CheckSettings::default()
    };
    assert_eq!(
        check_project(&item(vec![r()]), &padded, None, &s).requirements[0].status,
        Status::Pass
    );
}

/// The facts of a scanned report whose 字数 OCR estimated at `words`.
fn scan(words: u64) -> FileFacts {
    let mut f = facts(words, words);
    f.format = Some("pdf".into());
    f.source = Some(TextSource::Ocr);
    f.ocr_words = words;
    f
}

#[test]
fn ocr_estimates_are_reviewed_never_passed_or_failed() {
    let r = || req(Kind::Report, "研究报告", Range::exactly(1), at_least(30000));
    let run = |f: FileFacts, s: &CheckSettings| {
        check_project(&item(vec![r()]), &[file("r.pdf", "研究报告", f)], None, s).requirements[0]
            .clone()
    };
    let d = CheckSettings::default();
    // 34,000 − 10% = 30,600 ≥ 30,000: clears by the margin.
    let a = run(scan(34000), &d);
    assert_eq!(a.status, Status::Review);
    assert!(
        a.actual.starts_with("扫描件，OCR 估计已达要求"),
        "{}",
        a.actual
    );
    assert!(a.actual.contains("30,600–37,400"), "{}", a.actual);
    // 27,000 + 10% = 29,700 < 30,000: short by the margin.
    let b = run(scan(27000), &d);
    assert_eq!(b.status, Status::Review);
    assert!(
        b.actual.starts_with("扫描件，OCR 估计不足要求"),
        "{}",
        b.actual
    );
    // 31,000 ± 3,100 straddles 30,000: neither.
    let c = run(scan(31000), &d);
    assert_eq!(c.status, Status::Review);
    assert!(
        c.actual.starts_with("扫描件，OCR 估计接近要求"),
        "{}",
        c.actual
    );
    // The margin is configurable: at 2%, 31,000 − 620 = 30,380 clears.
    let tight = CheckSettings {
        ocr_margin: 0.02,
        ..CheckSettings::default()
    };
    assert!(
        run(scan(31000), &tight)
            .actual
            .starts_with("扫描件，OCR 估计已达要求")
    );
    // A digital report with one scanned page: its text layer alone (30,900) clears → pass.
    let mut mixed = facts(31000, 31000);
    mixed.source = Some(TextSource::Mixed);
    mixed.ocr_words = 100;
    assert_eq!(run(mixed.clone(), &d).status, Status::Pass);
    // … but one that needs its scanned pages (29,000 + 2,000) is an estimate: review.
    mixed.ocr_words = 2000;
    let m = run(mixed, &d);
    assert_eq!(m.status, Status::Review);
    assert!(
        m.actual.starts_with("扫描件，OCR 估计已达要求"),
        "{}",
        m.actual
    );
    // Too long: 约5000字 (±20% → 4000–6000) and an estimate of 9,000 ± 900.
    let short = req(Kind::Report, "研究报告", Range::exactly(1), approx(5000));
    let f = [file("r.pdf", "研究报告", scan(9000))];
    let x = check_project(&item(vec![short]), &f, None, &d).requirements[0].clone();
    assert_eq!(x.status, Status::Review);
    assert!(
        x.actual.starts_with("扫描件，OCR 估计超出要求"),
        "{}",
        x.actual
    );
}

#[test]
fn missing_scanned_and_related_reports() {
    let r = || req(Kind::Report, "研究报告", Range::exactly(1), at_least(30000));
    assert_eq!(status_of(r(), &[]), Status::Missing);
    // A scanned PDF is never passed or failed on length.
    let mut scan = facts(0, 0);
    scan.status = FileStatus::NoText;
    scan.counts = None;
    scan.body_counts = None;
    assert_eq!(
        status_of(r(), &[file("r.pdf", "研究报告", scan)]),
        Status::Review
    );
    // A 调研报告 stands in for a 研究报告.
    let f = [file("d.docx", "调研报告", facts(31000, 31000))];
    assert_eq!(status_of(r(), &f), Status::Pass);
    // Two reports asked, one given: fail, not missing.
    let two = req(Kind::Report, "专报", Range::at_least(2), None);
    let f = [file("z.docx", "专报", facts(1500, 1500))];
    assert_eq!(status_of(two, &f), Status::Fail);
    // One file cannot satisfy two requirements: 研究报告 and 调研报告 both asked, one file.
    let both = item(vec![
        req(Kind::Report, "调研报告", Range::exactly(1), None),
        req(Kind::Report, "研究报告", Range::exactly(1), None),
    ]);
    let f = [file("d.docx", "调研报告", facts(31000, 31000))];
    let res = check_project(&both, &f, None, &CheckSettings::default());
    let st: Vec<Status> = res.requirements.iter().map(|r| r.status).collect();
    assert_eq!(st, [Status::Pass, Status::Missing]);
}

#[test]
fn cases_are_counted_in_collections_and_files() {
    let r = || req(Kind::Cases, "案例", Range::between(6, 8), None);
    let mut coll = facts(5000, 5000);
    coll.cases = (1..=5).map(|i| format!("案例{i}：某学会")).collect();
    // 5 of 6–8 → fail; plus two single case files → 7 → pass.
    assert_eq!(
        status_of(r(), &[file("c.docx", "案例集", coll.clone())]),
        Status::Fail
    );
    let files = [
        file("c.docx", "案例集", coll.clone()),
        file("a1.docx", "案例", facts(900, 900)),
        file("a2.docx", "案例", facts(900, 900)),
    ];
    assert_eq!(status_of(r(), &files), Status::Pass);
    // A collection headed （一）（二）… without 案例N counts its numbered headings.
    let mut numbered = facts(5000, 5000);
    numbered.numbered_headings = (1..=6).map(|i| format!("（{i}）某学会")).collect();
    assert_eq!(
        status_of(r(), &[file("c.docx", "案例集", numbered)]),
        Status::Pass
    );
    // No case files at all → missing.
    assert_eq!(
        status_of(r(), &[file("r.docx", "研究报告", facts(10, 10))]),
        Status::Missing
    );
    // Either/or: a case is there, which kind needs a reader.
    let mut alt = req(Kind::Cases, "案例", Range::exactly(1), None);
    alt.alternatives = vec!["突破性工作案例".into(), "品牌建设案例".into()];
    assert_eq!(
        status_of(alt, &[file("a1.docx", "案例", facts(900, 900))]),
        Status::Review
    );
}

#[test]
fn events_need_evidence_documents() {
    let r = || req(Kind::Event, "专题交流活动", Range::exactly(1), None);
    let mut minutes = facts(120, 120);
    minutes.title = Some("专题交流活动会议纪要".into());
    assert_eq!(
        status_of(r(), &[file("m.docx", "会议纪要", minutes.clone())]),
        Status::Pass
    );
    // Minutes of another event are not evidence for this one.
    let mut other = facts(120, 120);
    other.title = Some("年度工作会议纪要".into());
    assert_eq!(
        status_of(r(), &[file("m.docx", "会议纪要", other)]),
        Status::Missing
    );
    // Only mentioned in a report: review.
    let mut rep = facts(30000, 30000);
    rep.events = vec!["2022年10月，项目组召开专题交流活动".into()];
    assert_eq!(
        status_of(r(), &[file("r.docx", "研究报告", rep)]),
        Status::Review
    );
    // Five asked, one sign-in sheet, the summary claims 6 → review; claims 3 → fail.
    let five = || req(Kind::Event, "线下活动", Range::at_least(5), None);
    let mut sheet = facts(100, 100);
    sheet.head = "活动名称：线下活动".into();
    let mut summary = facts(2000, 2000);
    summary.figures = vec!["全年开展线下活动6次".into()];
    let files = [
        file("s.docx", "签到表", sheet.clone()),
        file("z.docx", "总结报告", summary.clone()),
    ];
    assert_eq!(status_of(five(), &files), Status::Review);
    summary.figures = vec!["全年开展线下活动3次".into()];
    let files = [
        file("s.docx", "签到表", sheet),
        file("z.docx", "总结报告", summary),
    ];
    assert_eq!(status_of(five(), &files), Status::Fail);
}

#[test]
fn indicators_compare_claims_with_targets() {
    let mut r = req(Kind::Indicator, "专家团队", Range::at_least(50), None);
    r.unit = Some("人".into());
    let with = |s: &str| {
        let mut f = facts(2000, 2000);
        f.figures = vec![s.into()];
        [file("z.docx", "总结报告", f)]
    };
    assert_eq!(
        status_of(r.clone(), &with("建立了由56人组成的专家团队")),
        Status::Pass
    );
    assert_eq!(status_of(r.clone(), &with("专家团队共49人")), Status::Fail);
    assert_eq!(status_of(r.clone(), &with("专家团队５０人")), Status::Pass);
    // No number for it: a reviewer looks.
    assert_eq!(
        status_of(r.clone(), &with("开展线上服务62次")),
        Status::Review
    );
    // "线上服务次数" is written "线上服务62次".
    let mut t = req(Kind::Indicator, "线上服务次数", Range::at_least(50), None);
    t.unit = Some("次".into());
    assert_eq!(
        status_of(t, &with("全年开展线上服务62次，线下活动6次")),
        Status::Pass
    );
    // A bare target is a floor: 120 of "评选100人" passes; a real cap (以内) does not.
    let mut bare = req(Kind::Indicator, "创新达人", Range::exactly(100), None);
    bare.unit = Some("人".into());
    assert_eq!(status_of(bare, &with("评选创新达人120人")), Status::Pass);
    let mut cap = req(Kind::Indicator, "创新达人", Range::at_most(100), None);
    cap.unit = Some("人".into());
    assert_eq!(status_of(cap, &with("评选创新达人120人")), Status::Fail);
}

#[test]
fn verdict_and_deadline() {
    let reqs = vec![
        req(Kind::Report, "研究报告", Range::exactly(1), None),
        req(Kind::Qualitative, "提出政策建议", Range::at_least(1), None),
    ];
    let mut f = facts(100, 100);
    f.date = Some("2023-01-05".into());
    let files = [file("r.docx", "研究报告", f)];
    let res = check_project(&item(reqs.clone()), &files, None, &CheckSettings::default());
    // A qualitative requirement always needs a reviewer.
    assert_eq!(res.verdict, Verdict::Review);
    // A file dated after the deadline adds a review row with the file.
    let res = check_project(
        &item(reqs),
        &files,
        Some("2022-12-31"),
        &CheckSettings::default(),
    );
    let last = res.requirements.last().unwrap();
    assert_eq!(last.label, "完成期限");
    assert_eq!(last.status, Status::Review);
    assert_eq!(last.evidence[0].path, "r.docx");
    // Pass only when everything passes.
    let ok = item(vec![req(Kind::Report, "研究报告", Range::exactly(1), None)]);
    let files = [file("r.docx", "研究报告", facts(100, 100))];
    assert_eq!(
        check_project(&ok, &files, Some("2022-12-31"), &CheckSettings::default()).verdict,
        Verdict::Pass
    );
}

#[test]
fn files_are_classified_by_name_title_and_content() {
    use yanshou::check::classify;
    let f = facts(10, 10);
    assert_eq!(classify("2022年项目总结报告.docx", &f).0, Some("总结报告"));
    assert_eq!(classify("关于X的建议报告.docx", &f).0, Some("建议报告"));
    assert_eq!(
        classify("活动/专题交流活动会议纪要.pdf", &f).0,
        Some("会议纪要")
    );
    assert_eq!(classify("附件3.docx", &f).0, None);
    let mut t = facts(10, 10);
    t.title = Some("学会科技奖项研究报告".into());
    assert_eq!(
        classify("附件1.docx", &t),
        (Some("研究报告"), LabelSource::Title)
    );
    let mut c = facts(10, 10);
    c.cases = vec!["案例一：A".into(), "案例二：B".into()];
    assert_eq!(
        classify("附件2.docx", &c),
        (Some("案例集"), LabelSource::Content)
    );
}

#[test]
fn a_doubtful_body_gives_review_with_both_figures_not_fail() {
    let r = || req(Kind::Report, "研究报告", Range::exactly(1), at_least(30000));
    // Body 0 of 31,000 (a 目录 misread as the start of the appendix): review, both figures.
    let zero = [file("r.docx", "研究报告", facts(31000, 0))];
    let res = check_project(&item(vec![r()]), &zero, None, &CheckSettings::default());
    let req0 = &res.requirements[0];
    assert_eq!(req0.status, Status::Review);
    assert!(req0.actual.contains("正文识别可疑"), "{}", req0.actual);
    assert!(req0.actual.contains("正文0字") && req0.actual.contains("全文31,000字"));
    assert!(req0.evidence[0].detail.contains("正文识别可疑"));
    assert_eq!(res.verdict, Verdict::Review);
    // 15,499 of 31,000 is under half (15,500 would be half): still doubted.
    let under = [file("r.docx", "研究报告", facts(31000, 15499))];
    assert_eq!(status_of(r(), &under), Status::Review);
    // Exactly half is not doubted: the body is believed and fails on its figure.
    let half = [file("r.docx", "研究报告", facts(31000, 15500))];
    assert_eq!(status_of(r(), &half), Status::Fail);
    // A doubted body that still meets the requirement passes: the doubt cannot lower it.
    let r2 = req(Kind::Report, "研究报告", Range::exactly(1), at_least(3000));
    assert_eq!(status_of(r2, &under), Status::Pass);
    // Checked on the whole text, the body is not used and not doubted.
    let total = CheckSettings {
        length_scope: yanshou::check::LengthScope::Total,
        ..CheckSettings::default()
    };
    let small = [file("r.docx", "研究报告", facts(20000, 0))];
    assert_eq!(
        check_project(&item(vec![r()]), &small, None, &total).requirements[0].status,
        Status::Fail
    );
}

#[test]
fn the_calls_own_words_are_no_evidence() {
    let quote = "探索形成1项以上可复制可推广的制度化改革成果";
    let mut r = req(Kind::Indicator, "制度化改革成果", Range::at_least(1), None);
    r.unit = Some("项".into());
    r.quote = quote.into();
    let with = |s: &str| {
        let mut f = facts(2000, 2000);
        f.figures = vec![s.into()];
        [file("z.docx", "总结报告", f)]
    };
    // The report restates the item (punctuation and width changed): no claim of its own.
    assert_eq!(
        status_of(
            r.clone(),
            &with("根据指南，本项目要“探索形成１项以上可复制、可推广的制度化改革成果”。")
        ),
        Status::Review
    );
    // Its own claim differs at the number: it counts.
    assert_eq!(
        status_of(
            r.clone(),
            &with("本项目形成了2项可复制可推广的制度化改革成果。")
        ),
        Status::Pass
    );
    // Same number, own words: "探索形成1项" shares only 6 characters with the number in them.
    assert_eq!(
        status_of(
            r,
            &with("探索形成1项可复制可推广的制度化改革成果，即章程修订机制。")
        ),
        Status::Pass
    );
    // An event the call asks for, restated in a report, is not a mention of holding it.
    let mut e = req(Kind::Event, "专题交流活动", Range::at_least(1), None);
    e.quote = "组织1次专题交流活动".into();
    let mut f = facts(2000, 2000);
    f.events = vec!["任务书要求组织1次专题交流活动".into()];
    let files = [file("z.docx", "总结报告", f)];
    assert_eq!(status_of(e.clone(), &files), Status::Missing);
    let mut g = facts(2000, 2000);
    g.events = vec!["2022年6月组织召开了专题交流活动".into()];
    let files = [file("z.docx", "总结报告", g)];
    assert_eq!(status_of(e, &files), Status::Review);
}

#[test]
fn sign_in_sheets_show_their_headcount() {
    let run = |r: Requirement, files: &[SubmittedFile]| {
        check_project(&item(vec![r]), files, None, &CheckSettings::default()).requirements[0]
            .clone()
    };
    let mut sheet = facts(200, 200);
    sheet.title = Some("专题交流活动签到表".into());
    sheet.name_rows = Some(12);
    // Event evidence names the sheet's headcount.
    let e = run(
        req(Kind::Event, "专题交流活动", Range::exactly(1), None),
        &[file("签到表.xlsx", "签到表", sheet.clone())],
    );
    assert_eq!(e.status, Status::Pass);
    assert!(
        e.evidence[0].detail.contains("签到名单12人"),
        "{:?}",
        e.evidence
    );
    // A headcount target with no figure claimed: still a review, now with the names found.
    let mut r = req(Kind::Indicator, "培训人员", Range::at_least(400), None);
    r.unit = Some("人".into());
    let i = run(r.clone(), &[file("签到表.xlsx", "签到表", sheet.clone())]);
    assert_eq!(i.status, Status::Review);
    assert!(i.actual.contains("共列12人"), "{}", i.actual);
    // A claim decides the status; the sheet is shown beside it.
    let mut summary = facts(2000, 2000);
    summary.figures = vec!["全年培训人员420人".into()];
    let i = run(
        r,
        &[
            file("z.docx", "总结报告", summary),
            file("签到表.xlsx", "签到表", sheet),
        ],
    );
    assert_eq!(i.status, Status::Pass);
    assert!(i.evidence.iter().any(|e| e.detail.contains("签到名单12人")));
}

#[test]
fn event_photos_are_evidence_with_their_date() {
    let mut photo = facts(0, 0);
    photo.counts = None;
    photo.body_counts = None;
    photo.status = FileStatus::NoText;
    photo.format = Some("image".into());
    photo.date = Some("2022-09-15".into());
    let r = check_project(
        &item(vec![req(
            Kind::Event,
            "专题交流活动",
            Range::exactly(1),
            None,
        )]),
        &[file("活动/专题交流活动照片.jpg", "活动照片", photo)],
        None,
        &CheckSettings::default(),
    )
    .requirements[0]
        .clone();
    assert_eq!(r.status, Status::Pass);
    assert!(
        r.evidence[0].detail.contains("拍摄于2022-09-15"),
        "{:?}",
        r.evidence
    );
}
