//! OCR of scanned PDFs (corpora/scans, made by corpora/tools/make_scans.py from a known text).
//!
//! The true 字数 are the generator's own count of its source text (Han characters and
//! full-width punctuation one each, a run of ASCII digits one), not yanshou's output:
//! the 3-page report has 2309 字 in its body, without its running head and 第 N 页 feet; the
//! mixed file has 105 字 on its digital page and 163 字 on its scanned appendix page; page 1
//! alone has 889.
//!
//! These tests need Tesseract with chi_sim (`.ci/run` installs them); without it they print
//! why and pass, and the test of the missing-engine message runs instead.

use std::path::{Path, PathBuf};
use std::process::Command;

use yanshou::extract::extract_path;
use yanshou::extract::ocr::{INSTALL_HINT, engine};
use yanshou::report::{CountOptions, CountReport, FileCount, FileStatus, TextSource, count_path};

const REPORT_WORDS: u64 = 2309;
const MIXED_DIGITAL: u64 = 105;
const MIXED_SCANNED: u64 = 163;

fn scan(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpora/scans")
        .join(name)
}

/// Is Tesseract with chi_sim here? If not, says so (the test then passes without running).
fn have_ocr(test: &str) -> bool {
    match engine() {
        Ok(_) => true,
        Err(why) => {
            eprintln!("SKIP {test}: {why}");
            false
        }
    }
}

fn count(name: &str) -> FileCount {
    count_path(&scan(name), CountOptions::default())
}

/// Relative error of an estimate, in percent.
fn error_pct(got: u64, truth: u64) -> f64 {
    (got as f64 - truth as f64) / truth as f64 * 100.0
}

#[test]
fn the_digital_original_counts_exactly_what_the_generator_counted() {
    // The cross-check of the true count: the same report with its text layer.
    let row = count("report-digital.pdf");
    assert_eq!(row.counts.unwrap().words, REPORT_WORDS);
    assert_eq!(row.source, None);
}

fn assert_scan_within(name: &str, tolerance_pct: f64) {
    let row = count(name);
    assert_eq!(row.status, FileStatus::Ok, "{name}: {:?}", row.error);
    assert_eq!(row.source, Some(TextSource::Ocr));
    assert_eq!(row.ocr_pages, vec![1, 2, 3]);
    let words = row.counts.unwrap().words;
    let err = error_pct(words, REPORT_WORDS);
    assert!(
        err.abs() <= tolerance_pct,
        "{name}: OCR {words} 字 vs {REPORT_WORDS}: {err:+.2}%"
    );
    assert_eq!(row.ocr_words, Some(words));
    let w = format!("扫描件，OCR 估计约 {words} 字");
    assert!(
        row.warnings.iter().any(|x| x.starts_with(&w)),
        "{:?}",
        row.warnings
    );
    // Every page was read: none is left as "no text layer".
    assert!(row.empty_pages.is_empty());
}

#[test]
fn clean_scans_at_300_dpi_within_one_percent() {
    if have_ocr("clean_scans_at_300_dpi_within_one_percent") {
        assert_scan_within("scan-300dpi.pdf", 1.0);
    }
}

#[test]
fn clean_scans_at_200_dpi_within_one_percent() {
    if have_ocr("clean_scans_at_200_dpi_within_one_percent") {
        assert_scan_within("scan-200dpi.pdf", 1.0);
    }
}

#[test]
fn noisy_stamped_scans_within_three_percent() {
    if have_ocr("noisy_stamped_scans_within_three_percent") {
        assert_scan_within("scan-noisy.pdf", 3.0);
    }
}

#[test]
fn a_bilevel_flate_scan_is_read_like_its_jpeg() {
    if !have_ocr("a_bilevel_flate_scan_is_read_like_its_jpeg") {
        return;
    }
    // Page 1 alone: 889 字 of body (make_scans.py, from pdftotext of the digital original)
    // plus its 12-字 running head, which one page cannot show to repeat and so is counted,
    // as on a one-page digital PDF. Its 1-bit Flate image goes through the PBM path.
    let truth = 889 + 12;
    for name in ["scan-bilevel-flate.pdf", "scan-first-page.pdf"] {
        let row = count(name);
        assert_eq!(row.source, Some(TextSource::Ocr), "{name}");
        let words = row.counts.unwrap().words;
        let err = error_pct(words, truth);
        assert!(err.abs() <= 1.0, "{name}: {words} vs {truth}: {err:+.2}%");
    }
}

#[test]
fn running_heads_and_page_numbers_of_scans_are_dropped() {
    if !have_ocr("running_heads_and_page_numbers_of_scans_are_dropped") {
        return;
    }
    let doc = extract_path(&scan("scan-300dpi.pdf")).unwrap();
    assert_eq!(doc.ocr_pages, vec![1, 2, 3]);
    for p in &doc.paras {
        let t: String = doc.para_text(p).split_whitespace().collect();
        assert_ne!(t, "学会服务能力提升调研报告", "running head kept");
        assert!(
            !(t.starts_with('第') && t.ends_with('页') && t.chars().count() <= 5),
            "page number kept: {t}"
        );
    }
    // Tesseract's spaces between Han characters are gone.
    assert!(!doc.text.contains("调 研"), "{}", &doc.text[..200]);
    assert!(doc.text.contains("一、调研背景"));
}

#[test]
fn a_scanned_page_in_a_digital_pdf_is_read_and_sections_still_apply() {
    if !have_ocr("a_scanned_page_in_a_digital_pdf_is_read_and_sections_still_apply") {
        return;
    }
    let row = count("mixed.pdf");
    assert_eq!(row.status, FileStatus::Ok);
    assert_eq!(row.source, Some(TextSource::Mixed));
    assert_eq!(row.ocr_pages, vec![2]);
    let total = row.counts.unwrap().words;
    let err = error_pct(total, MIXED_DIGITAL + MIXED_SCANNED);
    assert!(err.abs() <= 1.0, "{total}: {err:+.2}%");
    let ocr = row.ocr_words.unwrap();
    assert!(error_pct(ocr, MIXED_SCANNED).abs() <= 2.0, "{ocr}");
    // The scanned page is an appendix (附件：…): the body is the digital page alone.
    assert_eq!(row.body_counts.unwrap().words, MIXED_DIGITAL);
    assert!(
        row.warnings
            .iter()
            .any(|w| w.starts_with("第 2 页为扫描页，OCR 估计约")),
        "{:?}",
        row.warnings
    );
}

#[test]
fn ocr_rows_validate_against_the_count_schema() {
    if !have_ocr("ocr_rows_validate_against_the_count_schema") {
        return;
    }
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/count.v1.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let report = CountReport::new(vec![count("mixed.pdf")]);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["files"][0]["source"], "mixed");
    assert_eq!(json["files"][0]["ocr_pages"], serde_json::json!([2]));
    let errs: Vec<String> = v.iter_errors(&json).map(|e| e.to_string()).collect();
    assert!(errs.is_empty(), "{errs:?}");
    // An unknown source is refused: the schema does check the new field.
    let mut bad = json.clone();
    bad["files"][0]["source"] = "guess".into();
    assert!(!v.is_valid(&bad));
}

#[test]
fn without_tesseract_a_scan_stays_no_text_and_says_what_to_install() {
    // The engine is looked up at run time: point it at nothing, in a child process.
    let out = Command::new(env!("CARGO_BIN_EXE_yanshou"))
        .args(["count", "--json"])
        .arg(scan("scan-200dpi.pdf"))
        .env("YANSHOU_TESSERACT", "/nonexistent/tesseract")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &json["files"][0];
    assert_eq!(f["status"], "no_text");
    assert!(f.get("source").is_none());
    let warnings = f["warnings"].to_string();
    assert!(warnings.contains(INSTALL_HINT), "{warnings}");
    assert!(warnings.contains("未找到 OCR 组件"), "{warnings}");
}

// Pictures (corpora/tools/make_pictures.py): page 1 of the scanned report saved as a JPEG
// and as a 1-bit PNG (889 字 of body plus its 12-字 running head, as above), a synthetic
// meeting-room photo and a banner card with one short line.

#[test]
fn a_scanned_page_saved_as_a_picture_is_read_like_a_scanned_pdf_page() {
    if !have_ocr("a_scanned_page_saved_as_a_picture_is_read_like_a_scanned_pdf_page") {
        return;
    }
    let truth = 889 + 12;
    for name in ["page-200dpi.jpg", "page-bilevel.png"] {
        let row = count(name);
        assert_eq!(row.status, FileStatus::Ok, "{name}: {:?}", row.error);
        assert_eq!(row.source, Some(TextSource::Ocr), "{name}");
        assert_eq!(row.ocr_pages, vec![1], "{name}");
        let words = row.counts.unwrap().words;
        let err = error_pct(words, truth);
        assert!(err.abs() <= 1.0, "{name}: {words} vs {truth}: {err:+.2}%");
        assert!(
            row.warnings
                .iter()
                .any(|w| w.starts_with("扫描件，OCR 估计约")),
            "{name}: {:?}",
            row.warnings
        );
    }
}

#[test]
fn photos_stay_photos() {
    // The meeting room is no page by its pixels: never handed to OCR, so no OCR line either
    // way, with or without Tesseract.
    let row = count("photo-room.jpg");
    assert_eq!(row.status, FileStatus::NoText);
    assert_eq!(row.source, None);
    assert!(
        row.warnings.iter().all(|w| !w.contains("OCR")),
        "{:?}",
        row.warnings
    );
    if !have_ocr("photos_stay_photos (banner)") {
        return;
    }
    // The banner card looks like a page but holds 8 字: read, found too short, a photo.
    let row = count("banner.png");
    assert_eq!(row.status, FileStatus::NoText, "{:?}", row.counts);
    assert_eq!(row.source, None);
}

#[test]
fn without_tesseract_a_page_picture_stays_a_photo_and_says_what_to_install() {
    let out = Command::new(env!("CARGO_BIN_EXE_yanshou"))
        .args(["count", "--json"])
        .arg(scan("page-200dpi.jpg"))
        .arg(scan("photo-room.jpg"))
        .env("YANSHOU_TESSERACT", "/nonexistent/tesseract")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let page = &json["files"][0];
    assert_eq!(page["status"], "no_text");
    let warnings = page["warnings"].to_string();
    assert!(warnings.contains("图片疑似扫描的文字页"), "{warnings}");
    assert!(warnings.contains(INSTALL_HINT), "{warnings}");
    // The photo says nothing about OCR.
    assert!(!json["files"][1]["warnings"].to_string().contains("OCR"));
}

#[test]
fn count_reads_the_tesseract_path_from_the_nearest_yanshou_toml() {
    // A batch-like folder whose yanshou.toml names a Tesseract that is not there, relative to
    // the settings file: `count` of a scan inside it must try exactly that path.
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("projects/P01");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(
        dir.path().join("yanshou.toml"),
        "[check]\napprox_tolerance = 0.2\n\n[ocr]\ntesseract = \"tools/no-such-tesseract\"\n",
    )
    .unwrap();
    std::fs::copy(scan("scan-first-page.pdf"), sub.join("scan.pdf")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_yanshou"))
        .args(["count", "--json"])
        .arg(sub.join("scan.pdf"))
        .env_remove("YANSHOU_TESSERACT")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let warnings = json["files"][0]["warnings"].to_string();
    let expected = dir.path().join("tools/no-such-tesseract");
    assert!(
        warnings.contains(&format!(
            "未找到 OCR 组件 Tesseract（{}）",
            expected.display()
        )),
        "{warnings}"
    );

    // A broken settings file is a warning; the count goes on.
    std::fs::write(dir.path().join("yanshou.toml"), "[ocr\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_yanshou"))
        .args(["count", "--json"])
        .arg(sub.join("scan.pdf"))
        .env("YANSHOU_TESSERACT", "/nonexistent/tesseract")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("未采用 OCR 设置"), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["files"][0]["status"], "no_text");
}

#[test]
fn the_count_table_marks_an_ocr_estimate() {
    if !have_ocr("the_count_table_marks_an_ocr_estimate") {
        return;
    }
    let out = Command::new(env!("CARGO_BIN_EXE_yanshou"))
        .arg("count")
        .arg(scan("page-bilevel.png"))
        .arg(scan("report-digital.pdf"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    // The scan's 字数 and 正文字数 carry "≈"; the digital original's are plain numbers.
    let scan_row = rows
        .iter()
        .find(|r| r[7].ends_with("page-bilevel.png"))
        .unwrap();
    assert!(
        scan_row[0].starts_with('≈') && scan_row[6].starts_with('≈'),
        "{scan_row:?}"
    );
    let digital = rows
        .iter()
        .find(|r| r[7].ends_with("report-digital.pdf"))
        .unwrap();
    assert_eq!(digital[0], REPORT_WORDS.to_string());
}

#[test]
fn the_checklist_marks_an_ocr_count_as_an_estimate() {
    if !have_ocr("the_checklist_marks_an_ocr_count_as_an_estimate") {
        return;
    }
    // The demo's P05 submits its 调研报告 as a one-page scan (page 1 of the scanned report:
    // about 900 字 by OCR).
    let out = Command::new(env!("CARGO_BIN_EXE_yanshou"))
        .args([
            "check",
            "corpora/demo/projects/P05",
            "--today",
            "2023-02-01",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&out.stdout);
    let row = md
        .lines()
        .find(|l| l.contains("（扫描件）.pdf") && l.contains("正常，扫描件 OCR 估计"))
        .unwrap_or_else(|| panic!("{md}"));
    assert!(row.contains("| ≈"), "{row}");
    // One page, one report: not split into parts at its running head (page 1 alone has 889
    //字 of body and a 12-字 head, so the estimate is in the hundreds, not 2).
    assert!(!row.contains(".pdf#"), "{row}");
    let est: u64 = row
        .rsplit("| ≈")
        .next()
        .and_then(|c| {
            c.trim_end_matches(" |")
                .replace(',', "")
                .trim()
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("{row}"));
    assert!((850..=950).contains(&est), "{row}");
    // A digital file of the same project is a plain count.
    let digital = md
        .lines()
        .find(|l| l.contains("建议报告.docx") && l.contains("| 正常 |"))
        .unwrap_or_else(|| panic!("{md}"));
    assert!(!digital.contains('≈'), "{digital}");
}

#[test]
fn a_page_is_read_by_ocr_once_per_process() {
    // A stand-in Tesseract that logs each recognition and reads one line of 150 字: two
    // copies of one scanned page counted in one process (one thread, so in turn) cost one
    // page's two passes, not four: the batch extracts a file again for its index and views.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("calls.log");
    let fake = dir.path().join("tesseract");
    let line = "学".repeat(150);
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\nif [ \"$1\" = --list-langs ]; then echo chi_sim; exit 0; fi\n\
             cat >/dev/null\necho call >> '{}'\n\
             printf 'level\\tpage_num\\tblock_num\\tpar_num\\tline_num\\tword_num\\tleft\\ttop\\twidth\\theight\\tconf\\ttext\\n'\n\
             printf '5\\t1\\t1\\t1\\t1\\t1\\t100\\t100\\t1400\\t40\\t95\\t{line}\\n'\n",
            log.display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    for name in ["a.jpg", "b.jpg"] {
        std::fs::copy(scan("page-200dpi.jpg"), dir.path().join(name)).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_yanshou"))
        .args(["count", "--json"])
        .arg(dir.path().join("a.jpg"))
        .arg(dir.path().join("b.jpg"))
        .env("YANSHOU_TESSERACT", &fake)
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for f in json["files"].as_array().unwrap() {
        assert_eq!(f["counts"]["words"], 150, "{f}");
    }
    let calls = std::fs::read_to_string(&log).unwrap().lines().count();
    assert_eq!(calls, 2, "two passes of one page");
}

/// In a batch the summary's main-report figure keeps its OCR mark: the scanned report's
/// row says `ocr` and its CSV cell reads ≈…, the digital original's is a plain count.
#[test]
fn the_batch_summary_marks_a_main_report_read_by_ocr() {
    if !have_ocr("the_batch_summary_marks_a_main_report_read_by_ocr") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path().join("batch");
    crate::common::batch_with_cast_call(&b);
    for (id, file) in [("P01", "scan-200dpi.pdf"), ("P02", "report-digital.pdf")] {
        let p = b.join("projects").join(id);
        std::fs::create_dir_all(&p).unwrap();
        std::fs::write(
            p.join("project.toml"),
            "title = \"学会规范化治理研究\"\nguideline = \"2022-cast-reform-pilot-guide\"\nitem = \"1.3\"\n",
        )
        .unwrap();
        std::fs::copy(scan(file), p.join("研究报告.pdf")).unwrap();
    }
    let out = dir.path().join("out");
    let s = crate::common::run_batch(&b, &out);
    let row = |id: &str| s.projects.iter().find(|p| p.id == id).unwrap();
    assert_eq!(row("P02").main_report_words, Some(REPORT_WORDS));
    assert_eq!(row("P02").main_report_words_source, None);
    let ocr = row("P01");
    assert_eq!(ocr.main_report_words_source, Some(TextSource::Ocr));
    let w = ocr.main_report_words.unwrap();
    assert!(error_pct(w, REPORT_WORDS).abs() <= 3.0, "{w}");
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    let p01 = csv.lines().find(|l| l.starts_with("P01,")).unwrap();
    assert!(
        p01.contains(&format!("≈{}", yanshou::text::thousands(w))),
        "{p01}"
    );
    let p02 = csv.lines().find(|l| l.starts_with("P02,")).unwrap();
    assert!(!p02.contains('≈') && p02.contains(",2309,"), "{p02}");
}
