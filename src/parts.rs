//! The parts of a compilation: one file (a 结题材料汇编) holding several deliverables.
//!
//! Projects often submit everything in one document: 第一部分 研究报告, 第二部分 建议报告,
//! 第三部分 典型案例 …, or 附件1：…/附件2：…, or one title page per deliverable. A part starts
//! at a top-level division line and runs to the next; `facts` analyses each part as a document
//! of its own (so its body and padding are told apart by `sections`, its cases and events
//! found), and the checks classify and count each part as they do a file.
//!
//! A file is only split when at least two of its divisions, and most of them, name a
//! deliverable ("研究报告", "会议纪要" in the division or the line after it): a report in
//! 第一部分/第二部分 of its own argument, one of which is 对策建议, stays one report.

use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

use crate::doc::{Document, ParaKind};

/// One part: its name as the document writes it, and its paragraphs (the division line
/// itself and a title line after it are the name, not the part's text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartSpan {
    pub name: String,
    /// The division line's paragraph index.
    pub heading: usize,
    /// The paragraphs of the part, after its name.
    pub paras: Range<usize>,
}

static BUFEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^第[一二三四五六七八九十0-9]+部分").unwrap());
static FUJIAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^附件\s*[0-9一二三四五六七八九十]+(?:[:：、.．\s]|$)").unwrap());
static HAN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[一二三四五六七八九十]+、").unwrap());
static CHAPTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:第[一二三四五六七八九十0-9]+[章节]|[0-9０-９]+[.．、\s]|[（(])").unwrap()
});
/// A TOC line: leader dots or a tab before a page number.
static TOC_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:[.…·．]{2,}|\t)\s*[0-9]+\s*$").unwrap());

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Division {
    /// 第一部分 …
    Bufen,
    /// 附件1：…
    Fujian,
    /// 一、研究报告 (a numbered line that is a deliverable's name)
    Han,
    /// A title line of its own (a title page per part; the first line of a PDF page) that
    /// names a deliverable.
    Title,
}

/// Does a division (or the short line after it) name a deliverable?
fn names_deliverable(t: &str) -> bool {
    crate::check::vocab::word_in(t).is_some_and(|w| w.strong)
}

/// Fewest 字 after a division for it to start a part (a sign-in list or a short notice has
/// more; a running head or a cover line before the next division has less).
const MIN_PART_WORDS: u64 = 20;

/// The parts of a compilation, or nothing when the document is not one.
pub fn split(doc: &Document) -> Vec<PartSpan> {
    let text = |i: usize| doc.para_text(&doc.paras[i]).trim();
    // The next non-empty paragraph after `i`, when it is a short title line.
    let title_after = |i: usize| -> Option<usize> {
        let j = (i + 1..doc.paras.len()).find(|&j| !text(j).is_empty())?;
        (text(j).chars().count() <= 40).then_some(j)
    };
    let mut found: Vec<(Division, usize)> = Vec::new();
    let mut prev_page = None;
    for (i, p) in doc.paras.iter().enumerate() {
        let t = text(i);
        let page_start = p.page.is_some() && p.page != prev_page && !t.is_empty();
        if !t.is_empty() {
            prev_page = p.page;
        }
        if t.is_empty() || t.chars().count() > 40 || p.kind == ParaKind::Toc || TOC_LINE.is_match(t)
        {
            continue;
        }
        if BUFEN.is_match(t) {
            found.push((Division::Bufen, i));
        } else if FUJIAN.is_match(t) {
            found.push((Division::Fujian, i));
        } else if HAN.is_match(t) && names_deliverable(t) && t.chars().count() <= 20 {
            found.push((Division::Han, i));
        } else if (matches!(p.kind, ParaKind::Title | ParaKind::Heading(1)) || page_start)
            && !CHAPTER.is_match(t)
            && t.chars().count() <= 30
            && names_deliverable(t)
        {
            found.push((Division::Title, i));
        }
    }
    if found.len() < 2 {
        return Vec::new();
    }
    // Lines of a 目录 start nothing; the sections are only worked out for the few documents
    // with two division lines or more (a scan of a long report costs as much as reading it).
    let kinds = crate::sections::classify(doc);
    found.retain(|(_, i)| kinds[*i] != crate::sections::SectionKind::Toc);
    for kind in [
        Division::Bufen,
        Division::Fujian,
        Division::Han,
        Division::Title,
    ] {
        let mut heads: Vec<usize> = found
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|x| x.1)
            .collect();
        if kind == Division::Title {
            // A running header repeats on every page: not a division.
            let count = |i: usize| heads.iter().filter(|&&j| text(j) == text(i)).count();
            heads = heads.iter().copied().filter(|&i| count(i) <= 2).collect();
            heads.dedup_by(|a, b| text(*a) == text(*b));
        }
        // A part holds a deliverable's text: a division followed by next to nothing before the
        // next one (a running head over a scanned page's title, a cover line) starts none.
        let words = |a: usize, b: usize| -> u64 {
            (a..b).map(|j| crate::count::count_str(text(j)).words).sum()
        };
        while let Some(n) = (0..heads.len()).find(|&n| {
            let end = heads.get(n + 1).copied().unwrap_or(doc.paras.len());
            words(heads[n] + 1, end) < MIN_PART_WORDS
        }) {
            heads.remove(n);
        }
        let named = heads
            .iter()
            .filter(|&&i| {
                names_deliverable(text(i))
                    || title_after(i).is_some_and(|j| names_deliverable(text(j)))
            })
            .count();
        // Most divisions name a deliverable: a report whose 第四部分 is 对策建议 is no
        // compilation.
        if heads.len() < 2 || named < 2 || named * 2 <= heads.len() {
            continue;
        }
        return heads
            .iter()
            .enumerate()
            .map(|(n, &i)| {
                let end = heads.get(n + 1).copied().unwrap_or(doc.paras.len());
                // "第一部分" alone on its title page, the deliverable's name on the next line.
                let (name, from) = match title_after(i) {
                    Some(j) if !names_deliverable(text(i)) && j < end => {
                        (format!("{} {}", text(i), text(j)), j + 1)
                    }
                    _ => (text(i).to_string(), i + 1),
                };
                PartSpan {
                    name: name.split_whitespace().collect::<Vec<_>>().join(" "),
                    heading: i,
                    paras: from.min(end)..end,
                }
            })
            .collect();
    }
    Vec::new()
}

/// A part as a document of its own: its paragraphs, kinds, pages and counted text.
pub fn sub_document(doc: &Document, paras: Range<usize>) -> Document {
    let mut d = Document::new(doc.format);
    let mut pages = Vec::new();
    for p in &doc.paras[paras] {
        d.push(doc.para_text(p), p.kind, p.page);
        if let Some(c) = &p.counted
            && let Some(last) = d.paras.last_mut()
        {
            last.counted = Some(c.clone());
        }
        if let Some(pg) = p.page {
            pages.push(pg);
        }
    }
    d.meta.modified = doc.meta.modified.clone();
    d.meta.created = doc.meta.created.clone();
    d.ocr_pages = doc
        .ocr_pages
        .iter()
        .copied()
        .filter(|p| pages.contains(p))
        .collect();
    d.ocr_confidence = doc.ocr_confidence;
    d
}

/// "第12–340段" or, in a paginated document, "第5–9页": where a part is, as a reviewer finds it.
pub fn range_text(doc: &Document, span: &PartSpan) -> String {
    let first = span.heading;
    let last = span.paras.end.saturating_sub(1).max(first);
    match (doc.paras[first].page, doc.paras[last].page) {
        (Some(a), Some(b)) if a == b => format!("第{a}页"),
        (Some(a), Some(b)) => format!("第{a}–{b}页"),
        _ => format!("第{}–{}段", first + 1, last + 1),
    }
}
