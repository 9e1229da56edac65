//! The dashboard, `OUT_DIR/index.html`: the page that answers "which projects fail and why,
//! who copied from whom, does P02's report reach 3万字" without opening a JSON file.

use std::collections::BTreeMap;

use maud::{Markup, PreEscaped, html};

use super::copying::DocSources;
use super::{SiteInput, Wanted, group, pct, project_href, seg, shell};
use crate::batch::ProjectRow;
use crate::check::Verdict;
use crate::guide::Kind;
use crate::overlap::report::OverlapReport;
use crate::report::estimate_mark;

/// Copying pairs shown on the dashboard.
const TOP_PAIRS: usize = 10;

/// Sorting and filtering of the projects table: the only script of the site, and the table
/// reads the same without it.
const SCRIPT: &str = r#"
(function () {
  var table = document.getElementById('projects');
  var controls = document.getElementById('controls');
  controls.hidden = false;
  var q = document.getElementById('filter'), v = document.getElementById('verdict-filter');
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  function filter() {
    var text = q.value.trim().toLowerCase(), want = v.value, shown = 0;
    rows.forEach(function (r) {
      var ok = (!want || r.dataset.verdict === want) && (!text || r.textContent.toLowerCase().indexOf(text) >= 0);
      r.hidden = !ok; if (ok) shown++;
    });
    document.getElementById('shown').textContent = shown;
  }
  q.addEventListener('input', filter); v.addEventListener('change', filter);
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
    if (!th.classList.contains('sortable')) return;
    th.addEventListener('click', function () {
      var dir = th.dataset.dir === 'asc' ? 'desc' : 'asc'; th.dataset.dir = dir;
      var num = th.classList.contains('num');
      rows.sort(function (a, b) {
        var x = a.cells[i].dataset.key || a.cells[i].textContent, y = b.cells[i].dataset.key || b.cells[i].textContent;
        var c = num ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y, 'zh');
        return dir === 'asc' ? c : -c;
      });
      rows.forEach(function (r) { table.tBodies[0].appendChild(r); });
    });
  });
  filter();
})();
"#;

/// Overdue first (most days first), then 未提交, 不通过, 需人工复核, 通过; by id within each.
fn order(rows: &[ProjectRow]) -> Vec<&ProjectRow> {
    let rank = |v: Verdict| match v {
        Verdict::Missing => 0,
        Verdict::Fail => 1,
        Verdict::Review => 2,
        Verdict::Pass => 3,
    };
    let mut v: Vec<&ProjectRow> = rows.iter().collect();
    v.sort_by(|a, b| {
        b.tracking
            .days_overdue
            .cmp(&a.tracking.days_overdue)
            .then(rank(a.verdict).cmp(&rank(b.verdict)))
            .then(a.id.cmp(&b.id))
    });
    v
}

/// The length the main report must reach, from the requirement the summary's
/// `main_report_words` was taken from.
pub fn wanted(p: &ProjectRow) -> Option<Wanted> {
    p.requirements
        .iter()
        .find(|r| r.kind == Kind::Report && r.expected.contains('字'))
        .and_then(|r| Wanted::parse(&r.expected))
}

pub(super) fn page(
    input: &SiteInput,
    overlap: Option<&OverlapReport>,
    sources: &BTreeMap<String, Vec<DocSources>>,
) -> Markup {
    let s = input.summary;
    let floor = input.copying.ratio_floor_chars;
    let count = |v: Verdict| s.projects.iter().filter(|p| p.verdict == v).count();
    let overdue = s
        .projects
        .iter()
        .filter(|p| p.tracking.days_overdue > 0)
        .count();
    let batch_name = std::path::Path::new(&s.batch)
        .file_name()
        .map_or(s.batch.clone(), |n| n.to_string_lossy().to_string());
    let body = html! {
        h1 { "验收总览：" (batch_name) }
        p.muted { "生成时间 " (crate::dates::beijing_time(&s.generated_at)) "　批次目录 " (s.batch) }
        div.tallies {
            div.tally { b { (s.projects.len()) } "项目" }
            div.tally.fail { b #tally-fail { (count(Verdict::Fail)) } "不通过" }
            div.tally.review { b #tally-review { (count(Verdict::Review)) } "需人工复核" }
            div.tally.pass { b #tally-pass { (count(Verdict::Pass)) } "通过" }
            @if count(Verdict::Missing) > 0 {
                div.tally.fail { b #tally-missing { (count(Verdict::Missing)) } "未提交" }
            }
            div.tally.fail { b #tally-overdue { (overdue) } "逾期未完成" }
            div.tally { b #tally-errors { (s.errors.len()) } "无法处理" }
        }
        h2 { "项目" }
        p.muted { "逾期的项目排在最前，其次未提交、不通过、需人工复核、通过。点击表头排序。" }
        div.controls #controls hidden {
            "筛选 " input #filter type="search" placeholder="编号、名称、单位或说明中的文字";
            " 结论 "
            select #verdict-filter {
                option value="" { "全部" }
                option value="fail" { "不通过" }
                option value="review" { "需人工复核" }
                option value="pass" { "通过" }
                option value="missing" { "未提交" }
            }
            " 显示 " span #shown { (s.projects.len()) } " 项"
        }
        (projects_table(&s.projects, floor))
        h2 { "主报告正文字数与要求" }
        (chart(&s.projects))
        h2 { "谁与谁重复（每两方列相同文字最多的一对文件）" }
        (top_pairs(overlap, sources, floor))
        h2 { "与上次运行相比" }
        (changes(input))
        @if !s.errors.is_empty() {
            h2 { "无法处理" }
            table #errors {
                tr { th { "文件" } th { "原因" } }
                @for e in &s.errors { tr { td { (e.path) } td { (e.error) } } }
            }
        }
        script { (PreEscaped(SCRIPT)) }
    };
    shell("验收总览", "", body)
}

/// `floor`: shared 字 below which a share is not called copying (the copying rule's
/// `ratio_floor_chars`): a 58-字 notice shared at 100% is no project's "最高重复".
fn projects_table(rows: &[ProjectRow], floor: u64) -> Markup {
    html! {
        table #projects {
            thead {
                tr {
                    th.sortable { "编号" }
                    th.sortable { "项目名称" }
                    th.sortable { "承担单位" }
                    th.sortable { "结论" }
                    th.sortable.num { "主报告正文字数" }
                    th { "要求" }
                    th.sortable.num { "逾期天数" }
                    th.sortable.num { "最高重复" }
                    th { "说明" }
                }
            }
            tbody {
                @for p in order(rows) {
                    @let top = p.overlaps.iter().filter(|o| o.chars >= floor).map(|o| o.ratio).fold(0.0f64, f64::max);
                    tr data-verdict=(p.verdict.as_str()) id={ "row-" (p.id) } {
                        td { a href=(project_href(&p.id)) { (p.id) } }
                        td { a href=(project_href(&p.id)) { (p.title) } }
                        td { (p.org) }
                        td class=(p.verdict.as_str()) style="white-space:nowrap" { (p.verdict.label_zh()) }
                        td.num data-key=(p.main_report_words.unwrap_or(0)) {
                            (estimate_mark(p.main_report_words_source))
                            (p.main_report_words.map_or("-".into(), group))
                        }
                        td style="white-space:nowrap" { (wanted(p).map(|w| w.text()).unwrap_or_default()) }
                        td.num data-key=(p.tracking.days_overdue) {
                            @if p.tracking.days_overdue > 0 {
                                span.overdue { (p.tracking.days_overdue) " 天" }
                            }
                        }
                        td.num data-key=(top) {
                            @if top > 0.0 {
                                a href={ "site/" (seg(&p.id)) "/copying.html" } { (pct(top)) }
                            }
                        }
                        td { (p.reason) }
                    }
                }
            }
        }
    }
}

/// Each project's main report against its required length, as horizontal bars drawn in SVG
/// (works offline and prints): green when it reaches the mark, red when it falls short.
fn chart(rows: &[ProjectRow]) -> Markup {
    let items: Vec<(&ProjectRow, u64, Option<Wanted>)> = rows
        .iter()
        .filter_map(|p| p.main_report_words.map(|w| (p, w, wanted(p))))
        .collect();
    if items.is_empty() {
        return html! { p.muted { "本批次没有带字数要求的主报告。" } };
    }
    let scale_max = items
        .iter()
        .map(|(_, w, r)| (*w).max(r.and_then(|r| r.mark().max(r.max)).unwrap_or(0)))
        .max()
        .unwrap_or(1)
        .max(1) as f64
        * 1.08;
    let (left, width, row) = (180.0, 560.0, 26.0);
    let total_w = left + width + 130.0;
    let height = row * items.len() as f64 + 30.0;
    let x = |v: u64| left + width * v as f64 / scale_max;
    html! {
        svg #length-chart xmlns="http://www.w3.org/2000/svg" width=(total_w) height=(height)
            viewBox={ "0 0 " (total_w) " " (height) } role="img" aria-label="主报告正文字数与要求" {
            @for (i, (p, w, r)) in items.iter().enumerate() {
                @let y = 8.0 + row * i as f64;
                @let short = r.is_some_and(|r| r.min.is_some_and(|m| *w < m) || r.approx.is_some_and(|a| (*w as f64) < a as f64 * 0.8) || r.max.is_some_and(|m| *w > m && r.min.is_none()));
                @let color = if r.is_none() { "#8a8a8a" } else if short { "#c0392b" } else { "#2a8a4a" };
                g {
                    @let est = estimate_mark(p.main_report_words_source);
                    title { (p.id) " " (p.title) "：正文 " (est) (group(*w)) " 字" @if p.main_report_words_source.is_some() { "（扫描件 OCR 估计）" } @if let Some(r) = r { "，要求 " (r.text()) } }
                    text x=(left - 8.0) y=(y + 15.0) text-anchor="end" { (p.id) " " (trim(&p.title, 9)) }
                    rect x=(left) y=(y + 3.0) width=(x(*w) - left) height=(row - 10.0) fill=(color) {}
                    // The figure goes right of the bar and of the mark, never across the mark.
                    @let label_at = x((*w).max(r.and_then(|r| r.mark()).unwrap_or(0))) + 6.0;
                    text x=(label_at) y=(y + 15.0) { (est) (group(*w)) @if let Some(r) = r { " / " (r.text()) } }
                    @if let Some(m) = r.and_then(|r| r.mark()) {
                        line x1=(x(m)) x2=(x(m)) y1=(y) y2=(y + row - 4.0) stroke="#111" stroke-width="2" stroke-dasharray="3,2" {}
                    }
                }
            }
            text x=(left) y=(height - 6.0) fill="#666" { "条形：正文字数（≈ 为扫描件 OCR 估计）；虚线：要求的字数（下限或约数）；红色为未达到要求" }
        }
    }
}

/// The first `n` characters of a title.
fn trim(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        s.chars().take(n).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

/// Who copied from whom: per pair of projects (or a project and the archive) its strongest
/// pair of files, largest share first, each linked to its passages.
fn top_pairs(
    r: Option<&OverlapReport>,
    sources: &BTreeMap<String, Vec<DocSources>>,
    floor: u64,
) -> Markup {
    let Some(r) = r else {
        return html! { p.muted { "没有重复检测结果。" } };
    };
    // Where each pair is shown: the copying page of a project on one side, and its anchor.
    let link = |pi: usize| -> Option<(String, String)> {
        sources.iter().find_map(|(id, docs)| {
            docs.iter()
                .flat_map(|d| &d.sources)
                .find(|s| s.pair == pi)
                .map(|s| (id.clone(), s.anchor.clone()))
        })
    };
    let mut pairs: Vec<(usize, f64)> = r
        .pairs
        .iter()
        .enumerate()
        .map(|(i, p)| (i, p.a_ratio.max(p.b_ratio)))
        .filter(|(_, x)| *x > 0.0)
        .collect();
    // Pairs the copying rule can flag (at least `floor` shared 字) first, by share, then by
    // how much text: a report copied from the archive at 29% before two 58-字 notices of one
    // template at 100%.
    let big = |i: usize| u64::from(r.pairs[i].chars) >= floor;
    pairs.sort_by(|a, b| {
        big(b.0)
            .cmp(&big(a.0))
            .then(b.1.total_cmp(&a.1))
            .then(r.pairs[b.0].chars.cmp(&r.pairs[a.0].chars))
            .then(a.0.cmp(&b.0))
    });
    // One row per pair of projects (or project and archive): who copied from whom, with its
    // strongest pair of files; the others of the same two projects are counted on that row.
    // `pairs` is in rank order: the first pair seen of two parties is their strongest.
    let mut seen: std::collections::HashMap<(String, String), usize> = Default::default();
    let mut all: Vec<(usize, f64, usize)> = Vec::new();
    for &(pi, x) in &pairs {
        let p = &r.pairs[pi];
        let (a, b) = (owner(&p.a), owner(&p.b));
        let key = if a <= b { (a, b) } else { (b, a) };
        match seen.get(&key) {
            Some(&g) => all[g].2 += 1,
            None => {
                seen.insert(key, all.len());
                all.push((pi, x, 0));
            }
        }
    }
    if all.is_empty() {
        return html! { p.pass { "未发现项目之间或与档案之间相同的文字。" } };
    }
    // Two parties whose shared text is below the floor at best (a notice on one template) are
    // counted, not listed.
    let small = all.iter().filter(|g| !big(g.0)).count();
    let pairs: Vec<(usize, f64, usize)> = all.into_iter().filter(|g| big(g.0)).collect();
    html! {
        table #top-pairs {
            tr { th { "文件 A" } th { "文件 B" } th.num { "相同文字" } th.num { "占 A" } th.num { "占 B" } th { "对照" } }
            @for (pi, _, more) in pairs.iter().take(TOP_PAIRS) {
                @let p = &r.pairs[*pi];
                tr {
                    td { (p.a) } td {
                        (p.b)
                        @if *more > 0 { br; span.muted { "这两方另有 " (more) " 对文件相同" } }
                    }
                    td.num { (group(p.chars as u64)) " 字" }
                    td.num { (pct(p.a_ratio)) } td.num { (pct(p.b_ratio)) }
                    td {
                        @if let Some((id, anchor)) = link(*pi) {
                            a href={ "site/" (seg(&id)) "/copying.html#" (anchor) } { "逐段对照" }
                        }
                    }
                }
            }
        }
        @if pairs.len() > TOP_PAIRS {
            p.muted { "另有 " (pairs.len() - TOP_PAIRS) " 组，见各项目的文字复制检测报告。" }
        }
        @if small > 0 {
            p.muted {
                "另有 " (small) " 组相同文字均少于 " (floor) " 字（如同一模板的会议通知），不算抄袭，未列出；见各项目的文字复制检测报告。"
            }
        }
    }
}

fn changes(input: &SiteInput) -> Markup {
    let s = input.summary;
    if input.first_run {
        return html! { p #changes { "这是本输出目录的第一次运行，没有可比较的上次结果。" } };
    }
    if s.changes.is_empty() {
        return html! { p #changes { "与上次运行相比没有变化。" } };
    }
    html! {
        table #changes {
            tr { th { "项目" } th { "变化" } th { "文件" } th { "结论" } }
            @for c in &s.changes {
                tr {
                    td {
                        @if c.event == crate::batch::ChangeEvent::ProjectRemoved {
                            (c.project)
                        } @else {
                            a href=(project_href(&c.project)) { (c.project) }
                        }
                    }
                    td { (c.event.label_zh()) }
                    td { (c.path.as_deref().unwrap_or("")) }
                    td {
                        @if let (Some(f), Some(t)) = (c.from, c.to) {
                            (f.label_zh()) " → " span class=(t.as_str()) { (t.label_zh()) }
                        }
                    }
                }
            }
        }
    }
}

/// Whose a path is: `projects/<id>/…` → the project; an archive document is its own source.
fn owner(path: &str) -> String {
    match path.strip_prefix("projects/") {
        Some(rest) => rest.split('/').next().unwrap_or(rest).to_string(),
        None => path.to_string(),
    }
}
