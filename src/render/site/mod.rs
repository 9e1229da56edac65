//! The batch report site: static HTML pages in `OUT_DIR` that a reviewer opens from a file
//! share or a zip, with no server and nothing fetched from outside.
//!
//! - `index.html`: the dashboard (tallies, the projects table, the length chart, the top
//!   copying pairs, what changed since the last run) — [`dashboard`];
//! - `site/<id>/index.html`: a project's checklist and files — [`project`];
//! - `site/<id>/file-<key>.html`: one file's extracted text, the counted body and each cut
//!   section marked and totalled — [`fileview`];
//! - `site/<id>/copying.html`: the copying report of the project, CNKI-style — [`copying`];
//! - `search.html`: the search form; it only works under `yanshou serve` ([`crate::serve`]),
//!   which answers the same address with results.
//!
//! Templates are maud's `html!`: checked at compile time, and every `(expr)` is escaped as
//! text or attribute value unless wrapped in `PreEscaped` (used here only for the constant
//! CSS and script). That is the property the pages need most — titles, file names and
//! extracted text all come from submitted files — and maud gives it with no template files
//! to ship or find at run time (askama would do as well; escaped `format!` helpers leave
//! every interpolation to the author's care, which is how injection bugs come in).
//!
//! The pages are written from what the batch wrote (`summary.json`, the checklists,
//! `overlap.json`); only the file views and the copying report read the submitted files
//! again, and each is rewritten only when its inputs changed.

mod copying;
mod dashboard;
mod fileview;
mod project;

use std::collections::BTreeMap;
use std::path::Path;

use maud::{DOCTYPE, Markup, PreEscaped, html};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::batch::Summary;
use crate::check::checklist::Checklist;
use crate::error::Error;
use crate::fsutil::write_atomic;
use crate::overlap::report::OverlapReport;

/// Bump when the pages change shape: the cached file views and copying pages are rewritten.
const SITE_VERSION: u32 = 1;

/// The folder of the project pages inside `OUT_DIR`.
pub const SITE_DIR: &str = "site";

/// `site/views.json`: the link (from `OUT_DIR`) to the view of each project file, by the path
/// the index shows (`projects/<id>/<file>`).
pub const VIEWS_FILE: &str = "views.json";

/// What the site is made from.
pub struct SiteInput<'a> {
    pub out: &'a Path,
    pub batch: &'a Path,
    pub summary: &'a Summary,
    /// No previous run to compare with.
    pub first_run: bool,
    /// Per project: each submitted file (path relative to the project) and its content hash.
    pub hashes: BTreeMap<String, BTreeMap<String, String>>,
    /// The batch's copying rule (what counts as copying on the dashboard, as in the checks).
    pub copying: &'a crate::check::copying::OverlapSettings,
}

/// Writes the whole site into `OUT_DIR`.
pub fn write(input: &SiteInput) -> Result<(), Error> {
    let out = input.out;
    let site = out.join(SITE_DIR);
    std::fs::create_dir_all(&site).map_err(|e| Error::io(&site, e))?;
    let checklists: BTreeMap<String, Checklist> = input
        .summary
        .projects
        .iter()
        .filter_map(|p| {
            let path = out.join("checklists").join(format!("{}.json", p.id));
            let c: Checklist = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
            Some((p.id.clone(), c))
        })
        .collect();
    let overlap: Option<OverlapReport> = std::fs::read(out.join("overlap.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    let sources = overlap
        .as_ref()
        .map(copying::all_sources)
        .unwrap_or_default();

    let views = fileview::write_all(input, &checklists)?;
    // For `serve`'s search results: the view of each indexed project file.
    let index: BTreeMap<String, String> = views
        .iter()
        .flat_map(|(id, files)| {
            files.iter().map(move |(file, page)| {
                (
                    format!("projects/{id}/{file}"),
                    format!("{SITE_DIR}/{}/{page}", seg(id)),
                )
            })
        })
        .collect();
    let views_path = site.join(VIEWS_FILE);
    write_atomic(
        &views_path,
        &serde_json::to_vec(&index).map_err(|e| Error::output(&views_path, e))?,
    )
    .map_err(|e| Error::io(&views_path, e))?;
    copying::write_all(input, overlap.as_ref(), &sources)?;
    for p in &input.summary.projects {
        let dir = site.join(&p.id);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let html = project::page(
            p,
            checklists.get(&p.id),
            views.get(&p.id),
            sources.get(&p.id),
        );
        put(&dir.join("index.html"), &html)?;
    }
    remove_gone(&site, input.summary);
    put(
        &out.join("index.html"),
        &dashboard::page(input, overlap.as_ref(), &sources),
    )?;
    put(
        &out.join("search.html"),
        &search_page(&SearchForm::default(), None),
    )
}

/// Writes a page (atomically: a reader never sees half of it).
fn put(path: &Path, page: &Markup) -> Result<(), Error> {
    write_atomic(path, page.0.as_bytes()).map_err(|e| Error::io(path, e))
}

/// Removes the pages of projects no longer in the batch.
fn remove_gone(site: &Path, s: &Summary) {
    let Ok(rd) = std::fs::read_dir(site) else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if e.path().is_dir() && !s.projects.iter().any(|p| p.id == name) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// What must be percent-encoded in one segment of a relative link: a file name may hold
/// `#`, `?`, `%` or a space and must still name itself.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'\\')
    .add(b'\'');

/// One path segment as it goes into a link.
pub fn seg(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// The link from `OUT_DIR` to a project's page.
pub fn project_href(id: &str) -> String {
    format!("{SITE_DIR}/{}/index.html", seg(id))
}

/// 26729 → "26,729" (the site writes it `group`).
pub use crate::text::thousands as group;

/// A ratio as a percentage with one decimal.
pub fn pct(r: f64) -> String {
    format!("{:.1}%", r * 100.0)
}

/// The length a requirement asks for, read back from its expected text ("1，≥30000字",
/// "约3000字", "3000-5000字", "≤5000字"; see `guide::length_text`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wanted {
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub approx: Option<u64>,
}

impl Wanted {
    pub fn parse(expected: &str) -> Option<Wanted> {
        let head = &expected[..expected.find('字')?];
        let part = head.rsplit(['，', ',']).next()?.trim();
        let num = |s: &str| s.trim().parse::<u64>().ok();
        let none = Wanted {
            min: None,
            max: None,
            approx: None,
        };
        if let Some(n) = part.strip_prefix('≥') {
            Some(Wanted {
                min: Some(num(n)?),
                ..none
            })
        } else if let Some(n) = part.strip_prefix('≤') {
            Some(Wanted {
                max: Some(num(n)?),
                ..none
            })
        } else if let Some(n) = part.strip_prefix('约') {
            Some(Wanted {
                approx: Some(num(n)?),
                ..none
            })
        } else if let Some((a, b)) = part.split_once('-') {
            Some(Wanted {
                min: Some(num(a)?),
                max: Some(num(b)?),
                approx: None,
            })
        } else {
            let n = num(part)?;
            Some(Wanted {
                min: Some(n),
                max: Some(n),
                approx: None,
            })
        }
    }

    /// The figure a bar is measured against: the least allowed, else the target.
    pub fn mark(&self) -> Option<u64> {
        self.min.or(self.approx).or(self.max)
    }

    /// "3万字以上"-style text for the chart and tables.
    pub fn text(&self) -> String {
        match (self.min, self.max, self.approx) {
            (_, _, Some(a)) => format!("约{}字", group(a)),
            (Some(a), Some(b), _) if a == b => format!("{}字", group(a)),
            (Some(a), Some(b), _) => format!("{}–{}字", group(a), group(b)),
            (Some(a), None, _) => format!("≥{}字", group(a)),
            (None, Some(b), _) => format!("≤{}字", group(b)),
            _ => String::new(),
        }
    }
}

/// The style every page shares: system CJK fonts only (the site works offline), A4 print.
const CSS: &str = r#"
:root { --pass:#0a6b2d; --fail:#b00020; --review:#a15c00; --muted:#666; }
body { font-family: "Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif; font-size: 14px; color:#111; margin: 0 auto; max-width: 1180px; padding: 0 16px 40px; line-height: 1.5; }
nav { padding: 10px 0; border-bottom: 1px solid #ddd; margin-bottom: 12px; font-size: 13px; }
nav a { margin-right: 14px; }
h1 { font-size: 22px; margin: 10px 0; } h2 { font-size: 17px; margin: 22px 0 8px; border-left: 4px solid #2a5db0; padding-left: 8px; }
a { color: #1a4fa0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: 4px 7px; vertical-align: top; text-align: left; }
th { background: #f0f2f5; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.pass { color: var(--pass); } .fail, .missing { color: var(--fail); font-weight: bold; } .review { color: var(--review); font-weight: bold; }
.muted { color: var(--muted); font-size: 12px; }
.tallies { display: flex; gap: 12px; flex-wrap: wrap; margin: 8px 0 4px; }
.tally { border: 1px solid #ccc; border-radius: 6px; padding: 8px 16px; min-width: 90px; text-align: center; }
.tally b { display: block; font-size: 26px; }
.tally.pass b { color: var(--pass); } .tally.fail b { color: var(--fail); } .tally.review b { color: var(--review); }
.overdue { color: var(--fail); font-weight: bold; white-space: nowrap; }
.controls { margin: 6px 0; } .controls input, .controls select { font-size: 14px; padding: 3px 6px; }
th.sortable { cursor: pointer; } th.sortable::after { content: " ⇅"; color: #999; font-size: 11px; }
.headline { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; margin: 6px 0; }
.headline div { border: 1px solid #ccc; padding: 6px 10px; } .headline b { display:block; font-size: 22px; }
.copied { color: #c00000; background: #fde8e8; } .cited { color: #1b7a1b; background: #e6f4e6; }
td.side { width: 50%; white-space: pre-wrap; word-break: break-all; }
.para { margin: 0; padding: 2px 8px; white-space: pre-wrap; word-break: break-all; }
.sec { border-left: 6px solid #ccc; margin: 6px 0; }
.sec-body { border-color: #2a8a4a; } .sec-cut { border-color: #c77; background: #fbf3f3; color: #555; }
.sec-label { font-size: 12px; font-weight: bold; padding: 2px 8px; background: #eee; }
.sec-cut .sec-label { background: #f3dcdc; color: #8a1c1c; } .sec-body .sec-label { background: #dff0e4; color: #0a6b2d; }
mark { background: #ffe58a; }
svg text { font-size: 12px; font-family: inherit; }
@media print { nav, .controls { display: none; } body { max-width: none; } a { color: inherit; text-decoration: none; } tr { page-break-inside: avoid; } }
"#;

/// The frame of every page. `root` leads from the page back to `OUT_DIR` ("" or "../../").
fn shell(title: &str, root: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                nav {
                    a href={ (root) "index.html" } { "验收总览" }
                    a href={ (root) "overlap.html" } { "全部重复检测结果" }
                    a href={ (root) "summary.xlsx" } { "汇总表（Excel）" }
                    a href={ (root) "search.html" } { "全文检索" }
                }
                (body)
            }
        }
    }
}

/// What the search form shows filled in.
#[derive(Debug, Clone, Default)]
pub struct SearchForm {
    pub q: String,
    pub label: String,
    pub org: String,
    pub year: String,
}

/// The search page: the form, and the results when there are any. Written as `search.html`
/// without results (opened from disk it says search needs `yanshou serve`); `serve` answers
/// the same address with results.
pub fn search_page(form: &SearchForm, results: Option<Markup>) -> Markup {
    shell(
        "全文检索",
        "",
        html! {
            h1 { "全文检索" }
            form method="get" action="search.html" {
                input type="search" name="q" value=(form.q) size="40" placeholder="查询词：空格分隔，\"引号\"内为整句，-词 表示排除" autofocus;
                " 材料类型 " input type="text" name="label" size="8" value=(form.label);
                " 单位 " input type="text" name="org" size="10" value=(form.org);
                " 年度 " input type="number" name="year" style="width:6em" value=(form.year);
                " " button type="submit" { "检索" }
            }
            @match results {
                Some(r) => { (r) }
                None => {
                    p.muted id="needs-serve" {
                        "检索需要运行 " code { "yanshou serve 输出目录" }
                        "，再在浏览器中打开它给出的地址（从磁盘直接打开本页时无法检索）。"
                    }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::batch::{ProjectRow, RequirementRow, RunStats};
    use crate::check::checklist::Tracking;
    use crate::check::{Evidence, Status, Verdict};

    const HOSTILE: &str = "<script>alert(1)</script>\"' onmouseover=\"x";

    fn hostile_summary() -> Summary {
        let row = ProjectRow {
            id: "P\"1<u>".into(),
            title: HOSTILE.into(),
            org: "单位\"><img src=x onerror=alert(2)>".into(),
            guideline: "g".into(),
            item: "1.1".into(),
            item_title: HOSTILE.into(),
            verdict: Verdict::Fail,
            guideline_title: HOSTILE.into(),
            main_report_required_words: Some(30000),
            main_report_words_note: None,
            main_report_words_source: None,
            reason: format!("不通过1项：{HOSTILE}"),
            requirements: vec![RequirementRow {
                id: "1.1/1".into(),
                label: "研究报告".into(),
                kind: crate::guide::Kind::Report,
                status: Status::Fail,
                expected: "1，≥30000字".into(),
                actual: "<i>".into(),
                evidence: vec![Evidence {
                    path: "<a href=x>.docx".into(),
                    detail: HOSTILE.into(),
                    part: None,
                }],
            }],
            overlaps: Vec::new(),
            tracking: Tracking::default(),
            files: 1,
            main_report_words: Some(100),
            verdict_since: None,
            item_source: None,
            item_score: None,
        };
        Summary {
            schema: "yanshou.batch.v1".into(),
            generated_at: "2026-11-30T21:22:26Z".into(),
            batch: "<u>batch</u>".into(),
            projects: vec![row],
            errors: Vec::new(),
            changes: Vec::new(),
            stats: RunStats::default(),
            roster: None,
        }
    }

    /// Whatever a submitted file or project.toml says is text on the page: no tag, no
    /// attribute of its own, in element content or in attribute values.
    #[test]
    fn titles_and_paths_are_escaped_everywhere() {
        let s = hostile_summary();
        let input = SiteInput {
            out: Path::new("/nonexistent"),
            batch: Path::new("/nonexistent"),
            summary: &s,
            first_run: true,
            hashes: BTreeMap::new(),
            copying: &Default::default(),
        };
        let pages = [
            dashboard::page(&input, None, &BTreeMap::new()).0,
            project::page(&s.projects[0], None, None, None).0,
        ];
        for html in &pages {
            for bad in [
                "<script>alert",
                "<img",
                "<u>",
                "<i>",
                "\" onmouseover",
                "<a href=x>",
            ] {
                assert!(!html.contains(bad), "{bad} unescaped");
            }
            assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        }
        // In attributes: the row id and the link to the project keep the quote inside.
        assert!(
            pages[0].contains("id=\"row-P&quot;1&lt;u&gt;\""),
            "{}",
            pages[0]
        );
        assert!(pages[0].contains("href=\"site/P%221%3Cu%3E/index.html\""));
    }

    /// A main report counted by OCR is an estimate on the dashboard: in its table cell, on
    /// its bar and in the bar's tooltip; a counted one carries no mark.
    #[test]
    fn an_ocr_main_report_is_marked_as_an_estimate_on_the_dashboard() {
        let mut s = hostile_summary();
        s.projects[0].main_report_words = Some(31234);
        let html = |s: &Summary| {
            let input = SiteInput {
                out: Path::new("/nonexistent"),
                batch: Path::new("/nonexistent"),
                summary: s,
                first_run: true,
                hashes: BTreeMap::new(),
                copying: &Default::default(),
            };
            dashboard::page(&input, None, &BTreeMap::new()).0
        };
        let counted = html(&s);
        assert!(counted.contains("31,234") && !counted.contains("≈31,234"));
        s.projects[0].main_report_words_source = Some(crate::report::TextSource::Ocr);
        let estimated = html(&s);
        // Table cell, bar label, tooltip.
        assert_eq!(estimated.matches("≈31,234").count(), 3, "{estimated}");
        assert!(estimated.contains("扫描件 OCR 估计"));
    }

    #[test]
    fn wanted_reads_what_length_text_writes() {
        let w = |min, max, approx| Wanted { min, max, approx };
        let rows = [
            ("1，≥30000字", Some(w(Some(30000), None, None))),
            ("1篇，约3000字", Some(w(None, None, Some(3000)))),
            ("3000-5000字", Some(w(Some(3000), Some(5000), None))),
            ("≤5000字", Some(w(None, Some(5000), None))),
            ("1，8000字", Some(w(Some(8000), Some(8000), None))),
            ("≥1", None),
            ("6-8", None),
            ("专家判断", None),
        ];
        for (text, want) in rows {
            assert_eq!(Wanted::parse(text), want, "{text}");
        }
    }

    #[test]
    fn groups_thousands() {
        for (n, s) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (26729, "26,729"),
            (1234567, "1,234,567"),
        ] {
            assert_eq!(group(n), s);
        }
    }

    #[test]
    fn link_segments_keep_their_names() {
        assert_eq!(seg("P 01"), "P%2001");
        assert_eq!(seg("a/b#c?d%"), "a%2Fb%23c%3Fd%25");
        // Non-ASCII is sent as UTF-8: 报 is E6 8A A5, 告 is E5 91 8A.
        assert_eq!(seg("报告\"x'"), "%E6%8A%A5%E5%91%8A%22x%27");
    }
}
