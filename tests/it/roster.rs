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
    // `check` on one folder reads the same roster, or infers as the batch does.
    let c = yanshou::batch::check_one(&b.join("projects/中国电工技术学会"), Some("2023-02-01"))
        .unwrap();
    assert_eq!(
        (c.project.item.as_str(), c.project.title.as_str()),
        ("1.5", "学会参与科技人才评价改革")
    );
    let c = yanshou::batch::check_one(&b.join("projects/学会融入全球创新治理"), None).unwrap();
    assert_eq!(c.project.item, "1.7");
    assert_eq!(c.verdict, Verdict::Review);
    let e = yanshou::batch::check_one(&b.join("projects/杂项"), None).unwrap_err();
    assert!(e.to_string().contains("杂项"), "{e}");
    // Without P01's hand-written toml no project has one: P01 takes row 3's item, 1.3.
    std::fs::remove_file(b.join("projects/P01/project.toml")).unwrap();
    std::fs::remove_dir_all(b.join("projects/杂项")).unwrap();
    let s = yanshou::batch::run(&b, &dir.path().join("out2"), &Default::default()).unwrap();
    let items: Vec<(&str, &str)> = s
        .projects
        .iter()
        .map(|p| (p.id.as_str(), p.item.as_str()))
        .collect();
    assert_eq!(
        items,
        [
            ("P01", "1.3"),
            ("P04_科技群团改革政策跟踪研究", "3.2"),
            ("《学会科技奖项影响力提升》", "1.4"),
            ("中国电工技术学会", "1.5"),
            ("学会融入全球创新治理", "1.7"),
            ("P05", "3.2"),
        ]
    );
    assert_eq!(
        project_of(&s, "P01").title,
        "学会规范化治理及社会公信力提升研究"
    );
    assert_eq!(s.errors.len(), 1, "only the zip: {:?}", s.errors);
}

fn project_of<'a>(s: &'a yanshou::batch::Summary, id: &str) -> &'a yanshou::batch::ProjectRow {
    s.projects.iter().find(|p| p.id == id).unwrap()
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
    // Once the unlisted folders are settled (杂项 gone, the inferred one's toml taken over
    // by a person) and P05's row has its folder, init has nothing left to report: exit 0.
    std::fs::remove_dir_all(b.join("projects/杂项")).unwrap();
    let inf = read("学会融入全球创新治理");
    std::fs::write(
        b.join("projects/学会融入全球创新治理/project.toml"),
        inf.lines().skip(3).collect::<Vec<_>>().join("\n"),
    )
    .unwrap();
    std::fs::create_dir(b.join("projects/P05")).unwrap();
    let (code, stdout, _) = crate::common::yanshou(&["init", bs]);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&stdout));
    // A roster that is not there is bad usage.
    let (code, _, err) = crate::common::yanshou(&["init", bs, "--roster", "/nonexistent.xlsx"]);
    assert_eq!(code, 2, "{err}");
}

/// The roster is the root's spreadsheet named like one that reads as one: a 签到名单 beside
/// it (names, no project column) is not; two real rosters are the user's to choose between.
/// In a workbook, the sheet with the header is read whatever its place.
#[test]
fn the_roster_is_found_among_other_lists_and_sheets() {
    use yanshou::roster::find_roster;
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path();
    assert!(find_roster(b, None).unwrap().is_none());
    std::fs::write(b.join("签到名单.csv"), "姓名,单位\n张三,某学会\n").unwrap();
    let e = find_roster(b, None).unwrap_err();
    assert!(e.contains("项目名称"), "{e}");
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.write_string(0, 0, "填表说明：每个项目一行").unwrap();
    let list = wb.add_worksheet();
    list.write_string(0, 0, "课题名称").unwrap();
    list.write_string(0, 1, "申报单位").unwrap();
    list.write_string(1, 0, "甲乙丙丁研究").unwrap();
    list.write_string(1, 1, "某学会").unwrap();
    wb.save(b.join("立项名单.xlsx")).unwrap();
    let r = find_roster(b, None).unwrap().unwrap();
    assert_eq!(r.file, "立项名单.xlsx");
    assert_eq!(r.rows.len(), 1);
    assert_eq!((r.rows[0].sheet.as_str(), r.rows[0].line), ("Sheet2", 2));
    std::fs::write(
        b.join("项目清单.csv"),
        "项目名称,承担单位\n戊己庚辛,某学会\n",
    )
    .unwrap();
    let e = find_roster(b, None).unwrap_err();
    assert!(e.contains("多份立项名单"), "{e}");
    // Named on the command line, a roster is read wherever it is and whatever its name.
    let other = dir.path().join("sub");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(
        other.join("list.csv"),
        "项目名称,承担单位\n戊己庚辛,某学会\n",
    )
    .unwrap();
    let r = find_roster(b, Some(&other.join("list.csv")))
        .unwrap()
        .unwrap();
    assert_eq!(r.rows[0].title, "戊己庚辛");
}

/// A roster with a 类别 but no 指南条目 column: each row's item is the one of its category
/// whose title is most like the project's, an inference with its score. Scores by hand:
/// - P01 学会规范化治理及社会公信力提升研究 = 1.3's title: 1.
/// - P02 学会科技奖项影响力提升 ~ 1.4 学会打造有影响力的科技奖项(研究): bigrams 2×6/22 = 0.55.
/// - P03 学会参与科技人才评价改革 (12) inside 1.5 …改革工作机制 (16): 0.5 + 0.5 × 12/16 = 0.88.
/// - P04 科技工作者联系服务机制创新试点 (14 bigrams) ~ 2.1 新时代科技工作者联系服务机制创新
///   (15 bigrams), 12 shared: 24/29 = 0.83; its category keeps it among the 二.x items.
#[test]
fn items_from_category_and_title_are_inferred_with_their_score() {
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path();
    roster_batch(b);
    std::fs::remove_file(b.join("立项名单.xlsx")).unwrap();
    write_xlsx_roster(&b.join("立项名单.xlsx"));
    let (specs, _) = yanshou::batch::load_guidelines(b);
    let r = read_roster(&b.join("立项名单.xlsx")).unwrap();
    let got: Vec<(String, Option<f64>)> = r
        .rows
        .iter()
        .map(|row| {
            let a = yanshou::roster::item_of_row(row, &specs).unwrap();
            assert_eq!(a.guideline, "2022-cast-reform-pilot-guide");
            (a.item, a.inferred)
        })
        .collect();
    let want = [("1.3", 1.0), ("1.4", 0.55), ("1.5", 0.88), ("2.1", 0.83)];
    assert_eq!(
        got,
        want.iter()
            .map(|(i, s)| (i.to_string(), Some(*s)))
            .collect::<Vec<_>>()
    );
    // "2.1" and "3.2" are items of both calls: the project's title picks the call whose
    // item it is about (科技工作者联系… shares 12 bigrams with the CAST 2.1 and none with the
    // Hunan one; 学会服务站助力乡村振兴 shares 服务 with the Hunan 3.2 科技服务, 2/13 = 0.15,
    // and nothing with the CAST 3.2), and the id stays the roster's word (not inferred).
    let by_id = |item: &str, title: &str| {
        let row = RosterRow {
            line: 9,
            title: title.into(),
            item: Some(item.into()),
            ..Default::default()
        };
        let a = yanshou::roster::item_of_row(&row, &specs).unwrap();
        (a.guideline, a.item, a.inferred)
    };
    assert_eq!(
        by_id("2.1", "科技工作者联系服务机制创新试点"),
        ("2022-cast-reform-pilot-guide".into(), "2.1".into(), None)
    );
    assert_eq!(
        by_id("3.2", "学会服务站助力乡村振兴"),
        (
            "2022-hunan-society-capacity-plan".into(),
            "3.2".into(),
            None
        )
    );
    // A title that picks neither leaves the id ambiguous: said, with the fix.
    let row = RosterRow {
        line: 9,
        title: "甲乙丙丁".into(),
        item: Some("2.1".into()),
        ..Default::default()
    };
    let e = yanshou::roster::item_of_row(&row, &specs).unwrap_err();
    assert!(e.contains("指南”列"), "{e}");
    // An item the calls do not have, and a title like no item: said, not guessed.
    let row = RosterRow {
        line: 9,
        title: "会议室钥匙管理".into(),
        item: Some("学会数字化转型白皮书".into()),
        ..Default::default()
    };
    let e = yanshou::roster::item_of_row(&row, &specs).unwrap_err();
    assert!(
        e.contains("学会数字化转型白皮书") && e.contains("无法推断"),
        "{e}"
    );
}

/// A roster row whose 指南条目 is in no call: the error is the project folder's (it has no
/// project.toml to point to) and names the roster row.
#[test]
fn an_unknown_roster_item_is_reported_on_the_folder_not_a_missing_toml() {
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path().join("batch");
    crate::common::batch_with_cast_call(&b);
    std::fs::write(
        b.join("立项名单.csv"),
        "项目编号,项目名称,承担单位,指南条目\nP01,学会治理研究,某学会,9.9\n",
    )
    .unwrap();
    std::fs::create_dir_all(b.join("projects/P01")).unwrap();
    std::fs::write(b.join("projects/P01/研究报告.txt"), "研究报告\n正文。\n").unwrap();
    let s = crate::common::run_batch(&b, &dir.path().join("out"));
    assert_eq!(s.errors.len(), 1, "{:?}", s.errors);
    assert_eq!(s.errors[0].path, "projects/P01");
    assert!(
        s.errors[0].error.starts_with("立项名单第2行 P01") && s.errors[0].error.contains("“9.9”"),
        "{}",
        s.errors[0].error
    );
}
