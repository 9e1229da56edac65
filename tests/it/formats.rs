//! Extraction across formats, on the committed fixtures in corpora/ (see corpora/README.md).

use std::path::{Path, PathBuf};

use yanshou::doc::{ExtraKind, Format};
use yanshou::extract::{ExtractError, extract_path};
use yanshou::report::{CountOptions, FileStatus, count_path};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpora")
        .join(name)
}

/// The passage (corpora/tools/make_fixtures.py, PASSAGE), counted by hand per paragraph:
/// 1 学会服务能力提升计划（2022年）: 13 East Asian (10 Han, 年, two full-width parentheses) + 1 run.
/// 2 … 38 East Asian + 7 runs (2022, 36, AI, Big, Data, and the quotes “ ” around 学会服务能力
///   提升: without a font hint they are Latin, so each is a run of its own between Han).
/// 3 … 30 East Asian (incl. ３０ and ／) + 3 runs (98.5%, 1, 3).
/// 4 … 31 East Asian + 6 runs (Prof., Zhang, Dr., Li, 1, and the …… after 度).
const PASSAGE_CJK: u64 = 13 + 38 + 30 + 31;
const PASSAGE_NON: u64 = 1 + 7 + 3 + 6;
/// Characters without spaces: 17 + 55 + 37 + 49; two spaces in paragraph 4, one in 2.
const PASSAGE_CHARS: u64 = 17 + 55 + 37 + 49;

#[test]
fn passage_counts_the_same_in_every_format() {
    for name in [
        "passage.utf8.txt",
        "passage.utf8-bom.txt",
        "passage.gb18030.txt",
        "passage.utf16.txt",
        "passage.md",
        "passage.docx",
        "passage.doc",
        "passage.wps",
        "passage.odt",
        "passage.ofd",
        "passage.pdf",
        "passage-empty-password.pdf",
    ] {
        let row = count_path(
            &fixture(&format!("fixtures/{name}")),
            CountOptions::default(),
        );
        assert_eq!(row.status, FileStatus::Ok, "{name}: {:?}", row.error);
        let c = row.counts.unwrap();
        assert_eq!(
            (c.cjk_chars, c.non_cjk_words, c.words),
            (PASSAGE_CJK, PASSAGE_NON, PASSAGE_CJK + PASSAGE_NON),
            "{name}"
        );
        assert_eq!(c.chars_no_spaces, PASSAGE_CHARS, "{name}");
        assert_eq!(c.paragraphs, 4, "{name}");
    }
}

#[test]
fn text_is_decoded_to_the_same_string() {
    let want = std::fs::read_to_string(fixture("fixtures/passage.utf8.txt")).unwrap();
    for name in [
        "passage.utf8-bom.txt",
        "passage.gb18030.txt",
        "passage.utf16.txt",
    ] {
        let doc = extract_path(&fixture(&format!("fixtures/{name}"))).unwrap();
        assert_eq!(doc.text, want, "{name}");
    }
}

#[test]
fn big5_traditional_text() {
    let doc = extract_path(&fixture("fixtures/trad.big5.txt")).unwrap();
    assert!(doc.text.starts_with("學會服務能力提升計劃"), "{}", doc.text);
}

#[test]
fn pdf_matches_docx_text() {
    let pdf = extract_path(&fixture("fixtures/passage.pdf")).unwrap();
    let docx = extract_path(&fixture("fixtures/passage.docx")).unwrap();
    assert_eq!(pdf.format, Format::Pdf);
    assert_eq!(pdf.text, docx.text);
    // The report's title is centred over two lines in the PDF; it is one paragraph, as in
    // the docx (fixtures/report.*, make_fixtures.py REPORT_FODT).
    let pdf = extract_path(&fixture("fixtures/report.pdf")).unwrap();
    assert_eq!(
        pdf.text.lines().next(),
        Some("学会服务青年科技工作者成长成才机制研究报告")
    );
}

#[test]
fn paragraph_ends_at_the_margin_are_told_by_the_gap() {
    // Twelve paragraphs of 80, 81 … 91 Han characters (corpora/tools/make_fixtures.py,
    // margins): 1,026 字, twelve paragraphs, in the docx and in the PDF, although several of
    // them end exactly at the right margin.
    for name in ["margins.docx", "margins.pdf"] {
        let row = count_path(
            &fixture(&format!("fixtures/{name}")),
            CountOptions::default(),
        );
        let c = row.counts.expect(name);
        assert_eq!(
            (c.words, c.paragraphs),
            ((80..92).sum::<u64>(), 12),
            "{name}"
        );
    }
}

#[test]
fn two_columns_are_read_column_by_column() {
    // corpora/tools/make_fixtures.py, twocol: a title across the page, then 40 paragraphs in
    // two columns over two pages; twocol.txt is the source text, one paragraph per line.
    let want = std::fs::read_to_string(fixture("fixtures/twocol.txt")).unwrap();
    let doc = extract_path(&fixture("fixtures/twocol.pdf")).unwrap();
    assert_eq!(format!("{}\n", doc.text), want);
    // The page numbers in the footer, read after the left column, are still not main text.
    assert!(!doc.text.contains("第 1 页"));
    let pdf = count_path(&fixture("fixtures/twocol.pdf"), CountOptions::default());
    let txt = count_path(&fixture("fixtures/twocol.txt"), CountOptions::default());
    assert_eq!(pdf.counts, txt.counts);
}

#[test]
fn a_table_of_wrapped_cells_keeps_its_rows_together() {
    // corpora/tools/make_fixtures.py, table: 12 rows of "项目N：…" beside a long requirement,
    // both wrapping. Not two columns of text: row N's requirement must come before item N+1.
    let rows = std::fs::read_to_string(fixture("fixtures/table.txt")).unwrap();
    let text = extract_path(&fixture("fixtures/table.pdf")).unwrap().text;
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut at = 0;
    for (i, row) in rows.lines().enumerate() {
        let (_, req) = row.split_once('\t').unwrap();
        let head: String = req.chars().take(6).collect();
        let next_item = format!("项目{}：", i + 2);
        let req_at = flat[at..].find(&head).map(|p| p + at).expect(&head);
        if let Some(next_at) = flat.find(&next_item) {
            assert!(req_at < next_at, "row {} split from its requirement", i + 1);
        }
        at = req_at;
    }
}

#[test]
fn predefined_chinese_cmaps_without_to_unicode() {
    for name in [
        "cmap-unigb-ucs2.pdf",
        "cmap-gbk-euc.pdf",
        "cmap-identity-gb1.pdf",
    ] {
        let doc = extract_path(&fixture(&format!("fixtures/{name}"))).unwrap();
        assert_eq!(
            doc.text, "增值税电子普通发票\n合计金额：壹万贰仟元整",
            "{name}"
        );
    }
}

#[test]
fn report_layout_body_and_excluded_parts() {
    // The report (make_fixtures.py, REPORT_FODT), counted by hand:
    // cover: title 17 + 4 = 21, 承担单位：中国示范学会 4 + 1 + 6 = 11, 二〇二二年十二月 8 → 40
    // toc: 目录 2 + (第一章 研究背景 7 + page "2" 1) × 2 → 18
    // body: headings 7 + 7; law sentences 38, 41, 43 (42 Han and marks + the run "10"), 36;
    //   案例一：某学会青年人才托举工程 15, 案例二：某学会青年科学家沙龙 14;
    //   table 指标 2 + 数值 2 + 托举人数 4 + 120人 2 → 211
    // references: 参考文献 4 + "[1] 中国科协. 学会发展报告. 北京: 科学出版社, 2021."
    //   17 Han + 6 runs ("[1]", ".", ".", ":", ",", "2021.") → 27
    // appendix: 附录 2 + 21 Han + ， + 7 Han + 。 → 32
    for name in ["report.docx", "report.pdf"] {
        let row = count_path(
            &fixture(&format!("fixtures/{name}")),
            CountOptions::default(),
        );
        assert_eq!(row.status, FileStatus::Ok, "{name}");
        let body = row.body_counts.unwrap();
        assert_eq!(body.words, 211, "{name}");
        let ex: Vec<(String, u64)> = row
            .excluded
            .iter()
            .map(|e| (e.label.to_string(), e.words))
            .collect();
        assert_eq!(
            ex,
            vec![
                ("封面".to_string(), 40),
                ("目录".to_string(), 18),
                ("参考文献".to_string(), 27),
                ("附录".to_string(), 32)
            ],
            "{name}"
        );
        assert_eq!(row.counts.unwrap().words, 211 + 40 + 18 + 27 + 32, "{name}");
    }
}

#[test]
fn footnotes_and_footers_are_kept_apart() {
    let docx = extract_path(&fixture("fixtures/report.docx")).unwrap();
    assert!(
        docx.extra
            .iter()
            .any(|e| e.kind == ExtraKind::Footnote && e.text.contains("脚注：数据来自2022年调查"))
    );
    assert!(!docx.text.contains("脚注"));
    let pdf = extract_path(&fixture("fixtures/report.pdf")).unwrap();
    assert!(pdf.extra.iter().any(|e| e.kind == ExtraKind::Footnote));
    assert!(!pdf.text.contains("脚注"));
    assert!(!pdf.text.contains("第2页") && !pdf.text.contains("第 2 页"));
    // "脚注：数据来自2022年调查。" = 11 East Asian + 1 run.
    let with = count_path(
        &fixture("fixtures/report.docx"),
        CountOptions {
            include_notes: true,
        },
    );
    assert_eq!(with.counts.unwrap().words, 328 + 12);
}

#[test]
fn scanned_pages_are_reported() {
    let row = count_path(&fixture("bad/scanned.pdf"), CountOptions::default());
    assert_eq!(row.status, FileStatus::NoText);
    assert!(row.counts.is_none());
    let doc = extract_path(&fixture("fixtures/partly-scanned.pdf")).unwrap();
    assert_eq!(doc.empty_pages, vec![2]);
    assert!(doc.text.contains("Alpha page") && doc.text.contains("Gamma page"));
}

#[test]
fn bad_inputs_get_clear_errors() {
    type Check = fn(&ExtractError) -> bool;
    let cases: &[(&str, Check)] = &[
        ("bad/encrypted.pdf", |e| {
            matches!(e, ExtractError::Encrypted)
        }),
        ("bad/garbage.pdf", |e| matches!(e, ExtractError::Corrupt(_))),
        // An OLE signature and nothing else: not a compound file.
        ("bad/legacy.doc", |e| matches!(e, ExtractError::Corrupt(_))),
        ("bad/encrypted.doc", |e| {
            matches!(e, ExtractError::EncryptedOffice)
        }),
        (
            "bad/garbled.doc",
            |e| matches!(e, ExtractError::Corrupt(m) if m.contains("CLX")),
        ),
        (
            "bad/no-document.docx",
            |e| matches!(e, ExtractError::Corrupt(m) if m.contains("word/document.xml")),
        ),
        ("bad/not-a-docx.docx", |e| {
            matches!(e, ExtractError::Corrupt(_))
        }),
        ("bad/truncated.docx", |e| {
            matches!(e, ExtractError::Corrupt(_))
        }),
        ("bad/zip-bomb.docx", |e| {
            matches!(e, ExtractError::TooLarge(_))
        }),
        ("bad/binary.txt", |e| matches!(e, ExtractError::Corrupt(_))),
        ("bad/does-not-exist.docx", |e| {
            matches!(e, ExtractError::Io(_))
        }),
    ];
    for (name, ok) in cases {
        match extract_path(&fixture(name)) {
            Err(e) => assert!(ok(&e), "{name}: unexpected error {e:?}"),
            Ok(_) => panic!("{name}: should not extract"),
        }
    }
}

#[test]
fn devices_and_pipes_are_refused_not_read_forever() {
    // /dev/zero never ends and a pipe without a writer never starts: both would hang a batch.
    for dev in ["/dev/zero", "/dev/urandom"] {
        let p = Path::new(dev);
        if !p.exists() {
            continue;
        }
        let e = extract_path(p).expect_err(dev);
        assert!(
            matches!(&e, ExtractError::Io(m) if m.contains("不是普通文件")),
            "{e:?}"
        );
        let row = count_path(p, CountOptions::default());
        assert_eq!(row.status, FileStatus::Error);
    }
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let row = count_path(&fifo, CountOptions::default());
        assert_eq!(row.status, FileStatus::Error, "{:?}", row.error);
    }
}

#[test]
fn an_empty_text_file_is_zero_and_says_so() {
    let row = count_path(&fixture("bad/empty.txt"), CountOptions::default());
    assert_eq!(row.status, FileStatus::Ok);
    assert_eq!(row.counts.unwrap().words, 0);
    assert!(row.warnings.iter().any(|w| w.contains("没有任何文字")));
}

/// Word refuses a docx whose XML declares a DTD (billion laughs): an error, never a count.
#[test]
fn billion_laughs_is_refused() {
    match extract_path(&fixture("bad/billion-laughs.docx")) {
        Err(ExtractError::Corrupt(m)) => assert!(m.contains("DTD"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_bad_file_is_a_row_and_the_rest_still_count() {
    let dir = fixture("bad");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.push(fixture("fixtures/passage.docx"));
    let rows: Vec<_> = paths
        .iter()
        .map(|p| count_path(p, CountOptions::default()))
        .collect();
    assert_eq!(rows.len(), paths.len());
    let ok = rows
        .iter()
        .find(|r| r.path.ends_with("passage.docx"))
        .unwrap();
    assert_eq!(ok.counts.unwrap().words, PASSAGE_CJK + PASSAGE_NON);
}

/// Word 97–2003 twins (LibreOffice's "MS Word 97" export of the docx fixtures) read to the
/// same text, paragraph kinds, notes and counts as the docx.
#[test]
fn doc_twins_read_like_their_docx() {
    for name in ["passage", "report", "margins", "features"] {
        let docx = extract_path(&fixture(&format!("fixtures/{name}.docx"))).unwrap();
        let doc = extract_path(&fixture(&format!("fixtures/{name}.doc"))).unwrap();
        assert_eq!(doc.format, Format::Doc, "{name}");
        assert_eq!(doc.text, docx.text, "{name}");
        let kinds = |d: &yanshou::doc::Document| d.paras.iter().map(|p| p.kind).collect::<Vec<_>>();
        assert_eq!(kinds(&doc), kinds(&docx), "{name}");
        assert_eq!(doc.counts(), docx.counts(), "{name}");
        assert_eq!(doc.notes_counts(), docx.notes_counts(), "{name}");
        let notes = |d: &yanshou::doc::Document| {
            let mut v: Vec<_> = d.extra.iter().map(|e| (e.kind, e.text.clone())).collect();
            v.sort_by_key(|(k, t)| (format!("{k:?}"), t.clone()));
            v
        };
        assert_eq!(notes(&doc), notes(&docx), "{name}");
    }
    let wps = extract_path(&fixture("fixtures/passage.wps")).unwrap();
    assert_eq!(wps.format, Format::Wps);
}

/// features.doc (make_fixtures.py, FEATURES_FODT), worked out from the source by hand.
#[test]
fn doc_features_by_hand() {
    use yanshou::doc::ParaKind::*;
    let d = extract_path(&fixture("fixtures/features.doc")).unwrap();
    let paras: Vec<_> = d.paras.iter().map(|p| (d.para_text(p), p.kind)).collect();
    // The hidden 隐藏文字 is gone, the comment and the note references leave no text, the date
    // field shows its result (the page count: LibreOffice sets the endnote on a second page), the text box's anchor paragraph keeps only its own text, and
    // the cell with two paragraphs gives two cell paragraphs.
    assert_eq!(
        paras,
        vec![
            ("第一章 总则", Heading(1)),
            ("正文第一段。", Body),
            ("正文第二段，共2页。", Body),
            ("正文第三段", Body),
            ("指标", TableCell),
            ("数值", TableCell),
            ("人数", TableCell),
            ("（人）", TableCell),
            ("120", TableCell),
            ("结尾段落", Body),
        ]
    );
    assert!(d.warnings.iter().any(|w| w.contains("4 个字符的隐藏文字")));
    let extra = |k: ExtraKind| {
        d.extra
            .iter()
            .filter(|e| e.kind == k)
            // LibreOffice sets a tab after the note's reference mark.
            .map(|e| e.text.trim())
            .collect::<Vec<_>>()
    };
    assert_eq!(extra(ExtraKind::Footnote), ["脚注内容"]);
    assert_eq!(extra(ExtraKind::Endnote), ["尾注内容"]);
    assert_eq!(extra(ExtraKind::Comment), ["批注内容"]);
    assert_eq!(extra(ExtraKind::TextBox), ["文本框文字"]);
    assert_eq!(extra(ExtraKind::Header), ["页眉文字"]);
    assert_eq!(extra(ExtraKind::Footer), ["页脚文字"]);
    // East Asian: 第一章总则 5, 正文第一段。 6, 正文第二段，共 7 + 页。 2, 正文第三段 5,
    // 指标 数值 人数 6, （人） 3, 结尾段落 4 = 38; runs: 2, 120 = 2.
    let c = d.counts();
    assert_eq!((c.cjk_chars, c.non_cjk_words, c.words), (38, 2, 40));
    assert_eq!(c.paragraphs, 10);
    // --include-notes adds 脚注内容 4, 尾注内容 4, 文本框文字 5 (not the comment or header).
    let n = d.notes_counts();
    assert_eq!(n.cjk_chars, 13);
    let row = count_path(
        &fixture("fixtures/features.doc"),
        CountOptions {
            include_notes: true,
        },
    );
    assert_eq!(row.counts.unwrap().words, 40 + 13);
}

/// Flipped and truncated bytes of real .doc files give an error or some text, never a panic.
#[test]
fn garbled_docs_never_panic() {
    for name in ["report.doc", "features.doc"] {
        let good = std::fs::read(fixture(&format!("fixtures/{name}"))).unwrap();
        let mut seed = 0x2545_F491_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..400 {
            let mut b = good.clone();
            if round % 10 == 0 {
                b.truncate(next() as usize % b.len());
            }
            for _ in 0..1 + round % 8 {
                let i = next() as usize % b.len();
                b[i] = next() as u8;
            }
            let _ = yanshou::extract::extract_bytes(b, "doc");
        }
    }
}

/// The sign-in sheet (make_fixtures.py, signin_fods) in every spreadsheet format, counted by
/// hand: title 学会参与科技人才评价改革专题交流活动签到表 21; 时间：…年月日 6 + runs 2022, 9,
/// 15; 序号姓名单位签名 8; twelve rows of a number (a run), a two-character name twice and a
/// society (8, 8, 9 characters, four times each: 100) = 48 + 100 and 12 runs; 合计 + 人 3 and
/// the run 12; the second sheet's 本表由会务组整理。 9. East Asian 195, runs 16; 17 rows with
/// text (the blank row is none).
#[test]
fn spreadsheets_read_rows_and_count_names() {
    let mut texts = Vec::new();
    for (name, format) in [
        ("signin.xlsx", Format::Xlsx),
        ("signin.xls", Format::Xls),
        ("signin.ods", Format::Ods),
        ("signin.et", Format::Et),
    ] {
        let d = extract_path(&fixture(&format!("fixtures/{name}"))).unwrap();
        assert_eq!(d.format, format, "{name}");
        let c = d.counts();
        assert_eq!(
            (c.cjk_chars, c.non_cjk_words, c.words),
            (195, 16, 211),
            "{name}"
        );
        assert_eq!(c.paragraphs, 17, "{name}");
        // Twelve names; the header, the blank row and 合计 are not people.
        assert_eq!(d.name_rows, Some(12), "{name}");
        assert_eq!(d.paras[0].kind, yanshou::doc::ParaKind::Title, "{name}");
        assert_eq!(d.para_text(&d.paras[3]), "1\t张伟\t中国电工技术学会\t张伟");
        texts.push(d.text);
    }
    assert!(texts.windows(2).all(|w| w[0] == w[1]));
    // The docx zip bomb renamed .xlsx is refused before calamine inflates it.
    let bomb = std::fs::read(fixture("bad/zip-bomb.docx")).unwrap();
    assert!(matches!(
        yanshou::extract::extract_bytes(bomb, "xlsx"),
        Err(ExtractError::TooLarge(_))
    ));
}

/// evidence.zip (make_fixtures.py, archives): GBK member names without the UTF-8 flag, a
/// name climbing out with ../../, a zip inside, a photo and __MACOSX debris (not read).
#[test]
fn zip_members_are_files_of_their_own() {
    use yanshou::extract::archive;
    let bytes = std::fs::read(fixture("fixtures/evidence.zip")).unwrap();
    let names: Vec<String> = archive::members(&bytes)
        .unwrap()
        .into_iter()
        .map(|m| m.name)
        .collect();
    assert_eq!(
        names,
        [
            "佐证材料/签到表.xlsx",
            "佐证材料/会议纪要.doc",
            "越界说明.txt",
            "佐证材料/旧材料.zip",
            "佐证材料/活动照片.jpg",
        ]
    );
    // As one document: the sheet (211 字), the passage (129 字) and 本说明共十个汉字。 (9);
    // the member name lines are not counted; the nested zip is named in a warning.
    let d = extract_path(&fixture("fixtures/evidence.zip")).unwrap();
    assert_eq!(d.format, Format::Zip);
    let c = d.counts();
    assert_eq!(c.words, 211 + 129 + 9);
    assert_eq!(c.paragraphs, 17 + 4 + 1);
    assert_eq!(d.name_rows, Some(12));
    assert!(
        d.warnings
            .iter()
            .any(|w| w.starts_with("佐证材料/旧材料.zip：") && w.contains("解压"))
    );
    // As facts: one entry per member, at archive!/member, each read as its own format.
    let facts = yanshou::facts::analyse_bytes(bytes, "zip");
    let files = yanshou::facts::expand_members(vec![("活动/evidence.zip".into(), facts)]);
    let got: Vec<(&str, Option<&str>, Option<u64>)> = files
        .iter()
        .map(|(p, f)| {
            (
                p.as_str(),
                f.format.as_deref(),
                f.counts.as_ref().map(|c| c.words),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "活动/evidence.zip!/佐证材料/签到表.xlsx",
                Some("xlsx"),
                Some(211)
            ),
            (
                "活动/evidence.zip!/佐证材料/会议纪要.doc",
                Some("doc"),
                Some(129)
            ),
            ("活动/evidence.zip!/越界说明.txt", Some("txt"), Some(9)),
            ("活动/evidence.zip!/佐证材料/旧材料.zip", None, None),
            (
                "活动/evidence.zip!/佐证材料/活动照片.jpg",
                Some("image"),
                None
            ),
        ]
    );
    assert_eq!(files[0].1.name_rows, Some(12));
    assert_eq!(files[3].1.status, FileStatus::Error);
    assert_eq!(files[4].1.date.as_deref(), Some("2022-09-15"));
}

/// OpenDocument twins (LibreOffice's .odt of the docx fixtures): same paragraphs and kinds,
/// same counts, the same notes, comments, text boxes, headers and footers.
#[test]
fn odt_twins_read_like_their_docx() {
    for name in ["passage", "report", "features"] {
        let docx = extract_path(&fixture(&format!("fixtures/{name}.docx"))).unwrap();
        let odt = extract_path(&fixture(&format!("fixtures/{name}.odt"))).unwrap();
        assert_eq!(odt.format, Format::Odt, "{name}");
        let kinds = |d: &yanshou::doc::Document| d.paras.iter().map(|p| p.kind).collect::<Vec<_>>();
        assert_eq!(kinds(&odt), kinds(&docx), "{name}");
        assert_eq!(odt.counts(), docx.counts(), "{name}");
        assert_eq!(
            odt.notes_counts().words,
            docx.notes_counts().words,
            "{name}"
        );
        // LibreOffice's docx puts a tab after a note's reference mark; the .odt does not.
        let notes = |d: &yanshou::doc::Document| {
            let mut v: Vec<_> = d
                .extra
                .iter()
                .map(|e| (format!("{:?}", e.kind), e.text.trim().to_string()))
                .collect();
            v.sort();
            v
        };
        assert_eq!(notes(&odt), notes(&docx), "{name}");
        assert_eq!(odt.warnings, docx.warnings, "{name}");
    }
    // The page-count field's result is the one layout recorded: 1 page in the .odt, 2 when the
    // docx was laid out with its endnote; every other paragraph reads the same.
    let odt = extract_path(&fixture("fixtures/report.odt")).unwrap();
    let docx = extract_path(&fixture("fixtures/report.docx")).unwrap();
    assert_eq!(odt.text, docx.text);
}

/// passage.ofd (make_fixtures.py, ofd): one TextObject per line; the paragraphs come back
/// from the positions, Latin words broken across lines rejoined with their space.
#[test]
fn ofd_paragraphs_are_rebuilt_from_positions() {
    let d = extract_path(&fixture("fixtures/passage.ofd")).unwrap();
    assert_eq!(d.format, Format::Ofd);
    let want = std::fs::read_to_string(fixture("fixtures/passage.utf8.txt")).unwrap();
    assert_eq!(d.text, want.trim_end());
    let pages: Vec<_> = d.paras.iter().map(|p| p.page).collect();
    assert_eq!(pages, [Some(1), Some(1), Some(1), Some(2)]);
    assert_eq!(d.meta.title.as_deref(), Some("学会服务能力提升计划"));
    // Renamed, it is still read as what it is.
    let bytes = std::fs::read(fixture("fixtures/passage.ofd")).unwrap();
    let again = yanshou::extract::extract_bytes(bytes, "bin").unwrap();
    assert_eq!(again.text, d.text);
}

/// Photos are listed with their EXIF date (photo.jpg: DateTimeOriginal 2022:09:15 10:30:00,
/// DateTime 2022:09:16, make_fixtures.py photos) and never counted.
#[test]
fn photos_are_listed_never_counted() {
    let d = extract_path(&fixture("fixtures/photo.jpg")).unwrap();
    assert_eq!(d.format, Format::Image);
    assert!(d.paras.is_empty());
    assert_eq!(d.meta.created.as_deref(), Some("2022-09-15T10:30:00"));
    let png = extract_path(&fixture("fixtures/photo.png")).unwrap();
    assert_eq!(png.meta.created, None);
    for name in ["photo.jpg", "photo.png"] {
        let row = count_path(
            &fixture(&format!("fixtures/{name}")),
            CountOptions::default(),
        );
        assert_eq!(row.status, FileStatus::NoText, "{name}");
        assert!(row.counts.is_none(), "{name}");
    }
    // A text file named .jpg is not a photo.
    assert!(matches!(
        yanshou::extract::extract_bytes(b"not a photo".to_vec(), "jpg"),
        Err(ExtractError::Corrupt(_))
    ));
}

/// The type comes from the content the same way everywhere: a docx named .pdf is a docx, a
/// text that mentions `%PDF-1.7` is text, a PDF behind binary junk is a PDF.
#[test]
fn content_decides_the_type() {
    use yanshou::extract::extract_bytes;
    let docx = std::fs::read(fixture("fixtures/passage.docx")).unwrap();
    assert_eq!(extract_bytes(docx, "pdf").unwrap().format, Format::Docx);
    let text = "这份说明提到 %PDF-1.7 文件头，但它是文本。\n"
        .as_bytes()
        .to_vec();
    assert_eq!(
        extract_bytes(text.clone(), "txt").unwrap().format,
        Format::Txt
    );
    assert!(yanshou::extract::looks_plain(&text));
    let mut pdf = vec![0u8, 0xFF, 0xFE, 7];
    pdf.extend(std::fs::read(fixture("fixtures/passage.pdf")).unwrap());
    let d = extract_bytes(pdf, "txt").unwrap();
    assert_eq!(d.format, Format::Pdf);
    // OLE files: a workbook named .doc is a workbook, a Word file named .xls is Word.
    let xls = std::fs::read(fixture("fixtures/signin.xls")).unwrap();
    assert_eq!(extract_bytes(xls, "doc").unwrap().format, Format::Xls);
    let doc = std::fs::read(fixture("fixtures/passage.doc")).unwrap();
    assert_eq!(extract_bytes(doc, "xls").unwrap().format, Format::Doc);
}

/// An .ods row repeated a million times across 16,384 columns: a few hundred bytes that
/// would ask for 17 billion cells; the repeats are capped and the file reads quickly.
#[test]
fn ods_repeats_are_capped() {
    use std::io::Write;
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>
<table:table table:name="S"><table:table-row><table:table-cell><text:p>姓名</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"><text:p>张三</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        z.start_file("mimetype", o).unwrap();
        z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        z.start_file("content.xml", o).unwrap();
        z.write_all(content.as_bytes()).unwrap();
        z.finish().unwrap();
    }
    let t = std::time::Instant::now();
    let d = yanshou::extract::extract_bytes(buf.into_inner(), "ods").unwrap();
    // 1 header row + 1000 kept repeats, each of 1000 kept cells.
    assert_eq!(d.paras.len(), 1 + 1000);
    assert_eq!(d.name_rows, Some(1000));
    assert!(t.elapsed().as_secs() < 30);
}

/// A member that inflates past the file cap is an error row of its own; the others still read.
#[test]
fn a_bomb_inside_an_archive_is_one_error() {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(1))
            .large_file(true);
        z.start_file("说明.txt", o).unwrap();
        z.write_all("正文四字".as_bytes()).unwrap();
        z.start_file("炸弹.txt", o).unwrap();
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..257 {
            z.write_all(&chunk).unwrap();
        }
        z.finish().unwrap();
    }
    let d = yanshou::extract::extract_bytes(buf.into_inner(), "zip").unwrap();
    assert_eq!(d.counts().cjk_chars, 4);
    assert!(
        d.warnings
            .iter()
            .any(|w| w.starts_with("炸弹.txt：") && w.contains("上限")),
        "{:?}",
        d.warnings
    );
}

/// A PDF cut before its %%EOF still reads what survived, and says the file is incomplete.
#[test]
fn a_cut_pdf_says_so() {
    let whole = std::fs::read(fixture("fixtures/passage.pdf")).unwrap();
    let ok = yanshou::extract::extract_bytes(whole.clone(), "pdf").unwrap();
    assert!(!ok.warnings.iter().any(|w| w.contains("不完整")));
    let end = whole
        .windows(5)
        .rposition(|w| w == b"%%EOF")
        .expect("a PDF ends with %%EOF");
    let cut = whole[..end].to_vec();
    match yanshou::extract::extract_bytes(cut, "pdf") {
        Ok(d) => assert!(
            d.warnings.iter().any(|w| w.contains("不完整")),
            "{:?}",
            d.warnings
        ),
        Err(e) => assert!(matches!(e, ExtractError::Corrupt(_))),
    }
}

/// evidence.7z (make_fixtures.py, seven_zip): the same members as files of their own.
#[test]
fn seven_zip_members_are_files_too() {
    let bytes = std::fs::read(fixture("fixtures/evidence.7z")).unwrap();
    let mut names: Vec<String> = yanshou::extract::archive::members(&bytes)
        .unwrap()
        .into_iter()
        .map(|m| m.name)
        .collect();
    names.sort();
    assert_eq!(names, ["佐证材料/会议纪要.doc", "佐证材料/签到表.xlsx"]);
    let d = extract_path(&fixture("fixtures/evidence.7z")).unwrap();
    assert_eq!(d.format, Format::SevenZip);
    assert_eq!(d.counts().words, 211 + 129);
    let facts = yanshou::facts::analyse_bytes(bytes, "7z");
    let files = yanshou::facts::expand_members(vec![("a.7z".into(), facts)]);
    let mut got: Vec<(String, Option<u64>)> = files
        .iter()
        .map(|(p, f)| (p.clone(), f.counts.as_ref().map(|c| c.words)))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("a.7z!/佐证材料/会议纪要.doc".to_string(), Some(129)),
            ("a.7z!/佐证材料/签到表.xlsx".to_string(), Some(211)),
        ]
    );
}

/// Flipped bytes of the archives give an error or some members, never a panic.
#[test]
fn garbled_archives_never_panic() {
    for name in ["evidence.zip", "evidence.7z"] {
        let good = std::fs::read(fixture(&format!("fixtures/{name}"))).unwrap();
        let ext = name.rsplit('.').next().unwrap();
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..120 {
            let mut b = good.clone();
            if round % 10 == 0 {
                b.truncate(next() as usize % b.len());
            }
            for _ in 0..1 + round % 6 {
                let i = next() as usize % b.len().max(1);
                if let Some(x) = b.get_mut(i) {
                    *x = next() as u8;
                }
            }
            let _ = yanshou::extract::extract_bytes(b, ext);
        }
    }
}
