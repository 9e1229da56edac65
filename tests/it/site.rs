//! The batch report site on the demo: the dashboard answers which projects fail and why, who
//! copied from whom and whether P02's report reaches 3万字; every link leads to a page (and
//! every anchor to a place on it); a file view totals the body and each cut part; the copying
//! report shows its figures and hides what has none. Expected figures are those the demo's
//! generator (corpora/tools/make_demo.py) wrote the projects for.

use crate::common::root;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use yanshou::batch::{RunOptions, run};

/// One run of the demo for all the tests here (a run takes most of a minute unoptimised).
pub fn site() -> &'static Path {
    static OUT: OnceLock<tempfile::TempDir> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = tempfile::tempdir().unwrap();
        let opts = RunOptions {
            today: Some("2023-02-01".into()),
        };
        run(&root().join("corpora/demo"), out.path(), &opts).unwrap();
        out
    })
    .path()
}

pub fn read(rel: &str) -> String {
    std::fs::read_to_string(site().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The text of the element with `id` (tags stripped): enough for pages this site writes.
pub fn element_text(html: &str, id: &str) -> String {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element #{id}"));
    let open = html[..at].rfind('<').unwrap();
    let tag: String = html[open + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let close = format!("</{tag}>");
    // Elements of the same tag do not nest in the pages' rows and cells.
    let end = at + html[at..].find(&close).unwrap();
    strip_tags(&html[html[at..].find('>').unwrap() + at + 1..end])
}

/// The first `n` characters.
pub fn head(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

pub fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in s.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
}

#[test]
fn dashboard_answers_the_three_questions() {
    let html = read("index.html");
    // Which projects fail and why: P02, P03, P07 and P08 fail; P01, P04, P05 and P10 need a
    // reviewer; P06, P09 and P12 (one 结题材料汇编) pass; P11's project.toml names no item of
    // its call.
    assert_eq!(element_text(&html, "tally-fail"), "4");
    assert_eq!(element_text(&html, "tally-review"), "4");
    assert_eq!(element_text(&html, "tally-pass"), "3");
    assert_eq!(element_text(&html, "tally-errors"), "1");
    let p02 = element_text(&html, "row-P02");
    assert!(p02.contains("不通过") && p02.contains("研究报告"), "{p02}");
    // Does P02's report reach 3万字: 26,729 against ≥30,000.
    assert!(p02.contains("26,729") && p02.contains("≥30,000字"), "{p02}");
    // Deadline 2022-12-31, counted to 2023-02-01: 32 days overdue, and the overdue come first.
    assert!(p02.contains("32 天"), "{p02}");
    let rows: Vec<usize> = [
        "row-P02", "row-P03", "row-P08", "row-P07", "row-P01", "row-P06",
    ]
    .iter()
    .map(|id| html.find(&format!("id=\"{id}\"")).unwrap())
    .collect();
    assert!(rows.windows(2).all(|w| w[0] < w[1]), "order {rows:?}");
    // The chart draws P02 short of its mark, in red.
    let chart = &html[html.find("id=\"length-chart\"").unwrap()..];
    let p02_bar = &chart[chart.find("P02 ").unwrap()..];
    assert!(p02_bar[..p02_bar.find("</g>").unwrap()].contains("#c0392b"));
    // Who copied from whom: P10's report is P01's; that pair leads the list.
    let pairs = element_text(&html, "top-pairs");
    let first = pairs
        .lines()
        .find(|l| l.contains("projects/"))
        .unwrap_or(&pairs);
    assert!(
        pairs
            .find("P01/学会规范化治理及社会公信力提升研究报告.docx")
            .unwrap()
            < pairs
                .find("关于举办专题交流活动的通知")
                .unwrap_or(usize::MAX),
        "{first}"
    );
    // P04's 572 字 from the archive's policy paper (29%) is listed, and before the 58-字
    // notices that two projects share at 100%: those are below the copying rule's floor.
    let archive = pairs
        .find("archive/14th-fyp-cast-reform-tasks-policy.txt")
        .expect("the archive hit is among the top pairs");
    assert!(
        archive
            < pairs
                .find("关于举办专题交流活动的通知")
                .unwrap_or(usize::MAX)
    );
    // A project whose only shared text is such a notice shows no 最高重复.
    let p02 = element_text(&html, "row-P02");
    assert!(!p02.contains('%'), "{p02}");
    // A first run has nothing to compare with, and says so.
    assert!(element_text(&html, "changes").contains("第一次运行"));
}

/// Every relative link of every page leads to a file of the output, and every `#anchor` to
/// an element of that page with that id.
#[test]
fn every_link_leads_somewhere() {
    let out = site();
    let mut pages: Vec<PathBuf> = vec![out.join("index.html"), out.join("search.html")];
    for e in std::fs::read_dir(out.join("site")).unwrap() {
        let dir = e.unwrap().path();
        if !dir.is_dir() {
            continue; // views.json, the server's map of file views
        }
        for f in std::fs::read_dir(dir).unwrap() {
            pages.push(f.unwrap().path());
        }
    }
    assert!(pages.len() > 30, "{} pages", pages.len());
    let mut checked = 0;
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        for href in html.split("href=\"").skip(1) {
            let href = href[..href.find('"').unwrap()].replace("&amp;", "&");
            assert!(
                !href.contains("://"),
                "{}: outside link {href}",
                page.display()
            );
            let (path, frag) = href.split_once('#').unwrap_or((&href, ""));
            let target = if path.is_empty() {
                page.clone()
            } else {
                let decoded = percent_encoding::percent_decode_str(path)
                    .decode_utf8()
                    .unwrap();
                page.parent().unwrap().join(decoded.as_ref())
            };
            assert!(target.is_file(), "{}: broken link {href}", page.display());
            if !frag.is_empty() {
                let t = std::fs::read_to_string(&target).unwrap();
                assert!(
                    t.contains(&format!("id=\"{frag}\"")),
                    "{}: no #{frag} in {}",
                    page.display(),
                    target.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 200, "{checked} links");
}

/// P02's report (a 7,000-字 appendix pads a body under 3万): the view shows the body and each
/// cut part with the figures `count` gives for the same file (the count itself is checked
/// against Word's rules elsewhere), and the parts add up to the whole.
#[test]
fn file_view_totals_the_body_and_each_cut_part() {
    use yanshou::sections::SectionKind;
    let project = read("site/P02/index.html");
    let link = project
        .split("href=\"")
        .find(|s| s[s.find('>').unwrap()..].starts_with(">学会科技奖项影响力提升研究报告.docx"))
        .expect("a link to the report's view");
    let page = read(&format!("site/P02/{}", &link[..link.find('"').unwrap()]));
    let row = yanshou::report::count_path(
        &root().join("corpora/demo/projects/P02/学会科技奖项影响力提升研究报告.docx"),
        Default::default(),
    );
    let (total, body) = (row.counts.unwrap().words, row.body_counts.unwrap().words);
    let cut = |k: SectionKind| {
        row.excluded
            .iter()
            .filter(|e| e.section == k)
            .map(|e| e.words)
            .sum::<u64>()
    };
    let parts = [
        ("total-cover", SectionKind::Cover),
        ("total-toc", SectionKind::Toc),
        ("total-references", SectionKind::References),
        ("total-appendix", SectionKind::Appendix),
    ];
    assert_eq!(
        body + parts.iter().map(|(_, k)| cut(*k)).sum::<u64>(),
        total,
        "the body and the cut parts make the whole"
    );
    // The appendix is the padding the demo built (about 7,000 字); every part has some text.
    assert!((6500..7500).contains(&cut(SectionKind::Appendix)));
    assert_eq!(
        element_text(&page, "total-body"),
        yanshou::text::thousands(body)
    );
    for (id, k) in parts {
        assert!(cut(k) > 0, "{id}");
        assert_eq!(
            element_text(&page, id),
            yanshou::text::thousands(cut(k)),
            "{id}"
        );
    }
    // The cut parts are marked as such around their own text.
    let refs = &page[page.find("data-kind=\"references\"").unwrap()..];
    assert!(head(refs, 100).contains("不计入正文"));
}

#[test]
fn copying_report_has_headlines_and_hides_clean_files() {
    // P07 shares nothing with anyone.
    let p07 = read("site/P07/copying.html");
    assert!(p07.contains("未发现与其他项目或档案相同的文字"));
    assert!(!p07.contains("总文字复制比"));
    // P01's report is copied whole by P10: 100% on both counts, its source named.
    let p01 = read("site/P01/copying.html");
    let at = p01
        .find("<h2>学会规范化治理及社会公信力提升研究报告.docx</h2>")
        .expect("the report's block");
    let block = strip_tags(&head(&p01[at..], 800));
    assert!(block.contains("总文字复制比100.0%"), "{block}");
    assert!(block.contains("projects/P10/学会服务青年科技工作者研究报告.docx"));
    // P04's files: only the 专报 that takes from the archive policy paper is listed; the
    // others (0%) are counted in the note, not shown.
    let p04 = read("site/P04/copying.html");
    assert!(p04.contains("archive/14th-fyp-cast-reform-tasks-policy.txt"));
    assert!(!p04.contains("<h2>学会参与科技伦理治理调研报告.docx</h2>"));
    assert!(!strip_tags(&p04).contains("复制比0.0%"));
}
