//! The office files of a batch read back as Word, Excel and a CSV reader see them: the
//! workbook's widths, filter, frozen and repeated header, number and date formats, print setup
//! and links; the CSV's error rows; the Word checklist's repeated header rows, page numbers,
//! column widths, one paragraph per evidence item and document properties.

use std::io::Read;
use std::path::{Path, PathBuf};

use yanshou::batch::{RunOptions, run};

/// A batch of three projects under the 2022 reform call's item 1.1 (研究报告 ≥30000字): P1
/// with a report of 10,005 字 and two 专报, P2 with no report, P3 naming an item the call does
/// not have (an error row).
fn batch(dir: &Path) -> PathBuf {
    let b = dir.join("batch");
    std::fs::create_dir_all(b.join("guidelines")).unwrap();
    std::fs::copy(
        crate::common::root().join("corpora/guidelines/2022-cast-reform-pilot-guide.txt"),
        b.join("guidelines/g.txt"),
    )
    .unwrap();
    for (id, item) in [("P1", "1.1"), ("P2", "1.1"), ("P3", "9.9")] {
        let p = b.join("projects").join(id);
        std::fs::create_dir_all(&p).unwrap();
        std::fs::write(
            p.join("project.toml"),
            format!(
                "title = \"学会项目{id}\"\norg = \"某学会\"\nguideline = \"g\"\nitem = \"{item}\"\n\
                 deadline = \"2022-12-31\"\n"
            ),
        )
        .unwrap();
    }
    let p1 = b.join("projects/P1");
    // 5 字 of heading and 1000 × 10 字 of body: 10,005 字.
    let body = "学会研究报告正文内容".repeat(1000);
    std::fs::write(p1.join("研究报告.txt"), format!("第一章 总论\n{body}\n")).unwrap();
    for n in 1..=2 {
        std::fs::write(
            p1.join(format!("专报第{n}期.txt")),
            "关于学会工作的专报。\n正文一段。\n",
        )
        .unwrap();
    }
    std::fs::write(
        b.join("projects/P2/专报第1期.txt"),
        "关于学会工作的专报。\n",
    )
    .unwrap();
    b
}

fn unzip(path: &Path, member: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(member)
        .unwrap_or_else(|_| panic!("{} has no {member}", path.display()))
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// The members of a zip whose names start with `prefix`, concatenated.
fn unzip_all(path: &Path, prefix: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let names: Vec<String> = z
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.to_string()))
        .collect();
    let mut s = String::new();
    for n in names.iter().filter(|n| n.starts_with(prefix)) {
        z.by_name(n).unwrap().read_to_string(&mut s).unwrap();
    }
    s
}

fn run_batch() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let b = batch(dir.path());
    let out = dir.path().join("out");
    run(
        &b,
        &out,
        &RunOptions {
            today: Some("2023-02-01".into()),
        },
    )
    .unwrap();
    (dir, out)
}

#[test]
fn the_workbook_prints_and_filters() {
    let (_dir, out) = run_batch();
    let xlsx = out.join("summary.xlsx");
    let sheet = unzip(&xlsx, "xl/worksheets/sheet1.xml");
    // Header and two projects: A1 to N3, filtered; the header frozen.
    assert!(sheet.contains(r#"<autoFilter ref="A1:N3"/>"#), "{sheet}");
    assert!(
        sheet.contains(r#"ySplit="1""#) && sheet.contains(r#"state="frozen""#),
        "{sheet}"
    );
    // Every one of the 14 columns has a width of its own.
    let mut covered = [false; 14];
    for col in sheet.split("<col ").skip(1) {
        let attr = |name: &str| -> usize {
            let start = col.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            col[start..].split('"').next().unwrap().parse().unwrap()
        };
        assert!(col.contains(r#"customWidth="1""#), "{col}");
        for c in attr("min")..=attr("max") {
            covered[c - 1] = true;
        }
    }
    assert_eq!(covered, [true; 14], "{sheet}");
    // Landscape A4 (paper size 9), one page wide, any number of pages long.
    assert!(sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#), "{sheet}");
    for attr in [
        r#"paperSize="9""#,
        r#"orientation="landscape""#,
        r#"fitToHeight="0""#,
    ] {
        assert!(sheet.contains(attr), "{attr} in {sheet}");
    }
    // Page numbers in the footer, the header row repeated on every page.
    assert!(
        sheet.contains("&amp;P") && sheet.contains("&amp;N"),
        "{sheet}"
    );
    let workbook = unzip(&xlsx, "xl/workbook.xml");
    assert!(workbook.contains("_xlnm.Print_Titles"), "{workbook}");
    // Numbers with thousands separators, dates as dates.
    let styles = unzip(&xlsx, "xl/styles.xml");
    assert!(styles.contains(r##"formatCode="#,##0""##), "{styles}");
    assert!(styles.contains(r#"formatCode="yyyy-mm-dd""#), "{styles}");
    // Links to the checklists, relative to the workbook.
    let rels = unzip(&xlsx, "xl/worksheets/_rels/sheet1.xml.rels");
    assert!(
        rels.contains(r#"Target="checklists/P1.docx" TargetMode="External""#),
        "{rels}"
    );
    let core = unzip(&xlsx, "docProps/core.xml");
    assert!(core.contains("<dc:creator>yanshou</dc:creator>"), "{core}");

    // The values as Excel reads them.
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut wb: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let range = wb.worksheet_range("验收汇总").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let cell = |row: usize, name: &str| range.get((row, col(name))).unwrap().clone();
    assert_eq!(cell(1, "项目编号"), Data::String("P1".into()));
    // The call's title, not the file name g.
    assert_eq!(
        cell(1, "指南"),
        Data::String("2022年科协深化改革试点示范与研究项目申报指南".into())
    );
    assert_eq!(cell(1, "要求字数"), Data::Float(30000.0));
    assert_eq!(cell(1, "主报告正文字数"), Data::Float(10005.0));
    // P2 has no report: 未提交, not an empty cell that could mean "not asked".
    assert_eq!(cell(2, "主报告正文字数"), Data::String("未提交".into()));
    // 2022-12-31 is Excel's day 44926 (1 Jan 2023 is 44927); 32 days overdue on 1 Feb 2023.
    match cell(1, "完成期限") {
        Data::DateTime(d) => assert_eq!(d.as_f64(), 44926.0),
        other => panic!("完成期限 is not a date: {other:?}"),
    }
    assert_eq!(cell(1, "逾期天数"), Data::Float(32.0));
}

#[test]
fn the_csv_lists_the_files_that_could_not_be_processed() {
    let (_dir, out) = run_batch();
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 4, "header, P1, P2 and P3's error: {csv}");
    assert!(
        rows[1].starts_with("P1,") && rows[1].contains(",30000,10005,"),
        "{csv}"
    );
    assert!(
        rows[2].starts_with("P2,") && rows[2].contains(",未提交,"),
        "{csv}"
    );
    assert!(
        rows[3].starts_with("P3,") && rows[3].contains("无法处理"),
        "{csv}"
    );
    assert!(rows[3].contains("projects/P3/project.toml"), "{csv}");
}

#[test]
fn the_word_checklist_repeats_headers_and_numbers_pages() {
    let (_dir, out) = run_batch();
    let docx = out.join("checklists/P1.docx");
    let doc = unzip(&docx, "word/document.xml");
    // The requirements and the files tables repeat their header row on every page.
    assert_eq!(doc.matches("<w:tblHeader />").count(), 2);
    let footer = unzip_all(&docx, "word/footer");
    assert!(
        footer.contains(">PAGE<") && footer.contains(">NUMPAGES<"),
        "{footer}"
    );
    // Each evidence item in a paragraph of its own: the two 专报 never share one.
    assert!(doc.contains("专报第1期.txt") && doc.contains("专报第2期.txt"));
    for p in doc.split("<w:p ") {
        assert!(
            !(p.contains("专报第1期.txt") && p.contains("专报第2期.txt")),
            "two evidence items in one paragraph: {p}"
        );
    }
    // 结论 holds 需人工复核 (five characters of 9 pt, 900 twips, and the cell's margins) on
    // one line; the files table has its 依据 column.
    let grid: Vec<u32> = doc
        .split("<w:gridCol w:w=\"")
        .skip(1)
        .map(|g| g.split('"').next().unwrap().parse().unwrap())
        .collect();
    // Information table (2 columns), requirements (7), files (6).
    assert_eq!(grid.len(), 2 + 7 + 6, "{grid:?}");
    assert!(grid[2 + 5] >= 1200, "结论 is {} twips", grid[2 + 5]);
    assert!(grid[2 + 1] >= 1000, "要求 is {} twips", grid[2 + 1]);
    assert!(grid.iter().all(|&w| w >= 700), "{grid:?}");
    assert!(doc.contains(">依据<"));
    // Statuses in Chinese, figures grouped.
    assert!(doc.contains(">正常<") && !doc.contains(">ok<"));
    assert!(doc.contains(">10,005<"));
    assert!(doc.contains("（北京时间）"));
    let core = unzip(&docx, "docProps/core.xml");
    assert!(core.contains("<dc:creator>yanshou</dc:creator>"), "{core}");
    assert!(
        core.contains("<dc:title>项目验收清单：学会项目P1</dc:title>"),
        "{core}"
    );
    assert!(
        !core.contains("1970-01-01") && !core.contains("unknown"),
        "{core}"
    );
}

#[test]
fn the_html_checklist_prints_with_headers_and_page_numbers() {
    let (_dir, out) = run_batch();
    let html = std::fs::read_to_string(out.join("checklists/P1.html")).unwrap();
    // Both tables' headers in <thead>, which browsers repeat on every printed page.
    assert_eq!(html.matches("<thead>").count(), 2, "{html}");
    assert!(html.contains("counter(page)") && html.contains("counter(pages)"));
    // Fixed layout with widths for the short columns: 结论 is never one character wide.
    assert!(html.contains("table-layout: fixed"));
    assert!(
        html.contains(r#"<col style="width:6.8em"><col></colgroup>"#),
        "{html}"
    );
    // Each evidence item on a line of its own.
    assert!(
        html.contains("专报第1期.txt：全文15字，正文15字<br>专报第2期.txt"),
        "{html}"
    );
    assert!(html.contains("<td>正常</td>") && !html.contains("<td>ok</td>"));
    assert!(html.contains("（北京时间）"));
}
