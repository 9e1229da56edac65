//! A file's view: its extracted text, paragraph by paragraph, with the counted body and each
//! part cut from it (封面, 目录, 参考文献, 附录, 致谢) marked and totalled, so a reviewer can see
//! where 正文字数 comes from. The parts are those of [`crate::sections`], the rules the checks
//! count by.

use std::collections::BTreeMap;

use maud::{Markup, html};
use rayon::prelude::*;

use super::{SITE_DIR, SITE_VERSION, SiteInput, group, put, shell};
use crate::check::checklist::Checklist;
use crate::doc::{Document, FileStatus};
use crate::error::Error;
use crate::sections::{SectionKind, classify};

/// Text shown in one view; past it the view says how much is left out (a 200 MB text would
/// make a page no browser opens).
const MAX_SHOWN_BYTES: usize = 3_000_000;

/// A run of paragraphs of one kind, and its 字数.
struct Run {
    kind: SectionKind,
    paras: std::ops::Range<usize>,
    words: u64,
}

/// Writes the view of every readable file of every project (only those not written before
/// for the same content). Returns, per project, the view of each file (page name).
pub(super) fn write_all(
    input: &SiteInput,
    checklists: &BTreeMap<String, Checklist>,
) -> Result<BTreeMap<String, BTreeMap<String, String>>, Error> {
    let site = input.out.join(SITE_DIR);
    // (project, file, page name)
    let mut jobs: Vec<(&str, &str, String)> = Vec::new();
    for (id, c) in checklists {
        let hashes = input.hashes.get(id);
        for f in &c.files {
            // Archive members are shown through their archive's evidence, not one by one.
            if f.status != FileStatus::Ok || f.path.contains('!') {
                continue;
            }
            let Some(hash) = hashes.and_then(|h| h.get(&f.path)) else {
                continue;
            };
            let key = {
                let mut h = blake3::Hasher::new();
                h.update(hash.as_bytes());
                h.update(f.path.as_bytes());
                h.update(c.project.title.as_bytes());
                h.update(&SITE_VERSION.to_le_bytes());
                h.update(env!("CARGO_PKG_VERSION").as_bytes());
                h.finalize().to_hex()[..16].to_string()
            };
            jobs.push((id, &f.path, format!("file-{key}.html")));
        }
    }
    jobs.par_iter()
        .filter(|(id, _, name)| !site.join(id).join(name).exists())
        .map(|(id, file, name)| {
            let dir = site.join(id);
            std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
            let title = checklists.get(*id).map_or("", |c| c.project.title.as_str());
            let page = match input.texts.document(&format!("projects/{id}/{file}")) {
                Ok(doc) => view(id, title, file, &doc),
                Err(e) => unreadable(id, file, &e.to_string()),
            };
            put(&dir.join(name), &page)
        })
        .collect::<Result<Vec<()>, Error>>()?;
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (id, file, name) in jobs {
        out.entry(id.to_string())
            .or_default()
            .insert(file.to_string(), name);
    }
    // Views of files that changed or left.
    for (id, names) in &out {
        if let Ok(rd) = std::fs::read_dir(site.join(id)) {
            for e in rd.flatten() {
                let n = e.file_name().to_string_lossy().to_string();
                if n.starts_with("file-") && !names.values().any(|v| *v == n) {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }
    Ok(out)
}

/// The runs of paragraphs of one section kind, in order, each with its 字数.
fn runs(doc: &Document) -> Vec<Run> {
    let kinds = classify(doc);
    let mut out: Vec<Run> = Vec::new();
    let mut i = 0;
    while i < kinds.len() {
        let mut j = i + 1;
        while j < kinds.len() && kinds[j] == kinds[i] {
            j += 1;
        }
        out.push(Run {
            kind: kinds[i],
            paras: i..j,
            words: doc.count_paras(i..j).words,
        });
        i = j;
    }
    out
}

/// The totals: the body first, then each cut part in order of first appearance.
fn totals(runs: &[Run]) -> Vec<(SectionKind, u64)> {
    let mut t: Vec<(SectionKind, u64)> = vec![(SectionKind::Body, 0)];
    for r in runs {
        match t.iter_mut().find(|(k, _)| *k == r.kind) {
            Some((_, w)) => *w += r.words,
            None => t.push((r.kind, r.words)),
        }
    }
    t
}

fn view(id: &str, title: &str, file: &str, doc: &Document) -> Markup {
    let runs = runs(doc);
    let totals = totals(&runs);
    let all: u64 = totals.iter().map(|(_, w)| w).sum();
    let cut_short = doc.text.len() > MAX_SHOWN_BYTES;
    let body = html! {
        p { a href="index.html" { "← 返回项目 " (id) "：" (title) } }
        h1 { (file) }
        h2 { "字数构成" }
        table style="width:auto" {
            tr { th { "部分" } th.num { "字数" } th { "是否计入正文字数" } }
            @for (k, w) in &totals {
                tr {
                    td { (k.label()) }
                    td.num id={ "total-" (kind_id(*k)) } { (group(*w)) }
                    td { @if *k == SectionKind::Body { span.pass { "计入" } } @else { span.fail { "不计入" } } }
                }
            }
            tr { td { b { "全文" } } td.num { b { (group(all)) } } td {} }
        }
        p.muted { "字数按 Word“字数统计”的规则计算（正文与表格；不含页眉页脚、脚注、文本框）。下面按顺序列出提取的文字：绿色边线为计入的正文，红色边线为不计入的部分。" }
        h2 { "提取的文字" }
        @for r in &runs {
            @let cut = r.kind != SectionKind::Body;
            div class={ "sec " @if cut { "sec-cut" } @else { "sec-body" } } data-kind=(kind_id(r.kind)) {
                div.sec-label {
                    (r.kind.label()) " · " (group(r.words)) " 字"
                    @if cut { "（不计入正文）" }
                }
                @for p in &doc.paras[r.paras.clone()] {
                    @let t = doc.para_text(p);
                    @if p.start < MAX_SHOWN_BYTES && !t.trim().is_empty() {
                        p.para { (t) }
                    }
                }
            }
        }
        @if cut_short {
            p.muted { "（文字过长，以下从略；字数统计按全文计算。）" }
        }
    };
    shell(&format!("{file}（{id}）"), "../../", body)
}

fn unreadable(id: &str, file: &str, error: &str) -> Markup {
    shell(
        file,
        "../../",
        html! {
            p { a href="index.html" { "← 返回项目 " (id) } }
            h1 { (file) }
            p.fail { "无法读取：" (error) }
        },
    )
}

/// A section kind as an id and attribute value.
fn kind_id(k: SectionKind) -> &'static str {
    match k {
        SectionKind::Cover => "cover",
        SectionKind::Toc => "toc",
        SectionKind::Body => "body",
        SectionKind::References => "references",
        SectionKind::Appendix => "appendix",
        SectionKind::Acknowledgements => "acknowledgements",
    }
}
