//! The copying report of one project, as CNKI's 文字复制检测报告 lays it out: per file a
//! headline block (总文字复制比, 去除引用文献复制比, 单篇最大文字复制比, 重复字数), its
//! sources by share, then each source's passages side by side, every one with an anchor the
//! dashboard links to. Files with nothing copied (0%) are counted, not listed.

use std::collections::BTreeMap;

use maud::{Markup, html};
use rayon::prelude::*;

use super::{SITE_DIR, SITE_VERSION, SiteInput, group, pct, put, seg, shell};
use crate::error::Error;
use crate::fsutil::write_atomic;
use crate::overlap::report::{OverlapReport, PairRow, PassageRow};

/// One file of a project that shares text with other documents.
#[derive(Debug, Clone)]
pub struct DocSources {
    /// Index into the report's documents.
    pub doc: usize,
    /// Path inside the project folder.
    pub file: String,
    pub anchor: String,
    /// By share of this file, largest first.
    pub sources: Vec<Source>,
}

/// Another document a file shares text with.
#[derive(Debug, Clone)]
pub struct Source {
    /// Index into the report's pairs.
    pub pair: usize,
    /// This file is side `a` of the pair.
    pub this_is_a: bool,
    pub other: String,
    pub other_project: Option<String>,
    /// Share of this file, and the characters it is made of.
    pub ratio: f64,
    pub chars: u32,
    pub anchor: String,
}

/// Per project, its files that share text, in the report's order of documents (which the
/// anchors number).
pub fn all_sources(r: &OverlapReport) -> BTreeMap<String, Vec<DocSources>> {
    let mut out: BTreeMap<String, Vec<DocSources>> = BTreeMap::new();
    for (di, d) in r.documents.iter().enumerate() {
        let Some(project) = &d.project else { continue };
        if d.copied_chars == 0 {
            continue;
        }
        let prefix = format!("projects/{project}/");
        let file = d.path.strip_prefix(&prefix).unwrap_or(&d.path).to_string();
        let mut sources: Vec<Source> = r
            .pairs
            .iter()
            .enumerate()
            .filter_map(|(pi, p)| {
                let this_is_a = if p.a == d.path {
                    true
                } else if p.b == d.path {
                    false
                } else {
                    return None;
                };
                let (ratio, other) = if this_is_a {
                    (p.a_ratio, &p.b)
                } else {
                    (p.b_ratio, &p.a)
                };
                let chars = if this_is_a {
                    p.chars
                } else {
                    (p.b_ratio * d.chars as f64).round() as u32
                };
                let other_project = r
                    .documents
                    .iter()
                    .find(|o| &o.path == other)
                    .and_then(|o| o.project.clone());
                (ratio > 0.0).then(|| Source {
                    pair: pi,
                    this_is_a,
                    other: other.clone(),
                    other_project,
                    ratio,
                    chars,
                    anchor: String::new(),
                })
            })
            .collect();
        if sources.is_empty() {
            continue;
        }
        sources.sort_by(|a, b| b.ratio.total_cmp(&a.ratio).then(a.other.cmp(&b.other)));
        let list = out.entry(project.clone()).or_default();
        let anchor = format!("f{}", list.len() + 1);
        for (j, s) in sources.iter_mut().enumerate() {
            s.anchor = format!("{anchor}-s{}", j + 1);
        }
        list.push(DocSources {
            doc: di,
            file,
            anchor,
            sources,
        });
    }
    out
}

/// Longest passage shown in full; the rest of a longer one is summed up.
const SHOWN_CHARS: usize = 1500;

/// Writes `site/<id>/copying.html` of every project, unless `overlap.json` and the site are
/// those of the pages already written.
pub(super) fn write_all(
    input: &SiteInput,
    report: Option<&OverlapReport>,
    sources: &BTreeMap<String, Vec<DocSources>>,
) -> Result<(), Error> {
    let site = input.out.join(SITE_DIR);
    let key = {
        let mut h = blake3::Hasher::new();
        h.update(&std::fs::read(input.out.join("overlap.json")).unwrap_or_default());
        h.update(&SITE_VERSION.to_le_bytes());
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        for p in &input.summary.projects {
            h.update(p.id.as_bytes());
            h.update(p.title.as_bytes());
        }
        h.finalize().to_hex().to_string()
    };
    let key_path = input.out.join("cache").join("site-copying.key");
    let all_there = input
        .summary
        .projects
        .iter()
        .all(|p| site.join(&p.id).join("copying.html").exists());
    if all_there && std::fs::read_to_string(&key_path).is_ok_and(|k| k == key) {
        return Ok(());
    }
    // The texts of every document that shares a passage with a project file.
    let wanted: std::collections::HashSet<usize> = sources
        .values()
        .flatten()
        .flat_map(|d| {
            let r = report.expect("sources come from a report");
            std::iter::once(d.doc).chain(d.sources.iter().filter_map(|s| {
                let other = &r.pairs[s.pair];
                let o = if s.this_is_a { &other.b } else { &other.a };
                r.documents.iter().position(|x| &x.path == o)
            }))
        })
        .collect();
    let texts: Vec<Option<Vec<char>>> = report
        .map(|r| {
            r.documents
                .par_iter()
                .enumerate()
                .map(|(i, d)| {
                    if !wanted.contains(&i) {
                        return None;
                    }
                    input.texts.text(&d.path).ok().map(|t| t.chars().collect())
                })
                .collect()
        })
        .unwrap_or_default();
    for p in &input.summary.projects {
        let dir = site.join(&p.id);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let page = page(
            &p.id,
            &p.title,
            report,
            sources.get(&p.id).map_or(&[][..], Vec::as_slice),
            &texts,
        );
        put(&dir.join("copying.html"), &page)?;
    }
    if let Some(parent) = key_path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    write_atomic(&key_path, key.as_bytes()).map_err(|e| Error::io(&key_path, e))
}

/// The link to another document: its project's copying page when it is a project file.
fn other_link(s: &Source) -> Markup {
    match &s.other_project {
        Some(p) => html! {
            a href={ "../" (seg(p)) "/copying.html" } { (s.other) }
        },
        None => html! { (s.other) },
    }
}

fn page(
    id: &str,
    title: &str,
    report: Option<&OverlapReport>,
    docs: &[DocSources],
    texts: &[Option<Vec<char>>],
) -> Markup {
    let (total, clean) = report.map_or((0, 0), |r| {
        let prefix = format!("projects/{id}/");
        let all = r
            .documents
            .iter()
            .filter(|d| d.path.starts_with(&prefix))
            .count();
        (all, all - docs.len())
    });
    let body = html! {
        p { a href="index.html" { "← 返回项目 " (id) } }
        h1 { "文字复制检测报告：" (title) }
        p.muted {
            "项目 " (id) " 共检测 " (total) " 个文件，其中 " (docs.len()) " 个发现与其他文件相同的文字，"
            (clean) " 个复制比为 0%（不列出）。复制比按正文计算，文字数不计标点和空白；"
            "红色为相同文字，绿色为注明出处的引用。"
        }
        @if docs.is_empty() {
            p.pass { "未发现与其他项目或档案相同的文字。" }
        }
        @if let (Some(r), false) = (report, docs.is_empty()) {
            table #files {
                tr { th { "文件" } th.num { "总文字复制比" } th.num { "去除引用文献复制比" } th.num { "单篇最大文字复制比" } th.num { "重复字数" } }
                @for d in docs {
                    @let row = &r.documents[d.doc];
                    tr {
                        td { a href={ "#" (d.anchor) } { (d.file) } }
                        td.num { (pct(row.copy_ratio)) }
                        td.num { (pct(row.copy_ratio_without_cited)) }
                        td.num { (pct(row.max_single_ratio)) }
                        td.num { (group(row.copied_chars as u64)) }
                    }
                }
            }
        }
        @if let Some(r) = report {
            @for d in docs {
                (doc_block(r, d, texts))
            }
        }
    };
    shell(&format!("文字复制检测报告：{title}"), "../../", body)
}

fn doc_block(r: &OverlapReport, d: &DocSources, texts: &[Option<Vec<char>>]) -> Markup {
    let row = &r.documents[d.doc];
    html! {
        section id=(d.anchor) {
            h2 { (d.file) }
            div.headline {
                div { "总文字复制比" b.fail { (pct(row.copy_ratio)) } }
                div { "去除引用文献复制比" b { (pct(row.copy_ratio_without_cited)) } }
                div { "单篇最大文字复制比" b { (pct(row.max_single_ratio)) }
                    span.muted { (row.max_single_source.as_deref().unwrap_or("")) } }
                div { "重复字数 / 文字数" b { (group(row.copied_chars as u64)) } span.muted { "共 " (group(row.chars as u64)) " 字（不计标点）" } }
            }
            table {
                tr { th { "序号" } th { "相同文字的来源" } th.num { "重复字数" } th.num { "占本文" } th { "片段" } }
                @for (j, s) in d.sources.iter().enumerate() {
                    tr {
                        td.num { (j + 1) }
                        td { (other_link(s)) }
                        td.num { (group(s.chars as u64)) }
                        td.num { (pct(s.ratio)) }
                        td { a href={ "#" (s.anchor) } { (r.pairs[s.pair].passages.len()) " 处" } }
                    }
                }
            }
            @for s in &d.sources {
                (source_block(r, d, s, texts))
            }
        }
    }
}

fn source_block(
    r: &OverlapReport,
    d: &DocSources,
    s: &Source,
    texts: &[Option<Vec<char>>],
) -> Markup {
    let pair: &PairRow = &r.pairs[s.pair];
    let other_doc = r.documents.iter().position(|x| x.path == s.other);
    let this_text = texts.get(d.doc).and_then(Option::as_ref);
    let other_text = other_doc
        .and_then(|i| texts.get(i))
        .and_then(Option::as_ref);
    html! {
        h3 id=(s.anchor) { "与 " (s.other) " 相同的文字（" (pct(s.ratio)) "）" }
        table {
            tr { th { "本文：" (d.file) } th { "来源：" (s.other) } }
            @for (m, x) in pair.passages.iter().enumerate() {
                @let (mine, theirs) = sides(x, s.this_is_a);
                tr id={ (s.anchor) "-p" (m + 1) } {
                    td.side { (passage(this_text, mine, x.cited)) }
                    td.side { (passage(other_text, theirs, x.cited)) }
                }
            }
        }
    }
}

/// This file's span and the other's.
fn sides(x: &PassageRow, this_is_a: bool) -> ((u32, u32), (u32, u32)) {
    let a = (x.a_start, x.a_end);
    let b = (x.b_start, x.b_end);
    if this_is_a { (a, b) } else { (b, a) }
}

/// A passage's text, marked as copied or cited, cut after [`SHOWN_CHARS`].
fn passage(text: Option<&Vec<char>>, (start, end): (u32, u32), cited: bool) -> Markup {
    let class = if cited { "cited" } else { "copied" };
    let place =
        html! { span.muted { "第 " (group(start as u64 + 1)) "–" (group(end as u64)) " 字" } br; };
    match text {
        Some(t) if (end as usize) <= t.len() && start < end => {
            let n = (end - start) as usize;
            let shown: String = t[start as usize..start as usize + n.min(SHOWN_CHARS)]
                .iter()
                .collect();
            html! {
                (place)
                span class=(class) { (shown) }
                @if n > SHOWN_CHARS {
                    span.muted { "……（其余 " (group((n - SHOWN_CHARS) as u64)) " 字略）" }
                }
            }
        }
        _ => html! { (place) span.muted { "（文本无法读取）" } },
    }
}
