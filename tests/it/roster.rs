//! The 立项名单: generated rosters (xlsx with title rows and merged cells, CSV in UTF-8 and
//! GBK, header variants) read into rows, and matched to folders named by number, by title
//! and by organisation. Every expected row and match below is worked out from the fixture
//! as written here, not from the program's output.

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use yanshou::check::Verdict;
use yanshou::roster::{MatchKind, RosterRow, match_folders, read_roster};

/// A roster as a funder's office writes it: a merged title across the top, a line of
/// notes, the header on the third row (one heading wrapped), a 类别 merged down over three
/// projects, completion dates as date cells, a total row under the table.
pub fn write_xlsx_roster(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let plain = Format::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    ws.merge_range(0, 0, 0, 6, "2022年度学会改革专项立项名单", &plain)
        .unwrap();
    ws.write_string(1, 4, "公示日期：2022年6月1日").unwrap();
    let header = [
        "序号",
        "项目编号",
        "项目\n名称",
        "承担单位",
        "负责人",
        "类别",
        "完成时间",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let rows: [[&str; 5]; 4] = [
        [
            "1",
            "P01",
            "学会规范化治理及社会公信力提升研究",
            "中国科学技术史学会",
            "张三",
        ],
        [
            "2",
            "P02",
            "学会科技奖项影响力提升",
            "中国仪器仪表学会",
            "李四",
        ],
        [
            "3",
            "P03",
            "学会参与科技人才评价改革",
            "中国电工技术学会",
            "王五",
        ],
        [
            "4",
            "P04",
            "科技工作者联系服务机制创新试点",
            "浙江省科学技术协会",
            "赵六",
        ],
    ];
    for (i, r) in rows.iter().enumerate() {
        let row = 3 + i as u32;
        for (c, v) in r.iter().enumerate() {
            ws.write_string(row, c as u16, *v).unwrap();
        }
    }
    ws.merge_range(3, 5, 5, 5, "学会改革前瞻调研类项目", &plain)
        .unwrap();
    ws.write_string(6, 5, "地方科协试点示范类项目").unwrap();
    for i in 0..4u32 {
        let d = ExcelDateTime::from_ymd(2022, 12, 31).unwrap();
        ws.write_datetime_with_format(3 + i, 6, &d, &date).unwrap();
    }
    ws.write_string(7, 0, "合计").unwrap();
    ws.write_string(7, 2, "4项").unwrap();
    wb.save(path).unwrap();
}

#[test]
fn xlsx_roster_with_title_rows_and_merged_cells() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("立项名单.xlsx");
    write_xlsx_roster(&p);
    let r = read_roster(&p).unwrap();
    type Seen<'a> = (usize, &'a str, &'a str, Option<&'a str>, Option<&'a str>);
    let got: Vec<Seen> = r
        .rows
        .iter()
        .map(|x| {
            (
                x.line,
                x.number.as_deref().unwrap(),
                x.title.as_str(),
                x.category.as_deref(),
                x.deadline.as_deref(),
            )
        })
        .collect();
    let cat1 = Some("学会改革前瞻调研类项目");
    let d = Some("2022-12-31");
    assert_eq!(
        got,
        [
            (4, "P01", "学会规范化治理及社会公信力提升研究", cat1, d),
            (5, "P02", "学会科技奖项影响力提升", cat1, d),
            (6, "P03", "学会参与科技人才评价改革", cat1, d),
            (
                7,
                "P04",
                "科技工作者联系服务机制创新试点",
                Some("地方科协试点示范类项目"),
                d
            ),
        ]
    );
    assert_eq!(r.rows[1].org.as_deref(), Some("中国仪器仪表学会"));
    assert_eq!(r.rows[3].leader.as_deref(), Some("赵六"));
    // The 合计 row is no project and no warning.
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

/// The same table in the CSV shapes Excel saves: UTF-8 with a BOM, and GBK; other headings
/// (课题名称, 申报单位, 课题编号, 研究方向, 截止日期), a title line above.
#[test]
fn csv_rosters_utf8_and_gbk() {
    let text = "2022年度课题立项清单,,,,\n\
                课题编号,课题名称,申报单位,研究方向,截止日期\n\
                KT-01,《学会服务青年科技工作者成长成才机制》,中国青年科技工作者协会,1.2,2022/12/31\n\
                KT-02,学会融入全球创新治理,\"中国科学技术协会国际联络部课题组\",学会融入全球创新治理的路径和策略,2023年6月\n\
                ,,,,\n\
                KT-03,,某学会,1.8,\n";
    let dir = tempfile::tempdir().unwrap();
    let utf8 = dir.path().join("项目清单.csv");
    let mut b = b"\xEF\xBB\xBF".to_vec();
    b.extend_from_slice(text.as_bytes());
    std::fs::write(&utf8, b).unwrap();
    let gbk = dir.path().join("项目清单-gbk.csv");
    let (g, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    std::fs::write(&gbk, g).unwrap();
    for p in [&utf8, &gbk] {
        let r = read_roster(p).unwrap();
        assert_eq!(r.rows.len(), 2, "{}", p.display());
        let a = &r.rows[0];
        assert_eq!(a.line, 3);
        assert_eq!(a.number.as_deref(), Some("KT-01"));
        assert_eq!(a.title, "《学会服务青年科技工作者成长成才机制》");
        assert_eq!(a.item.as_deref(), Some("1.2"));
        assert_eq!(a.deadline.as_deref(), Some("2022-12-31"));
        let b = &r.rows[1];
        assert_eq!(b.org.as_deref(), Some("中国科学技术协会国际联络部课题组"));
        // 2023年6月: the month's last day.
        assert_eq!(b.deadline.as_deref(), Some("2023-06-30"));
        // KT-03 has no title: not a project, and said so.
        assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
        assert!(r.warnings[0].contains("第6行"), "{:?}", r.warnings);
    }
}

#[test]
fn a_file_without_a_title_column_is_no_roster() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("名单.csv");
    std::fs::write(&p, "姓名,单位\n张三,某学会\n").unwrap();
    let e = read_roster(&p).unwrap_err();
    assert!(e.contains("项目名称"), "{e}");
    // A corrupt xlsx is a message, not a panic.
    let p = dir.path().join("立项名单.xlsx");
    std::fs::write(&p, b"PK\x03\x04 not really").unwrap();
    assert!(read_roster(&p).is_err());
}

fn row(line: usize, number: &str, title: &str, org: &str) -> RosterRow {
    RosterRow {
        line,
        seq: Some((line - 1).to_string()),
        number: (!number.is_empty()).then(|| number.to_string()),
        title: title.into(),
        org: Some(org.into()),
        ..Default::default()
    }
}

/// Folders named every way a funder's projects arrive, against six rows. Expected, by hand:
/// - `P01`: row 2 by number.
/// - `《学会科技奖项影响力提升》`: row 3 by its title (brackets dropped).
/// - `学会参与科技人才评价改革研究`: row 4, whose title lacks the 研究.
/// - `中国自然辩证法研究会`: row 5 by organisation (the only row of that organisation).
/// - `Ｐ０６　中国青年科技工作者协会`: row 7 by number (full-width), organisation too.
/// - `中国科学技术史学会`: rows 2 and 6 share that organisation, so it is ambiguous, not
///   guessed (even though `P01` names row 2: no deduction from the other folders).
/// - `随便一个文件夹`: nothing.
/// - Row 6 (P05, no folder names it on its own) is missing.
#[test]
fn folders_matched_by_number_title_and_org() {
    let rows = vec![
        row(
            2,
            "P01",
            "学会规范化治理及社会公信力提升研究",
            "中国科学技术史学会",
        ),
        row(3, "P02", "学会科技奖项影响力提升", "中国仪器仪表学会"),
        row(4, "P03", "学会参与科技人才评价改革研究", "中国电工技术学会"),
        row(5, "", "学会参与科技伦理治理", "中国自然辩证法研究会"),
        row(6, "P05", "学会史料整理与传播", "中国科学技术史学会"),
        row(7, "P06", "学会服务青年科技工作者", "中国青年科技工作者协会"),
    ];
    let folders: Vec<String> = [
        "P01",
        "《学会科技奖项影响力提升》",
        "学会参与科技人才评价改革研究",
        "中国自然辩证法研究会",
        "Ｐ０６　中国青年科技工作者协会",
        "中国科学技术史学会",
        "随便一个文件夹",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let m = match_folders(&folders, &rows);
    assert_eq!(
        m.matched,
        [
            (0, 0, MatchKind::Number),
            (1, 1, MatchKind::Title),
            (2, 2, MatchKind::Title),
            (3, 3, MatchKind::Org),
            (4, 5, MatchKind::Number),
        ]
    );
    let unmatched: Vec<usize> = m.unmatched_folders.iter().map(|u| u.0).collect();
    assert_eq!(unmatched, [5, 6]);
    assert!(
        m.unmatched_folders[0].1.contains("多个项目"),
        "{:?}",
        m.unmatched_folders
    );
    assert!(m.unmatched_folders[0].1.contains("P05"));
    assert_eq!(m.missing_rows, [4]);
}

/// Two folders that name one row equally are both reported; the row counts as missing.
#[test]
fn two_folders_for_one_row_are_reported() {
    let rows = vec![row(2, "A-1", "甲乙丙丁研究", "某学会")];
    let folders = vec!["甲乙丙丁".to_string(), "甲乙丙丁研究".to_string()];
    let m = match_folders(&folders, &rows);
    assert!(m.matched.is_empty());
    assert_eq!(m.unmatched_folders.len(), 2, "{:?}", m.unmatched_folders);
    assert!(m.unmatched_folders[0].1.contains("甲乙丙丁研究"));
    assert_eq!(m.missing_rows, [0]);
    // A folder that names it better (number and title) wins; the other is reported.
    let folders = vec!["A-1 甲乙丙丁".to_string(), "甲乙丙丁研究".to_string()];
    let m = match_folders(&folders, &rows);
    assert_eq!(m.matched, [(0, 0, MatchKind::Number)]);
    assert_eq!(m.unmatched_folders.len(), 1);
    assert_eq!(m.unmatched_folders[0].0, 1);
    assert!(m.missing_rows.is_empty());
}

/// A batch as a reviewer receives it: the demo's two calls, a 立项名单.xlsx (a title row
/// above the header, 指南条目 by id, by title, and by id with title), and folders named
/// by number, by title (in 《》), by organisation, by number and title; one folder the
/// roster does not list, one folder with nothing to go on, a project's zip dropped into
/// projects/, and one hand-written project.toml (P01) that overrides its row.
fn roster_batch(root: &Path) {
    let g = root.join("guidelines");
    std::fs::create_dir_all(&g).unwrap();
    for f in [
        "2022-cast-reform-pilot-guide.txt",
        "2022-hunan-society-capacity-plan.txt",
    ] {
        std::fs::copy(
            crate::common::root()
                .join("corpora/demo/guidelines")
                .join(f),
            g.join(f),
        )
        .unwrap();
    }
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(0, 0, 0, 5, "2022年度项目立项名单", &Format::new())
        .unwrap();
    let rows: [[&str; 6]; 6] = [
        [
            "序号",
            "项目编号",
            "项目名称",
            "承担单位",
            "指南条目",
            "完成时间",
        ],
        [
            "1",
            "P01",
            "学会规范化治理及社会公信力提升研究",
            "中国科学技术史学会",
            "1.3",
            "2022-12-31",
        ],
        [
            "2",
            "P02",
            "学会科技奖项影响力提升",
            "中国仪器仪表学会",
            "学会打造有影响力的科技奖项研究",
            "2022-12-31",
        ],
        [
            "3",
            "P03",
            "学会参与科技人才评价改革",
            "中国电工技术学会",
            "1.5",
            "",
        ],
        [
            "4",
            "P04",
            "科技群团改革政策跟踪研究",
            "清华大学科技政策研究中心",
            "3.2 科技群团改革政策跟踪和前瞻研究",
            "",
        ],
        [
            "5",
            "P05",
            "学会服务站助力乡村振兴",
            "湖南省农学会",
            "科技服务",
            "2022-12-31",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(1 + r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save(root.join("立项名单.xlsx")).unwrap();
    let report = |dir: &str, name: &str, text: &str| {
        let d = root.join("projects").join(dir);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(name), text).unwrap();
    };
    report(
        "P01",
        "研究报告.txt",
        "学会规范化治理及社会公信力提升研究报告\n正文。\n",
    );
    std::fs::write(
        root.join("projects/P01/project.toml"),
        "title = \"手写的标题\"\nguideline = \"2022-cast-reform-pilot-guide\"\nitem = \"1.8\"\n",
    )
    .unwrap();
    report(
        "《学会科技奖项影响力提升》",
        "研究报告.txt",
        "研究报告\n正文。\n",
    );
    report("中国电工技术学会", "研究报告.txt", "研究报告\n正文。\n");
    report(
        "P04_科技群团改革政策跟踪研究",
        "研究报告.txt",
        "研究报告\n正文。\n",
    );
    report(
        "学会融入全球创新治理",
        "学会融入全球创新治理的路径和策略研究报告.txt",
        "学会融入全球创新治理的路径和策略研究报告\n正文。\n",
    );
    report("杂项", "说明.txt", "会议室的钥匙在门卫处。\n");
    std::fs::write(root.join("projects/P09.zip"), b"PK\x05\x06").unwrap();
}

/// The batch above with no toml but P01's: every folder gets the item worked out by hand
/// in `roster_batch`'s comment, the unmatched ones are listed, P05 is a `missing` project.
#[test]
fn batch_runs_from_a_roster() {
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path().join("batch");
    roster_batch(&b);
    let out = dir.path().join("out");
    let s = yanshou::batch::run(
        &b,
        &out,
        &yanshou::batch::RunOptions {
            today: Some("2023-02-01".into()),
        },
    )
    .unwrap();
    use yanshou::batch::ItemSource::{Inferred, Roster, Toml};
    let cast = "2022-cast-reform-pilot-guide";
    let got: Vec<(&str, &str, &str, Option<yanshou::batch::ItemSource>)> = s
        .projects
        .iter()
        .map(|p| {
            (
                p.id.as_str(),
                p.guideline.as_str(),
                p.item.as_str(),
                p.item_source,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("P01", cast, "1.8", Some(Toml)),
            ("P04_科技群团改革政策跟踪研究", cast, "3.2", Some(Roster)),
            ("《学会科技奖项影响力提升》", cast, "1.4", Some(Roster)),
            ("中国电工技术学会", cast, "1.5", Some(Roster)),
            ("学会融入全球创新治理", cast, "1.7", Some(Inferred)),
            (
                "P05",
                "2022-hunan-society-capacity-plan",
                "3.2",
                Some(Roster)
            ),
        ]
    );
    let p = |id: &str| s.projects.iter().find(|p| p.id == id).unwrap();
    // The roster's words for title and org; P01 keeps its own title.
    assert_eq!(p("中国电工技术学会").title, "学会参与科技人才评价改革");
    assert_eq!(p("P01").title, "手写的标题");
    // The inferred one is review, with its score (its report's title is the item's title
    // plus 研究报告: similarity 1) and a reason that says so.
    let inf = p("学会融入全球创新治理");
    assert_eq!(inf.verdict, Verdict::Review);
    assert_eq!(inf.item_score, Some(1.0));
    assert!(inf.reason.starts_with("指南条目为推断"), "{}", inf.reason);
    // P05: listed, no folder: missing, overdue from 2022-12-31 to 2023-02-01 (32 days).
    let m = p("P05");
    assert_eq!(m.verdict, Verdict::Missing);
    assert_eq!(m.files, 0);
    assert_eq!(m.tracking.days_overdue, 32);
    // The roster's account: matches by number, title, org, number; two folders unmatched.
    let r = s.roster.as_ref().unwrap();
    assert_eq!(r.file, "立项名单.xlsx");
    assert_eq!(r.rows, 5);
    let matched: Vec<(&str, usize, &str)> = r
        .matched
        .iter()
        .map(|m| (m.folder.as_str(), m.line, m.by.as_str()))
        .collect();
    assert_eq!(
        matched,
        [
            ("P01", 3, "项目编号"),
            ("P04_科技群团改革政策跟踪研究", 6, "项目编号"),
            ("《学会科技奖项影响力提升》", 4, "项目名称"),
            ("中国电工技术学会", 5, "承担单位"),
        ]
    );
    let unmatched: Vec<&str> = r
        .unmatched_folders
        .iter()
        .map(|u| u.folder.as_str())
        .collect();
    assert_eq!(unmatched, ["学会融入全球创新治理", "杂项"]);
    assert_eq!(r.missing_rows.len(), 1);
    assert_eq!(r.missing_rows[0].id, "P05");
    // Errors: 杂项 (no toml, no row, nothing to infer from) and the zip in projects/.
    let errs: Vec<&str> = s.errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(errs, ["projects/P09.zip", "projects/杂项/project.toml"]);
    assert!(s.errors[0].error.contains("解压到 projects/P09/"));
    assert!(
        s.errors[1].error.contains("无法推断"),
        "{}",
        s.errors[1].error
    );
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    crate::common::validate("batch.v1.schema.json", &v);
}

/// `yanshou init` on the same batch writes the tomls the batch assumed, keeps P01's, lists
/// what it could not match (exit 1), and on a second run rewrites only its own files.
#[test]
fn init_writes_tomls_and_lists_what_it_cannot_match() {
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path().join("batch");
    roster_batch(&b);
    let bs = b.to_str().unwrap();
    let (code, stdout, err) = crate::common::yanshou(&["init", bs]);
    let stdout = String::from_utf8(stdout).unwrap();
    assert_eq!(code, 1, "{stdout}{err}");
    for want in [
        "已写入\tP04_科技群团改革政策跟踪研究/project.toml\t2022-cast-reform-pilot-guide 3.2",
        "已写入\t中国电工技术学会/project.toml\t2022-cast-reform-pilot-guide 1.5",
        "已写入\t学会融入全球创新治理/project.toml\t2022-cast-reform-pilot-guide 1.7（推断，相似度 1.00",
        "保留\tP01/project.toml",
        "名单中未找到\t杂项",
        "没有文件夹\tP05\t第7行 学会服务站助力乡村振兴",
        "未写入\t杂项",
    ] {
        assert!(stdout.contains(want), "{want}\n{stdout}");
    }
    let read =
        |f: &str| std::fs::read_to_string(b.join("projects").join(f).join("project.toml")).unwrap();
    let t = read("中国电工技术学会");
    assert!(t.starts_with(yanshou::batch::GENERATED_MARK), "{t}");
    let cfg: yanshou::batch::ProjectConfig = toml::from_str(&t).unwrap();
    assert_eq!(cfg.title, "学会参与科技人才评价改革");
    assert_eq!(cfg.org, "中国电工技术学会");
    assert_eq!(cfg.item, "1.5");
    assert_eq!(cfg.item_inferred, None);
    let inf: yanshou::batch::ProjectConfig = toml::from_str(&read("学会融入全球创新治理")).unwrap();
    assert_eq!(inf.item_inferred, Some(1.0));
    assert!(read("P01").starts_with("title = \"手写的标题\""));
    assert!(!b.join("projects/杂项/project.toml").exists());
    // A person takes over one file (drops the first line, edits it): init leaves it alone
    // and rewrites its own.
    let t = read("中国电工技术学会");
    let mine = t.split_once('\n').unwrap().1.replace("1.5", "1.6");
    std::fs::write(b.join("projects/中国电工技术学会/project.toml"), &mine).unwrap();
    std::fs::write(
        b.join("projects/P04_科技群团改革政策跟踪研究/project.toml"),
        format!("{}\nitem = \"x\"", yanshou::batch::GENERATED_MARK),
    )
    .unwrap();
    let (code, stdout, _) = crate::common::yanshou(&["init", bs]);
    assert_eq!(code, 1);
    assert!(
        String::from_utf8(stdout)
            .unwrap()
            .contains("保留\t中国电工技术学会/project.toml")
    );
    assert_eq!(read("中国电工技术学会"), mine);
    assert!(read("P04_科技群团改革政策跟踪研究").contains("item = \"3.2\""));
    // A roster that is not there is bad usage.
    let (code, _, err) = crate::common::yanshou(&["init", bs, "--roster", "/nonexistent.xlsx"]);
    assert_eq!(code, 2, "{err}");
}
